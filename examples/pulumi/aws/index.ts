/**
 * The reference sync service of `examples/cdk/app.ts`, as a Pulumi program: user files in a
 * replicated, tiered bucket; the sync state in a DynamoDB global table; the metadata in Aurora
 * PostgreSQL with a hot standby (an Aurora global database). One objective for all of it:
 * RPO 30 minutes, RTO 1 hour against data corruption, an AZ outage and a region outage;
 * backups every 6 hours and daily, 30 days of point-in-time recovery, monthly restore points
 * for a year, a copy in us-west-2, Vault Lock in governance mode.
 *
 * The table and the database share one backup foundation (vault, copy vault, plans, restore
 * tests, audit framework, notifications, dashboard) for the objective in us-east-1. One
 * difference from the CDK app follows from what the Pulumi components take (see README.md):
 * the table's us-west-2 replica is declared in the table's args (DynamoContinuousBackup plans
 * region outage from it), and DrStandby, given the component, shares that replica and alarms
 * on its replication latency.
 */
// A Pulumi program provides @pulumi/*; here they come from drkit's devDependencies.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as aws from '@pulumi/aws';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as pulumi from '@pulumi/pulumi';
import {
  BoundKind, Disruption, DrStrategy, Immutability, Period, RecoveryObjective, RecoveryObjectiveProps, Retention, statusOf, StorageClass,
} from 'drkit/core';
import {
  CloudReportEntry, CrossRegionReplicatedBucket, DrStandby, DynamoContinuousBackup, LifecycleTiering, RdsPitrPolicy,
} from 'drkit/pulumi/aws';

/** Primary and secondary region. */
export const PRIMARY_REGION = 'us-east-1';
export const SECONDARY_REGION = 'us-west-2';

/** The objective of the sync service, as in the CDK example. */
export const SYNC_OBJECTIVE_PROPS: RecoveryObjectiveProps = {
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
};
export const objective = RecoveryObjective.of(SYNC_OBJECTIVE_PROPS);


export const DB_CLUSTER_IDENTIFIER = 'sync-service-db';
export const DB_PORT = 5438;
export const STANDBY_SUBNET_GROUP = 'sync-service-standby-db';
const PRIMARY_CIDR = '10.20.0.0/16';
const STANDBY_CIDR = '10.21.0.0/16';
const AURORA_ENGINE = 'aurora-postgresql';
const AURORA_VERSION = '16.6';
const INSTANCE_CLASS = 'db.r6g.large';

const config = new pulumi.Config();

// --- Server access logs: one bucket per region, expired by LifecycleTiering after 400 days.

function accessLogBucket(name: string, region: string): { bucket: aws.s3.Bucket; tiering: LifecycleTiering } {
  const bucket = new aws.s3.Bucket(name, { region, forceDestroy: false }, { retainOnDelete: true });
  new aws.s3.BucketVersioning(`${name}-versioning`, { region, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  // S3 delivers access logs only to a bucket with SSE-S3 default encryption.
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
    region, bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
    region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { region, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new aws.s3.BucketPolicy(`${name}-policy`, {
    region,
    bucket: bucket.id,
    policy: pulumi.all([bucket.arn, aws.getCallerIdentityOutput().accountId]).apply(([arn, account]) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${arn}/*`, Condition: { StringEquals: { 'aws:SourceAccount': account } } },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    })),
  });
  const tiering = new LifecycleTiering(`${name}-tiering`, {
    bucket: bucket.id,
    region,
    expiration: Period.days(400),
    noncurrentExpiration: Period.days(30),
  });
  return { bucket, tiering };
}

const accessLogs = accessLogBucket('sync-access-logs', PRIMARY_REGION);
const replicaAccessLogs = accessLogBucket('sync-replica-access-logs', SECONDARY_REGION);

// --- User files: a replicated, tiered bucket (RTC against the 30-minute region-outage RPO).

export const files = new CrossRegionReplicatedBucket('user-files', {
  objective,
  region: PRIMARY_REGION,
  secondaryRegion: SECONDARY_REGION,
  // Source: users read current files; prior versions (the corruption safety net) cool down.
  sourceLifecycle: {
    objective,
    noncurrentTransitions: [
      { storageClass: StorageClass.STANDARD_IA, after: Period.days(30) },
      { storageClass: StorageClass.GLACIER, after: Period.days(90) },
    ],
    noncurrentExpiration: Period.days(objective.retention.longestDays),
  },
  // Replica: read only after a failover, so current versions cool down too (in classes that
  // read without a restore request), and prior versions reach Glacier sooner.
  replicaLifecycle: {
    objective,
    transitions: [
      { storageClass: StorageClass.STANDARD_IA, after: Period.days(30) },
      { storageClass: StorageClass.GLACIER_IR, after: Period.days(60) },
    ],
    noncurrentTransitions: [
      { storageClass: StorageClass.STANDARD_IA, after: Period.days(30) },
      { storageClass: StorageClass.GLACIER, after: Period.days(60) },
    ],
    noncurrentExpiration: Period.days(objective.retention.longestDays),
  },
});
new aws.s3.BucketLogging('user-files-logging', {
  region: PRIMARY_REGION, bucket: files.bucket.id, targetBucket: accessLogs.bucket.id, targetPrefix: 'user-files/',
});
new aws.s3.BucketLogging('user-files-replica-logging', {
  region: SECONDARY_REGION, bucket: files.replicaBucket!.id, targetBucket: replicaAccessLogs.bucket.id, targetPrefix: 'user-files-replica/',
});

// --- Sync state: a DynamoDB global table with its replica in us-west-2 (PITR and deletion
// protection set on both by DynamoContinuousBackup), backed up by AWS Backup. The standby below
// shares the replica and alarms on its replication latency.

export const tableProtection = new DynamoContinuousBackup('sync-state', {
  objective,
  region: PRIMARY_REGION,
  secondaryRegion: SECONDARY_REGION,
  table: {
    args: {
      hashKey: 'deviceId',
      rangeKey: 'cursor',
      attributes: [{ name: 'deviceId', type: 'S' }, { name: 'cursor', type: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      serverSideEncryption: { enabled: true },
      // Replicas need streams of new and old images.
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      replicas: [{ regionName: SECONDARY_REGION }],
    },
  },
});

// --- Database: Aurora PostgreSQL in private subnets (two AZs), encrypted, IAM authentication,
// TLS only, logs exported.

interface Network {
  readonly subnetGroup: aws.rds.SubnetGroup;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly parameters: aws.rds.ClusterParameterGroup;
}

function network(prefix: string, region: string, cidr: string, subnetGroupName?: string): Network {
  const vpc = new aws.ec2.Vpc(`${prefix}-vpc`, { region, cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true });
  const subnets = ['a', 'b'].map((az, i) => new aws.ec2.Subnet(`${prefix}-db-${az}`, {
    region,
    vpcId: vpc.id,
    availabilityZone: `${region}${az}`,
    cidrBlock: cidr.replace(/\.0\.0\/16$/, `.${i}.0/24`),
    mapPublicIpOnLaunch: false,
  }));
  const subnetGroup = new aws.rds.SubnetGroup(`${prefix}-subnets`, {
    region,
    ...(subnetGroupName ? { name: subnetGroupName } : {}),
    description: `sync service: the Aurora cluster in ${region}`,
    subnetIds: subnets.map(s => s.id),
  });
  const securityGroup = new aws.ec2.SecurityGroup(`${prefix}-db-sg`, {
    region,
    vpcId: vpc.id,
    description: 'sync service: PostgreSQL from the VPC',
    ingress: [{ protocol: 'tcp', fromPort: DB_PORT, toPort: DB_PORT, cidrBlocks: [cidr], description: 'PostgreSQL from the VPC' }],
  });
  const parameters = new aws.rds.ClusterParameterGroup(`${prefix}-parameters`, {
    region,
    family: 'aurora-postgresql16',
    description: 'sync service: TLS only',
    parameters: [{ name: 'rds.force_ssl', value: '1' }],
  });
  return { subnetGroup, securityGroup, parameters };
}

const primaryNet = network('sync-primary', PRIMARY_REGION, PRIMARY_CIDR);
const standbyNet = network('sync-standby', SECONDARY_REGION, STANDBY_CIDR, STANDBY_SUBNET_GROUP);

const databaseKey = new aws.kms.Key('sync-database-key', {
  region: PRIMARY_REGION,
  description: 'sync service: encrypts the Aurora cluster',
  enableKeyRotation: true,
  deletionWindowInDays: 30,
}, { retainOnDelete: true });

// The database meets 30 minutes against a region outage through the Aurora global database
// that `standby` builds in us-west-2 (`standbyRegion`); its backups are also copied there.
export const databaseProtection = new RdsPitrPolicy('sync-database', {
  objective,
  secondaryRegion: SECONDARY_REGION,
  standbyRegion: SECONDARY_REGION,
  database: {
    clusterArgs: {
      region: PRIMARY_REGION,
      clusterIdentifier: DB_CLUSTER_IDENTIFIER,
      engine: AURORA_ENGINE,
      engineVersion: AURORA_VERSION,
      storageEncrypted: true,
      kmsKeyId: databaseKey.arn,
      // RDS-managed master passwords are not supported in an Aurora global database.
      masterUsername: 'syncadmin',
      masterPassword: config.requireSecret('dbPassword'),
      port: DB_PORT,
      dbSubnetGroupName: primaryNet.subnetGroup.name,
      vpcSecurityGroupIds: [primaryNet.securityGroup.id],
      dbClusterParameterGroupName: primaryNet.parameters.name,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      finalSnapshotIdentifier: `${DB_CLUSTER_IDENTIFIER}-final`,
    },
  },
});
const cluster = databaseProtection.cluster!;
// A writer and a reader in two AZs.
for (const role of ['writer', 'reader']) {
  new aws.rds.ClusterInstance(`sync-database-${role}`, {
    region: PRIMARY_REGION,
    clusterIdentifier: cluster.id,
    engine: AURORA_ENGINE,
    engineVersion: AURORA_VERSION,
    instanceClass: INSTANCE_CLASS,
    publiclyAccessible: false,
    performanceInsightsEnabled: true,
    autoMinorVersionUpgrade: true,
  }, { retainOnDelete: true });
}

// --- Hot standby in us-west-2: the Aurora global database with two instances. DrStandby does
// not copy the primary's port, security group, parameters, IAM authentication or log export to
// the secondary cluster: a transformation adds them (as the CDK example sets them on the L1).
const standbyCluster = (args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined => {
  if (args.type !== 'aws:rds/cluster:Cluster') return undefined;
  return {
    props: {
      ...args.props,
      clusterIdentifier: `${DB_CLUSTER_IDENTIFIER}-standby`,
      port: DB_PORT,
      vpcSecurityGroupIds: [standbyNet.securityGroup.id],
      dbClusterParameterGroupName: standbyNet.parameters.name,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql'],
    },
    opts: pulumi.mergeOptions(args.opts, { dependsOn: [standbyNet.subnetGroup] }),
  };
};

export const standby = new DrStandby('sync-standby', {
  objective,
  region: SECONDARY_REGION,
  primaryRegion: PRIMARY_REGION,
  strategy: DrStrategy.HOT_STANDBY,
  tables: [tableProtection],
  databaseClusters: [cluster],
  replicatedBuckets: [{ name: 'user-files', replicaRegion: files.plan.replication!.region }],
  replicaInstanceClass: INSTANCE_CLASS,
  replicaSubnetGroupName: STANDBY_SUBNET_GROUP,
}, { transformations: [standbyCluster] });

// --- The report: achieved against declared, per resource and disruption, from the components'
// `report` outputs (each from its plan's achieved targets, with the catalog's sources).

/** One row of the report. */
export interface ReportRow {
  readonly disruption: string;
  readonly objectiveRpoSeconds: number;
  readonly objectiveRtoSeconds: number;
  readonly rpoSeconds?: number;
  readonly rpoKind: string;
  readonly rtoSeconds?: number;
  readonly rtoKind: string;
  readonly mechanisms: string[];
  /** met (established figures), unverified (a figure is unbounded or only a lower bound), not-met, unprotected. */
  readonly status: string;
  readonly basis: string;
}

/** The evaluator's rule (lib/core/evaluate statusOf): met, unverified, not-met or unprotected, per target. */
export function assess(o: RecoveryObjective, lines: CloudReportEntry[]): ReportRow[] {
  return o.targets.map(t => {
    const a = lines.find(x => x.disruption === t.disruption);
    const rpo = t.rpo.totalSeconds;
    const rto = t.rto.totalSeconds;
    let status = 'unprotected';
    if (a && a.mechanismIds.length > 0) {
      // The evaluator's own rule (statusOf), on the component's report line.
      status = statusOf({
        disruption: a.disruption, mechanism: a.mechanismIds[0], basis: a.basis,
        rpoSeconds: a.rpoSeconds, rpoKind: a.rpoKind, rpoIsLowerBound: a.rpoIsLowerBound,
        rtoSeconds: a.rtoSeconds, rtoKind: a.rtoKind, rtoIsLowerBound: a.rtoIsLowerBound,
      }, o, true, rpo, rto);
    }
    return {
      disruption: t.disruption,
      objectiveRpoSeconds: rpo,
      objectiveRtoSeconds: rto,
      rpoSeconds: a?.rpoSeconds,
      rpoKind: a?.rpoKind ?? BoundKind.NONE,
      rtoSeconds: a?.rtoSeconds,
      rtoKind: a?.rtoKind ?? BoundKind.NONE,
      mechanisms: a?.mechanismIds ?? [],
      status,
      basis: a?.basis ?? 'no mechanism',
    };
  });
}

export const report = pulumi.all([files.report, tableProtection.report, databaseProtection.report, standby.report])
  .apply(([filesReport, tableReport, databaseReport, standbyReport]) => ({
    objective: objective.name,
    resources: [
      { resource: 'user-files', type: CrossRegionReplicatedBucket.TYPE, disruptions: assess(objective, filesReport) },
      { resource: 'sync-state', type: DynamoContinuousBackup.TYPE, disruptions: assess(objective, tableReport) },
      { resource: 'sync-database', type: RdsPitrPolicy.TYPE, disruptions: assess(objective, databaseReport) },
    ],
    standby: { strategy: standby.plan.strategy.id, estimate: standby.plan.estimate, data: standbyReport },
  }));

// --- Stack outputs: names and the plans each component rendered.
export const filesBucketName = files.bucket.bucket;
export const filesReplicaBucketArn = files.replicaBucket!.arn;
export const tableArn = tableProtection.tableArn;
export const tableBackupPlanId = tableProtection.backupPlanId;
export const databaseArn = databaseProtection.databaseArn;
export const plans = {
  files: files.plan,
  filesSourceLifecycle: files.sourceLifecyclePlan,
  filesReplicaLifecycle: files.replicaLifecyclePlan,
  accessLogsLifecycle: accessLogs.tiering.plan,
  replicaAccessLogsLifecycle: replicaAccessLogs.tiering.plan,
  table: tableProtection.plan,
  database: databaseProtection.plan,
  standby: {
    strategy: standby.plan.strategy.id,
    rtoSeconds: standby.plan.rtoSeconds,
    rpoSeconds: standby.plan.rpoSeconds,
    estimate: standby.plan.estimate,
  },
};
