import { Recorder, settle, valueOf } from './mocks';
import { DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { GcsStorageClass } from '../../../lib/core/clouds/gcp';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcp = require('../../../lib/pulumi/gcp') as typeof import('../../../lib/pulumi/gcp');

describe('gcp LifecycleTiering', () => {
  test('a bucket whose rules tier live objects and noncurrent versions, with the minimums in the report', async () => {
    const c = new gcp.LifecycleTiering('archive', {
      location: 'US-CENTRAL1',
      bucketName: 'archive-data',
      transitions: [{ storageClass: GcsStorageClass.NEARLINE, afterDays: 30 }, { storageClass: GcsStorageClass.ARCHIVE, afterDays: 120 }],
      expireAfterDays: 485,
      noncurrentTransitions: [{ storageClass: GcsStorageClass.COLDLINE, afterDays: 1 }],
      noncurrentExpireAfterDays: 91,
      objective: RecoveryObjective.of({
        rpo: Period.hours(24),
        rto: Period.hours(24),
        retention: Retention.of({
          pointInTime: Period.days(30),
          yearly: 1,
        }),
      }),
    }, rec.opts());
    await valueOf(c.plan);
    await settle();
    expect(rec.mocked.map(m => [m.type, m.name])).toEqual([['drkit:gcp:LifecycleTiering', 'archive'], ['gcp:storage/bucket:Bucket', 'archive-bucket']]);
    expect(rec.input('gcp:storage/bucket:Bucket', 'archive-bucket')).toEqual({
      name: 'archive-data',
      location: 'US-CENTRAL1',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      lifecycleRules: [
        { action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: 30, withState: 'LIVE' } },
        { action: { type: 'SetStorageClass', storageClass: 'ARCHIVE' }, condition: { age: 120, withState: 'LIVE' } },
        { action: { type: 'Delete' }, condition: { age: 485, withState: 'LIVE' } },
        { action: { type: 'SetStorageClass', storageClass: 'COLDLINE' }, condition: { daysSinceNoncurrentTime: 1, withState: 'ARCHIVED' } },
        { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 91, withState: 'ARCHIVED' } },
      ],
      forceDestroy: false,
    });
    expect(rec.children('drkit:gcp:LifecycleTiering').map(s => [s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([['archive-bucket', true, true]]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.action, r.storageClass ?? '-', r.objects, r.afterDays, r.minStorageDays ?? '-'])).toEqual([
      ['SetStorageClass', 'NEARLINE', 'live objects', 30, 30],
      ['SetStorageClass', 'ARCHIVE', 'live objects', 120, 365],
      ['Delete', '-', 'live objects', 485, '-'],
      ['SetStorageClass', 'COLDLINE', 'noncurrent versions', 1, 90],
      ['Delete', '-', 'noncurrent versions', 91, '-'],
    ]);
  });

  test('without noncurrent rules, versioning stays off', async () => {
    const c = new gcp.LifecycleTiering('plain', { location: 'EU', expireAfterDays: 30 }, rec.opts());
    await valueOf(c.plan);
    await settle();
    expect(rec.input('gcp:storage/bucket:Bucket', 'plain-bucket').versioning).toEqual({ enabled: false });
  });

  test('issue 13 #21: a customer-managed key becomes the bucket default', async () => {
    const c = new gcp.LifecycleTiering('keyed', { location: 'EU', expireAfterDays: 30, kmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k' }, rec.opts());
    await valueOf(c.plan);
    await settle();
    expect(rec.input('gcp:storage/bucket:Bucket', 'keyed-bucket').encryption).toEqual({ defaultKmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k' });
  });

  test('rules that break a minimum storage duration fail with INVALID_LIFECYCLE', () => {
    let err: any;
    try {
      new gcp.LifecycleTiering('bad', { location: 'US', transitions: [{ storageClass: GcsStorageClass.COLDLINE, afterDays: 10 }], expireAfterDays: 60 });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(err.message).toBe('[DRK060] `transitions` deletes objects 50 days after they move to COLDLINE (day 10 to day 60), but COLDLINE has a minimum storage duration of 90 days (https://cloud.google.com/storage/docs/storage-classes); delete at day 100 or later');
  });
});
