import { fixture, stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { DisruptionAssessment, ResourceAssessment } from '../../../lib/core/evaluate/model';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';

function target(r: ResourceAssessment, d: string): DisruptionAssessment {
  return r.disruptions.find(x => x.disruption === d)!;
}

function only(resources: ResourceAssessment[], logicalId: string): ResourceAssessment {
  const r = resources.find(x => x.logicalId === logicalId);
  if (!r) throw new Error(`no assessment for ${logicalId}`);
  return r;
}

const objective = (rpo: Period, rto: Period, disruptions?: Disruption[]) => RecoveryObjective.of({ rpo, rto, disruptions });

describe('DynamoDB tables', () => {
  test('a table without PITR is unprotected against corruption, and that is a gap even with no objective', () => {
    const e = evaluateStacks([fixture('table-no-pitr.template.json', { region: 'us-east-1' })]);
    expect(e.resources).toHaveLength(1);
    const t = only(e.resources, 'SessionsTable');
    expect(target(t, 'corruption')).toMatchObject({ status: 'unprotected', mechanisms: [], required: false });
    expect(target(t, 'az')).toMatchObject({ status: 'no-objective', rpoSeconds: 0, rpoKind: 'documented', mechanisms: ['aws.dynamodb.multi-az'] });
    expect(target(t, 'region').status).toBe('unprotected');
    expect(e.gaps).toEqual([expect.objectContaining({
      stackName: 'table-no-pitr', logicalId: 'SessionsTable', resourceType: 'AWS::DynamoDB::Table', disruption: 'corruption',
    })]);
    expect(e.gaps[0].fix).toContain('PointInTimeRecoveryEnabled');
    expect(t.findings.join('\n')).toMatch(/DeletionPolicy is absent/);
    expect(t.findings.join('\n')).toMatch(/deletion protection is off/);
    // The Lambda function is stateless: neither assessed nor "not assessed".
    expect(e.notAssessed).toEqual([]);
  });

  test('the same table against an objective: one gap per required disruption it cannot survive', () => {
    const e = evaluateStacks([fixture('table-no-pitr.template.json', { region: 'us-east-1' })], {
      objective: objective(Period.minutes(15), Period.hours(4), [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]),
    });
    const t = only(e.resources, 'SessionsTable');
    expect(t.objectiveSource).toBe('options');
    expect(target(t, 'az').status).toBe('met');
    // Not in the objective: not required (never counted as unprotected), though nothing covers it.
    expect(target(t, 'account')).toMatchObject({ status: 'not-required', required: false, mechanisms: [] });
    expect(e.gaps.map(g => g.disruption)).toEqual(['corruption', 'region']);
    expect(e.gaps[1].problem).toContain('region outage, which objective "rpo 15m / rto 4h" requires (RPO 15m, RTO 4h)');
  });

  test('PITR, a backup plan with a cross-region copy and a locked vault, against the objective in metadata', () => {
    const e = evaluateStacks([fixture('table-pitr-backup.template.json', { region: 'us-east-1', account: '111111111111' })]);
    const t = only(e.resources, 'OrdersTable');
    expect(t.objectiveSource).toBe('metadata');
    expect(t.construct).toBe('DynamoContinuousBackup');
    expect(t.name).toBe('orders');
    // PITR's 5 minutes is typical, and no restore time is published: within the objective as far
    // as is known, but unverified, with what would verify it.
    expect(target(t, 'corruption')).toMatchObject({
      status: 'unverified',
      rpoSeconds: 300,
      rpoKind: 'typical',
      rtoKind: 'none',
      mechanisms: ['aws.dynamodb.pitr', 'aws.backup.scheduled'],
      objectiveRpoSeconds: 900,
    });
    expect(target(t, 'corruption').verification).toContain('restore testing results');
    // Daily backup + 1 h start window, copied to us-west-2: at least 25 h (the run time and copy time are not counted).
    expect(target(t, 'region')).toMatchObject({
      status: 'unverified', rpoSeconds: 25 * 3600, rpoKind: 'estimated', rpoIsLowerBound: true, mechanisms: ['aws.backup.copy.region'], objectiveRpoSeconds: 26 * 3600,
    });
    expect(target(t, 'region').rpoNote).toBe('interval 1d + start window 1h; the backup\'s run time (up to the 1d completion window) and the copy time not counted');
    expect(target(t, 'region').basis).toContain('AWS publishes no copy duration');
    // Compliance lock on the vault, but in this account with this account's key: not counted; not asked for either.
    expect(target(t, 'account')).toMatchObject({ status: 'not-required', mechanisms: ['aws.backup.vault-lock'] });
    expect(e.gaps).toEqual([]);
    // Copies: the live table, the vault, the copy in us-west-2 (PITR is in place, not a separate copy).
    expect(t.threeTwoOne).toEqual({
      copies: 3, media: ['aws-backup-vault', 'dynamodb'], offRegion: true, offAccount: false, immutable: true, lock: 'compliance', satisfied: true,
    });
    // The copy to another region needs AWS Backup's advanced DynamoDB features: a precondition, and how to check it.
    expect(t.preconditions).toEqual([expect.stringContaining('advanced DynamoDB backup features turned on in account 111111111111, region us-east-1')]);
    const copy = t.restorePoints.find(p => p.offRegion)!;
    expect(copy).toMatchObject({ region: 'us-west-2', account: '111111111111', mechanism: 'aws.backup.copy.region', retention: '30 days' });
    expect(t.runbook[0].commands).toEqual([
      'aws dynamodb restore-table-to-point-in-time --source-table-name orders --target-table-name orders-restored --use-latest-restorable-time --region us-east-1',
    ]);
    expect(t.runbook.map(x => x.title)).toEqual([
      'Point-in-time restore to a new table',
      'Restore from AWS Backup vault orders-vault',
      'Restore from the copy in arn:aws:backup:us-west-2:111111111111:backup-vault:orders-vault-dr',
      'Check that AWS Backup can copy this table\'s backups (advanced DynamoDB backup)',
    ]);
    expect(t.runbook[3].commands).toEqual([
      'aws backup describe-region-settings --region us-east-1 --query ResourceTypeManagementPreference.DynamoDB',
      'aws backup update-region-settings --resource-type-management-preference DynamoDB=true --region us-east-1',
    ]);
    expect(t.runbook[2].commands[0]).toBe('aws backup list-recovery-points-by-backup-vault --backup-vault-name orders-vault-dr --region us-west-2');
  });

  test('the backup section reads vault lock, key, rules, default start window and copies', () => {
    const e = evaluateStacks([fixture('table-pitr-backup.template.json', { region: 'us-east-1' })]);
    expect(e.backup.vaults).toEqual([expect.objectContaining({
      name: 'orders-vault',
      lock: 'compliance',
      minRetentionDays: 30,
      maxRetentionDays: 400,
      changeableForDays: 3,
      encryptionKey: 'KMS key BackupKey (stack table-pitr-backup)',
    })]);
    const [daily, monthly] = e.backup.plans[0].rules;
    expect(daily).toMatchObject({ name: 'Daily', intervalSeconds: 86400, startWindowMinutes: 60, startWindowDefaulted: false, completionWindowMinutes: 1440, deleteAfterDays: 30, lock: 'compliance' });
    expect(daily.copies).toEqual([expect.objectContaining({ region: 'us-west-2', offRegion: true, offAccount: false, deleteAfterDays: 30 })]);
    expect(monthly).toMatchObject({ intervalSeconds: 31 * 86400, startWindowMinutes: 480, startWindowDefaulted: true, completionWindowMinutes: 7 * 1440, moveToColdStorageAfterDays: 30, targetVault: 'orders-vault' });
    expect(e.backup.selections).toEqual([expect.objectContaining({ name: 'orders', plan: 'Plan', resources: ['OrdersTable'] })]);
  });

  test('an RPO under the PITR floor is not met, with the floor in the fix', () => {
    const e = evaluateStacks([fixture('table-pitr-backup.template.json', { region: 'us-east-1' })], {
      objective: objective(Period.minutes(1), Period.hours(4), [Disruption.DATA_CORRUPTION]),
    });
    const t = only(e.resources, 'OrdersTable');
    expect(target(t, 'corruption')).toMatchObject({ status: 'not-met', rpoSeconds: 300 });
    expect(e.gaps).toHaveLength(1);
    expect(e.gaps[0].problem).toBe('against data corruption / accidental deletion, DynamoDB table orders achieves a worst-case RPO of 5m (typical, DynamoDB point-in-time recovery), above the objective\'s 1m');
    // PITR is already on: the fix moves the objective, it does not ask to enable PITR.
    expect(e.gaps[0].fix).toBe('raise the data corruption / accidental deletion RPO to at least 5m (the DynamoDB point-in-time recovery floor)');
  });

  test('without the stack region, a literal copy region cannot be compared: no region coverage and a finding', () => {
    const e = evaluateStacks([fixture('table-pitr-backup.template.json')]);
    const t = only(e.resources, 'OrdersTable');
    // The objective in the metadata asks for region outage: with the copy not counted, it is unprotected.
    expect(target(t, 'region').status).toBe('unprotected');
    expect(target(t, 'region').mechanisms).toEqual([]);
    expect(e.gaps.map(g => g.disruption)).toEqual(['region']);
    expect(t.findings.join('\n')).toContain('drkit report --region <region>');
    // The --region option fills it in.
    const withRegion = evaluateStacks([fixture('table-pitr-backup.template.json')], { region: 'eu-west-1' });
    expect(target(only(withRegion.resources, 'OrdersTable'), 'region').mechanisms).toEqual(['aws.backup.copy.region']);
  });

  test('a PITR window shorter than the objective\'s retention is a gap', () => {
    const e = evaluateStacks([stack({
      T: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', Properties: { TableName: 't', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } } },
    }, { region: 'us-east-1' })], { objective: RecoveryObjective.of({ rpo: Period.minutes(15), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] }) });
    expect(e.gaps).toEqual([expect.objectContaining({
      disruption: 'corruption',
      problem: 'DynamoDB table t: the point-in-time window is 7 days (DynamoDB point-in-time recovery), but the objective asks for a point-in-time window of 35 days',
      fix: 'set PointInTimeRecoverySpecification.RecoveryPeriodInDays to 35',
    })]);
  });

  test('a name that is not literal becomes a placeholder, never an invented name', () => {
    const e = evaluateStacks([stack({ T: { Type: 'AWS::DynamoDB::Table', Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' } } } })]);
    const t = only(e.resources, 'T');
    expect(t.name).toBe('<table name of T>');
    expect(t.runbook[0].commands[0]).toBe('aws dynamodb restore-table-to-point-in-time --source-table-name <table name of T> --target-table-name <new table name> --use-latest-restorable-time --region <region>');
    expect(t.runbook[0].note).toContain('aws cloudformation describe-stack-resource --stack-name Test --logical-resource-id T');
  });
});

describe('global tables, cross-stack replicas and environments (cloud assembly)', () => {
  const assembly = () => evaluateStacks([
    fixture('assembly/Primary.template.json', { stackName: 'primary-stack', region: 'us-east-1', account: '111111111111' }),
    fixture('assembly/Replica.template.json', { stackName: 'Replica', region: 'us-west-2', account: '111111111111' }),
  ]);

  test('a replica in another region covers region outage; PITR is read per replica', () => {
    const g = only(assembly().resources, 'Users');
    expect(g.content).toBe('DynamoDB global table');
    // Issue 12: "typically within a second", no published bound: no RPO figure, as for S3 replication without RTC.
    expect(target(g, 'region')).toMatchObject({ rpoKind: 'none', mechanisms: ['aws.dynamodb.global-table'] });
    expect(target(g, 'region').rpoSeconds).toBeUndefined();
    expect(target(g, 'region').basis).toContain('typically replicated to all other regions within a second');
    expect(target(g, 'corruption')).toMatchObject({ rpoSeconds: 300, mechanisms: ['aws.dynamodb.pitr'] });
    expect(g.runbook.map(x => x.title)).toContain('Fail over to the replica in us-west-2');
    // The live table and its replica in us-west-2; PITR on either is in place, not a separate copy.
    expect(g.threeTwoOne).toMatchObject({ offRegion: true, copies: 2 });
  });

  test('a replica bucket named in another stack of the input gives the replication region', () => {
    const src = only(assembly().resources, 'SourceBucket');
    const region = target(src, 'region');
    expect(region).toMatchObject({ rpoKind: 'none', mechanisms: ['aws.s3.replication'] });
    expect(region.rpoSeconds).toBeUndefined();
    expect(region.basis).toContain('bucket drkit-fixture-replica is in stack Replica (us-west-2)');
    expect(src.restorePoints.find(p => p.medium === 's3-replica')).toMatchObject({ region: 'us-west-2', offRegion: true, vault: 'drkit-fixture-replica' });
  });

  test('replication without RTC has no published bound: the region row is unverified, never met, and its fix names RTC', () => {
    const e = evaluateStacks([
      fixture('assembly/Primary.template.json', { stackName: 'primary-stack', region: 'us-east-1' }),
      fixture('assembly/Replica.template.json', { stackName: 'Replica', region: 'us-west-2' }),
    ], { objective: objective(Period.hours(1), Period.hours(4), [Disruption.REGION_OUTAGE]) });
    const source = e.resources.find(x => x.logicalId === 'SourceBucket')!;
    const region = source.disruptions.find(d => d.disruption === 'region')!;
    expect(region).toMatchObject({ status: 'unverified', rpoKind: 'none', mechanisms: ['aws.s3.replication'] });
    expect(region.rpoSeconds).toBeUndefined();
    expect(region.verification).toMatch(/^a measured bound on data loss for the RPO/);
    expect(e.gaps.some(x => x.logicalId === 'SourceBucket')).toBe(false);
    // The replica bucket is a copy of its source, assessed with it: no resource, no gap of its own.
    expect(e.resources.some(x => x.logicalId === 'ReplicaBucket')).toBe(false);
    expect(e.gaps.some(x => x.logicalId === 'ReplicaBucket')).toBe(false);
  });
});

describe('S3 buckets', () => {
  test('versioning plus RTC replication: corruption by versions, region by RTC within 15 minutes (documented)', () => {
    const e = evaluateStacks([fixture('bucket-versioned-rtc.template.json', { region: 'us-east-1' })], {
      objective: objective(Period.minutes(15), Period.hours(1), [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]),
    });
    const b = only(e.resources, 'DataBucket');
    expect(target(b, 'corruption')).toMatchObject({ status: 'unverified', rpoSeconds: 0, mechanisms: ['aws.s3.versioning'] });
    expect(target(b, 'corruption').basis).toContain('90 days after becoming noncurrent');
    // Failing over to the replica: nothing to restore (0s), but detection and the client switch have no bound: a lower bound.
    expect(target(b, 'region')).toMatchObject({
      status: 'unverified',
      verification: 'a failover drill that times detection, promotion and the client switch for the RTO',
      rpoSeconds: 900,
      rpoKind: 'documented',
      rtoSeconds: 0,
      rtoKind: 'estimated',
      rtoIsLowerBound: true,
      rtoNote: 'data already in the replica, 0s documented; detection and DNS not bounded',
      mechanisms: ['aws.s3.replication.rtc'],
    });
    expect(target(b, 'region').basis).toContain('drkit:replica-region metadata names us-west-2');
    expect(target(b, 'az').status).toBe('met');
    expect(e.gaps).toEqual([]);
    expect(b.restorePoints[0].encryption).toBe('SSE-KMS (aws:kms)');
    expect(b.runbook[0].commands).toEqual([
      'aws s3api list-object-versions --bucket drkit-fixture-data --prefix <object key> --region us-east-1',
      'aws s3api copy-object --bucket drkit-fixture-data --key <object key> --copy-source \'drkit-fixture-data/<object key>?versionId=<VersionId from list-object-versions>\' --region us-east-1',
    ]);
    expect(b.runbook[1].title).toBe('Fail reads over to the replica drkit-fixture-replica');
  });

  test('noncurrent versions kept for less than the retention asked is a gap', () => {
    const e = evaluateStacks([fixture('bucket-versioned-rtc.template.json', { region: 'us-east-1' })], {
      objective: objective(Period.hours(1), Period.hours(4), [Disruption.DATA_CORRUPTION]),
    });
    expect(e.gaps).toEqual([]);
    const short = evaluateStacks([stack({
      B: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { VersioningConfiguration: { Status: 'Enabled' }, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }] } } },
    })], { objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] }) });
    expect(short.gaps.map(g => g.problem)).toEqual(['S3 bucket <bucket name of B>: the point-in-time window is 7 days (noncurrent versions expire after 7 days), but the objective asks for a point-in-time window of 35 days']);
  });

  test('a bucket without versioning is unprotected against corruption; its policy is not assessed', () => {
    const e = evaluateStacks([fixture('bucket-unversioned.template.json')]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['LogsBucket']);
    const b = e.resources[0];
    expect(target(b, 'corruption').status).toBe('unprotected');
    expect(e.gaps).toEqual([expect.objectContaining({ logicalId: 'LogsBucket', disruption: 'corruption', fix: expect.stringContaining('enable versioning') })]);
    expect(b.findings).toContain('versioning is off: an overwritten or deleted object cannot be recovered from the bucket');
    expect(b.threeTwoOne).toEqual({ copies: 1, media: ['s3'], offRegion: false, offAccount: false, immutable: false, lock: 'none', satisfied: false });
  });

  test('Object Lock in compliance mode covers account compromise; governance mode does not', () => {
    const bucket = (mode: string) => stack({
      B: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: 'locked',
          VersioningConfiguration: { Status: 'Enabled' },
          ObjectLockEnabled: true,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: mode, Days: 30 } } },
        },
      },
    });
    const c = evaluateStacks([bucket('COMPLIANCE')]).resources[0];
    expect(target(c, 'account')).toMatchObject({ mechanisms: ['aws.s3.object-lock'], rpoSeconds: 0 });
    expect(c.threeTwoOne.immutable).toBe(true);
    const g = evaluateStacks([bucket('GOVERNANCE')]).resources[0];
    expect(target(g, 'account').mechanisms).toEqual([]);
    expect(g.findings.join('\n')).toContain('governance mode');
  });
});

describe('AWS Backup coverage of other stateful types', () => {
  test('an RDS instance selected by tag, copied to another account: corruption by its own PITR, account by the copy', () => {
    const e = evaluateStacks([fixture('rds-backup-selection.template.json', { region: 'eu-west-1', account: '111111111111' })], {
      objective: objective(Period.hours(24), Period.hours(8), [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE, Disruption.REGION_OUTAGE]),
    });
    const db = only(e.resources, 'Database');
    expect(db.name).toBe('billing-db');
    expect(target(db, 'corruption')).toMatchObject({ rpoSeconds: 300, mechanisms: ['aws.rds.pitr', 'aws.backup.scheduled'] });
    // 12-hourly backups with the default 8 h start window: 20 h worst case.
    expect(target(db, 'account')).toMatchObject({ status: 'unverified', rpoSeconds: 20 * 3600, rpoIsLowerBound: true, mechanisms: ['aws.backup.copy.account'] });
    expect(target(db, 'account').basis).toContain('AWS\'s default');
    // The copy is in the same region: no region coverage.
    expect(target(db, 'region').status).toBe('unprotected');
    // Its 7-day automated backups are shorter than the objective's default 35-day point-in-time window (issue 14, point 11).
    expect(e.gaps.map(g => `${g.logicalId}:${g.disruption}`)).toEqual(['Database:region', 'Database:corruption']);
    expect(e.gaps[1].fix).toBe('set BackupRetentionPeriod to 35');
    expect(db.threeTwoOne).toMatchObject({ offAccount: true, offRegion: false, satisfied: true });
    expect(e.backup.selections[0].tags).toEqual(['backup = daily']);
    expect(db.runbook[0].commands[0]).toBe('aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier billing-db --target-db-instance-identifier billing-db-restored --use-latest-restorable-time --region eu-west-1');
  });

  test('selections by ARN pattern, wildcard with conditions, and NotResources', () => {
    const base = (selection: any) => stack({
      V: { Type: 'AWS::EC2::Volume', Properties: { Size: 1, Tags: [{ Key: 'tier', Value: 'gold' }] } },
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: 'Default', ScheduleExpression: 'cron(0 * * * ? *)', StartWindowMinutes: 60 }] } } },
      Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'x', ...selection } } },
    }, { region: 'us-east-1', account: '111111111111' });
    const covered = (selection: any) => target(evaluateStacks([base(selection)]).resources[0], 'corruption').rpoSeconds;
    expect(covered({ Resources: ['arn:aws:ec2:*:*:volume/*'] })).toBe(7200);
    expect(covered({ Resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/*' }] })).toBe(7200);
    expect(covered({ Resources: ['arn:aws:rds:*:*:db:*'] })).toBeUndefined();
    expect(covered({ Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'gold' }] } })).toBe(7200);
    expect(covered({ Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/tier', ConditionValue: 'silver' }] } })).toBeUndefined();
    expect(covered({ Resources: ['*'], NotResources: ['arn:aws:ec2:*:*:volume/*'] })).toBeUndefined();
    expect(covered({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'tier', ConditionValue: 'gold' }] })).toBe(7200);
  });

  test('an environment-agnostic volume with no backup is listed, unprotected', () => {
    const e = evaluateStacks([fixture('assembly/Agnostic.template.json', { stackName: 'Agnostic' })]);
    const v = only(e.resources, 'Volume');
    expect(v.content).toBe('EBS volume');
    expect(v.disruptions.every(d => d.status === 'unprotected')).toBe(true);
    expect(v.findings).toContain('no backup of any kind was found for this resource in the input');
  });

  test('Aurora member instances are not assessed on their own; RDS with backups off is unprotected', () => {
    const e = evaluateStacks([stack({
      C: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', BackupRetentionPeriod: 14 } },
      I: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'C' }, Engine: 'aurora-postgresql' } },
      Off: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', BackupRetentionPeriod: 0 } },
    })]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['C', 'Off']);
    expect(target(only(e.resources, 'C'), 'corruption').mechanisms).toEqual(['aws.rds.pitr']);
    expect(target(only(e.resources, 'Off'), 'corruption').status).toBe('unprotected');
  });
});

describe('types drkit does not know', () => {
  test('unknown types are listed as not assessed; known stateless types are skipped', () => {
    const e = evaluateStacks([fixture('unknown-type.template.json')]);
    expect(e.resources).toEqual([]);
    expect(e.notAssessed).toEqual([expect.objectContaining({ logicalId: 'Search', resourceType: 'AWS::OpenSearchService::Domain' })]);
    expect(e.gaps).toEqual([]);
  });

  test('bad drkit:objective metadata is a finding, not a crash', () => {
    const e = evaluateStacks([stack({ T: { Type: 'AWS::DynamoDB::Table', Metadata: { 'drkit:objective': { rpoSeconds: 'x' } }, Properties: {} } })]);
    expect(e.resources[0].objectiveSource).toBe('none');
    expect(e.resources[0].findings[0]).toMatch(/^drkit:objective metadata is not a valid objective \(\[DRK002\]/);
  });
});

describe('AWS Backup rule kinds', () => {
  const planWith = (rule: any, vault: any = {}, resource: any = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' } }) => stack({
    Target: resource,
    Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v', ...vault } },
    Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: { Ref: 'Vault' }, ...rule }] } } },
    Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] }, BackupSelection: { SelectionName: 's', IamRoleArn: 'x', Resources: [{ 'Fn::GetAtt': ['Target', 'Arn'] }] } } },
  }, { region: 'us-east-1', account: '111111111111' });

  test('continuous backup of S3 has no published lag; of RDS, the 5-minute log cadence; copies follow the schedule', () => {
    const rule = {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      StartWindowMinutes: 60,
      EnableContinuousBackup: true,
      Lifecycle: { DeleteAfterDays: 35 },
      CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr' }],
    };
    const s3 = evaluateStacks([planWith(rule)]).resources[0];
    const corruption = target(s3, 'corruption');
    expect(corruption.mechanisms).toEqual(['aws.backup.continuous']);
    expect(corruption).toMatchObject({ rpoKind: 'none' });
    expect(target(s3, 'region')).toMatchObject({ rpoSeconds: 25 * 3600, rpoKind: 'estimated', mechanisms: ['aws.backup.copy.region'] });
    expect(s3.restorePoints.find(p => p.mechanism === 'aws.backup.continuous')).toMatchObject({ periodicity: 'continuous', intervalSeconds: 0 });
    const rds = evaluateStacks([planWith(rule, {}, { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: 0 } })]).resources[0];
    expect(target(rds, 'corruption')).toMatchObject({ rpoSeconds: 300, rpoKind: 'documented', mechanisms: ['aws.backup.continuous'] });
  });

  test('a governance-mode vault lock is not immutable (3-2-1 says so) and does not cover account compromise', () => {
    const rule = { ScheduleExpression: 'rate(1 day)', StartWindowMinutes: 60 };
    const gov = evaluateStacks([planWith(rule, { LockConfiguration: { MinRetentionDays: 7 } })]);
    expect(gov.backup.vaults[0].lock).toBe('governance');
    expect(target(gov.resources[0], 'account').mechanisms).toEqual([]);
    expect(gov.resources[0].threeTwoOne).toMatchObject({ immutable: false, lock: 'governance' });
    const comp = evaluateStacks([planWith(rule, { LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 } })]);
    expect(target(comp.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.backup.vault-lock'], rpoSeconds: 25 * 3600 });
    expect(comp.resources[0].threeTwoOne).toMatchObject({ immutable: true, lock: 'compliance' });
  });

  describe('account compromise: a copy in the same account counts only when its key is outside the account', () => {
    const accountObjective = { objective: objective(Period.days(2), Period.days(3), [Disruption.ACCOUNT_COMPROMISE]) };
    const rule = { ScheduleExpression: 'rate(1 day)', StartWindowMinutes: 60 };
    const compliance = { LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 } };

    test('a compliance-locked vault with this account\'s key (or the default key) is not met, and the fix names a cross-account copy or an air-gapped vault', () => {
      for (const key of [{}, { EncryptionKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/abc' }, { EncryptionKeyArn: { 'Fn::Sub': 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/abc' } }]) {
        const e = evaluateStacks([planWith(rule, { ...compliance, ...key })], accountObjective);
        expect(e.backup.vaults[0].keyOutsideAccount).toBe(false);
        expect(target(e.resources[0], 'account')).toMatchObject({ status: 'not-met', mechanisms: ['aws.backup.vault-lock'] });
        expect(e.gaps).toHaveLength(1);
        expect(e.gaps[0].problem).toContain('relies on AWS Backup Vault Lock (compliance mode), which does not count: vault v is locked in compliance mode, but it is in this account');
        expect(e.gaps[0].fix).toContain('copy AWS Backup recovery points to a vault in another account');
        expect(e.gaps[0].fix).toContain('logically air-gapped vault that keeps its AWS-owned key');
      }
    });

    test('a compliance-locked vault whose key is in another account counts', () => {
      const e = evaluateStacks([planWith(rule, { ...compliance, EncryptionKeyArn: 'arn:aws:kms:us-east-1:999999999999:key/abc' })], accountObjective);
      expect(e.backup.vaults[0].keyOutsideAccount).toBe(true);
      expect(target(e.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.backup.vault-lock'], status: 'unverified' });
      expect(e.gaps).toEqual([]);
    });

    test('a copy to a logically air-gapped vault counts with its AWS-owned key, not with a key of this account', () => {
      const lag = (props: any) => stack({
        Target: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' } },
        Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v' } },
        Lag: { Type: 'AWS::Backup::LogicallyAirGappedBackupVault', Properties: { BackupVaultName: 'lag', MinRetentionDays: 7, MaxRetentionDays: 30, ...props } },
        Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: { Ref: 'Vault' }, ...rule, CopyActions: [{ DestinationBackupVaultArn: { 'Fn::GetAtt': ['Lag', 'BackupVaultArn'] } }] }] } } },
        Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'x', Resources: [{ 'Fn::GetAtt': ['Target', 'Arn'] }] } } },
      }, { region: 'us-east-1', account: '111111111111' });
      const owned = evaluateStacks([lag({})], accountObjective);
      expect(target(owned.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.backup.copy.air-gapped'], status: 'unverified', rpoIsLowerBound: true });
      const own = evaluateStacks([lag({ EncryptionKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/abc' })], accountObjective);
      expect(target(own.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.backup.copy.air-gapped'], status: 'not-met' });
    });

    test('S3 Object Lock in compliance mode counts with SSE-S3, not with a KMS key of this account', () => {
      const bucket = (encryption: any) => stack({
        B: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'locked',
            VersioningConfiguration: { Status: 'Enabled' },
            ObjectLockEnabled: true,
            ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
            ...encryption,
          },
        },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
      }, { region: 'us-east-1', account: '111111111111' });
      const sseS3 = evaluateStacks([bucket({})], accountObjective);
      expect(target(sseS3.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.s3.object-lock'] });
      expect(target(sseS3.resources[0], 'account').status).not.toBe('not-met');
      const kms = evaluateStacks([bucket({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] } })], accountObjective);
      expect(target(kms.resources[0], 'account')).toMatchObject({ mechanisms: ['aws.s3.object-lock'], status: 'not-met' });
      expect(kms.gaps[0].fix).toContain('replicate to a bucket in another account');
    });
  });
});
