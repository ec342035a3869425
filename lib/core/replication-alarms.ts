import * as crypto from 'crypto';
import { Facts } from './catalog';
import { S3_REPLICATION_RULE_ID } from './plan-s3';

/**
 * Replication alarms per stack, not per bucket (internal: not exported from the package).
 *
 * Every replication rule drkit writes in one stack, to one replica region, with one latency
 * threshold and one alarm topic, shares one rule ID, `drkit-replicate-<hash>`. One CloudWatch
 * Metrics Insights alarm per metric then watches all of them:
 *
 *     SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket)
 *     WHERE RuleId = 'drkit-replicate-<hash>' GROUP BY SourceBucket, DestinationBucket ORDER BY MAX() DESC
 *
 * Each source/destination pair is one time series, a contributor of the alarm. The rule ID is the
 * filter because the query language's `WHERE` takes only `=`, `!=` and `AND` (no list of bucket
 * names), and the rule ID is the one dimension drkit chooses. The hash is of the stack's name and
 * region, the replica region, the threshold and the topic: another stack's rules, and other
 * thresholds, never join the alarm.
 *
 * Quotas (lib/core/catalog.ts): at most 500 time series per query, so the 501st rule of a group
 * starts a second rule ID and a second pair of alarms (`-2` suffix); one stack cannot reach it
 * (CloudFormation's 500 resources per stack, and a bucket is at least its key, bucket and
 * policy), so this only guards a raised resource limit. 200 Metrics Insights alarms per account
 * and Region by default: drkit counts its own per app and warns past it.
 */

/** The metrics drkit alarms on. (Internal.) */
export enum ReplicationAlarmMetric {
  /** Seconds the destination is behind the source, published in the destination's region. */
  LATENCY = 'ReplicationLatency',
  /** Operations that failed to replicate, published in the source's region. */
  OPERATIONS_FAILED = 'OperationsFailedReplication',
}

/** What one group of replication rules shares. (Internal.) */
export interface ReplicationAlarmGroupKey {
  /** Name of the source stack (or Pulumi project/stack). */
  readonly stackName: string;
  /** Region of the sources. */
  readonly region: string;
  /** Region of the replicas. */
  readonly replicaRegion: string;
  /** The latency threshold, in seconds (the region-outage RPO). */
  readonly latencyThresholdSeconds: number;
  /** Identity of the topic(s) the alarms notify (a construct path, or a name). */
  readonly topic: string;
}

/** The base rule ID of a group: `drkit-replicate-<10 hex digits>`. (Internal.) */
export function replicationGroupRuleId(key: ReplicationAlarmGroupKey): string {
  const seed = [key.stackName, key.region, key.replicaRegion, String(key.latencyThresholdSeconds), key.topic].join('|');
  return `${S3_REPLICATION_RULE_ID}-${crypto.createHash('sha256').update(seed).digest('hex').slice(0, 10)}`;
}

/**
 * Which alarm (0, 1, ...) watches the `index`-th rule of a group: a query returns at most
 * `maxSeries` time series. (Internal.)
 */
export function replicationAlarmChunk(index: number, maxSeries: number = Facts.CLOUDWATCH_MI_MAX_SERIES_PER_QUERY): number {
  return Math.floor(index / maxSeries);
}

/** The rule ID of a group's `chunk`-th alarm: the base ID, then `-2`, `-3`, ... (Internal.) */
export function replicationChunkRuleId(baseRuleId: string, chunk: number): string {
  return chunk === 0 ? baseRuleId : `${baseRuleId}-${chunk + 1}`;
}

/** The Metrics Insights query of an alarm on `metric` over the rules named `ruleId`. (Internal.) */
export function replicationAlarmQuery(metric: ReplicationAlarmMetric, ruleId: string): string {
  const fn = metric === ReplicationAlarmMetric.LATENCY ? 'MAX' : 'SUM';
  const query = `SELECT ${fn}(${metric}) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) `
    + `WHERE RuleId = '${ruleId}' GROUP BY SourceBucket, DestinationBucket ORDER BY ${fn}() DESC`;
  if (query.length > Facts.CLOUDWATCH_ALARM_EXPRESSION_MAX_CHARS) {
    // A rule ID is drkit's own, fixed length: this cannot happen; it guards a change of the format.
    throw new Error(`internal: the Metrics Insights query "${query}" is longer than ${Facts.CLOUDWATCH_ALARM_EXPRESSION_MAX_CHARS} characters`);
  }
  return query;
}

/** The alarm settings of `metric`, the same in CDK and Pulumi. (Internal.) */
export interface ReplicationAlarmSpec {
  /** Seconds per data point. */
  readonly periodSeconds: number;
  /** Alarm when the value is greater than this. */
  readonly threshold: number;
  /** CloudWatch's `TreatMissingData`: S3's documentation asks for `ignore` on replication metrics. */
  readonly treatMissingData: string;
  /** Data points to evaluate. */
  readonly evaluationPeriods: number;
}

/** The alarm settings of `metric` for a latency threshold (seconds). (Internal.) */
export function replicationAlarmSpec(metric: ReplicationAlarmMetric, latencyThresholdSeconds: number): ReplicationAlarmSpec {
  // period x evaluation periods stays within the 3 hours a Metrics Insights alarm evaluates.
  return metric === ReplicationAlarmMetric.LATENCY
    ? { periodSeconds: 60, threshold: latencyThresholdSeconds, treatMissingData: 'ignore', evaluationPeriods: 1 }
    : { periodSeconds: 300, threshold: 0, treatMissingData: 'ignore', evaluationPeriods: 1 };
}

/**
 * The warning when an app declares more Metrics Insights alarms in one account and region than
 * CloudWatch's default quota. (Internal.)
 */
export function metricsInsightsQuotaWarning(count: number, where: string): string {
  return `drkit declares ${count} CloudWatch Metrics Insights alarms (replication alarms) in ${where}, above the default quota of `
    + `${Facts.CLOUDWATCH_MI_ALARMS_PER_REGION} per account and Region ("A default of 200 alarms using the Metrics Insights query per account per Region", `
    + `${Facts.CLOUDWATCH_ALARM_LIMITS_SOURCE}): creating the alarms past it fails the deployment. Request a higher quota, or give the stacks' `
    + 'replicated buckets one alarm topic and one RPO each (drkit declares two alarms per stack, replica region, RPO and topic)';
}

/** The warning when a group of rules spans more than one alarm. (Internal.) */
export function seriesQuotaWarning(ruleId: string, chunk: number): string {
  return `more than ${chunk * Facts.CLOUDWATCH_MI_MAX_SERIES_PER_QUERY} replication rules share the alarms of rule ID ${ruleId}: a Metrics Insights `
    + `query returns at most ${Facts.CLOUDWATCH_MI_MAX_SERIES_PER_QUERY} time series (${Facts.CLOUDWATCH_MI_LIMITS_SOURCE}), so these rules get rule ID `
    + `${replicationChunkRuleId(ruleId, chunk)} and a further pair of alarms`;
}
