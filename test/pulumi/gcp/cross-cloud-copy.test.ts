import { Recorder, settle, valueOf } from './mocks';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcp = require('../../../lib/pulumi/gcp') as typeof import('../../../lib/pulumi/gcp');

describe('gcp CrossCloudCopy', () => {
  test('a versioned bucket, write access for the transfer service account, and an S3 transfer job on the schedule', async () => {
    const c = new gcp.CrossCloudCopy('orders-copy', {
      objective: RecoveryObjective.of({ name: 'off-aws', rpo: Period.hours(12), rto: Period.hours(4), disruptions: [Disruption.ACCOUNT_COMPROMISE], retention: Retention.of({ pointInTime: Period.days(30) }) }),
      sourceBucket: 'orders-prod',
      sourcePath: 'exports/',
      awsRoleArn: 'arn:aws:iam::111122223333:role/gcs-transfer',
      location: 'US',
      destinationBucketName: 'orders-copy-gcs',
      project: 'p1',
      startDate: { year: 2026, month: 12, day: 1 },
    }, rec.opts());
    await valueOf(c.job.urn);
    await settle();
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      'drkit:gcp:CrossCloudCopy/orders-copy', 'gcp:storage/bucket:Bucket/orders-copy-bucket',
      'gcp:storage/bucketIAMMember:BucketIAMMember/orders-copy-transfer-writer', 'gcp:storage/bucketIAMMember:BucketIAMMember/orders-copy-transfer-reader',
      'gcp:pubsub/topic:Topic/orders-copy-failures', 'gcp:pubsub/topicIAMMember:TopicIAMMember/orders-copy-failures-publisher',
      'gcp:storage/transferJob:TransferJob/orders-copy-transfer',
    ].sort());
    expect(rec.input('gcp:storage/bucket:Bucket', 'orders-copy-bucket')).toEqual({
      name: 'orders-copy-gcs',
      project: 'p1',
      location: 'US',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: 30 * 86400 },
      lifecycleRules: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } }],
      forceDestroy: false,
    });
    // Issue 13 #18: the sink guide's permissions (buckets.get, objects.create/delete/list, and
    // objects.get to compare), not roles/storage.admin.
    const agent = 'serviceAccount:project-123@storage-transfer-service.iam.gserviceaccount.com';
    expect(rec.input('gcp:storage/bucketIAMMember:BucketIAMMember', 'orders-copy-transfer-writer')).toEqual({
      bucket: 'orders-copy-gcs',
      role: 'roles/storage.legacyBucketWriter',
      member: agent,
    });
    expect(rec.input('gcp:storage/bucketIAMMember:BucketIAMMember', 'orders-copy-transfer-reader')).toEqual({
      bucket: 'orders-copy-gcs',
      role: 'roles/storage.objectViewer',
      member: agent,
    });
    // Issue 13 #16: failed or aborted transfers are published to a topic the agent may publish to.
    expect(rec.input('gcp:pubsub/topic:Topic', 'orders-copy-failures')).toEqual({ project: 'p1' });
    expect(rec.input('gcp:pubsub/topicIAMMember:TopicIAMMember', 'orders-copy-failures-publisher')).toEqual({
      project: 'p1',
      topic: 'orders-copy-failures',
      role: 'roles/pubsub.publisher',
      member: agent,
    });
    expect(rec.input('gcp:storage/transferJob:TransferJob', 'orders-copy-transfer')).toEqual({
      project: 'p1',
      description: 'drkit: copy of s3 bucket for objective "off-aws"',
      status: 'ENABLED',
      transferSpec: {
        awsS3DataSource: { bucketName: 'orders-prod', roleArn: 'arn:aws:iam::111122223333:role/gcs-transfer', path: 'exports/' },
        gcsDataSink: { bucketName: 'orders-copy-gcs' },
        transferOptions: { overwriteWhen: 'DIFFERENT', deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false },
      },
      schedule: {
        scheduleStartDate: { year: 2026, month: 12, day: 1 },
        startTimeOfDay: { hours: 5, minutes: 0, seconds: 0, nanos: 0 },
        repeatInterval: `${12 * 3600}s`,
      },
      notificationConfig: {
        pubsubTopic: 'orders-copy-failures-id',
        eventTypes: ['TRANSFER_OPERATION_FAILED', 'TRANSFER_OPERATION_ABORTED'],
        payloadFormat: 'JSON',
      },
    });
    expect(rec.children('drkit:gcp:CrossCloudCopy').map(s => [s.name, s.opts.retainOnDelete === true, s.parent === c])).toEqual([
      ['orders-copy-bucket', true, true], ['orders-copy-transfer-writer', false, true], ['orders-copy-transfer-reader', false, true],
      ['orders-copy-failures', false, true], ['orders-copy-failures-publisher', false, true], ['orders-copy-transfer', false, true],
    ]);
    expect(JSON.parse(await valueOf(c.awsTrustPolicy))).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: 'accounts.google.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'accounts.google.com:sub': '109876543210' } },
      }],
    });
    const plan = await valueOf(c.plan);
    expect(plan.offProviderCopy).toBe(true);
    // Issue 13 #16: the repeat interval is a lower bound ("Transfers may start later than this time").
    const report = await valueOf(c.report);
    expect(report[0]).toMatchObject({ disruption: 'account', rpoSeconds: 12 * 3600, rpoIsLowerBound: true });
    expect(report[0].basis).toContain('Transfers may start later than this time');
  });

  test('issue 13 #21: a customer-managed key becomes the destination bucket default', async () => {
    rec.mocked.length = 0;
    const c = new gcp.CrossCloudCopy('keyed', {
      objective: RecoveryObjective.of({ rpo: Period.hours(12), rto: Period.hours(4), disruptions: [Disruption.ACCOUNT_COMPROMISE] }),
      sourceBucket: 'b',
      awsRoleArn: 'arn:aws:iam::111122223333:role/gcs-transfer',
      location: 'US',
      kmsKeyName: 'projects/p/locations/us/keyRings/r/cryptoKeys/k',
    }, rec.opts());
    await valueOf(c.job.urn);
    await settle();
    expect(rec.input('gcp:storage/bucket:Bucket', 'keyed-bucket').encryption).toEqual({ defaultKmsKeyName: 'projects/p/locations/us/keyRings/r/cryptoKeys/k' });
  });

  test('no AWS role: DRK020 before anything is registered', async () => {
    rec.mocked.length = 0;
    expect(() => new gcp.CrossCloudCopy('x', {
      objective: RecoveryObjective.of({ rpo: Period.hours(12), rto: Period.hours(4), disruptions: [Disruption.ACCOUNT_COMPROMISE] }),
      sourceBucket: 'b',
      awsRoleArn: '',
      location: 'US',
    })).toThrow(/^\[DRK020\] CrossCloudCopy x needs `awsRoleArn`/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });
});
