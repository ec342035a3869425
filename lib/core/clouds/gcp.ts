import { Facts, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../objective';
import { achievedBy, checkExpiryAgainstObjective, checkTierChain, CloudReportEntry, notCovered, refuseRpo, reportFrom, requireName, TierStep } from './common';
import { AchievedTarget } from '../plan';

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
   * Bucket location: the predefined dual-region the pair forms (for example `NAM4`), or the
   * location code of the configurable dual-region that lists both regions (for example `US`,
   * `EU`, `DE`). Checked against Cloud Storage's documented dual-region table.
   * @default - derived from the two regions
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
  /** Bucket `location`: a predefined dual-region (`NAM4`) or a configurable dual-region's location code (`US`). */
  readonly location: string;
  /** `customPlacementConfig.dataLocations` (upper case, as Cloud Storage reports them); empty for a predefined dual-region. */
  readonly dataLocations: string[];
  /** Whether the pair is planned as a predefined dual-region (no `customPlacementConfig`). */
  readonly predefinedDualRegion: boolean;
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

/**
 * The regions a configurable dual-region may pair, by location code: the table "The following
 * regions are available when creating a configurable dual-region bucket" (Facts.GCS_DUAL_REGIONS_SOURCE).
 */
const GCS_CONFIGURABLE_DUAL_REGIONS: Array<[string, string[]]> = [
  ['ASIA', ['asia-east1', 'asia-southeast1']],
  ['AU', ['australia-southeast1', 'australia-southeast2']],
  ['CA', ['northamerica-northeast1', 'northamerica-northeast2']],
  ['DE', ['europe-west3', 'europe-west10']],
  ['EU', ['europe-central2', 'europe-north1', 'europe-southwest1', 'europe-west1', 'europe-west3', 'europe-west4', 'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12']],
  ['IN', ['asia-south1', 'asia-south2']],
  ['IT', ['europe-west8', 'europe-west12']],
  ['US', ['us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1', 'us-west2', 'us-west3', 'us-west4']],
];

/**
 * Predefined dual-regions (Facts.GCS_DUAL_REGIONS_SOURCE). The pairs EUROPE-NORTH1 + EUROPE-WEST4
 * and US-CENTRAL1 + US-EAST1 are "only available as a predefined dual-region".
 */
const GCS_PREDEFINED_DUAL_REGIONS: Array<[string, string, string]> = [
  ['ASIA1', 'asia-northeast1', 'asia-northeast2'],
  ['EUR4', 'europe-north1', 'europe-west4'],
  ['EUR5', 'europe-west1', 'europe-west2'],
  ['EUR7', 'europe-west2', 'europe-west3'],
  ['EUR8', 'europe-west3', 'europe-west6'],
  ['NAM4', 'us-central1', 'us-east1'],
];

/** Where a pair of regions can form a dual-region. */
interface DualRegionPlacement {
  readonly location: string;
  readonly predefined: boolean;
}

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
    const placement = GcpPlanner.dualRegionFor(resource, primary, secondary, context.location);
    const location = placement.location;
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
            ? achievedBy(t.disruption, Mechanism.GCS_BUCKET_LOCK, `objects younger than ${pit} days only: a retention policy of ${pit} days keeps each object from deletion or replacement until it is ${pit} days old, after which it is unprotected (${Facts.GCS_BUCKET_LOCK.statement}, ${Facts.GCS_BUCKET_LOCK.source}); soft delete ${softDeleteDays} days`)
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
            `${placement.predefined ? 'predefined' : 'configurable'} dual-region ${location} (${primary.toUpperCase()}, ${secondary.toUpperCase()}) with ${replication === 'ASYNC_TURBO' ? 'turbo' : 'default'} replication: ${replicationMechanism.rpo.statement} (${replicationMechanism.rpo.source}); ${Facts.GCS_DUAL_REGION_RTO.statement}`));
          break;
        case Disruption.ACCOUNT_COMPROMISE:
          achieved.push({
            ...achievedBy(t.disruption, Mechanism.GCS_BUCKET_LOCK, `objects younger than ${pit} days only: the locked retention policy of ${pit} days keeps each object from deletion until it is ${pit} days old; older objects can be deleted by a project owner (${Facts.GCS_BUCKET_LOCK.statement}, ${Facts.GCS_BUCKET_LOCK.source}). Set retention.pointInTime to the data's lifetime to protect every object`),
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
      dataLocations: placement.predefined ? [] : [primary.toUpperCase(), secondary.toUpperCase()],
      predefinedDualRegion: placement.predefined,
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

  /**
   * The location of a dual-region from its two regions, checked against Cloud Storage's
   * documented table: a pair that forms a predefined dual-region is planned as that
   * predefined dual-region (two pairs exist only that way); any other pair needs both regions
   * listed under one configurable location code, the narrowest such code is used.
   */
  private static dualRegionFor(resource: string, primary: string, secondary: string, given?: string): DualRegionPlacement {
    const predefined = GCS_PREDEFINED_DUAL_REGIONS.find(([, a, b]) => (a === primary && b === secondary) || (a === secondary && b === primary));
    const codes = GCS_CONFIGURABLE_DUAL_REGIONS.filter(([, regions]) => regions.includes(primary) && regions.includes(secondary))
      .sort((a, b) => a[1].length - b[1].length);
    const planned: DualRegionPlacement | undefined = predefined
      ? { location: predefined[0], predefined: true }
      : (codes.length ? { location: codes[0][0], predefined: false } : undefined);
    if (!planned) {
      const listed = (r: string) => GCS_CONFIGURABLE_DUAL_REGIONS.filter(([, regions]) => regions.includes(r)).map(([code]) => code);
      const where = (r: string) => (listed(r).length ? `"${r}" is listed under ${listed(r).join(', ')}` : `"${r}" is not in the configurable dual-region table`);
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${resource}: "${primary}" and "${secondary}" do not form a dual-region: a configurable dual-region needs "precisely two eligible regions within the same multi-region" and ${where(primary)}, ${where(secondary)}; the predefined dual-regions are ${GCS_PREDEFINED_DUAL_REGIONS.map(([c, a, b]) => `${c} (${a} + ${b})`).join(', ')} (${Facts.GCS_DUAL_REGIONS_SOURCE}). Choose two regions listed under one location code, or a predefined pair`);
    }
    if (given !== undefined && String(given).toUpperCase() !== planned.location) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`location\` "${given}" of ${resource} does not hold "${primary}" and "${secondary}" as a dual-region: ${planned.predefined ? `the pair is the predefined dual-region ${planned.location}, and ${planned.location === 'NAM4' || planned.location === 'EUR4' ? 'it is "only available as a predefined dual-region"' : 'drkit plans predefined pairs by their own location code'}` : `the narrowest location code that lists both regions is ${planned.location}`} (${Facts.GCS_DUAL_REGIONS_SOURCE}); set location to "${planned.location}" or leave it out`);
    }
    return planned;
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
  /**
   * Whether the instance is given a VPC network for a private IP (`ipConfiguration.privateNetwork`):
   * then drkit turns the public IP off.
   * @default false
   */
  readonly privateNetwork?: boolean;
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
  /** `ipConfiguration.sslMode`: `ENCRYPTED_ONLY` (unencrypted connections refused). */
  readonly sslMode: string;
  /** `ipConfiguration.ipv4Enabled`: false when a private network is given. */
  readonly ipv4Enabled: boolean;
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
    // Logs are purged once a day: one more backup than days of logs keeps the whole window.
    const retainedBackups = Math.max(1, r.daily, r.pointInTimeDays > 0 ? r.pointInTimeDays + 1 : 0);
    if (retainedBackups > Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.daily\` of ${r.daily} cannot be met for ${resource}: Cloud SQL keeps at most ${Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX} automated backups (${Facts.CLOUD_SQL_BACKUPS_SOURCE}); keep ${Facts.CLOUD_SQL_RETAINED_BACKUPS_MAX} or fewer and keep the rest elsewhere (an export to a bucket with a retention policy)`);
    }
    if (r.weekly || r.monthly || r.yearly) {
      advisories.push(`Cloud SQL automated backups are daily only, so the weekly, monthly and yearly restore points are not kept by this instance. A Backup and DR backup plan can keep them, but associating the instance with one switches it to enhanced backups: ${Facts.CLOUD_SQL_BACKUP_OPTIONS.statement} (${Facts.CLOUD_SQL_BACKUP_OPTIONS.source}). The instance would lose the automated backups in a multi-region location that drkit counts against region outage, and customer-managed encryption keys for backups; alternatively export to a bucket in another region with a retention policy`);
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
    if (context.privateNetwork !== true) {
      advisories.push(`no \`privateNetwork\`: the instance keeps a public IP (Cloud SQL needs a public IP or a private network); connections must be encrypted (sslMode ENCRYPTED_ONLY) and no authorized network is opened. Give a VPC network to use a private IP only (${Facts.CLOUD_SQL_IP_CONFIGURATION_SOURCE})`);
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
            `${mysql ? 'binary logging' : 'point-in-time recovery'} with ${r.pointInTimeDays} days of transaction logs and ${retainedBackups} daily backups (${Facts.CLOUD_SQL_PITR_LOG_PURGE.statement}, ${Facts.CLOUD_SQL_PITR_LOG_PURGE.source}): ${Facts.CLOUD_SQL_PITR_RPO.statement} (${Facts.CLOUD_SQL_PITR_RPO.source}); drkit counts the 5-minute upload cadence. Restore time: ${Mechanism.CLOUD_SQL_PITR.rto.statement}`));
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
      sslMode: 'ENCRYPTED_ONLY',
      ipv4Enabled: context.privateNetwork !== true,
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
      disruption: d,
      rpoKind: Facts.FIRESTORE_REPLICATION_RPO.kind,
      rtoSeconds: 0,
      rtoKind: f.kind,
      mechanisms: [Mechanism.FIRESTORE_REPLICATION.id],
      basis: `${f.statement} (${f.source}); data loss: ${Facts.FIRESTORE_REPLICATION_RPO.statement}`,
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
  /**
   * The time (RFC 3339) the plan is judged at: a lock whose effective time is later does not
   * yet count against account compromise.
   * @default - the time of planning
   */
  readonly now?: string;
}

/** Resource types backup plans support (Facts.GCP_BACKUPDR_PLAN_CONCEPTS_SOURCE). */
const GCP_BACKUPDR_RESOURCE_TYPES = [
  'compute.googleapis.com/Instance', 'compute.googleapis.com/Disk', 'sqladmin.googleapis.com/Instance',
  'alloydb.googleapis.com/Cluster', 'file.googleapis.com/Instance',
];

/**
 * The per-recurrence maxima of an earlier `BackupRule` reference ("Minimum value is 1 and maximum
 * value is 90 for daily backups", ...). The current API calls the limits "workload specific"
 * without a table, so drkit only advises when a rule goes past these.
 */
const GCP_BACKUPDR_EARLIER_MAX_RETENTION: { [recurrence: string]: number } = {
  HOURLY: 90, DAILY: 90, WEEKLY: 186, MONTHLY: 732, YEARLY: 36159,
};

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
    const resourceType = String(context.resourceType ?? '');
    if (!GCP_BACKUPDR_RESOURCE_TYPES.includes(resourceType)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`resourceType\` "${context.resourceType}" of ${resource} is not a resource type backup plans support: use one of ${GCP_BACKUPDR_RESOURCE_TYPES.join(', ')} (${Facts.GCP_BACKUPDR_PLAN_CONCEPTS_SOURCE})`);
    }
    const cloudSql = resourceType === 'sqladmin.googleapis.com/Instance';
    const window = Facts.GCP_BACKUPDR_DAILY_WINDOW_HOURS;
    const minFreq = cloudSql ? Facts.GCP_BACKUPDR_MIN_HOURLY_FREQUENCY : Facts.GCP_BACKUPDR_MIN_HOURLY_FREQUENCY_OTHER;
    const maxFreq = Facts.GCP_BACKUPDR_MAX_HOURLY_FREQUENCY;
    const hourlyChoices = [1, 2, 3, 4, 6, 8, 12].filter(h => h >= minFreq);
    const frequencyRule = `hourly frequency ${minFreq}-${maxFreq} hours for ${resourceType} (${Facts.GCP_BACKUPDR_PLAN_SOURCE})`;
    // The tightest RPO the scheduled backups alone must meet.
    const needs = [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.ACCOUNT_COMPROMISE]
      .filter(d => objective.covers(d)).map(d => objective.targetFor(d));
    if (objective.covers(Disruption.REGION_OUTAGE)) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `region outage is among the disruptions for ${resource} (objective "${objective.name}"), but a backup vault keeps backups in its own location and drkit does not plan cross-region copies for Backup and DR yet: protect the region with the resource's own cross-region mechanism and remove Disruption.REGION_OUTAGE from this plan's objective`);
    }
    // A daily or longer rule's job may start as late as the end of its window.
    const worstHours = (h: number) => (h < 24 ? h : h + window);
    let interval = 24;
    if (objective.backupInterval) {
      const asked = Math.round(objective.backupInterval.toHours());
      if (asked < 24 && (asked < minFreq || asked > maxFreq)) {
        throw new DrkitError(DrkitErrorCode.BACKUP_RULE_OUT_OF_RANGE,
          `\`backupInterval\` ${objective.backupInterval.toHuman()} cannot be scheduled for ${resource}: Backup and DR allows an ${frequencyRule}; back up every ${minFreq} to ${maxFreq} hours, or daily`);
      }
      interval = asked >= 24 ? 24 : asked;
    }
    for (const t of needs) {
      const fit = [...hourlyChoices, 24].filter(h => worstHours(h) <= t.rpo.toHours());
      if (fit.length === 0) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${resource} (objective "${objective.name}") by scheduled backups: Backup and DR allows an ${frequencyRule}, so the newest backup may be ${minFreq} hour${minFreq === 1 ? '' : 's'} old; use the resource's point-in-time recovery (Cloud SQL PITR) for tighter RPOs, or raise the rpo to at least ${minFreq} hour${minFreq === 1 ? '' : 's'}`);
      }
      if (objective.backupInterval) {
        if (worstHours(interval) > t.rpo.toHours()) {
          throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
            `\`backupInterval\` ${objective.backupInterval.toHuman()} cannot meet \`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} for ${resource}: backups every ${interval} hours${interval >= 24 ? ` that start within a ${window}-hour window ("${Facts.GCP_BACKUPDR_WINDOW_STATEMENT}", ${Facts.GCP_BACKUPDR_PLAN_CONCEPTS_SOURCE})` : ''} can lose up to ${worstHours(interval)} hours; back up every ${fit[fit.length - 1]} hours or less`);
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

    // Retention: the API documents 1 to 36159 days and calls every other limit "workload specific".
    for (const rule of rules) {
      const days = rule.backupRetentionDays;
      if (!Number.isInteger(days) || days < 1 || days > Facts.GCP_BACKUPDR_MAX_RETENTION_DAYS) {
        throw new DrkitError(DrkitErrorCode.BACKUP_RULE_OUT_OF_RANGE,
          `rule "${rule.ruleId}" of ${resource} keeps backups ${days} days, outside what Backup and DR documents: ${Facts.GCP_BACKUPDR_RETENTION.statement} (${Facts.GCP_BACKUPDR_RETENTION.source}); keep between 1 and ${Facts.GCP_BACKUPDR_MAX_RETENTION_DAYS} days (fewer ${rule.recurrenceType === 'YEARLY' ? 'yearly' : rule.recurrenceType === 'MONTHLY' ? 'monthly' : rule.recurrenceType === 'WEEKLY' ? 'weekly' : 'daily'} points in the objective's retention)`);
      }
      const earlier = GCP_BACKUPDR_EARLIER_MAX_RETENTION[rule.recurrenceType];
      if (earlier !== undefined && days > earlier) {
        advisories.push(`rule "${rule.ruleId}" keeps backups ${days} days: an earlier BackupRule reference allowed at most ${earlier} days for ${rule.recurrenceType} rules, and the current API says the limits are "workload specific" without publishing them per workload (${Facts.GCP_BACKUPDR_RETENTION.source}); Backup and DR may refuse this rule for ${resourceType}`);
      }
    }

    const lockMode = objective.immutability;
    const minimumEnforcedRetentionDays = lockMode === Immutability.NONE ? 1 : Math.min(...rules.map(x => x.backupRetentionDays));
    const lockAt = context.lockEffectiveTime !== undefined ? Date.parse(context.lockEffectiveTime) : undefined;
    if (lockAt !== undefined && Number.isNaN(lockAt)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`lockEffectiveTime\` "${context.lockEffectiveTime}" of ${resource} is not an RFC 3339 time: use for example 2027-01-01T00:00:00Z`);
    }
    const now = context.now !== undefined ? Date.parse(context.now) : Date.now();
    if (Number.isNaN(now)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `\`now\` "${context.now}" of ${resource} is not an RFC 3339 time`);
    }
    const lockAsked = lockMode === Immutability.COMPLIANCE && lockAt !== undefined;
    const lockedNow = lockAsked && lockAt! <= now;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: only a locked minimum enforced retention keeps backups from early deletion (${Facts.GCP_BACKUPDR_VAULT_SOURCE}); set immutability to Immutability.COMPLIANCE and give \`lockEffectiveTime\`, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    if (lockMode === Immutability.COMPLIANCE && !lockAsked) {
      advisories.push(`the vault's minimum enforced retention (${minimumEnforcedRetentionDays} days) is not locked: set \`lockEffectiveTime\` (RFC 3339) to lock it from that time on; until then it does not survive account compromise`);
    } else if (lockAsked && !lockedNow) {
      advisories.push(`the vault's minimum enforced retention (${minimumEnforcedRetentionDays} days) is locked only from ${context.lockEffectiveTime}: until then it does not survive account compromise`);
    }
    if (cloudSql) {
      advisories.push(`associating a Cloud SQL instance with a backup plan switches it to enhanced backups: ${Facts.CLOUD_SQL_BACKUP_OPTIONS.statement} (${Facts.CLOUD_SQL_BACKUP_OPTIONS.source}); a CloudSqlInstance's backups in a multi-region location, which drkit counts against region outage, stop`);
    }

    const achieved: AchievedTarget[] = [];
    const worst = worstHours(interval);
    const basis = `backup every ${interval} hours${interval >= 24 ? ` starting within a ${window}-hour window (a job that has not started by the end of it is not run)` : ''} into a backup vault (${Facts.GCP_BACKUPDR_PLAN_SOURCE}, ${Facts.GCP_BACKUPDR_API_SOURCE}); restore time: not published`;
    for (const t of objective.targets) {
      if (t.disruption === Disruption.ACCOUNT_COMPROMISE) {
        achieved.push(lockedNow
          ? { ...achievedBy(t.disruption, Mechanism.GCP_BACKUPDR_LOCKED_VAULT, `${basis}; minimum enforced retention ${minimumEnforcedRetentionDays} days, locked since ${context.lockEffectiveTime}`), rpoSeconds: worst * 3600 }
          : notCovered(t.disruption, lockAsked
            ? `not yet covered: the minimum enforced retention is locked only from ${context.lockEffectiveTime} (the vault's effectiveTime); until then an owner of the project can shorten it (${Facts.GCP_BACKUPDR_VAULT_SOURCE})`
            : 'not yet covered: the minimum enforced retention is not locked (set lockEffectiveTime)'));
      } else {
        achieved.push({ ...achievedBy(t.disruption, Mechanism.GCP_BACKUPDR, basis), rpoSeconds: worst * 3600 });
      }
    }
    return {
      cloud: 'gcp',
      resourceName: name,
      minimumEnforcedRetentionDays,
      lockEffectiveTime: lockAsked ? context.lockEffectiveTime : undefined,
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
  /** Transfer events published to the notification topic (`notificationConfig.eventTypes`). */
  readonly notificationEventTypes: string[];
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
        `at least ${interval} hours: a copy every ${interval} hours into a versioned Cloud Storage bucket outside AWS (${Facts.STORAGE_TRANSFER_S3_SOURCE}); not counted: a start later than scheduled and the transfer time (${Facts.STORAGE_TRANSFER_START_DELAY.statement}, ${Facts.STORAGE_TRANSFER_START_DELAY.source}); failed runs are published to a Pub/Sub topic`),
      rpoSeconds: interval * 3600,
      rpoIsLowerBound: true,
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
      notificationEventTypes: ['TRANSFER_OPERATION_FAILED', 'TRANSFER_OPERATION_ABORTED'],
      advisories: [
        'the AWS role is declared, not created: give it s3:ListBucket and s3:GetObject on the source and trust the awsTrustPolicy output (Google\'s service account for this project)',
        `the copy's RPO is a lower bound (every ${interval} hours, plus a start delay and a transfer time Google does not publish): subscribe to the failure topic and alert on it`,
      ],
    };
  }

  private constructor() {}
}
