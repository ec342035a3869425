import * as crypto from 'crypto';
import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { CrossRegionReplicatedBucket } from './cross-region-replicated-bucket';
import { allowTopicPublisher, TopicPublisher } from './replication-alarm-topic';
import { RecoveryReportPlugin } from './report-plugin';
import { auroraLagAlarm } from '../core/aurora-lag';
import { checkAwsRegion } from '../core/aws-regions';
import { Facts } from '../core/catalog';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { primaryRegionOf } from './private/dr-names';
import { addStackDependency } from './private/stack-dependency';
import { RecoveryObjective } from '../core/objective';
import { isAuroraEngine } from '../core/plan-rds';
import { planOrRefuse } from './private/refusal';
import { DrStrategy, FailoverDetection, StandbyData, StandbyDataKind, StandbyPlan, StandbyPlanner } from '../core/standby';

/** The endpoints Route 53 fails over between. */
export interface FailoverEndpoints {
  /** The hosted zone of the failover records. */
  readonly hostedZone: route53.IHostedZone;
  /** The record name, for example `app.example.com`. */
  readonly recordName: string;
  /** Domain name of the primary region's endpoint (for example its load balancer). */
  readonly primaryDomainName: string;
  /** Domain name of the standby region's endpoint. */
  readonly secondaryDomainName: string;
  /**
   * Path the health checks request (HTTPS).
   * @default '/health'
   */
  readonly healthCheckPath?: string;
  /**
   * Port the health checks use.
   * @default 443
   */
  readonly port?: number;
  /**
   * Health-check request interval: 10 or 30 seconds.
   * @default Duration.seconds(30)
   */
  readonly requestInterval?: Duration;
  /**
   * Consecutive failures before an endpoint is unhealthy: 1-10.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * TTL of the failover records.
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}

/** Properties of a DrStandby. */
export interface DrStandbyProps {
  /** The recovery objective: its region-outage RTO chooses the strategy, its RPO sets the lag alarms. */
  readonly objective: RecoveryObjective;
  /** The standby region (concrete, not the primary stack's region). */
  readonly region: string;
  /**
   * The strategy, when you choose it.
   * @default - the cheapest strategy whose RTO estimate meets the objective
   */
  readonly strategy?: DrStrategy;
  /**
   * DynamoDB tables (TableV2) that get a replica in the standby region, with point-in-time
   * recovery and deletion protection set on the replica.
   * @default - none
   */
  readonly tables?: dynamodb.TableV2[];
  /**
   * RDS instances (a cross-region read replica each) and Aurora clusters (an Aurora global
   * database with a secondary cluster each): `DatabaseInstance`, `DatabaseCluster`, or their L1.
   * Each needs a literal identifier (`instanceIdentifier` / `clusterIdentifier`).
   * @default - none
   */
  readonly databases?: IConstruct[];
  /**
   * Buckets already replicated by CrossRegionReplicatedBucket: reported, not replicated again.
   * @default - none
   */
  readonly replicatedBuckets?: CrossRegionReplicatedBucket[];
  /**
   * Endpoints for Route 53 health checks and failover records.
   * @default - no health checks or records: failover is manual and the RTO estimate has no bound for detection
   */
  readonly endpoints?: FailoverEndpoints;
  /**
   * Topic for replication-lag alarms in the primary region.
   * @default - a KMS-encrypted topic created in the primary stack
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Instance class of read replicas and secondary-cluster instances.
   * @default - the source's instance class
   */
  readonly replicaInstanceClass?: string;
  /**
   * DB subnet group in the standby region for replicas and secondary clusters.
   * @default - the region's default VPC
   */
  readonly replicaSubnetGroupName?: string;
  /**
   * Security groups (in the standby region) for replicas and secondary clusters.
   * @default - the VPC's default security group
   */
  readonly replicaSecurityGroupIds?: string[];
  /**
   * DB cluster parameter group (in the standby region) of Aurora secondary clusters. Parameter
   * groups are regional, so the primary's cannot be used: create one with the same parameters
   * in the standby stack (`DrStandby.standbyStackOf`), or a standby that is promoted runs with
   * other settings (for example without `rds.force_ssl`).
   * @default - the engine's default cluster parameter group
   */
  readonly replicaClusterParameterGroupName?: string;
  /**
   * DB parameter group (in the standby region) of read replicas and secondary-cluster instances.
   * @default - the engine's default DB parameter group
   */
  readonly replicaParameterGroupName?: string;
  /**
   * Enhanced monitoring interval of read replicas and secondary-cluster instances
   * (`Duration.seconds(0)` turns it off; otherwise 1, 5, 10, 15, 30 or 60 seconds).
   * @default - the source's interval (of its first instance with one, for a cluster)
   */
  readonly replicaMonitoringInterval?: Duration;
  /**
   * Role RDS enhanced monitoring uses for read replicas and secondary-cluster instances.
   * @default - when monitoring is on, a role in the standby stack with AWS's managed policy AmazonRDSEnhancedMonitoringRole
   */
  readonly replicaMonitoringRole?: iam.IRole;
}

/**
 * The standby side of a disaster-recovery strategy in a second region: DynamoDB global table
 * replicas, RDS cross-region read replicas or Aurora global databases, and Route 53
 * health-checked failover records, with the strategy chosen from the objective's RTO.
 *
 * Its RTO estimate is detection (health-check interval x failure threshold) + promotion +
 * activation (the strategy's band) + DNS TTL; an estimate above the objective's region-outage
 * RTO fails synthesis with DRK011, naming the dominant term (one synth lists every refusal of the
 * app; the DrStandby then adds nothing). Replication lag is
 * alarmed against the RPO.
 *
 * Replicas of databases go into a standby stack (`<primary stack id>-standby-<region>`,
 * `DrStandby.standbyStackOf`), deployed after the primary stack, since a replica needs its
 * source to exist. They copy the source's settings that decide how it behaves once promoted:
 * port, IAM database authentication, CloudWatch Logs exports, storage type and Serverless v2
 * scaling (clusters), enhanced monitoring and Performance Insights (instances). Regional
 * settings are props: subnet group, security groups, parameter groups.
 */
export class DrStandby extends Construct {
  /**
   * The stack that holds the database replicas of `scope`'s stack in `region`
   * (`<primary stack id>-standby-<region>`, stack name `<primary stack name>-<primary region>-standby-<region>`),
   * created on first use and deployed after the primary stack, since a replica needs its source.
   *
   * Call it before declaring the DrStandby to add what the replicas need in the standby region
   * (a VPC, a DB subnet group, security groups, parameter groups) to the same stack, and pass
   * them by reference: `replicaSecurityGroupIds`, `replicaSubnetGroupName`,
   * `replicaClusterParameterGroupName`. The DrStandby of that stack and region uses the same stack.
   *
   * @param scope a construct in the primary stack (in an App or Stage)
   * @param region the standby region
   */
  public static standbyStackOf(scope: Construct, region: string): Stack {
    const primary = Stack.of(scope);
    if (!region || Token.isUnresolved(region)) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`region\` of DrStandby.standbyStackOf(${scope.node.path}) must be a concrete region name such as "us-west-2", but got ${region ? 'an unresolved token' : 'nothing'}`);
    }
    if (!Token.isUnresolved(primary.region) && primary.region === region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`region\` "${region}" of DrStandby.standbyStackOf(${scope.node.path}) is the region of stack ${primary.node.path}: a standby in the same region does not survive a region outage; choose another region`);
    }
    return standbyStackOf(scope, region);
  }

  /** The chosen strategy, its estimate and advisories. */
  public readonly plan!: StandbyPlan;
  /** The strategy. */
  public readonly strategy!: DrStrategy;
  /**
   * The stack that holds database replicas and their alarms.
   * @default - none, when no database is in scope
   */
  public readonly standbyStack?: Stack;
  /**
   * Topic of the primary region's lag alarms (DynamoDB replication latency).
   * @default - none, when no table is in scope
   */
  public readonly alarmTopic?: sns.ITopic;
  /** Replication-lag alarms, in every stack. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Read replicas created (in the standby stack). */
  public readonly readReplicas: rds.CfnDBInstance[] = [];
  /** Aurora global clusters created (in the primary stack). */
  public readonly globalClusters: rds.CfnGlobalCluster[] = [];
  /** Secondary Aurora clusters created (in the standby stack). */
  public readonly secondaryClusters: rds.CfnDBCluster[] = [];
  /** Instances of the secondary Aurora clusters (in the standby stack; none for a pilot light). */
  public readonly secondaryInstances: rds.CfnDBInstance[] = [];
  /** Route 53 health checks (primary, secondary). */
  public readonly healthChecks: route53.CfnHealthCheck[] = [];

  private readonly props: DrStandbyProps;
  private standbyTopic?: sns.ITopic;
  private monitoringRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: DrStandbyProps) {
    super(scope, id);
    if (!props || !props.objective || typeof (props.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`objective\` is required for DrStandby ${this.node.path}: pass a RecoveryObjective`);
    }
    this.props = props;
    const primary = Stack.of(this);
    if (!props.region || Token.isUnresolved(props.region)) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`region\` of DrStandby ${this.node.path} must be a concrete region name such as "us-west-2", but got ${props.region ? 'an unresolved token' : 'nothing'}`);
    }
    checkAwsRegion('region', props.region, `DrStandby ${this.node.path}`);
    if (!Token.isUnresolved(primary.region) && primary.region === props.region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`region\` "${props.region}" of DrStandby ${this.node.path} is the region of stack ${primary.node.path}: a standby in the same region does not survive a region outage; choose another region`);
    }

    // What is in scope, and how each fails over.
    const databases = (props.databases ?? []).map(d => resolveDatabase(d, this.node.path));
    const data: StandbyData[] = [];
    for (const t of props.tables ?? []) data.push({ name: t.node.path, kind: StandbyDataKind.DYNAMODB_GLOBAL_TABLE });
    for (const d of databases) {
      data.push({ name: d.path, kind: d.cluster ? StandbyDataKind.AURORA_GLOBAL_DATABASE : StandbyDataKind.RDS_READ_REPLICA });
    }
    for (const b of props.replicatedBuckets ?? []) {
      if (b.replicaRegion !== props.region) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `bucket ${b.node.path} replicates to ${b.replicaRegion}, but DrStandby ${this.node.path} stands by in ${props.region}: replicate the bucket to ${props.region} (CrossRegionReplicatedBucket \`replicaRegion\`)`);
      }
      data.push({ name: b.node.path, kind: StandbyDataKind.S3_REPLICA });
    }
    const e = props.endpoints;
    if (data.length === 0 && !e) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${this.node.path} has nothing to stand by: \`tables\`, \`databases\`, \`replicatedBuckets\` and \`endpoints\` are all empty, so it would synthesize an empty standby; give the DynamoDB tables (TableV2), RDS/Aurora databases or replicated buckets to keep in ${props.region}, or the \`endpoints\` to fail over between, or remove the DrStandby`);
    }
    if (e) validateEndpoints(e, this.node.path);
    const detection: FailoverDetection | undefined = e ? {
      requestIntervalSeconds: wholeSeconds(e.requestInterval ?? Duration.seconds(30), 'requestInterval', this.node.path),
      failureThreshold: e.failureThreshold ?? 3,
      ttlSeconds: wholeSeconds(e.ttl ?? Duration.seconds(60), 'ttl', this.node.path),
    } : undefined;

    const refusable = planOrRefuse(this, () => StandbyPlanner.plan(props.objective, {
      scopeName: this.node.path, data, detection, strategy: props.strategy,
    }));
    // A refused objective: synthesis fails listing it (with every other refusal of the app).
    if (refusable === undefined) return;
    this.plan = refusable;
    this.strategy = this.plan.strategy;
    for (const a of this.plan.advisories) Annotations.of(this).addWarningV2('drkit:standby-advisory', a);
    const metadata = {
      strategy: this.strategy.id,
      forced: this.plan.forced,
      rtoSeconds: this.plan.rtoSeconds,
      estimate: this.plan.estimate,
    };

    const tables = this.strategy.liveReplicas ? props.tables ?? [] : [];
    this.alarmTopic = props.alarmTopic ?? (tables.length > 0 ? newTopic(this, 'AlarmTopic', `drkit: replication lag of ${this.node.path}`) : undefined);
    if (props.alarmTopic && tables.length > 0) this.allowAlarms(props.alarmTopic);

    if (!this.strategy.liveReplicas) {
      Annotations.of(this).addInfoV2('drkit:standby-backup-and-restore',
        `DrStandby ${this.node.path} chose ${this.strategy.title}: no replica is created; recovery in ${props.region} restores the backup copies (RdsPitrPolicy, DynamoContinuousBackup with secondaryRegion ${props.region})`);
    } else {
      if (tables.length > 0 && Token.isUnresolved(primary.region)) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `\`tables\` of DrStandby ${this.node.path} get a replica in ${props.region} (DynamoDB global table), which needs the primary region, but stack ${primary.node.path} has no concrete region (its \`env\` region is an unresolved token): give the stack a concrete \`env\` such as { region: 'us-east-1', account: '123456789012' }`);
      }
      for (const t of props.tables ?? []) this.addTableReplica(t, metadata);
      if (databases.length > 0) {
        this.standbyStack = standbyStackOf(this, props.region);
        for (const d of databases) {
          // A replica needs its source: the databases' stack deploys first, too.
          if (d.stack !== primary) addStackDependency(this.standbyStack, d.stack, `drkit: the replicas in ${props.region} need their sources in ${d.stack.stackName}`);
          if (d.cluster) this.addGlobalDatabase(d, metadata);
          else this.addReadReplica(d, metadata);
          markStandby(d.resource, props.region);
        }
      }
    }
    if (e) this.addFailover(e, detection!, metadata);

    RecoveryReportPlugin.register(this);
  }

  private addTableReplica(table: dynamodb.TableV2, metadata: any): void {
    const pitrDays = Math.min(35, this.props.objective.retention.pointInTimeDays);
    table.addReplica({
      region: this.props.region,
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: pitrDays },
    });
    const cfn = table.node.defaultChild as CfnResource;
    cfn.applyRemovalPolicy(RemovalPolicy.RETAIN);
    cfn.addMetadata('drkit:standby', metadata);
    const alarm = new cloudwatch.Alarm(this, `ReplicationLatency${idOf(table.node.path)}`, {
      alarmDescription: `drkit: replication of table ${table.node.path} to ${this.props.region} lags more than the RPO (${this.plan.rpoSeconds} s)`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensionsMap: { TableName: table.tableName, ReceivingRegion: this.props.region },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: this.plan.rpoSeconds * 1000,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic!));
    this.alarms.push(alarm);
  }

  private addReadReplica(d: ResolvedDatabase, metadata: any): void {
    const standby = this.standbyStack!;
    const src = d.resource as rds.CfnDBInstance;
    const ident = literal(d.stack, src.dbInstanceIdentifier);
    const { region, account } = concreteEnv(d.stack, d.path);
    if (!ident) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${this.node.path} needs a literal identifier on ${d.path} to reference it from ${this.props.region} (CloudFormation has no cross-region references): set \`instanceIdentifier\` on the DatabaseInstance (DBInstanceIdentifier)`);
    }
    const instanceClass = this.props.replicaInstanceClass ?? literal(d.stack, src.dbInstanceClass);
    if (!instanceClass) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${this.node.path} cannot read the instance class of ${d.path}: set \`replicaInstanceClass\` (for example "db.r6g.large")`);
    }
    const holder = new Construct(standby, `Replica${idOf(d.path)}`);
    const key = newKey(holder, `drkit: encrypts the standby replica of ${d.path}`);
    const sourceArn = `arn:${partitionOf(region)}:rds:${region}:${account}:db:${ident}`;
    const replica = new rds.CfnDBInstance(holder, 'Instance', {
      sourceDbInstanceIdentifier: sourceArn,
      sourceRegion: region,
      dbInstanceClass: instanceClass,
      kmsKeyId: key.keyArn,
      dbSubnetGroupName: this.props.replicaSubnetGroupName,
      vpcSecurityGroups: this.props.replicaSecurityGroupIds,
      publiclyAccessible: false,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      multiAz: this.strategy === DrStrategy.HOT_STANDBY ? true : undefined,
      autoMinorVersionUpgrade: true,
      // What the source has, so the replica behaves the same once promoted.
      port: literalPort(d.stack, src.port)?.toString(),
      enableIamDatabaseAuthentication: literalBoolean(d.stack, src.enableIamDatabaseAuthentication),
      enableCloudwatchLogsExports: literalStrings(d.stack, src.enableCloudwatchLogsExports),
      dbParameterGroupName: this.props.replicaParameterGroupName,
      ...this.instanceSettings([src], key, d.stack),
    });
    replica.applyRemovalPolicy(RemovalPolicy.RETAIN);
    replica.addMetadata('drkit:construct', 'DrStandby');
    replica.addMetadata('drkit:replica-of', sourceArn);
    replica.addMetadata('drkit:standby', metadata);
    this.readReplicas.push(replica);
    this.lagAlarm(holder, 'ReplicaLag', `read replica of ${d.path}`, { DBInstanceIdentifier: replica.ref }, this.plan.rpoSeconds);
  }

  private addGlobalDatabase(d: ResolvedDatabase, metadata: any): void {
    const standby = this.standbyStack!;
    const src = d.resource as rds.CfnDBCluster;
    const engine = literal(d.stack, src.engine);
    const engineVersion = literal(d.stack, src.engineVersion);
    if (!isAuroraEngine(engine)) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_MECHANISM,
        `DrStandby ${this.node.path} builds an Aurora global database for ${d.path}, but its engine is "${engine ?? 'unknown'}": global databases exist only for Aurora MySQL and Aurora PostgreSQL; a Multi-AZ DB cluster has no cross-region standby here`);
    }
    if (!engineVersion) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${this.node.path} needs the literal engine version of ${d.path}: the secondary cluster of a global database must run the same version; set \`engine\` with an explicit version`);
    }
    if (src.backtrackWindow !== undefined && d.stack.resolve(src.backtrackWindow) !== 0) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_MECHANISM,
        `DrStandby ${this.node.path} cannot add ${d.path} to an Aurora global database: the cluster has backtrack enabled, which global databases do not support; remove backtrackWindow or use a read replica strategy`);
    }
    const name = `${d.stack.stackName}-${primaryRegionOf(d.stack, `the global database of ${d.path}`)}-${idOf(d.path)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
    const global = new rds.CfnGlobalCluster(this, `GlobalCluster${idOf(d.path)}`, {
      globalClusterIdentifier: name,
      sourceDbClusterIdentifier: src.attrDbClusterArn,
      deletionProtection: true,
    });
    global.applyRemovalPolicy(RemovalPolicy.RETAIN);
    global.addMetadata('drkit:construct', 'DrStandby');
    global.addMetadata('drkit:standby', metadata);
    this.globalClusters.push(global);

    const holder = new Construct(standby, `Secondary${idOf(d.path)}`);
    const key = newKey(holder, `drkit: encrypts the secondary cluster of ${d.path}`);
    const cluster = new rds.CfnDBCluster(holder, 'Cluster', {
      engine,
      engineVersion,
      globalClusterIdentifier: name,
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      dbSubnetGroupName: this.props.replicaSubnetGroupName,
      vpcSecurityGroupIds: this.props.replicaSecurityGroupIds,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      backupRetentionPeriod: Math.min(35, this.props.objective.retention.pointInTimeDays),
      // The primary's settings, so the secondary behaves the same after a failover
      // (parameter groups are regional: `replicaClusterParameterGroupName`).
      port: literalPort(d.stack, src.port),
      enableIamDatabaseAuthentication: literalBoolean(d.stack, src.enableIamDatabaseAuthentication),
      enableCloudwatchLogsExports: literalStrings(d.stack, src.enableCloudwatchLogsExports),
      storageType: literal(d.stack, src.storageType),
      serverlessV2ScalingConfiguration: literalObject(d.stack, src.serverlessV2ScalingConfiguration),
      dbClusterParameterGroupName: this.props.replicaClusterParameterGroupName,
    });
    cluster.applyRemovalPolicy(RemovalPolicy.RETAIN);
    cluster.addMetadata('drkit:construct', 'DrStandby');
    cluster.addMetadata('drkit:replica-of', d.path);
    cluster.addMetadata('drkit:standby', metadata);
    this.secondaryClusters.push(cluster);

    // Pilot light: a headless secondary (storage only); warm: one instance; hot: two (multi-AZ reader).
    const count = this.strategy === DrStrategy.PILOT_LIGHT ? 0 : this.strategy === DrStrategy.WARM_STANDBY ? 1 : 2;
    const instanceClass = this.props.replicaInstanceClass ?? firstInstanceClass(d);
    if (count > 0 && !instanceClass) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${this.node.path} cannot read the instance class of ${d.path}'s instances: set \`replicaInstanceClass\` (for example "db.r6g.large")`);
    }
    const settings = this.instanceSettings(instancesOf(d), key, d.stack);
    for (let i = 1; i <= count; i++) {
      const instance = new rds.CfnDBInstance(holder, `Instance${i}`, {
        engine,
        dbClusterIdentifier: cluster.ref,
        dbInstanceClass: instanceClass!,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        dbParameterGroupName: this.props.replicaParameterGroupName,
        ...settings,
      });
      instance.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.secondaryInstances.push(instance);
    }
    // What tells whether the secondary can take over within the RPO, with the missing-data
    // treatment of its strategy (a pilot light's headless secondary may publish nothing).
    const lag = auroraLagAlarm(this.strategy, engine, engineVersion);
    this.lagAlarm(holder, lag.metricName, `secondary cluster of ${d.path}`, { DBClusterIdentifier: cluster.ref }, this.plan.rpoSeconds * 1000,
      lag.treatMissingData === 'missing' ? cloudwatch.TreatMissingData.MISSING : cloudwatch.TreatMissingData.BREACHING, lag.basis);
  }

  /**
   * Enhanced monitoring and Performance Insights of a replica's instances, as on the source's
   * (`sources`: the source instance, or the source cluster's instances).
   */
  private instanceSettings(sources: rds.CfnDBInstance[], key: kms.IKey, stack: Stack): InstanceSettings {
    const given = this.props.replicaMonitoringInterval;
    const interval = given !== undefined ? given.toSeconds()
      : sources.map(i => stack.resolve(i.monitoringInterval)).find((v): v is number => typeof v === 'number' && v > 0);
    if (interval !== undefined && !MONITORING_INTERVALS.includes(interval)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`replicaMonitoringInterval\` of DrStandby ${this.node.path} must be 0, 1, 5, 10, 15, 30 or 60 seconds (RDS enhanced monitoring), but got ${interval} seconds`);
    }
    const pi = sources.find(i => stack.resolve(i.enablePerformanceInsights) === true);
    const out: InstanceSettings = {};
    if (interval !== undefined && interval > 0) {
      out.monitoringInterval = interval;
      out.monitoringRoleArn = this.replicaMonitoringRole().roleArn;
    } else if (interval === 0) {
      out.monitoringInterval = 0;
    }
    if (pi) {
      out.enablePerformanceInsights = true;
      // The source's key is in its region: the replica's own key encrypts its Performance Insights.
      out.performanceInsightsKmsKeyId = key.keyArn;
      const retention = stack.resolve(pi.performanceInsightsRetentionPeriod);
      if (typeof retention === 'number') out.performanceInsightsRetentionPeriod = retention;
    }
    return out;
  }

  /** The enhanced-monitoring role of the replicas: given, or one per standby stack. */
  private replicaMonitoringRole(): iam.IRole {
    if (this.props.replicaMonitoringRole) return this.props.replicaMonitoringRole;
    if (this.monitoringRole) return this.monitoringRole;
    const standby = this.standbyStack!;
    const id = `${idOf(this.node.path)}MonitoringRole`;
    const existing = standby.node.tryFindChild(id) as iam.IRole | undefined;
    if (existing) return (this.monitoringRole = existing);
    const role = new iam.Role(standby, id, {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      description: `drkit: RDS enhanced monitoring of the standby replicas of ${this.node.path}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
    (role.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM4',
        reason: 'AmazonRDSEnhancedMonitoringRole is the policy AWS documents and maintains for the RDS enhanced monitoring agent; it allows only writing to the RDSOSMetrics log group',
        applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'],
      }],
    });
    this.monitoringRole = role;
    return role;
  }

  /** Lets CloudWatch alarms publish to a topic given in `alarmTopic`, or warns when drkit cannot (imported). */
  private allowAlarms(topic: sns.ITopic): void {
    const grant = allowTopicPublisher(topic, TopicPublisher.CLOUDWATCH);
    if (!grant.topicPolicySet || !grant.keyPolicySet) {
      Annotations.of(this).addWarningV2('drkit:standby-imported-alarm-topic',
        `the alarm topic ${topic.topicArn} of DrStandby ${this.node.path} is imported, so drkit cannot set its policy: allow cloudwatch.amazonaws.com to sns:Publish (aws:SourceAccount ${Stack.of(this).account}) and, if it is encrypted, to use its KMS key (kms:Decrypt, kms:GenerateDataKey*), or the lag alarms notify nobody`);
    }
  }

  private lagAlarm(holder: Construct, metricName: string, what: string, dims: { [k: string]: string }, threshold: number,
    treatMissingData = cloudwatch.TreatMissingData.BREACHING, basis?: string): void {
    if (!this.standbyTopic) {
      // CloudWatch alarms notify topics in their own region.
      this.standbyTopic = newTopic(standbyStackOf(this, this.props.region), `${idOf(this.node.path)}AlarmTopic`, `drkit: replication lag of ${this.node.path} (standby region)`);
    }
    const alarm = new cloudwatch.Alarm(holder, `${metricName}Alarm`, {
      alarmDescription: `drkit: ${metricName} of the ${what} exceeds the RPO (${this.plan.rpoSeconds} s)`,
      metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: dims, statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData,
    });
    if (basis) (alarm.node.defaultChild as CfnResource).addMetadata('drkit:basis', basis);
    alarm.addAlarmAction(new cwActions.SnsAction(this.standbyTopic));
    this.alarms.push(alarm);
  }

  private addFailover(e: FailoverEndpoints, detection: FailoverDetection, metadata: any): void {
    const activeActive = this.strategy.activeActive;
    const sides: Array<[string, string, string]> = [['Primary', e.primaryDomainName, 'PRIMARY'], ['Secondary', e.secondaryDomainName, 'SECONDARY']];
    for (const [label, domain, role] of sides) {
      const hc = new route53.CfnHealthCheck(this, `${label}HealthCheck`, {
        healthCheckConfig: {
          type: 'HTTPS',
          fullyQualifiedDomainName: domain,
          port: e.port ?? 443,
          resourcePath: e.healthCheckPath ?? '/health',
          requestInterval: detection.requestIntervalSeconds,
          failureThreshold: detection.failureThreshold,
        },
      });
      hc.addMetadata('drkit:construct', 'DrStandby');
      hc.addMetadata('drkit:standby', metadata);
      this.healthChecks.push(hc);
      new route53.CfnRecordSet(this, `${label}Record`, {
        hostedZoneId: e.hostedZone.hostedZoneId,
        name: e.recordName,
        type: 'CNAME',
        ttl: String(detection.ttlSeconds),
        resourceRecords: [domain],
        setIdentifier: `${label.toLowerCase()}`,
        healthCheckId: hc.attrHealthCheckId,
        failover: activeActive ? undefined : role,
        weight: activeActive ? 50 : undefined,
      });
    }
  }
}

/** A whole number of seconds from a Duration, or DRK020 naming the prop. */
function wholeSeconds(d: Duration, prop: string, where: string): number {
  const ms = d.toMilliseconds();
  if (!Number.isFinite(ms) || ms % 1000 !== 0) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `\`endpoints.${prop}\` of DrStandby ${where} must be a whole number of seconds (Route 53), but got ${d.toHumanString()}: give Duration.seconds(n)`);
  }
  return ms / 1000;
}

/** DNS names Route 53 accepts for a record: labels of letters, digits, hyphens and underscores, an optional leading `*.`. */
const RECORD_NAME = /^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

/**
 * Checks the health-check and record settings against Route 53's limits (`Facts.ROUTE53_*`),
 * so out-of-range values fail in the constructor with DRK020 rather than at deployment.
 * Interval and failure threshold are checked by the StandbyPlanner.
 */
function validateEndpoints(e: FailoverEndpoints, where: string): void {
  const bad = (prop: string, rule: string, value: unknown, fix: string) => new DrkitError(DrkitErrorCode.INVALID_PROPS,
    `\`endpoints.${prop}\` of DrStandby ${where} ${rule}, but got ${JSON.stringify(value)}: ${fix}`);
  if (e.port !== undefined && !Token.isUnresolved(e.port)
    && (!Number.isInteger(e.port) || e.port < 1 || e.port > Facts.ROUTE53_MAX_PORT)) {
    throw bad('port', `must be a whole number from 1 to ${Facts.ROUTE53_MAX_PORT} (${Facts.ROUTE53_HEALTH_CHECK_CONFIG_SOURCE})`, e.port, 'give the port the endpoints serve HTTPS on, for example 443');
  }
  const p = e.healthCheckPath;
  if (p !== undefined && !Token.isUnresolved(p)
    && (!p.startsWith('/') || p.length > Facts.ROUTE53_MAX_RESOURCE_PATH_LENGTH || /\s/.test(p))) {
    throw bad('healthCheckPath', `must start with "/", have no whitespace and be at most ${Facts.ROUTE53_MAX_RESOURCE_PATH_LENGTH} characters (${Facts.ROUTE53_HEALTH_CHECK_CONFIG_SOURCE})`, p, `give a path such as "/${p.replace(/^\/+/, '').trim() || 'health'}"`);
  }
  if (e.ttl !== undefined && !Token.isUnresolved(e.ttl.toMilliseconds())) {
    const ms = e.ttl.toMilliseconds();
    if (ms < 0 || ms > Facts.ROUTE53_MAX_TTL_SECONDS * 1000) {
      throw bad('ttl', `must be from 0 to ${Facts.ROUTE53_MAX_TTL_SECONDS} seconds (${Facts.ROUTE53_RECORD_SET_SOURCE})`, `${ms / 1000} seconds`, 'give a TTL such as Duration.seconds(60)');
    }
  }
  const names: Array<[string, string]> = [['recordName', e.recordName], ['primaryDomainName', e.primaryDomainName], ['secondaryDomainName', e.secondaryDomainName]];
  for (const [prop, name] of names) {
    if (Token.isUnresolved(name)) continue;
    if (typeof name !== 'string' || name.length === 0 || name.length > Facts.ROUTE53_MAX_DOMAIN_NAME_LENGTH || !RECORD_NAME.test(name)) {
      throw bad(prop, `must be a DNS name (labels of letters, digits, hyphens and underscores separated by dots, at most ${Facts.ROUTE53_MAX_DOMAIN_NAME_LENGTH} characters)`, name, 'give a name such as "app.example.com"');
    }
  }
}

const STANDBY_REGIONS = Symbol.for('drkit.DrStandby.regions');

/** Regions where a DrStandby keeps a live standby of this database resource (internal). */
export function standbyRegionsOf(resource: IConstruct): string[] {
  return [...((resource as any)[STANDBY_REGIONS] ?? [])];
}

function markStandby(resource: IConstruct, region: string): void {
  const list: string[] = (resource as any)[STANDBY_REGIONS] ?? [];
  if (!(resource as any)[STANDBY_REGIONS]) Object.defineProperty(resource, STANDBY_REGIONS, { value: list });
  if (!list.includes(region)) list.push(region);
}

interface ResolvedDatabase {
  readonly resource: CfnResource;
  readonly cluster: boolean;
  readonly path: string;
  readonly stack: Stack;
  readonly construct: IConstruct;
}

function resolveDatabase(db: IConstruct, where: string): ResolvedDatabase {
  const c: IConstruct | undefined = CfnResource.isCfnResource(db) ? db : db.node.defaultChild;
  const type = c && CfnResource.isCfnResource(c) ? c.cfnResourceType : undefined;
  if (type !== 'AWS::RDS::DBInstance' && type !== 'AWS::RDS::DBCluster') {
    throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
      `DrStandby ${where} needs databases defined in this app (DatabaseInstance, DatabaseCluster, CfnDBInstance or CfnDBCluster), but ${db.node.path} ${type ? `is a ${type}` : 'has no CloudFormation resource'}`);
  }
  const resource = c as CfnResource;
  if (type === 'AWS::RDS::DBInstance' && isAuroraEngine(literal(Stack.of(resource), (resource as rds.CfnDBInstance).engine))) {
    throw new DrkitError(DrkitErrorCode.UNSUPPORTED_MECHANISM,
      `DrStandby ${where} got ${db.node.path}, an Aurora instance: cross-region read replicas of Aurora instances are not how Aurora stands by; pass the DatabaseCluster, which gets an Aurora global database`);
  }
  return { resource, cluster: type === 'AWS::RDS::DBCluster', path: db.node.path, stack: Stack.of(resource), construct: db };
}

/** Monitoring and Performance Insights settings of a replica's instances. */
interface InstanceSettings {
  monitoringInterval?: number;
  monitoringRoleArn?: string;
  enablePerformanceInsights?: boolean;
  performanceInsightsKmsKeyId?: string;
  performanceInsightsRetentionPeriod?: number;
}

/** Enhanced monitoring intervals RDS accepts, in seconds. */
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

/** The instances of a cluster defined in the app (an L2 cluster's children, or CfnDBInstances naming the L1). */
function instancesOf(d: ResolvedDatabase): rds.CfnDBInstance[] {
  const owner = CfnResource.isCfnResource(d.construct) ? d.construct.node.scope : d.construct;
  if (!owner) return [];
  const out: rds.CfnDBInstance[] = [];
  for (const child of owner.node.findAll()) {
    if (!(child instanceof rds.CfnDBInstance)) continue;
    const ref = d.stack.resolve(child.dbClusterIdentifier);
    const mine = ref !== undefined && (JSON.stringify(ref) === JSON.stringify(d.stack.resolve((d.resource as rds.CfnDBCluster).ref))
      || (typeof ref === 'string' && ref === literal(d.stack, (d.resource as rds.CfnDBCluster).dbClusterIdentifier)));
    if (mine) out.push(child);
  }
  return out;
}

function literalPort(stack: Stack, v: any): number | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  if (typeof r === 'number') return r;
  return typeof r === 'string' && /^\d+$/.test(r) ? Number(r) : undefined;
}

function literalBoolean(stack: Stack, v: any): boolean | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  return typeof r === 'boolean' ? r : undefined;
}

function literalStrings(stack: Stack, v: any): string[] | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  return Array.isArray(r) && r.every(x => typeof x === 'string') ? r : undefined;
}

/** An object property with literal values only (no token that names a resource of the primary stack). */
function literalObject(stack: Stack, v: any): any {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  return r !== null && typeof r === 'object' && !JSON.stringify(r).includes('"Ref"') && !JSON.stringify(r).includes('"Fn::') ? r : undefined;
}

/** The instance class of the first instance of an L2 cluster. */
function firstInstanceClass(d: ResolvedDatabase): string | undefined {
  const owner = CfnResource.isCfnResource(d.construct) ? d.construct.node.scope : d.construct;
  if (!owner) return undefined;
  for (const child of owner.node.findAll()) {
    if (child instanceof rds.CfnDBInstance) {
      const v = literal(d.stack, child.dbInstanceClass);
      if (v) return v;
    }
  }
  return undefined;
}

function concreteEnv(stack: Stack, path: string): { region: string; account: string } {
  if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `DrStandby references ${path} from another region by ARN, so stack ${stack.node.path} needs a concrete \`env\` (account and region)`);
  }
  return { region: stack.region, account: stack.account };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function literal(stack: Stack, v: any): string | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  return typeof r === 'string' ? r : undefined;
}

function idOf(path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = words.map(w => w[0].toUpperCase() + w.slice(1)).join('');
  return id.length <= 48 ? id : `${id.slice(0, 40)}${crypto.createHash('sha256').update(path).digest('hex').slice(0, 8)}`;
}

/**
 * The stack that holds database replicas in `region` for `scope`'s stack: deployed after the
 * primary stack (a replica needs its source), unlike the secondary-region stack of copies.
 */
function standbyStackOf(scope: Construct, region: string): Stack {
  const primary = Stack.of(scope);
  const stage = Stage.of(primary);
  if (!stage) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `stack ${primary.node.path} is not in an App or Stage, so drkit cannot add its standby stack`);
  }
  const id = `${primary.node.id}-standby-${region}`;
  const existing = stage.node.tryFindChild(id);
  if (existing) return existing as Stack;
  const standby = new Stack(stage, id, {
    env: { region, account: Token.isUnresolved(primary.account) ? undefined : primary.account },
    stackName: `${primary.stackName}-${primaryRegionOf(primary, `its standby stack in ${region}`)}-standby-${region}`,
    description: `drkit: standby replicas in ${region} for ${primary.stackName}`,
    terminationProtection: true,
  });
  addStackDependency(standby, primary, `drkit: the replicas in ${region} need their sources in ${primary.stackName}`);
  return standby;
}

function newKey(scope: Construct, description: string): kms.Key {
  return new kms.Key(scope, 'Key', { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
}

/**
 * A KMS-encrypted topic CloudWatch alarms of this account can publish to: its topic policy
 * (which replaces SNS's default policy) allows cloudwatch.amazonaws.com for the alarms of this
 * account and region, and its key lets CloudWatch generate and decrypt data keys.
 */
function newTopic(scope: Construct, id: string, description: string): sns.Topic {
  const holder = new Construct(scope, id);
  const key = new kms.Key(holder, 'Key', { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(holder, 'Topic', { masterKey: key, enforceSSL: true, displayName: description.slice(0, 100) });
  allowTopicPublisher(topic, TopicPublisher.CLOUDWATCH);
  return topic;
}
