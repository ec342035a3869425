/**
 * The benchmark workloads: one app protecting N DynamoDB tables (plus, in the `all` mix, N
 * replicated buckets and N/10 databases) with one objective, written with drkit and with
 * plain aws-cdk-lib (PITR, a backup vault, plan and selection with a copy to a second region,
 * replication rules by hand).
 */
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** drkit, loaded from the compiled package (`lib/index.js`) unless DRKIT_BENCH_TS=1. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const drkit: typeof import('../lib') = require(process.env.DRKIT_BENCH_TS === '1' ? '../lib/index.ts' : path.join(__dirname, '..', 'lib', 'index.js'));

export const ACCOUNT = '111111111111';
export const PRIMARY = 'us-east-1';
export const SECONDARY = 'us-west-2';

/** What the app protects. */
export type Mix = 'tables' | 'all';

/** The one objective: RPO 30 min (7 h against a region outage, what 6-hourly copies give), 35 days PITR, 30 daily, 12 monthly. */
export function benchObjective() {
  return drkit.RecoveryObjective.of({
    name: 'bench',
    rpo: drkit.Period.minutes(30),
    rto: drkit.Period.hours(4),
    disruptions: [drkit.Disruption.DATA_CORRUPTION, drkit.Disruption.AZ_OUTAGE, drkit.Disruption.REGION_OUTAGE],
    perDisruption: [{ disruption: drkit.Disruption.REGION_OUTAGE, rpo: drkit.Period.hours(7) }],
    backupInterval: drkit.Period.hours(6),
    retention: drkit.Retention.of({ pointInTime: drkit.Period.days(35), daily: 30, monthly: 12 }),
  });
}

function newApp(outdir: string): App {
  // The resource-count check is lifted so that the benchmark can measure stacks past 500
  // resources (the count is reported instead); CDK enforces it by default.
  return new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
}

function tableProps(): dynamodb.TableProps {
  return {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  };
}

function dbCount(n: number, mix: Mix): number {
  return mix === 'all' ? Math.floor(n / 10) : 0;
}

function database(stack: Stack, vpc: ec2.IVpc, i: number): rds.DatabaseInstance {
  return new rds.DatabaseInstance(stack, `Db${i}`, {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
  });
}

function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

/** The app with drkit's constructs. */
export function drkitApp(n: number, mix: Mix, outdir: string): App {
  const app = newApp(outdir);
  const stack = new Stack(app, 'Bench', { env: { account: ACCOUNT, region: PRIMARY } });
  const objective = benchObjective();
  for (let i = 0; i < n; i++) {
    const table = new dynamodb.Table(stack, `Table${i}`, tableProps());
    new drkit.DynamoContinuousBackup(stack, `Table${i}Protection`, { table, objective, secondaryRegion: SECONDARY });
  }
  if (mix === 'all') {
    for (let i = 0; i < n; i++) {
      new drkit.CrossRegionReplicatedBucket(stack, `Bucket${i}`, { objective, secondaryRegion: SECONDARY });
    }
    const dbs = dbCount(n, mix);
    const vpc = dbs > 0 ? vpcOf(stack) : undefined;
    for (let i = 0; i < dbs; i++) {
      new drkit.RdsPitrPolicy(stack, `Db${i}Protection`, { database: database(stack, vpc!, i), objective, secondaryRegion: SECONDARY });
    }
  }
  return app;
}

/** Variants of the plain workload. */
export interface PlainOptions {
  /**
   * Grant the shared replication role what replication needs (`Bucket.grantReplicationPermission`,
   * aws-cdk-lib's API for a role passed as `replicationRole`). `false` is the baseline measured
   * before: a role with no policy, whose buckets could not replicate.
   * @default true
   */
  readonly replicationGrants?: boolean;
}

/**
 * The same protection written by hand with aws-cdk-lib: PITR (35 days), deletion protection
 * and RETAIN on every table; one KMS-encrypted vault, a plan (6-hourly + monthly, copies to
 * a vault in the second region) and one selection of every table and database; per bucket a
 * versioned, KMS-encrypted, TLS-only, public-access-blocked source with a replication rule
 * (RTC, metrics) to a replica bucket with its own key in the second region.
 */
export function plainApp(n: number, mix: Mix, outdir: string, options: PlainOptions = {}): App {
  const app = newApp(outdir);
  const dr = new Stack(app, 'BenchDr', { env: { account: ACCOUNT, region: SECONDARY } });
  const drKey = new kms.Key(dr, 'VaultKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  new backup.BackupVault(dr, 'Vault', { backupVaultName: 'bench-dr', encryptionKey: drKey, removalPolicy: RemovalPolicy.RETAIN });

  const stack = new Stack(app, 'Bench', { env: { account: ACCOUNT, region: PRIMARY } });
  const key = new kms.Key(stack, 'VaultKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const vault = new backup.BackupVault(stack, 'Vault', { backupVaultName: 'bench', encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
  const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'DrVault', `arn:aws:backup:${SECONDARY}:${ACCOUNT}:backup-vault:bench-dr`);
  const plan = new backup.BackupPlan(stack, 'Plan', {
    backupVault: vault,
    backupPlanRules: [
      new backup.BackupPlanRule({
        ruleName: 'Every6Hours',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '0/6' }),
        startWindow: Duration.hours(1),
        deleteAfter: Duration.days(30),
        copyActions: [{ destinationBackupVault: copyTo, deleteAfter: Duration.days(30) }],
      }),
      new backup.BackupPlanRule({
        ruleName: 'Monthly',
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3', day: '1' }),
        deleteAfter: Duration.days(365),
        copyActions: [{ destinationBackupVault: copyTo, deleteAfter: Duration.days(365) }],
      }),
    ],
  });
  const selected: backup.BackupResource[] = [];
  for (let i = 0; i < n; i++) {
    const table = new dynamodb.Table(stack, `Table${i}`, {
      ...tableProps(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    selected.push(backup.BackupResource.fromDynamoDbTable(table));
  }
  if (mix === 'all') {
    // One replication role for every bucket: CDK's per-bucket default role is named
    // CDKReplicationRole, so N buckets with their own default role collide (E3019).
    const replicationRole = new iam.Role(stack, 'ReplicationRole', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') });
    for (let i = 0; i < n; i++) {
      const replicaName = `bench-replica-${i}-${ACCOUNT}-${SECONDARY}`;
      const replicaKey = new kms.Key(dr, `Replica${i}Key`, { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN, alias: `bench-replica-${i}` });
      new s3.Bucket(dr, `Replica${i}`, {
        bucketName: replicaName,
        versioned: true,
        encryptionKey: replicaKey,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const sourceKey = new kms.Key(stack, `Bucket${i}Key`, { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
      const destination = s3.Bucket.fromBucketAttributes(stack, `Bucket${i}Dest`, { bucketName: replicaName, region: SECONDARY });
      const destinationKey = kms.Key.fromKeyArn(stack, `Bucket${i}DestKey`, `arn:aws:kms:${SECONDARY}:${ACCOUNT}:alias/bench-replica-${i}`);
      const bucket = new s3.Bucket(stack, `Bucket${i}`, {
        versioned: true,
        encryptionKey: sourceKey,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: RemovalPolicy.RETAIN,
        replicationRole,
        replicationRules: [{
          destination,
          kmsKey: destinationKey,
          sseKmsEncryptedObjects: true,
          priority: 0,
          replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
          metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
          deleteMarkerReplication: false,
        }],
      });
      // aws-cdk-lib grants a role passed as `replicationRole` nothing: without this the
      // buckets could not replicate (the baseline before issue 16's last stop left it out).
      if (options.replicationGrants !== false) {
        bucket.grantReplicationPermission(replicationRole, {
          sourceDecryptionKey: sourceKey,
          destinations: [{ bucket: destination, encryptionKey: destinationKey }],
        });
      }
    }
    const dbs = dbCount(n, mix);
    const vpc = dbs > 0 ? vpcOf(stack) : undefined;
    for (let i = 0; i < dbs; i++) {
      const db = database(stack, vpc!, i);
      const cfn = db.node.defaultChild as rds.CfnDBInstance;
      cfn.backupRetentionPeriod = 35;
      cfn.deletionProtection = true;
      cfn.copyTagsToSnapshot = true;
      cfn.applyRemovalPolicy(RemovalPolicy.RETAIN);
      selected.push(backup.BackupResource.fromRdsDatabaseInstance(db));
    }
  }
  plan.addSelection('Selection', { resources: selected, allowRestores: true });
  return app;
}

/** The variants the bench compares: drkit, plain aws-cdk-lib, and plain without replication grants (the earlier baseline). */
export type Variant = 'drkit' | 'plain' | 'plain-ungranted';

/** The app of `variant`. */
export function appOf(variant: Variant, n: number, mix: Mix, outdir: string): App {
  if (variant === 'drkit') return drkitApp(n, mix, outdir);
  return plainApp(n, mix, outdir, { replicationGrants: variant !== 'plain-ungranted' });
}
