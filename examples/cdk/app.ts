import { Annotations, App, Aspects, Aws, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- the example runs from drkit's repo, where cdk-nag is a devDependency
import { AwsSolutionsChecks, HIPAASecurityChecks, NagSuppressions, NIST80053R5Checks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import {
  CrossRegionReplicatedBucket,
  Disruption,
  DrStandby,
  DrStrategy,
  DynamoContinuousBackup,
  Immutability,
  Period,
  ProtectedScope,
  RdsPitrPolicy,
  RecoveryObjective,
  RecoveryObjectiveProps,
  Retention,
  SecondaryRegionStack,
  StorageClass,
} from 'drkit';

/** Primary and secondary region of the example. */
export const PRIMARY_REGION = 'us-east-1';
export const SECONDARY_REGION = 'us-west-2';

/**
 * The recovery objective of the sync service, for all of its data: the user files (S3), the
 * sync state (DynamoDB) and the metadata database (Aurora PostgreSQL).
 *
 * The service asks for RPO 30 minutes and RTO 1 hour against data corruption / accidental
 * deletion, an AZ outage and a region outage; daily full backups plus a backup every 6 hours;
 * 30 days of point-in-time recovery; monthly restore points for a year; a copy in us-west-2;
 * Vault Lock in governance mode (compliance mode could not be removed after a trial).
 *
 * Backups alone cannot give that. After a region outage only what is already in us-west-2
 * survives, and a backup copy exists there only once a backup ran: a backup every 6 hours
 * may start up to 60 minutes late (AWS Backup's shortest start window), so the newest copy
 * can be 7 hours old, plus a copy time AWS does not publish. drkit refuses that objective
 * with DRK010 (`test/examples/cdk.test.ts` checks the exact message).
 *
 * Replication resolves the conflict, one mechanism per resource, each with a documented
 * bound that fits 30 minutes / 1 hour:
 *
 * - user files: S3 Replication Time Control replicates 99.9% of new objects within
 *   15 minutes (an SLA percentile); reads fail over to the replica at once (its current objects stay in
 *   instantly readable classes);
 * - sync state: a DynamoDB global table replica (`DrStandby`), replicated asynchronously
 *   (typically within a second); every replica takes writes, so nothing needs promoting;
 * - database: an Aurora global database (`DrStandby`, hot standby: two instances already run
 *   in us-west-2); storage replication lag is typically under a second and a failover is
 *   "in the order of minutes". The time to detect the outage and repoint clients has no
 *   published bound, so the report shows the RTO as a lower bound, the row unverified, with
 *   its basis, and points at a failover drill.
 *
 * Against corruption, replicas do not help (a delete replicates); point-in-time recovery does:
 * DynamoDB PITR and Aurora's continuous backups (about 5 minutes behind), S3 versions (0).
 * The backups (6-hourly and daily for 30 days, monthly for a year, copied to us-west-2, in
 * locked vaults) are the long-term restore points.
 */
export const SYNC_OBJECTIVE_PROPS: RecoveryObjectiveProps = {
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
};
export const SYNC_OBJECTIVE = RecoveryObjective.of(SYNC_OBJECTIVE_PROPS);

/**
 * The stacks' account. `cdk synth` needs no credentials; with credentials the CLI sets
 * CDK_DEFAULT_ACCOUNT to their account, and that is the account `cdk deploy` deploys to.
 * Without them it is undefined and the stacks are account-agnostic (the account resolves at
 * deployment), which is all drkit needs for this app, so there is no placeholder account: Aurora global
 * databases, S3 replicas and DynamoDB replicas are referenced by name, not by an ARN with an
 * account (only a cross-region RDS read replica would need a literal account).
 */
export const ACCOUNT: string | undefined = process.env.CDK_DEFAULT_ACCOUNT;

/** The database's cluster identifier (global databases reference it by name). */
export const DB_CLUSTER_IDENTIFIER = 'sync-service-db';

/** CIDR of the VPC in us-east-1 and of the standby VPC in us-west-2 (no overlap, for a later peering). */
export const PRIMARY_CIDR = '10.20.0.0/16';
export const STANDBY_CIDR = '10.21.0.0/16';

/** Aurora PostgreSQL version (the global database's secondary runs the same). */
const AURORA_ENGINE_VERSION = rds.AuroraPostgresEngineVersion.VER_16_6;

/** PostgreSQL port: not the default 5432 (AwsSolutions-RDS11). */
export const DB_PORT = 5438;

/** Cluster parameters of the primary and of the standby: TLS only. */
const DB_PARAMETERS = { 'rds.force_ssl': '1' };

/** Options of `buildApp`. */
export interface BuildOptions {
  /** Apply the cdk-nag packs (AWS Solutions, NIST 800-53 rev 5, HIPAA). Default true. */
  readonly nag?: boolean;
  /** The objective (tests vary it). Default SYNC_OBJECTIVE. */
  readonly objective?: RecoveryObjective;
  /** The standby strategy (tests vary it). Default DrStrategy.HOT_STANDBY. */
  readonly strategy?: DrStrategy;
}

/** What `buildApp` made, for tests and for `main.ts`. */
export interface ReferenceApp {
  readonly app: App;
  /** The sync service, in us-east-1. */
  readonly stack: Stack;
  /** drkit's stack in us-west-2 for replicas and backup copies, deployed before `stack`. */
  readonly secondary: Stack;
  /** drkit's stack in us-west-2 for the database standby, deployed after `stack`. */
  readonly standbyStack: Stack;
  /** Every stack of the app. */
  readonly stacks: Stack[];
  readonly files: CrossRegionReplicatedBucket;
  readonly table: dynamodb.TableV2;
  readonly database: rds.DatabaseCluster;
  readonly standby: DrStandby;
  readonly tableProtection: DynamoContinuousBackup;
  readonly databaseProtection: RdsPitrPolicy;
  /** The one declaration that protects every stateful resource of `stack` against the objective. */
  readonly protection: ProtectedScope;
  /** The cdk-nag suppressions the example adds, each with its reason. */
  readonly suppressions: Suppression[];
}

/**
 * The reference stack: a sync service whose user files, sync state and database are
 * protected against SYNC_OBJECTIVE. One `ProtectedScope` declares the objective for the whole
 * stack (it fails synthesis if a stateful resource is left unprotected, and records every
 * exclusion with its reason); drkit's constructs carry the named mechanisms (replication, the
 * standby, point-in-time recovery), and the scope leaves what they protect to them.
 */
export function buildApp(app: App = new App(), options: BuildOptions = {}): ReferenceApp {
  const objective = options.objective ?? SYNC_OBJECTIVE;
  // S3 delivers access logs under a bucket policy, not the legacy LogDeliveryWrite ACL (which
  // needs ACLs enabled on the log bucket). Also in cdk.json; set here for apps made elsewhere.
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const stack = new Stack(app, 'SyncService', {
    env: { region: PRIMARY_REGION, account: ACCOUNT },
    description: 'drkit reference example: a sync service (files in S3, sync state in DynamoDB, metadata in Aurora PostgreSQL)',
  });
  const secondary = SecondaryRegionStack.of(stack, SECONDARY_REGION);

  // --- User files: a replicated, tiered bucket, with server access logs in each region.
  const accessLogs = accessLogBucket(stack, 'AccessLogs', undefined);
  const replicaAccessLogs = accessLogBucket(secondary, 'ReplicaAccessLogs', `sync-service-access-logs-${Aws.ACCOUNT_ID}-${SECONDARY_REGION}`);
  // The replica's log bucket lives in drkit's us-west-2 stack, outside the primary stack's
  // ProtectedScope, so its exclusion is written on the resource itself.
  (replicaAccessLogs.node.defaultChild as CfnResource).addMetadata('drkit:excluded', ACCESS_LOGS_EXCLUSION);
  const files = new CrossRegionReplicatedBucket(stack, 'UserFiles', {
    objective,
    secondaryRegion: SECONDARY_REGION,
    // Point-in-time restore of the whole bucket (30 days) from a locked vault, besides versions:
    // the third copy of the user files (source, replica, backup).
    continuousBackup: true,
    serverAccessLogsBucket: accessLogs,
    replicaServerAccessLogsBucketName: replicaAccessLogs.bucketName,
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

  // The replica (in us-west-2) is excluded from the report by drkit itself: it is the source's
  // region-outage copy, assessed with the source's replication rule.

  // --- Sync state: a DynamoDB table (TableV2: its replicas are part of it).
  const table = new dynamodb.TableV2(stack, 'SyncState', {
    partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'cursor', type: dynamodb.AttributeType.STRING },
    billing: dynamodb.Billing.onDemand(),
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
  });

  // --- Database: Aurora PostgreSQL in a VPC without internet access.
  const vpc = isolatedVpc(stack, 'Vpc', PRIMARY_CIDR);
  const database = auroraCluster(stack, vpc);

  // --- Standby in us-west-2: its network first, in the standby stack DrStandby uses; then the
  // standby, BEFORE DynamoContinuousBackup, which plans from the table's replicas.
  const standbyStack = DrStandby.standbyStackOf(stack, SECONDARY_REGION);
  const network = standbyNetwork(standbyStack);
  const standby = new DrStandby(stack, 'Standby', {
    objective,
    region: SECONDARY_REGION,
    strategy: options.strategy ?? DrStrategy.HOT_STANDBY,
    tables: [table],
    databases: [database],
    replicatedBuckets: [files],
    replicaSubnetGroupName: network.subnetGroup.subnetGroupName,
    replicaSecurityGroupIds: [network.securityGroup.securityGroupId],
    replicaClusterParameterGroupName: network.clusterParameters.ref,
  });
  // Our name for the secondary cluster, so its log group (above) is ours, encrypted and retained.
  for (const cluster of standby.secondaryClusters) {
    cluster.dbClusterIdentifier = STANDBY_CLUSTER_IDENTIFIER;
    cluster.node.addDependency(network.logGroup);
  }

  const tableProtection = new DynamoContinuousBackup(stack, 'SyncStateProtection', {
    table,
    objective,
    secondaryRegion: SECONDARY_REGION,
  });
  const databaseProtection = new RdsPitrPolicy(stack, 'DatabaseProtection', {
    database,
    objective,
    secondaryRegion: SECONDARY_REGION,
    standbyRegion: SECONDARY_REGION,
  });

  // --- One declaration for the whole stack: every stateful resource is protected against the
  // objective (by the constructs above, which the scope leaves to them) or excluded with a reason.
  const protection = new ProtectedScope(stack, 'Protection', {
    objective,
    secondaryRegion: SECONDARY_REGION,
    exclude: [
      // The bucket resource itself (the L2 would also list its bucket policy).
      { resource: accessLogs.node.defaultChild as CfnResource, reason: ACCESS_LOGS_EXCLUSION },
    ],
  });

  const stacks = [stack, secondary, standbyStack];
  const suppressions = suppressFindings({
    stack,
    secondary,
    standbyStack,
    files,
    table,
    database,
    standby,
    accessLogs: [accessLogs, replicaAccessLogs],
    vpcs: [vpc, network.vpc],
  });
  if (options.nag ?? true) {
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    Aspects.of(app).add(new NIST80053R5Checks({ verbose: true }));
    Aspects.of(app).add(new HIPAASecurityChecks({ verbose: true }));
  }
  return {
    app, stack, secondary, standbyStack, stacks, files, table, database, standby, tableProtection, databaseProtection, protection, suppressions,
  };
}

/** Name of the DB subnet group of the standby cluster in us-west-2. */
export const STANDBY_SUBNET_GROUP = 'sync-service-standby-db';

/** Identifier of the Aurora secondary cluster in us-west-2. */
export const STANDBY_CLUSTER_IDENTIFIER = `${DB_CLUSTER_IDENTIFIER}-standby`;

/** Why the server access log buckets are not protected against the objective. */
const ACCESS_LOGS_EXCLUSION = 'server access logs: an audit trail of a bucket in the same region, not data the sync service recovers from; kept 400 days, versioned, TLS-only';

/**
 * A bucket for S3 server access logs: S3 delivers them only to a bucket with SSE-S3 (not
 * SSE-KMS) default encryption, in the same region and account.
 */
function accessLogBucket(scope: Stack, id: string, bucketName: string | undefined): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    bucketName,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
  });
  // aws-cdk-lib grants S3's log delivery on a target in the same stack; the replica's target is
  // passed to drkit by name (the replica is in another construct scope), so grant it here.
  if (bucketName) {
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
  }
  return bucket;
}

/** A KMS key CloudWatch Logs in this region may use (for VPC flow logs and database logs). */
function logsKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description: 'sync service: encrypts VPC flow logs and database logs',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Stack.of(scope).region}:${Aws.ACCOUNT_ID}:log-group:*` } },
  }));
  return key;
}

/**
 * A VPC with isolated subnets only (no NAT gateway, no internet) and flow logs to an encrypted
 * log group. The flow-log role gets a customer-managed policy (NIST/HIPAA IAMNoInlinePolicy);
 * CIDRs are literal so cdk-nag can evaluate security-group rules that use them.
 */
function isolatedVpc(scope: Stack, id: string, cidr: string): ec2.Vpc {
  const flowLogs = new logs.LogGroup(scope, `${id}FlowLogs`, {
    encryptionKey: logsKey(scope, `${id}LogsKey`),
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, `${id}FlowLogsRole`, {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
    managedPolicies: [new iam.ManagedPolicy(scope, `${id}FlowLogsPolicy`, {
      description: 'VPC flow logs: write to the flow-log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogs.logGroupArn],
      })],
    })],
  });
  return new ec2.Vpc(scope, id, {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    flowLogs: {
      all: {
        // The managed policy above grants what aws-cdk-lib would add inline.
        destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, role.withoutPolicyUpdates()),
        trafficType: ec2.FlowLogTrafficType.ALL,
      },
    },
  });
}

/** The role RDS enhanced monitoring publishes OS metrics with (AWS's managed policy for it). */
function monitoringRole(scope: Stack, id: string): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
  });
  return role;
}

/**
 * The Aurora PostgreSQL cluster: encrypted, IAM authentication, logs exported to an encrypted
 * log group, a writer and a reader in two AZs, the master password in a KMS-encrypted secret
 * rotated every 30 days by Secrets Manager (RDS-managed master passwords are not supported for
 * clusters in an Aurora global database), reached through a VPC endpoint.
 */
function auroraCluster(stack: Stack, vpc: ec2.Vpc): rds.DatabaseCluster {
  const storageKey = new kms.Key(stack, 'DatabaseKey', {
    description: 'sync service: encrypts the Aurora cluster, its Performance Insights and its secret',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const logKey = logsKey(stack, 'DatabaseLogsKey');
  // RDS exports to this log group (it creates it otherwise, unencrypted and kept forever).
  const logGroup = new logs.LogGroup(stack, 'DatabaseLogs', {
    logGroupName: `/aws/rds/cluster/${DB_CLUSTER_IDENTIFIER}/postgresql`,
    encryptionKey: logKey,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const instance = (id: string) => rds.ClusterInstance.provisioned(id, {
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    publiclyAccessible: false,
    enablePerformanceInsights: true,
    performanceInsightEncryptionKey: storageKey,
    autoMinorVersionUpgrade: true,
  });
  const cluster = new rds.DatabaseCluster(stack, 'Database', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: AURORA_ENGINE_VERSION }),
    clusterIdentifier: DB_CLUSTER_IDENTIFIER,
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    port: DB_PORT,
    writer: instance('Writer'),
    readers: [instance('Reader')],
    storageEncrypted: true,
    storageEncryptionKey: storageKey,
    iamAuthentication: true,
    cloudwatchLogsExports: ['postgresql'],
    // The secret is replicated to us-west-2: after a failover the application reads the
    // password there (the rotation in us-east-1 updates the replica).
    credentials: rds.Credentials.fromGeneratedSecret('syncadmin', { encryptionKey: storageKey, replicaRegions: [{ region: SECONDARY_REGION }] }),
    parameters: DB_PARAMETERS,
    monitoringInterval: Duration.seconds(60),
    monitoringRole: monitoringRole(stack, 'DatabaseMonitoringRole'),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Created before the cluster, so RDS finds it instead of creating its own.
  cluster.node.addDependency(logGroup);
  const endpoint = vpc.addInterfaceEndpoint('SecretsManagerEndpoint', {
    service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    privateDnsEnabled: true,
    open: false,
  });
  endpoint.connections.allowFrom(ec2.Peer.ipv4(PRIMARY_CIDR), ec2.Port.tcp(443), 'HTTPS to Secrets Manager from the VPC');
  cluster.addRotationSingleUser({
    automaticallyAfter: Duration.days(30),
    endpoint,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
  return cluster;
}

/** What the secondary cluster of the global database needs in us-west-2. */
interface StandbyNetwork {
  readonly vpc: ec2.Vpc;
  readonly subnetGroup: rds.SubnetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly clusterParameters: rds.CfnDBClusterParameterGroup;
  readonly logGroup: logs.LogGroup;
}

/**
 * The secondary cluster's surroundings in the standby stack: a VPC, a DB subnet group, a
 * security group, the primary's cluster parameters (parameter groups are regional) and the
 * encrypted log group its PostgreSQL log goes to. DrStandby copies the rest of the primary's
 * settings (port, IAM authentication, log export, enhanced monitoring, Performance Insights).
 */
function standbyNetwork(standbyStack: Stack): StandbyNetwork {
  const vpc = isolatedVpc(standbyStack, 'StandbyVpc', STANDBY_CIDR);
  const subnetGroup = new rds.SubnetGroup(standbyStack, 'StandbySubnets', {
    subnetGroupName: STANDBY_SUBNET_GROUP,
    description: 'sync service: the Aurora global database secondary in us-west-2',
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const securityGroup = new ec2.SecurityGroup(standbyStack, 'StandbyDatabaseSecurityGroup', {
    vpc,
    description: 'sync service: the Aurora secondary cluster (clients in the VPC after a failover)',
    allowAllOutbound: false,
  });
  securityGroup.addIngressRule(ec2.Peer.ipv4(STANDBY_CIDR), ec2.Port.tcp(DB_PORT), 'PostgreSQL from the standby VPC');
  const logGroup = new logs.LogGroup(standbyStack, 'StandbyDatabaseLogs', {
    logGroupName: `/aws/rds/cluster/${STANDBY_CLUSTER_IDENTIFIER}/postgresql`,
    encryptionKey: logsKey(standbyStack, 'StandbyDatabaseLogsKey'),
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // The primary's parameters (TLS only) hold after a failover too.
  const clusterParameters = new rds.CfnDBClusterParameterGroup(standbyStack, 'StandbyParameters', {
    family: `aurora-postgresql${AURORA_ENGINE_VERSION.auroraPostgresMajorVersion}`,
    description: 'sync service: the Aurora global database secondary in us-west-2',
    parameters: DB_PARAMETERS,
  });
  return { vpc, subnetGroup, securityGroup, clusterParameters, logGroup };
}

/** One cdk-nag suppression: the rule ids it covers and why. */
export interface Suppression {
  readonly path: string;
  readonly ids: string[];
  readonly reason: string;
}

/**
 * cdk-nag findings that stay, each with its reason (returned for the README and the tests).
 * Everything else is fixed above (or by drkit).
 */
function suppressFindings(built: Omit<ReferenceApp, 'app' | 'stacks' | 'tableProtection' | 'databaseProtection' | 'protection' | 'suppressions'> & { accessLogs: s3.Bucket[]; vpcs: ec2.Vpc[] }): Suppression[] {
  const list: Suppression[] = [];
  const suppress = (construct: IConstruct, ids: string[], reason: string, appliesTo?: string[], children = false): void => {
    NagSuppressions.addResourceSuppressions(construct, ids.map(id => ({ id, reason, appliesTo })), children);
    list.push({ path: construct.node.path, ids: appliesTo ? ids.map(id => `${id}[${appliesTo.join(', ')}]`) : ids, reason });
  };
  // (drkit suppresses the same finding on the standby's monitoring role, which it creates.)
  for (const role of [built.stack.node.findChild('DatabaseMonitoringRole')]) {
    suppress(role, ['AwsSolutions-IAM4'],
      'RDS enhanced monitoring: AmazonRDSEnhancedMonitoringRole is the policy AWS documents and maintains for the monitoring agent; it allows only writing to the RDSOSMetrics log group. A copy would need the same log-group wildcards (AwsSolutions-IAM5) and would not follow AWS changes.',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole']);
  }
  for (const bucket of built.accessLogs) {
    suppress(bucket, ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS'],
      'Server access log bucket: S3 delivers server access logs only to a target bucket with SSE-S3 default encryption; SSE-KMS is not supported for the target (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). The logs hold request metadata, not user files.');
    suppress(bucket, ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
      'Server access log bucket: the logs are an audit trail of the bucket in the same region, not data the service recovers from; each region keeps its own (the replica bucket logs to a log bucket in us-west-2), versioned and TLS-only. Replicating them would need a third region.');
  }
  suppress(built.files.replicationRole, ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
    'drkit\'s S3 replication role (one per stack, shared by its replicated buckets): its inline policy grants only replication of this stack\'s buckets and use of their keys (the replica key only through its alias), exists only with the role and is not meant to be attached elsewhere; drkit builds it, the example cannot change it.',
    undefined, true);
  for (const vpc of built.vpcs) {
    suppress(vpc, ['NIST.800.53.R5-VPCDefaultSecurityGroupClosed', 'HIPAA.Security-VPCDefaultSecurityGroupClosed'],
      'Nothing in this VPC uses its default security group: every resource placed in it (the Aurora cluster or its standby secondary, the secret-rotation function, the Secrets Manager endpoint) has its own security group. CloudFormation cannot remove the default group\'s rules; aws-cdk-lib does it with a custom-resource Lambda (restrictDefaultSecurityGroup), which brings its own findings (managed policy, concurrency, DLQ, VPC placement) for no gain here.');
  }
  suppress(built.database.node.findChild('SecurityGroup'), ['CdkNagValidationFailure'],
    'The ingress rule from the secret-rotation function\'s security group uses the cluster\'s endpoint port, a CloudFormation attribute (5438, set literally on the cluster), so these rules cannot evaluate it; the source is a security group, not a CIDR, so no open-to-the-world or SSH/common-port exposure exists.',
    ['NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH', 'HIPAA.Security-EC2RestrictedCommonPorts', 'HIPAA.Security-EC2RestrictedSSH'], true);
  const instances = [...built.database.node.findAll().filter(c => c instanceof rds.CfnDBInstance), ...built.standby.secondaryInstances];
  for (const instance of instances) {
    suppress(instance, ['NIST.800.53.R5-RDSInBackupPlan', 'HIPAA.Security-RDSInBackupPlan'],
      'An Aurora instance holds no data of its own: Aurora backs up the cluster volume, and AWS Backup selects Aurora at the cluster level (the primary cluster is in drkit\'s backup plan by ARN, 6-hourly/daily/monthly, copied to us-west-2); the secondary cluster\'s volume is the global database\'s replica and keeps its own 30-day automated backups.');
  }
  // aws-cdk-lib cannot add the log-delivery grant to a target it only knows by name; the
  // example grants it on the bucket itself (accessLogBucket).
  Annotations.of(built.files.replicaBucket!).acknowledgeWarning('@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
    'the replica\'s log bucket grants logging.s3.amazonaws.com s3:PutObject in its own policy');
  return list;
}
