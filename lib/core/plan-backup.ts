// Engine-neutral planning of the shared AWS Backup foundation of one objective: the
// schedule of every resource kind, the merge of several resources' rules and vault locks
// into one plan, and the evidence (restore tests, audit controls, job-failure events)
// derived from the objective. Used by the CDK constructs and the Pulumi components alike.
import { BoundKind, Facts, Mechanism } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { scheduleFireMinutes } from './evaluate/schedule';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from './objective';
import { Period } from './period';
import {
  AchievedTarget, BackupRulePlan, checkPlanRegions, checkRto, gfsRules, PlanContext, Planner, ProtectionPlan, ResourceKind, rtoCandidate,
  VaultPlan, vaultPlanFor,
} from './plan';

/**
 * Plans AWS Backup protection of an S3 bucket, an RDS instance or Aurora cluster, an EFS file
 * system or an EBS volume against an objective: the same grandfather-father-son rules, start
 * and completion windows, cold storage and copies as `Planner.dynamoDbTable` (so resources of
 * one objective share rules in one plan), with the schedule tightened to every RPO that the
 * scheduled backups must carry for that kind:
 *
 * - S3: data corruption is carried by versioning (prior versions, RPO 0), the AZ outage by
 *   S3's multi-AZ storage; snapshots carry region outage and account compromise.
 * - RDS / Aurora: data corruption and AZ outage are carried by the automated backups'
 *   point-in-time recovery (5-minute floor) kept for the point-in-time window.
 * - EFS / EBS: snapshots carry every disruption (an EBS volume lives in one AZ).
 *
 * Pure and engine-neutral: the CDK `ProtectedScope` and the Pulumi `BackupFoundation` render
 * the same plan from it.
 *
 * @internal
 */
export function planBackupResource(objective: RecoveryObjective, kind: ResourceKind, context: PlanContext): ProtectionPlan {
  const name = context.resourceName;
  const title = kindTitle(kind);
  const o = objective;
  checkPlanRegions(context, `${title} ${name}`);
  const startHours = Facts.BACKUP_MIN_START_WINDOW.toHours();
  const snapshotCarries = (d: Disruption): boolean => {
    switch (kind) {
      case ResourceKind.S3_BUCKET: return d === Disruption.REGION_OUTAGE || d === Disruption.ACCOUNT_COMPROMISE;
      case ResourceKind.RDS_INSTANCE:
      case ResourceKind.RDS_CLUSTER: return d === Disruption.REGION_OUTAGE || d === Disruption.ACCOUNT_COMPROMISE;
      default: return true;
    }
  };

  if ((kind === ResourceKind.RDS_INSTANCE || kind === ResourceKind.RDS_CLUSTER) && o.covers(Disruption.DATA_CORRUPTION)) {
    const t = o.targetFor(Disruption.DATA_CORRUPTION);
    const floor = Mechanism.RDS_PITR.rpo.value!;
    if (t.rpo.isShorterThan(floor)) {
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(Disruption.DATA_CORRUPTION)} cannot be met for ${title} ${name} (objective "${o.name}"): ${Mechanism.RDS_PITR.title} is the tightest mechanism for it and ${Mechanism.RDS_PITR.rpo.statement}, so its floor is ${floor.toHuman()} (${Mechanism.RDS_PITR.rpo.source}). Raise the rpo to at least ${floor.toHuman()}`);
    }
  }

  let copyRegion: string | undefined;
  if (o.covers(Disruption.REGION_OUTAGE)) {
    copyRegion = context.secondaryRegion;
    if (!copyRegion) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `region outage is among the disruptions for ${title} ${name}, but no secondary region is given: set \`secondaryRegion\` (for example "us-west-2") or remove Disruption.REGION_OUTAGE`);
    }
    if (context.region && copyRegion === context.region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` "${copyRegion}" is the region ${title} ${name} is in: a copy in the same region does not survive a region outage; choose another region`);
    }
  }
  let copyAccount: string | undefined;
  if (o.covers(Disruption.ACCOUNT_COMPROMISE)) {
    copyAccount = context.backupAccount;
    if (!copyAccount) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${title} ${name}, but no \`backupAccount\` is given: a backup in the same account does not survive its compromise; set \`backupAccount\` to the account that receives copies, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
  }

  // The interval: the user's, else the longest standard interval meeting every RPO the
  // snapshots carry, else daily.
  let interval = 24;
  let binding: { rpo: Period; disruption: Disruption } | undefined;
  for (const t of o.targets) {
    if (!snapshotCarries(t.disruption)) continue;
    const fit = Planner.intervalFor(t.rpo);
    if (fit === undefined) {
      const floor = Facts.BACKUP_MIN_INTERVAL.plus(Facts.BACKUP_MIN_START_WINDOW);
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${title} ${name} (objective "${o.name}") by AWS Backup: the shortest schedule is hourly and a job may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window), so the worst case is at least ${floor.toHuman()} (${Facts.BACKUP_PLAN_SOURCE}); raise the ${disruptionTitle(t.disruption)} rpo to at least ${floor.toHuman()} with \`perDisruption\`, or exclude the ${title} with a reason and protect it another way`);
    }
    if (fit < interval) {
      interval = fit;
      binding = { rpo: t.rpo, disruption: t.disruption };
    }
  }
  if (o.backupInterval) {
    const asked = Math.max(1, Math.round(o.backupInterval.toHours()));
    if (binding && asked + startHours > binding.rpo.toHours()) {
      throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
        `\`backupInterval\` ${o.backupInterval.toHuman()} cannot meet \`rpo\` ${binding.rpo.toHuman()} against ${disruptionTitle(binding.disruption)} for ${title} ${name}: a backup every ${o.backupInterval.toHuman()} that may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window, ${Facts.BACKUP_PLAN_SOURCE}) can lose up to ${Period.hours(asked + startHours).toHuman()}; back up every ${interval} hour(s) or less`);
    }
    interval = asked;
  }

  // The RTO: what the mechanisms that serve each disruption document about recovering.
  const advisories: string[] = [];
  const what = `${title} ${name}`;
  const rds = kind === ResourceKind.RDS_INSTANCE || kind === ResourceKind.RDS_CLUSTER;
  const local = kind === ResourceKind.S3_BUCKET ? Mechanism.S3_VERSIONING : rds ? Mechanism.RDS_PITR : Mechanism.AWS_BACKUP;
  checkRto(o, Disruption.DATA_CORRUPTION, [rtoCandidate(local)], what, advisories);
  if (!rds && kind !== ResourceKind.S3_BUCKET) checkRto(o, Disruption.AZ_OUTAGE, [rtoCandidate(Mechanism.AWS_BACKUP)], what, advisories);
  checkRto(o, Disruption.REGION_OUTAGE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_REGION_COPY)], what, advisories);
  checkRto(o, Disruption.ACCOUNT_COMPROMISE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY)], what, advisories);

  const rules = gfsRules(o, interval, copyRegion, copyAccount);
  const achieved: AchievedTarget[] = o.targets.map(t => {
    if (!snapshotCarries(t.disruption)) {
      if (kind === ResourceKind.S3_BUCKET) {
        return t.disruption === Disruption.DATA_CORRUPTION
          ? target(t.disruption, Facts.S3_VERSIONING.value?.totalSeconds ?? 0, Facts.S3_VERSIONING.kind, [Mechanism.S3_VERSIONING.id], `${Facts.S3_VERSIONING.statement} (${Facts.S3_VERSIONING.source})`)
          : target(t.disruption, 0, BoundKind.DOCUMENTED, [Mechanism.AWS_BACKUP.id], 'S3 stores objects redundantly across at least three Availability Zones');
      }
      const pitr = kind === ResourceKind.RDS_CLUSTER ? Facts.AURORA_PITR_RPO : Facts.RDS_PITR_RPO;
      return target(t.disruption, pitr.value!.totalSeconds, pitr.kind, [Mechanism.RDS_PITR.id],
        `automated backups kept ${Math.min(o.retention.pointInTimeDays, Facts.RDS_BACKUP_MAX_DAYS)} days: ${pitr.statement} (${pitr.source})`);
    }
    const mech = t.disruption === Disruption.REGION_OUTAGE ? Mechanism.AWS_BACKUP_CROSS_REGION_COPY
      : t.disruption === Disruption.ACCOUNT_COMPROMISE ? Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY : Mechanism.AWS_BACKUP;
    const worst = Period.hours(interval).plus(Facts.BACKUP_MIN_START_WINDOW);
    const copy = mech !== Mechanism.AWS_BACKUP;
    return {
      ...target(t.disruption, worst.totalSeconds, BoundKind.ESTIMATED, [mech.id],
        `${copy ? 'at least ' : ''}backup every ${interval}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}${copy ? `, copied to ${t.disruption === Disruption.REGION_OUTAGE ? copyRegion : copyAccount}; ${Facts.BACKUP_COPY_TIME.statement}` : ''} (${Facts.BACKUP_PLAN_SOURCE}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`),
      rpoIsLowerBound: copy ? true : undefined,
    };
  });

  return {
    kind,
    resourceName: name,
    pointInTimeRecoveryDays: rds ? Math.max(1, Math.min(o.retention.pointInTimeDays, Facts.RDS_BACKUP_MAX_DAYS)) : undefined,
    deletionProtection: rds,
    backupRules: rules,
    vault: vaultPlanFor(o, rules),
    copyRegion,
    copyAccount,
    achieved,
    advisories,
  };
}

function target(disruption: Disruption, rpoSeconds: number, rpoKind: string, mechanisms: string[], basis: string): AchievedTarget {
  return { disruption, rpoSeconds, rpoKind, rtoKind: BoundKind.NONE, mechanisms, basis };
}


/** Human name of a kind, for messages. @internal */
export function kindTitle(kind: ResourceKind): string {
  switch (kind) {
    case ResourceKind.DYNAMODB_TABLE: return 'table';
    case ResourceKind.S3_BUCKET: return 'bucket';
    case ResourceKind.RDS_INSTANCE: return 'database instance';
    case ResourceKind.RDS_CLUSTER: return 'database cluster';
    case ResourceKind.EFS_FILE_SYSTEM: return 'file system';
    case ResourceKind.EBS_VOLUME: return 'volume';
  }
}

/** The name AWS Backup gives a resource kind (restore-testing selections, audit control scopes). @internal */
export function backupResourceType(kind: ResourceKind): string {
  switch (kind) {
    case ResourceKind.DYNAMODB_TABLE: return 'DynamoDB';
    case ResourceKind.S3_BUCKET: return 'S3';
    case ResourceKind.RDS_INSTANCE: return 'RDS';
    case ResourceKind.RDS_CLUSTER: return 'Aurora';
    case ResourceKind.EFS_FILE_SYSTEM: return 'EFS';
    case ResourceKind.EBS_VOLUME: return 'EBS';
  }
}

/**
 * The rules of one shared plan from the rules of every resource it protects, in order:
 * identical rules once; a rule whose name is taken with other settings (for example a
 * replicated table keeps daily points longer) under the name plus its retention
 * (`Daily35d`), so no resource gets less than its own plan. The same merge as the CDK
 * `ObjectiveBackup`.
 *
 * @internal
 */
export function mergeBackupRules(rules: BackupRulePlan[]): BackupRulePlan[] {
  const byName = new Map<string, string>();
  const merged: BackupRulePlan[] = [];
  for (const rule of rules) {
    const name = mergeBackupRule(byName, rule);
    if (name !== undefined) merged.push({ ...rule, name });
  }
  return merged;
}

/**
 * One step of `mergeBackupRules`, for a plan that receives its rules one at a time (the CDK
 * `ObjectiveBackup`): the name `rule` takes in the shared plan, recorded in `byName` (rule
 * name to the JSON of the rule), or undefined when an identical rule is already there.
 *
 * @internal
 */
export function mergeBackupRule(byName: Map<string, string>, rule: BackupRulePlan): string | undefined {
  const json = JSON.stringify(rule);
  for (const existing of byName.values()) if (existing === json) return undefined;
  // Same rule name with other settings (for example a replicated table keeps daily points
  // longer): keep both, under distinct names, so no resource gets less than its plan.
  const name = byName.has(rule.name) ? `${rule.name}${rule.deleteAfterDays}d` : rule.name;
  byName.set(name, json);
  return name;
}

/**
 * The rules of one resource without those another of its rules already covers: a snapshot rule
 * is dropped when another snapshot rule fires at every time it fires (and more often) and keeps
 * its points exactly as long, with the same cold storage and the same copies (today a `Daily`
 * rule at 05:00 kept as long as an `Every6h` rule that also runs at 05:00). AWS Backup would
 * otherwise schedule two jobs for the same resource at the same time, one of which adds nothing.
 * The completion window of the rule kept applies (see `completionWindowBasis`).
 *
 * @internal
 */
export function withoutRedundantRules(rules: BackupRulePlan[]): BackupRulePlan[] {
  const fires = rules.map(r => (r.enableContinuousBackup ? undefined : scheduleFireMinutes(r.scheduleExpression)));
  const keeps = rules.map(r => JSON.stringify([r.deleteAfterDays, r.moveToColdStorageAfterDays ?? null, r.copies]));
  const sets = new Map<number, Set<number>>();
  const setOf = (j: number) => sets.get(j) ?? sets.set(j, new Set(fires[j])).get(j)!;
  return rules.filter((_rule, i) => {
    const mine = fires[i];
    if (mine === undefined) return true;
    return !rules.some((_other, j) => {
      const theirs = fires[j];
      if (j === i || theirs === undefined || keeps[j] !== keeps[i]) return false;
      if (theirs.length < mine.length || (theirs.length === mine.length && j > i)) return false;
      const set = setOf(j);
      return mine.every(t => set.has(t));
    });
  });
}

/**
 * Why a rule's completion window is what it is (for comments, docs and the report): its
 * interval, at least the start window plus an hour, at most AWS Backup's 7-day default. The
 * first backup of a resource is a full copy (`Facts.BACKUP_FIRST_BACKUP_FULL`) and AWS
 * publishes no backup duration, so no window can be shown to fit every first backup: the
 * interval is the longest window that does not run into the rule's next job of the same
 * resource; the daily, weekly, monthly and yearly rules give 24 hours and 7 days.
 *
 * @internal
 */
export function completionWindowBasis(rule: BackupRulePlan): string {
  const hours = rule.completionWindowMinutes / 60;
  return `completion window ${hours} hours (${rule.intervalHours}-hour interval, at least the start window plus an hour, at most AWS Backup's 7-day default): ${Facts.BACKUP_FIRST_BACKUP_FULL.statement} (${Facts.BACKUP_FIRST_BACKUP_FULL.source}); a job still running at the end of the window is canceled (${Facts.BACKUP_COMPLETION_WINDOW.source}). When a resource's first full backup needs longer, start it once on demand with a longer window (aws backup start-backup-job --complete-window-minutes 10080 ...) before the schedule takes over`;
}

/** The Vault Lock settings of a shared vault. @internal */
export interface MergedVaultLock {
  readonly minRetentionDays: number;
  readonly maxRetentionDays?: number;
  readonly changeableForDays?: number;
}

/**
 * The Vault Lock covering every resource's vault plan (shortest minimum, longest maximum,
 * longest cooling-off), or undefined when none locks. The same merge as the CDK `ObjectiveBackup`.
 *
 * @internal
 */
export function mergeVaultLocks(vaults: VaultPlan[]): MergedVaultLock | undefined {
  const locked = vaults.filter(v => v.lock !== Immutability.NONE);
  if (locked.length === 0) return undefined;
  const mins = locked.map(v => v.minRetentionDays).filter((x): x is number => x !== undefined);
  const maxs = locked.map(v => v.maxRetentionDays).filter((x): x is number => x !== undefined);
  const changeable = locked.map(v => v.changeableForDays).filter((x): x is number => x !== undefined);
  return {
    minRetentionDays: mins.length ? Math.min(...mins) : 1,
    maxRetentionDays: maxs.length ? Math.max(...maxs) : undefined,
    changeableForDays: changeable.length ? Math.max(...changeable) : undefined,
  };
}

function shortest(periods: Period[]): Period {
  return periods.reduce((a, b) => (b.isShorterThan(a) ? b : a));
}

/**
 * The RPO recovery points in the local vault must meet: the tightest among the in-region
 * disruptions (data corruption, AZ outage), else the objective's `rpo`.
 *
 * @internal
 */
export function localRpo(objective: RecoveryObjective): Period {
  const local = objective.targets.filter(t => t.disruption === Disruption.DATA_CORRUPTION || t.disruption === Disruption.AZ_OUTAGE);
  return local.length ? shortest(local.map(t => t.rpo)) : objective.rpo;
}

/**
 * The RTO a restore job must meet: the tightest among the disruptions recovered by a restore
 * (an AZ outage counts only when it is the sole disruption).
 *
 * @internal
 */
export function restoreRto(objective: RecoveryObjective): Period {
  const restored = objective.targets.filter(t => t.disruption !== Disruption.AZ_OUTAGE);
  const list = restored.length ? restored : objective.targets;
  return shortest(list.map(t => t.rto));
}

/** The tightest RPO and RTO over every disruption in scope. @internal */
export function tightestTargets(objective: RecoveryObjective): { rpo: Period; rto: Period } {
  const ts = objective.targets;
  return { rpo: shortest(ts.map(t => t.rpo)), rto: shortest(ts.map(t => t.rto)) };
}

/** Restore tests start at 09:00 UTC, after the daily backups (05:00 UTC) have had time to finish. */
const RESTORE_TEST_WEEKLY = 'cron(0 9 ? * WED *)';
const RESTORE_TEST_MONTHLY = 'cron(0 9 8 * ? *)';
/** Default restore-test start window (hours) and validation window (hours). */
const RESTORE_TEST_START_WINDOW_HOURS = 24;
const RESTORE_TEST_VALIDATION_WINDOW_HOURS = 1;

/** The restore-testing plan derived from an objective (the CDK `RestoreTesting` defaults). @internal */
export interface RestoreTestingDerivation {
  /** `weekly` when the tightest RPO or RTO is under a day, else `monthly`. */
  readonly frequency: string;
  readonly scheduleExpression: string;
  readonly startWindowHours: number;
  readonly validationWindowHours: number;
  readonly selectionWindowDays: number;
  readonly algorithm: string;
  readonly recoveryPointTypes: string[];
}

/**
 * The restore-testing schedule and windows of an objective: weekly (Wednesdays 09:00 UTC)
 * when its tightest RPO or RTO is under a day, else monthly (the 8th, 09:00 UTC); start
 * window 24 hours; validation window 1 hour; recovery points from the last tightest-RPO
 * days (at least 1), latest first, continuous or snapshot.
 *
 * @param where what to name in error messages, for example `BackupFoundation app`
 * @internal
 */
export function deriveRestoreTesting(objective: RecoveryObjective, where: string): RestoreTestingDerivation {
  const t = tightestTargets(objective);
  const weekly = restoreTestsWeekly(objective);
  const selectionWindowDays = restoreTestSelectionDays(objective);
  if (selectionWindowDays > Facts.RESTORE_TESTING_MAX_SELECTION_DAYS) {
    throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
      `${where}: the recovery point selection window must be 1 to ${Facts.RESTORE_TESTING_MAX_SELECTION_DAYS} days (SelectionWindowDays, ${Facts.RESTORE_TESTING_SOURCE}), but the rpo ${t.rpo.toHuman()} of objective "${objective.name}" gives ${selectionWindowDays} days: lower the rpo or turn restore testing off`);
  }
  return {
    frequency: weekly ? 'weekly' : 'monthly',
    scheduleExpression: restoreTestSchedule(weekly),
    startWindowHours: RESTORE_TEST_START_WINDOW_HOURS,
    validationWindowHours: RESTORE_TEST_VALIDATION_WINDOW_HOURS,
    selectionWindowDays,
    algorithm: 'LATEST_WITHIN_WINDOW',
    recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
  };
}

/** Whether restore tests of an objective run weekly: its tightest RPO or RTO is under a day (else monthly). @internal */
export function restoreTestsWeekly(objective: RecoveryObjective): boolean {
  const t = tightestTargets(objective);
  const day = Period.days(1);
  return t.rpo.isShorterThan(day) || t.rto.isShorterThan(day);
}

/** The cron expression (UTC) of weekly (Wednesdays 09:00) or monthly (the 8th, 09:00) restore tests. @internal */
export function restoreTestSchedule(weekly: boolean): string {
  return weekly ? RESTORE_TEST_WEEKLY : RESTORE_TEST_MONTHLY;
}

/** The default restore-test start window and validation window, in hours. @internal */
export function restoreTestDefaultWindowHours(): { start: number; validation: number } {
  return { start: RESTORE_TEST_START_WINDOW_HOURS, validation: RESTORE_TEST_VALIDATION_WINDOW_HOURS };
}

/** The default restore-test selection window: the tightest RPO rounded up to whole days, at least 1. @internal */
export function restoreTestSelectionDays(objective: RecoveryObjective): number {
  return Math.max(1, Math.ceil(tightestTargets(objective).rpo.toDays()));
}

/** The name of the restore-testing selection of a resource type (`drkit_dynamodb`). @internal */
export function restoreTestingSelectionName(resourceType: string): string {
  return `drkit_${resourceType.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** One parameter of an audit control. @internal */
export interface AuditControlParameter {
  readonly name: string;
  readonly value: string;
}

/** One Backup Audit Manager control derived from an objective. @internal */
export interface AuditControlPlan {
  readonly name: string;
  readonly parameters: AuditControlParameter[];
  /** Whether the control is scoped to the protected resource types. */
  readonly scoped: boolean;
}

/** What the audit controls are derived from besides the objective. @internal */
export interface AuditFrameworkInputs {
  readonly copyRegions: string[];
  readonly copyAccounts: string[];
  /** Interval of the plan's most frequent snapshot rule, in hours (undefined: from the objective). */
  readonly backupFrequencyHours?: number;
  /** Retention of that rule, in days (undefined: from the objective). */
  readonly requiredRetentionDays?: number;
  readonly lockMinRetentionDays?: number;
  readonly lockMaxRetentionDays?: number;
  /**
   * The recovery point age BACKUP_LAST_RECOVERY_POINT_CREATED checks, in whole hours: the
   * plan's longest gap between scheduled recovery points plus the start and completion windows
   * (undefined: from the objective's RPO).
   */
  readonly recoveryPointAgeHours?: number;
}

/**
 * The recovery point age a plan's snapshot rules guarantee, in whole hours (rounded up): the
 * longest time from one scheduled recovery point to the moment the next one exists, which is
 * the gap between their scheduled times plus the next job's start and completion windows (when
 * rules fire together, the shortest windows). Undefined when the plan has no snapshot rule or a
 * schedule cannot be read.
 *
 * @internal
 */
export function planRecoveryPointAge(rules: BackupRulePlan[]): number | undefined {
  const windowAt = new Map<number, number>();
  for (const r of rules.filter(x => !x.enableContinuousBackup)) {
    const times = scheduleFireMinutes(r.scheduleExpression);
    if (!times) return undefined;
    const window = r.startWindowMinutes + r.completionWindowMinutes;
    for (const t of times) windowAt.set(t, Math.min(windowAt.get(t) ?? Infinity, window));
  }
  const times = [...windowAt.keys()].sort((a, b) => a - b);
  if (times.length < 2) return undefined;
  let worst = 0;
  for (let i = 1; i < times.length; i++) worst = Math.max(worst, times[i] - times[i - 1] + windowAt.get(times[i])!);
  return Math.ceil(worst / 60);
}

/** The audit controls, and notes on what a control cannot see. @internal */
export interface AuditFrameworkDerivation {
  readonly controls: AuditControlPlan[];
  readonly notes: string[];
}

/**
 * The framework inputs of a shared plan, as the CDK `ObjectiveBackup` derives them: the
 * interval of the most frequent snapshot rule, the longest retention among the rules at that
 * interval, and the merged lock's minimum and maximum.
 *
 * @internal
 */
export function auditInputsFromPlan(
  rules: BackupRulePlan[], lock: MergedVaultLock | undefined, copyRegions: string[], copyAccounts: string[],
): AuditFrameworkInputs {
  const snapshots = rules.filter(r => !r.enableContinuousBackup);
  const minInterval = Math.min(...snapshots.map(r => r.intervalHours));
  const atMinInterval = snapshots.filter(r => r.intervalHours === minInterval);
  const age = planRecoveryPointAge(rules);
  return {
    copyRegions,
    copyAccounts,
    backupFrequencyHours: snapshots.length ? minInterval : undefined,
    requiredRetentionDays: snapshots.length ? Math.max(...atMinInterval.map(r => r.deleteAfterDays)) : undefined,
    lockMinRetentionDays: lock?.minRetentionDays,
    lockMaxRetentionDays: lock?.maxRetentionDays ?? lock?.minRetentionDays,
    // The control accepts at most 31 days: a plan whose only snapshots are monthly is checked at that.
    recoveryPointAgeHours: age === undefined ? undefined : Math.min(age, Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS),
  };
}

/**
 * The Backup Audit Manager controls of an objective, with the same names, parameters and
 * scopes as the CDK `BackupAuditFramework`: last recovery point within the local RPO, plan
 * frequency and retention, encrypted recovery points, Vault Lock (with immutability), cross-region
 * (region outage) and cross-account (account compromise) copies, restore time within the RTO.
 *
 * @param where what to name in error messages
 * @internal
 */
export function deriveAuditControls(objective: RecoveryObjective, inputs: AuditFrameworkInputs, where: string): AuditFrameworkDerivation {
  const o = objective;
  const notes: string[] = [];
  const controls: AuditControlPlan[] = [];
  const p = (name: string, value: string | number): AuditControlParameter => ({ name, value: String(value) });

  // Last recovery point: what the plan's schedule guarantees (its longest gap between scheduled
  // recovery points plus the start and completion windows), else the local RPO; whole hours, or
  // whole days when that is whole days.
  const rpo = localRpo(o);
  const fromPlan = inputs.recoveryPointAgeHours;
  const ageHours = fromPlan ?? recoveryPointAgeHours(o);
  if (ageHours > Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS) {
    throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE, fromPlan !== undefined
      ? `${where}: the backup plan's recovery points can be ${Period.hours(ageHours).toHuman()} apart (its longest gap between scheduled points plus the start and completion windows), which BACKUP_LAST_RECOVERY_POINT_CREATED cannot check: its recovery point age accepts at most ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS} hours or ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days (${Facts.AUDIT_CONTROLS_SOURCE}); back up more often`
      : `${where}: \`rpo\` ${rpo.toHuman()} of objective "${o.name}" cannot be checked by BACKUP_LAST_RECOVERY_POINT_CREATED: its recovery point age accepts at most ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS} hours or ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days (${Facts.AUDIT_CONTROLS_SOURCE}); lower the rpo to ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days or less`);
  }
  if (fromPlan !== undefined) {
    // The age is what the schedule guarantees; the report compares it with the RPO.
    if (ageHours === Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS) {
      notes.push(`BACKUP_LAST_RECOVERY_POINT_CREATED accepts at most ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days (${Facts.AUDIT_CONTROLS_SOURCE}): the backup plan's recovery points can be further apart, so the control may report a resource non-compliant near the end of a cycle; back up more often to avoid it`);
    }
  } else if (ageHours * 3600 !== rpo.totalSeconds) {
    notes.push(`BACKUP_LAST_RECOVERY_POINT_CREATED checks recovery point age in whole hours, so the rpo ${rpo.toHuman()} is checked as ${Period.hours(ageHours).toHuman()}: the control cannot see the difference; continuous backup or point-in-time recovery must cover it`);
  }
  controls.push({
    name: 'BACKUP_LAST_RECOVERY_POINT_CREATED',
    parameters: recoveryPointAgeParameters(ageHours),
    scoped: true,
  });

  // Plan frequency and retention.
  let frequencyHours: number;
  if (inputs.backupFrequencyHours !== undefined) frequencyHours = Math.ceil(inputs.backupFrequencyHours);
  else frequencyHours = Math.ceil(defaultAuditFrequency(o).toHours());
  if (frequencyHours < 1) {
    throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
      `${where}: a backup every ${frequencyHours} hours is below the hourly minimum of BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK (${Facts.AUDIT_CONFIG_RULE_SOURCE}): use 1 hour or more`);
  }
  const frequency = requiredFrequencyParameters(frequencyHours);
  if (frequency === undefined) {
    throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
      `${where}: a backup every ${frequencyHours} hours cannot be checked by BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: its required frequency accepts at most ${Facts.AUDIT_PLAN_FREQUENCY_MAX_HOURS} hours or ${Facts.AUDIT_PLAN_FREQUENCY_MAX_DAYS} days (${Facts.AUDIT_CONFIG_RULE_SOURCE}); back up at least every ${Facts.AUDIT_PLAN_FREQUENCY_MAX_DAYS} days`);
  }
  const retention = inputs.requiredRetentionDays ?? defaultRequiredRetentionDays(o, frequencyHours);
  controls.push({
    name: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    parameters: [...frequency, p('requiredRetentionDays', retention)],
    scoped: false,
  });

  controls.push({ name: 'BACKUP_RECOVERY_POINT_ENCRYPTED', parameters: [], scoped: false });

  if (o.immutability !== Immutability.NONE) {
    const defaults = defaultLockRetentionDays(o);
    const min = inputs.lockMinRetentionDays ?? defaults.min;
    const max = inputs.lockMaxRetentionDays ?? defaults.max;
    controls.push({
      name: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
      parameters: [p('minRetentionDays', min), p('maxRetentionDays', max)],
      scoped: true,
    });
  }
  if (o.covers(Disruption.REGION_OUTAGE)) {
    if (inputs.copyRegions.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${where}: region outage is among the disruptions of objective "${o.name}", but no copy region is given, so the cross-region control has nothing to check: set \`secondaryRegion\`, for example "us-west-2"`);
    }
    controls.push({ name: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', parameters: [p('crossRegionList', inputs.copyRegions.join(','))], scoped: true });
  }
  if (o.covers(Disruption.ACCOUNT_COMPROMISE)) {
    if (inputs.copyAccounts.length === 0) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `${where}: account compromise is among the disruptions of objective "${o.name}", but no copy account is given, so the cross-account control has nothing to check: set \`backupAccount\`, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    controls.push({ name: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT', parameters: [p('crossAccountList', inputs.copyAccounts.join(','))], scoped: true });
  }
  controls.push({
    name: 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
    parameters: [p('maxRestoreTime', maxRestoreMinutes(o))],
    scoped: true,
  });
  return { controls, notes };
}

/** The recovery point age BACKUP_LAST_RECOVERY_POINT_CREATED checks: the local RPO rounded up to whole hours, at least 1. @internal */
export function recoveryPointAgeHours(objective: RecoveryObjective): number {
  return Math.max(1, Math.ceil(localRpo(objective).toHours()));
}

/** `recoveryPointAgeUnit`/`Value`: whole days when the age is whole days, else hours. @internal */
export function recoveryPointAgeParameters(ageHours: number): AuditControlParameter[] {
  return ageHours % 24 === 0
    ? [{ name: 'recoveryPointAgeUnit', value: 'days' }, { name: 'recoveryPointAgeValue', value: String(ageHours / 24) }]
    : [{ name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: String(ageHours) }];
}

/**
 * The backup frequency the plan control requires when the plan's is not given: the
 * objective's backup interval, else the longest standard interval meeting the local RPO, at
 * least hourly and at most daily.
 *
 * @internal
 */
export function defaultAuditFrequency(objective: RecoveryObjective): Period {
  if (objective.backupInterval) return objective.backupInterval;
  return Period.hours(Math.min(24, Planner.intervalFor(localRpo(objective)) ?? 1));
}

/**
 * `requiredFrequencyUnit`/`Value` of a backup every `hours` (whole hours, at least 1): hours
 * below the control's hourly maximum, else whole days; undefined beyond its maximum in days.
 *
 * @internal
 */
export function requiredFrequencyParameters(hours: number): AuditControlParameter[] | undefined {
  if (hours < Facts.AUDIT_PLAN_FREQUENCY_MAX_HOURS) {
    return [{ name: 'requiredFrequencyUnit', value: 'hours' }, { name: 'requiredFrequencyValue', value: String(hours) }];
  }
  const days = Math.ceil(hours / 24);
  if (days > Facts.AUDIT_PLAN_FREQUENCY_MAX_DAYS) return undefined;
  return [{ name: 'requiredFrequencyUnit', value: 'days' }, { name: 'requiredFrequencyValue', value: String(days) }];
}

/** The retention the plan control requires when not given: the point-in-time window, and the daily count when backups are daily. @internal */
export function defaultRequiredRetentionDays(objective: RecoveryObjective, frequencyHours: number): number {
  const r = objective.retention;
  return frequencyHours >= 24 ? Math.max(r.pointInTimeDays, r.daily) : r.pointInTimeDays;
}

/** The Vault Lock retention the lock control requires when not given: the shortest and longest retention tiers (at most the lock's maximum). @internal */
export function defaultLockRetentionDays(objective: RecoveryObjective): { min: number; max: number } {
  const r = objective.retention;
  const tiers = [
    Math.max(1, Math.min(r.pointInTimeDays, Facts.BACKUP_CONTINUOUS_MAX_DAYS)),
    r.daily, r.weekly * 7, r.monthly * 31, r.yearly * 366,
  ].filter(d => d > 0);
  return {
    min: Math.max(1, Math.min(...tiers)),
    max: Math.min(Facts.VAULT_LOCK_MAX_RETENTION_DAYS, Math.max(...tiers)),
  };
}

/** `maxRestoreTime` of RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: the restore RTO in whole minutes, at least 1. @internal */
export function maxRestoreMinutes(objective: RecoveryObjective): number {
  return Math.max(1, Math.ceil(restoreRto(objective).toMinutes()));
}

/** One EventBridge pattern for failed AWS Backup jobs. @internal */
export interface JobFailurePattern {
  /** Short id of the job kind: `backup`, `copy` or `restore`. */
  readonly id: string;
  readonly description: string;
  /** The event pattern, in EventBridge's JSON casing (`detail-type`). */
  readonly pattern: { [key: string]: any };
}

/** The vault whose backup and copy jobs `jobFailurePatterns` matches. @internal */
export interface JobFailureVault {
  readonly name: string;
  readonly arn: string;
}

/**
 * The EventBridge patterns of failed, expired and aborted AWS Backup jobs, the same for the
 * CDK `BackupNotifications` and the Pulumi `BackupFoundation`: backup jobs into the vault
 * (FAILED, EXPIRED, ABORTED), copy jobs out of it (FAILED), restore jobs of any vault (status
 * FAILED, ABORTED; restore events carry no vault). Without a vault, the backup and copy
 * patterns match jobs of every vault.
 *
 * @internal
 */
export function jobFailurePatterns(vault?: JobFailureVault): JobFailurePattern[] {
  return [
    {
      id: 'backup',
      description: 'drkit: AWS Backup backup job failed, expired or aborted',
      pattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change'],
        'detail': { state: ['FAILED', 'EXPIRED', 'ABORTED'], ...(vault ? { backupVaultName: [vault.name] } : {}) },
      },
    },
    {
      id: 'copy',
      description: 'drkit: AWS Backup copy job failed',
      pattern: {
        'source': ['aws.backup'],
        'detail-type': ['Copy Job State Change'],
        'detail': { state: ['FAILED'], ...(vault ? { sourceBackupVaultArn: [vault.arn] } : {}) },
      },
    },
    {
      id: 'restore',
      description: 'drkit: AWS Backup restore job (or restore test) failed or aborted',
      pattern: {
        'source': ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        'detail': { status: ['FAILED', 'ABORTED'] },
      },
    },
  ];
}
