// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as pulumi from '@pulumi/pulumi';
import { sharedAlarmTopic } from './alarm-topic';
import { providerKey, providerOpts, sharedInRun, sharedName } from './shared';
import {
  ReplicationAlarmMetric, replicationAlarmChunk, replicationAlarmQuery, replicationAlarmSpec, replicationChunkRuleId, replicationGroupRuleId,
  seriesQuotaWarning,
} from '../../core/replication-alarms';

/** The rule ID a bucket's replication rule carries and the shared alarm that watches it. @internal */
export interface SharedReplicationWatch {
  /** ID of the bucket's replication rule: the alarm's query selects it. */
  readonly ruleId: string;
  /** The Metrics Insights alarm on `ReplicationLatency`, in the replica's region. */
  readonly latencyAlarm: cloudwatch.MetricAlarm;
  /** ARN of the topic it notifies (the replica region's shared alarm topic). */
  readonly topicArn: pulumi.Output<string>;
}

interface Group {
  members: number;
  readonly alarms: Map<number, SharedReplicationWatch>;
}

/**
 * The replication latency alarm shared by every drkit bucket of this Pulumi stack replicating
 * from `region` to `replicaRegion` with the same RPO (per AWS provider), as the CDK constructs
 * share one per stack: one CloudWatch Metrics Insights alarm in the replica's region (where S3
 * publishes `ReplicationLatency`) that selects the buckets' rules by their shared rule ID, one
 * contributor per bucket pair, notifying the replica region's shared alarm topic. A failed
 * replication is reported per object by the `s3:Replication:OperationFailedReplication` event,
 * so, as before, the Pulumi component has no `OperationsFailedReplication` alarm. Past 500
 * buckets (a query's 500 time series), a further rule ID and alarm (`-2`). @internal
 */
export function sharedReplicationWatch(
  region: string, replicaRegion: string, latencyThresholdSeconds: number, provider: pulumi.ProviderResource | undefined, scope: pulumi.Resource,
): SharedReplicationWatch {
  const groupKey = `replication-watch|${providerKey(provider)}|${region}|${replicaRegion}|${latencyThresholdSeconds}`;
  const group = sharedInRun(groupKey, (): Group => ({ members: 0, alarms: new Map() }));
  const base = replicationGroupRuleId({
    stackName: `${pulumi.getProject()}/${pulumi.getStack()}`,
    region,
    replicaRegion,
    latencyThresholdSeconds,
    topic: sharedName(['drkit-alarms', replicaRegion, providerKey(provider)]),
  });
  const chunk = replicationAlarmChunk(group.members++);
  const known = group.alarms.get(chunk);
  if (known) return known;
  if (chunk > 0) void pulumi.log.warn(`drkit: ${seriesQuotaWarning(base, chunk)}`, scope);
  const ruleId = replicationChunkRuleId(base, chunk);
  const topic = sharedAlarmTopic(replicaRegion, provider);
  const spec = replicationAlarmSpec(ReplicationAlarmMetric.LATENCY, latencyThresholdSeconds);
  const name = sharedName(['drkit-replication-latency', region, 'to', replicaRegion, `${latencyThresholdSeconds}s`, providerKey(provider)])
    + (chunk > 0 ? `-${chunk + 1}` : '');
  const latencyAlarm = new cloudwatch.MetricAlarm(name, {
    region: replicaRegion,
    alarmDescription: `drkit: replication from ${region} to ${replicaRegion} is later than the RPO (${latencyThresholdSeconds} s; replication rules ${ruleId}; one contributor per bucket pair)`,
    metricQueries: [{ id: 'q', expression: replicationAlarmQuery(ReplicationAlarmMetric.LATENCY, ruleId), period: spec.periodSeconds, returnData: true }],
    comparisonOperator: 'GreaterThanThreshold',
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmActions: [topic.topic.arn],
  }, { ...providerOpts(provider), dependsOn: [topic.policy] });
  const watch = { ruleId, latencyAlarm, topicArn: topic.topic.arn };
  group.alarms.set(chunk, watch);
  return watch;
}
