import { BoundKind, Facts, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../objective';
import { AchievedTarget } from '../plan';
import { achievedBy, checkExpiryAgainstObjective, checkTierChain, CloudReportEntry, refuseRpo, reportFrom, requireName, TierStep } from './common';

/** Cloud Storage classes a lifecycle rule can move objects to. */
export enum GcsStorageClass {
  /** Nearline: minimum storage duration 30 days. */
  NEARLINE = 'NEARLINE',
  /** Coldline: minimum storage duration 90 days. */
  COLDLINE = 'COLDLINE',
  /** Archive: minimum storage duration 365 days. */
  ARCHIVE = 'ARCHIVE',
}

/** A move to a colder storage class. */
export interface GcsTransition {
  /** The class to move to. */
  readonly storageClass: GcsStorageClass;
  /** Days after creation (current objects) or after becoming noncurrent (noncurrent versions). */
  readonly afterDays: number;
}

/** Storage-class tiering and expiration for a Cloud Storage bucket. */
export interface GcsTieringProps {
  /**
   * Moves of live objects to colder classes, by age.
   * @default - none
   */
  readonly transitions?: GcsTransition[];
  /**
   * Delete live objects at this age (days).
   * @default - never
   */
  readonly expireAfterDays?: number;
  /**
   * Moves of noncurrent versions to colder classes, by days since they became noncurrent.
   * @default - none
   */
  readonly noncurrentTransitions?: GcsTransition[];
  /**
   * Delete noncurrent versions this many days after they became noncurrent.
   * @default - never
   */
  readonly noncurrentExpireAfterDays?: number;
  /**
   * The objective whose retention the expirations must honour.
   * @default - no retention check
   */
  readonly objective?: RecoveryObjective;
}

/** One Cloud Storage lifecycle rule, as the bucket's `lifecycleRules` takes it. */
export interface GcsLifecycleRulePlan {
  /** `SetStorageClass` or `Delete`. */
  readonly action: string;
  /**
   * Target class for `SetStorageClass`.
   * @default - none (Delete)
   */
  readonly storageClass?: string;
  /**
   * Age condition in days (live objects).
   * @default - none
   */
  readonly age?: number;
  /**
   * Days-since-noncurrent condition (noncurrent versions).
   * @default - none
   */
  readonly daysSinceNoncurrentTime?: number;
  /** `LIVE` or `ARCHIVED` (noncurrent). */
  readonly withState: string;
}

/** Where a dual-region bucket lives. */
export interface GcsBucketContext {
  /** Name of the bucket, for messages and reports. */
  readonly resourceName: string;
  /** First region of the dual-region, for example `us-central1`. */
  readonly primaryRegion: string;
  /** Second region of the dual-region, for example `us-east1`. */
  readonly secondaryRegion: string;
  /**
   * Multi-region code that contains both regions (`US`, `EU`, `ASIA`).
   * @default - derived from the region names
   */
  readonly location?: string;
  /**
   * Tiering rules to add to the bucket.
   * @default - none
   */
  readonly tiering?: GcsTieringProps;
}

/** A neutral plan for a dual-region Cloud Storage bucket. */
export interface GcsBucketPlan {
  /** Always `gcp`. */
  readonly cloud: string;
  /** Bucket name. */
  readonly resourceName: string;
  /** Bucket `location` (multi-region code). */
  readonly location: string;
  /** `customPlacementConfig.dataLocations` (upper case, as Cloud Storage reports them). */
  readonly dataLocations: string[];
  /** Bucket `rpo`: `ASYNC_TURBO` or `DEFAULT`. */
  readonly replication: string;
  /** Object Versioning on. */
  readonly versioning: boolean;
  /** Soft-delete retention in days. */
  readonly softDeleteDays: number;
  /**
   * Days a noncurrent version is kept.
   * @default - none (versioning off)
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Retention policy period in days.
   * @default - no retention policy
   */
  readonly retentionPolicyDays?: number;
  /** Whether the retention policy is locked. */
  readonly retentionPolicyLocked: boolean;
  /** Lifecycle rules, in order. */
  readonly lifecycleRules: GcsLifecycleRulePlan[];
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines, one per disruption in scope. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

const GCP_MECHANISMS = (): Mechanism[] => [
  Mechanism.GCS_TURBO_REPLICATION, Mechanism.GCS_DUAL_REGION, Mechanism.GCS_VERSIONING, Mechanism.GCS_BUCKET_LOCK,
];

/** Cloud Storage multi-region codes that hold configurable dual-regions, by region prefix. */
const MULTI_REGION_BY_PREFIX: Array<[string, string]> = [['us-', 'US'], ['europe-', 'EU'], ['asia-', 'ASIA']];

/**
 * Plans Google Cloud protection from a recovery objective. Pure: the Pulumi components
 * in `drkit/pulumi/gcp` render its plans.
 */
export class GcpPlanner {
  /**
   * Plans a dual-region Cloud Storage bucket: turbo replication when the region-outage RPO
   * needs the 15-minute bound, versioning and soft delete (or a retention policy when the
   * objective asks for immutability), lifecycle rules for noncurrent versions.
   */
  public static storageBucket(objective: RecoveryObjective, context: GcsBucketContext): GcsBucketPlan {
    const name = requireName(context.resourceName);
    const resource = `bucket ${name}`;
    const primary = String(context.primaryRegion ?? '').toLowerCase();
    const secondary = String(context.secondaryRegion ?? '').toLowerCase();
    if (!primary || !secondary) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${resource} needs \`primaryRegion\` and \`secondaryRegion\` (the two regions of the dual-region, for example us-central1 and us-east1), but got "${context.primaryRegion}" and "${context.secondaryRegion}"`);
    }
    if (primary === secondary) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` "${secondary}" is the same as \`primaryRegion\` for ${resource}: a dual-region needs two different regions; choose another region`);
    }
    const location = GcpPlanner.multiRegionFor(resource, primary, secondary, context.location);
    const advisories: string[] = [];

    // Region outage: turbo replication when the RPO is below the default replication target.
    let replication = 'DEFAULT';
    const region = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;
    if (region) {
      const turboFloor = Facts.GCS_TURBO_REPLICATION_RPO.value!;
      if (region.rpo.isShorterThan(turboFloor)) {
        refuseRpo(region.rpo, Disruption.REGION_OUTAGE, Mechanism.GCS_TURBO_REPLICATION, resource, objective,
          '; default replication is slower still (100% within 12 hours)');
      }
      if (region.rpo.isShorterThan(Facts.GCS_DEFAULT_REPLICATION_RPO.value!)) replication = 'ASYNC_TURBO';
    }

    // Corruption and compromise: versioning, or a retention policy (the two are exclusive).
    const pit = objective.retention.pointInTimeDays;
    const lockMode = objective.immutability;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: a project owner can delete a bucket's objects unless a locked retention policy (Bucket Lock, ${Facts.GCS_BUCKET_LOCK.source}) forbids it; set immutability to Immutability.COMPLIANCE, keep a copy outside the project (CrossCloudCopy), or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    const retentionPolicy = lockMode !== Immutability.NONE;
    const versioning = !retentionPolicy;
    if (retentionPolicy) {
      advisories.push(`Object Versioning is off: Cloud Storage does not allow it together with a retention policy (${Facts.GCS_BUCKET_LOCK.source}); the ${lockMode === Immutability.COMPLIANCE ? 'locked' : 'unlocked'} retention policy of ${pit} days blocks overwrites and deletes instead`);
    }
    if (lockMode === Immutability.COMPLIANCE) {
      advisories.push(`the retention policy is locked: it can never be removed or shortened, and the bucket cannot be deleted until every object is older than ${pit} days`);
    }
    const softDeleteDays = Math.min(Facts.GCS_SOFT_DELETE_MAX_DAYS, Math.max(Facts.GCS_SOFT_DELETE_MIN_DAYS, pit));
    if (pit > Facts.GCS_SOFT_DELETE_MAX_DAYS && versioning) {
      advisories.push(`soft delete keeps deleted objects at most ${Facts.GCS_SOFT_DELETE_MAX_DAYS} days (${Facts.GCS_SOFT_DELETE_SOURCE}); noncurrent versions cover the rest of the ${pit}-day window`);
    }

    const tiering = context.tiering ?? {};
    const lifecycleRules = GcpPlanner.lifecycleRules({
      ...tiering,
      objective: tiering.objective ?? objective,
      noncurrentExpireAfterDays: versioning ? (tiering.noncurrentExpireAfterDays ?? pit) : tiering.noncurrentExpireAfterDays,
    });

    const achieved: AchievedTarget[] = [];
    const replicationMechanism = replication === 'ASYNC_TURBO' ? Mechanism.GCS_TURBO_REPLICATION : Mechanism.GCS_DUAL_REGION;
    for (const t of objective.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION:
          achieved.push(retentionPolicy
            ? achievedBy(t.disruption, Mechanism.GCS_BUCKET_LOCK, `retention policy of ${pit} days: ${Facts.GCS_BUCKET_LOCK.statement} (${Facts.GCS_BUCKET_LOCK.source}); soft delete ${softDeleteDays} days`)
            : achievedBy(t.disruption, Mechanism.GCS_VERSIONING, `noncurrent versions kept ${pit} days, soft delete ${softDeleteDays} days: ${Facts.GCS_VERSIONING.statement} (${Facts.GCS_VERSIONING.source}); restore time: ${Mechanism.GCS_VERSIONING.rto.statement}`));
          break;
        case Disruption.AZ_OUTAGE:
          achieved.push({
            ...achievedBy(t.disruption, replicationMechanism),
            rpoSeconds: 0,
            rpoKind: Facts.GCS_MULTI_ZONE.kind,
            rtoSeconds: 0,
            rtoKind: Facts.GCS_MULTI_ZONE.kind,
            basis: `${Facts.GCS_MULTI_ZONE.statement} (${Facts.GCS_MULTI_ZONE.source})`,
          });
          break;
        case Disruption.REGION_OUTAGE:
          achieved.push(achievedBy(t.disruption, replicationMechanism,
            `dual-region ${location} (${primary.toUpperCase()}, ${secondary.toUpperCase()}) with ${replication === 'ASYNC_TURBO' ? 'turbo' : 'default'} replication: ${replicationMechanism.rpo.statement} (${replicationMechanism.rpo.source}); ${Facts.GCS_DUAL_REGION_RTO.statement}`));
          break;
        case Disruption.ACCOUNT_COMPROMISE:
          achieved.push({
            ...achievedBy(t.disruption, Mechanism.GCS_BUCKET_LOCK, `locked retention policy of ${pit} days: ${Facts.GCS_BUCKET_LOCK.statement} (${Facts.GCS_BUCKET_LOCK.source})`),
          });
          break;
      }
      const a = achieved[achieved.length - 1];
      if (a.rtoSeconds !== undefined && a.rtoSeconds > t.rto.totalSeconds) {
        throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
          `\`rto\` ${t.rto.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${resource}: ${a.basis}; raise the rto to at least ${a.rtoSeconds} seconds`);
      }
    }

    return {
      cloud: 'gcp',
      resourceName: name,
      location,
      dataLocations: [primary.toUpperCase(), secondary.toUpperCase()],
      replication,
      versioning,
      softDeleteDays,
      noncurrentVersionDays: versioning ? (tiering.noncurrentExpireAfterDays ?? pit) : undefined,
      retentionPolicyDays: retentionPolicy ? pit : undefined,
      retentionPolicyLocked: lockMode === Immutability.COMPLIANCE,
      lifecycleRules,
      achieved,
      report: reportFrom(achieved, GCP_MECHANISMS()),
      advisories,
    };
  }

  /**
   * Lifecycle rules for storage-class tiering, checked against each class's minimum
   * storage duration (an object stays in a class at least that long before it moves on or
   * is deleted) and, when an objective is given, against its retention.
   */
  public static lifecycleRules(props: GcsTieringProps): GcsLifecycleRulePlan[] {
    const live = (props.transitions ?? []).map(t => GcpPlanner.step(t));
    const old = (props.noncurrentTransitions ?? []).map(t => GcpPlanner.step(t));
    checkTierChain('transitions', live, props.expireAfterDays, Facts.GCS_STORAGE_CLASSES_SOURCE);
    checkTierChain('noncurrentTransitions', old, props.noncurrentExpireAfterDays, Facts.GCS_STORAGE_CLASSES_SOURCE);
    const o = props.objective;
    if (o) {
      checkExpiryAgainstObjective('expireAfterDays', props.expireAfterDays, o.retention.longestDays, 'restore points (its longest retention tier)', o);
      checkExpiryAgainstObjective('noncurrentExpireAfterDays', props.noncurrentExpireAfterDays, o.retention.pointInTimeDays, 'prior versions (retention.pointInTime)', o);
    }
    const rules: GcsLifecycleRulePlan[] = [];
    for (const s of [...live].sort((a, b) => a.afterDays - b.afterDays)) {
      rules.push({ action: 'SetStorageClass', storageClass: s.tier, age: s.afterDays, withState: 'LIVE' });
    }
    if (props.expireAfterDays !== undefined) rules.push({ action: 'Delete', age: props.expireAfterDays, withState: 'LIVE' });
    for (const s of [...old].sort((a, b) => a.afterDays - b.afterDays)) {
      rules.push({ action: 'SetStorageClass', storageClass: s.tier, daysSinceNoncurrentTime: s.afterDays, withState: 'ARCHIVED' });
    }
    if (props.noncurrentExpireAfterDays !== undefined) {
      rules.push({ action: 'Delete', daysSinceNoncurrentTime: props.noncurrentExpireAfterDays, withState: 'ARCHIVED' });
    }
    return rules;
  }

  /** Minimum storage duration of a class, in days. */
  public static minStorageDays(storageClass: GcsStorageClass): number {
    switch (storageClass) {
      case GcsStorageClass.NEARLINE: return Facts.GCS_NEARLINE_MIN_DAYS;
      case GcsStorageClass.COLDLINE: return Facts.GCS_COLDLINE_MIN_DAYS;
      case GcsStorageClass.ARCHIVE: return Facts.GCS_ARCHIVE_MIN_DAYS;
    }
    throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
      `storage class "${storageClass}" is not one drkit tiers to: use GcsStorageClass.NEARLINE, COLDLINE or ARCHIVE`);
  }

  private static step(t: GcsTransition): TierStep {
    const order = [GcsStorageClass.NEARLINE, GcsStorageClass.COLDLINE, GcsStorageClass.ARCHIVE];
    return { tier: t.storageClass, afterDays: t.afterDays, minDays: GcpPlanner.minStorageDays(t.storageClass), rank: order.indexOf(t.storageClass) };
  }

  private static multiRegionFor(resource: string, primary: string, secondary: string, given?: string): string {
    const derive = (r: string) => MULTI_REGION_BY_PREFIX.find(([p]) => r.startsWith(p))?.[1];
    if (given) return given.toUpperCase();
    const a = derive(primary);
    const b = derive(secondary);
    if (!a || a !== b) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${resource}: regions "${primary}" and "${secondary}" ${a && b ? `are in different multi-regions (${a}, ${b})` : 'do not name a known multi-region'}; a configurable dual-region needs two regions of one multi-region (US, EU or ASIA): choose regions on one continent, or set \`location\` explicitly`);
    }
    return a;
  }

  private constructor() {}
}

/** Cloud SQL edition: it sets the longest transaction-log retention. */
export enum CloudSqlEdition {
  /** Enterprise: transaction logs kept 1-7 days. */
  ENTERPRISE = 'ENTERPRISE',
  /** Enterprise Plus: transaction logs kept 1-35 days. */
  ENTERPRISE_PLUS = 'ENTERPRISE_PLUS',
}

/** Where and what a Cloud SQL instance is. */
export interface CloudSqlContext {
  /** Instance name, for messages and reports. */
  readonly resourceName: string;
  /** `databaseVersion`, for example `POSTGRES_16` or `MYSQL_8_0`. */
  readonly databaseVersion: string;
  /** Region of the primary, for example `us-central1`. */
  readonly region: string;
  /**
   * Edition.
   * @default CloudSqlEdition.ENTERPRISE
   */
  readonly edition?: CloudSqlEdition;
  /**
   * Region of a cross-region read replica kept as a standby.
   * @default - none
   */
  readonly replicaRegion?: string;
}

/** A neutral plan for a Cloud SQL instance's protection settings. */
export interface CloudSqlPlan {
  /** Always `gcp`. */
  readonly cloud: string;
  /** Instance name. */
  readonly resourceName: string;
  /** Edition. */
  readonly edition: string;
  /** `pointInTimeRecoveryEnabled` (PostgreSQL, SQL Server). */
  readonly pointInTimeRecoveryEnabled: boolean;
  /** `binaryLogEnabled` (MySQL). */
  readonly binaryLogEnabled: boolean;
  /** `transactionLogRetentionDays`. */
  readonly transactionLogRetentionDays: number;
  /** `backupRetentionSettings.retainedBackups` (daily automated backups kept). */
  readonly retainedBackups: number;
  /** `backupConfiguration.startTime` (UTC, HH:MM). */
  readonly backupStartTime: string;
  /**
   * `backupConfiguration.location`: a multi-region, when region outage is in scope.
   * @default - Cloud SQL's default location
   */
  readonly backupLocation?: string;
  /** `availabilityType`: `REGIONAL` (high availability) or `ZONAL`. */
  readonly availabilityType: string;
  /** `deletionProtectionEnabled` and Pulumi `deletionProtection`. */
  readonly deletionProtection: boolean;
  /** `retainBackupsOnDelete`. */
  readonly retainBackupsOnDelete: boolean;
  /**
   * Region of the cross-region replica.
   * @default - none
   */
  readonly replicaRegion?: string;
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** Where a Firestore database is. */
export interface FirestoreContext {
  /** Database name, for messages and reports. */
  readonly resourceName: string;
  /** `locationId`: a region (`us-east1`) or a multi-region (`nam5`, `eur3`). */
  readonly locationId: string;
}

/** A neutral plan for a Firestore database's protection settings. */
export interface FirestorePlan {
  /** Always `gcp`. */
  readonly cloud: string;
  /** Database name. */
  readonly resourceName: string;
  /** `pointInTimeRecoveryEnablement`. */
  readonly pointInTimeRecoveryEnablement: string;
  /** `deleteProtectionState`. */
  readonly deleteProtectionState: string;
  /** Whether the location is a multi-region. */
  readonly multiRegion: boolean;
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

const GCP_DB_MECHANISMS = (): Mechanism[] => [
  Mechanism.CLOUD_SQL_PITR, Mechanism.CLOUD_SQL_HA, Mechanism.CLOUD_SQL_MULTI_REGION_BACKUPS, Mechanism.CLOUD_SQL_CROSS_REGION_REPLICA,
  Mechanism.FIRESTORE_PITR, Mechanism.FIRESTORE_REPLICATION,
];

/** Cloud SQL backups' multi-region location, by region prefix. */
const SQL_BACKUP_MULTI_REGION: Array<[string, string]> = [['us-', 'us'], ['europe-', 'eu'], ['asia-', 'asia']];

/** Plans Google Cloud database protection. Pure. */
export class GcpDatabasePlanner {
  /**
   * Plans a Cloud SQL instance: automated backups and point-in-time recovery with the
   * longest transaction-log retention the edition allows, high availability against zone
   * loss, backups in a multi-region and an optional cross-region replica against region
   * loss, deletion protection and backups retained on delete.
   */
  public static cloudSql(objective: RecoveryObjective, context: CloudSqlContext): CloudSqlPlan {
    const name = requireName(context.resourceName);
    const resource = `Cloud SQL instance ${name}`;
    const edition = context.edition ?? CloudSqlEdition.ENTERPRISE;
    const version = String(context.databaseVersion ?? '').toUpperCase();
    const mysql = version.startsWith('MYSQL');
    if (!/^(MYSQL|POSTGRES|SQLSERVER)/.test(version)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`databaseVersion\` "${context.databaseVersion}" of ${resource} is not a Cloud SQL version: use for example POSTGRES_16, MYSQL_8_0 or SQLSERVER_2022_STANDARD`);
    }
    const advisories: string[] = [];
    const r = objective.retention;
    const maxLogDays = edition === CloudSqlEdition.ENTERPRISE_PLUS
      ? Facts.CLOUD_SQL_LOG_RETENTION_MAX_DAYS_ENTERPRISE_PLUS : Facts.CLOUD_SQL_LOG_RETENTION_MAX_DAYS_ENTERPRISE;
    if (r.pointInTimeDays > maxLogDays) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${r.pointInTimeDays} days cannot be met for ${resource}: Cloud SQL ${edition} keeps transaction logs for point-in-time recovery at most ${maxLogDays} days (${Facts.CLOUD_SQL_PITR_RPO.source}); set pointInTime to ${maxLogDays} days or less${edition === CloudSqlEdition.ENTERPRISE ? ', or use CloudSqlEdition.ENTERPRISE_PLUS (up to 35 days)' : ''}, and keep older restore points with daily backups`);
    }
    const retainedBackups = Math.max(1, r.daily, r.pointInTimeDays);
    if (retainedBackups > Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.daily\` of ${r.daily} cannot be met for ${resource}: Cloud SQL keeps at most ${Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX} automated backups (${Facts.CLOUD_SQL_BACKUPS_SOURCE}); keep ${Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX} or fewer and use monthly or yearly points in a Backup and DR vault for the rest`);
    }
    if (r.weekly || r.monthly || r.yearly) {
      advisories.push(`Cloud SQL automated backups are daily only: keep the weekly, monthly and yearly restore points in a Backup and DR backup plan (${Facts.CLOUD_SQL_BACKUPS_SOURCE})`);
    }
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE)) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but Cloud SQL's automated backups live in the same project and are deleted with it: protect the instance with a Backup and DR vault with enforced retention, or remove Disruption.ACCOUNT_COMPROMISE`);
    }

    const corruption = objective.covers(Disruption.DATA_CORRUPTION) ? objective.targetFor(Disruption.DATA_CORRUPTION) : undefined;
    if (corruption && corruption.rpo.isShorterThan(Facts.CLOUD_SQL_PITR_RPO.value!)) {
      refuseRpo(corruption.rpo, Disruption.DATA_CORRUPTION, Mechanism.CLOUD_SQL_PITR, resource, objective, '');
    }
    const region = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;
    let backupLocation: string | undefined;
    const replicaRegion = context.replicaRegion?.toLowerCase();
    if (replicaRegion && replicaRegion === String(context.region).toLowerCase()) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`replicaRegion\` "${replicaRegion}" is the region ${resource} is in: a replica in the same region does not survive a region outage; choose another region`);
    }
    if (region) {
      backupLocation = SQL_BACKUP_MULTI_REGION.find(([p]) => String(context.region).toLowerCase().startsWith(p))?.[1];
      if (!backupLocation) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `${resource} is in "${context.region}", which is not in a multi-region Cloud SQL can keep backups in (us, eu, asia): drkit cannot place its backups outside the region; remove Disruption.REGION_OUTAGE or use a region in the US, Europe or Asia`);
      }
      const floor = Mechanism.CLOUD_SQL_MULTI_REGION_BACKUPS.rpo.value!;
      if (region.rpo.isShorterThan(floor)) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${region.rpo.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}"): ${Facts.CLOUD_SQL_REPLICA_RPO.statement} (${Facts.CLOUD_SQL_REPLICA_RPO.source}), so drkit counts only the daily backups kept in the ${backupLocation} multi-region, which may be ${floor.toHuman()} old (a day plus the ${Facts.CLOUD_SQL_BACKUP_WINDOW.toHuman()} backup window, ${Facts.CLOUD_SQL_BACKUPS_SOURCE}). Raise the region-outage rpo to at least ${floor.toHuman()} with \`perDisruption\``);
      }
      if (!replicaRegion) {
        advisories.push(`no \`replicaRegion\`: after a region outage the instance is restored from backups in ${backupLocation}, which takes an unpublished time; a cross-region replica (promoted on failover) shortens that`);
      }
    }

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION:
          achieved.push(achievedBy(t.disruption, Mechanism.CLOUD_SQL_PITR,
            `${mysql ? 'binary logging' : 'point-in-time recovery'} with ${r.pointInTimeDays} days of transaction logs and ${retainedBackups} daily backups: ${Facts.CLOUD_SQL_PITR_RPO.statement} (${Facts.CLOUD_SQL_PITR_RPO.source}); restore time: ${Mechanism.CLOUD_SQL_PITR.rto.statement}`));
          break;
        case Disruption.AZ_OUTAGE:
          achieved.push(achievedBy(t.disruption, Mechanism.CLOUD_SQL_HA));
          break;
        case Disruption.REGION_OUTAGE: {
          const base = achievedBy(t.disruption, Mechanism.CLOUD_SQL_MULTI_REGION_BACKUPS,
            `daily backups in the ${backupLocation} multi-region, up to ${Mechanism.CLOUD_SQL_MULTI_REGION_BACKUPS.rpo.value!.toHuman()} old (${Facts.CLOUD_SQL_BACKUPS_SOURCE})${replicaRegion ? `; standby replica in ${replicaRegion}: ${Facts.CLOUD_SQL_REPLICA_RPO.statement}, not counted toward the RPO` : ''}`);
          achieved.push(replicaRegion ? { ...base, mechanisms: [...base.mechanisms, Mechanism.CLOUD_SQL_CROSS_REGION_REPLICA.id] } : base);
          break;
        }
      }
    }
    return {
      cloud: 'gcp',
      resourceName: name,
      edition,
      pointInTimeRecoveryEnabled: !mysql,
      binaryLogEnabled: mysql,
      transactionLogRetentionDays: r.pointInTimeDays,
      retainedBackups,
      backupStartTime: '05:00',
      backupLocation,
      availabilityType: objective.covers(Disruption.AZ_OUTAGE) ? 'REGIONAL' : 'ZONAL',
      deletionProtection: true,
      retainBackupsOnDelete: true,
      replicaRegion,
      achieved,
      report: reportFrom(achieved, GCP_DB_MECHANISMS()),
      advisories,
    };
  }

  /** Plans a Firestore database: point-in-time recovery and delete protection. */
  public static firestore(objective: RecoveryObjective, context: FirestoreContext): FirestorePlan {
    const name = requireName(context.resourceName);
    const resource = `Firestore database ${name}`;
    const location = String(context.locationId ?? '').toLowerCase();
    const multiRegion = /^(nam|eur)\d+$/.test(location);
    const r = objective.retention;
    if (r.pointInTimeDays > Facts.FIRESTORE_PITR_MAX_DAYS) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${r.pointInTimeDays} days cannot be met for ${resource}: Firestore point-in-time recovery keeps at most ${Facts.FIRESTORE_PITR_MAX_DAYS} days (${Facts.FIRESTORE_PITR_RPO.source}); set pointInTime to ${Facts.FIRESTORE_PITR_MAX_DAYS} days or less and keep older restore points with scheduled backups or exports`);
    }
    const corruption = objective.covers(Disruption.DATA_CORRUPTION) ? objective.targetFor(Disruption.DATA_CORRUPTION) : undefined;
    if (corruption && corruption.rpo.isShorterThan(Facts.FIRESTORE_PITR_RPO.value!)) {
      refuseRpo(corruption.rpo, Disruption.DATA_CORRUPTION, Mechanism.FIRESTORE_PITR, resource, objective, '');
    }
    if (objective.covers(Disruption.REGION_OUTAGE) && !multiRegion) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `region outage is among the disruptions for ${resource}, but its location "${context.locationId}" is a single region: ${Facts.FIRESTORE_MULTI_REGION.statement} (${Facts.FIRESTORE_MULTI_REGION.source}); use a multi-region location such as nam5 or eur3 (set at creation), or remove Disruption.REGION_OUTAGE`);
    }
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE)) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but point-in-time recovery keeps versions in the same project: export to a bucket in another project with a locked retention policy, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    const achieved: AchievedTarget[] = [];
    const zoneOrRegion = (d: Disruption, f: typeof Facts.FIRESTORE_MULTI_ZONE): AchievedTarget => ({
      disruption: d, rpoSeconds: 0, rpoKind: f.kind, rtoSeconds: 0, rtoKind: f.kind, mechanisms: [Mechanism.FIRESTORE_REPLICATION.id], basis: `${f.statement} (${f.source})`,
    });
    for (const t of objective.targets) {
      if (t.disruption === Disruption.DATA_CORRUPTION) {
        achieved.push(achievedBy(t.disruption, Mechanism.FIRESTORE_PITR, `point-in-time recovery (${Facts.FIRESTORE_PITR_MAX_DAYS}-day window): ${Facts.FIRESTORE_PITR_RPO.statement} (${Facts.FIRESTORE_PITR_RPO.source})`));
      } else if (t.disruption === Disruption.AZ_OUTAGE) {
        achieved.push(zoneOrRegion(t.disruption, Facts.FIRESTORE_MULTI_ZONE));
      } else if (t.disruption === Disruption.REGION_OUTAGE) {
        achieved.push(zoneOrRegion(t.disruption, Facts.FIRESTORE_MULTI_REGION));
      }
    }
    return {
      cloud: 'gcp',
      resourceName: name,
      pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
      deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
      multiRegion,
      achieved,
      report: reportFrom(achieved, GCP_DB_MECHANISMS()),
      advisories: [],
    };
  }

  private constructor() {}
}

/** What a Backup and DR plan protects. */
export interface GcpBackupContext {
  /** Plan name, for messages and reports. */
  readonly resourceName: string;
  /** `resourceType`, for example `compute.googleapis.com/Instance` or `sqladmin.googleapis.com/Instance`. */
  readonly resourceType: string;
  /**
   * Time (RFC 3339) from which the vault's minimum enforced retention is locked.
   * @default - not locked
   */
  readonly lockEffectiveTime?: string;
}

/** One Backup and DR backup rule. */
export interface GcpBackupRulePlan {
  /** `ruleId`. */
  readonly ruleId: string;
  /** `HOURLY`, `DAILY`, `WEEKLY`, `MONTHLY` or `YEARLY`. */
  readonly recurrenceType: string;
  /**
   * `hourlyFrequency` (HOURLY only).
   * @default - none
   */
  readonly hourlyFrequency?: number;
  /**
   * `daysOfWeeks` (WEEKLY).
   * @default - none
   */
  readonly daysOfWeeks?: string[];
  /**
   * `daysOfMonths` (MONTHLY, YEARLY).
   * @default - none
   */
  readonly daysOfMonths?: number[];
  /**
   * `months` (YEARLY).
   * @default - none
   */
  readonly months?: string[];
  /** Backup window start hour (UTC). */
  readonly windowStartHour: number;
  /** Backup window end hour (UTC). */
  readonly windowEndHour: number;
  /** `backupRetentionDays`. */
  readonly backupRetentionDays: number;
}

/** A neutral plan for a Backup and DR vault, plan and associations. */
export interface GcpBackupPlan {
  /** Always `gcp`. */
  readonly cloud: string;
  /** Plan name. */
  readonly resourceName: string;
  /** Vault `backupMinimumEnforcedRetentionDuration` in days. */
  readonly minimumEnforcedRetentionDays: number;
  /**
   * Vault `effectiveTime` (lock).
   * @default - none
   */
  readonly lockEffectiveTime?: string;
  /** Rules, most frequent first. */
  readonly rules: GcpBackupRulePlan[];
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** Plans Backup and DR service protection. Pure. */
export class GcpBackupPlanner {
  /**
   * Plans a backup vault (minimum enforced retention = the shortest rule's retention when
   * the objective asks for immutability), a backup plan whose rules follow the objective's
   * RPO and grandfather-father-son retention, and associations.
   */
  public static backupPlan(objective: RecoveryObjective, context: GcpBackupContext): GcpBackupPlan {
    const name = requireName(context.resourceName);
    const resource = `Backup and DR plan ${name}`;
    const advisories: string[] = [];
    const r = objective.retention;
    const window = Facts.GCP_BACKUPDR_DAILY_WINDOW_HOURS;
    const minFreq = Facts.GCP_BACKUPDR_MIN_HOURLY_FREQUENCY;
    const hourlyChoices = [6, 8, 12].filter(h => h >= minFreq);
    // The tightest RPO the scheduled backups alone must meet.
    const needs = [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.ACCOUNT_COMPROMISE]
      .filter(d => objective.covers(d)).map(d => objective.targetFor(d));
    if (objective.covers(Disruption.REGION_OUTAGE)) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `region outage is among the disruptions for ${resource} (objective "${objective.name}"), but a backup vault keeps backups in its own location and drkit does not plan cross-region copies for Backup and DR yet: protect the region with the resource's own cross-region mechanism and remove Disruption.REGION_OUTAGE from this plan's objective`);
    }
    const worstHours = (h: number) => (h < 24 ? h : h + window);
    let interval = objective.backupInterval ? Math.max(minFreq, Math.round(objective.backupInterval.toHours())) : 24;
    for (const t of needs) {
      const fit = [...hourlyChoices, 24].filter(h => worstHours(h) <= t.rpo.toHours());
      if (fit.length === 0) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${resource} (objective "${objective.name}") by scheduled backups: drkit schedules Backup and DR backups at most every ${minFreq} hours (${Facts.GCP_BACKUPDR_PLAN_SOURCE}), so the newest backup may be ${minFreq} hours old; use the resource's point-in-time recovery (Cloud SQL PITR) for tighter RPOs, or raise the rpo to at least ${minFreq} hours`);
      }
      if (objective.backupInterval) {
        if (worstHours(interval) > t.rpo.toHours()) {
          throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
            `\`backupInterval\` ${objective.backupInterval.toHuman()} cannot meet \`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} for ${resource}: backups every ${interval} hours${interval >= 24 ? ` that start within a ${window}-hour window` : ''} can lose up to ${worstHours(interval)} hours; back up every ${fit[fit.length - 1]} hours or less`);
        }
      } else {
        interval = Math.min(interval, fit[fit.length - 1]);
      }
    }

    const rules: GcpBackupRulePlan[] = [];
    const start = 5;
    const dayWindow = { windowStartHour: start, windowEndHour: start + window };
    const pitDays = Math.max(1, r.pointInTimeDays);
    if (interval < 24) {
      rules.push({ ruleId: `every-${interval}h`, recurrenceType: 'HOURLY', hourlyFrequency: interval, windowStartHour: 0, windowEndHour: 24, backupRetentionDays: pitDays });
    }
    const dailyKeep = Math.max(r.daily, interval >= 24 ? pitDays : 0);
    if (dailyKeep > 0) rules.push({ ruleId: 'daily', recurrenceType: 'DAILY', ...dayWindow, backupRetentionDays: dailyKeep });
    if (r.weekly > 0) rules.push({ ruleId: 'weekly', recurrenceType: 'WEEKLY', daysOfWeeks: ['SUNDAY'], ...dayWindow, backupRetentionDays: r.weekly * 7 });
    if (r.monthly > 0) rules.push({ ruleId: 'monthly', recurrenceType: 'MONTHLY', daysOfMonths: [1], ...dayWindow, backupRetentionDays: r.monthly * 31 });
    if (r.yearly > 0) rules.push({ ruleId: 'yearly', recurrenceType: 'YEARLY', months: ['JANUARY'], daysOfMonths: [1], ...dayWindow, backupRetentionDays: r.yearly * 366 });

    const lockMode = objective.immutability;
    const minimumEnforcedRetentionDays = lockMode === Immutability.NONE ? 1 : Math.min(...rules.map(x => x.backupRetentionDays));
    const locked = lockMode === Immutability.COMPLIANCE && !!context.lockEffectiveTime;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: only a locked minimum enforced retention keeps backups from early deletion (${Facts.GCP_BACKUPDR_VAULT_SOURCE}); set immutability to Immutability.COMPLIANCE and give \`lockEffectiveTime\`, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    if (lockMode === Immutability.COMPLIANCE && !locked) {
      advisories.push(`the vault's minimum enforced retention (${minimumEnforcedRetentionDays} days) is not locked: set \`lockEffectiveTime\` (RFC 3339) to lock it from that time on; until then it does not survive account compromise`);
    }

    const achieved: AchievedTarget[] = [];
    const worst = worstHours(interval);
    const basis = `backup every ${interval} hours${interval >= 24 ? ` starting within a ${window}-hour window` : ''} into a backup vault (${Facts.GCP_BACKUPDR_PLAN_SOURCE}); restore time: not published`;
    for (const t of objective.targets) {
      if (t.disruption === Disruption.ACCOUNT_COMPROMISE) {
        achieved.push(locked
          ? { ...achievedBy(t.disruption, Mechanism.GCP_BACKUPDR_LOCKED_VAULT, `${basis}; minimum enforced retention ${minimumEnforcedRetentionDays} days, locked from ${context.lockEffectiveTime}`), rpoSeconds: worst * 3600 }
          : { disruption: t.disruption, rpoKind: BoundKind.NONE, rtoKind: BoundKind.NONE, mechanisms: [], basis: 'not yet covered: the minimum enforced retention is not locked (set lockEffectiveTime)' });
      } else {
        achieved.push({ ...achievedBy(t.disruption, Mechanism.GCP_BACKUPDR, basis), rpoSeconds: worst * 3600 });
      }
    }
    return {
      cloud: 'gcp',
      resourceName: name,
      minimumEnforcedRetentionDays,
      lockEffectiveTime: locked ? context.lockEffectiveTime : undefined,
      rules,
      achieved,
      report: reportFrom(achieved, [Mechanism.GCP_BACKUPDR, Mechanism.GCP_BACKUPDR_LOCKED_VAULT]),
      advisories,
    };
  }

  private constructor() {}
}

/** What a cross-cloud copy copies. */
export interface CrossCloudCopyContext {
  /** Copy name, for messages and reports. */
  readonly resourceName: string;
}

/** A neutral plan for a scheduled S3-to-Cloud Storage copy. */
export interface CrossCloudCopyPlan {
  /** Always `gcp`. */
  readonly cloud: string;
  /** Copy name. */
  readonly resourceName: string;
  /** Hours between two transfer runs (`schedule.repeatInterval`). */
  readonly repeatIntervalHours: number;
  /** Hour of day (UTC) of the first run. */
  readonly startHourUtc: number;
  /** Days noncurrent versions are kept in the destination (the point-in-time window). */
  readonly noncurrentVersionDays: number;
  /** Soft-delete retention of the destination bucket (7-90 days). */
  readonly softDeleteDays: number;
  /** Whether this copy is outside the source's provider (counts in the 3-2-1 check). */
  readonly offProviderCopy: boolean;
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** Plans cross-cloud copies into Google Cloud. Pure. */
export class CrossCloudCopyPlanner {
  /**
   * Plans a Storage Transfer Service job that copies an S3 bucket into a versioned Cloud
   * Storage bucket on the objective's schedule: the longest standard interval (1 to 24
   * hours) that fits the tightest RPO in scope, or the objective's `backupInterval`.
   */
  public static fromS3(objective: RecoveryObjective, context: CrossCloudCopyContext): CrossCloudCopyPlan {
    const name = requireName(context.resourceName);
    const resource = `cross-cloud copy ${name}`;
    const min = Facts.STORAGE_TRANSFER_MIN_INTERVAL;
    const tightest = objective.targets.reduce((a, b) => (b.rpo.isShorterThan(a.rpo) ? b : a));
    if (tightest.rpo.isShorterThan(min)) {
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${tightest.rpo.toHuman()} against ${disruptionTitle(tightest.disruption)} cannot be met for ${resource} (objective "${objective.name}"): a Storage Transfer Service job repeats at most every ${min.toHuman()} (${Facts.STORAGE_TRANSFER_SCHEDULE_SOURCE}) and the transfer time is not published; keep tighter protection in AWS (S3 replication) and give the copy an rpo of at least ${min.toHuman()} with \`perDisruption\``);
    }
    const standard = [1, 2, 3, 4, 6, 8, 12, 24];
    const fit = standard.filter(h => h <= tightest.rpo.toHours());
    let interval = fit[fit.length - 1];
    const asked = objective.backupInterval;
    if (asked) {
      const hours = Math.max(1, Math.round(asked.toHours()));
      if (hours > tightest.rpo.toHours()) {
        throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
          `\`backupInterval\` ${asked.toHuman()} cannot meet \`rpo\` ${tightest.rpo.toHuman()} against ${disruptionTitle(tightest.disruption)} for ${resource}: a copy every ${hours} hours can be ${hours} hours old plus the transfer time; copy every ${interval} hours or less`);
      }
      interval = hours;
    }
    const pit = objective.retention.pointInTimeDays;
    const achieved: AchievedTarget[] = objective.targets.map(t => ({
      ...achievedBy(t.disruption, Mechanism.GCP_STORAGE_TRANSFER_FROM_S3,
        `a copy every ${interval} hours into a versioned Cloud Storage bucket outside AWS (${Facts.STORAGE_TRANSFER_S3_SOURCE}); the transfer time is not published (${Facts.STORAGE_TRANSFER_SCHEDULE_SOURCE})`),
      rpoSeconds: interval * 3600,
    }));
    return {
      cloud: 'gcp',
      resourceName: name,
      repeatIntervalHours: interval,
      startHourUtc: 5,
      noncurrentVersionDays: pit,
      softDeleteDays: Math.min(Facts.GCS_SOFT_DELETE_MAX_DAYS, Math.max(Facts.GCS_SOFT_DELETE_MIN_DAYS, pit)),
      offProviderCopy: true,
      achieved,
      report: reportFrom(achieved, [Mechanism.GCP_STORAGE_TRANSFER_FROM_S3]),
      advisories: ['the AWS role is declared, not created: give it s3:ListBucket and s3:GetObject on the source and trust the awsTrustPolicy output (Google\'s service account for this project)'],
    };
  }

  private constructor() {}
}
