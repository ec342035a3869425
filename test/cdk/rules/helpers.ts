import { RuleContext } from '../../../lib/cdk/rules/rule';

/** A rule context for `logicalId` of a hand-written template (region us-east-1, account 111111111111). */
export function ctxOf(template: any, logicalId: string, extra: Partial<RuleContext> = {}): RuleContext {
  return {
    stackName: 'Test',
    logicalId,
    resource: template.Resources[logicalId],
    template,
    region: 'us-east-1',
    account: '111111111111',
    ...extra,
  };
}

/** A backup plan, its vault and a selection with `resources` (and optional tags). */
export function backupOf(resources: any[], options: { listOfTags?: any[]; lock?: any; vaultName?: string } = {}): any {
  return {
    Vault: {
      Type: 'AWS::Backup::BackupVault',
      Properties: { BackupVaultName: options.vaultName ?? 'vault', ...(options.lock ? { LockConfiguration: options.lock } : {}) },
    },
    Plan: {
      Type: 'AWS::Backup::BackupPlan',
      Properties: { BackupPlan: { BackupPlanName: 'plan', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' } }] } },
    },
    Selection: {
      Type: 'AWS::Backup::BackupSelection',
      Properties: {
        BackupPlanId: { Ref: 'Plan' },
        BackupSelection: { SelectionName: 'sel', IamRoleArn: 'arn:aws:iam::111111111111:role/r', Resources: resources, ListOfTags: options.listOfTags },
      },
    },
  };
}

/** The objective JSON drkit records in `drkit:objective` metadata. */
export function objectiveJson(overrides: any = {}): any {
  return {
    name: 'test',
    rpoSeconds: 3600,
    rtoSeconds: 14400,
    disruptions: [
      { disruption: 'corruption', rpoSeconds: 3600, rtoSeconds: 14400 },
      { disruption: 'region', rpoSeconds: 3600, rtoSeconds: 14400 },
    ],
    retention: { pointInTimeDays: 35, daily: 7 },
    immutability: 'none',
    ...overrides,
  };
}
