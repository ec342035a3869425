import { compliant, nonCompliant, notApplicable, RuleContext, RuleOutcome } from './rule';

/**
 * The gaps of drkit's recovery report (computed from every synthesized template of the app)
 * on this resource: an objective not met for some disruption, or no restore point at all.
 * A resource without gaps is compliant when it carries a drkit objective, else not applicable.
 */
export function reportGaps(ctx: RuleContext): RuleOutcome {
  if (!ctx.reportGaps) return notApplicable();
  const mine = ctx.reportGaps.filter(g => g.stackName === ctx.stackName && g.logicalId === ctx.logicalId);
  if (mine.length > 0) {
    return nonCompliant(mine.map(g => `${g.problem}${g.disruption ? ` (${g.disruption})` : ''}; fix: ${g.fix}`).join(' | '));
  }
  return ctx.resource?.Metadata?.['drkit:objective'] !== undefined ? compliant() : notApplicable();
}
