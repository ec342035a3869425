import { Aspects, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Makes `dependent` deploy after `dependency`. aws-cdk-lib renamed `Stack.addDependency` to
 * `addStackDependency` (the old name is deprecated and warns at synth); drkit's peer range
 * starts before the rename, so use the new name when it exists.
 */
export function addStackDependency(dependent: Stack, dependency: Stack, reason: string): void {
  const s: any = dependent;
  if (typeof s.addStackDependency === 'function') s.addStackDependency(dependency, reason);
  else dependent.addDependency(dependency, reason);
}

/**
 * Makes `dependent` deploy after every other stack of its App or Stage that holds a resource
 * `holds` accepts, found at synthesis (when every construct exists), for resources named
 * across regions by physical name only (CloudFormation has no cross-region references, so
 * nothing else orders `cdk deploy --all`).
 */
export function deployAfterStacksHolding(dependent: Stack, holds: (resource: CfnResource) => boolean, reason: string): void {
  const stage = Stage.of(dependent);
  if (!stage) return;
  Aspects.of(stage).add({
    visit(node: IConstruct) {
      if (node !== stage) return;
      for (const c of stage.node.findAll()) {
        if (!CfnResource.isCfnResource(c) || !holds(c)) continue;
        const holder = Stack.of(c);
        if (holder !== dependent && Stage.of(holder) === stage && !dependent.dependencies.includes(holder)) {
          addStackDependency(dependent, holder, reason);
        }
      }
    },
  });
}
