import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { GcpPlanner, GcsStorageClass } from '../../../lib/core/clouds/gcp';

const ctx = { resourceName: 'logs', primaryRegion: 'us-central1', secondaryRegion: 'us-east1' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

describe('GcpPlanner.storageBucket', () => {
  test('a region-outage RPO under 12 hours turns on turbo replication', () => {
    const plan = GcpPlanner.storageBucket(RecoveryObjective.of({ rpo: Period.minutes(15), rto: Period.hours(1) }), ctx);
    expect(plan.replication).toBe('ASYNC_TURBO');
    // us-central1 + us-east1 is "only available as a predefined dual-region": NAM4.
    expect(plan).toMatchObject({ location: 'NAM4', dataLocations: [], predefinedDualRegion: true });
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    // A design target ("designed to ... within the recovery point objective of 15 minutes"): typical.
    expect(region).toMatchObject({ rpoSeconds: 900, rpoKind: 'typical', rtoSeconds: 0, rtoKind: 'typical', mechanisms: ['gcp.storage.turbo-replication'] });
    expect(region.basis).toContain('"When enabled, turbo replication is designed to replicate 100% of newly written objects');
  });

  test('a region-outage RPO of 12 hours or more keeps default replication, reported as typical', () => {
    const plan = GcpPlanner.storageBucket(RecoveryObjective.of({ rpo: Period.hours(12), rto: Period.hours(24) }), ctx);
    expect(plan.replication).toBe('DEFAULT');
    const line = plan.report.find(r => r.disruption === 'region')!;
    expect(line).toEqual({
      disruption: 'region',
      mechanism: 'Cloud Storage dual-region (default replication)',
      mechanismIds: ['gcp.storage.dual-region'],
      rpoSeconds: 43200,
      rpoKind: 'typical',
      rtoSeconds: 0,
      rtoKind: 'typical',
      sources: ['https://cloud.google.com/storage/docs/availability-durability'],
      basis: expect.stringContaining('"Default replication in Cloud Storage is designed to provide redundancy across regions for 99.9% of newly written objects within a target of one hour and 100% of newly written objects within a target of 12 hours"'),
    });
  });

  test('default replication when region outage is not among the disruptions', () => {
    const plan = GcpPlanner.storageBucket(RecoveryObjective.of({
      rpo: Period.minutes(1),
      rto: Period.hours(1),
      disruptions: [Disruption.DATA_CORRUPTION],
    }), ctx);
    expect(plan.replication).toBe('DEFAULT');
    expect(plan.achieved.map(a => a.disruption)).toEqual(['corruption']);
  });

  test('an RPO below 15 minutes against region outage is refused with the turbo floor', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), name: 'tight' });
    expect(() => GcpPlanner.storageBucket(o, ctx)).toThrow(
      '[DRK010] `rpo` 5 minutes against region outage cannot be met for bucket logs (objective "tight"): Cloud Storage dual-region with turbo replication is the tightest mechanism for it and "When enabled, turbo replication is designed to replicate 100% of newly written objects to the two regions that constitute a dual-region within the recovery point objective of 15 minutes, regardless of object size" (a design target), so its floor is 15 minutes (https://cloud.google.com/storage/docs/availability-durability#turbo-replication); default replication is slower still (100% within 12 hours). Raise the rpo for region outage to at least 15 minutes');
  });

  test('a per-disruption override can relax region outage only', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(5),
      rto: Period.hours(1),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.minutes(30) }],
    });
    const plan = GcpPlanner.storageBucket(o, ctx);
    expect(plan.replication).toBe('ASYNC_TURBO');
    expect(plan.achieved.find(a => a.disruption === 'corruption')).toMatchObject({ rpoSeconds: 0, mechanisms: ['gcp.storage.versioning'] });
  });

  test('versioning with noncurrent versions kept for the point-in-time window; soft delete clamped to 7-90 days', () => {
    const short = GcpPlanner.storageBucket(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(3) }),
    }), ctx);
    expect(short).toMatchObject({
      versioning: true,
      softDeleteDays: 7,
      noncurrentVersionDays: 3,
      retentionPolicyDays: undefined,
      retentionPolicyLocked: false,
    });
    expect(short.lifecycleRules).toEqual([{ action: 'Delete', daysSinceNoncurrentTime: 3, withState: 'ARCHIVED' }]);
    const long = GcpPlanner.storageBucket(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(120) }),
    }), ctx);
    expect(long.softDeleteDays).toBe(90);
    expect(long.advisories[0]).toContain('soft delete keeps deleted objects at most 90 days');
  });

  test('compliance immutability gives a locked retention policy and no versioning (they are exclusive)', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    });
    const plan = GcpPlanner.storageBucket(o, ctx);
    expect(plan).toMatchObject({
      versioning: false,
      retentionPolicyDays: 30,
      retentionPolicyLocked: true,
      noncurrentVersionDays: undefined,
      lifecycleRules: [],
    });
    expect(plan.achieved.map(a => a.mechanisms)).toEqual([['gcp.storage.bucket-lock'], ['gcp.storage.bucket-lock']]);
    expect(plan.advisories[0]).toContain('Object Versioning is off');
  });

  test('governance immutability gives an unlocked retention policy', () => {
    const plan = GcpPlanner.storageBucket(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      immutability: Immutability.GOVERNANCE,
    }), ctx);
    expect(plan).toMatchObject({ versioning: false, retentionPolicyDays: 35, retentionPolicyLocked: false });
  });

  test('account compromise without a compliance lock is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.ACCOUNT_COMPROMISE], name: 'acct' });
    expect(() => GcpPlanner.storageBucket(o, ctx)).toThrow(
      '[DRK012] account compromise is among the disruptions for bucket logs (objective "acct"), but `immutability` is none: a project owner can delete a bucket\'s objects unless a locked retention policy (Bucket Lock, https://cloud.google.com/storage/docs/bucket-lock) forbids it; set immutability to Immutability.COMPLIANCE, keep a copy outside the project (CrossCloudCopy), or remove Disruption.ACCOUNT_COMPROMISE');
  });

  test('regions must form a dual-region', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4) });
    expect(codeOf(() => GcpPlanner.storageBucket(o, { ...ctx, secondaryRegion: 'europe-west1' }))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(codeOf(() => GcpPlanner.storageBucket(o, { ...ctx, secondaryRegion: 'us-central1' }))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(codeOf(() => GcpPlanner.storageBucket(o, { ...ctx, secondaryRegion: '' }))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(GcpPlanner.storageBucket(o, { ...ctx, primaryRegion: 'europe-west1', secondaryRegion: 'europe-west4' }).location).toBe('EU');
    expect(GcpPlanner.storageBucket(o, { ...ctx, primaryRegion: 'northamerica-northeast1', secondaryRegion: 'northamerica-northeast2', location: 'ca' }).location).toBe('CA');
  });

  test('tiering on the bucket must keep noncurrent versions for the point-in-time window', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), name: 'o' });
    expect(() => GcpPlanner.storageBucket(o, { ...ctx, tiering: { noncurrentExpireAfterDays: 10 } })).toThrow(
      '[DRK014] `noncurrentExpireAfterDays` deletes objects after 10 days, but objective "o" keeps prior versions (retention.pointInTime) for 35 days: set it to 35 days or more, or shorten the objective\'s retention');
  });
});

describe('GcpPlanner.lifecycleRules', () => {
  test('renders transitions, expiration and noncurrent rules in order', () => {
    expect(GcpPlanner.lifecycleRules({
      transitions: [{ storageClass: GcsStorageClass.COLDLINE, afterDays: 60 }, { storageClass: GcsStorageClass.NEARLINE, afterDays: 30 }],
      expireAfterDays: 400,
      noncurrentTransitions: [{ storageClass: GcsStorageClass.ARCHIVE, afterDays: 1 }],
      noncurrentExpireAfterDays: 366,
    })).toEqual([
      { action: 'SetStorageClass', storageClass: 'NEARLINE', age: 30, withState: 'LIVE' },
      { action: 'SetStorageClass', storageClass: 'COLDLINE', age: 60, withState: 'LIVE' },
      { action: 'Delete', age: 400, withState: 'LIVE' },
      { action: 'SetStorageClass', storageClass: 'ARCHIVE', daysSinceNoncurrentTime: 1, withState: 'ARCHIVED' },
      { action: 'Delete', daysSinceNoncurrentTime: 366, withState: 'ARCHIVED' },
    ]);
  });

  test('refuses a move out of a class before its minimum storage duration', () => {
    expect(() => GcpPlanner.lifecycleRules({
      transitions: [{ storageClass: GcsStorageClass.NEARLINE, afterDays: 30 }, { storageClass: GcsStorageClass.COLDLINE, afterDays: 45 }],
    })).toThrow('[DRK060] `transitions` keeps objects in NEARLINE for 15 days (from day 30 to day 45), but NEARLINE has a minimum storage duration of 30 days (https://cloud.google.com/storage/docs/storage-classes); move to COLDLINE at day 60 or later');
  });

  test('refuses deleting Archive objects before 365 days in Archive', () => {
    expect(() => GcpPlanner.lifecycleRules({ transitions: [{ storageClass: GcsStorageClass.ARCHIVE, afterDays: 30 }], expireAfterDays: 200 }))
      .toThrow('[DRK060] `transitions` deletes objects 170 days after they move to ARCHIVE (day 30 to day 200), but ARCHIVE has a minimum storage duration of 365 days (https://cloud.google.com/storage/docs/storage-classes); delete at day 395 or later');
    expect(codeOf(() => GcpPlanner.lifecycleRules({
      noncurrentTransitions: [{ storageClass: GcsStorageClass.COLDLINE, afterDays: 10 }],
      noncurrentExpireAfterDays: 99,
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(GcpPlanner.lifecycleRules({
      noncurrentTransitions: [{ storageClass: GcsStorageClass.COLDLINE, afterDays: 10 }],
      noncurrentExpireAfterDays: 100,
    })).toHaveLength(2);
  });

  test('refuses warmer-after-colder, negative days and deletes at or before a move', () => {
    expect(codeOf(() => GcpPlanner.lifecycleRules({
      transitions: [{ storageClass: GcsStorageClass.ARCHIVE, afterDays: 30 },
        { storageClass: GcsStorageClass.NEARLINE, afterDays: 500 }],
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => GcpPlanner.lifecycleRules({
      transitions: [{
        storageClass: GcsStorageClass.NEARLINE,
        afterDays: -1,
      }],
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => GcpPlanner.lifecycleRules({
      transitions: [{ storageClass: GcsStorageClass.NEARLINE, afterDays: 30 }],
      expireAfterDays: 30,
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => GcpPlanner.lifecycleRules({ expireAfterDays: 0 }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => GcpPlanner.lifecycleRules({ transitions: [{ storageClass: 'STANDARD' as GcsStorageClass, afterDays: 1 }] }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
  });

  test('refuses an expiration shorter than the objective keeps restore points', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7), monthly: 12 }), name: 'o' });
    expect(() => GcpPlanner.lifecycleRules({ expireAfterDays: 100, objective: o })).toThrow(
      '[DRK014] `expireAfterDays` deletes objects after 100 days, but objective "o" keeps restore points (its longest retention tier) for 372 days: set it to 372 days or more, or shorten the objective\'s retention');
    expect(GcpPlanner.lifecycleRules({ expireAfterDays: 372, objective: o })).toEqual([{ action: 'Delete', age: 372, withState: 'LIVE' }]);
  });

  test('minimum storage durations come from the catalog', () => {
    expect([GcsStorageClass.NEARLINE, GcsStorageClass.COLDLINE, GcsStorageClass.ARCHIVE].map(c => GcpPlanner.minStorageDays(c))).toEqual([30, 90,
      365]);
  });
});

describe('issue 13 #6: dual-region pairs come from the documented table', () => {
  const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4) });
  const plan = (primaryRegion: string, secondaryRegion: string, location?: string) =>
    GcpPlanner.storageBucket(o, { resourceName: 'logs', primaryRegion, secondaryRegion, location });

  test('a configurable pair uses the narrowest location code that lists both regions, with custom placement', () => {
    expect(plan('us-east4', 'us-west1')).toMatchObject({ location: 'US', dataLocations: ['US-EAST4', 'US-WEST1'], predefinedDualRegion: false });
    expect(plan('europe-west3', 'europe-west10')).toMatchObject({ location: 'DE', dataLocations: ['EUROPE-WEST3', 'EUROPE-WEST10'] });
    expect(plan('europe-west8', 'europe-west12').location).toBe('IT');
    expect(plan('asia-south1', 'asia-south2').location).toBe('IN');
    expect(plan('australia-southeast1', 'australia-southeast2').location).toBe('AU');
  });

  test('a pair that is a predefined dual-region is planned as it, without custom placement', () => {
    expect(plan('europe-west4', 'europe-north1')).toMatchObject({ location: 'EUR4', dataLocations: [], predefinedDualRegion: true });
    expect(plan('europe-west2', 'europe-west3')).toMatchObject({ location: 'EUR7', predefinedDualRegion: true });
    expect(plan('asia-northeast1', 'asia-northeast2').location).toBe('ASIA1');
  });

  test('a pair of the same continent that the table does not list is refused (the old prefix check accepted it)', () => {
    expect(() => plan('us-central1', 'us-west1', undefined)).not.toThrow();
    expect(() => plan('asia-east1', 'asia-northeast3')).toThrow(
      '[DRK022] bucket logs: "asia-east1" and "asia-northeast3" do not form a dual-region: a configurable dual-region needs "precisely two eligible regions within the same multi-region" and "asia-east1" is listed under ASIA, "asia-northeast3" is not in the configurable dual-region table; the predefined dual-regions are ASIA1 (asia-northeast1 + asia-northeast2), EUR4 (europe-north1 + europe-west4), EUR5 (europe-west1 + europe-west2), EUR7 (europe-west2 + europe-west3), EUR8 (europe-west3 + europe-west6), NAM4 (us-central1 + us-east1) (https://cloud.google.com/storage/docs/locations#location-dr). Choose two regions listed under one location code, or a predefined pair');
    expect(codeOf(() => plan('europe-west2', 'europe-west1', undefined))).toBeUndefined();
    expect(codeOf(() => plan('europe-west6', 'europe-west1'))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(codeOf(() => plan('us-central1', 'northamerica-northeast1'))).toBe(DrkitErrorCode.INVALID_REGION);
  });

  test('a location that does not hold the pair is refused, naming the one that does', () => {
    expect(() => plan('us-central1', 'us-east1', 'US')).toThrow(
      '[DRK022] `location` "US" of bucket logs does not hold "us-central1" and "us-east1" as a dual-region: the pair is the predefined dual-region NAM4, and it is "only available as a predefined dual-region" (https://cloud.google.com/storage/docs/locations#location-dr); set location to "NAM4" or leave it out');
    expect(codeOf(() => plan('europe-west3', 'europe-west10', 'EU'))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(plan('us-central1', 'us-east1', 'nam4').location).toBe('NAM4');
  });
});

describe('issue 13 #12: a retention policy protects only objects younger than its period', () => {
  test('the corruption and account-compromise lines say "objects younger than N days"', () => {
    const plan = GcpPlanner.storageBucket(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    }), ctx);
    expect(plan.report.map(r => r.basis.split(':')[0])).toEqual(['objects younger than 30 days only', 'objects younger than 30 days only']);
    expect(plan.report[1].basis).toContain('older objects can be deleted by a project owner');
  });
});
