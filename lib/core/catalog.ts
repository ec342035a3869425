import { Disruption } from './objective';
import { Period } from './period';

/**
 * How well a figure is established.
 */
export enum BoundKind {
  /** The provider documents this figure (an SLA or a documented cadence). */
  DOCUMENTED = 'documented',
  /** The provider describes a typical figure, with no SLA. */
  TYPICAL = 'typical',
  /** drkit's estimate from documented parts (for example schedule interval plus start window); the basis is given. */
  ESTIMATED = 'estimated',
  /** The provider publishes no bound at all. */
  NONE = 'none',
}

/** A documented fact about a mechanism, with its source. */
export interface Fact {
  /**
   * The figure, when there is one.
   * @default - no figure (the source publishes none)
   */
  readonly value?: Period;
  /** How well established it is. */
  readonly kind: BoundKind;
  /** What the documentation says, in a sentence. */
  readonly statement: string;
  /** Where it is documented. */
  readonly source: string;
  /**
   * The value is the low end of what the source states (for example "in the order of
   * minutes" is at least 1 minute): the real figure can be larger, never smaller. A report
   * shows it as `≥`, and an objective below it cannot be met.
   * @default false
   */
  readonly isLowerBound?: boolean;
}

/** Properties of a mechanism. */
export interface MechanismProps {
  /** Stable id, for example `aws.dynamodb.pitr`. */
  readonly id: string;
  /** Human title. */
  readonly title: string;
  /** Cloud: aws, gcp or azure. */
  readonly cloud: string;
  /** Disruptions this mechanism protects against (on its own). */
  readonly covers: Disruption[];
  /** Its RPO floor. */
  readonly rpo: Fact;
  /** Its RTO. */
  readonly rto: Fact;
  /**
   * Limits and caveats worth stating in a report.
   * @default - none
   */
  readonly limits?: string[];
}

const AWS_DOCS = 'https://docs.aws.amazon.com';

/**
 * Documented figures, in one place, each with its source. Every number drkit uses to
 * accept or refuse an objective comes from here (see docs/mechanism-floors.md).
 */
export class Facts {
  /** DynamoDB PITR: LatestRestorableDateTime is typically 5 minutes before now (typical: no SLA). */
  public static readonly DYNAMODB_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.TYPICAL,
    statement: '"LatestRestorableDateTime is typically 5 minutes before the current time"',
    source: `${AWS_DOCS}/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html`,
  };
  /** DynamoDB PITR recovery period: 1 to 35 days, default 35. */
  public static readonly DYNAMODB_PITR_MAX_DAYS = 35;
  /** Source of the recovery-period limit. */
  public static readonly DYNAMODB_PITR_PERIOD_SOURCE = `${AWS_DOCS}/amazondynamodb/latest/APIReference/API_PointInTimeRecoverySpecification.html`;
  /** Restores (PITR, backups) create a new table; no restore time is published. */
  public static readonly RESTORE_TIME_UNPUBLISHED: Fact = {
    kind: BoundKind.NONE,
    statement: 'restore creates a new resource; the provider publishes no restore time (it depends on data size); measure it with restore testing',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/restore-testing.html`,
  };
  /** DynamoDB stores data in three AZs of a region; an AZ loss loses no acknowledged writes. */
  public static readonly DYNAMODB_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'DynamoDB replicates every table across multiple Availability Zones in the region',
    source: `${AWS_DOCS}/amazondynamodb/latest/developerguide/disaster-recovery-resiliency.html`,
  };
  /** DynamoDB global tables: replication usually within a second, no SLA. */
  public static readonly DYNAMODB_GLOBAL_TABLE_RPO: Fact = {
    value: Period.seconds(1),
    kind: BoundKind.TYPICAL,
    statement: 'changes usually replicate to other replicas within one second (no SLA); watch ReplicationLatency',
    source: `${AWS_DOCS}/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html`,
  };
  /** AWS Backup: the shortest schedule is hourly. */
  public static readonly BACKUP_MIN_INTERVAL = Period.hours(1);
  /** AWS Backup: the start window is at least 60 minutes. */
  public static readonly BACKUP_MIN_START_WINDOW = Period.minutes(60);
  /** AWS Backup: completion window default 7 days. */
  public static readonly BACKUP_DEFAULT_COMPLETION_WINDOW = Period.days(7);
  /**
   * AWS Backup: copies of resource types it does not fully manage (RDS, Aurora, EBS) keep the
   * source resource's encryption, not the vault's (the "Encryption for backups" page).
   */
  public static readonly BACKUP_SOURCE_ENCRYPTION: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'Backups of resource types that are not fully managed by AWS Backup typically inherit the encryption settings from their source resource.',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/encryption.html`,
  };
  /** AWS Backup cross-account copy: a customer managed key of the source must be shared with the destination account. */
  public static readonly BACKUP_CROSS_ACCOUNT_KEY_SHARE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'In the source account, if your resources are encrypted with a customer managed key, you must share this customer managed key with the destination account.',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/create-cross-account-backup.html`,
  };
  /**
   * AWS Backup cross-account copy of RDS, Aurora and EBS: only with a customer managed key (an
   * AWS managed key's policy cannot be changed, so it cannot be shared). AWS Storage Blog.
   */
  public static readonly BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'When your resources like Amazon EC2, Amazon EBS, Amazon RDS (including Aurora clusters), and AWS Storage Gateway volumes are encrypted, cross-account copy can only be performed if they are encrypted by AWS KMS customer managed customer master keys (CMK), with an exception for Amazon EFS backups.',
    source: 'https://aws.amazon.com/blogs/storage/create-and-share-encrypted-backups-across-accounts-and-regions-using-aws-backup/',
  };
  /**
   * The KMS permissions the destination account needs in the source key's policy for a
   * cross-account copy (AWS knowledge center "Given key ID not accessible").
   */
  public static readonly BACKUP_CROSS_ACCOUNT_KEY_ACTIONS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'the source AWS KMS key policy must allow the destination account DescribeKey, Encrypt, Decrypt, ReEncryptFrom, ReEncryptTo, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext, CreateGrant, ListGrant and RevokeGrant',
    source: 'https://repost.aws/knowledge-center/backup-cross-account-copy-error',
  };
  /** AWS Backup: the first backup of a resource is a full copy (the completion window must fit it). */
  public static readonly BACKUP_FIRST_BACKUP_FULL: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'The first backup of an AWS resource backs up a full copy of your data.',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/about-backup-plans.html`,
  };
  /** AWS Backup: what the completion window of a rule does. */
  public static readonly BACKUP_COMPLETION_WINDOW: Fact = {
    kind: BoundKind.NONE,
    statement: 'A value in minutes after a backup job is successfully started before it must be completed or it will be canceled by AWS Backup; AWS publishes no backup duration',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/API_BackupRule.html`,
  };
  /** AWS Backup: a recovery point in cold storage must stay there at least 90 days. */
  public static readonly BACKUP_COLD_MIN_DAYS = 90;
  /** AWS Backup continuous backup retention: 1 to 35 days. */
  public static readonly BACKUP_CONTINUOUS_MAX_DAYS = 35;
  /** AWS Backup Vault Lock compliance mode: at least 3 days before it becomes immutable. */
  public static readonly VAULT_LOCK_MIN_CHANGEABLE_DAYS = 3;
  /** AWS Backup Vault Lock: MaxRetentionDays at most 36500. */
  public static readonly VAULT_LOCK_MAX_RETENTION_DAYS = 36500;
  /** Source for plan rules (windows, cold storage). */
  public static readonly BACKUP_PLAN_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/creating-a-backup-plan.html`;
  /** Source for cross-region and cross-account copies. */
  public static readonly BACKUP_COPY_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/cross-region-backup.html`;
  /** Source for vault lock. */
  public static readonly VAULT_LOCK_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/vault-lock.html`;
  /** Vault Lock in governance mode: the lock can be removed by users with sufficient IAM permissions. */
  public static readonly VAULT_LOCK_GOVERNANCE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Vaults locked in governance mode can have the lock removed by users with sufficient IAM permissions"',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/vault-lock.html`,
  };
  /** Vault Lock in compliance mode: immutable once the grace time expires. */
  public static readonly VAULT_LOCK_COMPLIANCE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Once the grace time expires, the vault and its lock are immutable and cannot be changed or deleted by any user or by AWS"',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/vault-lock.html`,
  };
  /** A locked vault does not outlive its account: AWS deletes its contents 90 days after the account is closed. */
  public static readonly VAULT_LOCK_ACCOUNT_CLOSURE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"If you do not reopen your account during those 90 days, AWS deletes the contents of your backup vault, even if AWS Backup Vault Lock was in place"',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/vault-lock.html`,
  };
  /** S3 Object Lock in governance mode: users with special permissions (s3:BypassGovernanceRetention) can delete locked versions. */
  public static readonly S3_OBJECT_LOCK_GOVERNANCE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"In governance mode, users can\'t overwrite or delete an object version or alter its lock settings unless they have special permissions" (s3:BypassGovernanceRetention)',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/object-lock.html`,
  };
  /** Copy jobs have no published duration. */
  public static readonly BACKUP_COPY_TIME: Fact = {
    kind: BoundKind.NONE,
    statement: 'a copy job starts after the backup completes; AWS publishes no copy duration',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/cross-region-backup.html`,
  };
  /**
   * S3 Replication Time Control: "99.9 percent of those objects within 15 minutes", a
   * percentile of the S3 RTC SLA, which does not apply while requests exceed S3's request-rate
   * guidelines or the replication transfer rate exceeds the 1 Gbps quota.
   */
  public static readonly S3_RTC_RPO: Fact = {
    value: Period.minutes(15),
    kind: BoundKind.DOCUMENTED,
    statement: '"S3 RTC replicates most objects that you upload to Amazon S3 in seconds, and 99.9 percent of those objects within 15 minutes" (a percentile of the S3 RTC SLA, not every object); "The S3 RTC service level agreement (SLA) doesn\'t apply to time periods when Amazon S3 performance guidelines on requests per second are exceeded", nor "during time periods where your replication data transfer rate exceeds the default 1 gigabit per second (Gbps) quota"',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/replication-time-control.html`,
  };
  /** S3 replication without RTC: no SLA. */
  public static readonly S3_CRR_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'S3 replication without Replication Time Control has no SLA: most objects replicate in seconds, some can take hours',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/replication.html`,
  };
  /** The key of replicated automated backups is given by its ARN in the destination region. */
  public static readonly RDS_BACKUP_REPLICATION_KEY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The KMS key ID is the Amazon Resource Name (ARN) for the KMS encryption key in the destination Amazon Web Services Region, for example, arn:aws:kms:us-east-1:123456789012:key/AKIAIOSFODNN7EXAMPLE"',
    source: `${AWS_DOCS}/AmazonRDS/latest/APIReference/API_StartDBInstanceAutomatedBackupsReplication.html`,
  };
  /** RDS PITR (DB instances): logs uploaded every five minutes. */
  public static readonly RDS_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.DOCUMENTED,
    statement: '"RDS uploads transaction logs for DB instances to Amazon S3 every five minutes" (LatestRestorableTime)',
    source: `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_PIT.html`,
  };
  /** Aurora PITR (DB clusters): the latest restorable time is typically within 5 minutes of now (typical: no SLA). */
  public static readonly AURORA_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.TYPICAL,
    statement: '"The latest restorable time for a DB cluster is the most recent point at which you can restore your DB cluster, typically within 5 minutes of the current time"',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html`,
  };
  /** RDS automated backups: retention 0-35 days. */
  public static readonly RDS_BACKUP_MAX_DAYS = 35;
  /** RDS automated backups: retention, window and the rules they follow. */
  public static readonly RDS_BACKUP_SOURCE = `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html`;
  /** RDS preferred backup window: at least 30 minutes, UTC, not overlapping the maintenance window. */
  public static readonly RDS_BACKUP_WINDOW_MIN_MINUTES = 30;
  /** RDS cross-region automated backup replication: an RPO of 5-30 minutes (AWS Prescriptive Guidance); drkit counts the upper end, 30 minutes. */
  public static readonly RDS_BACKUP_REPLICATION_RPO: Fact = {
    value: Period.minutes(30),
    kind: BoundKind.TYPICAL,
    statement: '"Amazon RDS PITR snapshot replication is based on asynchronous replication, so the underlying RPO is on the slightly higher side, ranging 5–30 minutes" (drkit counts the upper end, 30 minutes)',
    source: 'https://docs.aws.amazon.com/prescriptive-guidance/latest/dr-standard-edition-amazon-rds/rds-pitr-snapshot.html',
  };
  /** Source of how RDS replicates automated backups to another region (DB instances only). */
  public static readonly RDS_BACKUP_REPLICATION_SOURCE = `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html`;
  /** RDS cross-region automated backup replication: retention of the replicated backups, at most 35 days. */
  public static readonly RDS_BACKUP_REPLICATION_MAX_DAYS = 35;
  /** RDS read replicas replicate asynchronously: lag is usually seconds but has no SLA. */
  public static readonly RDS_READ_REPLICA_LAG: Fact = {
    kind: BoundKind.NONE,
    statement: 'a read replica is updated asynchronously; its lag (ReplicaLag) is usually seconds but AWS publishes no bound',
    source: `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_ReadRepl.html`,
  };
  /** Promoting an RDS read replica: no published duration. */
  public static readonly RDS_REPLICA_PROMOTION: Fact = {
    kind: BoundKind.NONE,
    statement: 'promoting a read replica to a standalone instance takes several minutes and AWS publishes no bound; measure it with a failover drill',
    source: `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html`,
  };
  /** RDS Multi-AZ instance: synchronous standby in another AZ; failover typically 60-120 seconds. */
  public static readonly RDS_MULTI_AZ_FAILOVER: Fact = {
    value: Period.seconds(120),
    kind: BoundKind.TYPICAL,
    statement: 'a Multi-AZ DB instance keeps a synchronous standby in another AZ; failovers typically complete within 60-120 seconds',
    source: `${AWS_DOCS}/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html`,
  };
  /** Aurora cluster volume: six copies across three AZs. */
  public static readonly AURORA_STORAGE_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'an Aurora cluster volume keeps copies of the data across three Availability Zones in the region',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.StorageReliability.html`,
  };
  /** Aurora global database: replication with typical latency under a second (no SLA). */
  public static readonly AURORA_GLOBAL_DB_RPO: Fact = {
    value: Period.seconds(1),
    kind: BoundKind.TYPICAL,
    statement: '"Aurora replicates data to the secondary AWS Regions with typical latency of under a second" (no SLA; watch AuroraGlobalDBReplicationLag)',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html`,
  };
  /** Aurora global database: the RTO of a failover "can be in the order of minutes"; drkit counts at least 1 minute. */
  public static readonly AURORA_GLOBAL_DB_FAILOVER: Fact = {
    value: Period.minutes(1),
    kind: BoundKind.TYPICAL,
    isLowerBound: true,
    statement: '"For an Aurora global database, RTO can be in the order of minutes" (drkit counts at least 1 minute; measure it with a failover drill)',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html`,
  };
  /**
   * Aurora global database lag metrics (`AuroraGlobalDBRPOLag`, `AuroraGlobalDBReplicationLag`,
   * `AuroraGlobalDBProgressLag`): cluster-level, published only for the secondary clusters, so
   * drkit's lag alarm watches the secondary cluster, in the standby region.
   */
  public static readonly AURORA_GLOBAL_DB_LAG_METRICS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"AuroraGlobalDBRPOLag: In an Aurora Global Database, the recovery point objective (RPO) lag time. This metric measures how far the secondary cluster is behind the primary cluster for user transactions." For it and AuroraGlobalDBReplicationLag: "This metric is available only in secondary AWS Regions."',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html`,
  };
  /**
   * Which lag metric tells the RPO: `AuroraGlobalDBRPOLag` for Aurora PostgreSQL and for Aurora
   * MySQL from 2.12.0 / 3.04.0 (`AURORA_MYSQL_RPO_LAG_MIN_VERSIONS`), `AuroraGlobalDBReplicationLag` before.
   */
  public static readonly AURORA_GLOBAL_DB_RPO_LAG_METRIC: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"For all Aurora PostgreSQL-based global databases and for Aurora MySQL-based global databases starting with engine versions 3.04.0 and higher or 2.12.0 and higher, use Amazon CloudWatch to view the AuroraGlobalDBRPOLag metric for all secondary DB clusters. For lower minor versions of Aurora MySQL-based global databases, view the AuroraGlobalDBReplicationLag metric instead."',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html`,
  };
  /** The first Aurora MySQL versions (per major line) that publish `AuroraGlobalDBRPOLag` (`AURORA_GLOBAL_DB_RPO_LAG_METRIC`). */
  public static readonly AURORA_MYSQL_RPO_LAG_MIN_VERSIONS: string[] = ['2.12.0', '3.04.0'];
  /**
   * A headless secondary (pilot light: no DB instance) keeps its storage in sync; AWS does not
   * say whether it publishes the lag metrics, so a pilot light's lag alarm treats missing data as missing.
   */
  public static readonly AURORA_HEADLESS_SECONDARY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"A headless secondary Aurora DB cluster is one without a DB instance." "Even without any DB instance in the secondary cluster, Aurora keeps the storage volume in sync with the primary Aurora DB cluster."',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html`,
  };
  /** Aurora MySQL backtrack: target window at most 72 hours; Aurora MySQL only; set at cluster creation. */
  public static readonly AURORA_BACKTRACK_MAX = Period.hours(72);
  /** Source of the backtrack limits. */
  public static readonly AURORA_BACKTRACK_SOURCE = `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html`;
  /** Route 53 health checks: the request intervals allowed, in seconds. */
  public static readonly ROUTE53_REQUEST_INTERVALS: number[] = [10, 30];
  /** Route 53 health checks: failure threshold 1 to 10. */
  public static readonly ROUTE53_MAX_FAILURE_THRESHOLD = 10;
  /** Source of the disaster-recovery strategy bands (backup and restore, pilot light, warm standby, multi-site active/active). */
  public static readonly DR_STRATEGIES_SOURCE = `${AWS_DOCS}/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html`;
  /**
   * Backup and restore: the whitepaper's band is "RPO / RTO: Hours"; drkit counts the upper end
   * of the band, 24 hours (a longer recovery would be "days"), never its lower end.
   */
  public static readonly DR_BACKUP_AND_RESTORE_ACTIVATION: Fact = {
    value: Period.hours(24),
    kind: BoundKind.TYPICAL,
    statement: 'backup and restore: "RPO / RTO: Hours" (infrastructure is deployed and data restored after the event); drkit counts the upper end of the band, 24 hours',
    source: `${AWS_DOCS}/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html`,
  };
  /**
   * Pilot light: the whitepaper's band is "RPO / RTO: 10s of minutes"; drkit counts the upper end
   * of the band, 1 hour.
   */
  public static readonly DR_PILOT_LIGHT_ACTIVATION: Fact = {
    value: Period.hours(1),
    kind: BoundKind.TYPICAL,
    statement: 'pilot light: "RPO / RTO: 10s of minutes" (data is live in the recovery region, compute is started and scaled after the event); drkit counts the upper end of the band, 1 hour',
    source: `${AWS_DOCS}/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html`,
  };
  /**
   * Warm standby: the whitepaper's band is "RPO / RTO: Minutes", below pilot light's "10s of
   * minutes"; drkit counts the upper end of the band, 10 minutes.
   */
  public static readonly DR_WARM_STANDBY_ACTIVATION: Fact = {
    value: Period.minutes(10),
    kind: BoundKind.TYPICAL,
    statement: 'warm standby: "RPO / RTO: Minutes" (a scaled-down copy runs and is scaled up after the event); drkit counts the upper end of the band, 10 minutes (below pilot light\'s "10s of minutes")',
    source: `${AWS_DOCS}/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html`,
  };
  /** Hot standby and multi-site active/active: the whitepaper's band is "RPO / RTO: Real-time"; nothing to start or scale. */
  public static readonly DR_HOT_ACTIVATION: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.TYPICAL,
    statement: 'multi-site active/active: "RPO / RTO: Real-time" (the recovery region already runs at production capacity: nothing to start or scale)',
    source: `${AWS_DOCS}/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html`,
  };
  /** DynamoDB global tables: every replica accepts writes, so there is nothing to promote. */
  public static readonly DYNAMODB_GLOBAL_TABLE_FAILOVER: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'every replica of a global table accepts reads and writes: nothing to promote, clients switch region',
    source: `${AWS_DOCS}/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html`,
  };
  /** Route 53 health checks: request interval of 10 or 30 seconds, failure threshold 1-10. */
  public static readonly ROUTE53_SOURCE = `${AWS_DOCS}/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html`;
  /** Route 53 health checks: the endpoint port, 1 to 65535 (HealthCheckConfig `Port`). */
  public static readonly ROUTE53_MAX_PORT = 65535;
  /** Route 53 health checks: the resource path is at most 255 characters (HealthCheckConfig `ResourcePath`). */
  public static readonly ROUTE53_MAX_RESOURCE_PATH_LENGTH = 255;
  /** Route 53 record sets: TTL 0 to 2147483647 seconds (ResourceRecordSet `TTL`). */
  public static readonly ROUTE53_MAX_TTL_SECONDS = 2147483647;
  /** Route 53 health checks: the endpoint's domain name is at most 255 characters (HealthCheckConfig `FullyQualifiedDomainName`). */
  public static readonly ROUTE53_MAX_DOMAIN_NAME_LENGTH = 255;
  /** Source of the health-check port and resource-path limits. */
  public static readonly ROUTE53_HEALTH_CHECK_CONFIG_SOURCE = `${AWS_DOCS}/Route53/latest/APIReference/API_HealthCheckConfig.html`;
  /** Source of the record-set TTL limits. */
  public static readonly ROUTE53_RECORD_SET_SOURCE = `${AWS_DOCS}/Route53/latest/APIReference/API_ResourceRecordSet.html`;
  /** AWS Backup: a rule without `StartWindowMinutes` may start up to 8 hours after its scheduled time ("Start within defaults to 8 hours"). */
  public static readonly BACKUP_DEFAULT_START_WINDOW = Period.hours(8);
  /** AWS Backup continuous backup of S3: restore to a chosen point in time; no lag figure is published. */
  public static readonly BACKUP_CONTINUOUS_S3_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'AWS Backup continuous backup restores S3 data to a chosen point in time within its 1-35 day retention; AWS publishes no figure for how far behind the latest restorable point is',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/point-in-time-recovery.html`,
  };
  /** S3 bucket naming rules (length, characters, reserved prefixes and suffixes). */
  public static readonly S3_BUCKET_NAMING_SOURCE = `${AWS_DOCS}/AmazonS3/latest/userguide/bucketnamingrules.html`;
  /** Source of the S3 lifecycle transition rules and minimum storage durations. */
  public static readonly S3_LIFECYCLE_SOURCE = `${AWS_DOCS}/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html`;
  /** S3 lifecycle: objects must be stored at least 30 days before a transition to Standard-IA or One Zone-IA. */
  public static readonly S3_IA_MIN_DAYS_BEFORE_TRANSITION = 30;
  /** S3 Standard-IA minimum storage duration (days). */
  public static readonly S3_STANDARD_IA_MIN_DAYS = 30;
  /** S3 One Zone-IA minimum storage duration (days). */
  public static readonly S3_ONEZONE_IA_MIN_DAYS = 30;
  /** S3 Intelligent-Tiering: no minimum storage duration. */
  public static readonly S3_INTELLIGENT_TIERING_MIN_DAYS = 0;
  /** S3 Glacier Instant Retrieval minimum storage duration (days). */
  public static readonly S3_GLACIER_IR_MIN_DAYS = 90;
  /** S3 Glacier Flexible Retrieval minimum storage duration (days). */
  public static readonly S3_GLACIER_MIN_DAYS = 90;
  /** S3 Glacier Deep Archive minimum storage duration (days). */
  public static readonly S3_DEEP_ARCHIVE_MIN_DAYS = 180;
  /** S3 Object Lock: modes, default retention, only on buckets created with Object Lock enabled. */
  public static readonly S3_OBJECT_LOCK_SOURCE = `${AWS_DOCS}/AmazonS3/latest/userguide/object-lock.html`;
  /** S3 versioning: prior versions are kept until a lifecycle rule or a user deletes them. */
  public static readonly S3_VERSIONING: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'with versioning, an overwrite or delete keeps the prior version (a delete adds a delete marker); restore by copying a prior version back',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/Versioning.html`,
  };
  /** S3 stores objects redundantly across at least three AZs (except One Zone classes). */
  public static readonly S3_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'S3 Standard, Standard-IA, Intelligent-Tiering and Glacier classes store data redundantly across a minimum of three Availability Zones',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/DataDurability.html`,
  };
  /** S3 replication does not replicate delete markers unless the rule asks for it: objects deleted in the source remain in the replica. */
  public static readonly S3_DELETE_MARKERS_NOT_REPLICATED: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"By default, when S3 Replication is enabled and an object is deleted in the source bucket, Amazon S3 adds a delete marker in the source bucket only": objects deleted in the source remain readable in the replica',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/delete-marker-replication.html`,
  };
  /** The permissions S3 replication needs on KMS keys, and the condition keys AWS recommends to restrict them. */
  public static readonly S3_REPLICATION_KMS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'the replication role needs kms:Decrypt on the source objects\' key and kms:Encrypt on the replica key; "We recommend that you restrict these permissions to specific buckets and objects using AWS KMS condition keys" (kms:ViaService s3.<region>.amazonaws.com and kms:EncryptionContext:aws:s3:arn, the bucket ARN when S3 Bucket Keys are on)',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/replication-config-for-kms-objects.html`,
  };
  /** A replica key given by alias is resolved in the replication role's account. */
  public static readonly S3_REPLICA_KEY_ALIAS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"If you use a KMS key alias instead, then AWS KMS resolves the key within the requester\'s account. This behavior can result in data that\'s encrypted with a KMS key that belongs to the requester, and not the bucket owner."',
    source: `${AWS_DOCS}/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-encryptionconfiguration.html`,
  };
  /**
   * Where S3 publishes each replication metric: `ReplicationLatency` (like `BytesPendingReplication`
   * and `OperationsPendingReplication`) in the destination bucket's region,
   * `OperationsFailedReplication` in the source bucket's. An alarm watches metrics of its own
   * region, so the latency alarm lives in the replica's region.
   */
  public static readonly S3_REPLICATION_METRIC_REGIONS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'Replication Latency: "This metric is published in the Region of the destination bucket."; Operations Failed Replication: "This metric is published in the Region of the source bucket."',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/repl-metrics.html`,
  };
  /** The dimensions of S3 replication metrics: `SourceBucket`, `DestinationBucket`, `RuleId`. */
  public static readonly S3_REPLICATION_METRIC_DIMENSIONS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The following dimensions are used to filter S3 Replication metrics": SourceBucket ("The name of the bucket objects are replicated from"), DestinationBucket, RuleId ("A unique identifier for the rule that triggered this replication metric to update"); ReplicationLatency "Valid statistics: Max", OperationsFailedReplication "Valid statistics: Sum (total number of failed operations)"; "When you set up alarms for your replication metrics, set the Missing data treatment field to Treat missing data as ignore (maintain the alarm state)"',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/metrics-dimensions.html`,
  };
  /**
   * CloudWatch Metrics Insights alarms: "A default of 200 alarms using the Metrics Insights
   * query per account per Region" (alarm-limits.html).
   */
  public static readonly CLOUDWATCH_MI_ALARMS_PER_REGION = 200;
  /**
   * CloudWatch Metrics Insights: "A single query can return no more than 500 time series"
   * (cloudwatch-metrics-insights-limits.html); an alarm whose query returns more evaluates with
   * `EvaluationState` `PARTIAL_DATA` (alarm-limits.html).
   */
  public static readonly CLOUDWATCH_MI_MAX_SERIES_PER_QUERY = 500;
  /**
   * CloudWatch Metrics Insights alarms: "Only the latest 3 hours of data can be used for
   * evaluating the alarm's conditions" (alarm-limits.html): period x evaluation periods stays within it.
   */
  public static readonly CLOUDWATCH_MI_ALARM_EVALUATION_HOURS = 3;
  /**
   * CloudWatch Metrics Insights alarms: "Alarms evaluating multiple time series will limit the
   * number of contributors in ALARM to 100" (alarm-limits.html).
   */
  public static readonly CLOUDWATCH_MI_MAX_CONTRIBUTORS_IN_ALARM = 100;
  /**
   * CloudWatch alarms on metric math: "Alarms based on metric math expressions can reference a
   * maximum of 10 metrics. This is a hard limit that cannot be increased." (alarm-limits.html)
   */
  public static readonly CLOUDWATCH_METRIC_MATH_MAX_METRICS = 10;
  /** `AWS::CloudWatch::Alarm` `MetricDataQuery.Expression`: "Maximum: 2048" characters. */
  public static readonly CLOUDWATCH_ALARM_EXPRESSION_MAX_CHARS = 2048;
  /** Source of the limits of alarms on Metrics Insights queries and on metric math. */
  public static readonly CLOUDWATCH_ALARM_LIMITS_SOURCE = `${AWS_DOCS}/AmazonCloudWatch/latest/monitoring/alarm-limits.html`;
  /** Source of the Metrics Insights quotas (500 time series per query, 10,000 metrics processed, 200 alarms per Region). */
  public static readonly CLOUDWATCH_MI_LIMITS_SOURCE = `${AWS_DOCS}/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html`;
  /**
   * Source of the Metrics Insights query syntax: `WHERE labelKey OPERATOR labelValue [AND ...]`
   * with the operators `=`, `!=` and `AND` (no list of values), `GROUP BY`, `ORDER BY FUNCTION() DESC`.
   */
  public static readonly CLOUDWATCH_MI_SYNTAX_SOURCE = `${AWS_DOCS}/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html`;
  /** Source of alarms on Metrics Insights queries: "each returned time series becomes a contributor to the alarm". */
  public static readonly CLOUDWATCH_MI_ALARM_SOURCE = `${AWS_DOCS}/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html`;
  /** Source of `AWS::CloudWatch::Alarm` `MetricDataQuery` (`Expression` at most 2048 characters, `Period`). */
  public static readonly CLOUDWATCH_ALARM_QUERY_SOURCE = `${AWS_DOCS}/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudwatch-alarm-metricdataquery.html`;
  /** S3 RTC: `ReplicationTime.Time.Minutes` and `Metrics.EventThreshold.Minutes` accept only 15. */
  public static readonly S3_RTC_MINUTES = 15;
  /** Source of Cloud Storage replication targets (default replication and turbo replication). */
  public static readonly GCS_AVAILABILITY_SOURCE = 'https://cloud.google.com/storage/docs/availability-durability';
  /** Cloud Storage turbo replication (`rpo: ASYNC_TURBO`): a design target of 15 minutes for 100% of new objects, dual-region only. */
  public static readonly GCS_TURBO_REPLICATION_RPO: Fact = {
    value: Period.minutes(15),
    kind: BoundKind.TYPICAL,
    statement: '"When enabled, turbo replication is designed to replicate 100% of newly written objects to the two regions that constitute a dual-region within the recovery point objective of 15 minutes, regardless of object size" (a design target)',
    source: 'https://cloud.google.com/storage/docs/availability-durability#turbo-replication',
  };
  /** Cloud Storage default replication in a dual-region: targets of 99.9% of new objects within 1 hour, 100% within 12 hours. */
  public static readonly GCS_DEFAULT_REPLICATION_RPO: Fact = {
    value: Period.hours(12),
    kind: BoundKind.TYPICAL,
    statement: '"Default replication in Cloud Storage is designed to provide redundancy across regions for 99.9% of newly written objects within a target of one hour and 100% of newly written objects within a target of 12 hours" (targets, not an SLA)',
    source: 'https://cloud.google.com/storage/docs/availability-durability',
  };
  /** A dual-region bucket keeps serving replicated data from the other region when one region is lost: a design target. */
  public static readonly GCS_DUAL_REGION_RTO: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.TYPICAL,
    statement: '"dual-region and multi-region buckets are designed to have a recovery time objective (RTO) of zero", but "any data that does not finish replicating across regions prior to a region becoming unavailable is inaccessible until the downed region comes back online"',
    source: 'https://cloud.google.com/storage/docs/availability-durability',
  };
  /** Cloud Storage confirms a write only once the data is stored in at least two zones. */
  public static readonly GCS_MULTI_ZONE: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: '"Object writes to a bucket are only confirmed as successful after data has been redundantly stored across at least two different availability zones"; regional buckets "are designed to tolerate the loss of any one availability zone in the region"',
    source: 'https://cloud.google.com/storage/docs/availability-durability',
  };
  /** Object Versioning keeps a noncurrent version on every overwrite or delete. */
  public static readonly GCS_VERSIONING: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'with Object Versioning, an overwrite or delete keeps the prior generation as a noncurrent version; restore by copying it back',
    source: 'https://cloud.google.com/storage/docs/object-versioning',
  };
  /** Cloud Storage soft delete: retention 7 to 90 days (0 disables it). */
  public static readonly GCS_SOFT_DELETE_MIN_DAYS = 7;
  /** Cloud Storage soft delete: the longest retention duration (days). */
  public static readonly GCS_SOFT_DELETE_MAX_DAYS = 90;
  /** Source of the soft-delete limits. */
  public static readonly GCS_SOFT_DELETE_SOURCE = 'https://cloud.google.com/storage/docs/soft-delete';
  /** Bucket Lock: a locked retention policy cannot be removed or reduced; objects cannot be deleted or replaced before the period. */
  public static readonly GCS_BUCKET_LOCK: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'with a retention policy, objects can be deleted or replaced only once older than the retention period; a locked policy can never be removed or reduced (a bucket cannot have both a retention policy and Object Versioning)',
    source: 'https://cloud.google.com/storage/docs/bucket-lock',
  };
  /** Cloud Storage Nearline minimum storage duration (days). */
  public static readonly GCS_NEARLINE_MIN_DAYS = 30;
  /** Cloud Storage Coldline minimum storage duration (days). */
  public static readonly GCS_COLDLINE_MIN_DAYS = 90;
  /** Cloud Storage Archive minimum storage duration (days). */
  public static readonly GCS_ARCHIVE_MIN_DAYS = 365;
  /** Source of the storage classes' minimum storage durations. */
  public static readonly GCS_STORAGE_CLASSES_SOURCE = 'https://cloud.google.com/storage/docs/storage-classes';
  /** Cloud Storage dual-regions: the regions a configurable dual-region may pair, the predefined dual-regions, and the pairs only available as predefined. */
  public static readonly GCS_DUAL_REGIONS_SOURCE = 'https://cloud.google.com/storage/docs/locations#location-dr';
  /** Azure Storage geo-redundancy (GRS, GZRS, RA-GZRS): typically under 15 minutes behind, no SLA. */
  public static readonly AZURE_GEO_REPLICATION_RPO: Fact = {
    value: Period.minutes(15),
    kind: BoundKind.TYPICAL,
    statement: '"Azure Storage typically has an RPO of less than 15 minutes, although there\'s currently no SLA on how long it takes to replicate data to the secondary region" (watch the account\'s Last Sync Time)',
    source: 'https://learn.microsoft.com/azure/storage/common/storage-redundancy',
  };
  /** Azure Storage customer-managed failover: typically about an hour. */
  public static readonly AZURE_STORAGE_FAILOVER_RTO: Fact = {
    value: Period.hours(1),
    kind: BoundKind.TYPICAL,
    statement: 'a customer-managed account failover: "The failover typically takes about an hour" (no SLA)',
    source: 'https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance',
  };
  /** Accounts that cannot use customer-managed failover: WORM immutability, object replication (which vaulted blob backup uses). */
  public static readonly AZURE_STORAGE_FAILOVER_UNSUPPORTED: Fact = {
    kind: BoundKind.NONE,
    statement: '"A storage account containing any WORM immutability policy enabled containers cannot be failed over. Unlocked/locked time-based retention or legal hold policies prevent failover in order to maintain compliance", and "Customer-managed failover isn\'t supported for either the source or the destination account in an object replication policy"',
    source: 'https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance',
  };
  /** Microsoft-managed storage failover: no write access until Microsoft completes it; no time is published. */
  public static readonly AZURE_STORAGE_MANAGED_FAILOVER_RTO: Fact = {
    kind: BoundKind.NONE,
    statement: 'only a Microsoft-managed failover remains: Microsoft "may initiate a regional failover" in extreme circumstances, and "Until the Microsoft-managed failover has completed, you won\'t have write access to your storage account. Your applications can read from the secondary region if your storage account is configured for RA-GRS or RA-GZRS" (no time is published)',
    source: 'https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance',
  };
  /** GZRS / RA-GZRS replicate synchronously across three availability zones in the primary region. */
  public static readonly AZURE_ZONE_REDUNDANT: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'GZRS and RA-GZRS copy data synchronously across three availability zones in the primary region before acknowledging a write',
    source: 'https://learn.microsoft.com/azure/storage/common/storage-redundancy',
  };
  /** Blob point-in-time restore: restores block blobs in the hot and cool tiers to a point within the restore window. */
  public static readonly AZURE_BLOB_PITR: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'point-in-time restore returns block blobs to their state at any point within the restore window; it needs versioning, change feed and blob soft delete, and the restore window must be shorter than the soft-delete retention. "Only data in the hot and cool access tiers can be restored with point-in-time restore"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/point-in-time-restore-overview',
  };
  /** Blob point-in-time restore leaves immutable blobs untouched. */
  public static readonly AZURE_BLOB_PITR_IMMUTABLE: Fact = {
    kind: BoundKind.NONE,
    statement: '"If an immutability policy is configured, then a restore operation can be initiated, but any blobs that are protected by the immutability policy will not be modified. A restore operation in this case will not result in the restoration of a consistent state to the date and time given"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/point-in-time-restore-overview',
  };
  /** A customer-managed failover resets the earliest point a point-in-time restore can reach. */
  public static readonly AZURE_BLOB_PITR_FAILOVER_RESET: Fact = {
    kind: BoundKind.NONE,
    statement: '"Performing a customer-managed failover on a storage account resets the earliest possible restore point for that storage account"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/point-in-time-restore-overview',
  };
  /** Blob versioning: every write keeps the previous version. */
  public static readonly AZURE_BLOB_VERSIONING: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'with blob versioning, every write or delete keeps the previous state of the blob as a previous version; restore by copying a previous version over the base blob',
    source: 'https://learn.microsoft.com/azure/storage/blobs/versioning-overview',
  };
  /** Blob and container soft delete: 1 to 365 days. */
  public static readonly AZURE_SOFT_DELETE_MAX_DAYS = 365;
  /** Source of the blob soft-delete limits. */
  public static readonly AZURE_SOFT_DELETE_SOURCE = 'https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview';
  /** Object replication: asynchronous, no SLA. */
  public static readonly AZURE_OBJECT_REPLICATION_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'object replication copies block blobs asynchronously: "There\'s currently no SLA on how long it takes to replicate data to the destination account"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/object-replication-overview',
  };
  /** Object replication rules name containers that must already exist. */
  public static readonly AZURE_OBJECT_REPLICATION_CONTAINERS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The source and destination containers must both exist before you can specify them in a rule"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/object-replication-overview',
  };
  /** Account-level version immutability: a policy is created Unlocked and can later be Locked (irreversibly). */
  public static readonly AZURE_IMMUTABILITY_SOURCE = 'https://learn.microsoft.com/azure/storage/blobs/immutable-policy-configure-version-scope';
  /** Account immutability policy states: created only Disabled or Unlocked; only Unlocked can become Locked; Locked cannot be reverted. */
  public static readonly AZURE_IMMUTABILITY_STATES: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"A policy can only be created in a Disabled or Unlocked state and can be toggled between the two states. Only a policy in an Unlocked state can transition to a Locked state which cannot be reverted"',
    source: 'https://learn.microsoft.com/rest/api/storagerp/storage-accounts/create#accountimmutabilitypolicyproperties',
  };
  /** `immutableStorageWithVersioning` can only be turned on when the account is created. */
  public static readonly AZURE_IMMUTABLE_STORAGE_AT_CREATION: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '`immutableStorageWithVersioning`: "The property is immutable and can only be set to true at the account creation time"',
    source: 'https://learn.microsoft.com/rest/api/storagerp/storage-accounts/create#storageaccountpropertiescreateparameters',
  };
  /** Resource Manager locks: Microsoft recommends a lock on every storage account. */
  public static readonly AZURE_STORAGE_LOCK_SOURCE = 'https://learn.microsoft.com/azure/storage/common/lock-account-resource';
  /** Azure Blob Cool tier minimum storage duration (days). */
  public static readonly AZURE_COOL_MIN_DAYS = 30;
  /** Azure Blob Cold tier minimum storage duration (days). */
  public static readonly AZURE_COLD_MIN_DAYS = 90;
  /** Azure Blob Archive tier minimum storage duration (days). */
  public static readonly AZURE_ARCHIVE_MIN_DAYS = 180;
  /** Source of the access tiers' minimum storage durations. */
  public static readonly AZURE_ACCESS_TIERS_SOURCE = 'https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview';
  /** The Archive tier is not available on zone-redundant accounts. */
  public static readonly AZURE_ARCHIVE_REDUNDANCY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The Archive tier is not supported for ZRS, GZRS, or RA-GZRS accounts"',
    source: 'https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview',
  };
  /** AWS Backup restore testing: `StartWindowHours` and `ValidationWindowHours` accept 1 to 168 hours. */
  public static readonly RESTORE_TESTING_MAX_WINDOW_HOURS = 168;
  /** AWS Backup restore testing: `SelectionWindowDays` accepts 1 to 365 days. */
  public static readonly RESTORE_TESTING_MAX_SELECTION_DAYS = 365;
  /** Source for restore testing plans and selections. */
  public static readonly RESTORE_TESTING_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/restore-testing.html`;
  /** AWS Backup's cold storage and cross-region / cross-account copies of DynamoDB backups need "advanced DynamoDB backup" enabled in the account (an account setting). */
  public static readonly DYNAMODB_ADVANCED_BACKUP_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/advanced-ddb-backup.html`;
  /** Advanced DynamoDB backup: an account and region setting (not a template resource) that AWS Backup's cross-region and cross-account copies of DynamoDB backups need. */
  public static readonly DYNAMODB_ADVANCED_BACKUP: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'AWS Backup copies DynamoDB backups to another region or account only with its advanced DynamoDB backup features turned on in the account and region ("Customers who started using AWS Backup after November 2021 have advanced DynamoDB backup features enabled by default"; others turn them on with update-region-settings); CloudFormation cannot set it',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/advanced-ddb-backup.html`,
  };
  /** Source for the restore metadata that restore testing infers and the keys a selection may override. */
  public static readonly RESTORE_TESTING_METADATA_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/restore-testing-inferred-metadata.html`;
  /** Backup Audit Manager "last recovery point created": `recoveryPointAgeValue` at most 744 for hours (the Config rules' documented limit). */
  public static readonly AUDIT_RECOVERY_POINT_AGE_MAX_HOURS = 744;
  /** Backup Audit Manager "last recovery point created": `recoveryPointAgeValue` at most 31 for days. */
  public static readonly AUDIT_RECOVERY_POINT_AGE_MAX_DAYS = 31;
  /** Backup Audit Manager "plan minimum frequency": `requiredFrequencyValue` at most 24 for hours. */
  public static readonly AUDIT_PLAN_FREQUENCY_MAX_HOURS = 24;
  /** Backup Audit Manager "plan minimum frequency": `requiredFrequencyValue` at most 31 for days. */
  public static readonly AUDIT_PLAN_FREQUENCY_MAX_DAYS = 31;
  /** Source for the Backup Audit Manager controls and their parameters. */
  public static readonly AUDIT_CONTROLS_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/controls-and-remediation.html`;
  /** Source for the parameter ranges of the AWS Config rules behind the controls (for example backup-plan-min-frequency-and-min-retention-check). */
  public static readonly AUDIT_CONFIG_RULE_SOURCE = `${AWS_DOCS}/config/latest/developerguide/backup-plan-min-frequency-and-min-retention-check.html`;
  /** Source for the AWS Backup job state-change events sent to EventBridge. */
  public static readonly BACKUP_EVENTS_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/eventbridge.html`;
  /** Source for the AWS/Backup CloudWatch metrics. */
  public static readonly BACKUP_METRICS_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/cloudwatch.html`;
  /** Cloud SQL point-in-time recovery: logs uploaded every five minutes or less. */
  public static readonly CLOUD_SQL_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.DOCUMENTED,
    statement: 'with logs stored in Cloud Storage, "Cloud SQL uploads logs every five minutes or less"; while the instance is available it can be recovered to the latest time',
    source: 'https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr',
  };
  /** Cloud SQL point-in-time recovery while the instance is unavailable: typically no more than five minutes. */
  public static readonly CLOUD_SQL_PITR_UNAVAILABLE_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.TYPICAL,
    statement: '"if the instance is unavailable, then the recovery point objective is typically no more than five minutes"',
    source: 'https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr',
  };
  /** Cloud SQL purges transaction logs once a day and recommends one more retained backup than days of logs. */
  public static readonly CLOUD_SQL_PITR_LOG_PURGE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Logs are purged once daily, not continuously. Setting log retention to two days means that at least two days of logs, and at most three days of logs, are retained. We recommend setting the number of backups to one more than the days of log retention to guarantee a minimum of specified days of log retention"',
    source: 'https://cloud.google.com/sql/docs/sqlserver/backup-recovery/pitr',
  };
  /** Cloud SQL transaction-log retention: 1-7 days on Enterprise edition. */
  public static readonly CLOUD_SQL_LOG_RETENTION_MAX_DAYS_ENTERPRISE = 7;
  /** Cloud SQL transaction-log retention: 1-35 days on Enterprise Plus edition. */
  public static readonly CLOUD_SQL_LOG_RETENTION_MAX_DAYS_ENTERPRISE_PLUS = 35;
  /** Cloud SQL automated backups retained: 1 to 365 ("You can configure how many automated backups to retain (from 1 to 365)"). */
  public static readonly CLOUD_SQL_RETAINED_BACKUPS_MAX = 365;
  /** Cloud SQL automated backups: "Automated backups use a 4-hour backup window. The backup starts during the backup window." */
  public static readonly CLOUD_SQL_BACKUP_WINDOW = Period.hours(4);
  /** Source of Cloud SQL automated backups (schedule, 4-hour window, location, retention). */
  public static readonly CLOUD_SQL_BACKUPS_SOURCE = 'https://cloud.google.com/sql/docs/postgres/backup-recovery/backups';
  /** Cloud SQL backup options: enhanced backups (Backup and DR) and standard backups are exclusive; multi-region backups are standard only. */
  public static readonly CLOUD_SQL_BACKUP_OPTIONS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Although instances can\'t use multiple backup options simultaneously, Cloud SQL lets you switch between these backup options as needed"; enhanced backups (a Backup and DR backup plan) have no multi-region backups, no cross-region backup and restore and no CMEK support, which standard backups have',
    source: 'https://cloud.google.com/sql/docs/postgres/backup-recovery/backup-options',
  };
  /** Cloud SQL high availability: synchronous replication to a standby in another zone. */
  public static readonly CLOUD_SQL_HA: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'a regional (high-availability) Cloud SQL instance writes synchronously to a standby in another zone and fails over to it automatically',
    source: 'https://cloud.google.com/sql/docs/postgres/high-availability',
  };
  /** Cloud SQL cross-region read replica: asynchronous, no published lag bound. */
  public static readonly CLOUD_SQL_REPLICA_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'a cross-region read replica replicates asynchronously; Google publishes no bound on replication lag',
    source: 'https://cloud.google.com/sql/docs/postgres/replication/cross-region-replicas',
  };
  /** Cloud SQL connections: `sslMode` ENCRYPTED_ONLY refuses unencrypted connections; `privateNetwork` gives a private IP. */
  public static readonly CLOUD_SQL_IP_CONFIGURATION_SOURCE = 'https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/instances#ipconfiguration';
  /** Firestore PITR: 1-minute versions for up to 7 days. */
  public static readonly FIRESTORE_PITR_RPO: Fact = {
    value: Period.minutes(1),
    kind: BoundKind.DOCUMENTED,
    statement: 'with point-in-time recovery, Firestore keeps any timestamp of the last hour and whole-minute versions for up to 7 days',
    source: 'https://cloud.google.com/firestore/docs/pitr',
  };
  /** Firestore PITR window (days). */
  public static readonly FIRESTORE_PITR_MAX_DAYS = 7;
  /** Azure SQL geo-replication / failover groups: Microsoft states the data loss only as "equal to or greater than 0". */
  public static readonly AZURE_SQL_GEO_REPLICATION_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'the business continuity overview gives the RPO of failover groups and active geo-replication as "Equal to or greater than 0 (Depends on data changes before the disruptive event that haven\'t been replicated)": no bound is published (the former 5-second figure came from a retired version of the page); watch replication_lag_sec in sys.dm_geo_replication_link_status',
    source: 'https://learn.microsoft.com/azure/azure-sql/database/business-continuity-high-availability-disaster-recover-hadr-overview',
  };
  /** Azure SQL customer-managed failover: detection plus your decision, neither published. */
  public static readonly AZURE_SQL_MANUAL_FAILOVER_RTO: Fact = {
    kind: BoundKind.NONE,
    statement: 'with the customer-managed policy ("highly recommended" by Microsoft) the outage lasts until you detect it and decide to fail over, neither of which has a published bound; the failover itself is "Typically less than 60 seconds" by the business continuity overview',
    source: 'https://learn.microsoft.com/azure/azure-sql/database/failover-group-sql-db',
  };
  /** Azure SQL Microsoft-managed failover: at least the one-hour grace period, with no upper bound. */
  public static readonly AZURE_SQL_MANAGED_FAILOVER_RTO: Fact = {
    value: Period.hours(1),
    kind: BoundKind.DOCUMENTED,
    statement: 'a Microsoft-managed failover waits for the grace period, and "the grace period can\'t be set below one hour"; after it "the actual time for the forced failover can vary significantly", and Microsoft says "Do not rely on Microsoft managed failover, which might only be executed by Microsoft in extreme circumstances": at least 1 hour, no upper bound',
    source: 'https://learn.microsoft.com/azure/azure-sql/database/failover-group-sql-db',
  };
  /** Azure SQL failover group: the shortest grace period before a Microsoft-managed failover (minutes). */
  public static readonly AZURE_SQL_MIN_GRACE_MINUTES = 60;
  /** Cosmos DB continuous backup: 7 or 30 days of point-in-time restore. */
  public static readonly COSMOS_CONTINUOUS_SOURCE = 'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction';
  /** Cosmos DB continuous backup: changes reach backup storage within 100 seconds in a steady state. */
  public static readonly COSMOS_CONTINUOUS_RPO: Fact = {
    value: Period.seconds(100),
    kind: BoundKind.TYPICAL,
    statement: '"In a steady state, all mutations performed on the source account (which includes databases, containers, and items) are backed up asynchronously within 100 seconds"; restore to any point within the 7- or 30-day window',
    source: 'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction',
  };
  /** Firestore: the locations page says data keeps being served after the loss of a zone (regional) or a region (multi-region). */
  public static readonly FIRESTORE_MULTI_ZONE: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: '"Within a region, data is replicated across zones so that data can continue to be served within that region even with the loss of a zone"',
    source: 'https://cloud.google.com/firestore/docs/locations',
  };
  /** Firestore multi-region locations keep serving data when one region is lost. */
  public static readonly FIRESTORE_MULTI_REGION: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'in a multi-region location (for example nam5, eur3), "By replicating the data between multiple regions, data can continue to be served even with the loss of an entire region"',
    source: 'https://cloud.google.com/firestore/docs/locations',
  };
  /** Firestore replication: the locations page publishes no figure for writes lost when a zone or region is lost. */
  public static readonly FIRESTORE_REPLICATION_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'the Firestore locations page says data "can continue to be served" after the loss of a zone or region, but states neither that replication is synchronous nor that no acknowledged write is lost',
    source: 'https://cloud.google.com/firestore/docs/locations',
  };
  /** Cosmos DB with availability zones: no data loss and no downtime on a zone failure. */
  public static readonly COSMOS_ZONE_REDUNDANT: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'a Cosmos DB region with availability zones (isZoneRedundant) keeps replicas in several zones: a zone failure loses no data and causes no downtime',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-cosmos-db-nosql',
  };
  /** AWS Backup logically air-gapped vault: MinRetentionDays is at least 7. */
  public static readonly AIR_GAPPED_VAULT_MIN_RETENTION_DAYS = 7;
  /** Source for logically air-gapped vaults (compliance-mode lock, sharing through AWS RAM). */
  public static readonly AIR_GAPPED_VAULT_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/logicallyairgappedvault.html`;
  /** Source for cross-account copies (AWS Organizations, the cross-account backup setting, the destination vault's access policy). */
  public static readonly BACKUP_CROSS_ACCOUNT_SOURCE = `${AWS_DOCS}/aws-backup/latest/devguide/create-cross-account-backup.html`;
  /** CloudFormation quota: at most 500 resources declared in one stack (template). */
  public static readonly CFN_MAX_RESOURCES_PER_STACK = 500;
  /** CloudFormation quota: a template body passed through an Amazon S3 object is at most 1 MB (the CDK CLI uploads templates to S3). */
  public static readonly CFN_MAX_TEMPLATE_BYTES = 1_000_000;
  /** Source of the CloudFormation quotas (resources per stack, template body size). */
  public static readonly CFN_QUOTAS_SOURCE = `${AWS_DOCS}/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html`;
  /**
   * IAM quota: "You can add as many inline policies as you want to an IAM user, role, or group.
   * But the total aggregate policy size (the sum size of all inline policies) per entity cannot
   * exceed the following quotas: [...] Role policy size cannot exceed 10,240 characters." "IAM
   * does not count white space when calculating the size of a policy against these quotas."
   * (IAM_QUOTAS_SOURCE)
   */
  public static readonly IAM_ROLE_INLINE_POLICY_CHARS = 10_240;
  /**
   * IAM quota: "Managed policy size cannot exceed 6,144 characters." "IAM does not count white
   * space when calculating the size of a policy against this quota." (IAM_QUOTAS_SOURCE)
   */
  public static readonly IAM_MANAGED_POLICY_CHARS = 6_144;
  /**
   * IAM quota, adjustable: "Managed policies attached to an IAM role | 10 | 20" (default quota,
   * maximum quota; IAM_QUOTAS_SOURCE): the default.
   */
  public static readonly IAM_MANAGED_POLICIES_PER_ROLE = 10;
  /** The same quota's maximum, after a quota increase ("Managed policies attached to an IAM role | 10 | 20"). */
  public static readonly IAM_MANAGED_POLICIES_PER_ROLE_MAX = 20;
  /** Source of the IAM quotas (inline and managed policy sizes, managed policies per role). */
  public static readonly IAM_QUOTAS_SOURCE = `${AWS_DOCS}/IAM/latest/UserGuide/reference_iam-quotas.html`;
  /** Backup and DR service: backup plans, rules and schedules (console guide). */
  public static readonly GCP_BACKUPDR_PLAN_SOURCE = 'https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/backup-plan';
  /** Backup and DR service: backup plan concepts (backup window of at least six hours, one rule per frequency). */
  public static readonly GCP_BACKUPDR_PLAN_CONCEPTS_SOURCE = 'https://cloud.google.com/backup-disaster-recovery/docs/concepts/backup-plan';
  /** Backup and DR API: `BackupRule.backupRetentionDays` and `BackupWindow`. */
  public static readonly GCP_BACKUPDR_API_SOURCE = 'https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans#BackupRule';
  /** Backup and DR service: backup vaults, minimum enforced retention and its lock (effective time). */
  public static readonly GCP_BACKUPDR_VAULT_SOURCE = 'https://cloud.google.com/backup-disaster-recovery/docs/concepts/backup-vault';
  /** Backup and DR hourly frequency for Cloud SQL instances: 6-23 hours (the backup plan page's table). */
  public static readonly GCP_BACKUPDR_MIN_HOURLY_FREQUENCY = 6;
  /** Backup and DR hourly frequency for Compute Engine instances and disks, AlloyDB clusters and Filestore instances: 1-23 hours. */
  public static readonly GCP_BACKUPDR_MIN_HOURLY_FREQUENCY_OTHER = 1;
  /** Backup and DR hourly frequency: at most 23 hours for every resource type. */
  public static readonly GCP_BACKUPDR_MAX_HOURLY_FREQUENCY = 23;
  /** Backup and DR: "Duration: The window must be at least six hours long"; a job that does not start by the end of the window is NOT_RUN. */
  public static readonly GCP_BACKUPDR_DAILY_WINDOW_HOURS = 6;
  /** Backup and DR: the backup plan concepts page's words on the window. */
  public static readonly GCP_BACKUPDR_WINDOW_STATEMENT = 'Backup Window: Defines the timeframe (in 24-hour format) during which the backup job must start. Duration: The window must be at least six hours long';
  /** Backup and DR: the largest `backupRetentionDays` the API documents ("maximum value is 36159 for custom retention on-demand backup"; other rules are "workload specific"). */
  public static readonly GCP_BACKUPDR_MAX_RETENTION_DAYS = 36159;
  /** Backup and DR: retention is "workload specific" for scheduled rules; drkit found no published per-workload table. */
  public static readonly GCP_BACKUPDR_RETENTION: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '`backupRetentionDays` "should be greater than or equal to minimum enforced retention of the backup vault. Minimum value is 1 and maximum value is 36159 for custom retention on-demand backup. Minimum and maximum values are workload specific for all other rules"',
    source: 'https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans#BackupRule',
  };
  /** Azure Backup (Data Protection) vaults: immutability, soft delete, cross-region restore. */
  public static readonly AZURE_BACKUP_VAULT_SOURCE = 'https://learn.microsoft.com/azure/backup/backup-vault-overview';
  /** Azure Backup reliability: zone-redundant and geo-redundant backup storage, cross-region restore, the settings fixed at creation. */
  public static readonly AZURE_BACKUP_RELIABILITY_SOURCE = 'https://learn.microsoft.com/azure/reliability/reliability-backup';
  /** Azure Backup: a region outage can lose up to 36 hours of backup data (24-hour primary RPO plus up to 12 hours of replication). */
  public static readonly AZURE_BACKUP_CROSS_REGION_RPO: Fact = {
    value: Period.hours(36),
    kind: BoundKind.TYPICAL,
    statement: '"In general, for a region outage, expect up to 36 hours of data loss because the RPO in the primary region is 24 hours, and it can take up to 12 hours to replicate the backup data from the primary to secondary region"',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-backup',
  };
  /** Azure Backup: backup data in a vault without ZRS is nonzonal. */
  public static readonly AZURE_BACKUP_NONZONAL: Fact = {
    kind: BoundKind.NONE,
    statement: '"If you don\'t use ZRS, your backup data is considered nonzonal and might be stored in any zone. If any zone in the region has a problem, nonzonal backup data might be unavailable"',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-backup',
  };
  /** Azure Backup: with ZRS no backed-up data is lost in a zone outage. */
  public static readonly AZURE_BACKUP_ZONE_REDUNDANT: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'with zone-redundant backup storage, "for a zone outage, no loss of backed-up data is expected because all data is replicated synchronously across zones"',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-backup',
  };
  /** Azure Backup: a Backup vault's storage redundancy is fixed when the vault is created; cross-region restore cannot be turned off. */
  public static readonly AZURE_BACKUP_REDUNDANCY_AT_CREATION: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"For Backup vaults, set up storage redundancy when you create the vault. After you create a Backup vault, the setting is locked and you can\'t change it"; "After you turn on CRR, you can\'t turn it off"',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-backup',
  };
  /** Azure Backup: a vault's immutability can be locked, irreversibly. */
  public static readonly AZURE_BACKUP_IMMUTABLE_LOCK: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'immutable vaults block operations that could lose recovery points, and "You can lock the immutable vault setting to make it irreversible"',
    source: 'https://learn.microsoft.com/azure/reliability/reliability-backup',
  };
  /** Azure Backup vaulted backup of blobs: daily or weekly schedules, retention rules, VaultStore. */
  public static readonly AZURE_BLOB_VAULTED_BACKUP_SOURCE = 'https://learn.microsoft.com/azure/backup/blob-backup-overview';
  /** Azure Backup soft delete: retention 14 to 180 days (14 by default). */
  public static readonly AZURE_BACKUP_SOFT_DELETE_MIN_DAYS = 14;
  /** Azure Backup soft delete: the longest retention (days). */
  public static readonly AZURE_BACKUP_SOFT_DELETE_MAX_DAYS = 180;
  /** Storage Transfer Service: a scheduled job repeats at least every hour (`repeatInterval` "may not be less than 1 hour"). */
  public static readonly STORAGE_TRANSFER_MIN_INTERVAL = Period.hours(1);
  /** Source of Storage Transfer Service schedules. */
  public static readonly STORAGE_TRANSFER_SCHEDULE_SOURCE = 'https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs#Schedule';
  /** Storage Transfer Service: a run may start after its scheduled time, and no transfer duration is published. */
  public static readonly STORAGE_TRANSFER_START_DELAY: Fact = {
    kind: BoundKind.NONE,
    statement: '`startTimeOfDay` is "The time in UTC that a transfer job is scheduled to run. Transfers may start later than this time"; Google publishes no transfer duration',
    source: 'https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs#Schedule',
  };
  /** Source of Storage Transfer Service from Amazon S3 with federated (role) credentials. */
  public static readonly STORAGE_TRANSFER_S3_SOURCE = 'https://cloud.google.com/storage-transfer/docs/source-amazon-s3';
  /** Source of the permissions the Storage Transfer service agent needs on a Cloud Storage sink. */
  public static readonly STORAGE_TRANSFER_SINK_SOURCE = 'https://cloud.google.com/storage-transfer/docs/sink-cloud-storage';
  /** A logically air-gapped vault is locked in compliance mode, and its recovery points can be restored from another account. */
  public static readonly AIR_GAPPED_VAULT_ACCOUNT_COMPROMISE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'a logically air-gapped vault is always locked in AWS Backup Vault Lock compliance mode (no one, the account root included, can delete its recovery points early), and it can be shared with another account through AWS RAM or multi-party approval so its recovery points can be restored even when the vault-owning account is inaccessible',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/logicallyairgappedvault.html`,
  };
  /** Aurora failover to a reader (Aurora Replica): service typically restored in under 60 seconds, often under 30. */
  public static readonly AURORA_READER_FAILOVER: Fact = {
    value: Period.seconds(60),
    kind: BoundKind.TYPICAL,
    statement: 'when the writer fails, Aurora promotes an Aurora Replica (reader) in another AZ: service is typically restored in less than 60 seconds, and often less than 30 seconds; without a reader, the writer is recreated (typically under 10 minutes, in the same AZ)',
    source: `${AWS_DOCS}/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html#Aurora.Managing.FaultTolerance`,
  };
  // Issue 12: more stateful services
  /** EFS Regional file systems store data across several AZs. */
  public static readonly EFS_REGIONAL_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'Regional file systems (recommended) store data redundantly across multiple geographically separated Availability Zones within the same AWS Region. Storing data across multiple Availability Zones provides continuous availability to the data, even when one or more Availability Zones in an AWS Region are unavailable',
    source: `${AWS_DOCS}/efs/latest/ug/availability-durability.html`,
  };
  /** EFS One Zone file systems keep data in one AZ: it may be lost with the AZ. */
  public static readonly EFS_ONE_ZONE: Fact = {
    kind: BoundKind.NONE,
    statement: 'One Zone file systems store data within a single Availability Zone. [...] In the unlikely case of the loss or damage to all or part of the Availability Zone, however, data that is stored in these types of file systems might be lost',
    source: `${AWS_DOCS}/efs/latest/ug/availability-durability.html`,
  };
  /**
   * EFS automatic backups (`BackupPolicy: ENABLED`): daily AWS Backup backups kept 35 days, on by
   * default only for One Zone file systems created through the API (CloudFormation). EFS publishes
   * no start window for the daily backup: no bound on the RPO.
   */
  public static readonly EFS_AUTOMATIC_BACKUPS: Fact = {
    kind: BoundKind.NONE,
    statement: 'When you use the CLI or API to create a file system, automatic backups are enabled by default only for One Zone file systems. [...] The default EFS backup plan uses the AWS Backup recommended settings for automatic backups: daily backups with a 35-day retention period',
    source: `${AWS_DOCS}/efs/latest/ug/awsbackup.html`,
  };
  /** EFS automatic backups: retention of the default EFS backup plan, in days. */
  public static readonly EFS_AUTOMATIC_BACKUP_RETENTION_DAYS = 35;
  /** EFS automatic backups: the vault EFS creates for them. */
  public static readonly EFS_AUTOMATIC_BACKUP_VAULT = 'aws/efs/automatic-backup-vault';
  /** EFS replication: AWS publishes how to see the last sync, not a bound on it. */
  public static readonly EFS_REPLICATION_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'Any changes to data on the source file system that occurred before this time have been successfully replicated to the destination file system. Any changes that occurred after this time might not be fully replicated (LastReplicatedTimestamp; CloudWatch TimeSinceLastSync)',
    source: `${AWS_DOCS}/efs/latest/ug/monitoring-replication-status.html`,
  };
  /** EFS replication failover: delete the replication configuration to make the destination writable; no published duration. */
  public static readonly EFS_REPLICATION_FAILOVER: Fact = {
    kind: BoundKind.NONE,
    statement: 'If you delete the replication configuration, the file system\'s replication overwrite protection is re-enabled and the file system becomes writeable',
    source: `${AWS_DOCS}/efs/latest/ug/replicate-existing-destination.html`,
  };
  /** DocumentDB: point-in-time restore within the backup retention period (1-35 days); no lag figure published. */
  public static readonly DOCDB_PITR: Fact = {
    kind: BoundKind.NONE,
    statement: 'Backup retention period: A period of time between 1 and 35 days for which you can perform a point-in-time restore. [...] Automatic snapshot: Daily snapshots that are full backups of cluster and are automatically created by the continuous backup process in Amazon DocumentDB',
    source: `${AWS_DOCS}/documentdb/latest/developerguide/backup_restore-nouns_verbs.html`,
  };
  /** DocumentDB storage volume: six copies across three AZs. */
  public static readonly DOCDB_STORAGE_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'Highly available and highly durable storage volume that replicates data six ways across three Availability Zones. An Amazon DocumentDB cluster is highly durable regardless of the number of instances in the cluster',
    source: `${AWS_DOCS}/documentdb/latest/developerguide/backup_restore-nouns_verbs.html`,
  };
  /** DocumentDB failover: needs a replica instance; no duration published. */
  public static readonly DOCDB_FAILOVER: Fact = {
    kind: BoundKind.NONE,
    statement: 'For failover to function, your cluster must have at least two instances: a primary and at least one replica instance',
    source: `${AWS_DOCS}/documentdb/latest/developerguide/failover.html`,
  };
  /** Neptune: continuous, incremental backups; restore to any point within the retention period (1-35 days). */
  public static readonly NEPTUNE_PITR: Fact = {
    kind: BoundKind.NONE,
    statement: 'Neptune backs up your cluster volume automatically and retains restore data for the length of the backup retention period. Neptune backups are continuous and incremental so you can quickly restore to any point within the backup retention period. [...] You can specify a backup retention period, from 1 to 35 days',
    source: `${AWS_DOCS}/neptune/latest/userguide/backup-restore.html`,
  };
  /**
   * DocumentDB and Neptune: the backup retention period (the point-in-time window) is 1 to 35
   * days, as DOCDB_PITR and NEPTUNE_PITR quote ("A period of time between 1 and 35 days for which
   * you can perform a point-in-time restore"; "from 1 to 35 days").
   */
  public static readonly DOCDB_NEPTUNE_PITR_MAX_DAYS = 35;
  /** Neptune cluster volume: a copy in each AZ; an AZ failure loses no data. */
  public static readonly NEPTUNE_STORAGE_MULTI_AZ: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'The cluster volume spans multiple Availability Zones in a single AWS Region, and each Availability Zone contains a copy of the cluster volume data. This functionality means that your DB cluster can tolerate a failure of an Availability Zone without any loss of data and only a brief interruption of service',
    source: `${AWS_DOCS}/neptune/latest/userguide/backup-restore-overview-fault-tolerance.html`,
  };
  /** Neptune failover to a replica: typically under 120 seconds. */
  public static readonly NEPTUNE_REPLICA_FAILOVER: Fact = {
    value: Period.seconds(120),
    kind: BoundKind.TYPICAL,
    statement: 'If the DB cluster has one or more Neptune replicas, then a Neptune replica is promoted to the primary instance during a failure event. [...] service is typically restored in less than 120 seconds, and often less than 60 seconds',
    source: `${AWS_DOCS}/neptune/latest/userguide/backup-restore-overview-fault-tolerance.html`,
  };
  /** FSx automatic daily backups are kept at most 90 days (FSX_AUTOMATIC_BACKUPS: "You can retain automatic backups for a maximum of 90 days"). */
  public static readonly FSX_AUTOMATIC_BACKUP_MAX_DAYS = 90;
  /** FSx automatic daily backups: AutomaticBackupRetentionDays 0 (off) to 90. */
  public static readonly FSX_AUTOMATIC_BACKUPS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'The number of days to retain automatic backups. Setting this property to 0 disables automatic backups. You can retain automatic backups for a maximum of 90 days. The default is 30',
    source: `${AWS_DOCS}/fsx/latest/APIReference/API_UpdateFileSystemWindowsConfiguration.html`,
  };
  /** FSx for Windows File Server, ONTAP and OpenZFS: automatic backups kept 30 days when AutomaticBackupRetentionDays is absent. */
  public static readonly FSX_DEFAULT_RETENTION_DAYS = 30;
  /** FSx for Lustre: AutomaticBackupRetentionDays defaults to 0 (off) when a file system is created. */
  public static readonly FSX_LUSTRE_DEFAULT_RETENTION: Fact = {
    value: Period.days(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'The number of days to retain automatic backups. Setting this property to 0 disables automatic backups. You can retain automatic backups for a maximum of 90 days. The default is 0',
    source: `${AWS_DOCS}/fsx/latest/APIReference/API_CreateFileSystemLustreConfiguration.html`,
  };
  /** FSx: the daily automatic backup window is 30 minutes from DailyAutomaticBackupStartTime. */
  public static readonly FSX_BACKUP_WINDOW: Fact = {
    value: Period.minutes(30),
    kind: BoundKind.DOCUMENTED,
    statement: 'DailyAutomaticBackupStartTime: the time of the day in Coordinated Universal Time (UTC) that you want the daily automatic backup window to start. The window is 30 minutes starting from this specified time',
    source: `${AWS_DOCS}/fsx/latest/WindowsGuide/walkthrough03-update-file-system.html`,
  };
  /** FSx for Lustre scratch file systems: no backups. */
  public static readonly FSX_SCRATCH_NO_BACKUP: Fact = {
    kind: BoundKind.NONE,
    statement: 'Because scratch file systems are designed for temporary storage and short-term data processing, Amazon FSx doesn\'t support backups on scratch file systems',
    source: 'https://repost.aws/knowledge-center/fsx-for-lustre-scratch-file-system',
  };
  /** FSx Multi-AZ deployment types: tolerate an AZ's unavailability; no data-loss or failover bound published. */
  public static readonly FSX_MULTI_AZ: Fact = {
    kind: BoundKind.NONE,
    statement: 'MULTI_AZ_1 - Deploys a high availability file system that is configured for Multi-AZ redundancy to tolerate temporary Availability Zone (AZ) unavailability',
    source: `${AWS_DOCS}/fsx/latest/APIReference/API_CreateFileSystemWindowsConfiguration.html`,
  };
  /** ElastiCache automatic snapshots: SnapshotRetentionLimit days, default 0 (off). */
  public static readonly ELASTICACHE_SNAPSHOTS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'The number of days for which ElastiCache retains automatic snapshots before deleting them. [...] Default: 0 (i.e., automatic backups are disabled for this cluster)',
    source: `${AWS_DOCS}/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html`,
  };
  /** ElastiCache Multi-AZ: a read replica is promoted when the primary fails; no data-loss or duration bound. */
  public static readonly ELASTICACHE_MULTI_AZ: Fact = {
    kind: BoundKind.NONE,
    statement: 'This replacement results in some downtime for the cluster, but if Multi-AZ is enabled, the downtime is minimized. The role of primary node will automatically fail over to one of the read replicas',
    source: `${AWS_DOCS}/AmazonElastiCache/latest/dg/AutoFailover.html`,
  };
  /**
   * ElastiCache and MemoryDB automatic snapshots are kept at most 35 days: "The number of days for
   * which ElastiCache retains automatic snapshots before deleting them. [...] The maximum value
   * allowed is 35 days." (SnapshotRetentionLimit, https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateServerlessCache.html;
   * the mechanisms' limits say "SnapshotRetentionLimit 0 (off) to 35 days").
   */
  public static readonly SNAPSHOT_RETENTION_LIMIT_MAX_DAYS = 35;
  /** MemoryDB automatic snapshots: daily, within a snapshot window of at least 60 minutes, kept up to 35 days. */
  public static readonly MEMORYDB_SNAPSHOTS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: 'When automatic snapshots are enabled, MemoryDB creates a snapshot of the cluster on a daily basis. [...] Snapshot window: A period during each day when MemoryDB begins creating a snapshot. The minimum length for the snapshot window is 60 minutes. [...] If the snapshot retention limit is set to 0, automatic snapshots are disabled for the cluster',
    source: `${AWS_DOCS}/memorydb/latest/devguide/snapshots-automatic.html`,
  };
  /** MemoryDB: writes are persisted to a Multi-AZ transaction log before they are acknowledged. */
  public static readonly MEMORYDB_MULTI_AZ_LOG: Fact = {
    value: Period.seconds(0),
    kind: BoundKind.DOCUMENTED,
    statement: 'Data durability using a Multi-AZ transactional log providing fast database recovery and restart. [...] Whenever data is written to the primary node it is persisted to the transaction log',
    source: `${AWS_DOCS}/memorydb/latest/devguide/servicename-feature-overview.html`,
  };
  /** An EBS volume lives in one AZ. */
  public static readonly EBS_SINGLE_AZ: Fact = {
    kind: BoundKind.NONE,
    statement: 'EBS volumes are highly available and reliable storage volumes that can be attached to any running instance that is in the same Availability Zone',
    source: `${AWS_DOCS}/govcloud-us/latest/UserGuide/govcloud-ebs.html`,
  };
  /** Data Lifecycle Manager snapshot schedules: the interval is documented, when a snapshot starts is not. */
  public static readonly DLM_SCHEDULE: Fact = {
    kind: BoundKind.NONE,
    statement: 'The interval between snapshots. The supported values are 1, 2, 3, 4, 6, 8, 12, and 24 (hours); CronExpression: the schedule interval must be between 1 hour and 1 year',
    source: `${AWS_DOCS}/dlm/latest/APIReference/API_CreateRule.html`,
  };
  /**
   * DynamoDB global tables (multi-Region eventual consistency): replication is typically within a
   * second and can slow down when a Region degrades; AWS publishes no bound, so drkit counts none.
   */
  public static readonly DYNAMODB_GLOBAL_TABLE_REPLICATION: Fact = {
    kind: BoundKind.NONE,
    statement: 'Changes made to an item in one region are typically replicated to all other regions within a second; ReplicationLatency can increase if an AWS Region becomes degraded and you have a replica table in that Region (V2globaltables_monitoring.html). No bound is published: watch ReplicationLatency',
    source: `${AWS_DOCS}/amazondynamodb/latest/developerguide/V2globaltables.tutorial.html`,
  };

  // ---- AWS Organizations backup policies, StackSets (issue 17) ----

  /** Source of the backup policy syntax (elements, operators, variables, examples). */
  public static readonly ORG_BACKUP_POLICY_SYNTAX_SOURCE = `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`;
  /** Source of the inheritance operators (value-setting and child control operators). */
  public static readonly ORG_POLICY_OPERATORS_SOURCE = `${AWS_DOCS}/organizations/latest/userguide/policy-operators.html`;
  /** AWS Organizations quotas: the maximum size of a backup policy document, in characters. */
  public static readonly ORG_BACKUP_POLICY_MAX_CHARS = 10000;
  /** The backup policy size quota, as AWS states it. */
  public static readonly ORG_BACKUP_POLICY_SIZE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Maximum size of a policy document [...] Backup policies: 10,000 characters" (saved through an SDK or the CLI, "the policy is saved exactly as you provided", white space included)',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_reference_limits.html`,
  };
  /** AWS Organizations quotas: backup policies per organization. */
  public static readonly ORG_BACKUP_POLICIES_PER_ORG = 1000;
  /** The policies-per-organization quota, as AWS states it. */
  public static readonly ORG_BACKUP_POLICIES_PER_ORG_FACT: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Number of policies of each type in an organization [...] Backup policies: 1000"',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_reference_limits.html`,
  };
  /** Policies of one type attached to one root, OU or account: AWS's quotas page gives the figure only for some types. */
  public static readonly ORG_POLICIES_PER_TARGET: Fact = {
    kind: BoundKind.NONE,
    statement: 'the AWS Organizations quotas page drkit checked states no number of backup policies that can be attached to one root, OU or account; one drkit policy uses one attachment per target',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_reference_limits.html`,
  };
  /** A policy name: "a string of any of the characters in the ASCII character range". */
  public static readonly ORG_POLICY_NAME_RULE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Name of the policy. The regex pattern that is used to validate this parameter is a string of any of the characters in the ASCII character range."',
    source: `${AWS_DOCS}/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html`,
  };
  /** Backup plan name rule (the plan key of a backup policy maps to `BackupPlanName`): API maximum. */
  public static readonly BACKUP_PLAN_NAME_MAX = 200;
  /** The backup plan name rule, as AWS states it. */
  public static readonly BACKUP_PLAN_NAME_RULE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The display name of a backup plan. Must contain only alphanumeric or \'-_.\' special characters. If this is set in the console, it can contain 1 to 50 characters; if this is set through CLI or API, it can contain 1 to 200 characters."',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/API_BackupPlan.html`,
  };
  /** Backup rule name: at most 50 characters. */
  public static readonly BACKUP_RULE_NAME_MAX = 50;
  /** The backup rule name rule, as AWS states it. */
  public static readonly BACKUP_RULE_NAME_RULE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"A display name for a backup rule. Must contain 1 to 50 alphanumeric or \'-_.\' characters."',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/API_BackupRule.html`,
  };
  /** Backup vault name: 2 to 50 letters, digits, hyphens and underscores. */
  public static readonly BACKUP_VAULT_NAME_RULE: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Pattern: ^[a-zA-Z0-9\\-\\_]{2,50}$"',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/API_CreateBackupVault.html`,
  };
  /** A backup policy rule's start window: at least 60 minutes when given. */
  public static readonly ORG_POLICY_START_WINDOW: Fact = {
    value: Period.minutes(60),
    kind: BoundKind.DOCUMENTED,
    statement: '"start_backup_window_minutes [...] If this value is included, it must be at least 60 minutes to avoid errors."',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** A backup policy lifecycle: deletion at least 90 days after the move to cold storage. */
  public static readonly ORG_POLICY_COLD_STORAGE: Fact = {
    value: Period.days(90),
    kind: BoundKind.DOCUMENTED,
    statement: '"Backups transitioned to cold storage must be stored in cold storage for a minimum of 90 days. This means that the delete_after_days must be 90 days greater than move_to_cold_storage_after_days."',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** A backup policy continuous-backup rule: at most 35 days (so never cold storage, which needs 90 days there). */
  public static readonly ORG_POLICY_CONTINUOUS_RETENTION: Fact = {
    value: Period.days(35),
    kind: BoundKind.DOCUMENTED,
    statement: '"enable_continuous_backup [...] Note: PITR-enabled backups have 35-day maximum retention."',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** Copy actions: `$account` for same-account copies, the account id for cross-account copies. */
  public static readonly ORG_POLICY_COPY_TARGET: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"target_backup_vault_arn: Vault where AWS Backup stores an additional copy of the backup. Use $account for same-account copies. Use actual account ID for cross-account copies"; the `$region` placeholder is documented only for target_logically_air_gapped_backup_vault_arn ("The ARN must use the special placeholders $region and $account")',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** Copy actions are keyed by the destination vault's ARN. */
  public static readonly ORG_POLICY_COPY_KEY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"A key whose name uniquely identifies this copy action. At this time, the key name must be the Amazon Resource Name (ARN) of the backup vault. [...] If this key is missing, then an all lower-case version of the ARN in the parent key name is used. Because ARNs are case sensitive, this string might not match the actual ARN of the vault and the plan fails. For this reason, we recommend you always supply this key and value."',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** The member accounts need the vault and role the policy names, in every region. */
  public static readonly ORG_POLICY_VAULTS_MUST_EXIST: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Vaults must exist in each specified AWS Regions before a backup plan can run. Vaults must exist for each AWS account that receives the effective policy." "The IAM role must exist when creating a backup plan for the first time." "We recommend that you use AWS CloudFormation stack sets and its integration with Organizations to automatically create and configure backup vaults and IAM roles for each member account in the organization."',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** Child control operator: `@@none` at every node forbids any change by a child policy. */
  public static readonly ORG_POLICY_CHILD_CONTROL: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The presence of \"@@operators_allowed_for_child_policies\": [\"@@none\"] at every node of the policy means that a child policy can\'t make changes of any kind to the plan." (Example 3); "The @@append setting at that level [plans] enables child policies to add other plans to the collection in the effective policy. Any changes to the inherited plan are still blocked." (Example 4)',
    source: `${AWS_DOCS}/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html`,
  };
  /** StackSet `TemplateBody`: at most 51,200 bytes. */
  public static readonly STACKSET_TEMPLATE_BODY_MAX_BYTES = 51200;
  /** The TemplateBody limit, as AWS states it. */
  public static readonly STACKSET_TEMPLATE_BODY: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The structure that contains the template body, with a minimum length of 1 byte and a maximum length of 51,200 bytes." (the alternative, TemplateURL, must point to an Amazon S3 object)',
    source: `${AWS_DOCS}/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html`,
  };
  /** StackSet operations: at most 50 OUs per CreateStackInstances operation. */
  public static readonly STACKSET_OUS_PER_OPERATION = 50;
  /** The OUs-per-operation limit, as AWS states it. */
  public static readonly STACKSET_OUS_PER_OPERATION_FACT: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"The maximum number of organizational unit (OUs) supported by a CreateStackInstances operation is 50."',
    source: `${AWS_DOCS}/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html`,
  };
  /**
   * Stack instances per stack set (read from the archived copy of the quotas page, 2023: the
   * figure may have been raised since; check the current page).
   */
  public static readonly STACKSET_INSTANCES_PER_STACK_SET: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Stack instances: Maximum number of stack instances you can create per stack set. 2000 stack instances per stack set" (archived copy of the quotas page, 2023; the current page may give a higher figure)',
    source: 'https://github.com/awsdocs/aws-cloudformation-user-guide/blob/main/doc_source/cloudformation-limits.md',
  };
  /** Stack instance operations per region at the same time (archived quotas page, 2023). */
  public static readonly STACKSET_INSTANCE_OPERATIONS: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"StackSets instance operations: Maximum number of stack instances, across all stack sets, that you can run operations on in each Region at the same time, per administrator account. 3500 operations" (archived copy of the quotas page, 2023)',
    source: 'https://github.com/awsdocs/aws-cloudformation-user-guide/blob/main/doc_source/cloudformation-limits.md',
  };
  /** Cross-account backup: only between accounts of one organization, enabled in the management account. */
  public static readonly BACKUP_CROSS_ACCOUNT_SETTING: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Updates whether the AWS account is opted in to cross-account backup. Returns an error if the account is not an Organizations management account." Example: "update-global-settings --global-settings isCrossAccountBackupEnabled=false --region us-west-2"',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/API_UpdateGlobalSettings.html`,
  };
  /** Cross-account management (policies, monitoring) needs the accounts in one organization. */
  public static readonly BACKUP_CROSS_ACCOUNT_MANAGEMENT: Fact = {
    kind: BoundKind.DOCUMENTED,
    statement: '"Before you manage resources across multiple AWS accounts in AWS Backup, your accounts must belong to the same organization in the AWS Organizations service."',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/manage-cross-account.html`,
  };
}

/**
 * A native protection mechanism, with the disruptions it covers and its documented floors.
 * Enum-like: drkit's catalog is the static members; construct your own for others.
 */
export class Mechanism {
  /** DynamoDB point-in-time recovery. */
  public static readonly DYNAMODB_PITR = new Mechanism({
    id: 'aws.dynamodb.pitr',
    title: 'DynamoDB point-in-time recovery',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.DYNAMODB_PITR_RPO,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['recovery period 1-35 days', 'restores to a new table in the same region'],
  });

  /** DynamoDB's own multi-AZ storage. */
  public static readonly DYNAMODB_MULTI_AZ = new Mechanism({
    id: 'aws.dynamodb.multi-az',
    title: 'DynamoDB multi-AZ storage',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.DYNAMODB_MULTI_AZ,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the table stays available in the remaining AZs', source: Facts.DYNAMODB_MULTI_AZ.source },
  });

  /** DynamoDB global table replica in another region. */
  public static readonly DYNAMODB_GLOBAL_TABLE = new Mechanism({
    id: 'aws.dynamodb.global-table',
    title: 'DynamoDB global table replica',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.DYNAMODB_GLOBAL_TABLE_RPO,
    rto: { kind: BoundKind.ESTIMATED, statement: 'redirect traffic to the replica (DNS TTL plus detection)', source: `${AWS_DOCS}/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html` },
    limits: ['deletes and corruption replicate: a replica is not a backup', 'PITR and deletion protection are set per replica'],
  });

  /** AWS Backup scheduled backups in the same account and region. */
  public static readonly AWS_BACKUP = new Mechanism({
    id: 'aws.backup.scheduled',
    title: 'AWS Backup scheduled backup',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus start window (a job may start that late)', source: Facts.BACKUP_PLAN_SOURCE },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['hourly is the shortest schedule', 'start window at least 60 minutes', 'cold storage at least 90 days before deletion'],
  });

  /** AWS Backup copy to a vault in another region. */
  public static readonly AWS_BACKUP_CROSS_REGION_COPY = new Mechanism({
    id: 'aws.backup.copy.region',
    title: 'AWS Backup copy to another region',
    cloud: 'aws',
    covers: [Disruption.REGION_OUTAGE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus start window plus copy time (copy time is not published)', source: Facts.BACKUP_COPY_SOURCE },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
  });

  /** AWS Backup copy to a vault in another account. */
  public static readonly AWS_BACKUP_CROSS_ACCOUNT_COPY = new Mechanism({
    id: 'aws.backup.copy.account',
    title: 'AWS Backup copy to another account',
    cloud: 'aws',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus start window plus copy time (copy time is not published)', source: Facts.BACKUP_COPY_SOURCE },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['cross-account copies need AWS Organizations and a destination vault policy that allows the copy'],
  });

  /** S3 replication with Replication Time Control. */
  public static readonly S3_REPLICATION_RTC = new Mechanism({
    id: 'aws.s3.replication.rtc',
    title: 'S3 replication with Replication Time Control',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.S3_RTC_RPO,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'data is already in the replica bucket; clients switch to it', source: Facts.S3_RTC_RPO.source },
  });

  /** S3 replication without RTC. */
  public static readonly S3_REPLICATION = new Mechanism({
    id: 'aws.s3.replication',
    title: 'S3 replication (no RTC)',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.S3_CRR_RPO,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'data is already in the replica bucket; clients switch to it', source: Facts.S3_CRR_RPO.source },
  });

  /** RDS automated backups (point-in-time restore). */
  public static readonly RDS_PITR = new Mechanism({
    id: 'aws.rds.pitr',
    title: 'RDS automated backups (PITR)',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.RDS_PITR_RPO,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['retention 1-35 days', 'restores to a new instance'],
  });

  /** RDS cross-region automated backup replication (instances). */
  public static readonly RDS_BACKUP_REPLICATION = new Mechanism({
    id: 'aws.rds.backup-replication',
    title: 'RDS cross-region automated backup replication',
    cloud: 'aws',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.RDS_BACKUP_REPLICATION_RPO,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['DB instances only (not Aurora, not Multi-AZ DB clusters)', 'retention of the replicated backups at most 35 days', 'encrypted instances need a KMS key in the destination region'],
  });

  /** RDS Multi-AZ instance (synchronous standby in another AZ). */
  public static readonly RDS_MULTI_AZ = new Mechanism({
    id: 'aws.rds.multi-az',
    title: 'RDS Multi-AZ deployment',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the standby is updated synchronously', source: Facts.RDS_MULTI_AZ_FAILOVER.source },
    rto: Facts.RDS_MULTI_AZ_FAILOVER,
  });

  /** Aurora's cluster volume across three AZs. */
  public static readonly AURORA_MULTI_AZ = new Mechanism({
    id: 'aws.aurora.multi-az',
    title: 'Aurora multi-AZ cluster volume',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.AURORA_STORAGE_MULTI_AZ,
    rto: { kind: BoundKind.NONE, statement: 'a reader in another AZ is promoted, or a new writer is created when the cluster has no reader', source: Facts.AURORA_STORAGE_MULTI_AZ.source },
  });

  /** RDS cross-region read replica. */
  public static readonly RDS_READ_REPLICA = new Mechanism({
    id: 'aws.rds.read-replica',
    title: 'RDS cross-region read replica',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.RDS_READ_REPLICA_LAG,
    rto: Facts.RDS_REPLICA_PROMOTION,
    limits: ['deletes and corruption replicate: a replica is not a backup', 'promotion breaks replication: plan a new replica after a failover'],
  });

  /** Aurora global database secondary cluster. */
  public static readonly AURORA_GLOBAL_DATABASE = new Mechanism({
    id: 'aws.aurora.global-database',
    title: 'Aurora global database',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.AURORA_GLOBAL_DB_RPO,
    rto: Facts.AURORA_GLOBAL_DB_FAILOVER,
    limits: ['deletes and corruption replicate: a replica is not a backup'],
  });

  /** Aurora MySQL backtrack (rewind the cluster in place). */
  public static readonly AURORA_BACKTRACK = new Mechanism({
    id: 'aws.aurora.backtrack',
    title: 'Aurora MySQL backtrack',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: { value: Period.seconds(1), kind: BoundKind.DOCUMENTED, statement: 'backtrack rewinds the cluster to a chosen second within the target window', source: Facts.AURORA_BACKTRACK_SOURCE },
    rto: { kind: BoundKind.TYPICAL, statement: 'backtracking rewinds in place, typically in minutes (no new cluster)', source: Facts.AURORA_BACKTRACK_SOURCE },
    limits: ['Aurora MySQL only', 'target window at most 72 hours', 'must be enabled when the cluster is created'],
  });

  /** AWS Backup continuous backup (point-in-time restore for S3, RDS, Aurora). */
  public static readonly AWS_BACKUP_CONTINUOUS = new Mechanism({
    id: 'aws.backup.continuous',
    title: 'AWS Backup continuous backup (PITR)',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.BACKUP_CONTINUOUS_S3_RPO,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['supported for S3, RDS, Aurora and SAP HANA on EC2', 'retention 1-35 days, no cold storage'],
  });

  /** AWS Backup Vault Lock in compliance mode: recovery points nobody can delete early. */
  public static readonly AWS_BACKUP_VAULT_LOCK = new Mechanism({
    id: 'aws.backup.vault-lock',
    title: 'AWS Backup Vault Lock (compliance mode)',
    cloud: 'aws',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus start window of the rules that store into the locked vault', source: Facts.VAULT_LOCK_SOURCE },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['compliance mode becomes immutable only after ChangeableForDays', 'governance mode can be removed by users with sufficient IAM permissions: it is not immutable and does not survive account compromise', 'in the same account, it survives account compromise only when its recovery points stay readable without the account\'s own keys (a logically air-gapped vault with its AWS-owned key, or a key in another account)'],
  });

  /** S3 versioning (prior versions kept in the same bucket). */
  public static readonly S3_VERSIONING = new Mechanism({
    id: 'aws.s3.versioning',
    title: 'S3 versioning',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.S3_VERSIONING,
    rto: { kind: BoundKind.NONE, statement: 'copy the prior version back (per object; no published bound for many objects)', source: Facts.S3_VERSIONING.source },
    limits: ['prior versions live in the same bucket and account: they do not survive account compromise unless Object Lock protects them', 'noncurrent versions are kept only as long as the lifecycle rules say'],
  });

  /** S3's own multi-AZ storage. */
  public static readonly S3_MULTI_AZ = new Mechanism({
    id: 'aws.s3.multi-az',
    title: 'S3 multi-AZ storage',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.S3_MULTI_AZ,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the bucket stays available in the remaining AZs', source: Facts.S3_MULTI_AZ.source },
    limits: ['One Zone-IA objects are stored in one AZ only'],
  });

  /** S3 Object Lock (WORM versions). */
  public static readonly S3_OBJECT_LOCK = new Mechanism({
    id: 'aws.s3.object-lock',
    title: 'S3 Object Lock',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
    rpo: Facts.S3_VERSIONING,
    rto: { kind: BoundKind.NONE, statement: 'copy the locked prior version back', source: Facts.S3_OBJECT_LOCK_SOURCE },
    limits: ['compliance mode: no one, including the root user, can delete a locked version before its retention ends', 'governance mode can be bypassed with s3:BypassGovernanceRetention: it does not survive account compromise'],
  });

  /** Cloud Storage dual-region bucket with turbo replication. */
  public static readonly GCS_TURBO_REPLICATION = new Mechanism({
    id: 'gcp.storage.turbo-replication',
    title: 'Cloud Storage dual-region with turbo replication',
    cloud: 'gcp',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.GCS_TURBO_REPLICATION_RPO,
    rto: Facts.GCS_DUAL_REGION_RTO,
    limits: ['dual-region buckets only', 'a design target (RPO of 15 minutes), not a bound Google guarantees per object', 'deletes and overwrites replicate: not a backup'],
  });

  /** Cloud Storage dual-region bucket with default replication. */
  public static readonly GCS_DUAL_REGION = new Mechanism({
    id: 'gcp.storage.dual-region',
    title: 'Cloud Storage dual-region (default replication)',
    cloud: 'gcp',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.GCS_DEFAULT_REPLICATION_RPO,
    rto: Facts.GCS_DUAL_REGION_RTO,
    limits: ['targets, not an SLA', 'deletes and overwrites replicate: not a backup'],
  });

  /** Cloud Storage Object Versioning with soft delete. */
  public static readonly GCS_VERSIONING = new Mechanism({
    id: 'gcp.storage.versioning',
    title: 'Cloud Storage Object Versioning and soft delete',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.GCS_VERSIONING,
    rto: { kind: BoundKind.NONE, statement: 'restore copies noncurrent or soft-deleted objects back; no restore time is published (it depends on the number and size of objects)', source: Facts.GCS_VERSIONING.source },
    limits: ['soft delete keeps deleted objects 7-90 days', 'not allowed together with a bucket retention policy'],
  });

  /** Cloud Storage Bucket Lock (retention policy, locked for compliance). */
  public static readonly GCS_BUCKET_LOCK = new Mechanism({
    id: 'gcp.storage.bucket-lock',
    title: 'Cloud Storage Bucket Lock (retention policy)',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
    rpo: Facts.GCS_BUCKET_LOCK,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'protected objects stay in place and readable; nothing to restore', source: Facts.GCS_BUCKET_LOCK.source },
    limits: ['protects only objects younger than the retention period: older objects can be deleted or replaced', 'an unlocked policy can be removed by a project owner: only a locked policy survives account compromise', 'a locked policy cannot be removed or shortened, and the bucket cannot be deleted until every object has aged out'],
  });

  /** Azure Storage geo-zone-redundant account (GZRS or RA-GZRS). */
  public static readonly AZURE_GEO_ZONE_REDUNDANT = new Mechanism({
    id: 'azure.storage.gzrs',
    title: 'Azure Storage geo-zone-redundant replication (GZRS / RA-GZRS)',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_GEO_REPLICATION_RPO,
    rto: Facts.AZURE_STORAGE_FAILOVER_RTO,
    limits: ['no SLA on replication time', 'RA-GZRS serves reads from the secondary before failover; writes need the failover', 'no customer-managed failover for accounts with WORM immutability or in an object replication policy', 'deletes and overwrites replicate: not a backup'],
  });

  /** Azure Storage geo-replication when customer-managed failover is not available (WORM immutability, object replication). */
  public static readonly AZURE_GEO_MANAGED_FAILOVER = new Mechanism({
    id: 'azure.storage.gzrs.microsoft-managed-failover',
    title: 'Azure Storage geo-zone-redundant replication, Microsoft-managed failover only',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_GEO_REPLICATION_RPO,
    rto: Facts.AZURE_STORAGE_MANAGED_FAILOVER_RTO,
    limits: ['writes resume only after Microsoft fails the region over, at a time Microsoft publishes no bound for', 'RA-GZRS still serves reads from the secondary'],
  });

  /** Azure Storage zone redundancy in the primary region. */
  public static readonly AZURE_ZONE_REDUNDANT = new Mechanism({
    id: 'azure.storage.zrs',
    title: 'Azure Storage zone-redundant primary (ZRS part of GZRS)',
    cloud: 'azure',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.AZURE_ZONE_REDUNDANT,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the account stays available from the remaining zones', source: Facts.AZURE_ZONE_REDUNDANT.source },
  });

  /** Azure Blob versioning, soft delete, change feed and point-in-time restore. */
  public static readonly AZURE_BLOB_PITR = new Mechanism({
    id: 'azure.storage.blob-pitr',
    title: 'Azure Blob versioning, soft delete and point-in-time restore',
    cloud: 'azure',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.AZURE_BLOB_PITR,
    rto: { kind: BoundKind.NONE, statement: 'a restore replays the change feed; Microsoft publishes no restore time (it depends on the number of changes)', source: Facts.AZURE_BLOB_PITR.source },
    limits: ['block blobs in general-purpose v2 accounts only', 'hot and cool tiers only: blobs in the cold or archive tier are not restored', 'blobs protected by an immutability policy are not modified', 'a customer-managed failover resets the earliest restore point', 'restore window shorter than the soft-delete retention (at most 365 days)'],
  });

  /** Azure Blob versioning: previous versions copied back by hand. */
  public static readonly AZURE_BLOB_VERSIONS = new Mechanism({
    id: 'azure.storage.versions',
    title: 'Azure Blob versioning (previous versions, copied back by hand)',
    cloud: 'azure',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.AZURE_BLOB_VERSIONING,
    rto: { kind: BoundKind.NONE, statement: 'copy each previous version back over its base blob; no restore time is published (it depends on the number of blobs)', source: Facts.AZURE_BLOB_VERSIONING.source },
    limits: ['previous versions are kept as long as the lifecycle rules and the immutability period say'],
  });

  /** Azure Storage account-level version immutability (WORM). */
  public static readonly AZURE_BLOB_IMMUTABILITY = new Mechanism({
    id: 'azure.storage.immutability',
    title: 'Azure Blob version-level immutability (locked policy)',
    cloud: 'azure',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'blob versions under a locked time-based policy cannot be modified or deleted until the period ends', source: Facts.AZURE_IMMUTABILITY_SOURCE },
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'protected versions stay in place and readable', source: Facts.AZURE_IMMUTABILITY_SOURCE },
    limits: ['protects only versions younger than the immutability period', 'a policy is created Unlocked and only protects against account compromise once Locked (irreversible)', 'an account with a WORM policy cannot be failed over by the customer'],
  });

  /** Azure object replication to another account. */
  public static readonly AZURE_OBJECT_REPLICATION = new Mechanism({
    id: 'azure.storage.object-replication',
    title: 'Azure Blob object replication',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_OBJECT_REPLICATION_RPO,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'data is already in the destination account; clients switch to it', source: Facts.AZURE_OBJECT_REPLICATION_RPO.source },
    limits: ['asynchronous, no SLA', 'needs versioning on both accounts and change feed on the source', 'neither account can be failed over by the customer while the policy exists'],
  });

  /** Cloud SQL automated backups with point-in-time recovery. */
  public static readonly CLOUD_SQL_PITR = new Mechanism({
    id: 'gcp.sql.pitr',
    title: 'Cloud SQL automated backups and point-in-time recovery',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.CLOUD_SQL_PITR_RPO,
    rto: { kind: BoundKind.NONE, statement: 'a point-in-time restore clones to a new instance; Google publishes no restore time', source: Facts.CLOUD_SQL_PITR_RPO.source },
    limits: ['transaction logs kept 1-7 days (Enterprise) or 1-35 days (Enterprise Plus), purged once a day', 'retained automated backups 1-365'],
  });

  /** Cloud SQL high availability (regional instance). */
  public static readonly CLOUD_SQL_HA = new Mechanism({
    id: 'gcp.sql.ha',
    title: 'Cloud SQL high availability (regional instance)',
    cloud: 'gcp',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.CLOUD_SQL_HA,
    rto: { kind: BoundKind.NONE, statement: 'automatic failover to the standby; no failover time bound is published', source: Facts.CLOUD_SQL_HA.source },
  });

  /** Cloud SQL automated backups stored in a multi-region location. */
  public static readonly CLOUD_SQL_MULTI_REGION_BACKUPS = new Mechanism({
    id: 'gcp.sql.backups.multi-region',
    title: 'Cloud SQL daily backups in a multi-region location',
    cloud: 'gcp',
    covers: [Disruption.REGION_OUTAGE],
    rpo: { value: Period.hours(24).plus(Facts.CLOUD_SQL_BACKUP_WINDOW), kind: BoundKind.ESTIMATED, statement: 'daily automated backups stored in a multi-region location; "Automated backups use a 4-hour backup window. The backup starts during the backup window", so the newest backup can be a day plus the window old', source: Facts.CLOUD_SQL_BACKUPS_SOURCE },
    rto: { kind: BoundKind.NONE, statement: 'restore to a new instance in another region; no restore time is published', source: Facts.CLOUD_SQL_BACKUPS_SOURCE },
    limits: ['standard backups only: an instance associated with a Backup and DR plan (enhanced backups) has no multi-region backups'],
  });

  /** Cloud SQL cross-region read replica (standby to promote). */
  public static readonly CLOUD_SQL_CROSS_REGION_REPLICA = new Mechanism({
    id: 'gcp.sql.cross-region-replica',
    title: 'Cloud SQL cross-region read replica',
    cloud: 'gcp',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.CLOUD_SQL_REPLICA_RPO,
    rto: { kind: BoundKind.NONE, statement: 'promote the replica; no promotion time is published', source: Facts.CLOUD_SQL_REPLICA_RPO.source },
    limits: ['lag has no published bound: drkit does not count it toward the RPO'],
  });

  /** Firestore point-in-time recovery. */
  public static readonly FIRESTORE_PITR = new Mechanism({
    id: 'gcp.firestore.pitr',
    title: 'Firestore point-in-time recovery',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.FIRESTORE_PITR_RPO,
    rto: { kind: BoundKind.NONE, statement: 'read or export a past version, or restore to a new database; no restore time is published', source: Facts.FIRESTORE_PITR_RPO.source },
    limits: ['7-day window'],
  });

  /** Azure SQL failover group, customer-managed failover. */
  public static readonly AZURE_SQL_FAILOVER_GROUP_MANUAL = new Mechanism({
    id: 'azure.sql.failover-group.manual',
    title: 'Azure SQL failover group (customer-managed failover)',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_SQL_GEO_REPLICATION_RPO,
    rto: Facts.AZURE_SQL_MANUAL_FAILOVER_RTO,
    limits: ['RTO = detection + your decision + the failover: drill it', 'deletes and corruption replicate'],
  });

  /** Azure SQL failover group, Microsoft-managed failover. */
  public static readonly AZURE_SQL_FAILOVER_GROUP_MANAGED = new Mechanism({
    id: 'azure.sql.failover-group.managed',
    title: 'Azure SQL failover group (Microsoft-managed failover)',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_SQL_GEO_REPLICATION_RPO,
    rto: Facts.AZURE_SQL_MANAGED_FAILOVER_RTO,
    limits: ['RTO at least the 60-minute grace period, no upper bound', 'Microsoft fails over every Microsoft-managed group of the region together, only in extreme circumstances', 'deletes and corruption replicate'],
  });

  /** Cosmos DB continuous backup. */
  public static readonly COSMOS_CONTINUOUS_BACKUP = new Mechanism({
    id: 'azure.cosmosdb.continuous-backup',
    title: 'Cosmos DB continuous backup (point-in-time restore)',
    cloud: 'azure',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: Facts.COSMOS_CONTINUOUS_RPO,
    rto: { kind: BoundKind.NONE, statement: 'restore creates a new account; no restore time is published', source: Facts.COSMOS_CONTINUOUS_SOURCE },
    limits: ['7-day or 30-day tier'],
  });

  /** Firestore's replication across zones (regional) or regions (multi-region). */
  public static readonly FIRESTORE_REPLICATION = new Mechanism({
    id: 'gcp.firestore.replication',
    title: 'Firestore replication (zones, or regions in a multi-region)',
    cloud: 'gcp',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.FIRESTORE_REPLICATION_RPO,
    rto: Facts.FIRESTORE_MULTI_ZONE,
    limits: ['region outage only in multi-region locations', 'deletes and corruption replicate'],
  });

  /** Cosmos DB zone redundancy. */
  public static readonly COSMOS_ZONE_REDUNDANCY = new Mechanism({
    id: 'azure.cosmosdb.zone-redundant',
    title: 'Cosmos DB zone redundancy',
    cloud: 'azure',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.COSMOS_ZONE_REDUNDANT,
    rto: Facts.COSMOS_ZONE_REDUNDANT,
  });

  /** Backup and DR service: scheduled backups into a backup vault. */
  public static readonly GCP_BACKUPDR = new Mechanism({
    id: 'gcp.backupdr.plan',
    title: 'Backup and DR backup plan into a backup vault',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus the backup window in which a job starts ("Jobs are queued at the beginning of the window and will be marked as NOT_RUN if they do not start by the end of the window")', source: Facts.GCP_BACKUPDR_API_SOURCE },
    rto: { kind: BoundKind.NONE, statement: 'restore job; Google publishes no restore time', source: Facts.GCP_BACKUPDR_PLAN_SOURCE },
    limits: ['backup window at least six hours', 'hourly frequency 6-23 hours for Cloud SQL, 1-23 for other resources', 'retention limits are workload specific and not published per workload'],
  });

  /** Backup and DR vault with a locked minimum enforced retention. */
  public static readonly GCP_BACKUPDR_LOCKED_VAULT = new Mechanism({
    id: 'gcp.backupdr.vault-lock',
    title: 'Backup and DR vault with locked minimum enforced retention',
    cloud: 'gcp',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus backup window of the rules that store into the vault; backups cannot be deleted before the enforced retention, by anyone', source: Facts.GCP_BACKUPDR_VAULT_SOURCE },
    rto: { kind: BoundKind.NONE, statement: 'restore job; Google publishes no restore time', source: Facts.GCP_BACKUPDR_VAULT_SOURCE },
    limits: ['the enforced retention is locked only from its effective time on: before it, the vault does not survive account compromise'],
  });

  /** Azure Backup vaulted backup (daily) into a Data Protection backup vault. */
  public static readonly AZURE_BACKUP_VAULTED = new Mechanism({
    id: 'azure.backup.vaulted',
    title: 'Azure Backup vaulted backup (Backup vault)',
    cloud: 'azure',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: { value: Period.hours(24), kind: BoundKind.ESTIMATED, statement: 'a daily backup into the vault; Microsoft publishes no job start delay', source: Facts.AZURE_BLOB_VAULTED_BACKUP_SOURCE },
    rto: { kind: BoundKind.NONE, statement: 'restore job; Microsoft publishes no restore time', source: Facts.AZURE_BLOB_VAULTED_BACKUP_SOURCE },
    limits: ['zone outage only with zone-redundant vault storage: without ZRS, backup data is nonzonal'],
  });

  /** Azure Backup vault with geo-redundant storage and cross-region restore. */
  public static readonly AZURE_BACKUP_CROSS_REGION = new Mechanism({
    id: 'azure.backup.cross-region-restore',
    title: 'Azure Backup vault, geo-redundant with cross-region restore',
    cloud: 'azure',
    covers: [Disruption.REGION_OUTAGE],
    rpo: Facts.AZURE_BACKUP_CROSS_REGION_RPO,
    rto: { kind: BoundKind.NONE, statement: 'cross-region restore job in the paired region; no restore time is published', source: Facts.AZURE_BACKUP_RELIABILITY_SOURCE },
    limits: ['paired regions only', 'storage redundancy is fixed when the vault is created; cross-region restore cannot be turned off'],
  });

  /** Azure Backup vault with locked immutability and always-on soft delete. */
  public static readonly AZURE_BACKUP_IMMUTABLE = new Mechanism({
    id: 'azure.backup.immutable',
    title: 'Azure Backup vault, locked immutability and always-on soft delete',
    cloud: 'azure',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { value: Period.hours(24), kind: BoundKind.ESTIMATED, statement: 'a daily backup into a vault whose recovery points cannot be deleted before expiry (locked immutability) and stay soft-deleted afterwards', source: Facts.AZURE_BACKUP_VAULT_SOURCE },
    rto: { kind: BoundKind.NONE, statement: 'restore job; no restore time is published', source: Facts.AZURE_BACKUP_VAULT_SOURCE },
    limits: ['immutability is created Unlocked; only a Locked vault survives account compromise', 'a Locked vault cannot be unlocked'],
  });

  /** Storage Transfer Service job copying an S3 bucket into a Cloud Storage bucket (off-provider copy). */
  public static readonly GCP_STORAGE_TRANSFER_FROM_S3 = new Mechanism({
    id: 'gcp.storage-transfer.s3',
    title: 'Storage Transfer Service copy from Amazon S3 to Cloud Storage',
    cloud: 'gcp',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'at least the job repeat interval: a run "may start later" than scheduled and the transfer time is not published', source: Facts.STORAGE_TRANSFER_SCHEDULE_SOURCE },
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the copy is already readable in Cloud Storage; clients switch to it', source: Facts.STORAGE_TRANSFER_S3_SOURCE },
    limits: ['an off-provider copy: it survives the loss of the whole AWS account', 'versioning on the destination keeps overwritten objects', 'the RPO is a lower bound (repeat interval); failed runs are published to a Pub/Sub topic'],
  });

  /** AWS Backup copy to a logically air-gapped vault (compliance lock, restorable from another account). */
  public static readonly AWS_BACKUP_AIR_GAPPED_COPY = new Mechanism({
    id: 'aws.backup.copy.air-gapped',
    title: 'AWS Backup copy to a logically air-gapped vault',
    cloud: 'aws',
    covers: [Disruption.ACCOUNT_COMPROMISE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'schedule interval plus start window of the rules that copy into the air-gapped vault, plus the copy time (not published)', source: Facts.AIR_GAPPED_VAULT_ACCOUNT_COMPROMISE.source },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['restoring after the account is lost needs the vault shared with a recovery account (AWS RAM or multi-party approval)', 'not every resource type can be copied into an air-gapped vault'],
  });

  // Issue 12: more stateful services
  /** EFS Regional file system: data stored across several AZs. */
  public static readonly EFS_MULTI_AZ = new Mechanism({
    id: 'aws.efs.multi-az',
    title: 'EFS Regional storage (multiple AZs)',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.EFS_REGIONAL_MULTI_AZ,
    rto: { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'storing data across multiple Availability Zones provides continuous availability to the data, even when one or more Availability Zones in an AWS Region are unavailable', source: Facts.EFS_REGIONAL_MULTI_AZ.source },
    limits: ['writes are durable across AZs once the application closes the file or syncs it (close-to-open consistency)', 'One Zone file systems keep data in one AZ only'],
  });

  /** EFS automatic backups (BackupPolicy ENABLED): AWS Backup's default EFS plan. */
  public static readonly EFS_AUTOMATIC_BACKUP = new Mechanism({
    id: 'aws.efs.automatic-backup',
    title: 'EFS automatic backups (AWS Backup default EFS plan)',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.EFS_AUTOMATIC_BACKUPS,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['daily, kept 35 days, in the aws/efs/automatic-backup-vault vault of the same account and region', 'no copy to another region or account: add an AWS Backup plan with CopyActions for those'],
  });

  /** EFS replication to another file system (region or AZ). */
  public static readonly EFS_REPLICATION = new Mechanism({
    id: 'aws.efs.replication',
    title: 'EFS replication',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    rpo: Facts.EFS_REPLICATION_RPO,
    rto: Facts.EFS_REPLICATION_FAILOVER,
    limits: ['deletes and corruption replicate: a replica is not a backup', 'the destination is read-only until the replication configuration is deleted'],
  });

  /** DocumentDB continuous backup with point-in-time restore. */
  public static readonly DOCDB_PITR = new Mechanism({
    id: 'aws.docdb.pitr',
    title: 'DocumentDB continuous backup (point-in-time restore)',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.DOCDB_PITR,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['BackupRetentionPeriod 1-35 days', 'restores to a new cluster'],
  });

  /** DocumentDB storage volume across three AZs. */
  public static readonly DOCDB_MULTI_AZ = new Mechanism({
    id: 'aws.docdb.multi-az',
    title: 'DocumentDB storage volume (three AZs)',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.DOCDB_STORAGE_MULTI_AZ,
    rto: Facts.DOCDB_FAILOVER,
  });

  /** Neptune continuous backup with point-in-time restore. */
  public static readonly NEPTUNE_PITR = new Mechanism({
    id: 'aws.neptune.pitr',
    title: 'Neptune continuous backup (point-in-time restore)',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.NEPTUNE_PITR,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['BackupRetentionPeriod 1-35 days', 'restores to a new cluster'],
  });

  /** Neptune cluster volume across AZs. */
  public static readonly NEPTUNE_MULTI_AZ = new Mechanism({
    id: 'aws.neptune.multi-az',
    title: 'Neptune cluster volume (multiple AZs)',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.NEPTUNE_STORAGE_MULTI_AZ,
    rto: Facts.NEPTUNE_REPLICA_FAILOVER,
    limits: ['the failover figure needs a Neptune replica in another AZ; without one the primary is recreated'],
  });

  /** FSx automatic daily backups. */
  public static readonly FSX_AUTOMATIC_BACKUP = new Mechanism({
    id: 'aws.fsx.automatic-backup',
    title: 'FSx automatic daily backups',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: { value: Period.hours(24).plus(Facts.FSX_BACKUP_WINDOW.value!), kind: BoundKind.ESTIMATED, statement: 'a daily backup that starts within the 30-minute backup window', source: Facts.FSX_BACKUP_WINDOW.source },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['AutomaticBackupRetentionDays 0 (off) to 90', 'Lustre scratch file systems have no backups'],
  });

  /** FSx Multi-AZ deployment. */
  public static readonly FSX_MULTI_AZ = new Mechanism({
    id: 'aws.fsx.multi-az',
    title: 'FSx Multi-AZ deployment',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.FSX_MULTI_AZ,
    rto: Facts.FSX_MULTI_AZ,
  });

  /** ElastiCache (Valkey / Redis OSS) automatic snapshots. */
  public static readonly ELASTICACHE_SNAPSHOTS = new Mechanism({
    id: 'aws.elasticache.snapshots',
    title: 'ElastiCache automatic snapshots',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'a daily snapshot that starts within the snapshot window', source: Facts.ELASTICACHE_SNAPSHOTS.source },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['SnapshotRetentionLimit 0 (off, the default) to 35 days', 'Valkey and Redis OSS only: Memcached has no snapshots'],
  });

  /** ElastiCache Multi-AZ with automatic failover to a read replica. */
  public static readonly ELASTICACHE_MULTI_AZ = new Mechanism({
    id: 'aws.elasticache.multi-az',
    title: 'ElastiCache Multi-AZ (automatic failover to a replica)',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.ELASTICACHE_MULTI_AZ,
    rto: Facts.ELASTICACHE_MULTI_AZ,
  });

  /** MemoryDB automatic snapshots. */
  public static readonly MEMORYDB_SNAPSHOTS = new Mechanism({
    id: 'aws.memorydb.snapshots',
    title: 'MemoryDB automatic snapshots',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION],
    rpo: { kind: BoundKind.ESTIMATED, statement: 'a daily snapshot that starts within the snapshot window (at least 60 minutes)', source: Facts.MEMORYDB_SNAPSHOTS.source },
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['SnapshotRetentionLimit 0 (off) to 35 days'],
  });

  /** MemoryDB Multi-AZ transaction log. */
  public static readonly MEMORYDB_MULTI_AZ = new Mechanism({
    id: 'aws.memorydb.multi-az',
    title: 'MemoryDB Multi-AZ transaction log',
    cloud: 'aws',
    covers: [Disruption.AZ_OUTAGE],
    rpo: Facts.MEMORYDB_MULTI_AZ_LOG,
    rto: { kind: BoundKind.NONE, statement: 'a replica is promoted after MemoryDB ensures it is consistent with the failed primary; no failover time is published', source: `${AWS_DOCS}/memorydb/latest/devguide/faulttolerance.html` },
  });

  /** Data Lifecycle Manager snapshot policy (EBS volumes, EC2 instances). */
  public static readonly DLM_SNAPSHOTS = new Mechanism({
    id: 'aws.dlm.snapshots',
    title: 'Data Lifecycle Manager EBS snapshots',
    cloud: 'aws',
    covers: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    rpo: Facts.DLM_SCHEDULE,
    rto: Facts.RESTORE_TIME_UNPUBLISHED,
    limits: ['snapshots are regional: a volume is restored from them in another AZ', 'cross-region copies only with CrossRegionCopyRules'],
  });

  /** Stable id. */
  public readonly id: string;
  /** Human title. */
  public readonly title: string;
  /** Cloud. */
  public readonly cloud: string;
  /** Disruptions covered. */
  public readonly covers: Disruption[];
  /** RPO floor. */
  public readonly rpo: Fact;
  /** RTO. */
  public readonly rto: Fact;
  /** Limits and caveats. */
  public readonly limits: string[];

  constructor(props: MechanismProps) {
    this.id = props.id;
    this.title = props.title;
    this.cloud = props.cloud;
    this.covers = [...props.covers];
    this.rpo = props.rpo;
    this.rto = props.rto;
    this.limits = [...(props.limits ?? [])];
  }
}
