import { installMocks, Registration, settle } from './harness';
import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, RecoveryTier, S3Planner,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { CrossRegionReplicatedBucket } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
/* eslint-enable @typescript-eslint/no-require-imports */

const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent === component.urn);
}

beforeEach(() => rec.clear());
afterEach(() => settle());

describe('CrossRegionReplicatedBucket (Pulumi)', () => {
  test('GIVEN gold WHEN rendered THEN source and replica in their regions, retained, replicated with RTC', async () => {
    const c = new CrossRegionReplicatedBucket('files', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    const component = rec.named('files');
    expect(component.type).toBe('drkit:aws:CrossRegionReplicatedBucket');
    expect(childrenOf(component).map(r => `${r.type} ${r.name}`).sort()).toEqual([
      'aws:cloudwatch/metricAlarm:MetricAlarm files-failed',
      'aws:cloudwatch/metricAlarm:MetricAlarm files-latency',
      'aws:iam/role:Role files-replication-role',
      'aws:iam/rolePolicy:RolePolicy files-replication-policy',
      'aws:kms/key:Key files-key',
      'aws:kms/key:Key files-replica-key',
      'aws:s3/bucket:Bucket files-bucket',
      'aws:s3/bucket:Bucket files-replica-bucket',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration files-lifecycle',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration files-replica-lifecycle',
      'aws:s3/bucketNotification:BucketNotification files-events',
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls files-ownership',
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls files-replica-ownership',
      'aws:s3/bucketPolicy:BucketPolicy files-replica-tls-only',
      'aws:s3/bucketPolicy:BucketPolicy files-tls-only',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock files-public-access',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock files-replica-public-access',
      'aws:s3/bucketReplicationConfig:BucketReplicationConfig files-replication',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration files-encryption',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration files-replica-encryption',
      'aws:s3/bucketVersioning:BucketVersioning files-replica-versioning',
      'aws:s3/bucketVersioning:BucketVersioning files-versioning',
      'aws:sns/topic:Topic files-alarms',
      'aws:sns/topicPolicy:TopicPolicy files-alarms',
    ]);
    expect(rec.registrations.filter(r => r.retainOnDelete).map(r => r.name).sort())
      .toEqual(['files-bucket', 'files-key', 'files-replica-bucket', 'files-replica-key']);
    expect(rec.named('files-bucket').inputs.region).toBe('us-east-1');
    expect(rec.named('files-replica-bucket').inputs.region).toBe('us-west-2');
    expect(rec.named('files-replica-key').inputs).toMatchObject({ region: 'us-west-2', enableKeyRotation: true });
    expect(rec.named('files-versioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(rec.named('files-public-access').inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(JSON.parse(rec.named('files-tls-only').inputs.policy).Statement[0].Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });

    // The same plan as the CDK construct, from the same core.
    expect(c.plan).toEqual(S3Planner.bucket(gold, { resourceName: 'files', region: 'us-east-1', replicaRegion: 'us-west-2' }));
    const rule = rec.named('files-replication').inputs.rules[0];
    expect(rule).toMatchObject({
      id: 'drkit-replicate',
      status: 'Enabled',
      priority: 0,
      filter: { prefix: '' },
      deleteMarkerReplication: { status: 'Disabled' },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' }, replicaModifications: { status: 'Enabled' } },
      destination: {
        replicationTime: { status: 'Enabled', time: { minutes: 15 } },
        metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
        encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/files-replica-key-id' },
      },
    });
    expect(rec.named('files-replication').inputs.region).toBe('us-east-1');
    expect(rec.named('files-latency').inputs).toMatchObject({ metricName: 'ReplicationLatency', threshold: 900, region: 'us-east-1' });
    expect(rec.named('files-events').inputs.topics[0].events).toEqual(['s3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold']);
    // Same lifecycle rules on the replica as the CDK construct derives.
    expect(rec.named('files-replica-lifecycle').inputs.rules[0].transitions).toEqual([
      { days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER_IR' },
    ]);
    expect(rec.named('files-lifecycle').inputs.rules.map((r: any) => r.id)).toEqual(['drkit-cleanup']);
    // The key that encrypts the topic lets S3 and CloudWatch publish.
    const keyPolicy = JSON.parse(rec.named('files-key').inputs.policy);
    expect(keyPolicy.Statement.map((s: any) => s.Principal.Service).filter(Boolean)).toEqual(['s3.amazonaws.com', 'cloudwatch.amazonaws.com']);
  });

  test('an RPO below 15 minutes against region outage throws DRK010 and registers nothing', () => {
    const objective = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1) });
    let err: unknown;
    try {
      new CrossRegionReplicatedBucket('fast', { objective, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    } catch (e) {
      err = e;
    }
    expect(DrkitError.isDrkitError(err)).toBe(true);
    expect((err as DrkitError).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect((err as DrkitError).message).toContain('cannot be met for bucket fast');
    expect(rec.registrations).toEqual([]);
  });

  test('GIVEN a destination in another account and object lock THEN owner override and lock, no replica created', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    new CrossRegionReplicatedBucket('vault', {
      objective,
      region: 'us-east-1',
      account: '111111111111',
      objectLockMode: Immutability.GOVERNANCE,
      objectLockRetention: Period.days(10),
      destination: { bucketName: 'dest', region: 'eu-west-1', account: '222222222222', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/0b1e5b3e-8f6a-4c1e-9d2b-3a4f5e6d7c8b' },
    });
    await settle();
    expect(rec.registrations.filter(r => r.name.includes('replica-'))).toEqual([]);
    expect(rec.named('vault-replication').inputs.rules[0].destination).toMatchObject({
      bucket: 'arn:aws:s3:::dest',
      account: '222222222222',
      accessControlTranslation: { owner: 'Destination' },
      encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/0b1e5b3e-8f6a-4c1e-9d2b-3a4f5e6d7c8b' },
    });
    expect(rec.named('vault-object-lock').inputs.rule).toEqual({ defaultRetention: { mode: 'GOVERNANCE', days: 10 } });
    expect(rec.named('vault-bucket').inputs.objectLockEnabled).toBe(true);
    const policy = JSON.parse(rec.named('vault-replication-policy').inputs.policy);
    expect(policy.Statement[2].Action).toContain('s3:ObjectOwnerOverrideToBucketOwner');
  });

  test('a given topic is used; RTC off means no alarms and a warning that there is no documented bound', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => undefined);
    new CrossRegionReplicatedBucket('a', {
      objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', replicationTimeControl: false, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    });
    await settle();
    expect(rec.ofType('aws:cloudwatch/metricAlarm:MetricAlarm')).toEqual([]);
    expect(rec.ofType('aws:sns/topic:Topic')).toEqual([]);
    expect(rec.named('a-events').inputs.topics).toEqual([{ topicArn: 'arn:aws:sns:us-east-1:123456789012:ops', events: ['s3:Replication:OperationFailedReplication'] }]);
    expect(rec.named('a-replication').inputs.rules[0].destination.replicationTime).toBeUndefined();
    expect(warn.mock.calls.map(c => c[0]).join('\n')).toContain('has no documented bound');
    warn.mockRestore();
  });

  test('a shared replication role serves several buckets', async () => {
    const first = new CrossRegionReplicatedBucket('one', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    new CrossRegionReplicatedBucket('two', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', replicationRole: first.replicationRole });
    await settle();
    expect(rec.ofType('aws:iam/role:Role').map(r => r.name)).toEqual(['one-replication-role']);
    expect(rec.ofType('aws:iam/role:Role')[0].inputs.name).toBeUndefined();
    expect(rec.named('two-replication-policy').inputs.role).toBe(rec.named('one-replication-policy').inputs.role);
  });
});
