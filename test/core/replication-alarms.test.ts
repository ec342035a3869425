import { Facts } from '../../lib/core/catalog';
import {
  ReplicationAlarmMetric, replicationAlarmChunk, replicationAlarmQuery, replicationChunkRuleId, replicationGroupRuleId, seriesQuotaWarning,
} from '../../lib/core/replication-alarms';

const key = { stackName: 'Files', region: 'us-east-1', replicaRegion: 'us-west-2', latencyThresholdSeconds: 900, topic: 'Files/DrkitReplicationAlarms' };

describe('replication alarms per stack (core)', () => {
  test('the rule ID of a group is stable and differs per stack, region, replica region, threshold and topic', () => {
    const id = replicationGroupRuleId(key);
    expect(id).toMatch(/^drkit-replicate-[0-9a-f]{10}$/);
    expect(replicationGroupRuleId({ ...key })).toBe(id);
    for (const change of [{ stackName: 'Other' }, { region: 'eu-west-1' }, { replicaRegion: 'eu-west-1' }, { latencyThresholdSeconds: 3600 }, { topic: 'Files/Ops' }]) {
      expect(replicationGroupRuleId({ ...key, ...change })).not.toBe(id);
    }
  });

  test('the query selects the group by its rule ID, one time series per bucket pair, highest first', () => {
    expect(replicationAlarmQuery(ReplicationAlarmMetric.LATENCY, 'drkit-replicate-0123456789')).toBe(
      'SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) '
      + 'WHERE RuleId = \'drkit-replicate-0123456789\' GROUP BY SourceBucket, DestinationBucket ORDER BY MAX() DESC');
    expect(replicationAlarmQuery(ReplicationAlarmMetric.OPERATIONS_FAILED, 'x').length).toBeLessThanOrEqual(Facts.CLOUDWATCH_ALARM_EXPRESSION_MAX_CHARS);
  });

  test('past 500 time series per query, the rules of a group spread over further rule IDs and alarms (-2, -3, ...)', () => {
    expect(Facts.CLOUDWATCH_MI_MAX_SERIES_PER_QUERY).toBe(500);
    const base = replicationGroupRuleId(key);
    const ids = Array.from({ length: 1201 }, (_, i) => replicationChunkRuleId(base, replicationAlarmChunk(i)));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.entries()]).toEqual([[base, 500], [`${base}-2`, 500], [`${base}-3`, 201]]);
    expect(seriesQuotaWarning(base, 1)).toContain(`more than 500 replication rules share the alarms of rule ID ${base}`);
    expect(seriesQuotaWarning(base, 1)).toContain(`so these rules get rule ID ${base}-2 and a further pair of alarms`);
  });

  test('one stack cannot reach 500 rules: CloudFormation allows 500 resources and a replicated bucket is at least 3', () => {
    expect(Math.floor(Facts.CFN_MAX_RESOURCES_PER_STACK / 3)).toBeLessThan(Facts.CLOUDWATCH_MI_MAX_SERIES_PER_QUERY);
  });
});
