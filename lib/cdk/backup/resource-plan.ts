import { BoundKind, Facts, Mechanism } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { AchievedTarget, BackupRulePlan, CopyPlan, PlanContext, Planner, ProtectionPlan, ResourceKind, VaultPlan } from '../../core/plan';

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
 * Pure (no CDK); a candidate to move into `lib/core/plan.ts` so that Pulumi renders the same plan.
 *
 * @internal
 */
export function planBackupResource(objective: RecoveryObjective, kind: ResourceKind, context: PlanContext): ProtectionPlan {
  const name = context.resourceName;
  const title = kindTitle(kind);
  const o = objective;
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

  const rules = gfsRules(o, interval, copyRegion, copyAccount);
  const achieved: AchievedTarget[] = o.targets.map(t => {
    if (!snapshotCarries(t.disruption)) {
      if (kind === ResourceKind.S3_BUCKET) {
        return t.disruption === Disruption.DATA_CORRUPTION
          ? target(t.disruption, Facts.S3_VERSIONING.value?.totalSeconds ?? 0, Facts.S3_VERSIONING.kind, [Mechanism.S3_VERSIONING.id], `${Facts.S3_VERSIONING.statement} (${Facts.S3_VERSIONING.source})`)
          : target(t.disruption, 0, BoundKind.DOCUMENTED, [Mechanism.AWS_BACKUP.id], 'S3 stores objects redundantly across at least three Availability Zones');
      }
      return target(t.disruption, Mechanism.RDS_PITR.rpo.value!.totalSeconds, Mechanism.RDS_PITR.rpo.kind, [Mechanism.RDS_PITR.id],
        `automated backups kept ${Math.min(o.retention.pointInTimeDays, Facts.RDS_BACKUP_MAX_DAYS)} days: ${Mechanism.RDS_PITR.rpo.statement} (${Mechanism.RDS_PITR.rpo.source})`);
    }
    const mech = t.disruption === Disruption.REGION_OUTAGE ? Mechanism.AWS_BACKUP_CROSS_REGION_COPY
      : t.disruption === Disruption.ACCOUNT_COMPROMISE ? Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY : Mechanism.AWS_BACKUP;
    const worst = Period.hours(interval).plus(Facts.BACKUP_MIN_START_WINDOW);
    return target(t.disruption, worst.totalSeconds, BoundKind.ESTIMATED, [mech.id],
      `backup every ${interval}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}${mech === Mechanism.AWS_BACKUP ? '' : `, copied to ${t.disruption === Disruption.REGION_OUTAGE ? copyRegion : copyAccount}; ${Facts.BACKUP_COPY_TIME.statement}`} (${Facts.BACKUP_PLAN_SOURCE}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`);
  });

  const rds = kind === ResourceKind.RDS_INSTANCE || kind === ResourceKind.RDS_CLUSTER;
  return {
    kind,
    resourceName: name,
    pointInTimeRecoveryDays: rds ? Math.max(1, Math.min(o.retention.pointInTimeDays, Facts.RDS_BACKUP_MAX_DAYS)) : undefined,
    deletionProtection: rds,
    backupRules: rules,
    vault: vaultPlan(o, rules),
    copyRegion,
    copyAccount,
    achieved,
    advisories: [],
  };
}

function target(disruption: Disruption, rpoSeconds: number, rpoKind: string, mechanisms: string[], basis: string): AchievedTarget {
  return { disruption, rpoSeconds, rpoKind, rtoKind: BoundKind.NONE, mechanisms, basis };
}

/** The same grandfather-father-son rules as the core planner gives a table. */
function gfsRules(o: RecoveryObjective, intervalHours: number, copyRegion?: string, copyAccount?: string): BackupRulePlan[] {
  const r = o.retention;
  const rules: BackupRulePlan[] = [];
  const add = (name: string, expr: string, hours: number, keepDays: number) => {
    const cold = keepDays - 30 >= Facts.BACKUP_COLD_MIN_DAYS ? 30 : undefined;
    const startWindowMinutes = Facts.BACKUP_MIN_START_WINDOW.toMinutes();
    const completionWindowMinutes = Math.min(Math.max(startWindowMinutes + 60, hours * 60), Facts.BACKUP_DEFAULT_COMPLETION_WINDOW.toMinutes());
    const copies: CopyPlan[] = [];
    if (copyRegion) copies.push({ target: 'region', region: copyRegion, deleteAfterDays: keepDays, moveToColdStorageAfterDays: cold });
    if (copyAccount) copies.push({ target: 'account', account: copyAccount, deleteAfterDays: keepDays, moveToColdStorageAfterDays: cold });
    rules.push({
      name,
      scheduleExpression: expr,
      intervalHours: hours,
      startWindowMinutes,
      completionWindowMinutes,
      deleteAfterDays: keepDays,
      moveToColdStorageAfterDays: cold,
      enableContinuousBackup: false,
      copies,
    });
  };
  const window = Math.max(1, Math.min(r.pointInTimeDays, 35));
  if (intervalHours < 24) add(`Every${intervalHours}h`, Planner.cronEvery(intervalHours), intervalHours, window);
  const dailyKeep = Math.max(r.daily, intervalHours >= 24 ? window : 0);
  if (dailyKeep > 0) add('Daily', Planner.cronEvery(24), 24, dailyKeep);
  if (r.weekly > 0) add('Weekly', 'cron(0 5 ? * SUN *)', 24 * 7, r.weekly * 7);
  if (r.monthly > 0) add('Monthly', 'cron(0 5 1 * ? *)', 24 * 31, r.monthly * 31);
  if (r.yearly > 0) add('Yearly', 'cron(0 5 1 1 ? *)', 24 * 366, r.yearly * 366);
  return rules;
}

function vaultPlan(o: RecoveryObjective, rules: BackupRulePlan[]): VaultPlan {
  if (o.immutability === Immutability.NONE || rules.length === 0) return { lock: Immutability.NONE };
  const keeps = rules.map(x => x.deleteAfterDays);
  return {
    lock: o.immutability,
    minRetentionDays: Math.max(1, Math.min(...keeps)),
    maxRetentionDays: Math.min(Facts.VAULT_LOCK_MAX_RETENTION_DAYS, Math.max(...keeps)),
    changeableForDays: o.immutability === Immutability.COMPLIANCE ? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS : undefined,
  };
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
