import { Stack, Stage, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { primaryRegionOf } from './private/dr-names';
import { addStackDependency } from './private/stack-dependency';

/**
 * The stack that holds drkit's resources in a secondary region for a primary stack
 * (backup vault for copies, replica buckets and keys). One per (primary stack, region),
 * created on first use in the same stage, deployed before the primary stack.
 *
 * Its name is `<primary stack name>-<primary region>-dr-<region>`: the same stack deployed
 * from two regions to one DR region gets two secondary stacks. Its construct id is
 * `<primary stack id>-dr-<region>` (unique in the stage). The primary stack needs a concrete
 * region.
 */
export class SecondaryRegionStack {
  /**
   * The secondary-region stack for `scope`'s stack and `region`, created if needed.
   */
  public static of(scope: Construct, region: string): Stack {
    const primary = Stack.of(scope);
    if (!region || Token.isUnresolved(region)) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `the secondary region for stack ${primary.node.path} must be a concrete region name such as "us-west-2", but got ${Token.isUnresolved(region) ? 'an unresolved token' : JSON.stringify(region)}`);
    }
    if (!Token.isUnresolved(primary.region) && primary.region === region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `the secondary region "${region}" is the region of stack ${primary.node.path}: a copy in the same region does not survive a region outage; choose another region`);
    }
    const stage = Stage.of(primary);
    if (!stage) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `stack ${primary.node.path} is not in an App or Stage, so drkit cannot add its secondary-region stack`);
    }
    const id = `${primary.node.id}-dr-${region}`;
    const existing = stage.node.tryFindChild(id);
    if (existing) return existing as Stack;
    const primaryRegion = primaryRegionOf(primary, `its secondary-region stack in ${region}`);
    const account = Token.isUnresolved(primary.account) ? undefined : primary.account;
    const secondary = new Stack(stage, id, {
      env: { region, account },
      stackName: `${primary.stackName}-${primaryRegion}-dr-${region}`,
      description: `drkit: disaster-recovery resources in ${region} for ${primary.stackName} in ${primaryRegion}`,
      terminationProtection: true,
    });
    addStackDependency(primary, secondary, `drkit: ${primary.stackName} copies or replicates to ${region}`);
    return secondary;
  }

  private constructor() {}
}
