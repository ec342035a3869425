import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildApp, DB_CLUSTER_IDENTIFIER, DB_PORT, STANDBY_CLUSTER_IDENTIFIER, STANDBY_SUBNET_GROUP, SYNC_OBJECTIVE, SYNC_OBJECTIVE_PROPS } from '../../examples/cdk/app';
import { run } from '../cli/run';
import { synthRefusal, synthRefusals, testApp } from '../util';
import { Disruption, DrkitErrorCode, DrStrategy, DynamoContinuousBackup, Period, RdsPitrPolicy, RecoveryObjective } from 'drkit';


describe('examples/cdk: the reference sync service', () => {
  // One synthesis for the whole describe: CloudFormation validation as errors (testApp) and
  // cdk-nag's three packs as aspects.
  const built = buildApp(testApp());
  const assembly = built.app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'drkit-report.json'), 'utf8'));

  test('three stacks: primary in us-east-1, replicas/copies and database standby in us-west-2', () => {
    expect(built.stacks.map(s => [s.stackName, s.region])).toEqual([
      ['SyncService', 'us-east-1'],
      ['SyncService-us-east-1-dr-us-west-2', 'us-west-2'],
      ['SyncService-us-east-1-standby-us-west-2', 'us-west-2'],
    ]);
    expect(assembly.stacks.map(s => s.stackName).sort()).toEqual(['SyncService', 'SyncService-us-east-1-dr-us-west-2', 'SyncService-us-east-1-standby-us-west-2']);
    // The copies' stack deploys before the primary, the standby after it (artifact ids are the construct ids).
    expect(assembly.getStackByName('SyncService').dependencies.map(d => d.id)).toContain('SyncService-dr-us-west-2');
    expect(assembly.getStackByName('SyncService-us-east-1-standby-us-west-2').dependencies.map(d => d.id)).toContain('SyncService');
  });

  test('the objective is in each template once, and the report is the same as with objectives inline on the resources (templates before issue 16)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-inline-'));
    fs.cpSync(assembly.directory, dir, { recursive: true });
    const inlined: string[] = [];
    for (const s of assembly.stacks) {
      const file = path.join(dir, s.templateFile);
      const t = JSON.parse(fs.readFileSync(file, 'utf8'));
      const table = t.Metadata?.['drkit:objectives'] ?? {};
      for (const [id, r] of Object.entries<any>(t.Resources)) {
        if (typeof r.Metadata?.['drkit:objective'] !== 'string') continue;
        expect(table[r.Metadata['drkit:objective']]).toEqual(JSON.parse(JSON.stringify(SYNC_OBJECTIVE.toJson())));
        r.Metadata['drkit:objective'] = table[r.Metadata['drkit:objective']];
        inlined.push(`${s.stackName}/${id}`);
      }
      if (t.Metadata) delete t.Metadata['drkit:objectives'];
      fs.writeFileSync(file, JSON.stringify(t, undefined, 1));
    }
    expect(inlined.sort()).toEqual(['SyncService/DatabaseB269D8BB', 'SyncService/SyncState04873ED7', 'SyncService/UserFilesBucketA0D7EE59']);
    const byKey = await run('report', assembly.directory, '--json');
    const inline = await run('report', dir, '--json');
    expect([byKey.code, inline.code]).toEqual([0, 0]);
    const body = (text: string) => ({ ...JSON.parse(text), source: undefined });
    expect(body(inline.out)).toEqual(body(byKey.out));
    // and the report written at synth has the same rows and statuses
    const rows = (r: any) => r.resources.map((x: any) => [x.stackName, x.logicalId, x.objectiveSource, x.disruptions.map((d: any) => d.status)]);
    expect(rows(report)).toEqual(rows(JSON.parse(byKey.out)));
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

  test('the recovery report lists the three stateful resources, each met or unverified for every objective disruption, with no gap', () => {
    expect(report.summary.gaps).toBe(0);
    expect(report.gaps).toEqual([]);
    const resources: any[] = report.resources;
    const kinds = resources.map(r => `${r.stackName}/${r.resourceType}`).sort();
    expect(kinds).toEqual(['SyncService/AWS::DynamoDB::GlobalTable', 'SyncService/AWS::RDS::DBCluster', 'SyncService/AWS::S3::Bucket']);
    for (const r of resources) {
      for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]) {
        const a = r.disruptions.find((x: any) => x.disruption === d);
        expect([r.logicalId, d, ['met', 'unverified'].includes(a.status)]).toEqual([r.logicalId, d, true]);
        // Global-table replication publishes no bound (issue 12): no RPO figure, an unverified row.
        if (a.rpoSeconds !== undefined && a.rpoSeconds !== null) expect(a.rpoSeconds).toBeLessThanOrEqual(30 * 60);
        if (a.rtoSeconds !== undefined && a.rtoSeconds !== null) expect(a.rtoSeconds).toBeLessThanOrEqual(60 * 60);
      }
    }
    // Against a region outage each resource counts on replication, not on backup copies.
    const region = (type: string) => resources.find(r => r.resourceType === type)
      .disruptions.find((x: any) => x.disruption === Disruption.REGION_OUTAGE);
    expect(region('AWS::S3::Bucket').mechanisms).toContain('aws.s3.replication.rtc');
    expect(region('AWS::S3::Bucket').rpoSeconds).toBe(15 * 60);
    // Promotion is "in the order of minutes" (at least 1); detection and the client switch have no
    // published bound, so the RTO is an estimate and a lower bound: the row is unverified.
    expect([region('AWS::RDS::DBCluster').rtoSeconds, region('AWS::RDS::DBCluster').rtoKind, region('AWS::RDS::DBCluster').rtoIsLowerBound]).toEqual([60, 'estimated', true]);
    expect(region('AWS::RDS::DBCluster')).toMatchObject({ status: 'unverified', verification: expect.stringContaining('failover drill') });
    expect(region('AWS::DynamoDB::GlobalTable').mechanisms[0]).toBe('aws.dynamodb.global-table');
    expect(region('AWS::DynamoDB::GlobalTable')).toMatchObject({ status: 'unverified', rpoKind: 'none' });
    expect(region('AWS::RDS::DBCluster').mechanisms).toContain('aws.aurora.global-database');
    // The access-log buckets and the S3 replica are excluded on purpose, with their reasons
    // (the replica by drkit, the rest by the ProtectedScope).
    expect(report.excluded.map((e: any) => `${e.stackName}/${e.logicalId}`).sort()).toEqual([
      expect.stringMatching(/^SyncService-us-east-1-dr-us-west-2\/ReplicaAccessLogs/),
      expect.stringMatching(/^SyncService-us-east-1-dr-us-west-2\/UserFilesBucket/),
      expect.stringMatching(/^SyncService\/AccessLogs[0-9A-F]{8}$/),
    ]);
    for (const e of report.excluded) expect(e.reason.length).toBeGreaterThan(60);
    const md = fs.readFileSync(path.join(assembly.directory, 'drkit-report.md'), 'utf8');
    expect(md).toContain('- Gaps: 0');
    expect(md).toContain('aws rds failover-global-cluster --global-cluster-identifier syncservice-us-east-1-syncservicedatabase');
  });

  test('the report claims only what the figures support: no met row with an unbounded or lower-bound figure, the headline counts the unverified rows', () => {
    const rows = report.resources.flatMap((r: any) => r.disruptions.map((d: any) => ({ id: `${r.logicalId}/${d.disruption}`, ...d })));
    const met = rows.filter((d: any) => d.status === 'met');
    for (const d of met) {
      expect([d.id, d.rpoSeconds !== undefined, d.rtoSeconds !== undefined, d.rpoIsLowerBound, d.rtoIsLowerBound])
        .toEqual([d.id, true, true, false, false]);
      expect([d.id, ['documented', 'typical', 'estimated'].includes(d.rpoKind), ['documented', 'typical', 'estimated'].includes(d.rtoKind)]).toEqual([d.id, true, true]);
    }
    const unverified = rows.filter((d: any) => d.status === 'unverified');
    expect(unverified.length).toBeGreaterThan(0);
    for (const d of unverified) expect([d.id, typeof d.verification]).toEqual([d.id, 'string']);
    expect(report.summary.unverified).toBe(unverified.length);
    expect(report.summary.statusCounts).toEqual({ 'met': met.length, 'unverified': unverified.length, 'not-met': 0, 'unprotected': 0, 'not-required': 3, 'no-objective': 0 });
    const md = fs.readFileSync(path.join(assembly.directory, 'drkit-report.md'), 'utf8');
    expect(md).toContain(`**Headline: of 9 required rows (resource x disruption), ${met.length} met, ${unverified.length} unverified, 0 not met, 0 unprotected; 0 gaps.**`);
    // The vault locks are in governance mode: no copy is immutable, and the 3-2-1 table says why.
    for (const r of report.resources) expect([r.logicalId, r.threeTwoOne.immutable, r.threeTwoOne.lock]).toEqual([r.logicalId, false, 'governance']);
    expect(md).toContain('no (governance: removable by users with sufficient IAM permissions)');
    // Copies of the table's backups need AWS Backup's advanced DynamoDB features: a precondition, with the commands.
    const table = report.resources.find((r: any) => r.resourceType === 'AWS::DynamoDB::GlobalTable');
    expect(table.preconditions).toEqual([expect.stringContaining('advanced DynamoDB backup features')]);
    expect(md).toContain('aws backup update-region-settings --resource-type-management-preference DynamoDB=true --region us-east-1');
  });

  test('one ProtectedScope protects the whole primary stack: everything stateful is left to the named constructs or excluded with a reason', () => {
    expect(built.protection.root).toBe(built.stack);
    expect(built.protection.objective).toBe(SYNC_OBJECTIVE);
    // The three stateful resources carry drkit:construct (the scope leaves them to their
    // constructs); the rest is excluded by the scope, with its reason in the template.
    // (The cluster's instances count as covered by their cluster, which RdsPitrPolicy protects.)
    expect(built.protection.protectedResources.sort()).toEqual(['SyncService/Database/Reader/Resource', 'SyncService/Database/Writer/Resource']);
    expect(built.protection.excludedResources.sort()).toEqual(['SyncService/AccessLogs/Resource']);
    const resources = Template.fromStack(built.stack).toJSON().Resources;
    for (const [, r] of Object.entries<any>(resources)) {
      if (!['AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBCluster', 'AWS::RDS::GlobalCluster'].includes(r.Type)) continue;
      expect([r.Type, r.Metadata?.['drkit:construct'] !== undefined || typeof r.Metadata?.['drkit:excluded'] === 'string']).toEqual([r.Type, true]);
    }
  });

  test('the report shows the vault lock (governance), the copies to us-west-2, the restore tests and the audit framework', () => {
    const vaults: any[] = report.backup.vaults;
    expect(vaults.map(v => [v.stackName, v.region, v.lock])).toEqual([
      ['SyncService', 'us-east-1', 'governance'],
      ['SyncService-us-east-1-dr-us-west-2', 'us-west-2', 'governance'],
    ]);
    for (const v of vaults) expect([v.minRetentionDays, v.maxRetentionDays]).toEqual([30, 372]);
    // Every scheduled rule copies to the vault in us-west-2; the continuous rule (S3 point in
    // time) stays in the primary vault.
    const rules: any[] = report.backup.plans.flatMap((p: any) => p.rules);
    for (const r of rules.filter(x => !x.continuous)) {
      expect(r.copies.map((c: any) => [c.offRegion, c.region])).toEqual([[true, 'us-west-2']]);
    }
    // Each resource gets the rules its protection asked for, in a plan of its rule set (issue 11):
    // the bucket only continuous backup, the table 6-hourly and monthly points (the daily rule
    // repeated the 05:00 run of the 6-hourly one with the same retention), the Aurora cluster
    // (point in time by RDS, region outage by the standby) only the monthly points.
    const plans = new Map<string, any>(report.backup.plans.map((p: any) => [p.logicalId, p]));
    const byResource = report.backup.selections.flatMap((x: any) => x.resources.map((id: string) => [
      id.replace(/[0-9A-F]{8}$/, ''), plans.get(x.plan).rules.map((r: any) => [r.name, r.continuous, r.deleteAfterDays]),
    ])).sort((a: any, b: any) => a[0].localeCompare(b[0]));
    expect(byResource).toEqual([
      ['Database', [['Monthly', false, 372]]],
      ['SyncState', [['Every6h', false, 30], ['Monthly', false, 372]]],
      ['UserFilesBucket', [['Continuous', true, 30]]],
    ]);
    // Restore tests of every protected type, weekly.
    const testing: any[] = report.backup.restoreTestingPlans;
    expect(testing).toHaveLength(1);
    expect(testing[0].selections.map((x: any) => x.resourceType).sort()).toEqual(['Aurora', 'DynamoDB', 'S3']);
    expect(report.summary.restoreTestsScheduled).toBe(3);
    for (const r of report.resources) expect([r.logicalId, r.recoveryTesting.scheduled]).toEqual([r.logicalId, true]);
    // The audit framework checks the objective's schedule, the lock and the copies.
    const controls: string[] = report.backup.frameworks.flatMap((f: any) => f.controls.map((c: any) => c.name));
    expect(controls).toEqual(expect.arrayContaining([
      'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
      'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
      'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
    ]));
    // 3-2-1 holds for every resource; the user files have 3 copies besides the live bucket's
    // versions: the replica, the continuous backup and its vault's copies.
    for (const r of report.resources) expect([r.logicalId, r.threeTwoOne.satisfied]).toEqual([r.logicalId, true]);
    const files = report.resources.find((r: any) => r.resourceType === 'AWS::S3::Bucket');
    expect(files.threeTwoOne.copies).toBeGreaterThanOrEqual(3);
    expect(files.threeTwoOne.media).toEqual(expect.arrayContaining(['s3', 's3-replica', 'aws-backup-vault']));
    expect(files.disruptions.find((d: any) => d.disruption === Disruption.DATA_CORRUPTION).mechanisms).toContain('aws.backup.continuous');
    const md = fs.readFileSync(path.join(assembly.directory, 'drkit-report.md'), 'utf8');
    expect(md).toContain('### Restore testing');
    expect(md).toContain('### Audit frameworks');
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
      // AWS Backup for S3 reads changes from EventBridge (continuous backup).
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: { EventBridgeEnabled: true } }),
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
    const ref = (type: string) => ({ Ref: Object.keys(standby.findResources(type))[0] });
    // The secondary copies the primary's settings (DrStandby) and uses the standby stack's
    // subnet group, security group and TLS-only parameters (passed by reference).
    standby.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
      GlobalClusterIdentifier: 'syncservice-us-east-1-syncservicedatabase',
      DBClusterIdentifier: STANDBY_CLUSTER_IDENTIFIER,
      DBSubnetGroupName: ref('AWS::RDS::DBSubnetGroup'),
      VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Object.keys(standby.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Aurora secondary') } }))[0], 'GroupId'] }],
      DBClusterParameterGroupName: ref('AWS::RDS::DBClusterParameterGroup'),
      StorageEncrypted: true,
      Port: DB_PORT,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
    }));
    standby.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', Match.objectLike({ Parameters: { 'rds.force_ssl': '1' } }));
    standby.hasResourceProperties('AWS::RDS::DBSubnetGroup', { DBSubnetGroupName: STANDBY_SUBNET_GROUP, DBSubnetGroupDescription: Match.anyValue(), SubnetIds: Match.anyValue() });
    standby.resourceCountIs('AWS::RDS::DBInstance', 2);
    expect(built.standby.secondaryInstances).toHaveLength(2);
    for (const instance of Object.values(standby.findResources('AWS::RDS::DBInstance'))) {
      expect(instance.Properties).toEqual(expect.objectContaining({
        MonitoringInterval: 60,
        MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/MonitoringRole/), 'Arn'] },
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^SecondarySyncServiceDatabaseKey/), 'Arn'] },
      }));
    }
    expect(built.standby.strategy).toBe(DrStrategy.HOT_STANDBY);
    expect(built.databaseProtection.plan.backupRetentionDays).toBe(30);
  });
});

describe('examples/cdk: objectives the stack cannot meet', () => {
  test('the same objective with backups only (no replica) is refused for the table with DRK010, at synth (a DrStandby added later would supply the replica)', () => {
    const app = testApp();
    const stack = new Stack(app, 'SyncService', { env: { region: 'us-east-1' } });
    const table = new dynamodb.TableV2(stack, 'SyncState', { partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING } });
    const error = synthRefusal(app, () => new DynamoContinuousBackup(stack, 'SyncStateProtection', { table, objective: SYNC_OBJECTIVE, secondaryRegion: 'us-west-2' }));
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
    const error = synthRefusal(app, () => new RdsPitrPolicy(stack, 'DatabaseProtection', { database, objective: SYNC_OBJECTIVE, secondaryRegion: 'us-west-2' }));
    expect(error.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(error.message).toBe('[DRK010] `rpo` 30 minutes against region outage cannot be met for database cluster SyncService/Database (objective "sync-service") '
      + 'by scheduled backups with copies to another region: the shortest AWS Backup schedule is hourly and a job may start up to 1 hour late (start window), '
      + 'so the worst case is at least 2 hours plus the copy time, which AWS does not publish '
      + '(https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html, https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html); '
      + 'add an Aurora global database in another region (DrStandby), or raise the region outage rpo to at least 2 hours with `perDisruption`');
  });

  const fast = RecoveryObjective.of({ ...SYNC_OBJECTIVE_PROPS, name: 'sync-service-fast', rto: Period.minutes(5) });

  test('RTO 5 minutes with a pilot-light standby fails synth with DRK011 naming the dominant term (the upper end of its band)', () => {
    const refusals = synthRefusals(buildApp(testApp(), { nag: false, objective: fast, strategy: DrStrategy.PILOT_LIGHT }).app);
    // One synth names every refusal: the standby's, and those of the protections that counted on its replicas
    // (the table's once: ProtectedScope leaves a table that DynamoContinuousBackup protects to it).
    expect(refusals.map(r => `${r.path} ${r.code}`)).toEqual([
      'SyncService/Standby DRK011',
      'SyncService/SyncStateProtection DRK010',
      'SyncService/DatabaseProtection DRK012',
    ]);
    const error = refusals.find(r => r.path === 'SyncService/Standby')!;
    expect(error.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(error.message).toMatch(/^\[DRK011\] `rto` 5 minutes against region outage cannot be met by pilot light for SyncService\/Standby \(objective "sync-service-fast"\): the estimate is at least 1h 1m = detection unbounded \+ promotion 1m \+ activation 1h \+ dns unbounded; the dominant term is activation 1h \(pilot light: /);
    expect(error.message).toMatch(/use DrStrategy.HOT_STANDBY \(estimate 1m\) or raise the region-outage rto to at least 1h 1m$/);
  });

  test('no standby (backup and restore) with a 30-minute region-outage RPO fails synth with DRK010: it keeps no replica', () => {
    const refusals = synthRefusals(buildApp(testApp(), { nag: false, objective: fast, strategy: DrStrategy.BACKUP_AND_RESTORE }).app);
    // One synth names every refusal: the standby's, and those of the protections that counted on its replicas
    // (the table's once: ProtectedScope leaves a table that DynamoContinuousBackup protects to it).
    expect(refusals.map(r => `${r.path} ${r.code}`)).toEqual([
      'SyncService/Standby DRK010',
      'SyncService/SyncStateProtection DRK010',
      'SyncService/DatabaseProtection DRK012',
    ]);
    const error = refusals.find(r => r.path === 'SyncService/Standby')!;
    expect(error.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(error.message).toMatch(/^\[DRK010\] `rpo` 30 minutes against region outage cannot be met by backup and restore for SyncService\/Standby .*choose a strategy with live replicas \(DrStrategy.PILOT_LIGHT, the cheapest one\)/);
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
