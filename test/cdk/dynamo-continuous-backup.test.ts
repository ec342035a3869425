import { App, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoContinuousBackup, ObjectiveBackup } from '../../lib/cdk';
import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, RecoveryTier, Retention } from '../../lib/core';
import { withoutRedundantRules } from '../../lib/core/plan-backup';
import { synthRefusal, testApp } from '../util';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** Corruption and AZ only: no copy target needed. */
const LOCAL = RecoveryObjective.of({
  name: 'local',
  rpo: Period.hours(1),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 14, monthly: 12 }),
});

/** Adds region outage, 7 hours against it, 6-hourly backups. */
const REGIONAL = RecoveryObjective.of({
  name: 'regional',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
});

function stackIn(app: App, id = 'Primary', region = 'us-east-1'): Stack {
  return new Stack(app, id, { env: { region } });
}

function caught(fn: () => void): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError, but nothing was thrown');
}

describe('DynamoContinuousBackup on a Table', () => {
  test('GIVEN a Table WHEN protected THEN PITR with the planned recovery period, deletion protection, RETAIN and drkit metadata', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY });
    const protection = new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });

    expect(protection.plan.pointInTimeRecoveryDays).toBe(14);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 },
        DeletionProtectionEnabled: true,
      }),
      Metadata: Match.objectLike({
        // the objective's key; its JSON is once in the template's top-level metadata
        'drkit:objective': LOCAL.name,
        'drkit:construct': 'DynamoContinuousBackup',
      }),
    });
  });

  test('GIVEN a local objective THEN one plan with the planned rules, in a KMS-encrypted vault that denies deleting recovery points', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const protection = new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    const template = Template.fromStack(stack);

    const rules = protection.plan.backupRules;
    expect(rules.map(r => r.name)).toEqual(['Daily', 'Monthly']);
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'Primary-Local',
        BackupPlanRule: rules.map(r => Match.objectLike({
          RuleName: r.name,
          ScheduleExpression: r.scheduleExpression,
          StartWindowMinutes: r.startWindowMinutes,
          CompletionWindowMinutes: r.completionWindowMinutes,
          Lifecycle: r.moveToColdStorageAfterDays === undefined
            ? { DeleteAfterDays: r.deleteAfterDays }
            : { DeleteAfterDays: r.deleteAfterDays, MoveToColdStorageAfterDays: r.moveToColdStorageAfterDays },
          TargetBackupVault: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrkitBackupLocalVault'), 'BackupVaultName'] },
        })),
      },
    });
    expect(rules[1]).toMatchObject({ deleteAfterDays: 372, moveToColdStorageAfterDays: 30 });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrkitBackupLocalKey'), 'Arn'] },
      AccessPolicy: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
          Resource: '*',
        }],
      },
      LockConfiguration: Match.absent(),
    });
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'drkit-Local',
        IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrkitBackupLocalRole'), 'Arn'] },
        Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders'), 'Arn'] }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })],
      }),
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup']] }],
    });
  });

  test('logical IDs of the shared key, vault, plan, role and selection are pinned', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    const resources = Template.fromStack(stack).toJSON().Resources;
    const ids = (type: string) => Object.keys(resources).filter(k => resources[k].Type === type);
    // the vault key, then the key of the job-failure notifications topic (evidence is on by default)
    expect(ids('AWS::KMS::Key')).toEqual(['DrkitBackupLocalKey8916FFA8', 'DrkitBackupLocalNotificationsKeyEDBD8670']);
    expect(ids('AWS::Backup::BackupVault')).toEqual(['DrkitBackupLocalVault4F28F37B']);
    expect(ids('AWS::Backup::BackupPlan')).toEqual(['DrkitBackupLocalPlan6A56E0BE']);
    expect(ids('AWS::Backup::BackupSelection')).toEqual(['DrkitBackupLocalSelection283754CB']);
    expect(ids('AWS::IAM::Role')).toEqual(['DrkitBackupLocalRole84CA316B', 'DrkitBackupLocalRestoreTestingRestoreRoleB78805E2']);
    expect(ids('AWS::Backup::RestoreTestingPlan')).toEqual(['DrkitBackupLocalRestoreTestingPlanCF276B48']);
    expect(ids('AWS::Backup::Framework')).toEqual(['DrkitBackupLocalAuditFrameworkC9A04715']);
    expect(ids('AWS::DynamoDB::Table')).toEqual(['OrdersA9B65338']);
  });

  test('cold storage adds the advanced-DynamoDB-backup info annotation', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    Annotations.fromStack(stack).hasInfo('/Primary/DrkitBackupLocal',
      Match.stringLikeRegexp('advanced DynamoDB backup.*update-region-settings --resource-type-management-preference DynamoDB=true. in us-east-1 .*advanced-ddb-backup.html'));
  });

  test('GIVEN an env-agnostic stack (token region) THEN the table is protected and the region is left to deployment', () => {
    const app = testApp();
    const stack = new Stack(app, 'Agnostic');
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 },
    });
  });
});

describe('DynamoContinuousBackup on a TableV2 with a replica', () => {
  test('every replica gets PITR and deletion protection; the replica region reaches the planner', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.TableV2(stack, 'Sessions', {
      partitionKey: PK,
      replicas: [{ region: 'eu-west-1' }],
    });
    const protection = new DynamoContinuousBackup(stack, 'Protect', {
      table,
      objective: RecoveryObjective.of({ name: 'global', rpo: Period.minutes(15), rto: Period.hours(1) }),
      secondaryRegion: 'us-west-2',
    });

    // The replica, not the backups, carries the region-outage RPO: 15 minutes is accepted.
    const region = protection.plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect(region.mechanisms).toContain('aws.dynamodb.global-table');
    expect(region.basis).toContain('eu-west-1');

    const template = Template.fromStack(stack);
    const pitr = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 };
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: Match.arrayWith([
          Match.objectLike({ Region: 'eu-west-1', PointInTimeRecoverySpecification: pitr, DeletionProtectionEnabled: true }),
          Match.objectLike({ Region: 'us-east-1', PointInTimeRecoverySpecification: pitr, DeletionProtectionEnabled: true }),
        ]),
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'DynamoContinuousBackup' }),
    });
    const replicas = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.values<any>(replicas)[0].Properties.Replicas).toHaveLength(2);
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sessions'), 'Arn'] }] }),
    });
  });

  test('a replica added after protection, that needs the same protection, gets PITR and deletion protection too', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.TableV2(stack, 'Sessions', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL });
    table.addReplica({ region: 'eu-west-1' });
    const replicas = Object.values<any>(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      expect(r.DeletionProtectionEnabled).toBe(true);
    }
  });
});

describe('cross-region copies', () => {
  test('the copy goes to a vault in the secondary-region stack, referenced by a literal ARN', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const protection = new DynamoContinuousBackup(stack, 'Protect', { table, objective: REGIONAL, secondaryRegion: 'us-west-2' });
    const secondary = app.node.findChild('Primary-dr-us-west-2') as Stack;
    expect(secondary.region).toBe('us-west-2');

    const rules = protection.plan.backupRules;
    expect(rules.map(r => r.name)).toEqual(['Every6h', 'Daily', 'Monthly']);
    const arn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:us-west-2:', { Ref: 'AWS::AccountId' }, ':backup-vault:Primary-us-east-1-Regional-copies']],
    };
    // The template leaves out a rule another already covers (issue 11): Daily (05:00, 30 days)
    // repeats the 05:00 run of Every6h, kept 30 days too.
    const rendered = withoutRedundantRules(rules);
    expect(rendered.map(r => r.name)).toEqual(['Every6h', 'Monthly']);
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: rendered.map(r => Match.objectLike({
          RuleName: r.name,
          ScheduleExpression: r.scheduleExpression,
          CopyActions: [{
            DestinationBackupVaultArn: arn,
            Lifecycle: r.copies[0].moveToColdStorageAfterDays === undefined
              ? { DeleteAfterDays: r.copies[0].deleteAfterDays }
              : { DeleteAfterDays: r.copies[0].deleteAfterDays, MoveToColdStorageAfterDays: r.copies[0].moveToColdStorageAfterDays },
          }],
        })),
      }),
    });
    expect(rules[0].scheduleExpression).toBe('cron(0 5,11,17,23 * * ? *)');

    const st = Template.fromStack(secondary);
    st.resourceCountIs('AWS::Backup::BackupVault', 1);
    st.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BackupVaultName: 'Primary-us-east-1-Regional-copies',
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DrkitBackupRegionalKey'), 'Arn'] },
        AccessPolicy: Match.objectLike({ Statement: [Match.objectLike({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] })] }),
      }),
    });
    st.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    const ids = Object.keys(st.toJSON().Resources).sort();
    expect(ids).toEqual(['DrkitBackupRegionalKey070D51EE', 'DrkitBackupRegionalVault58AD786A']);
  });

  test('REGION_OUTAGE without a secondary region fails with the planner error', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const err = caught(() => new DynamoContinuousBackup(stack, 'Protect', { table, objective: REGIONAL }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(err.message).toBe('[DRK022] region outage is among the disruptions for table Primary/Orders, but no secondary region is given: set `secondaryRegion` (for example "us-west-2") or remove Disruption.REGION_OUTAGE');
  });

  test('an unresolved secondary region is refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const err = caught(() => new DynamoContinuousBackup(stack, 'Protect', { table, objective: REGIONAL, secondaryRegion: Lazy.string({ produce: () => 'us-west-2' }) }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(err.message).toContain('must be a concrete region name such as "us-west-2", but got an unresolved token');
  });
});

describe('cross-account copies and vault lock', () => {
  // Like PLATINUM, but with an RPO scheduled backups can meet against region outage and
  // account compromise (PLATINUM's 5 minutes there needs replication).
  const RANSOM = RecoveryObjective.of({
    ...RecoveryTier.PLATINUM.props,
    name: 'ransomware',
    rpo: Period.hours(2),
  });

  test('a ransomware objective: copies to the documented vault in the backup account, compliance lock with a warning', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
    const protection = new DynamoContinuousBackup(stack, 'Protect', {
      table,
      objective: RANSOM,
      secondaryRegion: 'us-west-2',
      backupAccount: '111122223333',
    });
    const vaultPlan = protection.plan.vault;
    expect(vaultPlan.lock).toBe(Immutability.COMPLIANCE);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: {
        MinRetentionDays: vaultPlan.minRetentionDays,
        MaxRetentionDays: vaultPlan.maxRetentionDays,
        ChangeableForDays: 3,
      },
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: Match.arrayWith([Match.objectLike({
          CopyActions: Match.arrayWith([Match.objectLike({
            DestinationBackupVaultArn: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:backup:us-east-1:111122223333:backup-vault:${ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME}`]],
            },
          })]),
        })]),
      }),
    });
    Template.fromStack(app.node.findChild('Primary-dr-us-west-2') as Stack).hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: vaultPlan.minRetentionDays, MaxRetentionDays: vaultPlan.maxRetentionDays, ChangeableForDays: 3 },
    });
    Annotations.fromStack(stack).hasWarning('/Primary/DrkitBackupRansomware/Vault',
      Match.stringLikeRegexp('compliance mode.*becomes immutable.*vault-lock.html'));
  });

  test('ACCOUNT_COMPROMISE without backupAccount fails synthesis with the planner error', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
    const err = synthRefusal(app, () => new DynamoContinuousBackup(stack, 'Protect', { table, objective: RANSOM, secondaryRegion: 'us-west-2' }));
    expect(err.code).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(err.message).toContain('table Primary/Ledger');
  });

  test('a backup account that is not a 12-digit id is refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: PK });
    const err = caught(() => new DynamoContinuousBackup(stack, 'Protect', { table, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: 'backup' }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toBe('[DRK020] `backupAccount` for objective "ransomware" in stack Primary must be a concrete 12-digit AWS account id, but got "backup"');
  });
});

describe('impossible objectives fail synthesis, bad input fails in the constructor', () => {
  test('RPO 1 minute against corruption: DRK010 naming the table, the 5-minute floor and its source', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const objective = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
    const err = synthRefusal(app, () => new DynamoContinuousBackup(stack, 'Protect', { table, objective }));
    expect(err.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(err.message).toBe('[DRK010] `rpo` 1 minute against data corruption / accidental deletion cannot be met for table Primary/Orders (objective "tight"): '
      + 'DynamoDB point-in-time recovery is the tightest mechanism for it and "LatestRestorableDateTime is typically 5 minutes before the current time", so its floor is 5 minutes '
      + '(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html); point-in-time recovery restores to any second up to LatestRestorableDateTime. '
      + 'Raise the rpo for data corruption / accidental deletion to at least 5 minutes');
  });

  test('an imported table is refused with UNSUPPORTED_RESOURCE', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = dynamodb.Table.fromTableName(stack, 'Imported', 'orders');
    const err = caught(() => new DynamoContinuousBackup(stack, 'Protect', { table, objective: LOCAL }));
    expect(err.code).toBe(DrkitErrorCode.UNSUPPORTED_RESOURCE);
    expect(err.message).toBe('[DRK021] DynamoContinuousBackup Primary/Protect needs a Table or TableV2 defined in this app, but `table` Primary/Imported has no CloudFormation resource (an imported table): '
      + 'drkit sets point-in-time recovery and deletion protection on the table\'s resource, so protect the table in the stack that defines it');
  });

  test('two different objectives with one name in a stack are refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const a = new dynamodb.Table(stack, 'A', { partitionKey: PK });
    const b = new dynamodb.Table(stack, 'B', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'ProtectA', { table: a, objective: LOCAL });
    const other = RecoveryObjective.of({ name: 'local', rpo: Period.hours(2), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });
    const err = caught(() => new DynamoContinuousBackup(stack, 'ProtectB', { table: b, objective: other }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toContain('two different objectives are named "local" in stack Primary');
  });
});

describe('sharing: one vault and one plan per stack and objective', () => {
  test('ten tables with one objective give one vault, one key, one plan, one selection listing all ten', () => {
    const app = testApp();
    const stack = stackIn(app);
    const protections = Array.from({ length: 10 }, (_, i) => {
      const table = new dynamodb.Table(stack, `T${i}`, { partitionKey: PK });
      return new DynamoContinuousBackup(stack, `P${i}`, { table, objective: LOCAL });
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 10);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    // vault key and notifications-topic key; backup role and restore-testing role
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    template.resourceCountIs('AWS::Backup::Framework', 1);
    const selection = Object.values<any>(template.findResources('AWS::Backup::BackupSelection'))[0];
    expect(selection.Properties.BackupSelection.Resources).toHaveLength(10);
    const plan = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'))[0];
    expect(plan.Properties.BackupPlan.BackupPlanRule).toHaveLength(2);
    expect(new Set(protections.map(p => p.vault)).size).toBe(1);
    expect(new Set(protections.map(p => p.backupPlan)).size).toBe(1);
  });

  test('two objectives give two vaults and two plans', () => {
    const app = testApp();
    const stack = stackIn(app);
    const other = RecoveryObjective.of({ name: 'archive', rpo: Period.hours(24), rto: Period.hours(24), disruptions: [Disruption.DATA_CORRUPTION], retention: Retention.of({ pointInTime: Period.days(7), yearly: 7 }) });
    for (let i = 0; i < 4; i++) {
      const table = new dynamodb.Table(stack, `T${i}`, { partitionKey: PK });
      new DynamoContinuousBackup(stack, `P${i}`, { table, objective: i % 2 ? LOCAL : other });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 2);
    template.resourceCountIs('AWS::Backup::BackupPlan', 2);
    template.resourceCountIs('AWS::KMS::Key', 4); // per objective: vault key and notifications-topic key
    template.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: Match.objectLike({ BackupPlanName: 'Primary-Archive' }) });
    template.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: Match.objectLike({ BackupPlanName: 'Primary-Local' }) });
  });

  test('a replicated and a single-region table under one objective share the vault, each with a plan of its own rules (issue 11)', () => {
    const app = testApp();
    const stack = stackIn(app);
    const objective = RecoveryObjective.of({
      name: 'mixed',
      rpo: Period.hours(7),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(35), daily: 7 }),
    });
    const single = new dynamodb.Table(stack, 'Single', { partitionKey: PK });
    const global = new dynamodb.TableV2(stack, 'Global', { partitionKey: PK, replicas: [{ region: 'eu-west-1' }] });
    const a = new DynamoContinuousBackup(stack, 'A', { table: single, objective, secondaryRegion: 'us-west-2' });
    const b = new DynamoContinuousBackup(stack, 'B', { table: global, objective, secondaryRegion: 'us-west-2' });
    expect(a.plan.backupRules.find(r => r.name === 'Daily')!.deleteAfterDays).toBe(7);
    expect(b.plan.backupRules.find(r => r.name === 'Daily')!.deleteAfterDays).toBe(35);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    // Each table gets its own rules: the replicated one only its daily points (kept 35 days).
    const plans = Object.values<any>(template.findResources('AWS::Backup::BackupPlan'));
    expect(plans.map(p => [
      p.Properties.BackupPlan.BackupPlanName,
      p.Properties.BackupPlan.BackupPlanRule.map((r: any) => [r.RuleName, r.Lifecycle.DeleteAfterDays]),
    ]))
      .toEqual([['Primary-Mixed', [['Every6h', 35], ['Daily', 7]]], ['Primary-Mixed-Daily', [['Daily', 35]]]]);
  });

  test('one objective with two secondary regions in one stack is refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const a = new dynamodb.Table(stack, 'A', { partitionKey: PK });
    const b = new dynamodb.Table(stack, 'B', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'PA', { table: a, objective: REGIONAL, secondaryRegion: 'us-west-2' });
    const err = caught(() => new DynamoContinuousBackup(stack, 'PB', { table: b, objective: REGIONAL, secondaryRegion: 'eu-west-1' }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(err.message).toContain('objective "regional" is used with secondaryRegion "us-west-2" and "eu-west-1" in stack Primary');
  });
});
