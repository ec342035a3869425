import { checkAwsRegion } from './aws-regions';
import { BoundKind, Fact, Facts, Mechanism } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from './objective';
import { formatSeconds, Period } from './period';

/** The kinds of resource drkit plans protection for. */
export enum ResourceKind {
  /** AWS::DynamoDB::Table or AWS::DynamoDB::GlobalTable. */
  DYNAMODB_TABLE = 'aws.dynamodb.table',
  /** AWS::S3::Bucket. */
  S3_BUCKET = 'aws.s3.bucket',
  /** AWS::RDS::DBInstance. */
  RDS_INSTANCE = 'aws.rds.instance',
  /** AWS::RDS::DBCluster. */
  RDS_CLUSTER = 'aws.rds.cluster',
  /** AWS::EFS::FileSystem. */
  EFS_FILE_SYSTEM = 'aws.efs.filesystem',
  /** AWS::EC2::Volume. */
  EBS_VOLUME = 'aws.ec2.volume',
}

/** Where and how a resource is deployed, as far as planning needs. */
export interface PlanContext {
  /** Name of the protected resource, for messages and reports. */
  readonly resourceName: string;
  /**
   * Region of the resource.
   * @default - unknown (environment-agnostic stack)
   */
  readonly region?: string;
  /**
   * Region to copy backups to, needed when region outage is among the disruptions.
   * @default - none
   */
  readonly secondaryRegion?: string;
  /**
   * Account to copy backups to, needed when account compromise is among the disruptions.
   * @default - none
   */
  readonly backupAccount?: string;
  /**
   * Regions where the resource already has a live replica (for example global table replicas).
   * @default - none
   */
  readonly replicaRegions?: string[];
}

/** Where a copy of each restore point goes. */
export interface CopyPlan {
  /** `region` (same account, other region) or `account` (other account). */
  readonly target: string;
  /**
   * Destination region.
   * @default - the source region (a copy to another account)
   */
  readonly region?: string;
  /**
   * Destination account.
   * @default - the source account (a copy to another region)
   */
  readonly account?: string;
  /** Days the copy is kept. */
  readonly deleteAfterDays: number;
  /**
   * Days before the copy moves to cold storage.
   * @default - never moved to cold storage
   */
  readonly moveToColdStorageAfterDays?: number;
}

/** One rule of a backup plan. */
export interface BackupRulePlan {
  /** Rule name (stable: it appears in templates). */
  readonly name: string;
  /** The schedule as an AWS Backup cron expression, in UTC. */
  readonly scheduleExpression: string;
  /** Hours between two backups of this rule. */
  readonly intervalHours: number;
  /** Minutes a job may wait before it starts. */
  readonly startWindowMinutes: number;
  /** Minutes a started job may take. */
  readonly completionWindowMinutes: number;
  /** Days a recovery point is kept. */
  readonly deleteAfterDays: number;
  /**
   * Days before a recovery point moves to cold storage.
   * @default - never moved to cold storage
   */
  readonly moveToColdStorageAfterDays?: number;
  /** Whether the rule is continuous backup (PITR) rather than snapshots. */
  readonly enableContinuousBackup: boolean;
  /** Copies of every recovery point of this rule. */
  readonly copies: CopyPlan[];
}

/** Vault settings the plan needs. */
export interface VaultPlan {
  /** Lock mode. */
  readonly lock: Immutability;
  /**
   * Vault Lock MinRetentionDays.
   * @default - no minimum, or no lock
   */
  readonly minRetentionDays?: number;
  /**
   * Vault Lock MaxRetentionDays.
   * @default - no maximum, or no lock
   */
  readonly maxRetentionDays?: number;
  /**
   * Vault Lock ChangeableForDays (compliance mode only).
   * @default - governance mode, or no lock
   */
  readonly changeableForDays?: number;
}

/** Achieved RPO/RTO for one disruption, as planned or as evaluated from a template. */
export interface AchievedTarget {
  /** The disruption. */
  readonly disruption: Disruption;
  /**
   * Worst-case RPO in seconds, when bounded.
   * @default - no bound (none published)
   */
  readonly rpoSeconds?: number;
  /** How the RPO is established (`documented`, `typical`, `estimated`, `none`). */
  readonly rpoKind: string;
  /**
   * The RPO is a lower bound: it leaves out steps with no published figure (a backup copy's
   * run time and copy time).
   * @default false
   */
  readonly rpoIsLowerBound?: boolean;
  /**
   * RTO in seconds, when bounded.
   * @default - no bound (none published)
   */
  readonly rtoSeconds?: number;
  /** How the RTO is established. */
  readonly rtoKind: string;
  /**
   * The RTO is a lower bound: it leaves out steps with no published figure (detecting a
   * region outage and switching clients).
   * @default false
   */
  readonly rtoIsLowerBound?: boolean;
  /** Ids of the mechanisms that give it (empty: unprotected). */
  readonly mechanisms: string[];
  /** How the figures were derived, with sources. */
  readonly basis: string;
}

/** A neutral protection plan: what to configure, from which both engines render resources. */
export interface ProtectionPlan {
  /** Resource kind. */
  readonly kind: ResourceKind;
  /** Resource name. */
  readonly resourceName: string;
  /**
   * PITR recovery period in days, when PITR is on.
   * @default - PITR off
   */
  readonly pointInTimeRecoveryDays?: number;
  /** Deletion protection. */
  readonly deletionProtection: boolean;
  /** Backup plan rules. */
  readonly backupRules: BackupRulePlan[];
  /** Vault settings. */
  readonly vault: VaultPlan;
  /**
   * Region backups are copied to.
   * @default - no copy to another region
   */
  readonly copyRegion?: string;
  /**
   * Account backups are copied to.
   * @default - no copy to another account
   */
  readonly copyAccount?: string;
  /** Achieved targets per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

/** Standard schedule intervals, in hours, that divide a day evenly. */
const STANDARD_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24];

/** The daily backup hour (UTC), chosen off the hour most jobs use. */
const BACKUP_HOUR_UTC = 5;

/**
 * Plans protection for one resource against an objective. Pure: the same inputs give the
 * same plan; the CDK constructs and the Pulumi components render it.
 */
export class Planner {
  /** Plans protection for a DynamoDB table. */
  public static dynamoDbTable(objective: RecoveryObjective, context: PlanContext): ProtectionPlan {
    return new Planner(ResourceKind.DYNAMODB_TABLE, objective, context).planDynamoDb();
  }

  /**
   * Cron expression for a rule every `intervalHours` hours (UTC), as AWS Backup expects.
   */
  public static cronEvery(intervalHours: number): string {
    if (intervalHours >= 24) return `cron(0 ${BACKUP_HOUR_UTC} * * ? *)`;
    const hours: number[] = [];
    for (let h = BACKUP_HOUR_UTC % intervalHours; h < 24; h += intervalHours) hours.push(h);
    return `cron(0 ${hours.join(',')} * * ? *)`;
  }

  /**
   * The longest standard interval whose worst case (interval plus start window) fits `rpo`,
   * or undefined when even hourly backups cannot.
   */
  public static intervalFor(rpo: Period): number | undefined {
    const startHours = Facts.BACKUP_MIN_START_WINDOW.toHours();
    const fits = STANDARD_INTERVAL_HOURS.filter(h => h + startHours <= rpo.toHours());
    return fits.length ? fits[fits.length - 1] : undefined;
  }

  private readonly advisories: string[] = [];

  private constructor(
    private readonly kind: ResourceKind,
    private readonly objective: RecoveryObjective,
    private readonly context: PlanContext,
  ) {
    if (!context.resourceName) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'the plan context needs a `resourceName`');
    }
    checkPlanRegions(context, `${this.kindTitle()} ${context.resourceName}`);
  }

  private planDynamoDb(): ProtectionPlan {
    const o = this.objective;
    const name = this.context.resourceName;
    const replicaRegions = (this.context.replicaRegions ?? []).filter(r => r !== this.context.region);

    // Data corruption: PITR is the tightest mechanism DynamoDB has.
    const corruption = o.covers(Disruption.DATA_CORRUPTION) ? o.targetFor(Disruption.DATA_CORRUPTION) : undefined;
    if (corruption) this.requireFloor(corruption.rpo, Disruption.DATA_CORRUPTION, Mechanism.DYNAMODB_PITR, 'point-in-time recovery restores to any second up to LatestRestorableDateTime');

    if (o.retention.pointInTimeDays > Facts.DYNAMODB_PITR_MAX_DAYS) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${o.retention.pointInTimeDays} days cannot be met for table ${name}: DynamoDB point-in-time recovery keeps at most ${Facts.DYNAMODB_PITR_MAX_DAYS} days (${Facts.DYNAMODB_PITR_PERIOD_SOURCE}); set pointInTime to 35 days or less and keep older restore points with daily, weekly, monthly or yearly counts`);
    }

    // Region outage: a live replica, or backups copied to another region.
    const region = o.covers(Disruption.REGION_OUTAGE) ? o.targetFor(Disruption.REGION_OUTAGE) : undefined;
    const copyRegion = region ? this.requireSecondaryRegion() : undefined;
    let interval = this.scheduleInterval(region && replicaRegions.length === 0 ? region.rpo : undefined, name);

    // Account compromise: a copy in another account.
    const account = o.covers(Disruption.ACCOUNT_COMPROMISE) ? o.targetFor(Disruption.ACCOUNT_COMPROMISE) : undefined;
    let copyAccount: string | undefined;
    if (account) {
      copyAccount = this.context.backupAccount;
      if (!copyAccount) {
        throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
          `account compromise is among the disruptions for table ${name}, but no \`backupAccount\` is given: a backup in the same account does not survive its compromise; set \`backupAccount\` to the account that receives copies, or remove Disruption.ACCOUNT_COMPROMISE`);
      }
      const needed = Planner.intervalFor(account.rpo);
      if (needed === undefined) {
        this.refuseSchedule(account.rpo, Disruption.ACCOUNT_COMPROMISE, name, 'copies to another account');
      } else if (needed < interval) {
        interval = needed;
      }
    }

    // The RTO: what the mechanisms that serve each disruption document about recovering.
    const what = `${this.kindTitle()} ${name}`;
    checkRto(o, Disruption.DATA_CORRUPTION, [rtoCandidate(Mechanism.DYNAMODB_PITR), rtoCandidate(Mechanism.AWS_BACKUP)], what, this.advisories);
    checkRto(o, Disruption.AZ_OUTAGE, [rtoCandidate(Mechanism.DYNAMODB_MULTI_AZ)], what, this.advisories);
    checkRto(o, Disruption.REGION_OUTAGE, [
      ...(replicaRegions.length ? [failoverCandidate(Mechanism.DYNAMODB_GLOBAL_TABLE, Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER)] : []),
      rtoCandidate(Mechanism.AWS_BACKUP_CROSS_REGION_COPY),
    ], what, this.advisories);
    checkRto(o, Disruption.ACCOUNT_COMPROMISE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY)], what, this.advisories);

    const rules = gfsRules(this.objective, interval, copyRegion, copyAccount);
    const achieved: AchievedTarget[] = [];
    for (const t of o.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION:
          achieved.push({
            disruption: t.disruption,
            rpoSeconds: Facts.DYNAMODB_PITR_RPO.value!.totalSeconds,
            rpoKind: Facts.DYNAMODB_PITR_RPO.kind,
            rtoKind: BoundKind.NONE,
            mechanisms: [Mechanism.DYNAMODB_PITR.id, Mechanism.AWS_BACKUP.id],
            basis: `PITR: ${Facts.DYNAMODB_PITR_RPO.statement} (${Facts.DYNAMODB_PITR_RPO.source}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`,
          });
          break;
        case Disruption.AZ_OUTAGE:
          achieved.push({
            disruption: t.disruption,
            rpoSeconds: 0,
            rpoKind: BoundKind.DOCUMENTED,
            rtoSeconds: 0,
            rtoKind: BoundKind.DOCUMENTED,
            mechanisms: [Mechanism.DYNAMODB_MULTI_AZ.id],
            basis: `${Facts.DYNAMODB_MULTI_AZ.statement} (${Facts.DYNAMODB_MULTI_AZ.source})`,
          });
          break;
        case Disruption.REGION_OUTAGE:
          if (replicaRegions.length > 0) {
            achieved.push({
              disruption: t.disruption,
              rpoSeconds: Facts.DYNAMODB_GLOBAL_TABLE_RPO.value!.totalSeconds,
              rpoKind: BoundKind.TYPICAL,
              rtoSeconds: Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER.value!.totalSeconds,
              rtoKind: BoundKind.ESTIMATED,
              rtoIsLowerBound: true,
              mechanisms: [Mechanism.DYNAMODB_GLOBAL_TABLE.id, Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id],
              basis: `global table replica in ${replicaRegions.join(', ')}: ${Facts.DYNAMODB_GLOBAL_TABLE_RPO.statement} (${Facts.DYNAMODB_GLOBAL_TABLE_RPO.source})`,
            });
          } else {
            achieved.push(this.copyTarget(t.disruption, interval, Mechanism.AWS_BACKUP_CROSS_REGION_COPY, copyRegion!));
          }
          break;
        case Disruption.ACCOUNT_COMPROMISE:
          achieved.push(this.copyTarget(t.disruption, interval, Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY, copyAccount!));
          break;
      }
    }

    return {
      kind: this.kind,
      resourceName: name,
      pointInTimeRecoveryDays: o.retention.pointInTimeDays,
      deletionProtection: true,
      backupRules: rules,
      vault: vaultPlanFor(this.objective, rules),
      copyRegion,
      copyAccount,
      achieved,
      advisories: this.advisories,
    };
  }

  /** Refuses an RPO below a mechanism's documented floor. */
  private requireFloor(rpo: Period, disruption: Disruption, mechanism: Mechanism, what: string): void {
    const floor = mechanism.rpo.value;
    if (floor && rpo.isShorterThan(floor)) {
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} cannot be met for ${this.kindTitle()} ${this.context.resourceName} (objective "${this.objective.name}"): ${mechanism.title} is the tightest mechanism for it and ${mechanism.rpo.statement}, so its floor is ${floor.toHuman()} (${mechanism.rpo.source}); ${what}. Raise the rpo for ${disruptionTitle(disruption)} to at least ${floor.toHuman()}`);
    }
  }

  private kindTitle(): string {
    switch (this.kind) {
      case ResourceKind.DYNAMODB_TABLE: return 'table';
      case ResourceKind.S3_BUCKET: return 'bucket';
      case ResourceKind.RDS_INSTANCE: return 'database instance';
      case ResourceKind.RDS_CLUSTER: return 'database cluster';
      case ResourceKind.EFS_FILE_SYSTEM: return 'file system';
      case ResourceKind.EBS_VOLUME: return 'volume';
    }
  }

  private requireSecondaryRegion(): string {
    const r = this.context.secondaryRegion;
    if (!r) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `region outage is among the disruptions for ${this.kindTitle()} ${this.context.resourceName}, but no secondary region is given: set \`secondaryRegion\` (for example "us-west-2") or remove Disruption.REGION_OUTAGE`);
    }
    if (this.context.region && r === this.context.region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` "${r}" is the region ${this.kindTitle()} ${this.context.resourceName} is in: a copy in the same region does not survive a region outage; choose another region`);
    }
    return r;
  }

  /**
   * The snapshot interval: the user's `backupInterval` when given (checked against `rpoNeed`),
   * else the longest standard interval that meets `rpoNeed`, else daily.
   */
  private scheduleInterval(rpoNeed: Period | undefined, name: string): number {
    const asked = this.objective.backupInterval;
    const startHours = Facts.BACKUP_MIN_START_WINDOW.toHours();
    if (rpoNeed) {
      const fit = Planner.intervalFor(rpoNeed);
      if (fit === undefined) this.refuseSchedule(rpoNeed, Disruption.REGION_OUTAGE, name, 'copies to another region');
      if (asked) {
        const worst = asked.toHours() + startHours;
        if (worst > rpoNeed.toHours()) {
          throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
            `\`backupInterval\` ${asked.toHuman()} cannot meet \`rpo\` ${rpoNeed.toHuman()} against region outage for ${this.kindTitle()} ${name}: a backup every ${asked.toHuman()} that may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window, ${Facts.BACKUP_PLAN_SOURCE}) can lose up to ${Period.hours(worst).toHuman()}; back up every ${fit} hour(s) or less, or raise the region-outage rpo to at least ${Period.hours(worst).toHuman()}`);
        }
        return Math.max(1, Math.round(asked.toHours()));
      }
      return fit!;
    }
    return asked ? Math.max(1, Math.round(asked.toHours())) : 24;
  }

  private refuseSchedule(rpo: Period, disruption: Disruption, name: string, via: string): never {
    const floor = Facts.BACKUP_MIN_INTERVAL.plus(Facts.BACKUP_MIN_START_WINDOW);
    throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
      `\`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} cannot be met for ${this.kindTitle()} ${name} (objective "${this.objective.name}") by scheduled backups with ${via}: the shortest AWS Backup schedule is hourly and a job may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window), so the worst case is at least ${floor.toHuman()} plus the copy time, which AWS does not publish (${Facts.BACKUP_PLAN_SOURCE}, ${Facts.BACKUP_COPY_SOURCE}). Only replication can do better: add a replica in another region (DynamoDB global table via DrStandby), or raise the ${disruptionTitle(disruption)} rpo to at least ${floor.toHuman()} with \`perDisruption\``);
  }

  private copyTarget(disruption: Disruption, interval: number, mechanism: Mechanism, where: string): AchievedTarget {
    const worst = Period.hours(interval).plus(Facts.BACKUP_MIN_START_WINDOW);
    return {
      disruption,
      rpoSeconds: worst.totalSeconds,
      rpoKind: BoundKind.ESTIMATED,
      rpoIsLowerBound: true,
      rtoKind: BoundKind.NONE,
      mechanisms: [mechanism.id],
      basis: `at least a backup every ${interval}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}, copied to ${where}; ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_TIME.source}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`,
    };
  }


}

/** Refuses a region name of a plan context that is not an AWS region (DRK022, with the nearest one). @internal */
export function checkPlanRegions(context: PlanContext, where: string): void {
  checkAwsRegion('region', context.region, where);
  checkAwsRegion('secondaryRegion', context.secondaryRegion, where);
  for (const r of context.replicaRegions ?? []) checkAwsRegion('replicaRegions', r, where);
}

/**
 * A mechanism that could serve a disruption, with what its provider documents about the time
 * to recover with it.
 *
 * @internal
 */
export interface RtoCandidate {
  /** Its title, for messages. */
  readonly title: string;
  /** The shortest recovery its provider documents (a documented or typical lower bound), in seconds. */
  readonly lowerBoundSeconds?: number;
  /** Whether the provider documents any figure for the recovery (a value, or a lower bound). */
  readonly bounded: boolean;
  /** The figure's statement and source, for messages. */
  readonly basis: string;
}

/** A restore or failover whose time is one catalog fact (a lower bound only when the fact says so). @internal */
export function rtoCandidate(mechanism: Mechanism, fact: Fact = mechanism.rto): RtoCandidate {
  const established = fact.kind === BoundKind.DOCUMENTED || fact.kind === BoundKind.TYPICAL;
  return {
    title: mechanism.title,
    lowerBoundSeconds: fact.isLowerBound && established ? fact.value?.totalSeconds : undefined,
    bounded: fact.value !== undefined,
    basis: `${fact.statement} (${fact.source})`,
  };
}

/**
 * A failover to a live copy in another region: its documented step (promotion, or nothing to
 * promote) is a lower bound, since detecting the outage and switching clients have no published bound.
 *
 * @internal
 */
export function failoverCandidate(mechanism: Mechanism, step: Fact): RtoCandidate {
  const established = step.kind === BoundKind.DOCUMENTED || step.kind === BoundKind.TYPICAL;
  return {
    title: mechanism.title,
    lowerBoundSeconds: established ? step.value?.totalSeconds : undefined,
    bounded: step.value !== undefined,
    basis: `${step.statement} (${step.source}); detecting the outage and switching clients have no published bound`,
  };
}

/**
 * Checks the objective's RTO against a disruption's candidate mechanisms: refuses (DRK011)
 * when the documented or typical lower bound of every candidate exceeds it, and advises (the
 * report marks the row unverified) when no candidate documents any bound for the recovery.
 *
 * @param what the resource, for messages (`table orders`)
 * @internal
 */
export function checkRto(objective: RecoveryObjective, disruption: Disruption, candidates: RtoCandidate[], what: string, advisories: string[]): void {
  if (!objective.covers(disruption) || candidates.length === 0) return;
  const rto = objective.targetFor(disruption).rto;
  const title = disruptionTitle(disruption);
  if (candidates.every(c => c.lowerBoundSeconds !== undefined && c.lowerBoundSeconds > rto.totalSeconds)) {
    const floor = Math.min(...candidates.map(c => c.lowerBoundSeconds!));
    throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
      `\`rto\` ${rto.toHuman()} against ${title} cannot be met for ${what} (objective "${objective.name}"): ${candidates.map(c => `${c.title} takes at least ${formatSeconds(c.lowerBoundSeconds!)} (${c.basis})`).join('; ')}. Raise the rto for ${title} to at least ${formatSeconds(floor)} with \`perDisruption\`, or add a mechanism that recovers faster`);
  }
  if (candidates.every(c => !c.bounded)) {
    const bases = [...new Set(candidates.map(c => c.basis))];
    advisories.push(`the rto ${rto.toHuman()} against ${title} of ${what} cannot be shown to be met: ${candidates.map(c => c.title).join(', ')} ${candidates.length === 1 ? 'documents' : 'document'} no recovery time (${bases.join('; ')}), so the recovery report marks it unverified; measure it with AWS Backup restore testing or a recovery drill`);
  }
}

/**
 * Copies of a recovery point kept `keepDays`, to another region and/or account; cold storage
 * after 30 days when the copy is kept at least 90 days more (AWS Backup's rule).
 */
export function copiesOf(keepDays: number, copyRegion?: string, copyAccount?: string): CopyPlan[] {
  const cold = keepDays - 30 >= Facts.BACKUP_COLD_MIN_DAYS ? 30 : undefined;
  const copies: CopyPlan[] = [];
  if (copyRegion) copies.push({ target: 'region', region: copyRegion, deleteAfterDays: keepDays, moveToColdStorageAfterDays: cold });
  if (copyAccount) copies.push({ target: 'account', account: copyAccount, deleteAfterDays: keepDays, moveToColdStorageAfterDays: cold });
  return copies;
}

/**
 * One backup rule: the shortest start window, a completion window of at least the start
 * window plus an hour (and the interval, up to AWS Backup's 7-day default), cold storage after
 * 30 days when the point is kept at least 90 days more (never for continuous backup).
 */
export function backupRule(name: string, expr: string, hours: number, keepDays: number, continuous: boolean, copies: CopyPlan[]): BackupRulePlan {
  const startWindowMinutes = Facts.BACKUP_MIN_START_WINDOW.toMinutes();
  return {
    name,
    scheduleExpression: expr,
    intervalHours: hours,
    startWindowMinutes,
    completionWindowMinutes: Math.min(
      Math.max(startWindowMinutes + 60, hours * 60),
      Facts.BACKUP_DEFAULT_COMPLETION_WINDOW.toMinutes(),
    ),
    deleteAfterDays: keepDays,
    moveToColdStorageAfterDays: !continuous && keepDays - 30 >= Facts.BACKUP_COLD_MIN_DAYS ? 30 : undefined,
    enableContinuousBackup: continuous,
    copies,
  };
}

/**
 * Grandfather-father-son rules for an objective: a frequent rule every `intervalHours` (kept
 * for the point-in-time window) when under a day, then daily, weekly, monthly and yearly rules
 * with the retention's counts; every point copied to `copyRegion` / `copyAccount`.
 */
export function gfsRules(objective: RecoveryObjective, intervalHours: number, copyRegion?: string, copyAccount?: string): BackupRulePlan[] {
  const r = objective.retention;
  const rules: BackupRulePlan[] = [];
  const add = (name: string, expr: string, hours: number, keepDays: number) =>
    rules.push(backupRule(name, expr, hours, keepDays, false, copiesOf(keepDays, copyRegion, copyAccount)));
  const window = Math.max(1, Math.min(r.pointInTimeDays, 35));
  // The frequent rule meets the RPO; its points are kept for the point-in-time window.
  if (intervalHours < 24) add(`Every${intervalHours}h`, Planner.cronEvery(intervalHours), intervalHours, window);
  const dailyKeep = Math.max(r.daily, intervalHours >= 24 ? window : 0);
  if (dailyKeep > 0) add('Daily', Planner.cronEvery(24), 24, dailyKeep);
  if (r.weekly > 0) add('Weekly', `cron(0 ${BACKUP_HOUR_UTC} ? * SUN *)`, 24 * 7, r.weekly * 7);
  if (r.monthly > 0) add('Monthly', `cron(0 ${BACKUP_HOUR_UTC} 1 * ? *)`, 24 * 31, r.monthly * 31);
  if (r.yearly > 0) add('Yearly', `cron(0 ${BACKUP_HOUR_UTC} 1 1 ? *)`, 24 * 366, r.yearly * 366);
  return rules;
}

/** Vault Lock settings that fit every rule: the objective's mode, the rules' shortest and longest retention. */
export function vaultPlanFor(objective: RecoveryObjective, rules: BackupRulePlan[]): VaultPlan {
  const lock = objective.immutability;
  if (lock === Immutability.NONE || rules.length === 0) return { lock: Immutability.NONE };
  const keeps = rules.map(x => x.deleteAfterDays);
  return {
    lock,
    minRetentionDays: Math.max(1, Math.min(...keeps)),
    maxRetentionDays: Math.min(Facts.VAULT_LOCK_MAX_RETENTION_DAYS, Math.max(...keeps)),
    changeableForDays: lock === Immutability.COMPLIANCE ? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS : undefined,
  };
}
