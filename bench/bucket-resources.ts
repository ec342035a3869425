/**
 * CloudFormation resources that one CrossRegionReplicatedBucket adds, compared with the same
 * source bucket and replica written with plain aws-cdk-lib (versioned, KMS with rotation,
 * TLS-only, public access blocked, retained, replication with RTC to a replica in another
 * region). Run: `npx ts-node --prefer-ts-exts bench/bucket-resources.ts`.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossRegionReplicatedBucket } from '../lib/cdk/cross-region-replicated-bucket';
import { RecoveryObjective, RecoveryTier } from '../lib/core';

const ENV = { region: 'us-east-1', account: '111111111111' };

function resources(stacks: Stack[]): { [type: string]: number } {
  const out: { [type: string]: number } = {};
  for (const s of stacks) {
    const template = App.of(s)!.synth().getStackByName(s.stackName).template;
    for (const r of Object.values<any>(template.Resources ?? {})) out[r.Type] = (out[r.Type] ?? 0) + 1;
  }
  return out;
}

function drkit(): { [type: string]: number } {
  const app = new App();
  const stack = new Stack(app, 'Drkit', { env: ENV });
  new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: RecoveryObjective.fromTier(RecoveryTier.GOLD), secondaryRegion: 'us-west-2' });
  return resources([stack, app.node.findChild('Drkit-dr-us-west-2') as Stack]);
}

function plain(): { [type: string]: number } {
  const app = new App();
  const replicaStack = new Stack(app, 'Replica', { env: { ...ENV, region: 'us-west-2' } });
  const replicaKey = new kms.Key(replicaStack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  new s3.Bucket(replicaStack, 'Bucket', {
    bucketName: 'plain-replica-111111111111-us-west-2',
    versioned: true,
    encryptionKey: replicaKey,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const source = new Stack(app, 'Source', { env: ENV });
  const key = new kms.Key(source, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  new s3.Bucket(source, 'Bucket', {
    versioned: true,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
    replicationRules: [{
      destination: s3.Bucket.fromBucketAttributes(source, 'Dest', { bucketName: 'plain-replica-111111111111-us-west-2', region: 'us-west-2' }),
      kmsKey: kms.Key.fromKeyArn(source, 'DestKey', 'arn:aws:kms:us-west-2:111111111111:alias/plain-replica'),
      sseKmsEncryptedObjects: true,
      priority: 0,
      replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
      metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
      deleteMarkerReplication: false,
    }],
  });
  return resources([source, replicaStack]);
}

const total = (m: { [type: string]: number }) => Object.values(m).reduce((a, b) => a + b, 0);
const d = drkit();
const p = plain();
const types = [...new Set([...Object.keys(d), ...Object.keys(p)])].sort();
console.log('| resource type | plain aws-cdk-lib | drkit |');
console.log('|---|---|---|');
for (const t of types) console.log(`| ${t} | ${p[t] ?? 0} | ${d[t] ?? 0} |`);
console.log(`| total | ${total(p)} | ${total(d)} |`);
