import { objectiveOf, selectionsCovering, vaultsOfSelection } from './lookups';
import { compliant, nonCompliant, notApplicable, RuleContext, RuleOutcome } from './rule';
import { isTrue, literal, num } from '../../core/evaluate/cfn';

/**
 * Where the objective recorded on a resource (`drkit:objective` metadata) asks for immutable
 * restore points (`immutability` governance or compliance), every vault its AWS Backup plans
 * write to has a Vault Lock (`LockConfiguration`); compliance mode needs `ChangeableForDays`.
 * An S3 bucket may instead hold its objects under S3 Object Lock with a default retention of
 * that mode (compliance also satisfies governance).
 */
export function vaultLockForImmutability(ctx: RuleContext): RuleOutcome {
  const objective = objectiveOf(ctx.resource, ctx.template);
  const mode = objective?.immutability;
  if (!objective || mode === undefined || mode === 'none') return notApplicable();
  if (ctx.resource.Type === 'AWS::S3::Bucket' && isTrue(ctx.resource.Properties?.ObjectLockEnabled)) {
    const lockMode = literal(ctx.resource.Properties?.ObjectLockConfiguration?.Rule?.DefaultRetention?.Mode);
    if (lockMode === 'COMPLIANCE' || (lockMode === 'GOVERNANCE' && mode === 'governance')) return compliant();
  }
  const selections = selectionsCovering(ctx);
  if (selections.length === 0) {
    return nonCompliant(`objective "${objective.name}" of ${ctx.logicalId} asks for ${mode} immutability, but no AWS Backup selection in the stack picks the resource, so no locked vault holds its restore points${ctx.resource.Type === 'AWS::S3::Bucket' ? ' (and the bucket has no S3 Object Lock default retention of that mode)' : ''}`);
  }
  const problems: string[] = [];
  for (const sel of selections) {
    const vaults = vaultsOfSelection(ctx.template, sel);
    if (vaults.length === 0) problems.push(`selection ${sel} has no backup plan with a target vault in the template`);
    for (const v of vaults) {
      if (!v.logicalId) {
        problems.push(`vault "${v.name}" (selection ${sel}) is not defined in the template, so its lock cannot be checked`);
        continue;
      }
      const lock = ctx.template.Resources[v.logicalId].Properties?.LockConfiguration;
      if (!lock) {
        problems.push(`vault ${v.logicalId} has no LockConfiguration`);
      } else if (mode === 'compliance' && num(lock.ChangeableForDays) === undefined) {
        problems.push(`vault ${v.logicalId} is locked in governance mode (no ChangeableForDays), but the objective asks for compliance mode`);
      }
    }
  }
  if (problems.length === 0) return compliant();
  return nonCompliant(`objective "${objective.name}" of ${ctx.logicalId} asks for ${mode} immutability: ${problems.join('; ')}`);
}
