import { checkAwsRegion } from './aws-regions';
import { BoundKind, Facts, Mechanism } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { Disruption, disruptionTitle, RecoveryObjective } from './objective';
import { Period } from './period';
import {
  AchievedTarget, backupRule, BackupRulePlan, checkRto, copiesOf, failoverCandidate, Planner, ProtectionPlan, ResourceKind, rtoCandidate,
  RtoCandidate, VaultPlan,
  vaultPlanFor,
} from './plan';

/** What the RDS planner needs to know about one database. */
export interface RdsPlanInput {
  /** Name of the database, for messages and reports (a construct path or a resource name). */
  readonly resourceName: string;
  /** `ResourceKind.RDS_INSTANCE` or `ResourceKind.RDS_CLUSTER`. */
  readonly kind: ResourceKind;
  /**
   * The CloudFormation `Engine` value (`postgres`, `mysql`, `aurora-mysql`, `aurora-postgresql`, ...).
   * @default - unknown: engine-specific mechanisms (backtrack) are refused
   */
  readonly engine?: string;
  /**
   * Whether storage is encrypted. `false` is refused; undefined means it cannot be known
   * at synth time (an unresolved value) and gives an advisory.
   * @default - unknown
   */
  readonly storageEncrypted?: boolean;
  /**
   * Whether the instance is a Multi-AZ deployment (synchronous standby in another AZ).
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Region of the database.
   * @default - unknown (environment-agnostic stack)
   */
  readonly region?: string;
  /**
   * Region that receives replicated automated backups (instances) or backup copies (clusters),
   * needed when region outage is among the disruptions.
   * @default - none
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives backup copies, needed when account compromise is among the disruptions.
   * @default - none
   */
  readonly backupAccount?: string;
  /**
   * Whether AWS Backup may be used (restore points kept past the automated window, copies).
   * @default true
   */
  readonly backupPlan?: boolean;
  /**
   * Use AWS Backup continuous backup (point-in-time restore managed by AWS Backup, in the vault)
   * for the point-in-time window.
   * @default false
   */
  readonly continuousBackup?: boolean;
  /**
   * Aurora MySQL backtrack target window (at most 72 hours).
   * @default - no backtrack
   */
  readonly backtrackWindow?: Period;
  /**
   * Daily automated backup window, `hh24:mi-hh24:mi` in UTC, at least 30 minutes.
   * @default '03:00-03:30'
   */
  readonly preferredBackupWindow?: string;
  /**
   * The database's weekly maintenance window (`ddd:hh24:mi-ddd:hh24:mi`), checked for overlap
   * with the backup window.
   * @default - not checked
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Regions where the database has a live standby (cross-region read replica or Aurora
   * global database secondary, for example from DrStandby).
   * @default - none
   */
  readonly standbyRegions?: string[];
}

/** A neutral protection plan for an RDS instance or an Aurora / Multi-AZ DB cluster. */
export interface RdsProtectionPlan {
  /** Resource kind. */
  readonly kind: ResourceKind;
  /** Resource name. */
  readonly resourceName: string;
  /** `BackupRetentionPeriod` of the automated backups, 1-35 days. */
  readonly backupRetentionDays: number;
  /** `PreferredBackupWindow`, UTC. */
  readonly preferredBackupWindow: string;
  /** `DeletionProtection`. */
  readonly deletionProtection: boolean;
  /** `CopyTagsToSnapshot`. */
  readonly copyTagsToSnapshot: boolean;
  /** `DeleteAutomatedBackups` (instances): false keeps automated backups after the instance is deleted. */
  readonly deleteAutomatedBackups: boolean;
  /** Storage encryption is required. */
  readonly storageEncrypted: boolean;
  /**
   * Region that receives the instance's automated backups (`AutomaticBackupReplicationRegion`).
   * @default - no replication
   */
  readonly automatedBackupReplicationRegion?: string;
  /**
   * Retention of the replicated automated backups (`AutomaticBackupReplicationRetentionPeriod`).
   * @default - no replication
   */
  readonly automatedBackupReplicationRetentionDays?: number;
  /**
   * Backtrack window in seconds (`BacktrackWindow`, Aurora MySQL).
   * @default - no backtrack
   */
  readonly backtrackWindowSeconds?: number;
  /** AWS Backup rules (empty: automated backups alone). */
  readonly backupRules: BackupRulePlan[];
  /** Vault settings for the rules. */
  readonly vault: VaultPlan;
  /**
   * Region backups are copied to.
   * @default - none
   */
  readonly copyRegion?: string;
  /**
   * Account backups are copied to.
   * @default - none
   */
  readonly copyAccount?: string;
  /** Achieved targets per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

const DEFAULT_BACKUP_WINDOW = '03:00-03:30';
const BACKUP_HOUR_UTC = 5;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** True for Aurora engines (`aurora`, `aurora-mysql`, `aurora-postgresql`). */
export function isAuroraEngine(engine?: string): boolean {
  return !!engine && engine.toLowerCase().startsWith('aurora');
}

/** True for Aurora MySQL (`aurora` is the MySQL 5.6-compatible legacy name). */
export function isAuroraMysqlEngine(engine?: string): boolean {
  const e = (engine ?? '').toLowerCase();
  return e === 'aurora' || e === 'aurora-mysql';
}

/**
 * Plans RDS and Aurora protection against an objective. Pure: the CDK construct
 * `RdsPitrPolicy` and the Pulumi component render the same plan.
 */
export class RdsPlanner {
  /** Plans protection for one database instance or cluster. */
  public static plan(objective: RecoveryObjective, input: RdsPlanInput): RdsProtectionPlan {
    return new RdsPlanner(objective, input).build();
  }

  private readonly advisories: string[] = [];
  private readonly name: string;
  private readonly isCluster: boolean;

  private constructor(private readonly objective: RecoveryObjective, private readonly input: RdsPlanInput) {
    if (!input || !input.resourceName) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'the RDS plan input needs a `resourceName`');
    }
    if (input.kind !== ResourceKind.RDS_INSTANCE && input.kind !== ResourceKind.RDS_CLUSTER) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `the RDS planner plans database instances and clusters, but ${input.resourceName} is of kind "${input.kind}": use ResourceKind.RDS_INSTANCE or ResourceKind.RDS_CLUSTER`);
    }
    this.name = input.resourceName;
    this.isCluster = input.kind === ResourceKind.RDS_CLUSTER;
    checkAwsRegion('region', input.region, this.what());
    checkAwsRegion('secondaryRegion', input.secondaryRegion, this.what());
    for (const r of input.standbyRegions ?? []) checkAwsRegion('standbyRegions', r, this.what());
  }

  private what(): string {
    return `${this.isCluster ? 'database cluster' : 'database instance'} ${this.name}`;
  }

  private build(): RdsProtectionPlan {
    const o = this.objective;
    const input = this.input;
    const engine = (input.engine ?? '').toLowerCase() || undefined;
    const aurora = isAuroraEngine(engine);
    if (!this.isCluster && aurora) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `${this.what()} is an Aurora instance (engine "${engine}"): Aurora keeps automated backups, retention and backtrack on the cluster, not on its instances; apply the policy to the DB cluster instead`);
    }

    // Encryption is required: an unencrypted database cannot get encrypted copies or replicas.
    if (input.storageEncrypted === false) {
      throw new DrkitError(DrkitErrorCode.ENCRYPTION_REQUIRED,
        `${this.what()} has unencrypted storage (StorageEncrypted false): drkit protects only encrypted databases, since their snapshots, replicated backups and replicas inherit the encryption (${Facts.RDS_BACKUP_SOURCE}); set \`storageEncrypted: true\` (or a \`storageEncryptionKey\`) on the database. Encryption cannot be turned on for an existing instance: restore an encrypted copy of a snapshot`);
    }
    if (input.storageEncrypted === undefined) {
      this.advisories.push(`storage encryption of ${this.what()} cannot be read at synth time: make sure StorageEncrypted is true`);
    }

    // Point-in-time window: automated backups (or AWS Backup continuous backup) keep 1-35 days.
    const r = o.retention;
    const pit = r.pointInTimeDays;
    if (pit > Facts.RDS_BACKUP_MAX_DAYS) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${pit} days cannot be met for ${this.what()}: RDS automated backups and AWS Backup continuous backup keep at most ${Facts.RDS_BACKUP_MAX_DAYS} days of point-in-time recovery (${Facts.RDS_BACKUP_SOURCE}); set pointInTime to 35 days or less and keep older restore points with daily, weekly, monthly or yearly counts`);
    }

    // Corruption: the 5-minute log cadence is the floor.
    if (o.covers(Disruption.DATA_CORRUPTION)) {
      this.requireFloor(o.targetFor(Disruption.DATA_CORRUPTION).rpo, Disruption.DATA_CORRUPTION, 'automated backups restore to any second up to LatestRestorableTime');
    }
    const azByReplica = this.isCluster ? aurora : input.multiAz === true;
    if (o.covers(Disruption.AZ_OUTAGE) && !azByReplica) {
      this.requireFloor(o.targetFor(Disruption.AZ_OUTAGE).rpo, Disruption.AZ_OUTAGE,
        'a Multi-AZ deployment (synchronous standby) gives a near-zero RPO against an AZ outage: set `multiAz: true`');
    }

    const backtrackSeconds = this.backtrack(engine);
    const useBackup = input.backupPlan !== false;
    const standby = (input.standbyRegions ?? []).filter(x => x && x !== input.region);

    // Region outage.
    const region = o.covers(Disruption.REGION_OUTAGE) ? o.targetFor(Disruption.REGION_OUTAGE) : undefined;
    let copyRegion: string | undefined;
    let replicationRegion: string | undefined;
    let frequentHours: number | undefined;
    if (region) {
      copyRegion = this.requireSecondaryRegion();
      if (!this.isCluster) {
        replicationRegion = copyRegion;
        if (standby.length === 0) {
          const f = Facts.RDS_BACKUP_REPLICATION_RPO;
          if (region.rpo.isShorterThan(f.value!)) {
            throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
              `\`rpo\` ${region.rpo.toHuman()} against region outage cannot be met for ${this.what()} (objective "${this.objective.name}") by cross-region automated backup replication to ${copyRegion}: ${f.statement} (${f.source}), so its floor is ${f.value!.toHuman()}. A cross-region read replica (DrStandby) replicates continuously; or raise the rpo for region outage to at least ${f.value!.toHuman()}`);
          }
        }
      } else if (standby.length === 0) {
        if (!useBackup) {
          throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
            `region outage is among the disruptions for ${this.what()}, but the backup plan is disabled: a cluster's automated backups stay in its region (automated backup replication is for DB instances only, ${Facts.RDS_BACKUP_REPLICATION_RPO.source}); enable the backup plan so AWS Backup copies to ${copyRegion}, add an Aurora global database with DrStandby, or remove Disruption.REGION_OUTAGE`);
        }
        const fit = Planner.intervalFor(region.rpo);
        if (fit === undefined) this.refuseSchedule(region.rpo, Disruption.REGION_OUTAGE, 'copies to another region', 'add an Aurora global database in another region (DrStandby)');
        frequentHours = this.checkedInterval(region.rpo, fit!, Disruption.REGION_OUTAGE);
      }
    }

    // Account compromise: copies in another account.
    const account = o.covers(Disruption.ACCOUNT_COMPROMISE) ? o.targetFor(Disruption.ACCOUNT_COMPROMISE) : undefined;
    let copyAccount: string | undefined;
    if (account) {
      copyAccount = input.backupAccount;
      if (!copyAccount) {
        throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
          `account compromise is among the disruptions for ${this.what()}, but no \`backupAccount\` is given: a backup in the same account does not survive its compromise; set \`backupAccount\` to the account that receives copies, or remove Disruption.ACCOUNT_COMPROMISE`);
      }
      if (!useBackup) {
        throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
          `account compromise is among the disruptions for ${this.what()}, but the backup plan is disabled: only AWS Backup copies restore points to another account (${Facts.BACKUP_COPY_SOURCE}); enable the backup plan or remove Disruption.ACCOUNT_COMPROMISE`);
      }
      const fit = Planner.intervalFor(account.rpo);
      if (fit === undefined) this.refuseSchedule(account.rpo, Disruption.ACCOUNT_COMPROMISE, 'copies to another account', 'no replication crosses accounts here: raise the rpo');
      const h = this.checkedInterval(account.rpo, fit!, Disruption.ACCOUNT_COMPROMISE);
      frequentHours = frequentHours === undefined ? h : Math.min(frequentHours, h);
    }

    // Restore points kept longer than the point-in-time window need AWS Backup, unless they fit in 35 days.
    const tiers: Array<[string, string, number, number]> = [];
    if (r.daily > pit) tiers.push(['Daily', Planner.cronEvery(24), 24, r.daily]);
    if (r.weekly > 0 && r.weekly * 7 > pit) tiers.push(['Weekly', `cron(0 ${BACKUP_HOUR_UTC} ? * SUN *)`, 24 * 7, r.weekly * 7]);
    if (r.monthly > 0 && r.monthly * 31 > pit) tiers.push(['Monthly', `cron(0 ${BACKUP_HOUR_UTC} 1 * ? *)`, 24 * 31, r.monthly * 31]);
    if (r.yearly > 0 && r.yearly * 366 > pit) tiers.push(['Yearly', `cron(0 ${BACKUP_HOUR_UTC} 1 1 ? *)`, 24 * 366, r.yearly * 366]);

    let retentionDays = pit;
    const rules: BackupRulePlan[] = [];
    if (!useBackup) {
      const longest = Math.max(pit, ...tiers.map(t => t[3]));
      if (longest > Facts.RDS_BACKUP_MAX_DAYS) {
        throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
          `the retention of ${this.what()} (${r.toString()}) keeps restore points for ${longest} days, but the backup plan is disabled and RDS automated backups keep at most ${Facts.RDS_BACKUP_MAX_DAYS} days (${Facts.RDS_BACKUP_SOURCE}); enable the backup plan (\`backupPlan: true\`, the default) so AWS Backup keeps the older restore points, or keep restore points for 35 days or less`);
      }
      retentionDays = longest;
      if (input.continuousBackup) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`continuousBackup\` is set for ${this.what()} but the backup plan is disabled: continuous backup is an AWS Backup rule; enable the backup plan or remove continuousBackup`);
      }
    } else {
      if (input.continuousBackup) {
        rules.push(backupRule('Continuous', Planner.cronEvery(24), 24, pit, true, []));
        this.advisories.push(`AWS Backup continuous backup of ${this.what()} manages its automated backups: their retention follows the continuous rule (${pit} days) (${Mechanism.AWS_BACKUP_CONTINUOUS.rpo.source})`);
      }
      const copies = (keep: number) => copiesOf(keep, copyRegion, copyAccount);
      if (frequentHours !== undefined && frequentHours < 24) {
        rules.push(backupRule(`Every${frequentHours}h`, Planner.cronEvery(frequentHours), frequentHours, pit, false, copies(pit)));
      }
      const needDaily = (copyAccount !== undefined || (this.isCluster && region && standby.length === 0)) && !tiers.some(t => t[0] === 'Daily');
      if (needDaily && (frequentHours === undefined || frequentHours >= 24)) {
        tiers.unshift(['Daily', Planner.cronEvery(24), 24, pit]);
      }
      for (const [n, expr, hours, keep] of tiers) {
        rules.push(backupRule(n, expr, hours, keep, false, copies(keep)));
      }
    }

    const window = this.backupWindow();
    this.checkRtos(standby, replicationRegion, rules, azByReplica, aurora);
    const achieved = this.achieved(standby, replicationRegion, copyRegion, copyAccount, rules, backtrackSeconds, azByReplica, aurora);

    return {
      kind: input.kind,
      resourceName: this.name,
      backupRetentionDays: retentionDays,
      preferredBackupWindow: window,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      storageEncrypted: true,
      automatedBackupReplicationRegion: replicationRegion,
      automatedBackupReplicationRetentionDays: replicationRegion ? Math.min(pit, Facts.RDS_BACKUP_REPLICATION_MAX_DAYS) : undefined,
      backtrackWindowSeconds: backtrackSeconds,
      backupRules: rules,
      vault: vaultPlanFor(this.objective, rules),
      copyRegion: rules.some(x => x.copies.some(c => c.target === 'region')) ? copyRegion : undefined,
      copyAccount,
      achieved,
      advisories: this.advisories,
    };
  }

  /** The RTO of each disruption against what the mechanisms that serve it document (DRK011, or an advisory). */
  private checkRtos(standby: string[], replicationRegion: string | undefined, rules: BackupRulePlan[], azByReplica: boolean, aurora: boolean): void {
    const o = this.objective;
    const what = this.what();
    const corruption = [rtoCandidate(Mechanism.RDS_PITR), ...(this.input.backtrackWindow ? [rtoCandidate(Mechanism.AURORA_BACKTRACK)] : [])];
    checkRto(o, Disruption.DATA_CORRUPTION, corruption, what, this.advisories);
    checkRto(o, Disruption.AZ_OUTAGE, azByReplica
      ? [aurora ? rtoCandidate(Mechanism.AURORA_MULTI_AZ, Facts.AURORA_READER_FAILOVER) : rtoCandidate(Mechanism.RDS_MULTI_AZ)]
      : [rtoCandidate(Mechanism.RDS_PITR)], what, this.advisories);
    const region: RtoCandidate[] = [];
    if (standby.length) {
      region.push(this.isCluster && aurora
        ? failoverCandidate(Mechanism.AURORA_GLOBAL_DATABASE, Facts.AURORA_GLOBAL_DB_FAILOVER)
        : failoverCandidate(Mechanism.RDS_READ_REPLICA, Facts.RDS_REPLICA_PROMOTION));
    }
    if (replicationRegion) region.push(rtoCandidate(Mechanism.RDS_BACKUP_REPLICATION));
    if (rules.some(r => r.copies.some(c => c.target === 'region'))) region.push(rtoCandidate(Mechanism.AWS_BACKUP_CROSS_REGION_COPY));
    checkRto(o, Disruption.REGION_OUTAGE, region, what, this.advisories);
    checkRto(o, Disruption.ACCOUNT_COMPROMISE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY)], what, this.advisories);
  }

  /** The point-in-time recovery figure: Aurora clusters cite the Aurora page, others the RDS page. */
  private pitrFact() {
    return this.isCluster && isAuroraEngine(this.input.engine) ? Facts.AURORA_PITR_RPO : Facts.RDS_PITR_RPO;
  }

  private backtrack(engine?: string): number | undefined {
    const w = this.input.backtrackWindow;
    if (w === undefined) return undefined;
    if (!this.isCluster || !isAuroraMysqlEngine(engine)) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_MECHANISM,
        `\`backtrackWindow\` is set for ${this.what()} (engine "${engine ?? 'unknown'}"), but backtrack exists only for Aurora MySQL clusters (${Facts.AURORA_BACKTRACK_SOURCE}); remove backtrackWindow and rely on point-in-time restore, or use an aurora-mysql cluster`);
    }
    if (w.totalSeconds <= 0 || w.isLongerThan(Facts.AURORA_BACKTRACK_MAX)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`backtrackWindow\` for ${this.what()} must be more than 0 and at most ${Facts.AURORA_BACKTRACK_MAX.toHuman()}, but got ${w.toHuman()} (${Facts.AURORA_BACKTRACK_SOURCE}); set it to 72 hours or less`);
    }
    this.advisories.push(`backtrack on ${this.what()} can only be enabled when the cluster is created: on an existing cluster without backtrack, deploying this change fails; restore a snapshot to a new cluster with backtrack instead (${Facts.AURORA_BACKTRACK_SOURCE})`);
    return w.totalSeconds;
  }

  private requireFloor(rpo: Period, disruption: Disruption, hint: string): void {
    const pitr = this.pitrFact();
    const floor = pitr.value!;
    if (rpo.isShorterThan(floor)) {
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} cannot be met for ${this.what()} (objective "${this.objective.name}"): ${pitr.statement}, so the floor of automated backups is ${floor.toHuman()} (${pitr.source}); ${hint}. Raise the rpo for ${disruptionTitle(disruption)} to at least ${floor.toHuman()}`);
    }
  }

  private requireSecondaryRegion(): string {
    const r = this.input.secondaryRegion;
    if (!r) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `region outage is among the disruptions for ${this.what()}, but no secondary region is given: set \`secondaryRegion\` (for example "us-west-2") or remove Disruption.REGION_OUTAGE`);
    }
    if (this.input.region && r === this.input.region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` "${r}" is the region ${this.what()} is in: a copy in the same region does not survive a region outage; choose another region`);
    }
    return r;
  }

  /** The user's backupInterval when it meets `rpo`, else the fitted interval. */
  private checkedInterval(rpo: Period, fit: number, disruption: Disruption): number {
    const asked = this.objective.backupInterval;
    if (!asked) return fit;
    const worst = asked.plus(Facts.BACKUP_MIN_START_WINDOW);
    if (worst.isLongerThan(rpo)) {
      throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
        `\`backupInterval\` ${asked.toHuman()} cannot meet \`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} for ${this.what()}: a backup every ${asked.toHuman()} that may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window, ${Facts.BACKUP_PLAN_SOURCE}) can lose up to ${worst.toHuman()}; back up every ${fit} hour(s) or less, or raise the rpo to at least ${worst.toHuman()}`);
    }
    return Math.max(1, Math.round(asked.toHours()));
  }

  private refuseSchedule(rpo: Period, disruption: Disruption, via: string, fix: string): never {
    const floor = Facts.BACKUP_MIN_INTERVAL.plus(Facts.BACKUP_MIN_START_WINDOW);
    throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
      `\`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} cannot be met for ${this.what()} (objective "${this.objective.name}") by scheduled backups with ${via}: the shortest AWS Backup schedule is hourly and a job may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window), so the worst case is at least ${floor.toHuman()} plus the copy time, which AWS does not publish (${Facts.BACKUP_PLAN_SOURCE}, ${Facts.BACKUP_COPY_SOURCE}); ${fix}, or raise the ${disruptionTitle(disruption)} rpo to at least ${floor.toHuman()} with \`perDisruption\``);
  }

  private backupWindow(): string {
    const w = this.input.preferredBackupWindow ?? DEFAULT_BACKUP_WINDOW;
    const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(w);
    if (!m) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`preferredBackupWindow\` for ${this.what()} must be "hh24:mi-hh24:mi" in UTC, for example "03:00-03:30", but got "${w}"`);
    }
    const start = +m[1] * 60 + +m[2];
    const end = +m[3] * 60 + +m[4];
    const len = (end - start + 1440) % 1440;
    if (len < Facts.RDS_BACKUP_WINDOW_MIN_MINUTES) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`preferredBackupWindow\` "${w}" for ${this.what()} lasts ${len} minutes, but RDS needs at least ${Facts.RDS_BACKUP_WINDOW_MIN_MINUTES} (${Facts.RDS_BACKUP_SOURCE}); widen it, for example "03:00-03:30"`);
    }
    const maint = this.input.preferredMaintenanceWindow;
    if (maint) {
      const mm = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/i.exec(maint);
      if (mm) {
        const week = 7 * 1440;
        const ms = DAY_NAMES.indexOf(mm[1].toLowerCase()) * 1440 + +mm[2] * 60 + +mm[3];
        const me = DAY_NAMES.indexOf(mm[4].toLowerCase()) * 1440 + +mm[5] * 60 + +mm[6];
        const mlen = (me - ms + week) % week;
        for (let day = 0; day < 7; day++) {
          const bs = day * 1440 + start;
          if (overlaps(bs % week, len, ms, mlen, week)) {
            throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
              `\`preferredBackupWindow\` "${w}" for ${this.what()} overlaps its maintenance window "${maint}", which RDS does not allow (${Facts.RDS_BACKUP_SOURCE}); move one of them`);
          }
        }
      }
    }
    return w;
  }

  private achieved(standby: string[], replicationRegion: string | undefined, copyRegion: string | undefined, copyAccount: string | undefined,
    rules: BackupRulePlan[], backtrackSeconds: number | undefined, azByReplica: boolean, aurora: boolean): AchievedTarget[] {
    const out: AchievedTarget[] = [];
    const pitr = this.pitrFact();
    const restore = Facts.RESTORE_TIME_UNPUBLISHED;
    const snapshotRules = rules.filter(x => !x.enableContinuousBackup);
    const shortest = snapshotRules.length ? Math.min(...snapshotRules.map(x => x.intervalHours)) : undefined;
    for (const t of this.objective.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION: {
          const mechs = [Mechanism.RDS_PITR.id];
          if (rules.some(x => x.enableContinuousBackup)) mechs.push(Mechanism.AWS_BACKUP_CONTINUOUS.id);
          if (snapshotRules.length) mechs.push(Mechanism.AWS_BACKUP.id);
          if (backtrackSeconds) mechs.unshift(Mechanism.AURORA_BACKTRACK.id);
          out.push({
            disruption: t.disruption,
            rpoSeconds: pitr.value!.totalSeconds,
            rpoKind: pitr.kind,
            rtoKind: BoundKind.NONE,
            mechanisms: mechs,
            basis: `automated backups: ${pitr.statement} (${pitr.source})${backtrackSeconds ? `; backtrack rewinds in place within ${Period.seconds(backtrackSeconds).toHuman()} (${Facts.AURORA_BACKTRACK_SOURCE})` : ''}; restore time: ${restore.statement}`,
          });
          break;
        }
        case Disruption.AZ_OUTAGE:
          if (azByReplica) {
            const fact = aurora ? Facts.AURORA_STORAGE_MULTI_AZ : Facts.RDS_MULTI_AZ_FAILOVER;
            out.push({
              disruption: t.disruption,
              rpoSeconds: 0,
              rpoKind: BoundKind.DOCUMENTED,
              rtoSeconds: aurora ? undefined : Facts.RDS_MULTI_AZ_FAILOVER.value!.totalSeconds,
              rtoKind: aurora ? BoundKind.NONE : BoundKind.TYPICAL,
              mechanisms: [aurora ? Mechanism.AURORA_MULTI_AZ.id : Mechanism.RDS_MULTI_AZ.id],
              basis: `${fact.statement} (${fact.source})`,
            });
          } else {
            out.push({
              disruption: t.disruption,
              rpoSeconds: pitr.value!.totalSeconds,
              rpoKind: pitr.kind,
              rtoKind: BoundKind.NONE,
              mechanisms: [Mechanism.RDS_PITR.id],
              basis: `single-AZ instance: restore from automated backups (${pitr.statement}, ${pitr.source}); restore time: ${restore.statement}`,
            });
          }
          break;
        case Disruption.REGION_OUTAGE: {
          const mechs: string[] = [];
          const parts: string[] = [];
          let rpo: number | undefined;
          let rpoKind: string = BoundKind.NONE;
          let rpoIsLowerBound = false;
          let rto: number | undefined;
          let rtoKind: string = BoundKind.NONE;
          let rtoIsLowerBound = false;
          if (standby.length) {
            if (this.isCluster && aurora) {
              const f = Facts.AURORA_GLOBAL_DB_RPO;
              mechs.push(Mechanism.AURORA_GLOBAL_DATABASE.id);
              rpo = f.value!.totalSeconds;
              rpoKind = f.kind;
              rto = Facts.AURORA_GLOBAL_DB_FAILOVER.value!.totalSeconds;
              rtoKind = BoundKind.ESTIMATED;
              rtoIsLowerBound = true;
              parts.push(`Aurora global database secondary in ${standby.join(', ')}: ${f.statement} (${f.source}); ${Facts.AURORA_GLOBAL_DB_FAILOVER.statement}`);
            } else {
              mechs.push(Mechanism.RDS_READ_REPLICA.id);
              parts.push(`read replica in ${standby.join(', ')}: ${Facts.RDS_READ_REPLICA_LAG.statement} (${Facts.RDS_READ_REPLICA_LAG.source}); ${Facts.RDS_REPLICA_PROMOTION.statement}`);
            }
          }
          if (replicationRegion) {
            const f = Facts.RDS_BACKUP_REPLICATION_RPO;
            mechs.push(Mechanism.RDS_BACKUP_REPLICATION.id);
            if (rpo === undefined) {
              rpo = f.value!.totalSeconds;
              rpoKind = f.kind;
            }
            parts.push(`automated backups replicated to ${replicationRegion}: ${f.statement} (${f.source})`);
          }
          const copying = snapshotRules.filter(x => x.copies.some(c => c.target === 'region'));
          if (copying.length) {
            const h = Math.min(...copying.map(x => x.intervalHours));
            mechs.push(Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id);
            const worst = Period.hours(h).plus(Facts.BACKUP_MIN_START_WINDOW);
            if (rpo === undefined) {
              rpo = worst.totalSeconds;
              rpoKind = BoundKind.ESTIMATED;
              rpoIsLowerBound = true;
            }
            parts.push(`AWS Backup every ${h}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}, copied to ${copyRegion}; ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_TIME.source})`);
          }
          if (rto === undefined) parts.push(`restore time: ${restore.statement}`);
          out.push({
            disruption: t.disruption,
            rpoSeconds: rpo,
            rpoKind,
            rpoIsLowerBound: rpoIsLowerBound || undefined,
            rtoSeconds: rto,
            rtoKind,
            rtoIsLowerBound: rtoIsLowerBound || undefined,
            mechanisms: mechs,
            basis: parts.join('; '),
          });
          break;
        }
        case Disruption.ACCOUNT_COMPROMISE: {
          const h = shortest ?? 24;
          const worst = Period.hours(h).plus(Facts.BACKUP_MIN_START_WINDOW);
          out.push({
            disruption: t.disruption,
            rpoSeconds: worst.totalSeconds,
            rpoKind: BoundKind.ESTIMATED,
            rpoIsLowerBound: true,
            rtoKind: BoundKind.NONE,
            mechanisms: [Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY.id],
            basis: `AWS Backup every ${h}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}, copied to account ${copyAccount}; ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_TIME.source}); restore time: ${restore.statement}`,
          });
          break;
        }
      }
    }
    return out;
  }
}

function overlaps(aStart: number, aLen: number, bStart: number, bLen: number, period: number): boolean {
  // Two windows on a circle of `period` minutes overlap when either start lies inside the other.
  const inside = (x: number, s: number, l: number) => ((x - s + period) % period) < l;
  return inside(aStart, bStart, bLen) || inside(bStart, aStart, aLen);
}

/**
 * The AWS Backup part of an RDS plan as the `ProtectionPlan` a shared objective backup takes
 * (the CDK `ObjectiveBackup` and the Pulumi backup alike).
 *
 * @internal
 */
export function rdsAsProtectionPlan(plan: RdsProtectionPlan): ProtectionPlan {
  return {
    kind: plan.kind,
    resourceName: plan.resourceName,
    deletionProtection: plan.deletionProtection,
    backupRules: plan.backupRules,
    vault: plan.vault,
    copyRegion: plan.copyRegion,
    copyAccount: plan.copyAccount,
    achieved: plan.achieved,
    advisories: plan.advisories,
  };
}
