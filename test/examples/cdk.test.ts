import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildApp, DB_CLUSTER_IDENTIFIER, DB_PORT, STANDBY_SUBNET_GROUP, SYNC_OBJECTIVE, SYNC_OBJECTIVE_PROPS } from '../../examples/cdk/app';
import { testApp } from '../util';
import { Disruption, DrkitError, DrkitErrorCode, DrStrategy, DynamoContinuousBackup, Period, RdsPitrPolicy, RecoveryObjective } from 'drkit';

function caught(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError, but nothing was thrown');
}

describe('examples/cdk: the reference sync service', () => {
  // One synthesis for the whole describe: CloudFormation validation as errors (testApp) and
  // cdk-nag's three packs as aspects.
  const built = buildApp(testApp());
  const assembly = built.app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'drkit-report.json'), 'utf8'));

  test('three stacks: primary in us-east-1, replicas/copies and database standby in us-west-2', () => {
    expect(built.stacks.map(s => [s.stackName, s.region])).toEqual([
      ['SyncService', 'us-east-1'],
      ['SyncService-dr-us-west-2', 'us-west-2'],
      ['SyncService-standby-us-west-2', 'us-west-2'],
    ]);
    expect(assembly.stacks.map(s => s.stackName).sort()).toEqual(['SyncService', 'SyncService-dr-us-west-2', 'SyncService-standby-us-west-2']);
    // The copies' stack deploys before the primary, the standby after it.
    expect(assembly.getStackByName('SyncService').dependencies.map(d => d.id)).toContain('SyncService-dr-us-west-2');
    expect(assembly.getStackByName('SyncService-standby-us-west-2').dependencies.map(d => d.id)).toContain('SyncService');
  });

  test('cdk-nag (AWS Solutions, NIST 800-53 rev 5, HIPAA) reports no error and no warning on any stack', () => {
    for (const stack of built.stacks) {
      const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));
      expect(errors.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('(AwsSolutions|NIST|HIPAA|CdkNagValidationFailure).*'));
      expect(warnings.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    }
  });

  test('every cdk-nag suppression in the templates carries a written reason, and the example lists each one', () => {
    const inTemplates: string[] = [];
    for (const stack of built.stacks) {
      const resources = Template.fromStack(stack).toJSON().Resources;
      for (const [logicalId, r] of Object.entries<any>(resources)) {
        for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
          expect(typeof s.reason).toBe('string');
          expect(s.reason.length).toBeGreaterThan(80);
          inTemplates.push(`${stack.stackName}/${logicalId}/${s.id}`);
        }
      }
    }
    expect(inTemplates.length).toBeGreaterThan(0);
    expect(built.suppressions.length).toBeGreaterThan(0);
    for (const s of built.suppressions) expect(s.reason.length).toBeGreaterThan(80);
    // Every suppression the example adds (listed in its README) is in the templates.
    const ruleIds = new Set(inTemplates.map(e => e.split('/').pop()));
    for (const s of built.suppressions) for (const id of s.ids) expect(ruleIds).toContain(id.replace(/\[.*$/, ''));
  });

  test('the recovery report lists the three stateful resources, each met or met-estimated for every objective disruption, with no gap', () => {
    expect(report.summary.gaps).toBe(0);
    expect(report.gaps).toEqual([]);
    const resources: any[] = report.resources;
    const kinds = resources.map(r => `${r.stackName}/${r.resourceType}`).sort();
    expect(kinds).toEqual(['SyncService/AWS::DynamoDB::GlobalTable', 'SyncService/AWS::RDS::DBCluster', 'SyncService/AWS::S3::Bucket']);
    for (const r of resources) {
      for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]) {
        const a = r.disruptions.find((x: any) => x.disruption === d);
        expect([r.logicalId, d, ['met', 'met-estimated'].includes(a.status)]).toEqual([r.logicalId, d, true]);
        expect(a.rpoSeconds).toBeLessThanOrEqual(30 * 60);
        if (a.rtoSeconds !== undefined && a.rtoSeconds !== null) expect(a.rtoSeconds).toBeLessThanOrEqual(60 * 60);
      }
    }
    // Against a region outage each resource counts on replication, not on backup copies.
    const region = (type: string) => resources.find(r => r.resourceType === type)
      .disruptions.find((x: any) => x.disruption === Disruption.REGION_OUTAGE);
    expect(region('AWS::S3::Bucket').mechanisms).toContain('aws.s3.replication.rtc');
    expect(region('AWS::S3::Bucket').rpoSeconds).toBe(15 * 60);
    expect([region('AWS::RDS::DBCluster').rtoSeconds, region('AWS::RDS::DBCluster').rtoKind]).toEqual([60, 'typical']);
    expect(region('AWS::DynamoDB::GlobalTable').mechanisms).toContain('aws.dynamodb.global-table');
    expect(region('AWS::RDS::DBCluster').mechanisms).toContain('aws.aurora.global-database');
    // The access-log buckets and the S3 replica are excluded on purpose, with their reasons.
    expect(report.excluded.map((e: any) => e.logicalId).sort()).toEqual([
      expect.stringMatching(/^AccessLogs/), expect.stringMatching(/^ReplicaAccessLogs/), expect.stringMatching(/^UserFilesBucket/),
    ]);
    const md = fs.readFileSync(path.join(assembly.directory, 'drkit-report.md'), 'utf8');
    expect(md).toContain('- Gaps: 0');
    expect(md).toContain('aws rds failover-global-cluster --global-cluster-identifier syncservice-syncservicedatabase');
  });

  test('user files: replicated with RTC to us-west-2, tiered in both regions, access logs in both regions', () => {
    const primary = Template.fromStack(built.stack);
    primary.hasResourceProperties('AWS::S3::Bucket', Match.objectLike({
      ReplicationConfiguration: Match.objectLike({
        Rules: [Match.objectLike({ Destination: Match.objectLike({ ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } } }) })],
      }),
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Id: 'drkit-tiering',
          NoncurrentVersionTransitions: [
            { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
            { StorageClass: 'GLACIER', TransitionInDays: 90 },
          ],
          NoncurrentVersionExpiration: { NoncurrentDays: 372 },
        })]),
      },
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    }));
    Template.fromStack(built.secondary).hasResourceProperties('AWS::S3::Bucket', Match.objectLike({
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Id: 'drkit-tiering',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 60 }],
          NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER', TransitionInDays: 60 }],
        })]),
      },
    }));
  });

  test('sync state: a global table with a us-west-2 replica, PITR 30 days and deletion protection on both', () => {
    Template.fromStack(built.stack).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: Match.arrayWith([
          Match.objectLike({ Region: 'us-west-2', DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 30 } }),
          Match.objectLike({ Region: 'us-east-1', DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 30 } }),
        ]),
      }),
    });
    expect(built.tableProtection.plan.pointInTimeRecoveryDays).toBe(30);
  });

  test('database: encrypted Aurora PostgreSQL in isolated subnets, 30-day backups, hot standby of two instances in us-west-2', () => {
    const primary = Template.fromStack(built.stack);
    primary.resourceCountIs('AWS::EC2::NatGateway', 0);
    primary.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DBClusterIdentifier: DB_CLUSTER_IDENTIFIER,
        Engine: 'aurora-postgresql',
        StorageEncrypted: true,
        BackupRetentionPeriod: 30,
        DeletionProtection: true,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        Port: DB_PORT,
      }),
    });
    primary.hasResourceProperties('AWS::RDS::GlobalCluster', { SourceDBClusterIdentifier: Match.anyValue(), DeletionProtection: true });
    primary.hasResourceProperties('AWS::SecretsManager::RotationSchedule', Match.objectLike({ RotationRules: { ScheduleExpression: 'rate(30 days)' } }));
    const standby = Template.fromStack(built.standbyStack);
    standby.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
      GlobalClusterIdentifier: 'syncservice-syncservicedatabase',
      DBSubnetGroupName: STANDBY_SUBNET_GROUP,
      StorageEncrypted: true,
      Port: DB_PORT,
      EnableIAMDatabaseAuthentication: true,
    }));
    standby.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: STANDBY_SUBNET_GROUP, DBSubnetGroupDescription: Match.anyValue(), SubnetIds: Match.anyValue() });
    standby.resourceCountIs('AWS::RDS::DBInstance', 2);
    expect(built.standby.strategy).toBe(DrStrategy.HOT_STANDBY);
    expect(built.databaseProtection.plan.backupRetentionDays).toBe(30);
  });
});

describe('examples/cdk: objectives the stack cannot meet', () => {
  test('the same objective with backups only (no replica) is refused for the table with DRK010', () => {
    const app = testApp();
    const stack = new Stack(app, 'SyncService', { env: { region: 'us-east-1' } });
    const table = new dynamodb.TableV2(stack, 'SyncState', { partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING } });
    const error = caught(() => new DynamoContinuousBackup(stack, 'SyncStateProtection', { table, objective: SYNC_OBJECTIVE, secondaryRegion: 'us-west-2' }));
    expect(error.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(error.message).toBe('[DRK010] `rpo` 30 minutes against region outage cannot be met for table SyncService/SyncState (objective "sync-service") '
      + 'by scheduled backups with copies to another region: the shortest AWS Backup schedule is hourly and a job may start up to 1 hour late (start window), '
      + 'so the worst case is at least 2 hours plus the copy time, which AWS does not publish '
      + '(https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html, https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html). '
      + 'Only replication can do better: add a replica in another region (DynamoDB global table via DrStandby), '
      + 'or raise the region outage rpo to at least 2 hours with `perDisruption`');
  });

  test('the same objective with backups only is refused for the Aurora cluster with DRK010', () => {
    const app = testApp();
    const stack = new Stack(app, 'SyncService', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const database = new rds.DatabaseCluster(stack, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      writer: rds.ClusterInstance.provisioned('Writer'),
      storageEncrypted: true,
    });
    const error = caught(() => new RdsPitrPolicy(stack, 'DatabaseProtection', { database, objective: SYNC_OBJECTIVE, secondaryRegion: 'us-west-2' }));
    expect(error.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(error.message).toBe('[DRK010] `rpo` 30 minutes against region outage cannot be met for database cluster SyncService/Database (objective "sync-service") '
      + 'by scheduled backups with copies to another region: the shortest AWS Backup schedule is hourly and a job may start up to 1 hour late (start window), '
      + 'so the worst case is at least 2 hours plus the copy time, which AWS does not publish '
      + '(https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html, https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html); '
      + 'add an Aurora global database in another region (DrStandby), or raise the region outage rpo to at least 2 hours with `perDisruption`');
  });

  const fast = RecoveryObjective.of({ ...SYNC_OBJECTIVE_PROPS, name: 'sync-service-fast', rto: Period.minutes(5) });

  test('RTO 5 minutes with a pilot-light standby fails synth with DRK011 naming the dominant term', () => {
    const error = caught(() => buildApp(testApp(), { nag: false, objective: fast, strategy: DrStrategy.PILOT_LIGHT }));
    expect(error.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(error.message).toMatch(/^\[DRK011\] `rto` 5 minutes against region outage cannot be met by pilot light for SyncService\/Standby \(objective "sync-service-fast"\): the estimate is at least 11m = detection unbounded \+ promotion 1m \+ activation 10m \+ dns unbounded; the dominant term is activation 10m \(pilot light: /);
    expect(error.message).toMatch(/use DrStrategy.WARM_STANDBY \(estimate 2m\) or raise the region-outage rto to at least 11m$/);
  });

  test('RTO 5 minutes with no standby (backup and restore) fails synth with DRK011 naming the dominant term', () => {
    const error = caught(() => buildApp(testApp(), { nag: false, objective: fast, strategy: DrStrategy.BACKUP_AND_RESTORE }));
    expect(error.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(error.message).toMatch(/^\[DRK011\] `rto` 5 minutes against region outage cannot be met by backup and restore for SyncService\/Standby .*the dominant term is activation 1h \(backup and restore: /);
  });

  test('control: the nag packs flag an unprotected table, so the nag check above can fail', () => {
    const app = testApp();
    const stack = new Stack(app, 'Bare', { env: { region: 'us-east-1' } });
    new dynamodb.Table(stack, 'SyncState', { partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PAY_PER_REQUEST });
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new NIST80053R5Checks());
    Aspects.of(app).add(new HIPAASecurityChecks());
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*')).map(e => String(e.entry.data));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map(e => String(e.entry.data));
    expect(warnings.some(e => e.startsWith('AwsSolutions-DDB3'))).toBe(true);
    expect(errors.some(e => e.includes('NIST.800.53.R5-DynamoDBInBackupPlan'))).toBe(true);
    expect(errors.some(e => e.includes('HIPAA.Security-DynamoDBPITREnabled'))).toBe(true);
  });
});
