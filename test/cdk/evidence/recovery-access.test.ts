import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { vaultStack } from './helpers';
import { RecoveryAccess } from '../../../lib/cdk/evidence';
import { DrkitError, DrkitErrorCode } from '../../../lib/core';

/** Every statement of every IAM policy in the stack. */
function statements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(s: any): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

const FORBIDDEN = [
  'backup:DeleteRecoveryPoint',
  'backup:DeleteBackupVault',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:PutBackupVaultNotifications',
  'backup:UpdateRecoveryPointLifecycle',
  'backup:DisassociateRecoveryPoint',
  'backup:StartCopyJob',
];

const RECOVERY_POINTS = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-west-1:111111111111:recovery-point:*']],
};

describe('RecoveryAccess.grantRestoreOperator', () => {
  test('may restore from the vault with the restore role only; may not delete recovery points or change the vault', () => {
    const { stack, vault } = vaultStack();
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    RecoveryAccess.grantRestoreOperator(operator, vault, restoreRole);

    const st = statements(stack);
    const all = st.flatMap(actionsOf);
    for (const a of ['backup:StartRestoreJob', 'backup:DescribeRecoveryPoint', 'backup:ListRecoveryPointsByBackupVault',
      'backup:GetRecoveryPointRestoreMetadata', 'backup:DescribeBackupVault', 'backup:DescribeRestoreJob', 'iam:PassRole']) {
      expect(all).toContain(a);
    }
    for (const a of FORBIDDEN) expect(all).not.toContain(a);
    expect(all.filter(a => a.includes('*'))).toEqual([]);
    expect(new Set(all)).toEqual(new Set(RecoveryAccess.RESTORE_OPERATOR_ACTIONS));

    const vaultArn = { 'Fn::GetAtt': [expect.stringMatching(/^Vault/), 'BackupVaultArn'] };
    expect(st).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'],
        Resource: vaultArn,
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata', 'backup:StartRestoreJob'],
        Resource: RECOVERY_POINTS,
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['backup:DescribeRestoreJob', 'backup:ListRestoreJobs'],
        Resource: '*',
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RestoreRole/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      }),
    ]));
    // '*' resources only for the two actions that have no resource type
    const star = st.filter(s => s.Resource === '*');
    expect(star.flatMap(actionsOf).sort()).toEqual(['backup:DescribeRestoreJob', 'backup:ListRestoreJobs']);
  });
});

describe('RecoveryAccess.grantInventoryRead', () => {
  test('read-only: List, Describe and Get; vault-scoped where the service allows', () => {
    const { stack, vault } = vaultStack();
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    RecoveryAccess.grantInventoryRead(auditor, vault);
    const st = statements(stack);
    const all = st.flatMap(actionsOf);
    expect(new Set(all)).toEqual(new Set(RecoveryAccess.INVENTORY_READ_ACTIONS));
    for (const a of all) expect(a).toMatch(/^backup:(List|Describe|Get)[A-Za-z]+$/);
    expect(all).not.toContain('backup:StartRestoreJob');
    expect(all).not.toContain('iam:PassRole');
    for (const a of FORBIDDEN) expect(all).not.toContain(a);

    const byAction = (a: string) => st.find(s => actionsOf(s).includes(a));
    expect(byAction('backup:ListRecoveryPointsByBackupVault').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Vault/), 'BackupVaultArn'] });
    expect(byAction('backup:DescribeRecoveryPoint').Resource).toEqual(RECOVERY_POINTS);
    expect(byAction('backup:GetBackupPlan').Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-west-1:111111111111:backup-plan:*']],
    });
    expect(byAction('backup:ListBackupJobs').Resource).toBe('*');
  });

  test('without a vault: all vaults of the grantee\'s account and region', () => {
    const { stack } = vaultStack();
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    RecoveryAccess.grantInventoryRead(auditor);
    const st = statements(stack);
    const s = st.find(x => actionsOf(x).includes('backup:DescribeBackupVault'));
    expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-west-1:111111111111:backup-vault:*']] });
  });

  test('refuses a grantee outside the app without a vault', () => {
    let caught: unknown;
    try {
      RecoveryAccess.grantInventoryRead(new iam.AccountPrincipal('111111111111'));
    } catch (e) {
      caught = e;
    }
    expect(DrkitError.isDrkitError(caught)).toBe(true);
    expect((caught as DrkitError).code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect((caught as DrkitError).message).toMatch(/the grantee is not part of a CDK app .* pass the `vault` too/);
  });
});
