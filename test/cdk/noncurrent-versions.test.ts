import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { LifecycleTiering } from '../../lib/cdk/lifecycle-tiering';
import { Period, RecoveryObjective, RecoveryTier, StorageClass } from '../../lib/core';
import { testApp } from '../util';

/**
 * Issue 14, point 9: a replicated bucket no longer keeps noncurrent versions for good without
 * saying so. Its source lifecycle derives the noncurrent-version expiration from the objective's
 * retention; a schedule that keeps them on purpose gets one warning with the cost consequence.
 */
const ENV = { region: 'us-east-1', account: '111111111111' };
const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);
const KEPT = Match.stringLikeRegexp('never expires its noncurrent versions.*storage cost grows with every write');

function tieringRule(stack: Stack, logicalIdPrefix: string): any {
  const buckets = Template.fromStack(stack).findResources('AWS::S3::Bucket');
  const [, bucket] = Object.entries<any>(buckets).find(([id]) => id.startsWith(logicalIdPrefix))!;
  return (bucket.Properties.LifecycleConfiguration?.Rules ?? []).find((r: any) => r.Id === 'drkit-tiering');
}

test('the source of a replicated bucket expires noncurrent versions after the objective\'s retention, with no warning', () => {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: gold, secondaryRegion: 'us-west-2' });
  const rule = tieringRule(stack, 'UserFilesBucket');
  expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: gold.retention.longestDays });
  expect(Annotations.fromStack(stack).findWarning('*', KEPT)).toEqual([]);
});

test('a source lifecycle that keeps noncurrent versions on purpose: one warning with the cost consequence', () => {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  new CrossRegionReplicatedBucket(stack, 'UserFiles', {
    objective: gold,
    secondaryRegion: 'us-west-2',
    sourceLifecycle: { noncurrentTransitions: [{ storageClass: StorageClass.GLACIER, after: Period.days(30) }] },
  });
  expect(tieringRule(stack, 'UserFilesBucket').NoncurrentVersionExpiration).toBeUndefined();
  const warnings = Annotations.fromStack(stack).findWarning('*', KEPT);
  expect(warnings.map(w => w.id)).toEqual(['/Files/UserFiles/Bucket']);
  expect(warnings[0].entry.data).toMatch(/^bucket Files\/UserFiles\/Bucket is versioned and LifecycleTiering Files\/UserFiles\/Lifecycle never expires its noncurrent versions: every overwrite and delete keeps the prior version/);
});

test('LifecycleTiering: a versioned bucket without expiration warns once (two schedules), an unversioned one never', () => {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  const versioned = new s3.Bucket(stack, 'Versioned', { versioned: true, enforceSSL: true });
  new LifecycleTiering(stack, 'A', { bucket: versioned, prefix: 'a/', noncurrentTransitions: [{ storageClass: StorageClass.GLACIER, after: Period.days(30) }] });
  new LifecycleTiering(stack, 'B', { bucket: versioned, prefix: 'b/', noncurrentTransitions: [{ storageClass: StorageClass.GLACIER, after: Period.days(30) }] });
  const plain = new s3.Bucket(stack, 'Plain', { enforceSSL: true });
  new LifecycleTiering(stack, 'C', { bucket: plain, transitions: [{ storageClass: StorageClass.GLACIER, after: Period.days(30) }] });
  const withObjective = new s3.Bucket(stack, 'WithObjective', { versioned: true, enforceSSL: true });
  new LifecycleTiering(stack, 'D', { bucket: withObjective, objective: gold });
  expect(Annotations.fromStack(stack).findWarning('*', KEPT).map(w => w.id)).toEqual(['/Files/Versioned']);
});
