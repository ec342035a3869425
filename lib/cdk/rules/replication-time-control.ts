import { objectiveOf, objectiveRpoSeconds } from './lookups';
import { compliant, nonCompliant, notApplicable, RuleContext, RuleOutcome } from './rule';
import { Facts } from '../../core/catalog';
import { literal } from '../../core/evaluate/cfn';
import { formatSeconds } from '../../core/period';

/**
 * An S3 bucket whose objective (`drkit:objective` metadata) has a finite RPO for a region
 * outage replicates with S3 Replication Time Control and replication metrics on every enabled
 * rule: replication without RTC has no documented bound, so it cannot honestly meet an RPO.
 */
export function replicationTimeControl(ctx: RuleContext): RuleOutcome {
  if (ctx.resource?.Type !== 'AWS::S3::Bucket') return notApplicable();
  const objective = objectiveOf(ctx.resource, ctx.template);
  const rpo = objective ? objectiveRpoSeconds(objective, 'region') : undefined;
  if (rpo === undefined) return notApplicable();
  const rules: any[] = Array.isArray(ctx.resource.Properties?.ReplicationConfiguration?.Rules)
    ? ctx.resource.Properties.ReplicationConfiguration.Rules : [];
  const enabled = rules.filter(r => literal(r?.Status) === 'Enabled');
  if (enabled.length === 0) return notApplicable(); // no replication: stateful-resource-protected and the report's gaps speak
  const bad = enabled
    .filter(r => literal(r?.Destination?.ReplicationTime?.Status) !== 'Enabled' || literal(r?.Destination?.Metrics?.Status) !== 'Enabled')
    .map(r => literal(r?.Id) ?? '<unnamed rule>');
  if (bad.length > 0) {
    return nonCompliant(`bucket ${ctx.logicalId} must meet a region-outage RPO of ${formatSeconds(rpo)}, but replication rule(s) ${bad.join(', ')} lack Replication Time Control or metrics (${Facts.S3_RTC_RPO.source})`);
  }
  if (rpo < Facts.S3_RTC_MINUTES * 60) {
    return nonCompliant(`bucket ${ctx.logicalId} must meet a region-outage RPO of ${formatSeconds(rpo)}, but Replication Time Control replicates 99.99% of objects within ${Facts.S3_RTC_MINUTES} minutes (${Facts.S3_RTC_RPO.source})`);
  }
  return compliant();
}
