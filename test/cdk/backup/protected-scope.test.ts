import { CfnResource, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { caught, stackIn } from './helpers';
import { DynamoContinuousBackup, ProtectedScope } from '../../../lib/cdk';
import { Disruption, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

/** Snapshots every 2 hours meet a 3-hour RPO; corruption and AZ only. */
const LOCAL = RecoveryObjective.of({
  name: 'local',
  rpo: Period.hours(3),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7, monthly: 3 }),
});

describe('ProtectedScope discovers and protects', () => {
  test('GIVEN a table, a bucket, a file system and a volume THEN one shared vault, and one plan per rule set selects each once', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new s3.Bucket(stack, 'Files', { enforceSSL: true });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new efs.FileSystem(stack, 'Shared', { vpc });
    new ec2.Volume(stack, 'Disk', { availabilityZone: 'us-east-1a', size: Size.gibibytes(10), encrypted: true });
    const scope = new ProtectedScope(stack, 'Protect', { objective: LOCAL });

    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupVault', 1);
    // Rules stay with the resources that asked for them (issue 11): a plan per distinct rule set.
    const rulesOf = new Map<string, string[]>(Object.entries<any>(t.findResources('AWS::Backup::BackupPlan'))
      .map(([id, p]) => [id, p.Properties.BackupPlan.BackupPlanRule.map((r: any) => r.RuleName)]));
    const selected = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'))
      .flatMap(s => s.Properties.BackupSelection.Resources.map((r: any) => [
        (r['Fn::GetAtt']?.[0] ?? 'Disk').replace(/[0-9A-F]{8}$/, ''), rulesOf.get(s.Properties.BackupPlanId['Fn::GetAtt'][0]),
      ]))
      .sort((a: any, b: any) => a[0].localeCompare(b[0]));
    expect(selected).toEqual([
      ['Disk', ['Every2h', 'Monthly']],
      ['Files', ['Daily', 'Monthly']],
      ['Orders', ['Daily', 'Monthly']],
      ['Shared', ['Every2h', 'Monthly']],
    ]);
    // DynamoDB: the DynamoContinuousBackup protection
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
        DeletionProtectionEnabled: true,
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'DynamoContinuousBackup' }),
    });
    // S3: versioning turned on
    t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
      Metadata: Match.objectLike({ 'drkit:construct': 'ProtectedScope' }),
    });
    // a 3-hour RPO carried by EFS/EBS snapshots: every 2 hours (2h + 1h start window <= 3h); no
    // Daily rule next to it, since Every2h runs at 05:00 too and keeps its points as long
    // restore testing and audit scope: every protected type
    const types = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map(s => s.Properties.ProtectedResourceType).sort();
    expect(types).toEqual(['DynamoDB', 'EBS', 'EFS', 'S3']);
    t.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkControls: Match.arrayWith([Match.objectLike({
        ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
        ControlInputParameters: Match.arrayWith([{ ParameterName: 'requiredFrequencyValue', ParameterValue: '2' }]),
      })]),
    });
    expect(scope.protectedResources.sort()).toEqual(['Primary/Disk/Resource', 'Primary/Files/Resource', 'Primary/Orders/Resource', 'Primary/Shared/Resource']);
    expect(table.node.metadata.length).toBeGreaterThanOrEqual(0);
  });

  test('GIVEN ten tables THEN one vault, one plan and one selection of ten', () => {
    const app = testApp();
    const stack = stackIn(app);
    new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    // declared after the scope: discovery runs at synthesis, so late additions are seen
    for (let i = 0; i < 10; i++) new dynamodb.Table(stack, `T${i}`, { partitionKey: PK });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupVault', 1);
    t.resourceCountIs('AWS::Backup::BackupPlan', 1);
    const sel = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'));
    expect(sel).toHaveLength(1);
    expect(sel[0].Properties.BackupSelection.Resources).toHaveLength(10);
    expect(Object.keys(t.findResources('AWS::DynamoDB::Table', { Properties: { DeletionProtectionEnabled: true } }))).toHaveLength(10);
  });

  test('a scope on a subtree protects only that subtree', () => {
    const app = testApp();
    const stack = stackIn(app);
    const data = new Stack(app, 'Other', { env: { region: 'us-east-1' } });
    const sub = new Construct(stack, 'Data');
    new dynamodb.Table(sub, 'Inside', { partitionKey: PK });
    new dynamodb.Table(data, 'Outside', { partitionKey: PK });
    new ProtectedScope(sub, 'Protect', { objective: LOCAL });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    Template.fromStack(data).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: Match.absent() });
  });

  test('a table already protected by DynamoContinuousBackup is not protected twice', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Own', { table, objective: LOCAL });
    const scope = new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    const t = Template.fromStack(stack);
    const sel = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'))[0];
    expect(sel.Properties.BackupSelection.Resources).toHaveLength(1);
    expect(scope.protectedResources).toEqual([]);
  });

  test('a resource a drkit construct built or protects is left to it, even of a type the scope does not protect itself', () => {
    const app = testApp();
    const stack = stackIn(app);
    // As DrStandby marks the AWS::RDS::GlobalCluster of an Aurora global database.
    const global = new CfnResource(stack, 'Global', { type: 'AWS::RDS::GlobalCluster', properties: { GlobalClusterIdentifier: 'g', Engine: 'aurora-postgresql' } });
    global.addMetadata('drkit:construct', 'DrStandby');
    const scope = new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    expect(() => app.synth()).not.toThrow();
    expect(scope.protectedResources).toEqual([]);
    expect(scope.excludedResources).toEqual([]);
  });

  test('RDS: retention raised to the point-in-time window, deletion protection, cluster members left to the cluster', () => {
    const app = testApp();
    const stack = stackIn(app);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new rds.DatabaseCluster(stack, 'Aurora', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      backup: { retention: Duration.days(1) },
    });
    new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 7, DeletionProtection: true });
    const sel = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'))[0];
    // the cluster, not its writer instance
    expect(sel.Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Aurora/), 'DBClusterArn'] }]);
    expect(Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map(s => s.Properties.ProtectedResourceType)).toEqual(['Aurora']);
  });
});

describe('ProtectedScope refuses to leave a resource silently unprotected', () => {
  test('GIVEN an unsupported stateful type, an imported table and a bucket that suspends versioning THEN DRK050 lists all three', () => {
    const app = testApp();
    const stack = stackIn(app);
    new CfnResource(stack, 'Docs', { type: 'AWS::DocDB::DBCluster', properties: {} });
    dynamodb.Table.fromTableName(stack, 'Legacy', 'legacy-orders');
    new s3.CfnBucket(stack, 'Suspended', { versioningConfiguration: { status: 'Suspended' } });
    new dynamodb.Table(stack, 'Fine', { partitionKey: PK });
    new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    const err = caught(() => app.synth());
    expect(err.code).toBe(DrkitErrorCode.UNPROTECTED_RESOURCES);
    expect(err.message).toBe('[DRK050] ProtectedScope Primary/Protect cannot protect 3 stateful resource(s) in Primary against objective "local":\n'
      + '- Primary/Docs (AWS::DocDB::DBCluster): drkit does not protect AWS::DocDB::DBCluster yet: protect it with AWS Backup yourself and exclude it with a reason\n'
      + '- Primary/Legacy (imported resource): it is defined outside this app (imported by name or ARN), so drkit cannot configure it: protect it in the app that defines it, and exclude it here with a reason\n'
      + '- Primary/Suspended (AWS::S3::Bucket): [DRK021] bucket versioning is "Suspended": AWS Backup backs up only versioned buckets and versioning is what recovers overwritten or deleted objects; set `versioned: true` on the bucket\n'
      + 'Fix each, or pass it in `exclude` with a reason');
  });

  test('an objective a volume cannot meet (RPO 1 hour by snapshots) names the volume and the floor', () => {
    const app = testApp();
    const stack = stackIn(app);
    new ec2.Volume(stack, 'Disk', { availabilityZone: 'us-east-1a', size: Size.gibibytes(10), encrypted: true });
    const tight = RecoveryObjective.of({ name: 'tight', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });
    new ProtectedScope(stack, 'Protect', { objective: tight });
    const err = caught(() => app.synth());
    expect(err.code).toBe(DrkitErrorCode.UNPROTECTED_RESOURCES);
    expect(err.message).toContain('- Primary/Disk/Resource (AWS::EC2::Volume): [DRK010] `rpo` 1 hour against data corruption / accidental deletion cannot be met for volume Primary/Disk/Resource (objective "tight") by AWS Backup');
  });

  test('exclusions need a reason, and the reason is written to the resource metadata', () => {
    const app = testApp();
    const stack = stackIn(app);
    const cache = new dynamodb.Table(stack, 'Cache', { partitionKey: PK });
    new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const err = caught(() => new ProtectedScope(stack, 'Bad', { objective: LOCAL, exclude: [{ resource: cache, reason: ' ' }] }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toContain('`exclude[0].reason` of ProtectedScope Primary/Bad is empty for Primary/Cache');

    const scope = new ProtectedScope(stack, 'Protect', { objective: LOCAL, exclude: [{ resource: cache, reason: 'cache, rebuilt from Orders' }] });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::DynamoDB::Table', { Metadata: Match.objectLike({ 'drkit:excluded': 'cache, rebuilt from Orders' }), Properties: Match.objectLike({ DeletionProtectionEnabled: Match.absent() }) });
    const sel = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'))[0];
    expect(sel.Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Orders/), 'Arn'] }]);
    expect(scope.excludedResources).toContain('Primary/Cache/Resource');
  });

  test('a scope outside any stack is refused', () => {
    const app = testApp();
    const err = caught(() => new ProtectedScope(app, 'Protect', { objective: LOCAL }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toBe('[DRK020] ProtectedScope Protect must be declared in a stack or in a construct inside one, but the app is not in a stack: declare one ProtectedScope in each stack to protect');
  });

  test('an exclusion outside the scope is refused', () => {
    const app = testApp();
    const stack = stackIn(app);
    const other = stackIn(app, 'Other');
    const t = new dynamodb.Table(other, 'T', { partitionKey: PK });
    const err = caught(() => new ProtectedScope(stack, 'Protect', { objective: LOCAL, exclude: [{ resource: t, reason: 'x' }] }));
    expect(err.message).toContain('is not inside the protected scope Primary');
  });
});

test('no error annotations on a protected stack', () => {
  const app = testApp();
  const stack = stackIn(app);
  new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
  new ProtectedScope(stack, 'Protect', { objective: LOCAL });
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Aspect was added via another Aspect'))).toHaveLength(0);
});

describe('ProtectedScope and CDK aspect ordering', () => {
  test.each([false, true])('with @aws-cdk/core:aspectStabilization %s: tables and buckets added after the scope are protected and restore-tested', (stabilization) => {
    const app = testApp({ context: { '@aws-cdk/core:aspectStabilization': stabilization } });
    const stack = stackIn(app);
    new ProtectedScope(stack, 'Protect', { objective: LOCAL });
    new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new s3.Bucket(stack, 'Files', { enforceSSL: true });
    const t = Template.fromStack(stack);
    const sel = Object.values<any>(t.findResources('AWS::Backup::BackupSelection'))[0];
    expect(sel.Properties.BackupSelection.Resources).toHaveLength(2);
    const types = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map(s => s.Properties.ProtectedResourceType).sort();
    expect(types).toEqual(['DynamoDB', 'S3']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Aspect'))).toHaveLength(0);
  });

  test('a shared backup created earlier by DynamoContinuousBackup still sees the types a subtree scope adds', () => {
    const app = testApp();
    const stack = stackIn(app);
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Own', { table, objective: LOCAL });
    const sub = new Construct(stack, 'Files');
    new s3.Bucket(sub, 'Bucket', { enforceSSL: true });
    new ProtectedScope(sub, 'Protect', { objective: LOCAL });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupPlan', 1);
    const types = Object.values<any>(t.findResources('AWS::Backup::RestoreTestingSelection')).map(s => s.Properties.ProtectedResourceType).sort();
    expect(types).toEqual(['DynamoDB', 'S3']);
    // S3 backups need their own managed policy on the backup role
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup']] }]),
    });
    Annotations.fromStack(stack).hasInfo('/Primary/Files/Bucket/Resource', Match.stringLikeRegexp('turned on versioning'));
  });

  test('an imported resource excluded with a reason is recorded on the scope, and synthesis succeeds', () => {
    const app = testApp();
    const stack = stackIn(app);
    const legacy = dynamodb.Table.fromTableName(stack, 'Legacy', 'legacy-orders');
    new dynamodb.Table(stack, 'Orders', { partitionKey: PK });
    const scope = new ProtectedScope(stack, 'Protect', { objective: LOCAL, exclude: [{ resource: legacy, reason: 'owned and backed up by the legacy team' }] });
    app.synth();
    expect(scope.excludedResources).toEqual(['Primary/Legacy']);
    expect(scope.node.metadata.find(m => m.type === 'drkit:excluded')?.data).toEqual({ path: 'Primary/Legacy', reason: 'owned and backed up by the legacy team' });
  });
});
