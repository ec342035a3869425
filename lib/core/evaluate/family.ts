import { BoundKind } from '../catalog';
import { Disruption, RecoveryObjective } from '../objective';
import { formatSeconds } from '../period';
import { BackupIndex } from './backup';
import { CfnResource } from './cfn';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { KeptPoints, PitrLimit } from './retention';

/** What a family evaluator is given. */
export interface FamilyContext {
  /** The resource. */
  readonly resource: CfnResource;
  /** Every resource of the input (for cross-stack lookups such as replica buckets). */
  readonly all: CfnResource[];
  /** Backup plans, vaults and selections of the input. */
  readonly backup: BackupIndex;
  /** The resource's objective, if any. */
  readonly objective?: RecoveryObjective;
}

/** A gap a family evaluator finds beyond per-disruption status (for example a retention too short). */
export interface ExtraGap {
  readonly disruption?: Disruption;
  readonly problem: string;
  readonly fix: string;
}

/** What a family evaluator returns. */
export interface FamilyResult {
  /** Content, for people. */
  readonly content: string;
  /** Physical name when literal, else a `<placeholder>`. */
  readonly name: string;
  /** Restore points and copies, the live resource first. */
  readonly restorePoints: RestorePointSet[];
  /** Every mechanism's contribution. */
  readonly coverages: Coverage[];
  /** Runbook entries. */
  readonly runbook: RunbookEntry[];
  /** Observations. */
  readonly findings: string[];
  /**
   * The concrete fix when a disruption is not covered or not met. `present` lists the
   * mechanisms already covering it (catalog ids), so the fix names what is missing rather than
   * what is already there.
   */
  readonly fix: (d: Disruption, present?: string[]) => string;
  /** Gaps beyond the per-disruption status. */
  readonly extraGaps?: ExtraGap[];
  /**
   * Every set of restore points the resource keeps (native and AWS Backup), which the
   * objective's retention is checked against (`retentionGaps`). Empty when it keeps none.
   */
  readonly kept: KeptPoints[];
  /**
   * The longest point-in-time window any mechanism of the resource type keeps (35 days for
   * DynamoDB PITR, RDS automated backups and AWS Backup continuous backup).
   * @default - no bound (S3 versions), or no point-in-time mechanism
   */
  readonly pitrLimit?: PitrLimit;
  /**
   * Conditions outside the template a mechanism needs (an account setting), with how to check them.
   * @default - none
   */
  readonly preconditions?: string[];
}

/** Evaluates one resource of a family; undefined when the resource holds no data of its own. */
export type FamilyEvaluator = (ctx: FamilyContext) => FamilyResult | undefined;

/** The live resource, the first "copy" of 3-2-1. */
export function liveCopy(r: CfnResource, description: string, medium: string, name: string, encryption?: string): RestorePointSet {
  return {
    mechanism: 'live',
    description,
    medium,
    periodicity: 'live',
    retention: 'current data',
    region: r.region,
    account: r.account,
    vault: name,
    offRegion: false,
    offAccount: false,
    immutability: 'none',
    encryption,
  };
}

/** A placeholder for a physical name that only the deployed stack knows, and the note on how to find it. */
export function namePlaceholder(r: CfnResource, what: string): { name: string; note: string } {
  return {
    name: `<${what} name of ${r.logicalId}>`,
    note: `find <${what} name of ${r.logicalId}> with: aws cloudformation describe-stack-resource --stack-name ${r.stackName} --logical-resource-id ${r.logicalId} --query StackResourceDetail.PhysicalResourceId --output text`,
  };
}

/** Findings on the deletion and replacement policies of a stateful resource. */
export function policyFindings(r: CfnResource, defaultPolicy = 'Delete'): string[] {
  const out: string[] = [];
  const dp = r.deletionPolicy ?? defaultPolicy;
  if (dp === 'Delete') {
    out.push(`DeletionPolicy is ${r.deletionPolicy ? 'Delete' : 'absent (CloudFormation deletes the resource with the stack)'}: deleting the stack or removing the resource from it deletes the data; set DeletionPolicy and UpdateReplacePolicy to Retain (CDK: removalPolicy: RemovalPolicy.RETAIN)`);
  }
  const up = r.updateReplacePolicy ?? defaultPolicy;
  if (up === 'Delete' && dp !== 'Delete') {
    out.push(`UpdateReplacePolicy is ${r.updateReplacePolicy ? 'Delete' : 'absent (Delete)'}: a change that replaces the resource deletes the old data; set it to Retain`);
  }
  return out;
}

/** What a region (or account) failover leaves out of its RTO: no cloud publishes a bound for these. */
export const FAILOVER_UNBOUNDED_STEPS = 'detection and DNS not bounded';

/** The same, in a basis sentence. */
export const FAILOVER_UNBOUNDED_BASIS = 'detecting the outage and switching clients (DNS or configuration) have no published bound';

/**
 * The RTO of a failover to a live copy in another region (or account): the documented step
 * (promotion, or nothing to promote) is a lower bound, since detecting the outage and switching
 * traffic (DNS or client configuration) have no published bound. Estimated, never documented.
 *
 * @param step the counted step, for people (`promotion`, `nothing to promote`)
 * @param seconds the step's duration
 * @param kind how the step's duration is established
 */
export function failoverRto(step: string, seconds: number, kind: string): Pick<Coverage, 'rtoSeconds' | 'rtoKind' | 'rtoIsLowerBound' | 'rtoNote'> {
  return {
    rtoSeconds: seconds,
    rtoKind: BoundKind.ESTIMATED,
    rtoIsLowerBound: true,
    rtoNote: `${step}${seconds === 0 ? ',' : ''} ${formatSeconds(seconds)} ${kind}; ${FAILOVER_UNBOUNDED_STEPS}`,
  };
}
