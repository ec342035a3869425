import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { caught, stackIn } from './helpers';
import { BackupAccountStack, DynamoContinuousBackup, ObjectiveBackup, ProtectedScope } from '../../../lib/cdk';
import { Disruption, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** Region outage and account compromise, governance lock (a trial can be cleaned up). */
const RANSOM = RecoveryObjective.of({
  name: 'ransom',
  rpo: Period.hours(2),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7, monthly: 6 }),
  immutability: Immutability.GOVERNANCE,
});

const LOCAL = RecoveryObjective.of({
  name: 'local',
  rpo: Period.hours(1),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 14 }),
});

describe('cross-account copies: the backup-account stack', () => {
  test('GIVEN a backupAccount THEN a stack for that account holds the named vault, its key, the copy-in policy and the lock', () => {
    const app = testApp();
    const stack = stackIn(app, 'Primary', 'us-east-1', '111111111111');
    const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });

    const target = app.node.findChild('drkit-backup-account-222222222222-us-east-1') as Stack;
    expect(BackupAccountStack.isBackupAccountStack(target)).toBe(true);
    expect(target.account).toBe('222222222222');
    expect(target.region).toBe('us-east-1');
    expect(stack.dependencies).toContain(target);
    const t = Template.fromStack(target);
    t.resourceCountIs('AWS::Backup::BackupVault', 1);
    t.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BackupVaultName: ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME,
        AccessPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] }),
            Match.objectLike({ Sid: 'AllowCopyIntoAccount111111111111', Effect: 'Allow', Action: 'backup:CopyIntoBackupVault', Principal: { AWS: Match.anyValue() } }),
          ]),
        }),
        LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 186 },
      }),
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowBackupKeyUseAccount111111111111',
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['backup.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        })]),
      }),
    });
    Annotations.fromStack(stack).hasInfo('/Primary/DrkitBackupRansom',
      Match.stringLikeRegexp('deploy stack drkit-backup-account-222222222222-us-east-1 there first.*isCrossAccountBackupEnabled=true.*create-cross-account-backup.html'));
    // the source vault key lets the backup account copy snapshots it encrypted
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowBackupAccountToCopyRecoveryPoints' })]) }),
    });
  });

  test('an organization id allows every account of the organization', () => {
    const app = testApp();
    const stack = stackIn(app);
    new ProtectedScope(stack, 'Protect', { objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222', organizationId: 'o-a1b2c3d4e5' });
    new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
    app.synth();
    const target = app.node.findChild('drkit-backup-account-222222222222-us-east-1') as Stack;
    Template.fromStack(target).hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: '*' }, Action: 'backup:CopyIntoBackupVault', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })]),
      }),
    });
  });

  test('a malformed organization id and a backup account equal to the stack account are refused', () => {
    const app = testApp();
    const stack = stackIn(app, 'Primary', 'us-east-1', '111111111111');
    expect(caught(() => ObjectiveBackup.of(stack, RANSOM, { secondaryRegion: 'us-west-2', backupAccount: '222222222222', organizationId: 'org' })).message)
      .toContain('`organizationId` must be an AWS Organizations id such as "o-a1b2c3d4e5", but got "org"');
    const app2 = testApp();
    const stack2 = stackIn(app2, 'Primary', 'us-east-1', '111111111111');
    const err = caught(() => ObjectiveBackup.of(stack2, RANSOM, { secondaryRegion: 'us-west-2', backupAccount: '111111111111' }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toContain('is the account of stack Primary: a copy in the same account does not survive its compromise');
  });
});

test('a source stack without a concrete account and no organization: the backup-account stack warns that copies will be refused', () => {
  const app = testApp();
  const stack = stackIn(app);
  const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
  new DynamoContinuousBackup(stack, 'Protect', { table, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });
  app.synth();
  const target = app.node.findChild('drkit-backup-account-222222222222-us-east-1') as Stack;
  Annotations.fromStack(target).hasWarning('/drkit-backup-account-222222222222-us-east-1/Vault',
    Match.stringLikeRegexp('allows no source account, so copy jobs into it will be refused'));
});

describe('logically air-gapped vault', () => {
  test('every rule also copies to the air-gapped vault, kept at least 7 days, no cold storage; the vault retention spans the copies', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    ObjectiveBackup.of(stack, LOCAL, { airGappedVault: true });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::Backup::LogicallyAirGappedBackupVault', {
      DeletionPolicy: 'Retain',
      Properties: { BackupVaultName: 'Primary-Local-airgapped', MinRetentionDays: 14, MaxRetentionDays: 14 },
    });
    Annotations.fromStack(stack).hasInfo('/Primary/DrkitBackupLocal/AirGappedVault', Match.stringLikeRegexp('AWS RAM.*logicallyairgappedvault.html'));
    const plan = Object.values<any>(t.findResources('AWS::Backup::BackupPlan'))[0];
    for (const rule of plan.Properties.BackupPlan.BackupPlanRule) {
      expect(rule.CopyActions).toEqual([{
        DestinationBackupVaultArn: { 'Fn::GetAtt': [expect.stringMatching(/^DrkitBackupLocalAirGappedVault/), 'BackupVaultArn'] },
        Lifecycle: { DeleteAfterDays: Math.max(7, rule.Lifecycle.DeleteAfterDays) },
      }]);
    }
  });

  test('a 1-day rule copies for the vault minimum of 7 days', () => {
    const app = testApp();
    const stack = stackIn(app);
    const short = RecoveryObjective.of({ name: 'short', rpo: Period.hours(3), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION], retention: Retention.of({ pointInTime: Period.days(1), daily: 1, monthly: 2 }) });
    new ProtectedScope(stack, 'Protect', { objective: short, airGappedVault: true });
    new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', { MinRetentionDays: 7, MaxRetentionDays: 62 });
  });
});

describe('runtime evidence on the shared backup', () => {
  test('default on: restore tests per protected type, framework from the plan, encrypted topic, dashboard alarm notifying it', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RecoveryPointSelection: Match.objectLike({ IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DrkitBackupLocalVault'), 'BackupVaultArn'] }] }),
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceType: 'DynamoDB', ProtectedResourceArns: ['*'] });
    t.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkControls: Match.arrayWith([
        Match.objectLike({ ControlName: 'BACKUP_LAST_RECOVERY_POINT_CREATED', ControlScope: { ComplianceResourceTypes: ['DynamoDB'] } }),
        Match.objectLike({
          ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
          ControlInputParameters: [
            { ParameterName: 'requiredFrequencyUnit', ParameterValue: 'days' },
            { ParameterName: 'requiredFrequencyValue', ParameterValue: '1' },
            { ParameterName: 'requiredRetentionDays', ParameterValue: '14' },
          ],
        }),
      ]),
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^DrkitBackupLocalNotificationsTopic') }] });
  });

  test('each piece can be turned off; a later declaration that disagrees is refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    ObjectiveBackup.of(stack, LOCAL, { restoreTesting: false, auditFramework: false, notifications: false, healthDashboard: false });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    const t = Template.fromStack(stack);
    for (const type of ['AWS::Backup::RestoreTestingPlan', 'AWS::Backup::Framework', 'AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm']) {
      t.resourceCountIs(type, 0);
    }
    const err = caught(() => ObjectiveBackup.of(stack, LOCAL, { notifications: true }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toBe('[DRK020] objective "local" is used with `notifications` false and true in stack Primary: the resources of one objective share one backup; set `notifications` the same way everywhere (or only on the first declaration)');
  });

  test('a backup with no resource fails validation', () => {
    const app = testApp();
    const stack = stackIn(app);
    ObjectiveBackup.of(stack, LOCAL);
    expect(() => app.synth()).toThrow(/the backup of objective "local" protects no resource/);
  });

  test('compliance mode warns that the lock becomes immutable', () => {
    const app = testApp();
    const stack = stackIn(app);
    const strict = RecoveryObjective.of({ ...LOCAL.toJson() && {}, name: 'strict', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION], immutability: Immutability.COMPLIANCE });
    new ProtectedScope(stack, 'Protect', { objective: strict });
    new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.objectLike({ ChangeableForDays: 3 }) });
    Annotations.fromStack(stack).hasWarning('/Primary/DrkitBackupStrict/Vault', Match.stringLikeRegexp('compliance mode.*becomes immutable'));
  });
});
