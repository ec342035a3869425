// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as dynamodb from '@pulumi/aws/dynamodb';
import * as kms from '@pulumi/aws/kms';
import * as rds from '@pulumi/aws/rds';
import * as route53 from '@pulumi/aws/route53';
import * as pulumi from '@pulumi/pulumi';
import { sharedAlarmTopic } from './alarm-topic';
import { DynamoContinuousBackup } from './dynamo-continuous-backup';
import { standbyReport, StandbyReportEntry } from './report';
import { awsProviderOf } from './shared';
import { auroraLagAlarm } from '../../core/aurora-lag';
import { checkAwsRegion } from '../../core/aws-regions';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';
import { DrStrategy, FailoverDetection, StandbyData, StandbyDataKind, StandbyPlan, StandbyPlanner } from '../../core/standby';

/** Endpoints Route 53 fails over between. */
export interface StandbyEndpoints {
  /** Hosted zone id of the records. */
  readonly zoneId: pulumi.Input<string>;
  /** Record name, for example `app.example.com`. */
  readonly recordName: string;
  /** Domain name of the primary region's endpoint. */
  readonly primaryDomainName: string;
  /** Domain name of the standby region's endpoint. */
  readonly secondaryDomainName: string;
  /**
   * Path the HTTPS health checks request.
   * @default '/health'
   */
  readonly healthCheckPath?: string;
  /**
   * Port of the health checks.
   * @default 443
   */
  readonly port?: number;
  /**
   * Request interval in seconds: 10 or 30.
   * @default 30
   */
  readonly requestIntervalSeconds?: number;
  /**
   * Failures before unhealthy: 1-10.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * TTL of the records, in seconds.
   * @default 60
   */
  readonly ttlSeconds?: number;
}

/** A bucket replicated by drkit's CrossRegionReplicatedBucket (only its replica region is read). */
export interface ReplicatedBucketRef {
  /** Name, for messages and reports. */
  readonly name: string;
  /** Region of its replica. */
  readonly replicaRegion: string;
}

/** Arguments of {@link DrStandby}. */
export interface DrStandbyArgs {
  /** The objective: its region-outage RTO chooses the strategy; its RPO sets the lag alarms. */
  readonly objective: RecoveryObjective;
  /** The standby region. */
  readonly region: string;
  /**
   * The primary region, checked to differ from `region`.
   * @default - not checked
   */
  readonly primaryRegion?: string;
  /**
   * The strategy, when you choose it.
   * @default - the cheapest strategy whose RTO estimate meets the objective
   */
  readonly strategy?: DrStrategy;
  /**
   * DynamoDB tables kept in the standby region, each with a `ReplicationLatency` alarm. A
   * `DynamoContinuousBackup` whose `table.args.replicas` already holds the standby region
   * shares that replica (its plan counts it against a region outage, and drkit sets PITR and
   * deletion protection on it); any other table gets an `aws.dynamodb.TableReplica` (with
   * point-in-time recovery and deletion protection), which needs streams (NEW_AND_OLD_IMAGES).
   * @default - none
   */
  readonly tables?: Array<dynamodb.Table | DynamoContinuousBackup>;
  /**
   * RDS instances that get a cross-region read replica.
   * @default - none
   */
  readonly databaseInstances?: rds.Instance[];
  /**
   * Aurora clusters that become the primary of an Aurora global database.
   * @default - none
   */
  readonly databaseClusters?: rds.Cluster[];
  /**
   * Buckets already replicated (CrossRegionReplicatedBucket): reported, not replicated again.
   * @default - none
   */
  readonly replicatedBuckets?: ReplicatedBucketRef[];
  /**
   * Endpoints for Route 53 health checks and failover records.
   * @default - none: failover is manual
   */
  readonly endpoints?: StandbyEndpoints;
  /**
   * SNS topic (ARN) for the primary region's lag alarms.
   * @default - a KMS-encrypted topic drkit creates
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Instance class of replicas and secondary-cluster instances.
   * @default - the source's
   */
  readonly replicaInstanceClass?: pulumi.Input<string>;
  /**
   * DB subnet group in the standby region.
   * @default - the default VPC's
   */
  readonly replicaSubnetGroupName?: pulumi.Input<string>;
}

/**
 * The standby side in a second region, the same plan as the CDK construct `DrStandby`:
 * strategy chosen from the RTO (or given), DynamoDB table replicas, RDS read replicas,
 * Aurora global databases, Route 53 health checks and failover records, lag alarms.
 * An RTO estimate above the objective throws DRK011 at construction, naming the dominant term.
 */
export class DrStandby extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:DrStandby';

  /** The strategy and its estimate (plain JSON, known at construction). */
  public readonly plan: StandbyPlan;
  /**
   * Per data item kept in the standby region: region outage, the replication mechanism's RPO
   * and the strategy's failover estimate as RTO, with sources (from the core standby planner).
   */
  public readonly report: pulumi.Output<StandbyReportEntry[]>;
  /** Table replicas. */
  public readonly tableReplicas: dynamodb.TableReplica[] = [];
  /** Read replicas. */
  public readonly readReplicas: rds.Instance[] = [];
  /** Global clusters. */
  public readonly globalClusters: rds.GlobalCluster[] = [];
  /** Secondary clusters. */
  public readonly secondaryClusters: rds.Cluster[] = [];
  /** Health checks (primary, secondary). */
  public readonly healthChecks: route53.HealthCheck[] = [];
  /** Lag alarms. */
  public readonly alarms: cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: DrStandbyArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective || typeof (args.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `DrStandby ${name}: \`objective\` is required and must be a RecoveryObjective`);
    }
    if (!args.region || typeof args.region !== 'string') {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION, `DrStandby ${name}: \`region\` must be a region name such as "us-west-2"`);
    }
    checkAwsRegion('region', args.region, `DrStandby ${name}`);
    checkAwsRegion('primaryRegion', args.primaryRegion, `DrStandby ${name}`);
    if (args.primaryRegion === args.region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `DrStandby ${name}: \`region\` "${args.region}" is the primary region: a standby in the same region does not survive a region outage; choose another region`);
    }
    const data: StandbyData[] = [];
    const tables = (args.tables ?? []).map((t, i) => standbyTable(name, args.region, t, i));
    tables.forEach(t => data.push({ name: t.label, kind: StandbyDataKind.DYNAMODB_GLOBAL_TABLE }));
    (args.databaseInstances ?? []).forEach((_d, i) => data.push({ name: `${name} instance ${i}`, kind: StandbyDataKind.RDS_READ_REPLICA }));
    (args.databaseClusters ?? []).forEach((_d, i) => data.push({ name: `${name} cluster ${i}`, kind: StandbyDataKind.AURORA_GLOBAL_DATABASE }));
    for (const b of args.replicatedBuckets ?? []) {
      if (b.replicaRegion !== args.region) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `DrStandby ${name}: bucket ${b.name} replicates to ${b.replicaRegion}, but the standby is in ${args.region}: replicate it to ${args.region}`);
      }
      data.push({ name: b.name, kind: StandbyDataKind.S3_REPLICA });
    }
    const e = args.endpoints;
    const detection: FailoverDetection | undefined = e ? {
      requestIntervalSeconds: e.requestIntervalSeconds ?? 30,
      failureThreshold: e.failureThreshold ?? 3,
      ttlSeconds: e.ttlSeconds ?? 60,
    } : undefined;
    const plan = StandbyPlanner.plan(args.objective, { scopeName: name, data, detection, strategy: args.strategy });
    if ((args.databaseClusters ?? []).length > 0 && args.replicaInstanceClass === undefined
      && (plan.strategy === DrStrategy.WARM_STANDBY || plan.strategy === DrStrategy.HOT_STANDBY)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DrStandby ${name}: ${plan.strategy.title} runs instances in the secondary Aurora cluster: set \`replicaInstanceClass\` (for example "db.r6g.large")`);
    }
    super(DrStandby.TYPE, name, {}, opts);
    this.plan = plan;
    this.report = pulumi.output(standbyReport(plan, data));
    const provider = awsProviderOf(opts);
    const strategy = plan.strategy;
    const parent = { parent: this };
    const retained = { parent: this, retainOnDelete: true };
    const standbyRegion = { region: args.region };
    const rpo = plan.rpoSeconds;
    for (const a of plan.advisories) void pulumi.log.warn(`drkit: ${a}`, this);

    // Alarms go to your topic, or to the alarm topic drkit shares in each region.
    const topicIn = (region?: string): pulumi.Input<string> => args.alarmTopicArn ?? sharedAlarmTopic(region, provider).topic.arn;
    const topicOpts = (region?: string): pulumi.Resource[] => (args.alarmTopicArn === undefined ? [sharedAlarmTopic(region, provider).policy] : []);
    const alarm = (id: string, namespace: string, metricName: pulumi.Input<string>, dims: { [k: string]: pulumi.Input<string> }, threshold: number,
      region?: string, treatMissingData = namespace === 'AWS/RDS' ? 'breaching' : 'notBreaching') => {
      this.alarms.push(new cloudwatch.MetricAlarm(`${name}-${id}`, {
        ...(region ? { region } : {}),
        alarmDescription: pulumi.interpolate`drkit: ${metricName} exceeds the RPO (${rpo} s)`,
        namespace,
        metricName,
        dimensions: dims,
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData,
        alarmActions: [topicIn(region)],
      }, { parent: this, dependsOn: topicOpts(region) }));
    };

    // Tables: a replica in the standby region (shared with the DynamoContinuousBackup that
    // declares it, else created here when the strategy keeps live replicas), and its lag alarm.
    tables.forEach((t, i) => {
      if (!t.declaresReplica) {
        if (!strategy.liveReplicas) return;
        this.tableReplicas.push(new dynamodb.TableReplica(`${name}-table${i}-replica`, {
          ...standbyRegion,
          globalTableArn: t.table.arn,
          pointInTimeRecovery: true,
          deletionProtectionEnabled: true,
        }, retained));
      }
      const primary = t.region ?? args.primaryRegion;
      alarm(`table${i}-replication-latency`, 'AWS/DynamoDB', 'ReplicationLatency', { TableName: t.table.name, ReceivingRegion: args.region }, rpo * 1000, primary);
    });

    if (strategy.liveReplicas) {
      (args.databaseInstances ?? []).forEach((src, i) => {
        const key = new kms.Key(`${name}-instance${i}-replica-key`, { ...standbyRegion, description: `drkit: encrypts the standby replica ${i} of ${name}`, enableKeyRotation: true, deletionWindowInDays: 30 }, retained);
        const replica = new rds.Instance(`${name}-instance${i}-replica`, {
          ...standbyRegion,
          replicateSourceDb: src.arn,
          instanceClass: args.replicaInstanceClass ?? src.instanceClass,
          kmsKeyId: key.arn,
          storageEncrypted: true,
          dbSubnetGroupName: args.replicaSubnetGroupName,
          publiclyAccessible: false,
          deletionProtection: true,
          copyTagsToSnapshot: true,
          multiAz: strategy === DrStrategy.HOT_STANDBY ? true : undefined,
          skipFinalSnapshot: true,
        }, retained);
        this.readReplicas.push(replica);
        alarm(`instance${i}-replica-lag`, 'AWS/RDS', 'ReplicaLag', { DBInstanceIdentifier: replica.identifier }, rpo, args.region);
      });
      (args.databaseClusters ?? []).forEach((src, i) => {
        const global = new rds.GlobalCluster(`${name}-cluster${i}-global`, {
          globalClusterIdentifier: `${name}-cluster${i}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63),
          sourceDbClusterIdentifier: src.arn,
          forceDestroy: true,
          deletionProtection: true,
        }, retained);
        this.globalClusters.push(global);
        const key = new kms.Key(`${name}-cluster${i}-secondary-key`, { ...standbyRegion, description: `drkit: encrypts the secondary cluster ${i} of ${name}`, enableKeyRotation: true, deletionWindowInDays: 30 }, retained);
        const secondary = new rds.Cluster(`${name}-cluster${i}-secondary`, {
          ...standbyRegion,
          engine: src.engine,
          engineVersion: src.engineVersion,
          globalClusterIdentifier: global.id,
          storageEncrypted: true,
          kmsKeyId: key.arn,
          dbSubnetGroupName: args.replicaSubnetGroupName,
          deletionProtection: true,
          copyTagsToSnapshot: true,
          backupRetentionPeriod: Math.min(35, args.objective.retention.pointInTimeDays),
          skipFinalSnapshot: true,
        }, { ...retained, dependsOn: [global] });
        this.secondaryClusters.push(secondary);
        const count = strategy === DrStrategy.PILOT_LIGHT ? 0 : strategy === DrStrategy.WARM_STANDBY ? 1 : 2;
        for (let n = 1; n <= count; n++) {
          new rds.ClusterInstance(`${name}-cluster${i}-secondary-${n}`, {
            ...standbyRegion,
            clusterIdentifier: secondary.id,
            engine: src.engine as any,
            instanceClass: args.replicaInstanceClass!,
            publiclyAccessible: false,
          }, retained);
        }
        // The lag that tells the RPO (AuroraGlobalDBRPOLag where the engine version publishes
        // it), on the secondary cluster (published only there); a pilot light's headless
        // secondary may publish nothing, so missing data is missing there, a breach otherwise.
        const lag = pulumi.all([src.engine, src.engineVersion]).apply(([engine, version]) => auroraLagAlarm(strategy, engine, version));
        alarm(`cluster${i}-global-lag`, 'AWS/RDS', lag.metricName, { DBClusterIdentifier: secondary.clusterIdentifier }, rpo * 1000, args.region,
          auroraLagAlarm(strategy, undefined, undefined).treatMissingData);
      });
    }

    if (e) {
      const sides: Array<[string, string, string]> = [['primary', e.primaryDomainName, 'PRIMARY'], ['secondary', e.secondaryDomainName, 'SECONDARY']];
      for (const [label, domain, role] of sides) {
        const hc = new route53.HealthCheck(`${name}-${label}-health`, {
          type: 'HTTPS',
          fqdn: domain,
          port: e.port ?? 443,
          resourcePath: e.healthCheckPath ?? '/health',
          requestInterval: detection!.requestIntervalSeconds,
          failureThreshold: detection!.failureThreshold,
        }, parent);
        this.healthChecks.push(hc);
        new route53.Record(`${name}-${label}-record`, {
          zoneId: e.zoneId,
          name: e.recordName,
          type: 'CNAME',
          ttl: detection!.ttlSeconds,
          records: [domain],
          setIdentifier: label,
          healthCheckId: hc.id,
          ...(strategy.activeActive ? { weightedRoutingPolicies: [{ weight: 50 }] } : { failoverRoutingPolicies: [{ type: role }] }),
        }, parent);
      }
    }

    this.registerOutputs({
      strategy: strategy.id,
      estimate: plan.estimate,
      readReplicaArns: this.readReplicas.map(r => r.arn),
      secondaryClusterArns: this.secondaryClusters.map(c => c.arn),
    });
  }
}

/** A table of a standby: the table, and whether its protection already declares the standby replica. */
interface StandbyTable {
  readonly label: string;
  readonly table: dynamodb.Table;
  /** The table's region when known (a DynamoContinuousBackup's). */
  readonly region?: string;
  /** True when the DynamoContinuousBackup declares the replica in the standby region (in `table.args.replicas`). */
  readonly declaresReplica: boolean;
}

function standbyTable(name: string, region: string, t: dynamodb.Table | DynamoContinuousBackup, i: number): StandbyTable {
  if (t instanceof DynamoContinuousBackup) {
    const replicas = t.replicaRegions;
    if (replicas.length > 0 && !replicas.includes(region)) {
      // The provider manages a table's replicas either inline or as TableReplica resources, not both.
      throw new DrkitError(DrkitErrorCode.STANDBY_REPLICA_CONFLICT,
        `DrStandby ${name}: table ${i} (DynamoContinuousBackup ${t.plan.resourceName}) declares its replicas in \`table.args.replicas\` (${replicas.join(', ')}) but not in the standby region ${region}, and a table's replicas are managed either inline or as aws.dynamodb.TableReplica resources, never both: add { regionName: '${region}' } to its \`table.args.replicas\``);
    }
    if (t.tableRegion !== undefined && t.tableRegion === region) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `DrStandby ${name}: table ${i} (DynamoContinuousBackup ${t.plan.resourceName}) is in ${region}, the standby region: a standby in the same region does not survive a region outage; choose another region`);
    }
    return { label: `${name} table ${t.plan.resourceName}`, table: t.table, region: t.tableRegion, declaresReplica: replicas.includes(region) };
  }
  if (!dynamodb.Table.isInstance(t)) {
    throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
      `DrStandby ${name}: \`tables[${i}]\` must be an aws.dynamodb.Table or a DynamoContinuousBackup`);
  }
  return { label: `${name} table ${i}`, table: t, declaresReplica: false };
}
