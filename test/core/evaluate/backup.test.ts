import { stack } from './fixtures';
import { refsIn, shown } from '../../../lib/core/evaluate/cfn';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { ResourceAssessment } from '../../../lib/core/evaluate/model';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';

const ENV = { region: 'us-east-1', account: '111111111111' };
const LOCAL = RecoveryObjective.of({ rpo: Period.hours(26), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION] });

function only(resources: ResourceAssessment[], logicalId: string): ResourceAssessment {
  const r = resources.find(x => x.logicalId === logicalId);
  if (!r) throw new Error(`no assessment for ${logicalId}`);
  return r;
}

const VAULT = { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } };
const plan = (copies: any[] = []) => ({
  Type: 'AWS::Backup::BackupPlan',
  Properties: {
    BackupPlan: {
      BackupPlanName: 'daily',
      BackupPlanRule: [{
        RuleName: 'Daily',
        TargetBackupVault: { Ref: 'Vault' },
        ScheduleExpression: 'cron(0 5 * * ? *)',
        StartWindowMinutes: 60,
        Lifecycle: { DeleteAfterDays: 35 },
        CopyActions: copies,
      }],
    },
  },
});
const selection = (resources: any[]) => ({
  Type: 'AWS::Backup::BackupSelection',
  Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 'sel', IamRoleArn: 'arn:aws:iam::111111111111:role/b', Resources: resources } },
});
const VOLUME = { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'us-east-1a', Size: 10 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

describe('reading references', () => {
  test('refsIn finds resources referenced inside Join and Sub, not pseudo parameters or Sub variables', () => {
    expect(refsIn({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':1:volume/', { Ref: 'Disk' }]] })).toEqual(['Disk']);
    expect(refsIn({ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Disk}' })).toEqual(['Disk']);
    expect(refsIn({ 'Fn::Sub': ['x/${V}/${Fs.Arn}', { V: { Ref: 'Other' } }] })).toEqual(['Fs', 'Other']);
    expect(refsIn({ 'Fn::GetAtt': ['Fs', 'Arn'] })).toEqual(['Fs']);
    expect(refsIn('arn:aws:s3:::b')).toEqual([]);
  });

  test('shown keeps references readable', () => {
    expect(shown({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':1:volume/', { Ref: 'Disk' }]] }))
      .toBe('arn:aws:ec2:${AWS::Region}:1:volume/${Disk}');
    expect(shown({ 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] })).toBe('${Lag.BackupVaultArn}');
    expect(shown({ 'Fn::ImportValue': 'x' })).toBe('<unresolved>');
  });
});

describe('EBS volumes (no ARN attribute)', () => {
  test.each([
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':volume/', { Ref: 'Disk' }]] }],
    ['Fn::Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Disk}' }],
  ])('a volume selected by an ARN built with %s around its Ref is backed up', (_name, arn) => {
    const e = evaluateStacks([stack({ Vault: VAULT, Plan: plan(), Sel: selection([arn]), Disk: VOLUME }, ENV)], { objective: LOCAL });
    const disk = only(e.resources, 'Disk');
    expect(disk.disruptions[0]).toMatchObject({ disruption: 'corruption', status: 'unverified', mechanisms: ['aws.backup.scheduled'], rpoSeconds: 25 * 3600 });
    expect(e.gaps).toEqual([]);
    expect(e.backup.selections[0].resources).toEqual(['arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Disk}']);
  });

  test('a Ref join naming another volume does not select this one', () => {
    const arn = { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Other}' };
    const e = evaluateStacks([stack({ Vault: VAULT, Plan: plan(), Sel: selection([arn]), Disk: VOLUME, Other: VOLUME }, ENV)], { objective: LOCAL });
    expect(only(e.resources, 'Disk').disruptions[0].status).toBe('unprotected');
    expect(only(e.resources, 'Other').disruptions[0].status).toBe('unverified');
  });

  test('the fix for an unprotected volume builds its ARN from its Ref: a volume has no Arn attribute', () => {
    const e = evaluateStacks([stack({ Disk: VOLUME }, ENV)], { objective: LOCAL });
    expect(e.gaps).toHaveLength(1);
    expect(e.gaps[0].fix).toBe('select the resource in an AWS Backup plan (AWS::Backup::BackupSelection listing Fn::Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${Disk}" (a volume has no ARN attribute: build it from its Ref, the volume id), or a tag it carries), or tag it with the target tags of a Data Lifecycle Manager snapshot policy (AWS::DLM::LifecyclePolicy, ResourceTypes VOLUME)');
    expect(e.gaps[0].fix).not.toContain('Fn::GetAtt');
  });

  test('an EFS file system keeps its Fn::GetAtt Arn fix', () => {
    const e = evaluateStacks([stack({ Fs: { Type: 'AWS::EFS::FileSystem', Properties: {} } }, ENV)], { objective: LOCAL });
    expect(e.gaps[0].fix).toContain('listing Fn::GetAtt [Fs, Arn]');
  });

  test('a resource already in a plan is told what its rules miss (a copy), never to select it in a plan', () => {
    const regional = RecoveryObjective.of({
      rpo: Period.hours(26), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
    });
    const e = evaluateStacks([stack({ Vault: VAULT, Plan: plan(), Sel: selection([{ 'Fn::GetAtt': ['Fs', 'Arn'] }]), Fs: { Type: 'AWS::EFS::FileSystem', Properties: {} } }, ENV)], { objective: regional });
    expect(e.gaps.map(g => g.disruption)).toEqual(['region']);
    expect(e.gaps[0].fix).toBe('add a copy to a vault in another region to the plan\'s rules (BackupPlanRule CopyActions with DestinationBackupVaultArn arn:aws:backup:<other region>:<account>:backup-vault:<name>)');
    expect(e.gaps[0].fix).not.toContain('select the resource');
  });
});

describe('logically air-gapped vaults', () => {
  const LAG = { Type: 'AWS::Backup::LogicallyAirGappedBackupVault', Properties: { BackupVaultName: 'lag', MinRetentionDays: 7, MaxRetentionDays: 35 } };

  test('a copy to an air-gapped vault of the stack is in its region and account, compliance-locked, and covers account compromise', () => {
    const e = evaluateStacks([stack({
      Vault: VAULT,
      Lag: LAG,
      Plan: plan([{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] }, Lifecycle: { DeleteAfterDays: 35 } }]),
      Sel: selection([{ 'Fn::GetAtt': ['Fs', 'Arn'] }]),
      Fs: { Type: 'AWS::EFS::FileSystem', Properties: {} },
    }, ENV)]);
    expect(e.backup.vaults.find(v => v.logicalId === 'Lag')).toEqual({
      stackName: 'Test',
      logicalId: 'Lag',
      name: 'lag',
      region: 'us-east-1',
      account: '111111111111',
      lock: 'compliance',
      minRetentionDays: 7,
      maxRetentionDays: 35,
      encryptionKey: 'AWS owned key (logically air-gapped vault)',
      keyOutsideAccount: true,
      airGapped: true,
    });
    expect(e.backup.plans[0].rules[0].copies).toEqual([{
      destination: 'lag', region: 'us-east-1', account: '111111111111', offRegion: false, offAccount: false, deleteAfterDays: 35, lock: 'compliance', airGapped: true, keyOutsideAccount: true,
    }]);
    const fs = only(e.resources, 'Fs');
    const account = fs.disruptions.find(d => d.disruption === 'account')!;
    expect(account.mechanisms).toEqual(['aws.backup.copy.air-gapped']);
    expect(account.rpoSeconds).toBe(25 * 3600);
    expect(fs.threeTwoOne).toMatchObject({ immutable: true, offAccount: false });
    expect(fs.restorePoints.find(p => p.mechanism === 'aws.backup.copy.air-gapped')).toMatchObject({ region: 'us-east-1', account: '111111111111', vault: 'lag', immutability: 'compliance' });
  });
});

describe('how recovery is tested', () => {
  const RTP = {
    Type: 'AWS::Backup::RestoreTestingPlan',
    Properties: {
      RestoreTestingPlanName: 'monthly_tests',
      ScheduleExpression: 'cron(0 9 8 * ? *)',
      RecoveryPointSelection: { Algorithm: 'RANDOM_WITHIN_WINDOW', IncludeVaults: ['arn:aws:backup:us-east-1:111111111111:backup-vault:ma*'], RecoveryPointTypes: ['SNAPSHOT'], SelectionWindowDays: 7 },
    },
  };
  const rts = (type: string, arns: any[]) => ({
    Type: 'AWS::Backup::RestoreTestingSelection',
    Properties: { RestoreTestingPlanName: { Ref: 'Tests' }, RestoreTestingSelectionName: `t_${type}`, ProtectedResourceType: type, IamRoleArn: 'arn:aws:iam::111111111111:role/r', ProtectedResourceArns: arns, ValidationWindowHours: 4 },
  });
  const FS = { Type: 'AWS::EFS::FileSystem', Properties: {} };

  test('a restore testing plan over the vault (by ARN pattern) with a selection of the type tests the resource', () => {
    const e = evaluateStacks([stack({
      Vault: VAULT, Plan: plan(), Sel: selection([{ 'Fn::GetAtt': ['Fs', 'Arn'] }]), Fs: FS, Tests: RTP, TestEfs: rts('EFS', ['*']),
    }, ENV)]);
    expect(e.backup.restoreTestingPlans).toEqual([{
      stackName: 'Test',
      logicalId: 'Tests',
      name: 'monthly_tests',
      schedule: 'cron(0 9 8 * ? *)',
      intervalSeconds: 31 * 86400,
      frequency: 'monthly',
      algorithm: 'RANDOM_WITHIN_WINDOW',
      selectionWindowDays: 7,
      recoveryPointTypes: ['SNAPSHOT'],
      vaults: ['arn:aws:backup:us-east-1:111111111111:backup-vault:ma*'],
      selections: [{ logicalId: 'TestEfs', name: 't_EFS', resourceType: 'EFS', resources: ['*'], conditions: [], validationWindowHours: 4 }],
    }]);
    expect(only(e.resources, 'Fs').recoveryTesting).toEqual({
      resourceType: 'EFS',
      scheduled: true,
      summary: 'restore test scheduled monthly by monthly_tests (cron(0 9 8 * ? *); RANDOM_WITHIN_WINDOW recovery point within 7 day(s) from vault main, selection t_EFS, kept 4h for validation)',
      restoreTestingPlans: ['monthly_tests'],
      intervalSeconds: 31 * 86400,
    });
  });

  test('a selection of another type, or of other resources, does not test it: the summary says what to add', () => {
    for (const tests of [rts('EBS', ['*']), rts('EFS', [{ 'Fn::GetAtt': ['OtherFs', 'Arn'] }])]) {
      const e = evaluateStacks([stack({
        Vault: VAULT, Plan: plan(), Sel: selection([{ 'Fn::GetAtt': ['Fs', 'Arn'] }]), Fs: FS, OtherFs: FS, Tests: RTP, TestSel: tests,
      }, ENV)]);
      expect(only(e.resources, 'Fs').recoveryTesting).toEqual({
        resourceType: 'EFS',
        scheduled: false,
        summary: 'no restore test scheduled: add RestoreTesting (an AWS::Backup::RestoreTestingPlan whose RecoveryPointSelection.IncludeVaults has vault main, with an AWS::Backup::RestoreTestingSelection of ProtectedResourceType EFS); drkit\'s ObjectiveBackup adds one unless restoreTesting is false',
        restoreTestingPlans: [],
      });
    }
  });

  test('a resource with no AWS Backup recovery point cannot be restore-tested', () => {
    const e = evaluateStacks([stack({ Fs: FS }, ENV)]);
    expect(only(e.resources, 'Fs').recoveryTesting.summary).toBe('no restore test scheduled: AWS Backup restore testing restores AWS Backup recovery points, and none are kept for this resource: select it in an AWS Backup plan, then add RestoreTesting');
  });
});

describe('exclusions', () => {
  test('drkit:excluded (a string, or an object with a reason) lists the resource with its reason: not assessed, not a gap', () => {
    const e = evaluateStacks([stack({
      Cache: { Type: 'AWS::DynamoDB::Table', Properties: {}, Metadata: { 'drkit:excluded': 'cache, rebuilt from Orders' } },
      Scratch: { Type: 'AWS::EC2::Volume', Properties: {}, Metadata: { 'drkit:excluded': { reason: 'scratch space' } } },
      Disk: VOLUME,
    }, ENV)], { objective: LOCAL });
    expect(e.excluded).toEqual([
      { stackName: 'Test', logicalId: 'Cache', resourceType: 'AWS::DynamoDB::Table', reason: 'cache, rebuilt from Orders' },
      { stackName: 'Test', logicalId: 'Scratch', resourceType: 'AWS::EC2::Volume', reason: 'scratch space' },
    ]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['Disk']);
    expect(e.gaps.map(g => g.logicalId)).toEqual(['Disk']);
  });

  test('exclusions by construct path come with the stack (imported resources)', () => {
    const s = { ...stack({ Disk: VOLUME }, ENV), exclusions: [{ path: 'Test/Legacy', reason: 'owned by another team' }] };
    expect(evaluateStacks([s]).excluded).toEqual([{ stackName: 'Test', path: 'Test/Legacy', reason: 'owned by another team' }]);
  });
});

describe('not assessed', () => {
  test('a secret and a nested application say why; a secret\'s resource policy and a global cluster hold no data', () => {
    const e = evaluateStacks([stack({
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      Rotation: { Type: 'AWS::Serverless::Application', Properties: {} },
      SecretPolicy: { Type: 'AWS::SecretsManager::ResourcePolicy', Properties: {} },
      Global: { Type: 'AWS::RDS::GlobalCluster', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    }, ENV)]);
    expect(e.notAssessed.map(n => [n.logicalId, n.reason.split(':')[0]])).toEqual([
      ['Queue', 'drkit does not know whether this type holds data'],
      ['Rotation', 'a nested application from the AWS Serverless Application Repository'],
      ['Secret', 'a secret holds credentials, which drkit does not assess as data'],
    ]);
  });
});

describe('cross-account copies of resources that keep their own key (issue 11, point 2)', () => {
  const ACCOUNT = RecoveryObjective.of({
    rpo: Period.hours(26), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
  });
  const toBackupAccount = [{ DestinationBackupVaultArn: 'arn:aws:backup:us-east-1:222222222222:backup-vault:drkit-backup-account-vault', Lifecycle: { DeleteAfterDays: 35 } }];
  const cluster = (props: any) => ({
    Type: 'AWS::RDS::DBCluster',
    Properties: { Engine: 'aurora-postgresql', BackupRetentionPeriod: 7, DeletionProtection: true, ...props },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
  const accountRow = (props: any) => {
    const e = evaluateStacks([stack({
      Vault: VAULT, Plan: plan(toBackupAccount), Sel: selection([{ 'Fn::GetAtt': ['Db', 'DBClusterArn'] }]), Db: cluster(props),
    }, ENV)], { objective: ACCOUNT });
    return only(e.resources, 'Db').disruptions.find(d => d.disruption === 'account')!;
  };

  test.each([
    ['StorageEncrypted without KmsKeyId', { StorageEncrypted: true }, 'StorageEncrypted without KmsKeyId (the service\'s AWS managed key)'],
    ['KmsKeyId alias/aws/rds', { StorageEncrypted: true, KmsKeyId: 'alias/aws/rds' }, 'KmsKeyId alias/aws/rds'],
  ])('an Aurora cluster encrypted with an AWS managed key (%s): the copy to the backup account does not count', (_name, props, which) => {
    const row = accountRow(props);
    expect(row.status).toBe('not-met');
    expect(row.basis).toContain(`does not count: it is encrypted with an AWS managed key (${which})`);
  });

  test('an Aurora cluster encrypted with a customer managed key: the copy counts', () => {
    const row = accountRow({ StorageEncrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(row.status).not.toBe('not-met');
    expect(row.mechanisms).toContain('aws.backup.copy.account');
  });
});
