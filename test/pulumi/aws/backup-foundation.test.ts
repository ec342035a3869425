import { ACCOUNT, installMocks, Registration, settle } from './harness';
import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, ResourceKind, Retention,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require('@pulumi/pulumi/runtime/settings');
const { BackupFoundation, DynamoContinuousBackup } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
/* eslint-enable @typescript-eslint/no-require-imports */

// The harness's mocks give ARNs to vaults, plans, keys and roles; topics and rules need one too.
const mocks = settings.getMonitor().mocks;
const newResource = mocks.newResource.bind(mocks);
mocks.newResource = (args: any) => {
  const result = newResource(args);
  if (args.type === 'aws:sns/topic:Topic') result.state.arn = `arn:aws:sns:${result.state.region}:${ACCOUNT}:${args.name}-phys`;
  return result;
};

const TYPE = 'drkit:aws:BackupFoundation';

/** 12h RPO, region outage in scope: 8-hourly backups copied to us-west-2; governance lock. */
const REGIONAL = RecoveryObjective.of({
  name: 'regional',
  rpo: Period.hours(12),
  rto: Period.hours(4),
  retention: Retention.of({ daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
});

/** Corruption and AZ only, daily, compliance lock. */
const LOCAL = RecoveryObjective.of({
  name: 'local',
  rpo: Period.hours(36),
  rto: Period.days(2),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 7, weekly: 4 }),
  immutability: Immutability.COMPLIANCE,
});

/** Every disruption: copies to a region and an account. */
const EVERYTHING = RecoveryObjective.of({
  name: 'everything',
  rpo: Period.hours(24),
  rto: Period.hours(12),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
});

const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
const BUCKET_ARN = 'arn:aws:s3:::orders-archive';

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent === component.urn);
}

function thrown(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrkitError) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

let warn: jest.SpyInstance;
let info: jest.SpyInstance;
beforeEach(() => {
  rec.clear();
  warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
  info = jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
});
afterEach(async () => {
  await settle();
  warn.mockRestore();
  info.mockRestore();
});

describe('BackupFoundation', () => {
  test('GIVEN a table and a bucket with a regional objective WHEN rendered THEN every child has the exact inputs, parent and options', async () => {
    new BackupFoundation('app', {
      objective: REGIONAL,
      region: 'us-east-1',
      secondaryRegion: 'us-west-2',
      resources: [
        { name: 'orders', arn: TABLE_ARN, kind: ResourceKind.DYNAMODB_TABLE },
        { name: 'archive', arn: BUCKET_ARN, kind: ResourceKind.S3_BUCKET },
      ],
    });
    await settle();
    const component = rec.named('app');
    expect(component.type).toBe(TYPE);
    const children = childrenOf(component);
    expect(children.map(c => `${c.type} ${c.name}`).sort()).toEqual([
      'aws:backup/framework:Framework app-framework',
      'aws:backup/plan:Plan app-plan',
      'aws:backup/restoreTestingPlan:RestoreTestingPlan app-restore-tests',
      'aws:backup/restoreTestingSelection:RestoreTestingSelection app-restore-test-dynamodb',
      'aws:backup/restoreTestingSelection:RestoreTestingSelection app-restore-test-s3',
      'aws:backup/selection:Selection app-selection',
      'aws:backup/vault:Vault app-copy-vault',
      'aws:backup/vault:Vault app-vault',
      'aws:backup/vaultLockConfiguration:VaultLockConfiguration app-copy-vault-lock',
      'aws:backup/vaultLockConfiguration:VaultLockConfiguration app-vault-lock',
      'aws:backup/vaultPolicy:VaultPolicy app-copy-vault-policy',
      'aws:backup/vaultPolicy:VaultPolicy app-vault-policy',
      'aws:cloudwatch/dashboard:Dashboard app-health',
      'aws:cloudwatch/eventRule:EventRule app-backup-job-failed',
      'aws:cloudwatch/eventRule:EventRule app-copy-job-failed',
      'aws:cloudwatch/eventRule:EventRule app-restore-job-failed',
      'aws:cloudwatch/eventTarget:EventTarget app-backup-job-failed-target',
      'aws:cloudwatch/eventTarget:EventTarget app-copy-job-failed-target',
      'aws:cloudwatch/eventTarget:EventTarget app-restore-job-failed-target',
      'aws:cloudwatch/metricAlarm:MetricAlarm app-failed-job-share',
      'aws:iam/role:Role app-backup-role',
      'aws:iam/role:Role app-restore-role',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment app-backup-policy',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment app-restore-policy',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment app-s3-backup-policy',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment app-s3-restore-policy',
      'aws:kms/key:Key app-copy-key',
      'aws:kms/key:Key app-key',
      'aws:kms/key:Key app-notifications-key',
      'aws:sns/topic:Topic app-notifications',
      'aws:sns/topicPolicy:TopicPolicy app-notifications-policy',
    ]);
    // Stateful children (vault keys, vaults) survive deleting the component; nothing else is retained.
    expect(children.filter(c => c.retainOnDelete).map(c => c.name).sort()).toEqual(['app-copy-key', 'app-copy-vault', 'app-key', 'app-vault']);

    const vaultName = 'app-vault-phys';
    const vaultArn = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${vaultName}`;
    const copyVaultArn = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:app-copy-vault-phys`;
    expect(rec.named('app-key').inputs).toEqual({
      region: 'us-east-1', description: 'drkit: encrypts the backup vault of objective "regional" (app)', enableKeyRotation: true, deletionWindowInDays: 30,
    });
    expect(rec.named('app-vault').inputs).toEqual({ region: 'us-east-1', kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/app-key-id` });
    expect(JSON.parse(rec.named('app-vault-policy').inputs.policy).Statement).toEqual([{
      Sid: 'DrkitDenyRecoveryPointDeletion',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
      Resource: '*',
    }]);
    // Governance: the shortest and longest rule retention, no cooling-off.
    expect(rec.named('app-vault-lock').inputs).toEqual({ region: 'us-east-1', backupVaultName: vaultName, minRetentionDays: 30, maxRetentionDays: 372 });
    expect(rec.named('app-copy-key').inputs.region).toBe('us-west-2');
    expect(rec.named('app-copy-vault').inputs).toEqual({ region: 'us-west-2', kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/app-copy-key-id` });
    expect(rec.named('app-copy-vault-lock').inputs).toEqual({ region: 'us-west-2', backupVaultName: 'app-copy-vault-phys', minRetentionDays: 30, maxRetentionDays: 372 });

    expect(JSON.parse(rec.named('app-backup-role').inputs.assumeRolePolicy).Statement)
      .toEqual([{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(rec.named('app-backup-policy').inputs).toEqual({
      role: 'app-backup-role-phys', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    });
    expect(rec.named('app-s3-backup-policy').inputs.policyArn).toBe('arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup');

    // One plan for both resources: the 8-hourly rule (12h RPO) and the retention tiers, copied to us-west-2.
    const rules = rec.named('app-plan').inputs.rules;
    expect(rules.map((r: any) => r.ruleName)).toEqual(['Every8h', 'Daily', 'Monthly']);
    expect(rules[0]).toEqual({
      ruleName: 'Every8h',
      targetVaultName: vaultName,
      schedule: 'cron(0 5,13,21 * * ? *)',
      startWindow: 60,
      completionWindow: 480,
      enableContinuousBackup: false,
      lifecycle: { deleteAfter: 35 },
      copyActions: [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: 35 } }],
    });
    expect(rules[2].lifecycle).toEqual({ deleteAfter: 372, coldStorageAfter: 30 });
    expect(rules[2].copyActions).toEqual([{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: 372, coldStorageAfter: 30 } }]);
    const selection = rec.named('app-selection');
    expect(selection.inputs).toEqual({
      region: 'us-east-1', name: 'app_selection', planId: 'app-plan-id', iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-backup-role-phys`, resources: [TABLE_ARN, BUCKET_ARN],
    });
    expect(selection.dependsOn).toEqual(expect.arrayContaining([rec.named('app-backup-policy').urn, rec.named('app-s3-backup-policy').urn]));

    // Restore tests: weekly (rpo under a day), latest point of the last day, 1-hour validation.
    expect(rec.named('app-restore-tests').inputs).toEqual({
      region: 'us-east-1',
      name: 'app_restore_tests',
      scheduleExpression: 'cron(0 9 ? * WED *)',
      startWindowHours: 24,
      recoveryPointSelection: { algorithm: 'LATEST_WITHIN_WINDOW', includeVaults: [vaultArn], recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'], selectionWindowDays: 1 },
    });
    expect(rec.named('app-restore-test-dynamodb').inputs).toEqual({
      region: 'us-east-1',
      name: 'drkit_dynamodb',
      restoreTestingPlanName: 'app_restore_tests',
      protectedResourceType: 'DynamoDB',
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-restore-role-phys`,
      protectedResourceArns: ['*'],
      validationWindowHours: 1,
    });
    expect(rec.named('app-restore-test-s3').inputs.protectedResourceType).toBe('S3');
    expect(rec.named('app-restore-policy').inputs.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores');
    expect(rec.named('app-s3-restore-policy').inputs.policyArn).toBe('arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore');

    // The framework: the controls the CDK BackupAuditFramework derives for this plan.
    const scope = { complianceResourceTypes: ['DynamoDB', 'S3'] };
    expect(rec.named('app-framework').inputs).toEqual({
      region: 'us-east-1',
      name: 'app_evidence',
      description: 'drkit: runtime evidence for objective "regional" (rpo 12 hours, rto 4 hours)',
      controls: [
        { name: 'BACKUP_LAST_RECOVERY_POINT_CREATED', inputParameters: [{ name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '17' }], scope },
        {
          name: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
          inputParameters: [{ name: 'requiredFrequencyUnit', value: 'hours' }, { name: 'requiredFrequencyValue', value: '8' }, { name: 'requiredRetentionDays', value: '35' }],
        },
        { name: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
        { name: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK', inputParameters: [{ name: 'minRetentionDays', value: '30' }, { name: 'maxRetentionDays', value: '372' }], scope },
        { name: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', inputParameters: [{ name: 'crossRegionList', value: 'us-west-2' }], scope },
        { name: 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', inputParameters: [{ name: 'maxRestoreTime', value: '240' }], scope },
      ],
    });

    // Notifications: an encrypted topic, its policies, and one rule per job kind. The key and the
    // topic let EventBridge and CloudWatch of this account (only) publish.
    const notificationsKey = rec.named('app-notifications-key').inputs;
    expect({ ...notificationsKey, policy: undefined }).toEqual({
      region: 'us-east-1', description: 'drkit: encrypts the AWS Backup notifications topic', enableKeyRotation: true, deletionWindowInDays: 30, policy: undefined,
    });
    expect(JSON.parse(notificationsKey.policy).Statement).toEqual([
      { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowPublishersToUseTheKey',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:app-notifications-phys`;
    expect(rec.named('app-notifications').inputs).toEqual({
      region: 'us-east-1', displayName: 'drkit backup notifications', kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/app-notifications-key-id`,
    });
    const topicPolicy = rec.named('app-notifications-policy').inputs;
    expect(topicPolicy.arn).toBe(topicArn);
    expect(JSON.parse(topicPolicy.policy).Statement).toEqual([
      {
        Sid: 'DenyPublishWithoutTls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'AllowPublishers',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    expect(JSON.parse(rec.named('app-backup-job-failed').inputs.eventPattern)).toEqual({
      'source': ['aws.backup'], 'detail-type': ['Backup Job State Change'], 'detail': { state: ['FAILED', 'EXPIRED', 'ABORTED'], backupVaultName: [vaultName] },
    });
    expect(JSON.parse(rec.named('app-copy-job-failed').inputs.eventPattern)).toEqual({
      'source': ['aws.backup'], 'detail-type': ['Copy Job State Change'], 'detail': { state: ['FAILED'], sourceBackupVaultArn: [vaultArn] },
    });
    expect(JSON.parse(rec.named('app-restore-job-failed').inputs.eventPattern)).toEqual({
      'source': ['aws.backup'], 'detail-type': ['Restore Job State Change'], 'detail': { status: ['FAILED', 'ABORTED'] },
    });
    expect(rec.named('app-restore-job-failed').inputs.description).toBe('drkit: AWS Backup restore job (or restore test) failed or aborted');
    for (const id of ['backup', 'copy', 'restore']) {
      const target = rec.named(`app-${id}-job-failed-target`);
      expect(target.inputs).toEqual({ region: 'us-east-1', rule: `app-${id}-job-failed-phys`, arn: topicArn });
      expect(target.dependsOn).toEqual(expect.arrayContaining([rec.named('app-notifications-policy').urn]));
    }
    // No compliance lock: no warning about it (only the planner's: restores have no published time, the RTO is unverified).
    expect(warn.mock.calls.map(c => String(c[0])).filter(m => !m.includes('cannot be shown to be met'))).toEqual([]);
  });

  test('GIVEN ten tables in one foundation WHEN rendered THEN there is one vault, one plan and one selection', async () => {
    new BackupFoundation('ten', {
      objective: REGIONAL,
      secondaryRegion: 'us-west-2',
      resources: Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t${i}`, kind: ResourceKind.DYNAMODB_TABLE })),
    });
    await settle();
    expect(rec.ofType('aws:backup/vault:Vault').map(r => r.name).sort()).toEqual(['ten-copy-vault', 'ten-vault']);
    expect(rec.ofType('aws:backup/plan:Plan')).toHaveLength(1);
    const selections = rec.ofType('aws:backup/selection:Selection');
    expect(selections).toHaveLength(1);
    expect(selections[0].inputs.resources).toHaveLength(10);
    // No region given: the provider's region (no `region` input).
    expect(rec.named('ten-vault').inputs.region).toBeUndefined();
  });

  test('GIVEN a compliance objective WHEN rendered THEN the lock has the cooling-off period and the component warns that it becomes permanent', async () => {
    const f = new BackupFoundation('local', {
      objective: LOCAL,
      resourceKinds: [ResourceKind.EFS_FILE_SYSTEM, ResourceKind.RDS_CLUSTER],
      restoreTesting: true,
      notifications: false,
    });
    await settle();
    expect(rec.named('local-vault-lock').inputs).toEqual({ backupVaultName: 'local-vault-phys', minRetentionDays: 14, maxRetentionDays: 28, changeableForDays: 3 });
    expect(f.lock).toEqual({ minRetentionDays: 14, maxRetentionDays: 28, changeableForDays: 3 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Vault Lock in compliance mode for objective "local": after the cooling-off period of 3 days'), f);
    // No copies, no notifications, no selection before addResource.
    expect(rec.ofType('aws:backup/vault:Vault')).toHaveLength(1);
    expect(rec.ofType('aws:sns/topic:Topic')).toHaveLength(0);
    expect(rec.ofType('aws:backup/selection:Selection')).toHaveLength(0);
    // Monthly restore tests (rpo and rto a day or more), over the last 2 days; EFS and Aurora selections.
    expect(rec.named('local-restore-tests').inputs.scheduleExpression).toBe('cron(0 9 8 * ? *)');
    expect(rec.named('local-restore-tests').inputs.recoveryPointSelection.selectionWindowDays).toBe(2);
    expect(rec.ofType('aws:backup/restoreTestingSelection:RestoreTestingSelection').map(r => r.inputs.protectedResourceType)).toEqual(['EFS', 'Aurora']);
    expect(info).toHaveBeenCalledWith(expect.stringContaining('restore tests of Aurora restore into the default VPC'), f);
    expect(rec.named('local-framework').inputs.controls[0]).toEqual({
      name: 'BACKUP_LAST_RECOVERY_POINT_CREATED',
      inputParameters: [{ name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '49' }],
      scope: { complianceResourceTypes: ['EFS', 'Aurora'] },
    });

    const s = f.addResource('files', 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1', ResourceKind.EFS_FILE_SYSTEM);
    await settle();
    expect(s).toBeDefined();
    const sel = rec.named('local-selection-files');
    expect(sel.parent).toBe(rec.named('local').urn);
    expect(sel.inputs).toEqual({
      name: 'local_selection_files',
      planId: 'local-plan-id',
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/local-backup-role-phys`,
      resources: ['arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1'],
    });
    expect(f.selections).toHaveLength(1);
  });

  test('GIVEN account compromise WHEN rendered THEN copies go to the backup account vault and its key policy lets that account copy', async () => {
    new BackupFoundation('all', {
      objective: EVERYTHING,
      region: 'eu-west-1',
      secondaryRegion: 'eu-central-1',
      backupAccount: '210987654321',
      resources: [{ name: 'vol', arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-1`, kind: ResourceKind.EBS_VOLUME }],
      restoreTesting: false,
      notifications: false,
    });
    await settle();
    const rule = rec.named('all-plan').inputs.rules[0];
    expect(rule.copyActions.map((c: any) => c.destinationVaultArn)).toEqual([
      `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:all-copy-vault-phys`,
      'arn:aws:backup:eu-west-1:210987654321:backup-vault:drkit-backup-account-vault',
    ]);
    // The vault key's own policy (no separate KeyPolicy resource), built from the account and partition.
    const key = rec.named('all-key');
    expect(key.inputs.region).toBe('eu-west-1');
    expect(JSON.parse(key.inputs.policy).Statement[0]).toEqual({ Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    expect(JSON.parse(key.inputs.policy).Statement[1]).toEqual({
      Sid: 'AllowBackupAccountToCopyRecoveryPoints',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'backup.eu-west-1.amazonaws.com' } },
    });
    const controls = rec.named('all-framework').inputs.controls;
    expect(controls.find((c: any) => c.name === 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT').inputParameters).toEqual([{ name: 'crossAccountList', value: '210987654321' }]);
    expect(rec.ofType('aws:backup/restoreTestingPlan:RestoreTestingPlan')).toHaveLength(0);
  });

  test('GIVEN an explicit backup-account vault ARN WHEN rendered THEN the copies go there', async () => {
    const arn = 'arn:aws:backup:us-east-1:210987654321:backup-vault:central';
    new BackupFoundation('acct', {
      objective: EVERYTHING,
      secondaryRegion: 'us-west-2',
      backupAccount: '210987654321',
      accountCopyVaultArn: arn,
      resourceKinds: [ResourceKind.DYNAMODB_TABLE],
      auditFramework: false,
    });
    await settle();
    for (const rule of rec.named('acct-plan').inputs.rules) expect(rule.copyActions[1].destinationVaultArn).toBe(arn);
    expect(rec.ofType('aws:backup/framework:Framework')).toHaveLength(0);
  });
});

describe('BackupFoundation errors', () => {
  test.each([
    ['no objective', () => new BackupFoundation('e1', { objective: undefined as any, resourceKinds: [ResourceKind.S3_BUCKET] }), DrkitErrorCode.INVALID_PROPS, '`objective` is required'],
    ['no kinds and region outage without a secondary region', () => new BackupFoundation('e2', { objective: REGIONAL }), DrkitErrorCode.INVALID_REGION, 'no `secondaryRegion` is given for its copies'],
    ['a failed-job share of 1', () => new BackupFoundation('e2b', { objective: LOCAL, failedJobShareThreshold: 1 }), DrkitErrorCode.INVALID_PROPS, '`failedJobShareThreshold` is a share of jobs'],
    ['a bad kind', () => new BackupFoundation('e3', { objective: LOCAL, resourceKinds: ['Table' as any] }), DrkitErrorCode.INVALID_PROPS, '`resourceKinds[0]` must be a ResourceKind'],
    ['a resource without ARN', () => new BackupFoundation('e4', { objective: LOCAL, resources: [{ name: 'x', arn: '', kind: ResourceKind.S3_BUCKET }] }), DrkitErrorCode.INVALID_PROPS, '`resources[0].arn` is required'],
    ['two resources with one name', () => new BackupFoundation('e5', {
      objective: LOCAL,
      resources: [{ name: 'x', arn: BUCKET_ARN, kind: ResourceKind.S3_BUCKET }, { name: 'x', arn: TABLE_ARN, kind: ResourceKind.DYNAMODB_TABLE }],
    }), DrkitErrorCode.INVALID_PROPS, 'two resources are named "x"'],
    ['a bad region', () => new BackupFoundation('e6', { objective: REGIONAL, region: 'east', secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.S3_BUCKET] }), DrkitErrorCode.INVALID_REGION, '`region` must be a region name such as "us-west-2", but got "east"'],
    ['a secondary region without region outage', () => new BackupFoundation('e7', { objective: LOCAL, secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.S3_BUCKET] }), DrkitErrorCode.INVALID_REGION, 'region outage is not among the disruptions'],
    ['region outage without a secondary region', () => new BackupFoundation('e8', { objective: REGIONAL, resourceKinds: [ResourceKind.EFS_FILE_SYSTEM] }), DrkitErrorCode.INVALID_REGION, 'no secondary region is given'],
    ['the secondary region equal to the region', () => new BackupFoundation('e9', { objective: REGIONAL, region: 'us-west-2', secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.EBS_VOLUME] }), DrkitErrorCode.INVALID_REGION, 'a copy in the same region does not survive a region outage'],
    ['a bad backup account', () => new BackupFoundation('e10', { objective: EVERYTHING, secondaryRegion: 'us-west-2', backupAccount: '12345', resourceKinds: [ResourceKind.S3_BUCKET] }), DrkitErrorCode.INVALID_PROPS, '`backupAccount` must be a 12-digit AWS account id, but got "12345"'],
    ['account compromise without a backup account', () => new BackupFoundation('e11', { objective: EVERYTHING, secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.S3_BUCKET] }), DrkitErrorCode.DISRUPTION_NOT_COVERED, 'no `backupAccount` is given'],
    ['an RPO below the RDS floor', () => new BackupFoundation('e12', {
      objective: RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] }),
      resourceKinds: [ResourceKind.RDS_INSTANCE],
    }), DrkitErrorCode.RPO_UNACHIEVABLE, 'cannot be met for database instance'],
  ])('GIVEN %s WHEN constructed THEN it throws the code and says why', (_what, make, code, message) => {
    const e = thrown(make);
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
  });

  test('GIVEN a foundation WHEN addResource gets an undeclared kind, a taken name or no ARN THEN it throws INVALID_PROPS', () => {
    const f = new BackupFoundation('add', { objective: LOCAL, resources: [{ name: 'orders', arn: TABLE_ARN, kind: ResourceKind.DYNAMODB_TABLE }] });
    let e = thrown(() => f.addResource('bucket', BUCKET_ARN, ResourceKind.S3_BUCKET));
    expect(e.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(e.message).toBe('[DRK020] BackupFoundation add: addResource("bucket") adds a bucket, but the foundation was planned for table only, so its plan and restore tests would not fit it: add ResourceKind.S3_BUCKET to `resourceKinds`');
    e = thrown(() => f.addResource('orders', TABLE_ARN, ResourceKind.DYNAMODB_TABLE));
    expect(e.message).toContain('two resources are named "orders"');
    e = thrown(() => f.addResource('other', '', ResourceKind.DYNAMODB_TABLE));
    expect(e.message).toContain('needs the resource\'s ARN');
    e = thrown(() => f.addResource('bad name!', TABLE_ARN, ResourceKind.DYNAMODB_TABLE));
    expect(e.message).toContain('a resource name must be 1 to 64 letters');
    e = thrown(() => f.addResource('x', TABLE_ARN, 'Nope' as any));
    expect(e.message).toContain('which is not a ResourceKind');
  });
});

describe('DynamoContinuousBackup with a foundation', () => {
  const TABLE_ARGS = { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' };

  test('GIVEN three tables sharing a foundation WHEN rendered THEN they get one vault and plan and a selection each, and no backup of their own', async () => {
    const f = new BackupFoundation('shared', { objective: REGIONAL, region: 'us-east-1', secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.DYNAMODB_TABLE] });
    const tables = ['a', 'b', 'c'].map(n => new DynamoContinuousBackup(n, {
      objective: REGIONAL, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2', foundation: f,
    }));
    await settle();
    expect(rec.ofType('aws:backup/vault:Vault').map(r => r.name).sort()).toEqual(['shared-copy-vault', 'shared-vault']);
    expect(rec.ofType('aws:backup/plan:Plan').map(r => r.name)).toEqual(['shared-plan']);
    expect(rec.ofType('aws:iam/role:Role').map(r => r.name).sort()).toEqual(['shared-backup-role', 'shared-restore-role']);
    const selections = rec.ofType('aws:backup/selection:Selection');
    expect(selections.map(s => s.name).sort()).toEqual(['shared-selection-a', 'shared-selection-b', 'shared-selection-c']);
    for (const [i, n] of ['a', 'b', 'c'].entries()) {
      const sel = rec.named(`shared-selection-${n}`);
      expect(sel.parent).toBe(rec.named('shared').urn);
      expect(sel.inputs.resources).toEqual([`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${n}-table-phys`]);
      expect(sel.inputs.planId).toBe('shared-plan-id');
      // The table itself keeps PITR and deletion protection from its own plan.
      expect(rec.named(`${n}-table`).inputs.pointInTimeRecovery).toEqual({ enabled: true, recoveryPeriodInDays: 35 });
      expect(tables[i].vault).toBe(f.vault);
      expect(tables[i].backupPlan).toBe(f.backupPlan);
      expect(childrenOf(rec.named(n)).map(c => c.type)).toEqual(['aws:dynamodb/table:Table']);
    }
  });

  test.each([
    ['another objective', () => ({ objective: LOCAL }), DrkitErrorCode.INVALID_PROPS, 'the foundation serves objective "regional", but the table\'s objective is "local"'],
    ['another region', () => ({ region: 'us-east-2' }), DrkitErrorCode.INVALID_REGION, 'the table is in us-east-2 but the foundation\'s vault and plan are in us-east-1'],
    ['another copy region', () => ({ secondaryRegion: 'eu-west-1' }), DrkitErrorCode.INVALID_PROPS, 'the table\'s plan copies to region eu-west-1 and account (none), the foundation to region us-west-2'],
    ['a table name already in the foundation', () => ({}), DrkitErrorCode.INVALID_PROPS, 'two resources are named "dup"'],
    ['something else as foundation', () => ({ foundation: {} as any }), DrkitErrorCode.INVALID_PROPS, '`foundation` must be a BackupFoundation'],
  ])('GIVEN %s WHEN the table joins the foundation THEN it throws before registering anything', async (_what, change, code, message) => {
    const f = new BackupFoundation('fx', {
      objective: REGIONAL,
      region: 'us-east-1',
      secondaryRegion: 'us-west-2',
      resources: [{ name: 'dup', arn: TABLE_ARN, kind: ResourceKind.DYNAMODB_TABLE }],
    });
    await settle();
    const before = rec.registrations.length;
    const e = thrown(() => new DynamoContinuousBackup('dup', {
      objective: REGIONAL, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2', foundation: f, ...change(),
    }));
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
    await settle();
    expect(rec.registrations.length).toBe(before);
  });

  test('GIVEN a foundation planned for buckets only WHEN a table joins THEN it throws INVALID_PROPS naming the missing kind', () => {
    const f = new BackupFoundation('buckets', { objective: REGIONAL, region: 'us-east-1', secondaryRegion: 'us-west-2', resourceKinds: [ResourceKind.S3_BUCKET] });
    const e = thrown(() => new DynamoContinuousBackup('t', { objective: REGIONAL, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2', foundation: f }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(e.message).toContain('add ResourceKind.DYNAMODB_TABLE to `resourceKinds`');
  });
});
