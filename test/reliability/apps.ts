import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildApp } from './reference-app';
import { SYNC_OBJECTIVE_PROPS } from '../../examples/cdk/app';
import {
  BackupHealthDashboard, BackupNotifications, CrossRegionReplicatedBucket, Disruption, DrStandby, DrStrategy, DynamoContinuousBackup,
  Period, RdsPitrPolicy, RecoveryObjective, Retention,
} from '../../lib';
import { testApp } from '../util';

/**
 * The CDK apps the reliability tests synthesize whole: every app of examples/cdk (with each
 * standby strategy) and representative test apps that use every construct that points an
 * alarm, an S3 event or an EventBridge rule at an SNS topic.
 */
export interface NamedApp {
  readonly name: string;
  readonly build: () => App;
}

const ENV = { account: '111111111111', region: 'us-east-1' };
const OBJECTIVE_PROPS = {
  name: 'fixture',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(14), daily: 14 }),
};
const OBJECTIVE = RecoveryObjective.of(OBJECTIVE_PROPS);
/** A pilot light's estimate is at least 1h 1m (its activation band), so its objective allows 2 hours. */
const PILOT_OBJECTIVE = RecoveryObjective.of({ ...OBJECTIVE_PROPS, name: 'fixture-pilot', rto: Period.hours(2) });

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function auroraCluster(stack: Stack, vpc: ec2.Vpc, identifier: string): rds.DatabaseCluster {
  return new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
    clusterIdentifier: identifier,
    storageEncrypted: true,
  });
}

/** Every construct that notifies a topic, with drkit's topics and with topics of the app. */
function everyConstruct(): App {
  const app = testApp();
  const stack = new Stack(app, 'Svc', { env: ENV });
  const vpc = isolatedVpc(stack);

  // S3: the stack's shared replication alarm topic, and a topic of the app.
  new CrossRegionReplicatedBucket(stack, 'Files', { objective: OBJECTIVE, secondaryRegion: 'us-west-2', continuousBackup: true });
  const ownKey = new kms.Key(stack, 'OwnTopicKey', { enableKeyRotation: true });
  const ownTopic = new sns.Topic(stack, 'OwnTopic', { masterKey: ownKey, enforceSSL: true });
  new CrossRegionReplicatedBucket(stack, 'Docs', { objective: OBJECTIVE, secondaryRegion: 'us-west-2', alarmTopic: ownTopic });

  // DynamoDB: continuous backup (ObjectiveBackup with its notifications and dashboard) and a
  // standby replica with its lag alarm.
  const table = new dynamodb.TableV2(stack, 'State', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });

  // RDS: a read replica (standby stack) and point-in-time recovery.
  const db = new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instanceIdentifier: 'svc-db',
    storageEncrypted: true,
  });
  new RdsPitrPolicy(stack, 'DbProtection', { database: db, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  new DrStandby(stack, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.HOT_STANDBY, tables: [table], databases: [db] });
  // After the standby: the plan counts the table's replica against a region outage.
  new DynamoContinuousBackup(stack, 'StateProtection', { table, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });

  // Evidence on a vault of the app, notifying a topic of the app.
  const vault = new backup.BackupVault(stack, 'OwnVault', { encryptionKey: ownKey });
  const notifications = new BackupNotifications(stack, 'OwnNotifications', { vault, topic: ownTopic });
  new BackupHealthDashboard(stack, 'OwnHealth', { vault, alarmTopic: notifications.topic });
  return app;
}

/** DrStandby of an Aurora cluster, for one strategy, with a topic of the app for the primary's alarms. */
function auroraStandby(strategy: DrStrategy): App {
  const app = testApp();
  const stack = new Stack(app, 'Db', { env: { account: ENV.account, region: 'eu-west-1' } });
  const vpc = isolatedVpc(stack);
  const cluster = auroraCluster(stack, vpc, 'db-cluster');
  const table = new dynamodb.TableV2(stack, 'State', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const key = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true });
  new DrStandby(stack, 'Standby', {
    objective: strategy === DrStrategy.PILOT_LIGHT ? PILOT_OBJECTIVE : OBJECTIVE,
    region: 'eu-central-1',
    strategy,
    tables: [table],
    databases: [cluster],
    alarmTopic: topic,
    replicaInstanceClass: 'db.r6g.large',
  });
  return app;
}

/** DrStandby in another stack than its databases: the standby stack must deploy after the databases' stack too. */
function databasesInAnotherStack(): App {
  const app = testApp();
  const data = new Stack(app, 'Data', { env: ENV });
  const vpc = isolatedVpc(data);
  const db = new rds.DatabaseInstance(data, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instanceIdentifier: 'data-db',
    storageEncrypted: true,
  });
  // The read replica names its source by ARN only (no reference ties the stacks together).
  const dr = new Stack(app, 'Dr', { env: ENV });
  new sns.Topic(dr, 'Ops', { masterKey: new kms.Key(dr, 'OpsKey', { enableKeyRotation: true }), enforceSSL: true });
  new DrStandby(dr, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [db] });
  return app;
}

/** A replicated bucket whose destination (by name) is a bucket of another stack of the app. */
function destinationInAnotherStack(): App {
  const app = testApp();
  const west = new Stack(app, 'Archive', { env: { ...ENV, region: 'us-west-2' } });
  const key = new kms.Key(west, 'ArchiveKey', { enableKeyRotation: true, alias: 'fixture/archive' });
  new s3.Bucket(west, 'Archive', {
    bucketName: 'fixture-archive-111111111111-us-west-2',
    versioned: true,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const east = new Stack(app, 'Source', { env: ENV });
  new CrossRegionReplicatedBucket(east, 'Files', {
    objective: OBJECTIVE,
    destination: {
      bucketName: 'fixture-archive-111111111111-us-west-2',
      region: 'us-west-2',
      kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/fixture/archive',
    },
  });
  return app;
}

/** The stacks of a Stage (a nested cloud assembly): replication, copies and a standby. */
function inAStage(): App {
  const app = testApp();
  const stage = new Stage(app, 'Prod');
  const stack = new Stack(stage, 'Svc', { env: ENV });
  new CrossRegionReplicatedBucket(stack, 'Files', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  const vpc = isolatedVpc(stack);
  const cluster = auroraCluster(stack, vpc, 'prod-cluster');
  new DrStandby(stack, 'Standby', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databases: [cluster], replicaInstanceClass: 'db.r6g.large' });
  new RdsPitrPolicy(stack, 'ClusterProtection', { database: cluster, objective: OBJECTIVE, secondaryRegion: 'us-west-2', standbyRegion: 'us-west-2' });
  return app;
}

/** Copies into a backup account's vault (a stack of the same app). */
function backupAccount(): App {
  const app = testApp();
  const stack = new Stack(app, 'Svc', { env: ENV });
  const table = new dynamodb.TableV2(stack, 'State', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const objective = RecoveryObjective.of({ ...OBJECTIVE_PROPS, name: 'fixture-account', rpo: Period.days(1), rto: Period.days(1), disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE] });
  new DynamoContinuousBackup(stack, 'StateProtection', { table, objective, backupAccount: '222222222222' });
  return app;
}

/** The apps, by name. */
export const APPS: NamedApp[] = [
  { name: 'examples/cdk (hot standby)', build: () => buildApp(testApp(), { nag: false }).app },
  { name: 'examples/cdk (warm standby)', build: () => buildApp(testApp(), { nag: false, strategy: DrStrategy.WARM_STANDBY }).app },
  {
    name: 'examples/cdk (pilot light)',
    build: () => buildApp(testApp(), {
      nag: false,
      strategy: DrStrategy.PILOT_LIGHT,
      objective: RecoveryObjective.of({ ...SYNC_OBJECTIVE_PROPS, rto: Period.hours(2) }),
    }).app,
  },
  { name: 'every construct', build: everyConstruct },
  { name: 'aurora hot standby', build: () => auroraStandby(DrStrategy.HOT_STANDBY) },
  { name: 'aurora pilot light', build: () => auroraStandby(DrStrategy.PILOT_LIGHT) },
];

/** Apps for the deploy-order test: each with the least number of cross-stack references by name it must find. */
export const ORDER_APPS: Array<NamedApp & { readonly crossStackReferences?: number }> = [
  ...APPS.map(a => ({ ...a, crossStackReferences: a.name.startsWith('aurora') ? 1 : 2 })),
  { name: 'database in another stack than the DrStandby', build: databasesInAnotherStack, crossStackReferences: 1 },
  { name: 'destination bucket in another stack', build: destinationInAnotherStack, crossStackReferences: 2 },
  { name: 'stacks in a Stage', build: inAStage, crossStackReferences: 3 },
  { name: 'copies into a backup account', build: backupAccount, crossStackReferences: 1 },
];

/** One stack of a synthesized app: its manifest entry and its template. */
export interface ManifestStack {
  readonly id: string;
  readonly stackName: string;
  readonly region: string;
  readonly dependencies: string[];
  readonly template: any;
}

/** Synthesizes `app` and reads its stacks from the cloud assembly's manifest.json (what `cdk deploy --all` reads). */
export function synthStacks(app: App): ManifestStack[] {
  return readAssembly(app.synth().directory);
}

/** The stacks of the cloud assembly in `dir` and of its nested assemblies (Stages). */
function readAssembly(dir: string): ManifestStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const out: ManifestStack[] = [];
  for (const [id, a] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (a.type === 'cdk:cloud-assembly') {
      out.push(...readAssembly(path.join(dir, a.properties.directoryName)));
      continue;
    }
    if (a.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, a.properties.templateFile), 'utf8'));
    const region = String(a.environment).split('/').pop()!;
    const dependencies = (a.dependencies ?? []).filter((d: string) => manifest.artifacts[d]?.type === 'aws:cloudformation:stack');
    out.push({ id, stackName: a.properties.stackName ?? id, region, dependencies, template });
  }
  return out;
}
