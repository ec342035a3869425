import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { validate } from './json-schema';
import { CrossRegionReplicatedBucket, DrStandby, DynamoContinuousBackup, RdsPitrPolicy } from '../../../lib/cdk';
import { Disruption, DrStrategy, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { RecoveryReport } from '../../../lib/core/report';
import { testApp } from '../../util';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'report-schema.json'), 'utf8'));

const ENV = { account: '111111111111', region: 'us-east-1' };
const OBJECTIVE = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30 }),
});

/** What the backups (long-term restore points) are held to: region outage RPO 8 hours. */
const BACKUPS = RecoveryObjective.of({
  name: 'sync-backups',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(8), rto: Period.hours(8) }],
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30 }),
});

function standbyApp(): RecoveryReport {
  const app = testApp();
  const stack = new Stack(app, 'App', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    clusterIdentifier: 'sync-db',
  });
  const db = new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instanceIdentifier: 'app-db',
    storageEncrypted: true,
  });
  const table = new dynamodb.TableV2(stack, 'SyncState', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new RdsPitrPolicy(stack, 'ClusterPitr', { database: cluster, objective: BACKUPS, secondaryRegion: 'us-west-2' });
  const files = new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  new DrStandby(stack, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.HOT_STANDBY, tables: [table], databases: [cluster, db], replicatedBuckets: [files] });
  new DynamoContinuousBackup(stack, 'TableBackup', { table, objective: BACKUPS, secondaryRegion: 'us-west-2' });
  const assembly = app.synth();
  return RecoveryReport.fromCloudAssembly(assembly.directory);
}

let report: RecoveryReport;
let json: any;
let md: string;
beforeAll(() => {
  report = standbyApp();
  json = report.toJson();
  md = report.toMarkdown();
}, 120_000);

function resource(prefix: string): any {
  const r = json.resources.find((x: any) => x.stackName === 'App' && x.logicalId.startsWith(prefix));
  if (!r) throw new Error(`no resource App/${prefix}`);
  return r;
}

describe('the report on a primary with standbys and replicas', () => {
  test('the document validates against docs/report-schema.json', () => {
    expect(validate(SCHEMA, json)).toEqual([]);
  });

  test('replicas and secondaries are assessed with their source: only the primaries are resources', () => {
    expect(json.resources.map((r: any) => `${r.stackName}/${r.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
      'App/Cluster', 'App/Db', 'App/SyncState', 'App/UserFilesBucket',
    ]);
    expect(json.notAssessed.map((n: any) => n.resourceType)).not.toContain('AWS::RDS::GlobalCluster');
    expect(json.gaps).toEqual([]);
  });

  test('each primary shows its replica, in the standby region and the same account', () => {
    const live = (r: any, mechanism: string) => r.restorePoints.find((p: any) => p.mechanism === mechanism);
    expect(live(resource('Cluster'), 'aws.aurora.global-database')).toMatchObject({ region: 'us-west-2', account: '111111111111', offRegion: true, periodicity: 'live replica' });
    expect(live(resource('Db'), 'aws.rds.read-replica')).toMatchObject({ region: 'us-west-2', account: '111111111111', offRegion: true });
    expect(live(resource('SyncState'), 'aws.dynamodb.global-table')).toMatchObject({ region: 'us-west-2', offRegion: true });
    const files = resource('UserFilesBucket');
    const replica = live(files, 'aws.s3.replication.rtc');
    expect(replica).toMatchObject({ region: 'us-west-2', account: '111111111111', offRegion: true, offAccount: false });
    expect(replica.vault).toMatch(/^drkit-[0-9a-f]+-111111111111-us-west-2$/);
    expect(files.disruptions.find((d: any) => d.disruption === 'region')).toMatchObject({ status: 'unverified', rtoSeconds: 0, rtoIsLowerBound: true, mechanisms: ['aws.s3.replication.rtc'] });
  });

  test('the secondary vault and the copies to it are in the standby region, with the account filled in', () => {
    const vault = json.backup.vaults.find((v: any) => v.stackName === 'App-us-east-1-dr-us-west-2');
    expect(vault).toMatchObject({ name: 'App-us-east-1-SyncBackups-copies', region: 'us-west-2', account: '111111111111', lock: 'none', airGapped: false });
    for (const rule of json.backup.plans[0].rules) {
      expect(rule.copies).toEqual([{ destination: 'arn:aws:backup:us-west-2:111111111111:backup-vault:App-us-east-1-SyncBackups-copies', region: 'us-west-2', account: '111111111111', offRegion: true, offAccount: false, deleteAfterDays: 30, lock: 'none', airGapped: false, keyOutsideAccount: false }]);
    }
  });

  test('the Markdown compares the framework with its own objective and says when a disruption is not required', () => {
    expect(md).toContain('(stack App), compared with objective "sync-backups":');
    // The age is what the 6-hourly schedule guarantees: 6h between jobs plus the next job's start and completion windows.
    expect(md).toContain('| BACKUP_LAST_RECOVERY_POINT_CREATED | recoveryPointAgeUnit=hours, recoveryPointAgeValue=13 | Aurora, DynamoDB | '
      + 'a recovery point no older than 13 hours exists (compare with the RPO) | age 13h looser than the RPO 30m: the control cannot see a miss between the two |');
    expect(md).toContain('| account compromise | - | - | - | not required |');
    expect(md).not.toContain('unprotected (not required)');
    // Only the database without an objective shows a bare UNPROTECTED (its account compromise row).
    expect(md.split('\n').filter(l => l.includes('**UNPROTECTED**'))).toEqual(['| account compromise | - | - | - | **UNPROTECTED** |  | no mechanism found in the template |']);
    expect(md).toContain('| Aurora | 1 | yes |');
    expect(md).toContain('| S3 | 1 | **no** | - | - |');
  });
});
