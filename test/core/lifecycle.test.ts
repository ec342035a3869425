import * as fc from 'fast-check';
import {
  DrkitError, DrkitErrorCode, LifecyclePlanner, LifecycleTransition, Period, RecoveryObjective, RecoveryTier, Retention,
  StorageClass,
} from '../../lib/core';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e.code;
    throw e;
  }
  return undefined;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const t = (storageClass: StorageClass, days: number): LifecycleTransition => ({ storageClass, after: Period.days(days) });

describe('StorageClass', () => {
  test('minimum storage durations are the documented ones', () => {
    expect(StorageClass.all().map(c => [c.id, c.minStorageDays])).toEqual([
      ['STANDARD_IA', 30], ['INTELLIGENT_TIERING', 0], ['ONEZONE_IA', 30],
      ['GLACIER_IR', 90], ['GLACIER', 90], ['DEEP_ARCHIVE', 180],
    ]);
    expect(StorageClass.STANDARD_IA.minDaysBeforeTransition).toBe(30);
    expect(StorageClass.ONEZONE_IA.minDaysBeforeTransition).toBe(30);
    expect(StorageClass.GLACIER.instantRetrieval).toBe(false);
    expect(StorageClass.GLACIER_IR.instantRetrieval).toBe(true);
  });
});

describe('LifecyclePlanner.plan', () => {
  test('GIVEN the reference schedule THEN it is accepted as is', () => {
    const plan = LifecyclePlanner.plan('files', {
      transitions: [t(StorageClass.STANDARD_IA, 30), t(StorageClass.GLACIER, 90), t(StorageClass.DEEP_ARCHIVE, 180)],
      expiration: Period.days(7 * 365),
      noncurrentTransitions: [t(StorageClass.GLACIER_IR, 0)],
      noncurrentExpiration: Period.days(400),
      noncurrentVersionsToRetain: 3,
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
    });
    expect(plan.transitions).toEqual([
      { storageClass: 'STANDARD_IA', days: 30 }, { storageClass: 'GLACIER', days: 90 }, { storageClass: 'DEEP_ARCHIVE', days: 180 },
    ]);
    expect(plan.expirationDays).toBe(2555);
    expect(plan.noncurrentTransitions).toEqual([{ storageClass: 'GLACIER_IR', days: 0 }]);
    expect(plan.noncurrentExpirationDays).toBe(400);
    expect(plan.noncurrentVersionsToRetain).toBe(3);
    expect(plan.abortIncompleteMultipartUploadDays).toBe(7);
    expect(plan.expiredObjectDeleteMarker).toBe(true);
    expect(plan.retentionDays).toBe(2555 + 400);
    expect(plan.advisories).toEqual([]);
  });

  test('an empty schedule only cleans up', () => {
    const plan = LifecyclePlanner.plan('b', { removeExpiredDeleteMarkers: false, abortIncompleteMultipartUploadAfter: Period.days(2) });
    expect(plan).toMatchObject({
      transitions: [], noncurrentTransitions: [], abortIncompleteMultipartUploadDays: 2, expiredObjectDeleteMarker: false,
    });
    expect(plan.expirationDays).toBeUndefined();
  });

  test('Standard-IA before 30 days is refused with DRK061', () => {
    const f = () => LifecyclePlanner.plan('files', { transitions: [t(StorageClass.STANDARD_IA, 10)] });
    expect(codeOf(f)).toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
    expect(messageOf(f)).toBe('[DRK061] `transitions` for bucket files moves objects to S3 Standard-IA 10 days after creation, but S3 requires objects to be stored at least 30 days before a transition to S3 Standard-IA (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html); move them at 30 days or later');
  });

  test('One Zone-IA before 30 days after becoming noncurrent is refused', () => {
    expect(codeOf(() => LifecyclePlanner.plan('b', { noncurrentTransitions: [t(StorageClass.INTELLIGENT_TIERING, 0), t(StorageClass.ONEZONE_IA, 20)] })))
      .toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
  });

  test('leaving Glacier before 90 days is refused with the day to use', () => {
    const f = () => LifecyclePlanner.plan('files', { transitions: [t(StorageClass.GLACIER, 10), t(StorageClass.DEEP_ARCHIVE, 60)] });
    expect(codeOf(f)).toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
    expect(messageOf(f)).toContain('S3 Glacier Flexible Retrieval has a minimum storage duration of 90 days');
    expect(messageOf(f)).toContain('move to S3 Glacier Deep Archive at day 100 or later');
  });

  test('a warmer move is refused with DRK060', () => {
    const f = () => LifecyclePlanner.plan('files', { transitions: [t(StorageClass.GLACIER, 0), t(StorageClass.STANDARD_IA, 120)] });
    expect(codeOf(f)).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(messageOf(f)).toContain('go "warmer": S3 Glacier Flexible Retrieval at 0 days, then S3 Standard-IA at 120 days');
  });

  test('transitions out of order or on the same day are refused', () => {
    expect(codeOf(() => LifecyclePlanner.plan('b', { transitions: [t(StorageClass.GLACIER, 100), t(StorageClass.STANDARD_IA, 30)] })))
      .toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { transitions: [t(StorageClass.INTELLIGENT_TIERING, 40), t(StorageClass.GLACIER, 40)] })))
      .toBe(DrkitErrorCode.INVALID_LIFECYCLE);
  });

  test('expiration before the last transition is refused with DRK060', () => {
    const f = () => LifecyclePlanner.plan('files', { transitions: [t(StorageClass.GLACIER, 90)], expiration: Period.days(60) });
    expect(codeOf(f)).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(messageOf(f)).toContain('`expiration` of 60 days after creation for bucket files comes before (or on the day of) the last transition');
  });

  test('expiration inside the last class\'s minimum duration is refused with DRK061', () => {
    const f = () => LifecyclePlanner.plan('files', { noncurrentTransitions: [t(StorageClass.DEEP_ARCHIVE, 10)], noncurrentExpiration: Period.days(100) });
    expect(codeOf(f)).toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
    expect(messageOf(f)).toContain('expire at 190 days or later');
  });

  test('a retention shorter than the objective is refused with DRK062', () => {
    const objective = RecoveryObjective.of({
      name: 'files', rpo: Period.minutes(15), rto: Period.hours(1), retention: Retention.of({ monthly: 12 }),
    });
    const f = () => LifecyclePlanner.plan('files', { objective, noncurrentExpiration: Period.days(90) });
    expect(codeOf(f)).toBe(DrkitErrorCode.LIFECYCLE_RETENTION_TOO_SHORT);
    expect(messageOf(f)).toBe('[DRK062] `noncurrentExpiration` of 90 days for bucket files deletes prior versions before the retention of objective "files" (35d point-in-time, 7 daily, 12 monthly: the oldest restore point is kept 372 days); set `noncurrentExpiration` to at least 372 days, or shorten the objective\'s retention');
    expect(codeOf(() => LifecyclePlanner.plan('files', { objective, expiration: Period.days(300) }))).toBe(DrkitErrorCode.LIFECYCLE_RETENTION_TOO_SHORT);
    expect(LifecyclePlanner.plan('files', { objective, noncurrentExpiration: Period.days(372) }).noncurrentExpirationDays).toBe(372);
  });

  test('fractional days, zero expiration and bad version counts are refused', () => {
    expect(codeOf(() => LifecyclePlanner.plan('b', { transitions: [t(StorageClass.GLACIER, 0.5)] }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { transitions: [{ storageClass: StorageClass.GLACIER, after: Period.hours(36) }] }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { expiration: Period.days(0) }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { noncurrentExpiration: Period.days(30), noncurrentVersionsToRetain: 101 }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { noncurrentVersionsToRetain: 2 }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => LifecyclePlanner.plan('b', { abortIncompleteMultipartUploadAfter: Period.days(0) }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
  });

  test('current expiration without noncurrent expiration is advised', () => {
    expect(LifecyclePlanner.plan('b', { expiration: Period.days(30) }).advisories[0]).toContain('noncurrent versions are never deleted');
  });

  test('a custom storage class takes part in the checks', () => {
    const cold = new StorageClass({ id: 'FUTURE_COLD', title: 'future cold', minStorageDays: 365, coldness: 7 });
    expect(codeOf(() => LifecyclePlanner.plan('b', { transitions: [t(cold, 0)], expiration: Period.days(100) })))
      .toBe(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION);
  });
});

describe('LifecyclePlanner.archiveChain and derive', () => {
  test('the chain fits the retention', () => {
    const ids = (days: number, instant: boolean) => LifecyclePlanner.archiveChain(days, instant)
      .map(x => `${x.storageClass.id}@${x.after.toDays()}`);
    expect(ids(0, false)).toEqual(['STANDARD_IA@30', 'GLACIER@90', 'DEEP_ARCHIVE@180']);
    expect(ids(0, true)).toEqual(['STANDARD_IA@30', 'GLACIER_IR@90']);
    expect(ids(372, false)).toEqual(['STANDARD_IA@30', 'GLACIER@90', 'DEEP_ARCHIVE@180']);
    expect(ids(359, false)).toEqual(['STANDARD_IA@30', 'GLACIER@90']);
    expect(ids(100, true)).toEqual(['STANDARD_IA@30']);
    expect(ids(59, true)).toEqual([]);
  });

  test('a derived schedule keeps prior versions for the objective\'s retention and is valid', () => {
    const objective = RecoveryObjective.fromTier(RecoveryTier.GOLD);
    const schedule = LifecyclePlanner.derive(objective, true);
    const plan = LifecyclePlanner.plan('replica', schedule);
    expect(plan.transitions).toEqual([{ storageClass: 'STANDARD_IA', days: 30 }, { storageClass: 'GLACIER_IR', days: 90 }]);
    expect(plan.noncurrentTransitions).toEqual([{ storageClass: 'STANDARD_IA', days: 30 }, { storageClass: 'GLACIER_IR', days: 90 }]);
    expect(plan.noncurrentExpirationDays).toBe(372);
    expect(LifecyclePlanner.plan('source', LifecyclePlanner.derive(objective, false)).transitions).toEqual([]);
  });
});

describe('LifecyclePlanner properties', () => {
  const classArb = fc.constantFrom(...StorageClass.all());
  const chainArb = fc.array(fc.record({ cls: classArb, days: fc.integer({ min: 0, max: 400 }) }), { maxLength: 4 });
  const expArb = fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined });

  /** An independent check of the documented rules on an accepted plan. */
  function violations(chain: Array<{ storageClass: string; days: number }>, expiration?: number): string[] {
    const byId = new Map(StorageClass.all().map(c => [c.id, c]));
    const out: string[] = [];
    chain.forEach((step, i) => {
      const cls = byId.get(step.storageClass)!;
      if (step.days < cls.minDaysBeforeTransition) out.push(`${cls.id} too early`);
      const next = chain[i + 1];
      const leaves = next ? next.days : expiration;
      if (leaves !== undefined && leaves - step.days < cls.minStorageDays) out.push(`${cls.id} left after ${leaves - step.days} days`);
      if (next && byId.get(next.storageClass)!.coldness <= cls.coldness) out.push('warmer');
    });
    return out;
  }

  test('no accepted schedule violates a minimum storage duration; every refusal is DRK06x', () => {
    fc.assert(fc.property(chainArb, expArb, chainArb, expArb, (cur, exp, nc, ncExp) => {
      const schedule = {
        transitions: cur.map(x => t(x.cls, x.days)),
        expiration: exp === undefined ? undefined : Period.days(exp),
        noncurrentTransitions: nc.map(x => t(x.cls, x.days)),
        noncurrentExpiration: ncExp === undefined ? undefined : Period.days(ncExp),
      };
      let plan;
      try {
        plan = LifecyclePlanner.plan('prop', schedule);
      } catch (e) {
        expect(DrkitError.isDrkitError(e)).toBe(true);
        expect((e as DrkitError).code).toMatch(/^DRK06\d$/);
        return;
      }
      expect(violations(plan.transitions, plan.expirationDays)).toEqual([]);
      expect(violations(plan.noncurrentTransitions, plan.noncurrentExpirationDays)).toEqual([]);
    }), { numRuns: 200 });
  });

  test('every derived schedule is accepted', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.boolean(), (days, instant) => {
      const chain = LifecyclePlanner.archiveChain(days, instant);
      const plan = LifecyclePlanner.plan('prop', { transitions: chain, expiration: days > 0 ? Period.days(days) : undefined });
      expect(violations(plan.transitions, plan.expirationDays)).toEqual([]);
    }), { numRuns: 200 });
  });
});
