import { installMocks, settle, valueOf } from './harness';
import { DrkitError, DrkitErrorCode, Period, RecoveryObjective, RecoveryTier, StorageClass } from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { LifecycleTiering } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => rec.clear());
afterEach(() => settle());

describe('LifecycleTiering (Pulumi)', () => {
  test('GIVEN the reference schedule THEN one BucketLifecycleConfiguration with the CDK construct\'s rules', async () => {
    const c = new LifecycleTiering('files', {
      bucket: 'files-bucket',
      region: 'eu-west-1',
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
      transitions: [
        { storageClass: StorageClass.STANDARD_IA, after: Period.days(30) },
        { storageClass: StorageClass.GLACIER, after: Period.days(90) },
        { storageClass: StorageClass.DEEP_ARCHIVE, after: Period.days(180) },
      ],
      expiration: Period.days(2555),
      noncurrentExpiration: Period.days(400),
      noncurrentVersionsToRetain: 2,
    });
    await settle();
    expect(c.plan.expirationDays).toBe(2555);
    const component = rec.named('files');
    expect(component.type).toBe('drkit:aws:LifecycleTiering');
    const config = rec.named('files-lifecycle');
    expect(config.type).toBe('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    expect(config.parent).toBe(component.urn);
    expect(config.inputs).toEqual({
      bucket: 'files-bucket',
      region: 'eu-west-1',
      rules: [
        {
          id: 'drkit-tiering',
          status: 'Enabled',
          filter: { prefix: '' },
          transitions: [
            { days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER' }, { days: 180, storageClass: 'DEEP_ARCHIVE' },
          ],
          expiration: { days: 2555 },
          noncurrentVersionExpiration: { noncurrentDays: 400, newerNoncurrentVersions: 2 },
        },
        {
          id: 'drkit-cleanup',
          status: 'Enabled',
          filter: { prefix: '' },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          expiration: { expiredObjectDeleteMarker: true },
        },
      ],
    });
    // The report: each step, with the class's minimum storage duration and the source.
    const source = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html';
    expect(await valueOf(c.report)).toEqual([
      { action: 'STANDARD_IA', objects: 'current versions', afterDays: 30, minStorageDays: 30, source },
      { action: 'GLACIER', objects: 'current versions', afterDays: 90, minStorageDays: 90, source },
      { action: 'DEEP_ARCHIVE', objects: 'current versions', afterDays: 180, minStorageDays: 180, source },
      { action: 'delete', objects: 'current versions', afterDays: 2555, source },
      { action: 'delete', objects: 'previous versions', afterDays: 400, source },
    ]);
  });

  test('GIVEN only an objective THEN the derived schedule, as in CDK', async () => {
    new LifecycleTiering('derived', { bucket: 'b', objective: RecoveryObjective.fromTier(RecoveryTier.GOLD), tierCurrentVersions: true });
    await settle();
    const rules = rec.named('derived-lifecycle').inputs.rules;
    expect(rules[0]).toEqual({
      id: 'drkit-tiering',
      status: 'Enabled',
      filter: { prefix: '' },
      transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER_IR' }],
      noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: 'STANDARD_IA' }, { noncurrentDays: 90, storageClass: 'GLACIER_IR' }],
      noncurrentVersionExpiration: { noncurrentDays: 372 },
    });
  });

  test('an invalid schedule throws DRK06x and registers nothing', () => {
    let err: unknown;
    try {
      new LifecycleTiering('bad', { bucket: 'b', transitions: [{ storageClass: StorageClass.ONEZONE_IA, after: Period.days(5) }] });
    } catch (e) {
      err = e;
    }
    expect(DrkitError.isDrkitError(err)).toBe(true);
    expect((err as DrkitError).code).toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
    expect((err as DrkitError).message).toContain('`transitions` for bucket bad moves objects to S3 One Zone-IA 5 days after creation');
    expect(rec.registrations).toEqual([]);
  });
});
