import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { testApp } from '../util';
import {
  CrossRegionReplicatedBucket, Disruption, DrkitErrorCode, DynamoContinuousBackup, OrganizationProtection, Period, ProtectedScope, RdsPitrPolicy,
  RecoveryObjective, Retention,
} from 'drkit';

const SILVER = RecoveryObjective.of({
  name: 'silver',
  rpo: Period.hours(24),
  rto: Period.hours(24),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
  retention: Retention.of({ pointInTime: Period.days(14) }),
});

const GOLD = RecoveryObjective.of({
  name: 'gold',
  rpo: Period.hours(1),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 7, monthly: 12 }),
});

const BACKUP_TYPES = [
  'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::Backup::RestoreTestingPlan',
  'AWS::Backup::RestoreTestingSelection', 'AWS::Backup::Framework', 'AWS::CloudWatch::Dashboard',
];

function orgStack(app: App = testApp(), policyName?: string): Stack {
  const stack = new Stack(app, 'Member', { env: { account: '111111111111', region: 'us-east-1' } });
  OrganizationProtection.apply(stack, { policyName });
  return stack;
}

function expectNoStackBackup(app: App): void {
  for (const s of app.node.findAll().filter(Stack.isStack) as Stack[]) {
    const t = Template.fromStack(s);
    for (const type of BACKUP_TYPES) expect([s.stackName, type, Object.keys(t.findResources(type))]).toEqual([s.stackName, type, []]);
  }
}

function coveredMetadata(policyName?: string, objective = 'gold') {
  return {
    'drkit:covered-by': { coveredBy: 'organization-policy', tagKey: 'drkit:objective', tagValue: objective, ...(policyName ? { policyName } : {}) },
  };
}

describe('organization mode (OrganizationProtection)', () => {
  test('GIVEN a table in organization mode WHEN synthesized THEN PITR, deletion protection, RETAIN, the objective tag and metadata; no vault or plan', () => {
    const app = testApp();
    const stack = orgStack(app, 'drkit-gold');
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const p = new DynamoContinuousBackup(stack, 'Protect', { table, objective: GOLD });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: 'drkit:objective', Value: 'gold' }],
      },
      Metadata: Match.objectLike({ ...coveredMetadata('drkit-gold'), 'drkit:objective': 'gold' }),
    });
    // The objective itself is written once, in the template's top-level Metadata.
    expect(t.toJSON().Metadata['drkit:objectives'].gold).toEqual(JSON.parse(JSON.stringify(GOLD.toJson())));
    expectNoStackBackup(app);
    expect(p.vault).toBeUndefined();
    expect(p.backupPlan).toBeUndefined();
    // Region outage and account compromise are the policy's: no secondaryRegion or backupAccount is asked for.
    expect(p.plan.backupRules.length).toBeGreaterThan(0);
  });

  test('GIVEN a TableV2 with a replica WHEN in organization mode THEN every replica carries PITR and the tag', () => {
    const app = testApp();
    const stack = orgStack(app);
    const table = new dynamodb.TableV2(stack, 'State', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      replicas: [{ region: 'us-west-2' }],
    });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: GOLD });
    const replicas = Template.fromStack(stack).toJSON().Resources.State2C8D8B1E?.Properties?.Replicas
      ?? Object.values<any>(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['us-east-1', 'us-west-2']);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 });
      expect(r.DeletionProtectionEnabled).toBe(true);
      expect(r.Tags).toContainEqual({ Key: 'drkit:objective', Value: 'gold' });
    }
    expectNoStackBackup(app);
  });

  test('GIVEN an RDS instance with secondaryRegion WHEN in organization mode THEN retention, deletion protection and backup replication stay; no AWS Backup', () => {
    const app = testApp();
    const stack = orgStack(app);
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const db = new rds.DatabaseInstance(stack, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
    });
    const p = new RdsPitrPolicy(stack, 'Protect', { database: db, objective: GOLD, secondaryRegion: 'us-west-2', replicationKeyArn: 'arn:aws:kms:us-west-2:111111111111:key/abcd' });
    Template.fromStack(stack).hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({
        BackupRetentionPeriod: 14,
        DeletionProtection: true,
        AutomaticBackupReplicationRegion: 'us-west-2',
        Tags: Match.arrayWith([{ Key: 'drkit:objective', Value: 'gold' }]),
      }),
      Metadata: Match.objectLike(coveredMetadata()),
    });
    expect(p.backup).toBeUndefined();
    expectNoStackBackup(app);
  });

  test('GIVEN a replicated bucket with continuous backup WHEN in organization mode THEN replication and EventBridge stay, tagged; no stack backup', () => {
    const app = testApp();
    const stack = orgStack(app);
    const b = new CrossRegionReplicatedBucket(stack, 'Files', { objective: GOLD, secondaryRegion: 'us-west-2', continuousBackup: true });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ReplicationConfiguration: Match.anyValue(),
        VersioningConfiguration: { Status: 'Enabled' },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        Tags: Match.arrayWith([{ Key: 'drkit:objective', Value: 'gold' }]),
      }),
      Metadata: Match.objectLike(coveredMetadata()),
    });
    expect(b.backup).toBeUndefined();
    expectNoStackBackup(app);
  });

  test('GIVEN a ProtectedScope in organization mode THEN buckets get versioning, databases retention, all the tag; no vault, plan, selection or restore tests', () => {
    const app = testApp();
    const stack = orgStack(app);
    new s3.Bucket(stack, 'Uploads', { enforceSSL: true });
    new dynamodb.Table(stack, 'Sessions', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    new ec2.Volume(stack, 'Scratch', { availabilityZone: vpc.availabilityZones[0], size: Size.gibibytes(10), encrypted: true });
    new ProtectedScope(stack, 'Scope', { objective: SILVER });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' }, Tags: Match.arrayWith([{ Key: 'drkit:objective', Value: 'silver' }]) }),
      Metadata: Match.objectLike(coveredMetadata(undefined, 'silver')),
    });
    t.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 }, Tags: [{ Key: 'drkit:objective', Value: 'silver' }] }),
      Metadata: Match.objectLike(coveredMetadata(undefined, 'silver')),
    });
    t.hasResource('AWS::EC2::Volume', {
      Properties: Match.objectLike({ Tags: Match.arrayWith([{ Key: 'drkit:objective', Value: 'silver' }]) }),
      Metadata: Match.objectLike(coveredMetadata(undefined, 'silver')),
    });
    expectNoStackBackup(app);
  });

  test('GIVEN the context key in the app WHEN a construct is added THEN it is in organization mode too', () => {
    const app = testApp({ context: { [OrganizationProtection.CONTEXT_KEY]: OrganizationProtection.ORGANIZATION_POLICY } });
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new DynamoContinuousBackup(stack, 'P', { table, objective: GOLD });
    expect(OrganizationProtection.isCovered(table)).toBe(true);
    expectNoStackBackup(app);
  });

  test('GIVEN no organization mode THEN the same table gets its stack backup (control)', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new DynamoContinuousBackup(stack, 'P', { table, objective: SILVER, secondaryRegion: 'us-west-2', backupAccount: '222222222222' });
    app.synth();
    Template.fromStack(stack).resourceCountIs('AWS::Backup::BackupPlan', 1);
    expect(Template.fromStack(stack).toJSON().Resources.TC72F6F69?.Metadata?.['drkit:covered-by']).toBeUndefined();
  });

  test('refusals: applied after children, an unknown context value, an objective name that is no tag value', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    new s3.Bucket(stack, 'B');
    expect(() => OrganizationProtection.apply(stack)).toThrow(/DRK071.*comes after 1 construct\(s\) were added to it \(B\)/);

    const app2 = testApp({ context: { [OrganizationProtection.CONTEXT_KEY]: 'org' } });
    const s2 = new Stack(app2, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => OrganizationProtection.isCovered(s2)).toThrow(/DRK071.*"org".*"organization-policy"/);

    const s3stack = orgStack();
    const table = new dynamodb.Table(s3stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const weird = RecoveryObjective.of({ name: 'gold<1>', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });
    let error: any;
    try {
      new DynamoContinuousBackup(s3stack, 'P', { table, objective: weird });
    } catch (e) {
      error = e;
    }
    expect(error?.code).toBe(DrkitErrorCode.ORGANIZATION_MODE);
    expect(error.message).toMatch(/objective name "gold<1>" cannot be the value of tag drkit:objective/);
  });
});
