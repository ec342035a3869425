import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LifecycleTiering } from '../../lib/cdk/lifecycle-tiering';
import { DrkitError, DrkitErrorCode, Period, RecoveryObjective, RecoveryTier, StorageClass } from '../../lib/core';
import { testApp } from '../util';

function setup() {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: { region: 'us-east-1', account: '111111111111' } });
  const bucket = new s3.Bucket(stack, 'Bucket', { versioned: true });
  return { app, stack, bucket };
}

function errorOf(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

describe('LifecycleTiering', () => {
  test('GIVEN the reference schedule WHEN added THEN the bucket gets a tiering and a cleanup rule', () => {
    const { stack, bucket } = setup();
    const tiering = new LifecycleTiering(stack, 'Tiering', {
      bucket,
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
      transitions: [
        { storageClass: StorageClass.STANDARD_IA, after: Period.days(30) },
        { storageClass: StorageClass.GLACIER, after: Period.days(90) },
        { storageClass: StorageClass.DEEP_ARCHIVE, after: Period.days(180) },
      ],
      expiration: Period.days(7 * 365),
      noncurrentTransitions: [{ storageClass: StorageClass.GLACIER_IR, after: Period.days(1) }],
      noncurrentExpiration: Period.days(400),
    });
    expect(tiering.plan.expirationDays).toBe(2555);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'drkit-tiering',
            Status: 'Enabled',
            ExpirationInDays: 2555,
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 90 },
              { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
            ],
            NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 1 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 400 },
          },
          {
            Id: 'drkit-cleanup',
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            ExpiredObjectDeleteMarker: true,
          },
        ],
      },
    });
  });

  test('GIVEN only an objective THEN prior versions are tiered and kept for its retention', () => {
    const { stack, bucket } = setup();
    new LifecycleTiering(stack, 'Tiering', { bucket, objective: RecoveryObjective.fromTier(RecoveryTier.GOLD) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Id: 'drkit-tiering',
          Transitions: Match.absent(),
          NoncurrentVersionTransitions: [
            { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
            { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
          ],
          NoncurrentVersionExpiration: { NoncurrentDays: 372 },
        })]),
      },
    });
  });

  test('an invalid schedule fails with our error before synthesis', () => {
    const { stack, bucket } = setup();
    const e = errorOf(() => new LifecycleTiering(stack, 'Tiering', {
      bucket,
      transitions: [{ storageClass: StorageClass.STANDARD_IA, after: Period.days(7) }],
    }));
    expect(e.code).toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
    expect(e.message).toContain('`transitions` for bucket Files/Bucket moves objects to S3 Standard-IA 7 days after creation');
  });

  test('an imported bucket is refused with the fix', () => {
    const { stack } = setup();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'someone-elses-bucket');
    const e = errorOf(() => new LifecycleTiering(stack, 'Tiering', { bucket: imported }));
    expect(e.code).toBe(DrkitErrorCode.UNSUPPORTED_RESOURCE);
    expect(e.message).toBe('[DRK021] LifecycleTiering Files/Tiering needs an s3.Bucket defined in this app, but `bucket` Files/Imported has no CloudFormation resource (an imported bucket): lifecycle rules are part of the bucket\'s own resource, so add LifecycleTiering in the app that defines the bucket (or set the rules there with `addLifecycleRule`)');
  });

  test('two tierings on one bucket get distinct rule ids, and the app synthesizes', () => {
    const { app, stack, bucket } = setup();
    new LifecycleTiering(stack, 'Logs', { bucket, prefix: 'logs/', expiration: Period.days(30), noncurrentExpiration: Period.days(1) });
    new LifecycleTiering(stack, 'Archive', { bucket, prefix: 'archive/', transitions: [{ storageClass: StorageClass.DEEP_ARCHIVE, after: Period.days(0) }] });
    const rules = Template.fromStack(stack).findResources('AWS::S3::Bucket');
    const ids = (Object.values(rules)[0] as any).Properties.LifecycleConfiguration.Rules.map((r: any) => r.Id);
    expect(ids).toEqual(['drkit-tiering', 'drkit-cleanup', 'drkit-tiering-2', 'drkit-cleanup-2']);
    expect(() => app.synth()).not.toThrow();
  });
});
