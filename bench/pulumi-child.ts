/**
 * One Pulumi measurement under mocks in a fresh process: `node -r
 * ts-node/register/transpile-only bench/pulumi-child.ts <drkit|plain> <N> <tables|all>`.
 * Prints one JSON line: wall time until every registration settled, registrations, peak RSS.
 */
import * as path from 'path';

const [variant, nText, mixText] = process.argv.slice(2);
const n = parseInt(nText, 10);
const mix = mixText ?? 'all';
const ACCOUNT = '111111111111';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';

/* eslint-disable @typescript-eslint/no-require-imports */
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
let registrations = 0;
const byType: { [type: string]: number } = {};
void pulumi.runtime.setMocks({
  newResource: (args: any) => {
    registrations += 1;
    byType[args.type] = (byType[args.type] ?? 0) + 1;
    const region = args.inputs.region ?? PRIMARY;
    const name = args.inputs.name ?? args.inputs.bucket ?? `${args.name}-phys`;
    return { id: `${args.name}-id`, state: { ...args.inputs, name, bucket: name, region, arn: `arn:aws:mock:${region}:${ACCOUNT}:${args.type}/${name}` } };
  },
  call: (args: any) => (args.token === 'aws:index/getCallerIdentity:getCallerIdentity' ? { accountId: ACCOUNT } : args.inputs),
}, 'bench', 'bench', false);
// As in the program's Pulumi.<stack>.yaml: the default provider's region.
pulumi.runtime.setConfig('aws:region', PRIMARY);

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const drkit = require(process.env.DRKIT_BENCH_TS === '1' ? '../lib/pulumi/aws/index.ts' : path.join(__dirname, '..', 'lib', 'pulumi', 'aws', 'index.js'));
  const core = require(process.env.DRKIT_BENCH_TS === '1' ? '../lib/core/index.ts' : path.join(__dirname, '..', 'lib', 'core', 'index.js'));
  const tLoaded = process.hrtime.bigint();
  const tableArgs = { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' };
  const dbArgs = (i: number) => ({
    identifier: `bench-db-${i}`,
    engine: 'postgres',
    engineVersion: '16',
    instanceClass: 'db.t4g.micro',
    allocatedStorage: 20,
    username: 'bench',
    manageMasterUserPassword: true,
    storageEncrypted: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `bench-db-${i}-final`,
  });
  const dbs = mix === 'all' ? Math.floor(n / 10) : 0;
  if (variant === 'drkit') {
    const objective = core.RecoveryObjective.of({
      name: 'bench',
      rpo: core.Period.minutes(30),
      rto: core.Period.hours(4),
      disruptions: [core.Disruption.DATA_CORRUPTION, core.Disruption.AZ_OUTAGE, core.Disruption.REGION_OUTAGE],
      perDisruption: [{ disruption: core.Disruption.REGION_OUTAGE, rpo: core.Period.hours(7) }],
      backupInterval: core.Period.hours(6),
      retention: core.Retention.of({ pointInTime: core.Period.days(35), daily: 30, monthly: 12 }),
    });
    for (let i = 0; i < n; i++) {
      new drkit.DynamoContinuousBackup(`table${i}`, { objective, table: { args: tableArgs }, secondaryRegion: SECONDARY, region: PRIMARY });
    }
    if (mix === 'all') {
      for (let i = 0; i < n; i++) new drkit.CrossRegionReplicatedBucket(`bucket${i}`, { objective, region: PRIMARY, secondaryRegion: SECONDARY, account: ACCOUNT });
      for (let i = 0; i < dbs; i++) new drkit.RdsPitrPolicy(`db${i}`, { objective, database: { instanceArgs: dbArgs(i) }, secondaryRegion: SECONDARY });
    }
  } else {
    const aws = {
      backup: require('@pulumi/aws/backup'),
      dynamodb: require('@pulumi/aws/dynamodb'),
      iam: require('@pulumi/aws/iam'),
      kms: require('@pulumi/aws/kms'),
      rds: require('@pulumi/aws/rds'),
      s3: require('@pulumi/aws/s3'),
    };
    const retain = { retainOnDelete: true };
    const key = new aws.kms.Key('vault-key', { enableKeyRotation: true }, retain);
    const vault = new aws.backup.Vault('vault', { name: 'bench', kmsKeyArn: key.arn }, retain);
    const drKey = new aws.kms.Key('dr-vault-key', { enableKeyRotation: true, region: SECONDARY }, retain);
    const drVault = new aws.backup.Vault('dr-vault', { name: 'bench-dr', kmsKeyArn: drKey.arn, region: SECONDARY }, retain);
    const role = new aws.iam.Role('backup-role', {
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'],
    });
    const plan = new aws.backup.Plan('plan', {
      rules: [
        { ruleName: 'every-6h', targetVaultName: vault.name, schedule: 'cron(0 0/6 * * ? *)', startWindow: 60, lifecycle: { deleteAfter: 30 }, copyActions: [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: 30 } }] },
        { ruleName: 'monthly', targetVaultName: vault.name, schedule: 'cron(0 3 1 * ? *)', lifecycle: { deleteAfter: 365 }, copyActions: [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: 365 } }] },
      ],
    });
    const arns: any[] = [];
    for (let i = 0; i < n; i++) {
      const t = new aws.dynamodb.Table(`table${i}`, { ...tableArgs, pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 }, deletionProtectionEnabled: true }, retain);
      arns.push(t.arn);
    }
    if (mix === 'all') {
      const replRole = new aws.iam.Role('replication-role', {
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      });
      for (let i = 0; i < n; i++) {
        const bucketKey = new aws.kms.Key(`bucket${i}-key`, { enableKeyRotation: true }, retain);
        const replicaKey = new aws.kms.Key(`bucket${i}-replica-key`, { enableKeyRotation: true, region: SECONDARY }, retain);
        const buckets = [['', PRIMARY, bucketKey], ['-replica', SECONDARY, replicaKey]].map(([suffix, region, k]: any[]) => {
          const b = new aws.s3.Bucket(`bucket${i}${suffix}`, { region }, retain);
          new aws.s3.BucketVersioning(`bucket${i}${suffix}-versioning`, { bucket: b.id, region, versioningConfiguration: { status: 'Enabled' } });
          new aws.s3.BucketServerSideEncryptionConfiguration(`bucket${i}${suffix}-sse`, { bucket: b.id, region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: k.arn }, bucketKeyEnabled: true }] });
          new aws.s3.BucketPublicAccessBlock(`bucket${i}${suffix}-pab`, { bucket: b.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
          new aws.s3.BucketPolicy(`bucket${i}${suffix}-tls`, {
            bucket: b.id,
            region,
            policy: b.arn.apply((arn: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })),
          });
          return b;
        });
        new aws.s3.BucketReplicationConfig(`bucket${i}-replication`, {
          bucket: buckets[0].id,
          role: replRole.arn,
          rules: [{
            id: 'dr',
            status: 'Enabled',
            filter: {},
            deleteMarkerReplication: { status: 'Disabled' },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
            destination: {
              bucket: buckets[1].arn,
              encryptionConfiguration: { replicaKmsKeyId: replicaKey.arn },
              replicationTime: { status: 'Enabled', time: { minutes: 15 } },
              metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
            },
          }],
        });
      }
      for (let i = 0; i < dbs; i++) {
        const db = new aws.rds.Instance(`db${i}`, { ...dbArgs(i), backupRetentionPeriod: 35, deletionProtection: true, copyTagsToSnapshot: true }, retain);
        arns.push(db.arn);
      }
    }
    new aws.backup.Selection('selection', { planId: plan.id, iamRoleArn: role.arn, resources: arns });
  }
  const tBuilt = process.hrtime.bigint();
  await require('@pulumi/pulumi/runtime/settings').waitForRPCs();
  const tDone = process.hrtime.bigint();
  process.stdout.write(JSON.stringify({
    variant,
    n,
    mix,
    loadMs: Number(tLoaded - t0) / 1e6,
    constructMs: Number(tBuilt - tLoaded) / 1e6,
    totalMs: Number(tDone - tLoaded) / 1e6,
    registrations,
    maxRssKb: process.resourceUsage().maxRSS,
    byType,
  }) + '\n');
}

main().catch(e => {
  process.stdout.write(JSON.stringify({ variant, n, mix, error: String(e?.message ?? e).split('\n')[0].slice(0, 300) }) + '\n');
  process.exitCode = 1;
});
