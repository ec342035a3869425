import {
  BoundKind, Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, RecoveryTier, S3Planner,
} from '../../lib/core';

function errorOf(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);

describe('S3Planner.bucket', () => {
  test('GIVEN gold and a secondary region THEN RTC is on and region outage gets the documented 15 minutes', () => {
    const plan = S3Planner.bucket(gold, { resourceName: 'files', region: 'us-east-1', replicaRegion: 'us-west-2' });
    expect(plan.versioning).toBe(true);
    expect(plan.replication).toEqual({
      region: 'us-west-2',
      account: undefined,
      replicationTimeControl: true,
      thresholdMinutes: 15,
      replicateDeleteMarkers: false,
      replicaModifications: true,
      sseKmsEncryptedObjects: true,
      ownerOverride: false,
    });
    expect(plan.objectLock).toBe(Immutability.NONE);
    expect(plan.noncurrentRetentionDays).toBe(372);
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect(region).toMatchObject({ rpoSeconds: 900, rpoKind: BoundKind.DOCUMENTED, mechanisms: ['aws.s3.replication.rtc'] });
    expect(plan.achieved.map(a => a.disruption)).toEqual([Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]);
    expect(plan.achieved[0]).toMatchObject({ rpoSeconds: 0, mechanisms: ['aws.s3.versioning'] });
    // Restoring prior versions has no published time: the RTO against corruption cannot be shown to be met.
    expect(plan.advisories).toEqual([expect.stringContaining('the rto 4 hours against data corruption / accidental deletion of bucket files cannot be shown to be met: S3 versioning documents no recovery time')]);
  });

  test('an RPO below 15 minutes against region outage is refused naming the bucket, the floor and its source', () => {
    const o = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(5), rto: Period.hours(1) });
    const e = errorOf(() => S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2' }));
    expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(e.message).toBe('[DRK010] `rpo` 5 minutes against region outage cannot be met for bucket files (objective "tight"): S3 replication with Replication Time Control is the tightest mechanism for it and \"S3 RTC replicates most objects that you upload to Amazon S3 in seconds, and 99.9 percent of those objects within 15 minutes\" (a percentile of the S3 RTC SLA, not every object); \"The S3 RTC service level agreement (SLA) doesn\'t apply to time periods when Amazon S3 performance guidelines on requests per second are exceeded\", nor \"during time periods where your replication data transfer rate exceeds the default 1 gigabit per second (Gbps) quota\", so its floor is 15 minutes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html). Raise the rpo for region outage to at least 15 minutes');
  });

  test('a tight RPO for corruption only is fine (versioning)', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(5), rto: Period.hours(1), perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.minutes(15) }],
    });
    expect(S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2' }).replication!.replicationTimeControl).toBe(true);
  });

  test('RTC opted out: no documented bound, and said so', () => {
    const plan = S3Planner.bucket(gold, { resourceName: 'files', replicaRegion: 'us-west-2', replicationTimeControl: false });
    expect(plan.replication!.replicationTimeControl).toBe(false);
    expect(plan.replication!.thresholdMinutes).toBeUndefined();
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect(region.rpoKind).toBe(BoundKind.NONE);
    expect(region.rpoSeconds).toBeUndefined();
    expect(region.basis).toContain('no documented bound');
    expect(plan.advisories[0]).toContain('has no documented bound');
  });

  test('region outage without a replica region, or the same region, is refused', () => {
    expect(errorOf(() => S3Planner.bucket(gold, { resourceName: 'files' })).code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(errorOf(() => S3Planner.bucket(gold, { resourceName: 'files', region: 'eu-west-1', replicaRegion: 'eu-west-1' })).code)
      .toBe(DrkitErrorCode.INVALID_REGION);
  });

  test('without region outage in scope, replication is planned without RTC unless asked', () => {
    const silver = RecoveryObjective.fromTier(RecoveryTier.SILVER);
    expect(S3Planner.bucket(silver, { resourceName: 'b', replicaRegion: 'us-west-2' }).replication!.replicationTimeControl).toBe(false);
    expect(S3Planner.bucket(silver, { resourceName: 'b', replicaRegion: 'us-west-2', replicationTimeControl: true }).replication!.replicationTimeControl).toBe(true);
    expect(S3Planner.bucket(silver, { resourceName: 'b' }).replication).toBeUndefined();
  });

  test('account compromise needs an off-account replica or compliance lock', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    const e = errorOf(() => S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2' }));
    expect(e.code).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(e.message).toContain('neither a replica in another account nor Object Lock in compliance mode');

    const cross = S3Planner.bucket(o, { resourceName: 'files', account: '111111111111', replicaRegion: 'us-west-2', replicaAccount: '222222222222' });
    expect(cross.replication).toMatchObject({ account: '222222222222', ownerOverride: true });
    expect(cross.achieved.find(a => a.disruption === Disruption.ACCOUNT_COMPROMISE)!.basis).toContain('account 222222222222');

    const locked = S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2', objectLockMode: Immutability.COMPLIANCE, objectLockRetention: Period.days(30) });
    expect(locked.objectLock).toBe(Immutability.COMPLIANCE);
    expect(locked.objectLockDays).toBe(30);
    expect(locked.achieved.find(a => a.disruption === Disruption.ACCOUNT_COMPROMISE)!.mechanisms).toEqual(['aws.s3.object-lock']);
  });

  test('Object Lock follows the objective, defaults to the point-in-time window, and refuses fractions', () => {
    const platinum = RecoveryObjective.fromTier(RecoveryTier.PLATINUM);
    const o = RecoveryObjective.of({ ...RecoveryTier.PLATINUM.props, rpo: Period.minutes(15) });
    const plan = S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2' });
    expect(plan.objectLock).toBe(Immutability.COMPLIANCE);
    expect(plan.objectLockDays).toBe(35);
    expect(errorOf(() => S3Planner.bucket(platinum, { resourceName: 'files', replicaRegion: 'us-west-2' })).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(errorOf(() => S3Planner.bucket(o, { resourceName: 'files', replicaRegion: 'us-west-2', objectLockRetention: Period.hours(12) })).code)
      .toBe(DrkitErrorCode.INVALID_PROPS);
  });

  test('replicating delete markers is possible and advised against', () => {
    const plan = S3Planner.bucket(gold, { resourceName: 'files', replicaRegion: 'us-west-2', replicateDeleteMarkers: true });
    expect(plan.replication!.replicateDeleteMarkers).toBe(true);
    expect(plan.advisories[0]).toContain('delete markers replicate');
  });
});

describe('bucket names and replica keys are checked before S3 or CloudFormation would reject them', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { checkS3BucketName, checkReplicaKmsKeyArn } = require('../../lib/core/plan-s3');
  test.each([
    ['ab', 'it has 2 characters (3 to 63 allowed)'],
    ['Bad_Name', 'it may only hold lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit'],
    ['a..b', 'it has two adjacent dots'],
    ['192.168.1.1', 'it is formatted as an IP address'],
    ['xn--files', 'it uses a prefix or suffix S3 reserves'],
  ])('bucket name %p is refused: %s', (name, problem) => {
    expect(() => checkS3BucketName('bucketName', name, 'X')).toThrow(`[DRK020] \`bucketName\` of X is "${name}", which S3 rejects as a bucket name: ${problem}`);
  });
  test('valid names and unresolved values pass', () => {
    for (const n of ['user-files', 'a.b-c', 'x'.repeat(63), undefined, '${Token[TOKEN.12]}']) expect(() => checkS3BucketName('bucketName', n, 'X')).not.toThrow();
  });
  test('a replica key must be a key or alias ARN in the replica region', () => {
    expect(() => checkReplicaKmsKeyArn('k', 'not-an-arn', 'us-west-2', 'X')).toThrow(/\[DRK020\] `k` of X is "not-an-arn", which is not a KMS key ARN/);
    expect(() => checkReplicaKmsKeyArn('k', 'arn:aws:kms:us-east-1:111122223333:alias/replicas', 'us-west-2', 'X'))
      .toThrow('[DRK020] `k` of X is a key in us-east-1, but the replica is in us-west-2: S3 encrypts replicas with a key in the destination bucket\'s region; give a key in us-west-2');
    expect(() => checkReplicaKmsKeyArn('k', 'arn:aws:kms:us-west-2:111122223333:key/0b1e5b3e-8f6a-4c1e-9d2b-3a4f5e6d7c8b', 'us-west-2', 'X')).not.toThrow();
  });
});
