import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildApp } from './reference-app';
import { SYNC_OBJECTIVE_PROPS } from '../../examples/cdk/app';
import {
  BackupHealthDashboard, BackupNotifications, CrossRegionReplicatedBucket, DrStandby, DrStrategy, DynamoContinuousBackup,
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
  const asm = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(asm.directory, 'manifest.json'), 'utf8'));
  const out: ManifestStack[] = [];
  for (const [id, a] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (a.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(asm.directory, a.properties.templateFile), 'utf8'));
    const region = String(a.environment).split('/').pop()!;
    const dependencies = (a.dependencies ?? []).filter((d: string) => manifest.artifacts[d]?.type === 'aws:cloudformation:stack');
    out.push({ id, stackName: a.properties.stackName ?? id, region, dependencies, template });
  }
  return out;
}
