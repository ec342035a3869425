import { Recorder, settle, valueOf } from './mocks';
import { Disruption, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { GcsStorageClass } from '../../../lib/core/clouds/gcp';

const rec = new Recorder();
rec.install();
// Loaded after the mocks, as Pulumi needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcp = require('../../../lib/pulumi/gcp') as typeof import('../../../lib/pulumi/gcp');

const TYPE = 'drkit:gcp:CrossRegionReplicatedBucket';

beforeEach(() => {
  rec.mocked.length = 0;
  rec.seen.length = 0;
});

describe('gcp CrossRegionReplicatedBucket', () => {
  test('GIVEN an hourly region RPO WHEN built THEN one dual-region bucket with turbo replication, versioning and soft delete', async () => {
    const objective = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(30) }) });
    const c = new gcp.CrossRegionReplicatedBucket('orders', {
      objective, primaryRegion: 'us-central1', secondaryRegion: 'us-east1', bucketName: 'orders-data', project: 'p1', labels: { team: 'dr' },
    }, rec.opts());
    await valueOf(c.bucketName);
    await settle();

    expect(rec.mocked.map(m => [m.type, m.name])).toEqual([[TYPE, 'orders'], ['gcp:storage/bucket:Bucket', 'orders-bucket']]);
    expect(rec.input('gcp:storage/bucket:Bucket', 'orders-bucket')).toEqual({
      name: 'orders-data',
      project: 'p1',
      // us-central1 + us-east1 exist only as the predefined dual-region NAM4 (issue 13 #6).
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: 30 * 86400 },
      lifecycleRules: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } }],
      labels: { team: 'dr' },
      forceDestroy: false,
    });
    const children = rec.children(TYPE);
    expect(children.map(s => [s.type, s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([
      ['gcp:storage/bucket:Bucket', 'orders-bucket', true, true],
    ]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind, r.rtoSeconds, r.rtoKind])).toEqual([
      ['corruption', ['gcp.storage.versioning'], 0, 'documented', undefined, 'none'],
      ['az', ['gcp.storage.turbo-replication'], 0, 'documented', 0, 'documented'],
      // Google says turbo replication is "designed to" meet 15 minutes and an RTO of zero: typical, not an SLA (issue 13 #1).
      ['region', ['gcp.storage.turbo-replication'], 900, 'typical', 0, 'typical'],
    ]);
    expect(report[2].sources).toEqual(['https://cloud.google.com/storage/docs/availability-durability#turbo-replication', 'https://cloud.google.com/storage/docs/availability-durability']);
    expect(report[2].basis).toContain('turbo replication is designed to replicate 100% of newly written objects to the two regions that constitute a dual-region within the recovery point objective of 15 minutes');
    const plan = await valueOf(c.plan);
    expect(plan).toMatchObject({ cloud: 'gcp', resourceName: 'orders', replication: 'ASYNC_TURBO' });
    expect(JSON.parse(JSON.stringify(plan)).report).toEqual(JSON.parse(JSON.stringify(report)));
  });

  test('GIVEN compliance immutability WHEN built THEN a locked retention policy, versioning off, KMS and tiering rendered', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.hours(24),
      rto: Period.hours(24),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7), daily: 7 }),
    });
    const c = new gcp.CrossRegionReplicatedBucket('vault', {
      objective,
      primaryRegion: 'europe-west1',
      secondaryRegion: 'europe-west4',
      kmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k',
      tiering: { transitions: [{ storageClass: GcsStorageClass.NEARLINE, afterDays: 30 }] },
    }, rec.opts());
    await valueOf(c.bucketName);
    await settle();
    expect(rec.input('gcp:storage/bucket:Bucket', 'vault-bucket')).toEqual({
      location: 'EU',
      customPlacementConfig: { dataLocations: ['EUROPE-WEST1', 'EUROPE-WEST4'] },
      rpo: 'DEFAULT',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: false },
      softDeletePolicy: { retentionDurationSeconds: 7 * 86400 },
      retentionPolicy: { retentionPeriod: String(7 * 86400), isLocked: true },
      lifecycleRules: [{ action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: 30, withState: 'LIVE' } }],
      encryption: { defaultKmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k' },
      forceDestroy: false,
    });
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanism])).toEqual([
      ['corruption', 'Cloud Storage Bucket Lock (retention policy)'],
      ['region', 'Cloud Storage dual-region (default replication)'],
      ['account', 'Cloud Storage Bucket Lock (retention policy)'],
    ]);
  });

  test('an RPO under 15 minutes against region outage fails before any resource is registered', async () => {
    const objective = RecoveryObjective.of({ rpo: Period.minutes(10), rto: Period.hours(1) });
    let err: any;
    try {
      new gcp.CrossRegionReplicatedBucket('fast', { objective, primaryRegion: 'us-central1', secondaryRegion: 'us-east1' }, rec.opts());
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(err.message).toMatch(/^\[DRK010\] `rpo` 10 minutes against region outage cannot be met for bucket fast/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });

  test('a missing objective is a DrkitError', () => {
    expect(() => new gcp.CrossRegionReplicatedBucket('x', {} as any)).toThrow('[DRK020] CrossRegionReplicatedBucket x needs `objective` (a RecoveryObjective)');
  });
});
