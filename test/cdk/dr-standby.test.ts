import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DrStandby } from '../../lib/cdk/dr-standby';
import { DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../lib/core';
import { synthRefusal, testApp } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };
const OBJECTIVE = RecoveryObjective.of({ name: 'sync-service', rpo: Period.minutes(30), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(30), daily: 30 }) });

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

function setup() {
  const app = testApp();
  const stack = new Stack(app, 'App', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const db = new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instanceIdentifier: 'app-db',
    storageEncrypted: true,
  });
  const table = new dynamodb.TableV2(stack, 'SyncState', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
  return { app, stack, vpc, db, table, zone };
}

describe('DrStandby', () => {
  test('hot standby: read replica in the standby stack, table replica with PITR and deletion protection, health-checked failover, lag alarms', () => {
    const { app, stack, db, table, zone } = setup();
    const standby = new DrStandby(stack, 'Standby', {
      objective: OBJECTIVE,
      region: 'us-west-2',
      strategy: DrStrategy.HOT_STANDBY,
      tables: [table],
      databases: [db],
      endpoints: { hostedZone: zone, recordName: 'app.example.com', primaryDomainName: 'east.example.com', secondaryDomainName: 'west.example.com', requestInterval: Duration.seconds(10), failureThreshold: 3, ttl: Duration.seconds(60) },
    });
    expect(standby.strategy).toBe(DrStrategy.HOT_STANDBY);
    expect(standby.plan.estimate.terms.map(t => [t.name, t.seconds])).toEqual([['detection', 30], ['promotion', undefined], ['activation', 0], ['dns', 60]]);

    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([Match.objectLike({
        Region: 'us-west-2',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 30 },
      })]),
    });
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    t.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'east.example.com', RequestInterval: 10, FailureThreshold: 3, Type: 'HTTPS' }) });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'app.example.com', Type: 'CNAME', Failover: 'PRIMARY', TTL: '60', ResourceRecords: ['east.example.com'] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', ResourceRecords: ['west.example.com'] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicationLatency',
      Namespace: 'AWS/DynamoDB',
      Threshold: 1800000,
      Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: 'us-west-2' }]),
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });

    const s = Template.fromStack(app.node.findChild('App-standby-us-west-2') as Stack);
    // Logical IDs are an API: renaming the replica replaces it.
    expect(Object.keys(s.findResources('AWS::RDS::DBInstance'))).toEqual(['ReplicaAppDbInstance2622E5C9']);
    s.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:111111111111:db:app-db',
        SourceRegion: 'us-east-1',
        DBInstanceClass: 'db.r6g.large',
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReplicaAppDbKey'), 'Arn'] },
        DeletionProtection: true,
        PubliclyAccessible: false,
        MultiAZ: true,
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'DrStandby', 'drkit:replica-of': 'arn:aws:rds:us-east-1:111111111111:db:app-db' }),
    });
    s.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicaLag', Namespace: 'AWS/RDS', Threshold: 1800 });
    app.synth();
  });

  test('RTO 5 minutes without a hot standby fails synthesis, naming the dominant term', () => {
    const { app, stack, db, table } = setup();
    const fast = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(5) });
    const e = synthRefusal(app, () => new DrStandby(stack, 'Standby', { objective: fast, region: 'us-west-2', strategy: DrStrategy.PILOT_LIGHT, tables: [table], databases: [db] }));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    // Pilot light's band is "10s of minutes": its upper end, 1 hour, counts.
    expect(e.message).toContain('`rto` 5 minutes against region outage cannot be met by pilot light for App/Standby (objective "fast"): the estimate is at least 1h = detection unbounded + promotion unbounded + activation 1h + dns unbounded; the dominant term is activation 1h');
  });

  test('refuses a source without a literal identifier, and a standby in the primary region', () => {
    const app = testApp();
    const stack = new Stack(app, 'App', { env: ENV });
    const cfn = new rds.CfnDBInstance(stack, 'Raw', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true, allocatedStorage: '20' });
    expect(refusal(() => new DrStandby(stack, 'S1', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [cfn] })).message)
      .toContain('set `instanceIdentifier` on the DatabaseInstance (DBInstanceIdentifier)');
    expect(refusal(() => new DrStandby(stack, 'S2', { objective: OBJECTIVE, region: 'us-east-1' })).code).toBe(DrkitErrorCode.INVALID_REGION);
  });

  test('Aurora cluster, pilot light: global cluster in the primary stack, headless encrypted secondary in the standby stack, lag alarm', () => {
    const app = testApp();
    const stack = new Stack(app, 'App', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
    });
    // Pilot light counts the upper end of its band (1 hour) plus the promotion: it needs more than a 1-hour RTO.
    const relaxed = RecoveryObjective.of({ name: 'sync-service', rpo: Period.minutes(30), rto: Period.hours(2), retention: Retention.of({ pointInTime: Period.days(30), daily: 30 }) });
    const standby = new DrStandby(stack, 'Standby', { objective: relaxed, region: 'us-west-2', strategy: DrStrategy.PILOT_LIGHT, databases: [cluster], replicaSubnetGroupName: 'standby-db' });
    expect(standby.plan.estimate.terms.find(x => x.name === 'promotion')!.seconds).toBe(60);
    const t = Template.fromStack(stack);
    expect(Object.keys(t.findResources('AWS::RDS::GlobalCluster'))).toEqual(['StandbyGlobalClusterAppCluster07003F10']);
    t.hasResource('AWS::RDS::GlobalCluster', {
      DeletionPolicy: 'Retain',
      Properties: { GlobalClusterIdentifier: 'app-us-east-1-appcluster', SourceDBClusterIdentifier: { 'Fn::GetAtt': ['ClusterEB0386A7', 'DBClusterArn'] }, DeletionProtection: true },
    });
    const s = Template.fromStack(app.node.findChild('App-standby-us-west-2') as Stack);
    expect(Object.keys(s.findResources('AWS::RDS::DBCluster'))).toEqual(['SecondaryAppClusterE4A41F63']);
    s.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Engine: 'aurora-postgresql',
        EngineVersion: '16.4',
        GlobalClusterIdentifier: 'app-us-east-1-appcluster',
        StorageEncrypted: true,
        DBSubnetGroupName: 'standby-db',
        DeletionProtection: true,
        BackupRetentionPeriod: 30,
      }),
    });
    // Pilot light: no instance in the secondary cluster until failover.
    s.resourceCountIs('AWS::RDS::DBInstance', 0);
    // The RPO lag of the headless secondary: missing data is missing (INSUFFICIENT_DATA), not a breach.
    s.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBRPOLag', Threshold: 1800000, TreatMissingData: 'missing' });
    s.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  test('multi-site active/active with tables only: weighted records; backup and restore creates no replica', () => {
    const { stack, table, zone } = setup();
    const aa = new DrStandby(stack, 'Active', {
      objective: OBJECTIVE,
      region: 'us-west-2',
      strategy: DrStrategy.MULTI_SITE_ACTIVE_ACTIVE,
      tables: [table],
      endpoints: { hostedZone: zone, recordName: 'app.example.com', primaryDomainName: 'east.example.com', secondaryDomainName: 'west.example.com' },
    });
    expect(aa.plan.estimate.seconds).toBe(90 + 60);
    const slow = RecoveryObjective.of({ name: 'slow', rpo: Period.hours(24), rto: Period.days(2) });
    const br = new DrStandby(stack, 'Cold', { objective: slow, region: 'us-west-2', tables: [table] });
    expect(br.strategy).toBe(DrStrategy.BACKUP_AND_RESTORE);
    expect(br.standbyStack).toBeUndefined();
    expect(br.alarmTopic).toBeUndefined();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Weight: 50, SetIdentifier: 'primary', Failover: Match.absent() });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  describe('the standby behaves like its source after a failover', () => {
    function auroraSetup(clusterProps: Partial<rds.DatabaseClusterProps> = {}) {
      const app = testApp();
      const stack = new Stack(app, 'App', { env: ENV });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const instance = (id: string) => rds.ClusterInstance.provisioned(id, {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        enablePerformanceInsights: true,
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_1,
      });
      const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: instance('Writer'),
        readers: [instance('Reader')],
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        storageEncrypted: true,
        port: 5438,
        iamAuthentication: true,
        cloudwatchLogsExports: ['postgresql'],
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
        monitoringInterval: Duration.seconds(30),
        ...clusterProps,
      });
      return { app, stack, cluster };
    }

    test('GIVEN an Aurora primary with port, IAM auth, log exports, I/O-optimized storage, monitoring and Performance Insights THEN the secondary cluster and its instances copy them', () => {
      const { app, stack, cluster } = auroraSetup();
      const standbyStack = DrStandby.standbyStackOf(stack, 'us-west-2');
      const sg = new ec2.SecurityGroup(standbyStack, 'DbSg', { vpc: new ec2.Vpc(standbyStack, 'StandbyVpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) });
      const params = new rds.CfnDBClusterParameterGroup(standbyStack, 'Params', { family: 'aurora-postgresql16', description: 'standby', parameters: { 'rds.force_ssl': '1' } });
      const standby = new DrStandby(stack, 'Standby', {
        objective: OBJECTIVE,
        region: 'us-west-2',
        strategy: DrStrategy.HOT_STANDBY,
        databases: [cluster],
        replicaSecurityGroupIds: [sg.securityGroupId],
        replicaClusterParameterGroupName: params.ref,
        replicaParameterGroupName: 'standby-instances',
      });
      // The stack the DrStandby uses is the one standbyStackOf returned.
      expect(standby.standbyStack).toBe(standbyStack);
      expect(app.node.findChild('App-standby-us-west-2')).toBe(standbyStack);
      const s = Template.fromStack(standbyStack);
      s.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
        GlobalClusterIdentifier: 'app-us-east-1-appcluster',
        Port: 5438,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        StorageType: 'aurora-iopt1',
        DBClusterParameterGroupName: { Ref: standbyStack.getLogicalId(params) },
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [standbyStack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
      }));
      expect(standby.secondaryInstances).toHaveLength(2);
      const roleId = Object.keys(s.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })] }) } }));
      expect(roleId).toHaveLength(1);
      const keyId = standbyStack.getLogicalId(standby.standbyStack!.node.findChild('SecondaryAppCluster').node.findChild('Key').node.defaultChild as any);
      for (const i of standby.secondaryInstances) {
        expect(standbyStack.resolve(i.monitoringInterval)).toBe(30);
        expect(standbyStack.resolve(i.monitoringRoleArn)).toEqual({ 'Fn::GetAtt': [roleId[0], 'Arn'] });
        expect(standbyStack.resolve(i.enablePerformanceInsights)).toBe(true);
        expect(standbyStack.resolve(i.performanceInsightsKmsKeyId)).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
        expect(standbyStack.resolve(i.performanceInsightsRetentionPeriod)).toBe(31);
        expect(i.dbParameterGroupName).toBe('standby-instances');
      }
      // The monitoring role drkit creates uses AWS's managed policy, with its cdk-nag reason.
      s.hasResource('AWS::IAM::Role', {
        Properties: Match.objectLike({ ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole']] }] }),
        Metadata: { cdk_nag: { rules_to_suppress: [Match.objectLike({ id: 'AwsSolutions-IAM4', applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole'] })] } },
      });
    });

    test('GIVEN a primary with defaults THEN the secondary sets none of those settings (RDS defaults, as on the primary)', () => {
      const { app, stack, cluster } = auroraSetup({
        port: undefined, iamAuthentication: undefined, cloudwatchLogsExports: undefined, storageType: undefined, monitoringInterval: undefined,
      });
      const standby = new DrStandby(stack, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [cluster] });
      const s = Template.fromStack(app.node.findChild('App-standby-us-west-2') as Stack);
      const props = Object.values(s.findResources('AWS::RDS::DBCluster'))[0].Properties;
      // aws-cdk-lib writes the engine's default port on the primary: the secondary copies it.
      const primary = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(cluster.node.defaultChild as rds.CfnDBCluster)];
      expect(props.Port).toBe(Number(primary.Properties.Port));
      for (const k of ['EnableIAMDatabaseAuthentication', 'EnableCloudwatchLogsExports', 'StorageType', 'DBClusterParameterGroupName']) expect([k, props[k]]).toEqual([k, undefined]);
      expect(standby.secondaryInstances).toHaveLength(1);
      expect(standby.secondaryInstances[0].monitoringInterval).toBeUndefined();
      s.resourceCountIs('AWS::IAM::Role', 0);
    });

    test('replicaMonitoringInterval and replicaMonitoringRole override the source; an interval RDS does not accept is refused', () => {
      const { app, stack, cluster } = auroraSetup();
      const role = iam.Role.fromRoleArn(stack, 'Mon', 'arn:aws:iam::111111111111:role/rds-monitoring');
      const standby = new DrStandby(stack, 'Standby', {
        objective: OBJECTIVE,
        region: 'us-west-2',
        strategy: DrStrategy.WARM_STANDBY,
        databases: [cluster],
        replicaMonitoringInterval: Duration.seconds(60),
        replicaMonitoringRole: role,
      });
      const standbyStack = app.node.findChild('App-standby-us-west-2') as Stack;
      expect(standbyStack.resolve(standby.secondaryInstances[0].monitoringInterval)).toBe(60);
      expect(standbyStack.resolve(standby.secondaryInstances[0].monitoringRoleArn)).toBe('arn:aws:iam::111111111111:role/rds-monitoring');
      Template.fromStack(standbyStack).resourceCountIs('AWS::IAM::Role', 0);

      const other = auroraSetup();
      const err = refusal(() => new DrStandby(other.stack, 'Standby', {
        objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [other.cluster], replicaMonitoringInterval: Duration.seconds(20),
      }));
      expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
      expect(err.message).toBe('[DRK020] `replicaMonitoringInterval` of DrStandby App/Standby must be 0, 1, 5, 10, 15, 30 or 60 seconds (RDS enhanced monitoring), but got 20 seconds');
    });

    test('a cross-region read replica copies port, IAM auth, log exports and monitoring of its source instance', () => {
      const app = testApp();
      const stack = new Stack(app, 'App', { env: ENV });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const db = new rds.DatabaseInstance(stack, 'Db', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        instanceIdentifier: 'app-db',
        storageEncrypted: true,
        port: 5440,
        iamAuthentication: true,
        cloudwatchLogsExports: ['postgresql'],
        monitoringInterval: Duration.seconds(15),
      });
      const standby = new DrStandby(stack, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [db], replicaParameterGroupName: 'replica-params' });
      expect(standby.readReplicas).toHaveLength(1);
      Template.fromStack(standby.standbyStack!).hasResourceProperties('AWS::RDS::DBInstance', Match.objectLike({
        SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:111111111111:db:app-db',
        Port: '5440',
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        MonitoringInterval: 15,
        MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitoringRole'), 'Arn'] },
        DBParameterGroupName: 'replica-params',
      }));
    });

    test('standbyStackOf refuses a token or the primary region, like the constructor', () => {
      const app = testApp();
      const stack = new Stack(app, 'App', { env: ENV });
      const same = refusal(() => DrStandby.standbyStackOf(stack, 'us-east-1'));
      expect(same.code).toBe(DrkitErrorCode.INVALID_REGION);
      expect(same.message).toBe('[DRK022] `region` "us-east-1" of DrStandby.standbyStackOf(App) is the region of stack App: a standby in the same region does not survive a region outage; choose another region');
      expect(refusal(() => DrStandby.standbyStackOf(stack, Aws.REGION)).message).toContain('must be a concrete region name such as "us-west-2", but got an unresolved token');
      expect(DrStandby.standbyStackOf(stack, 'us-west-2').stackName).toBe('App-us-east-1-standby-us-west-2');
      expect(DrStandby.standbyStackOf(stack, 'us-west-2')).toBe(app.node.findChild('App-standby-us-west-2'));
    });
  });
});
