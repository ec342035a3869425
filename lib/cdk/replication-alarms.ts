import { Annotations, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowTopicPublisher, ReplicationAlarmTopic, TopicPublisher } from './replication-alarm-topic';
import { Facts } from '../core/catalog';
import {
  metricsInsightsQuotaWarning, ReplicationAlarmMetric, replicationAlarmChunk, replicationAlarmQuery, replicationAlarmSpec,
  replicationChunkRuleId, replicationGroupRuleId, seriesQuotaWarning,
} from '../core/replication-alarms';

/** What a replicated bucket asks the stack's replication alarms to watch. (Internal.) */
export interface ReplicationWatchOptions {
  /** Region of the replica (where S3 publishes `ReplicationLatency`). */
  readonly replicaRegion: string;
  /**
   * The stack in the replica's region that holds the latency alarm (the source's stack for a
   * same-region replica).
   * @default - no latency alarm (a destination in another account: the documentation does not say in which account S3 publishes its `ReplicationLatency`)
   */
  readonly replicaStack?: Stack;
  /** Alarm on latency above this many seconds (the region-outage RPO). */
  readonly latencyThresholdSeconds: number;
  /** The topic of the source's region (the bucket's `alarmTopic`, or the stack's shared topic). */
  readonly topic: sns.ITopic;
  /** Whether `topic` is the user's `alarmTopic` (not the stack's shared topic). */
  readonly userTopic: boolean;
}

/** The rule ID the bucket's replication rule must carry, and the alarms that watch it. (Internal.) */
export interface ReplicationWatch {
  /** Rule ID of the bucket's replication rule: the alarms' queries select it. */
  readonly ruleId: string;
  /** Metrics Insights alarm on `OperationsFailedReplication`, in the source's region. */
  readonly failedAlarm: cloudwatch.CfnAlarm;
  /** Metrics Insights alarm on `ReplicationLatency`, in the replica's region (none without `replicaStack`). */
  readonly latencyAlarm?: cloudwatch.CfnAlarm;
  /** The topic the latency alarm notifies (in the replica's region). */
  readonly latencyTopic?: sns.ITopic;
}

interface Group {
  members: number;
  readonly watches: Map<number, ReplicationWatch>;
}

/** Metrics Insights alarms drkit declared per app and account/region. */
const MI_ALARMS = new WeakMap<Construct, Map<string, number>>();

/**
 * The replication alarms of a stack: two CloudWatch Metrics Insights alarms per replica region,
 * RPO and alarm topic, whatever the number of buckets (internal: not exported from the package).
 * See `lib/core/replication-alarms.ts` for the query and the quotas.
 *
 * - `OperationsFailedReplication` (Sum over 5 minutes, above 0) in the source's stack, since S3
 *   publishes it in the source's region;
 * - `ReplicationLatency` (Maximum over 1 minute, above the RPO) in the replica region's stack
 *   (`SecondaryRegionStack`), since S3 publishes it in the destination's region, notifying a
 *   topic there (an alarm notifies topics of its own region).
 */
export class ReplicationAlarms extends Construct {
  /** Construct id of the singleton in its stack (part of its alarms' logical IDs). */
  public static readonly ID = 'DrkitReplicationWatch';

  /**
   * Adds a replication rule of `scope`'s stack to the stack's alarms and returns the rule ID its
   * replication rule must carry.
   */
  public static watch(scope: Construct, options: ReplicationWatchOptions): ReplicationWatch {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ReplicationAlarms.ID) as ReplicationAlarms | undefined;
    return (existing ?? new ReplicationAlarms(stack, ReplicationAlarms.ID)).add(scope, options);
  }

  private readonly groups = new Map<string, Group>();

  private constructor(scope: Stack, id: string) {
    super(scope, id);
  }

  private add(scope: Construct, options: ReplicationWatchOptions): ReplicationWatch {
    const stack = Stack.of(this);
    const replicaStack = options.replicaStack;
    const latencyTopic = replicaStack ? latencyTopicOf(scope, options, replicaStack) : undefined;
    const base = replicationGroupRuleId({
      stackName: stack.stackName,
      region: stack.region,
      replicaRegion: options.replicaRegion,
      latencyThresholdSeconds: options.latencyThresholdSeconds,
      topic: `${options.topic.node.path} ${latencyTopic?.node.path ?? '-'}`,
    });
    let group = this.groups.get(base);
    if (!group) this.groups.set(base, group = { members: 0, watches: new Map() });
    const chunk = replicationAlarmChunk(group.members++);
    const known = group.watches.get(chunk);
    if (known) return known;

    const ruleId = replicationChunkRuleId(base, chunk);
    if (chunk > 0) Annotations.of(scope).addWarningV2('drkit:replication-alarm-series', seriesQuotaWarning(base, chunk));
    const suffix = ruleId.slice(ruleId.indexOf('-replicate-') + '-replicate-'.length);
    const failedAlarm = miAlarm(this, `Failed${suffix}`, ReplicationAlarmMetric.OPERATIONS_FAILED, ruleId, options, options.topic,
      `drkit: objects failed to replicate from stack ${stack.stackName} to ${options.replicaRegion} (replication rules ${ruleId}; one contributor per bucket pair)`);
    allowTopicPublisher(options.topic, TopicPublisher.CLOUDWATCH);
    let latencyAlarm: cloudwatch.CfnAlarm | undefined;
    if (replicaStack && latencyTopic) {
      allowTopicPublisher(latencyTopic, TopicPublisher.CLOUDWATCH);
      // The replica region's stack belongs to this stack (SecondaryRegionStack), so one holder there.
      const holder = replicaStack === stack ? this
        : (replicaStack.node.tryFindChild(ReplicationAlarms.ID) as Construct | undefined) ?? new Construct(replicaStack, ReplicationAlarms.ID);
      latencyAlarm = miAlarm(holder, `Latency${suffix}`, ReplicationAlarmMetric.LATENCY, ruleId, options, latencyTopic,
        `drkit: replication from stack ${stack.stackName} to ${options.replicaRegion} is later than the RPO (${options.latencyThresholdSeconds} s; replication rules ${ruleId}; one contributor per bucket pair)`);
    }
    const watch: ReplicationWatch = { ruleId, failedAlarm, latencyAlarm, latencyTopic };
    group.watches.set(chunk, watch);
    return watch;
  }
}

/**
 * The topic of the latency alarm, in the replica's region: the bucket's topic when it is in
 * that region, else the shared `DrkitReplicationAlarms` topic of the replica region's stack.
 */
function latencyTopicOf(scope: Construct, options: ReplicationWatchOptions, replicaStack: Stack): sns.ITopic {
  const topic = options.topic;
  const topicRegion = topic.env.region;
  if (!Token.isUnresolved(topicRegion) && topicRegion === replicaStack.region) return topic;
  const shared = ReplicationAlarmTopic.of(replicaStack, [TopicPublisher.CLOUDWATCH]).topic;
  if (options.userTopic) {
    Annotations.of(scope).addWarningV2('drkit:replication-latency-topic',
      `the replication latency of ${scope.node.path} is alarmed in ${replicaStack.region}, where S3 publishes ReplicationLatency (${Facts.S3_REPLICATION_METRIC_REGIONS.source}), `
      + `and an alarm notifies topics of its own region, so it goes to topic ${shared.node.path}, not to \`alarmTopic\` ${topic.node.path}: subscribe to it too`);
  }
  return shared;
}

function miAlarm(
  scope: Construct, id: string, metric: ReplicationAlarmMetric, ruleId: string, options: ReplicationWatchOptions,
  topic: sns.ITopic, description: string,
): cloudwatch.CfnAlarm {
  const spec = replicationAlarmSpec(metric, options.latencyThresholdSeconds);
  const alarm = new cloudwatch.CfnAlarm(scope, id, {
    alarmDescription: description,
    metrics: [{ id: 'q', expression: replicationAlarmQuery(metric, ruleId), period: spec.periodSeconds, returnData: true }],
    comparisonOperator: 'GreaterThanThreshold',
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmActions: [topic.topicArn],
  });
  countMetricsInsightsAlarm(alarm);
  return alarm;
}

/** Counts the app's Metrics Insights alarms per account and region, and warns past the default quota. */
function countMetricsInsightsAlarm(alarm: cloudwatch.CfnAlarm): void {
  const stack = Stack.of(alarm);
  const root = Stage.of(stack)?.node.root ?? stack.node.root;
  let counts = MI_ALARMS.get(root);
  if (!counts) MI_ALARMS.set(root, counts = new Map());
  const account = Token.isUnresolved(stack.account) ? 'the deploying account' : `account ${stack.account}`;
  const where = `${account}, region ${stack.region}`;
  const n = (counts.get(where) ?? 0) + 1;
  counts.set(where, n);
  if (n > Facts.CLOUDWATCH_MI_ALARMS_PER_REGION) Annotations.of(alarm).addWarningV2('drkit:metrics-insights-alarm-quota', metricsInsightsQuotaWarning(n, where));
}
