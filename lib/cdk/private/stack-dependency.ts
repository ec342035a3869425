import { Stack } from 'aws-cdk-lib';

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
