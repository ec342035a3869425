import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DrStandby } from '../../lib/cdk/dr-standby';
import { RdsPitrPolicy } from '../../lib/cdk/rds-pitr-policy';
import { Disruption, DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../lib/core';
import { synthRefusal, testApp } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

const REFERENCE_STRICT = RecoveryObjective.of({
  name: 'orders-strict',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30 }),
});

const REFERENCE = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  backupInterval: Period.hours(6),
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
});

function setup() {
  const app = testApp();
  const stack = new Stack(app, 'App', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { app, stack, vpc };
}

function postgres(stack: Stack, vpc: ec2.IVpc, extra: Partial<rds.DatabaseInstanceProps> = {}) {
  return new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    storageEncrypted: true,
    ...extra,
  });
}

describe('RdsPitrPolicy on a DatabaseInstance', () => {
  test('the reference objective: retention, window, protection, replication to us-west-2, RETAIN, metadata, shared backup plan', () => {
    const { app, stack, vpc } = setup();
    const db = postgres(stack, vpc);
    new RdsPitrPolicy(stack, 'DbPolicy', { database: db, objective: REFERENCE, secondaryRegion: 'us-west-2' });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BackupRetentionPeriod: 30,
        PreferredBackupWindow: '03:00-03:30',
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        DeleteAutomatedBackups: false,
        StorageEncrypted: true,
        AutomaticBackupReplicationRegion: 'us-west-2',
        AutomaticBackupReplicationRetentionPeriod: 30,
        // The key's ARN (RDS asks for it, not an alias), read from the secondary region's SSM parameter.
        AutomaticBackupReplicationKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbPolicyReplicationKeyArn'), 'Parameter.Value'] },
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'RdsPitrPolicy', 'drkit:objective': REFERENCE.name }),
    });
    expect(t.toJSON().Metadata['drkit:objectives']).toEqual({ [REFERENCE.name]: JSON.parse(JSON.stringify(REFERENCE.toJson())) });
    // Logical IDs are an API: renaming one replaces the database.
    expect(Object.keys(t.findResources('AWS::RDS::DBInstance'))).toEqual(['Db5D02A0A9']);
    // Monthly restore points for a year go to AWS Backup, copied to the secondary region.
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: Match.arrayWith([Match.objectLike({ RuleName: 'Monthly', Lifecycle: Match.objectLike({ DeleteAfterDays: 372 }) })]),
      }),
    });
    const secondary = app.node.findChild('App-dr-us-west-2') as Stack;
    const st = Template.fromStack(secondary);
    st.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/drkit/rds-backups-') });
    app.synth();
  });

  test('the replication key is passed by its ARN: the secondary stack writes it to SSM, the primary reads it in us-west-2 with a custom resource', () => {
    const { app, stack, vpc } = setup();
    const db = postgres(stack, vpc);
    const policy = new RdsPitrPolicy(stack, 'DbPolicy', { database: db, objective: REFERENCE, secondaryRegion: 'us-west-2' });
    const secondary = app.node.findChild('App-dr-us-west-2') as Stack;
    const st = Template.fromStack(secondary);
    const keys = st.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('replicated automated backups') } });
    const keyId = Object.keys(keys)[0];
    expect(keyId).toMatch(/^RdsBackups[0-9a-f]{10}Key/);
    const params = st.findResources('AWS::SSM::Parameter');
    expect(Object.values(params).map((p: any) => p.Properties)).toEqual([expect.objectContaining({
      Type: 'String',
      Name: expect.stringMatching(/^\/drkit\/rds-backups\/[0-9a-f]{10}\/key-arn$/),
      Value: { 'Fn::GetAtt': [keyId, 'Arn'] },
    })]);
    const name = (Object.values(params)[0] as any).Properties.Name;
    const t = Template.fromStack(stack);
    const readers = t.findResources('Custom::AWS');
    expect(Object.keys(readers)).toHaveLength(1);
    const create = JSON.parse(JSON.stringify(Object.values<any>(readers)[0].Properties.Create));
    expect(JSON.parse(create)).toEqual({
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: name },
      region: 'us-west-2',
      physicalResourceId: { id: name },
      outputPaths: ['Parameter.Value'],
    });
    // The function may read that parameter only.
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'ssm:GetParameter',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-west-2:', { Ref: 'AWS::AccountId' }, `:parameter${name}`]] },
        }],
      },
    });
    const instance = Object.values<any>(t.findResources('AWS::RDS::DBInstance'))[0].Properties;
    expect(instance.AutomaticBackupReplicationKmsKeyId).toEqual({ 'Fn::GetAtt': [Object.keys(readers)[0], 'Parameter.Value'] });
    expect(JSON.stringify(instance)).not.toContain('alias/');
    expect(policy.replicationKey).toBeDefined();
    // The secondary stack (the parameter) deploys before the primary (its reader).
    expect(stack.dependencies).toContain(secondary);
  });

  test('a replicationKeyArn that is an alias is refused: RDS asks for the key ARN in the destination region (DRK131)', () => {
    const { stack, vpc } = setup();
    const db = postgres(stack, vpc);
    const e = refusal(() => new RdsPitrPolicy(stack, 'DbPolicy', {
      database: db, objective: REFERENCE, secondaryRegion: 'us-west-2', replicationKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/backups',
    }));
    expect(e.code).toBe(DrkitErrorCode.KEY_ARN_REQUIRED);
    expect(e.message).toBe('[DRK131] `replicationKeyArn` of RdsPitrPolicy App/DbPolicy is the alias "arn:aws:kms:us-west-2:111111111111:alias/backups", but '
      + '"The KMS key ID is the Amazon Resource Name (ARN) for the KMS encryption key in the destination Amazon Web Services Region, for example, arn:aws:kms:us-east-1:123456789012:key/AKIAIOSFODNN7EXAMPLE" '
      + '(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstanceAutomatedBackupsReplication.html): give the key\'s ARN in us-west-2, or leave replicationKeyArn out and drkit creates the key');
  });

  test('a given key ARN is passed as is, with no custom resource', () => {
    const { stack, vpc } = setup();
    const db = postgres(stack, vpc);
    const arn = 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    new RdsPitrPolicy(stack, 'DbPolicy', { database: db, objective: REFERENCE, secondaryRegion: 'us-west-2', replicationKeyArn: arn });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', { AutomaticBackupReplicationKmsKeyId: arn });
    expect(Object.keys(t.findResources('Custom::AWS'))).toEqual([]);
  });
});

describe('RdsPitrPolicy on clusters and L1 resources', () => {
  test('Aurora MySQL cluster: backtrack, retention, protection, SNAPSHOT removal, AWS Backup copies (no automated backup replication)', () => {
    const { stack, vpc } = setup();
    const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      // aws-cdk-lib leaves StorageEncrypted unset on clusters (unencrypted): drkit refuses that.
      storageEncrypted: true,
    });
    const o = RecoveryObjective.of({
      name: 'orders',
      rpo: Period.minutes(30),
      rto: Period.hours(4),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
      retention: Retention.of({ pointInTime: Period.days(14), daily: 14 }),
    });
    const policy = new RdsPitrPolicy(stack, 'ClusterPolicy', { database: cluster, objective: o, secondaryRegion: 'us-west-2', backtrackWindow: Duration.hours(24), removalPolicy: RemovalPolicy.SNAPSHOT });
    expect(policy.plan.backupRules.map(r => r.name)).toEqual(['Every6h']);
    const t = Template.fromStack(stack);
    expect(Object.keys(t.findResources('AWS::RDS::DBCluster'))).toEqual(['ClusterEB0386A7']);
    t.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({
        BackupRetentionPeriod: 14,
        PreferredBackupWindow: '03:00-03:30',
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        BacktrackWindow: 86400,
        StorageEncrypted: true,
        AutomaticBackupReplicationRegion: Match.absent(),
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'RdsPitrPolicy' }),
    });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: [Match.objectLike({ RuleName: 'Every6h', ScheduleExpression: 'cron(0 5,11,17,23 * * ? *)', CopyActions: [Match.objectLike({ DestinationBackupVaultArn: Match.anyValue() })] })],
      }),
    });
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': ['ClusterEB0386A7', 'DBClusterArn'] }] }),
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('can only be enabled when the cluster is created')).length).toBe(1);
  });

  test('an L1 CfnDBInstance is detected and protected; later changes that undo the plan fail synth', () => {
    const app = testApp();
    const stack = new Stack(app, 'App', { env: ENV });
    const cfn = new rds.CfnDBInstance(stack, 'Raw', { engine: 'mysql', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true, multiAz: true });
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(7) }),
    });
    const policy = new RdsPitrPolicy(stack, 'RawPolicy', { database: cfn, objective: o, backupPlan: false });
    expect(policy.resource).toBe(cfn);
    expect(policy.backup).toBeUndefined();
    expect(stack.resolve(cfn.backupRetentionPeriod)).toBe(7);
    expect(stack.resolve(cfn.deleteAutomatedBackups)).toBe(false);
    cfn.deletionProtection = false;
    expect(() => app.synth()).toThrow(/\[DRK020\] DeletionProtection of App\/Raw was changed to false after RdsPitrPolicy App\/RawPolicy set it to true/);
  });

  test('refusals: unencrypted, DESTROY, backtrack on PostgreSQL, imported database (at once), RPO below 5 minutes (at synth)', () => {
    const { app, stack, vpc } = setup();
    const plain = postgres(stack, vpc, { storageEncrypted: false });
    expect(refusal(() => new RdsPitrPolicy(stack, 'P1', { database: plain, objective: REFERENCE, secondaryRegion: 'us-west-2' })).code).toBe(DrkitErrorCode.ENCRYPTION_REQUIRED);
    const db = new rds.DatabaseInstance(stack, 'Db2', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
    });
    expect(refusal(() => new RdsPitrPolicy(stack, 'P2', { database: db, objective: REFERENCE, secondaryRegion: 'us-west-2', removalPolicy: RemovalPolicy.DESTROY })).message)
      .toContain('`removalPolicy` of RdsPitrPolicy App/P2 must be RETAIN or SNAPSHOT, but got destroy');
    const bt = refusal(() => new RdsPitrPolicy(stack, 'P3', { database: db, objective: REFERENCE, secondaryRegion: 'us-west-2', backtrackWindow: Duration.hours(1) }));
    expect(bt.code).toBe(DrkitErrorCode.UNSUPPORTED_MECHANISM);
    const imported = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Imported', { instanceIdentifier: 'x', instanceEndpointAddress: 'x.example.com', port: 5432, securityGroups: [] });
    expect(refusal(() => new RdsPitrPolicy(stack, 'P4', { database: imported, objective: REFERENCE })).code).toBe(DrkitErrorCode.UNSUPPORTED_RESOURCE);
    const strict = RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
    expect(synthRefusal(app, () => new RdsPitrPolicy(stack, 'P5', { database: db, objective: strict })).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
  });

  test('a cluster counting on a DrStandby global database in us-west-2: accepted with the standby, refused at synth without it', () => {
    const build = (withStandby: boolean) => {
      const { app, stack, vpc } = setup();
      const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        storageEncrypted: true,
      });
      // 30 minutes against a region outage: scheduled copies cannot, a global database can.
      const policy = new RdsPitrPolicy(stack, 'ClusterPolicy', { database: cluster, objective: REFERENCE_STRICT, secondaryRegion: 'us-west-2', standbyRegion: 'us-west-2' });
      if (withStandby) new DrStandby(stack, 'Standby', { objective: REFERENCE_STRICT, region: 'us-west-2', strategy: DrStrategy.HOT_STANDBY, databases: [cluster] });
      return { app, policy };
    };
    expect(() => build(false).app.synth()).toThrow(/\[DRK012\] RdsPitrPolicy App\/ClusterPolicy counts on a standby of App\/Cluster in us-west-2 \(`standbyRegion`\), but no DrStandby in the app keeps one there/);
    const { app, policy } = build(true);
    const region = policy.plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect([region.rpoSeconds, region.mechanisms[0]]).toEqual([1, 'aws.aurora.global-database']);
    expect(() => app.synth()).not.toThrow();
  });
});
