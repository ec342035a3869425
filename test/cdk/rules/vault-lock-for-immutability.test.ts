import { backupOf, ctxOf, objectiveJson } from './helpers';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';
import { vaultLockForImmutability } from '../../../lib/cdk/rules/vault-lock-for-immutability';

const table = (immutability: string) => ({
  Type: 'AWS::DynamoDB::Table',
  Metadata: { 'drkit:objective': objectiveJson({ immutability }) },
});
const ref = [{ 'Fn::GetAtt': ['T', 'Arn'] }];
const run = (resources: any) => vaultLockForImmutability(ctxOf({ Resources: resources }, 'T'));

describe('vault-lock-for-immutability', () => {
  test('Noncompliance 1: governance asked, vault has no LockConfiguration', () => {
    const out = run({ T: table('governance'), ...backupOf(ref) });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toBe('objective "test" of T asks for governance immutability: vault Vault has no LockConfiguration');
  });

  test('Noncompliance 2: compliance asked, vault locked in governance mode', () => {
    const out = run({ T: table('compliance'), ...backupOf(ref, { lock: { MinRetentionDays: 7 } }) });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('governance mode (no ChangeableForDays)');
  });

  test('Noncompliance 3: immutability asked, no selection picks the resource', () => {
    const out = run({ T: table('compliance') });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('no AWS Backup selection');
  });

  test('Noncompliance 4: the plan targets a vault not defined in the template', () => {
    const b = backupOf(ref);
    b.Plan.Properties.BackupPlan.BackupPlanRule[0].TargetBackupVault = 'Default';
    delete b.Vault;
    const out = run({ T: table('governance'), ...b });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('vault "Default" (selection Selection) is not defined in the template');
  });

  test('Compliance: governance lock for governance, compliance lock for compliance, literal vault name resolved', () => {
    expect(run({ T: table('governance'), ...backupOf(ref, { lock: { MinRetentionDays: 7 } }) }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ T: table('compliance'), ...backupOf(ref, { lock: { MinRetentionDays: 7, ChangeableForDays: 3 } }) }).compliance)
      .toBe(RuleCompliance.COMPLIANT);
    const b = backupOf(ref, { lock: { MinRetentionDays: 7 }, vaultName: 'named' });
    b.Plan.Properties.BackupPlan.BackupPlanRule[0].TargetBackupVault = 'named';
    expect(run({ T: table('governance'), ...b }).compliance).toBe(RuleCompliance.COMPLIANT);
  });

  test('Compliance: an S3 bucket under Object Lock default retention of the mode asked (compliance satisfies governance)', () => {
    const bucket = (mode: string, immutability: string) => ({
      Type: 'AWS::S3::Bucket',
      Metadata: { 'drkit:objective': objectiveJson({ immutability }) },
      Properties: { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: 30 } } } },
    });
    expect(run({ T: bucket('GOVERNANCE', 'governance') }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ T: bucket('COMPLIANCE', 'governance') }).compliance).toBe(RuleCompliance.COMPLIANT);
    const weaker = run({ T: bucket('GOVERNANCE', 'compliance') });
    expect(weaker.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(weaker.reason).toContain('(and the bucket has no S3 Object Lock default retention of that mode)');
  });

  test('Not applicable: no objective, or immutability none', () => {
    expect(run({ T: { Type: 'AWS::DynamoDB::Table' } }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
    expect(run({ T: table('none') }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
