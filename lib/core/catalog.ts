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
  /** The figure, when there is one. */
  readonly value?: Period;
  /** How well established it is. */
  readonly kind: BoundKind;
  /** What the documentation says, in a sentence. */
  readonly statement: string;
  /** Where it is documented. */
  readonly source: string;
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
  /** DynamoDB PITR: LatestRestorableDateTime is typically 5 minutes before now. */
  public static readonly DYNAMODB_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.DOCUMENTED,
    statement: 'LatestRestorableDateTime is typically 5 minutes before the current time',
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
  /** Copy jobs have no published duration. */
  public static readonly BACKUP_COPY_TIME: Fact = {
    kind: BoundKind.NONE,
    statement: 'a copy job starts after the backup completes; AWS publishes no copy duration',
    source: `${AWS_DOCS}/aws-backup/latest/devguide/cross-region-backup.html`,
  };
  /** S3 Replication Time Control: 99.99% of new objects within 15 minutes, SLA-backed. */
  public static readonly S3_RTC_RPO: Fact = {
    value: Period.minutes(15),
    kind: BoundKind.DOCUMENTED,
    statement: 'S3 Replication Time Control replicates 99.99% of new objects within 15 minutes (SLA-backed)',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/replication-time-control.html`,
  };
  /** S3 replication without RTC: no SLA. */
  public static readonly S3_CRR_RPO: Fact = {
    kind: BoundKind.NONE,
    statement: 'S3 replication without Replication Time Control has no SLA: most objects replicate in seconds, some can take hours',
    source: `${AWS_DOCS}/AmazonS3/latest/userguide/replication.html`,
  };
  /** RDS PITR: logs uploaded every 5 minutes. */
  public static readonly RDS_PITR_RPO: Fact = {
    value: Period.minutes(5),
    kind: BoundKind.DOCUMENTED,
    statement: 'RDS uploads transaction logs for DB instances to Amazon S3 every 5 minutes (LatestRestorableTime)',
    source: `${AWS_DOCS}/AmazonRDS/latest/UserGuide/USER_PIT.html`,
  };
  /** RDS automated backups: retention 0-35 days. */
  public static readonly RDS_BACKUP_MAX_DAYS = 35;
  /** Route 53 health checks: request interval of 10 or 30 seconds, failure threshold 1-10. */
  public static readonly ROUTE53_SOURCE = `${AWS_DOCS}/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html`;
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
