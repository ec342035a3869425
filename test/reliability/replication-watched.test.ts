import { ORDER_APPS, synthStacks } from './apps';
import { Disruption } from '../../lib/core';

/**
 * Replication that is watched where its metrics are. S3 publishes `ReplicationLatency` in the
 * destination bucket's region and `OperationsFailedReplication` in the source bucket's
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html), and an alarm sees only
 * metrics of its own region. For every replication rule with Replication Time Control in every
 * app (examples/cdk and the reliability fixtures, `apps.ts`), this test reads the synthesized
 * templates and checks:
 *
 * - a stack of the source's region has an alarm whose Metrics Insights query sums
 *   `OperationsFailedReplication` over the rule's ID, with an action;
 * - unless the destination is in another account, a stack of the destination's region has an
 *   alarm whose query takes the maximum `ReplicationLatency` over the rule's ID, above at most
 *   the region-outage RPO, with an action (alarm-topics.test.ts checks that the action's topic
 *   lets CloudWatch publish);
 * - and no replication alarm selects a rule ID that no rule carries.
 */

const expressionOf = (alarm: any): string => String(alarm.Properties?.Metrics?.[0]?.Expression ?? '');

describe('every replication rule with RTC is watched in the regions where S3 publishes its metrics', () => {
  test.each(ORDER_APPS.map(a => [a.name, a] as const))('%s', (_name, a) => {
    const stacks = synthStacks(a.build());
    const alarms = stacks.flatMap(s => Object.values<any>(s.template.Resources ?? {})
      .filter(r => r.Type === 'AWS::CloudWatch::Alarm').map(alarm => ({ region: s.region, alarm })));
    const problems: string[] = [];
    const ruleIds = new Set<string>();
    let rules = 0;
    for (const s of stacks) {
      for (const [id, r] of Object.entries<any>(s.template.Resources ?? {})) {
        if (r.Type !== 'AWS::S3::Bucket') continue;
        for (const rule of r.Properties?.ReplicationConfiguration?.Rules ?? []) {
          ruleIds.add(rule.Id);
          if (rule.Destination?.ReplicationTime?.Status !== 'Enabled') continue;
          rules++;
          const where = `${s.stackName}/${id} rule ${rule.Id}`;
          const selects = (metric: string, region: string) => alarms.filter(x => x.region === region
            && expressionOf(x.alarm).includes(`(${metric})`) && expressionOf(x.alarm).includes(`WHERE RuleId = '${rule.Id}'`)
            && (x.alarm.Properties.AlarmActions ?? []).length > 0);
          if (selects('OperationsFailedReplication', s.region).length !== 1) {
            problems.push(`${where}: no alarm with an action on OperationsFailedReplication in ${s.region}, where S3 publishes it`);
          }
          if (rule.Destination.Account !== undefined) continue;
          const replicaRegion = r.Metadata?.['drkit:replica-region'];
          const latency = selects('ReplicationLatency', replicaRegion);
          // The objective as recorded on the bucket (when the metadata carries its JSON).
          const objective = r.Metadata?.['drkit:objective'];
          const rpo = Array.isArray(objective?.disruptions)
            ? objective.disruptions.find((t: any) => t.disruption === Disruption.REGION_OUTAGE)?.rpoSeconds : undefined;
          if (latency.length !== 1) problems.push(`${where}: no alarm with an action on ReplicationLatency in ${replicaRegion}, where S3 publishes it`);
          else if (rpo !== undefined && latency[0].alarm.Properties.Threshold > rpo) problems.push(`${where}: the latency alarm's threshold is above the RPO ${rpo} s`);
        }
      }
    }
    for (const { alarm } of alarms) {
      const m = /^SELECT \w+\((ReplicationLatency|OperationsFailedReplication)\) .* WHERE RuleId = '([^']+)'/.exec(expressionOf(alarm));
      if (m && !ruleIds.has(m[2])) problems.push(`an alarm selects rule ID ${m[2]}, which no replication rule carries: it watches nothing`);
    }
    expect(problems).toEqual([]);
    if (a.name.startsWith('examples/cdk')) expect(rules).toBeGreaterThan(0);
  });
});
