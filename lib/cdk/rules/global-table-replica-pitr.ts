import { compliant, nonCompliant, notApplicable, RuleContext, RuleOutcome } from './rule';
import { isTrue, literal } from '../../core/evaluate/cfn';

/**
 * Every replica of a DynamoDB global table (`AWS::DynamoDB::GlobalTable`, CDK's TableV2) has
 * point-in-time recovery on. PITR is set per replica and not synchronized between replicas;
 * cdk-nag's DynamoDB PITR rule only reads `AWS::DynamoDB::Table`.
 */
export function globalTableReplicaPitr(ctx: RuleContext): RuleOutcome {
  if (ctx.resource?.Type !== 'AWS::DynamoDB::GlobalTable') return notApplicable();
  const replicas = ctx.resource.Properties?.Replicas;
  if (!Array.isArray(replicas) || replicas.length === 0) {
    return nonCompliant(`global table ${ctx.logicalId} has no literal list of replicas, so point-in-time recovery cannot be checked`);
  }
  const missing = replicas
    .filter(r => !isTrue(r?.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled))
    .map(r => literal(r?.Region) ?? '<stack region>');
  if (missing.length === 0) return compliant();
  return nonCompliant(`global table ${ctx.logicalId} has replicas without point-in-time recovery: ${missing.join(', ')}`);
}
