// The StackSet settings of the organization member baseline, shared by the CDK and Pulumi
// constructs: deployment targets, regions, operation preferences and their documented rules.
import { Facts } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { OrganizationPolicyPlan } from './policy';

/** How the member-baseline StackSet deploys. */
export interface OrganizationStackSetOptions {
  /** The OUs (or the root) whose accounts get the baseline, now and as accounts join (auto-deployment). */
  readonly organizationalUnitIds: string[];
  /**
   * Name of the StackSet.
   * @default 'drkit-org-backup-baseline'
   */
  readonly stackSetName?: string;
  /**
   * Accounts per region whose stack operation may fail before CloudFormation stops in that region.
   * @default - failureTolerancePercentage applies
   */
  readonly failureToleranceCount?: number;
  /**
   * Percentage of accounts per region whose stack operation may fail (rounded down).
   * @default 10 (when failureToleranceCount is not given)
   */
  readonly failureTolerancePercentage?: number;
  /**
   * Accounts deployed at a time.
   * @default - maxConcurrentPercentage applies
   */
  readonly maxConcurrentCount?: number;
  /**
   * Percentage of accounts deployed at a time.
   * @default 25 (when maxConcurrentCount is not given)
   */
  readonly maxConcurrentPercentage?: number;
  /**
   * `PARALLEL` or `SEQUENTIAL` deployment across regions.
   * @default 'PARALLEL'
   */
  readonly regionConcurrencyType?: string;
  /**
   * Keep the stack (vault, key, roles) in an account that leaves the target OUs.
   * @default true (the vault holds recovery points)
   */
  readonly retainStacksOnAccountRemoval?: boolean;
  /**
   * `SELF` in the management account, `DELEGATED_ADMIN` in a delegated administrator for StackSets.
   * @default 'SELF'
   */
  readonly callAs?: string;
  /**
   * Name of the restore-testing role in every member account.
   * @default OrganizationDefaults.RESTORE_TESTING_ROLE_NAME
   */
  readonly restoreTestingRoleName?: string;
}

/** The resolved StackSet settings. @internal */
export interface StackSetSettings {
  readonly stackSetName: string;
  readonly regions: string[];
  readonly failureToleranceCount?: number;
  readonly failureTolerancePercentage?: number;
  readonly maxConcurrentCount?: number;
  readonly maxConcurrentPercentage?: number;
  readonly regionConcurrencyType: string;
  readonly retainStacksOnAccountRemoval: boolean;
  readonly callAs: string;
}

const PREFS_SOURCE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html';

/** Resolves and checks the StackSet settings (DRK104, DRK106). @internal */
export function stackSetSettings(o: OrganizationStackSetOptions, plan: OrganizationPolicyPlan, where: string): StackSetSettings {
  const ous = o.organizationalUnitIds ?? [];
  if (ous.length === 0) {
    throw new DrkitError(DrkitErrorCode.ORG_TARGET, `${where}: \`organizationalUnitIds\` is empty: give the OUs (or the root) whose accounts need the vault and role of the backup policy`);
  }
  if (ous.length > Facts.STACKSET_OUS_PER_OPERATION) {
    throw new DrkitError(DrkitErrorCode.ORG_TARGET,
      `${where}: \`organizationalUnitIds\` lists ${ous.length} OUs: ${Facts.STACKSET_OUS_PER_OPERATION_FACT.statement} (${Facts.STACKSET_OUS_PER_OPERATION_FACT.source}); target a parent OU that contains them`);
  }
  const both = (a?: number, b?: number) => a !== undefined && b !== undefined;
  if (both(o.failureToleranceCount, o.failureTolerancePercentage)) {
    throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS,
      `${where}: both \`failureToleranceCount\` and \`failureTolerancePercentage\` are given: "You must specify either FailureToleranceCount or FailureTolerancePercentage, but not both" (${PREFS_SOURCE})`);
  }
  if (both(o.maxConcurrentCount, o.maxConcurrentPercentage)) {
    throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS,
      `${where}: both \`maxConcurrentCount\` and \`maxConcurrentPercentage\` are given: "You must specify either MaxConcurrentCount or MaxConcurrentPercentage, but not both" (${PREFS_SOURCE})`);
  }
  for (const [k, v] of [['failureTolerancePercentage', o.failureTolerancePercentage], ['maxConcurrentPercentage', o.maxConcurrentPercentage]] as Array<[string, number | undefined]>) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 100)) {
      throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS, `${where}: \`${k}\` must be a whole percentage from 0 to 100, but got ${v} (${PREFS_SOURCE})`);
    }
  }
  for (const [k, v] of [['failureToleranceCount', o.failureToleranceCount], ['maxConcurrentCount', o.maxConcurrentCount]] as Array<[string, number | undefined]>) {
    if (v !== undefined && (!Number.isInteger(v) || v < (k === 'maxConcurrentCount' ? 1 : 0))) {
      throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS, `${where}: \`${k}\` must be a whole number${k === 'maxConcurrentCount' ? ' of at least 1' : ' of at least 0'}, but got ${v} (${PREFS_SOURCE})`);
    }
  }
  const region = o.regionConcurrencyType ?? 'PARALLEL';
  if (region !== 'PARALLEL' && region !== 'SEQUENTIAL') {
    throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS, `${where}: \`regionConcurrencyType\` must be PARALLEL or SEQUENTIAL, but got ${JSON.stringify(region)} (${PREFS_SOURCE})`);
  }
  const callAs = o.callAs ?? 'SELF';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN') {
    throw new DrkitError(DrkitErrorCode.ORG_STACKSET_OPTIONS, `${where}: \`callAs\` must be SELF or DELEGATED_ADMIN, but got ${JSON.stringify(callAs)}`);
  }
  return {
    stackSetName: o.stackSetName ?? 'drkit-org-backup-baseline',
    regions: [...plan.memberRegions],
    failureToleranceCount: o.failureToleranceCount,
    failureTolerancePercentage: o.failureToleranceCount === undefined ? (o.failureTolerancePercentage ?? 10) : undefined,
    maxConcurrentCount: o.maxConcurrentCount,
    maxConcurrentPercentage: o.maxConcurrentCount === undefined ? (o.maxConcurrentPercentage ?? 25) : undefined,
    regionConcurrencyType: region,
    retainStacksOnAccountRemoval: o.retainStacksOnAccountRemoval ?? true,
    callAs,
  };
}
