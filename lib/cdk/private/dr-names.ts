import * as crypto from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { DrkitError, DrkitErrorCode } from '../../core/errors';

/**
 * The concrete region of `primary`, which every disaster-recovery name carries: the same stack
 * name deployed from two regions to one DR region must not share its secondary or standby
 * stack, replica bucket, key alias, copy vault or global database. An env-agnostic stack (a
 * token region) has no region at synth, so drkit cannot name its DR resources apart.
 *
 * @param primary the primary stack
 * @param what what needs the name, for the message (for example "the secondary-region stack in us-west-2")
 */
export function primaryRegionOf(primary: Stack, what: string): string {
  if (Token.isUnresolved(primary.region)) {
    throw new DrkitError(DrkitErrorCode.DR_NAME_NEEDS_PRIMARY_REGION,
      `stack ${primary.node.path} has no concrete region (env-agnostic), but ${what} is named after the primary region, so that the same stack deployed from two regions does not collide in the DR region: give the stack \`env: { region: 'us-east-1' }\` (or its Stage an env), for example \`env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }\``);
  }
  return primary.region;
}

/**
 * A 10-hex-digit hash of the primary stack's name, its region and `path`: the seed of
 * physical names drkit fixes in the DR region (replica buckets, key aliases).
 */
export function drNameHash(primary: Stack, path: string, what: string): string {
  const region = primaryRegionOf(primary, what);
  return crypto.createHash('sha256').update(`${primary.stackName}/${region}/${path}`).digest('hex').slice(0, 10);
}
