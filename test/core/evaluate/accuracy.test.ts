import { stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { DisruptionAssessment, ResourceAssessment, TargetStatus } from '../../../lib/core/evaluate/model';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';
import { dur } from '../../../lib/core/report/markdown';
import { RecoveryReport } from '../../../lib/core/report/report';

const ACCOUNT = '111111111111';

function target(r: ResourceAssessment, d: string): DisruptionAssessment {
  return r.disruptions.find(x => x.disruption === d)!;
}

const objective = (rto = Period.hours(1)) => RecoveryObjective.of({
  name: 'svc', rpo: Period.minutes(30), rto, disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
});

const auroraCluster = (extra: any = {}) => ({
  Type: 'AWS::RDS::DBCluster',
  DeletionPolicy: 'Retain',
  UpdateReplacePolicy: 'Retain',
  Properties: {
    Engine: 'aurora-postgresql',
    DBClusterIdentifier: 'app-db',
    MasterUsername: 'admin',
    BackupRetentionPeriod: 7,
    DeletionProtection: true,
    StorageEncrypted: true,
    KmsKeyId: { 'Fn::GetAtt': ['DbKey', 'Arn'] },
    ...extra,
  },
});

const member = (extra: any = {}) => ({
  Type: 'AWS::RDS::DBInstance',
  Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', ...extra },
});

function aurora(instances: { [id: string]: any }): ResourceAssessment {
  const e = evaluateStacks([stack({ Db: auroraCluster(), ...instances }, { region: 'us-east-1', account: ACCOUNT })], { objective: objective() });
  expect(e.resources.map(r => r.logicalId)).toEqual(['Db']);
  return e.resources[0];
}

describe('a disruption the objective does not require', () => {
  test('is not-required, never unprotected, in the assessment, the summary counts, the gaps and the Markdown', () => {
    const report = RecoveryReport.fromTemplates([stack({
      Table: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      },
    }, { region: 'us-east-1' })], { objective: objective() });
    const t = report.resources[0];
    expect(target(t, 'account')).toMatchObject({ status: TargetStatus.NOT_REQUIRED, required: false, mechanisms: [] });
    const doc = report.toJson();
    // Only the region outage, which the objective requires and nothing covers, is unprotected.
    expect(doc.summary.statusCounts.unprotected).toBe(1);
    expect(doc.summary.statusCounts['not-required']).toBe(1);
    expect(report.gaps.map(g => g.disruption)).toEqual(['region']);
    const md = report.toMarkdown();
    expect(md).toContain('| account compromise | - | - | - | not required |  | no mechanism found in the template |');
    expect(md).toContain('- Status over resources x disruptions: met 1, unverified 1, unprotected 1, not-required 1');
    expect(md).not.toContain('unprotected (not required)');
  });

  test('without an objective, a disruption nothing covers is still unprotected', () => {
    const e = evaluateStacks([stack({ Table: { Type: 'AWS::DynamoDB::Table', Properties: {} } }, { region: 'us-east-1' })]);
    expect(target(e.resources[0], 'account').status).toBe(TargetStatus.UNPROTECTED);
    expect(target(e.resources[0], 'corruption').status).toBe(TargetStatus.UNPROTECTED);
  });
});

describe('region-outage RTO is a lower bound, rendered the same way for every kind', () => {
  const globalTable = () => evaluateStacks([stack({
    Table: {
      Type: 'AWS::DynamoDB::GlobalTable',
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        SSESpecification: { SSEEnabled: true },
        // The replica in the other region is listed first: the primary's PITR must still be the one cited.
        Replicas: [
          { Region: 'us-west-2', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
          { Region: { Ref: 'AWS::Region' }, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
        ],
      },
    },
  }, { region: 'us-east-1', account: ACCOUNT })], { objective: objective() }).resources[0];

  test('DynamoDB global table: nothing to promote (0s), a lower bound, estimated; the primary PITR is cited and listed first', () => {
    const t = globalTable();
    // Issue 12: global-table replication is "typically within a second" with no published bound, so
    // the row rests on an unbounded figure (as S3 replication without RTC does): never met.
    expect(target(t, 'region').status).not.toBe(TargetStatus.MET);
    expect(target(t, 'region')).toMatchObject({
      status: TargetStatus.UNVERIFIED,
      rpoKind: 'none',
      mechanisms: ['aws.dynamodb.global-table'],
      rtoSeconds: 0,
      rtoKind: 'estimated',
      rtoIsLowerBound: true,
      rtoNote: 'nothing to promote, 0s documented; detection and DNS not bounded',
    });
    expect(target(t, 'corruption').basis).toMatch(/^point-in-time recovery on the primary replica in us-east-1 over the last 35 days/);
    const pitr = t.restorePoints.filter(p => p.mechanism === 'aws.dynamodb.pitr');
    expect(pitr.map(p => p.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(pitr.every(p => p.encryption === 'KMS')).toBe(true);
    expect(t.runbook[0].title).toBe('Point-in-time restore to a new table (replica in us-east-1)');
  });

  test('the Markdown shows "≥ figure (estimated: ...)" and never "unbounded"', () => {
    expect(dur(60, 'estimated', true, 'promotion 1m typical; detection and DNS not bounded')).toBe('≥ 1m (estimated: promotion 1m typical; detection and DNS not bounded)');
    expect(dur(undefined, 'estimated')).toBe('no bound (estimated)');
    expect(dur(undefined, 'none')).toBe('no bound');
    expect(dur(120, 'typical')).toBe('2m (typical)');
    const md = RecoveryReport.fromTemplates([stack({
      Table: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { KeySchema: [], Replicas: [{ Region: { Ref: 'AWS::Region' } }, { Region: 'us-west-2' }] },
      },
    }, { region: 'us-east-1' })]).toMarkdown();
    expect(md).toContain('| region outage | - | no bound | ≥ 0s (estimated: nothing to promote, 0s documented; detection and DNS not bounded) | no objective |');
    expect(md).not.toContain('unbounded');
  });

  test('a lower bound above the objective RTO is not met, and the gap says "at least"', () => {
    const e = evaluateStacks([
      stack({
        Db: auroraCluster(),
        Global: { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'g', SourceDBClusterIdentifier: { 'Fn::GetAtt': ['Db', 'DBClusterArn'] } } },
      }, { region: 'us-east-1', account: ACCOUNT, stackName: 'App' }),
      stack({
        Secondary: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'g', StorageEncrypted: true } },
      }, { region: 'us-west-2', account: ACCOUNT, stackName: 'Standby' }),
    ], { objective: objective(Period.seconds(30)) });
    const d = target(e.resources[0], 'region');
    expect(d).toMatchObject({ status: TargetStatus.NOT_MET, rtoSeconds: 60, rtoIsLowerBound: true });
    const gap = e.gaps.find(g => g.disruption === 'region')!;
    expect(gap.problem).toContain('needs an RTO of at least 1m (estimated: promotion 1m typical; detection and DNS not bounded; Aurora global database)');
    expect(gap.problem).toContain("above the objective's 30s");
  });
});

describe('Aurora against an AZ outage', () => {
  test('a reader: the failover to it, typically under a minute (typical), with the AZ check when AvailabilityZone is unset', () => {
    const c = aurora({ Writer: member({ PromotionTier: 0 }), Reader: member({ PromotionTier: 2 }) });
    const az = target(c, 'az');
    // Both figures are established (documented RPO, typical RTO, not lower bounds): met.
    expect(az).toMatchObject({ status: TargetStatus.MET, rpoSeconds: 0, rpoKind: 'documented', rtoSeconds: 60, rtoKind: 'typical', rtoIsLowerBound: false });
    expect(az.basis).toContain('the cluster has 2 instances (Reader, Writer; AvailabilityZone is not set on every instance, so RDS chooses; check that a reader is in another AZ than the writer)');
    expect(az.basis).toContain('Concepts.AuroraHighAvailability.html#Aurora.Managing.FaultTolerance');
  });

  test('instances pinned to two AZs: no check needed', () => {
    const c = aurora({ Writer: member({ AvailabilityZone: 'us-east-1a' }), Reader: member({ AvailabilityZone: 'us-east-1b' }) });
    expect(target(c, 'az')).toMatchObject({ rtoSeconds: 60, rtoKind: 'typical' });
    expect(target(c, 'az').basis).toContain('instances in us-east-1a, us-east-1b');
  });

  test('every instance in the same AZ, or a single instance: no bound, and the basis says why', () => {
    const same = aurora({ Writer: member({ AvailabilityZone: 'us-east-1a' }), Reader: member({ AvailabilityZone: 'us-east-1a' }) });
    expect(target(same, 'az').rtoSeconds).toBeUndefined();
    expect(target(same, 'az').basis).toContain('are all in us-east-1a, so an outage of that AZ leaves no reader to promote');
    const single = aurora({ Writer: member() });
    expect(target(single, 'az').rtoSeconds).toBeUndefined();
    expect(target(single, 'az').basis).toContain('the cluster has one instance (Writer) and no reader');
  });

  test('the inventory shows the cluster\'s storage encryption on the live row and on its automated backups', () => {
    const c = aurora({ Writer: member() });
    expect(c.restorePoints.slice(0, 2).map(p => [p.mechanism, p.encryption])).toEqual([['live', 'KMS key DbKey'], ['aws.rds.pitr', 'KMS key DbKey']]);
    const plain = evaluateStacks([stack({ Db: auroraCluster({ StorageEncrypted: false, KmsKeyId: undefined }) }, { region: 'us-east-1' })]).resources[0];
    expect(plain.restorePoints[0].encryption).toBe('not encrypted');
  });
});

describe('S3 inventory: Object Lock and encryption of the live bucket and of its replica', () => {
  const locked = (mode: string, kms: any) => ({
    ObjectLockEnabled: true,
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Days: 30, Mode: mode } } },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kms } }] },
    VersioningConfiguration: { Status: 'Enabled' },
  });
  const replicaName = { 'Fn::Join': ['', ['files-', { Ref: 'AWS::AccountId' }, '-us-west-2']] };
  const source = (destination: any) => ({
    Files: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        ...locked('GOVERNANCE', { 'Fn::GetAtt': ['Key', 'Arn'] }),
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::111111111111:role/r',
          Rules: [{ Id: 'all', Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: destination }],
        },
      },
    },
  });
  const destination = {
    Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::files-', { Ref: 'AWS::AccountId' }, '-us-west-2']] },
    EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:111111111111:alias/replica' },
    ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
    Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
  };

  test('the live bucket shows its default retention lock; the replica in the input shows its own lock and encryption', () => {
    const e = evaluateStacks([
      stack(source(destination), { region: 'us-east-1', stackName: 'App' }),
      stack({ Replica: { Type: 'AWS::S3::Bucket', Properties: { BucketName: replicaName, ...locked('COMPLIANCE', { 'Fn::GetAtt': ['RKey', 'Arn'] }) } } },
        { region: 'us-west-2', stackName: 'Dr' }),
    ]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['Files']);
    const points = e.resources[0].restorePoints;
    expect(points[0]).toMatchObject({ mechanism: 'live', immutability: 'governance', encryption: 'SSE-KMS (aws:kms)' });
    expect(points.find(p => p.mechanism === 'aws.s3.replication.rtc')).toMatchObject({
      region: 'us-west-2', immutability: 'compliance', encryption: 'SSE-KMS (aws:kms)', vault: 'Dr/Replica',
    });
    // The replica's name is shown with an <account> placeholder, never ${AWS::AccountId}.
    expect(target(e.resources[0], 'region').basis).toContain('arn:aws:s3:::files-<account>-us-west-2');
    expect(JSON.stringify(e.resources)).not.toContain('${AWS::AccountId}');
  });

  test('a replica outside the input: encryption from the rule\'s replica key, lock unknown (none)', () => {
    const e = evaluateStacks([stack(source(destination), { region: 'us-east-1', stackName: 'App' })]);
    expect(e.resources[0].restorePoints.find(p => p.mechanism === 'aws.s3.replication.rtc')).toMatchObject({ immutability: 'none', encryption: 'SSE-KMS (replica key)' });
  });

  test('a bucket without Object Lock keeps "none" on its live row', () => {
    const e = evaluateStacks([stack({ B: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } } }, { region: 'us-east-1' })]);
    expect(e.resources[0].restorePoints[0]).toMatchObject({ mechanism: 'live', immutability: 'none' });
  });
});

describe('AWS Backup copy destinations', () => {
  const backup = (account?: string) => evaluateStacks([stack({
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
    Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'main' } },
    Plan: {
      Type: 'AWS::Backup::BackupPlan',
      Properties: {
        BackupPlan: {
          BackupPlanName: 'p',
          BackupPlanRule: [{
            RuleName: 'daily',
            TargetBackupVault: { Ref: 'Vault' },
            ScheduleExpression: 'cron(0 5 * * ? *)',
            StartWindowMinutes: 60,
            CopyActions: [{ DestinationBackupVaultArn: { 'Fn::Sub': 'arn:${AWS::Partition}:backup:us-west-2:${AWS::AccountId}:backup-vault:copies' } }],
          }],
        },
      },
    },
    Selection: {
      Type: 'AWS::Backup::BackupSelection',
      Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::1:role/r', Resources: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] } },
    },
  }, { region: 'us-east-1', account })]);

  test('an unknown account shows as <account>, in the plan, the inventory and the runbook', () => {
    const e = backup();
    const dest = 'arn:aws:backup:us-west-2:<account>:backup-vault:copies';
    expect(e.backup.plans[0].rules[0].copies[0].destination).toBe(dest);
    expect(e.resources[0].restorePoints.find(p => p.offRegion)!.vault).toBe(dest);
    expect(e.resources[0].runbook.map(x => x.title)).toContain(`Restore from the copy in ${dest}`);
  });

  test('a known account is filled in', () => {
    expect(backup(ACCOUNT).backup.plans[0].rules[0].copies[0].destination).toBe(`arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:copies`);
  });
});
