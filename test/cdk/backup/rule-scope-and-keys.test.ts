import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { caught } from './helpers';
import { CrossRegionReplicatedBucket, DynamoContinuousBackup, ProtectedScope, RdsPitrPolicy } from '../../../lib/cdk';
import { Disruption, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

/**
 * Issue 11, points 2 and 3: rules stay with the resources that asked for them (one plan per
 * distinct rule set, no duplicate rule), and cross-account copies of RDS, Aurora and EBS can be
 * decrypted in the backup account (their own key is granted; an AWS managed key is refused).
 */

const ENV = { region: 'us-east-1', account: '111111111111' };
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** The reference example's objective (examples/cdk): 6-hourly and daily points kept 30 days. */
const SYNC = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  // Copies to us-west-2 (no global table here): 6 hours plus the start window.
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
});

/** Copies to a backup account (account compromise). */
const RANSOM = RecoveryObjective.of({
  name: 'ransom',
  rpo: Period.hours(2),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
  perDisruption: [
    { disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) },
    { disruption: Disruption.ACCOUNT_COMPROMISE, rpo: Period.hours(7) },
  ],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7, monthly: 6 }),
});

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function aurora(stack: Stack, vpc: ec2.IVpc, key?: kms.IKey): rds.DatabaseCluster {
  return new rds.DatabaseCluster(stack, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    storageEncryptionKey: key,
  });
}

/** [plan logical id, its rules, the logical ids its selections select]. */
function plans(t: Template): Array<{ id: string; rules: any[]; selected: string[] }> {
  const planRes = t.findResources('AWS::Backup::BackupPlan');
  const selections = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'));
  return Object.entries<any>(planRes).map(([id, p]) => ({
    id,
    rules: p.Properties.BackupPlan.BackupPlanRule,
    selected: selections
      .filter(s => s.Properties.BackupPlanId['Fn::GetAtt'][0] === id)
      .flatMap(s => s.Properties.BackupSelection.Resources.map((r: any) => r['Fn::GetAtt']?.[0] ?? JSON.stringify(r))),
  }));
}

describe('point 3: rules stay where they were asked for', () => {
  function referenceLike() {
    const app = testApp();
    const stack = new Stack(app, 'Sync', { env: ENV });
    const files = new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: SYNC, secondaryRegion: 'us-west-2', continuousBackup: true });
    const table = new dynamodb.Table(stack, 'State', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'StateProtection', { table, objective: SYNC, secondaryRegion: 'us-west-2' });
    const db = aurora(stack, vpcIn(stack));
    new RdsPitrPolicy(stack, 'DbProtection', { database: db, objective: SYNC, secondaryRegion: 'us-west-2' });
    const t = Template.fromStack(stack);
    return {
      t,
      bucketId: stack.getLogicalId(files.bucket.node.defaultChild as any),
      tableId: stack.getLogicalId(table.node.defaultChild as any),
      dbId: stack.getLogicalId(db.node.defaultChild as any),
    };
  }

  test('GIVEN a replicated bucket with continuousBackup, a table and an Aurora cluster under RdsPitrPolicy THEN only the bucket is in a plan with a continuous rule', () => {
    const { t, bucketId, tableId, dbId } = referenceLike();
    const all = plans(t);
    const continuous = all.filter(p => p.rules.some(r => r.EnableContinuousBackup === true));
    expect(continuous.flatMap(p => p.selected)).toEqual([bucketId]);
    // The bucket gets no snapshot rule and no copy it did not ask for.
    const ofBucket = all.filter(p => p.selected.includes(bucketId));
    expect(ofBucket.flatMap(p => p.rules.map(r => [r.RuleName, r.EnableContinuousBackup === true, r.CopyActions?.length ?? 0])))
      .toEqual([['Continuous', true, 0]]);
    // The table and the cluster are each in exactly one plan, with snapshot rules only.
    for (const id of [tableId, dbId]) {
      const mine = all.filter(p => p.selected.includes(id));
      expect([id, mine.length, mine.every(p => p.rules.every(r => r.EnableContinuousBackup !== true))]).toEqual([id, 1, true]);
    }
  });

  test('GIVEN the reference objective THEN no rule repeats another: Daily (05:00, 30 days) is dropped next to Every6h (05:00 among its times, 30 days)', () => {
    const { t, tableId } = referenceLike();
    const ofTable = plans(t).find(p => p.selected.includes(tableId))!;
    expect(ofTable.id).toMatch(/^DrkitBackupSyncServicePlan[0-9A-F]{8}$/); // the main plan keeps its id
    expect(ofTable.rules.map(r => [r.RuleName, r.ScheduleExpression, r.Lifecycle.DeleteAfterDays, r.CompletionWindowMinutes])).toEqual([
      ['Every6h', 'cron(0 5,11,17,23 * * ? *)', 30, 360],
      ['Monthly', 'cron(0 5 1 * ? *)', 372, 10080],
    ]);
  });

  test('GIVEN daily points kept longer than the 6-hourly ones THEN Daily stays', () => {
    const app = testApp();
    const stack = new Stack(app, 'Sync', { env: ENV });
    const o = RecoveryObjective.of({
      name: 'longer',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
      backupInterval: Period.hours(6),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
      retention: Retention.of({ pointInTime: Period.days(14), daily: 30 }),
    });
    const table = new dynamodb.Table(stack, 'State', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'StateProtection', { table, objective: o, secondaryRegion: 'us-west-2' });
    const [only] = plans(Template.fromStack(stack));
    expect(only.rules.map(r => [r.RuleName, r.Lifecycle.DeleteAfterDays])).toEqual([['Every6h', 14], ['Daily', 30]]);
  });
});

describe('point 2: cross-account copies that can be decrypted', () => {
  function withKey(key: (stack: Stack) => kms.IKey | undefined) {
    const app = testApp();
    const stack = new Stack(app, 'Primary', { env: ENV });
    const vpc = vpcIn(stack);
    const db = aurora(stack, vpc, key(stack));
    return { app, stack, db };
  }

  test('GIVEN backupAccount and Aurora encrypted with a kms.Key of the app THEN the key policy lets the backup account use the key', () => {
    const { stack, db } = withKey(s => new kms.Key(s, 'DbKey', { enableKeyRotation: true }));
    new RdsPitrPolicy(stack, 'DbProtection', { database: db, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });
    const t = Template.fromStack(stack);
    const keyId = stack.getLogicalId(stack.node.findChild('DbKey').node.defaultChild as any);
    expect(t.toJSON().Resources[keyId].Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([{
      Sid: 'AllowBackupAccount222222222222ToCopyRecoveryPoints',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
      Action: ['kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
    }]));
  });

  test('GIVEN backupAccount and Aurora encrypted with the AWS managed key (StorageEncrypted without KmsKeyId) THEN DRK120 names it', () => {
    const { stack, db } = withKey(() => undefined);
    const e = caught(() => new RdsPitrPolicy(stack, 'DbProtection', { database: db, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' }));
    expect(e.code).toBe(DrkitErrorCode.SOURCE_KEY_NOT_SHAREABLE);
    expect(e.code).toBe('DRK120');
    expect(e.message).toBe('[DRK120] database cluster Primary/Db/Resource is encrypted with an AWS managed key (StorageEncrypted without KmsKeyId (the service\'s AWS managed key)), so AWS Backup cannot copy its recovery points to backup account 222222222222 for objective "ransom": Backups of resource types that are not fully managed by AWS Backup typically inherit the encryption settings from their source resource. (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html), and When your resources like Amazon EC2, Amazon EBS, Amazon RDS (including Aurora clusters), and AWS Storage Gateway volumes are encrypted, cross-account copy can only be performed if they are encrypted by AWS KMS customer managed customer master keys (CMK), with an exception for Amazon EFS backups. (https://aws.amazon.com/blogs/storage/create-and-share-encrypted-backups-across-accounts-and-regions-using-aws-backup/). Encrypt it with a customer managed key (a kms.Key of this app, which drkit grants to account 222222222222), or remove backupAccount');
  });

  test('GIVEN backupAccount and an RDS instance encrypted with alias/aws/rds THEN DRK120 (in a ProtectedScope, listed under DRK050)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Primary', { env: ENV });
    new rds.CfnDBInstance(stack, 'Raw', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true, kmsKeyId: 'alias/aws/rds', multiAz: true });
    new ProtectedScope(stack, 'Protect', { objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });
    const e = caught(() => app.synth());
    expect(e.code).toBe(DrkitErrorCode.UNPROTECTED_RESOURCES);
    expect(e.message).toContain('- Primary/Raw (AWS::RDS::DBInstance): [DRK120] database instance Primary/Raw is encrypted with an AWS managed key (KmsKeyId alias/aws/rds), so AWS Backup cannot copy its recovery points to backup account 222222222222');
  });

  test('GIVEN backupAccount and an imported key THEN a warning says which statement the key policy needs', () => {
    const { stack, db } = withKey(s => kms.Key.fromKeyArn(s, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'));
    new RdsPitrPolicy(stack, 'DbProtection', { database: db, objective: RANSOM, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('drkit cannot grant it'));
    expect(warnings.map(w => w.id)).toEqual(['/Primary/Db/Resource']);
    expect(warnings[0].entry.data).toContain('arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(warnings[0].entry.data).toContain('allowing account 222222222222 (arn:aws:iam::222222222222:root) kms:DescribeKey, kms:Encrypt, kms:Decrypt');
  });

  test('the vault key statement no longer claims that RDS or EBS snapshots are encrypted with the vault key', () => {
    const src = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'lib', 'cdk', 'backup', 'objective-backup.ts'), 'utf8');
    expect(src).not.toMatch(/encrypted with this vault's key \(resource types without full/);
  });
});
