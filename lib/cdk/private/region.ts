import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, RecoveryObjective } from '../../core/objective';

/**
 * The concrete region of `scope`'s stack. When the objective covers region outage, a stack without
 * one (environment-agnostic, region `${AWS::Region}`) is refused with DRK015: the copy and replica
 * regions are chosen against the primary region, cross-region references need it, and the recovery
 * report could not tell that a copy or replica is in another region (it would report the resource
 * unprotected).
 * @internal
 */
export function primaryRegionOf(scope: IConstruct, objective: RecoveryObjective, what: string): string | undefined {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  if (region === undefined && objective.covers(Disruption.REGION_OUTAGE)) {
    throw new DrkitError(DrkitErrorCode.REGION_REQUIRED,
      `${what} protects against region outage (objective "${objective.name}"), but stack ${stack.node.path} has no concrete region (an environment-agnostic stack): a copy or replica in another region is placed, referenced and reported against the primary region, so give the stack an \`env\`, for example new Stack(app, '${stack.node.id}', { env: { account: '123456789012', region: 'us-east-1' } }), or remove Disruption.REGION_OUTAGE from the objective`);
  }
  return region;
}
