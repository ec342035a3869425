import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, parseDisruption, Period, RecoveryObjective, RecoveryTier, Retention,
} from '../../lib/core';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return (e as DrkitError).code;
    throw e;
  }
  return undefined;
}

describe('RecoveryObjective', () => {
  test('defaults: corruption, AZ and region; 35 days PITR and 7 daily points; no lock', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.hours(1) });
    expect(o.disruptions).toEqual([Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]);
    expect(o.retention.pointInTimeDays).toBe(35);
    expect(o.retention.daily).toBe(7);
    expect(o.immutability).toBe(Immutability.NONE);
    expect(o.name).toBe('rpo 30m / rto 1h');
  });

  test('per-disruption targets override the overall rpo/rto', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
    });
    expect(o.targetFor(Disruption.REGION_OUTAGE).rpo.toHours()).toBe(7);
    expect(o.targetFor(Disruption.REGION_OUTAGE).rto.toHours()).toBe(1);
    expect(o.targetFor(Disruption.DATA_CORRUPTION).rpo.toMinutes()).toBe(30);
  });

  test('disruptions are kept in report order without duplicates', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(1),
      disruptions: [Disruption.REGION_OUTAGE, Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
    });
    expect(o.disruptions).toEqual([Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE]);
  });

  test('refuses a zero RPO with the fix', () => {
    expect(() => RecoveryObjective.of({ rpo: Period.seconds(0), rto: Period.hours(1) })).toThrow(
      '[DRK002] `rpo` must be greater than zero, but got 0 seconds: no native mechanism gives zero data loss; use the smallest RPO you need, for example Period.seconds(1) for synchronous-like replication');
  });

  test('refuses an override for a disruption not in scope', () => {
    expect(() => RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(1),
      disruptions: [Disruption.DATA_CORRUPTION],
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(8) }],
    })).toThrow('[DRK002] `perDisruption` sets an objective for "region", which is not among `disruptions` (corruption): add it to `disruptions` or remove the override');
  });

  test('refuses an empty disruption list, missing periods and sub-hour backup intervals', () => {
    const noDisruptions = () => RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(1), disruptions: [] });
    expect(codeOf(noDisruptions)).toBe(DrkitErrorCode.INVALID_OBJECTIVE);
    expect(codeOf(() => RecoveryObjective.of({ rpo: undefined as any, rto: Period.hours(1) }))).toBe(DrkitErrorCode.INVALID_OBJECTIVE);
    expect(() => RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(1), backupInterval: Period.minutes(30) })).toThrow(
      '[DRK002] `backupInterval` must be at least 1 hour (the shortest AWS Backup schedule), but got 30 minutes: use continuous backup or replication for tighter RPOs');
  });

  test('round-trips through JSON (as template metadata carries it)', () => {
    const o = RecoveryObjective.of({
      name: 'sync',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
      retention: Retention.of({ pointInTime: Period.days(30), daily: 14, monthly: 12 }),
      backupInterval: Period.hours(6),
      immutability: Immutability.GOVERNANCE,
    });
    const back = RecoveryObjective.fromJson(JSON.parse(JSON.stringify(o.toJson())));
    expect(back.toJson()).toEqual(o.toJson());
  });

  test('fromJson refuses a document without rpo/rto', () => {
    expect(codeOf(() => RecoveryObjective.fromJson({ name: 'x' }))).toBe(DrkitErrorCode.INVALID_OBJECTIVE);
  });

  test('tiers are objectives; custom tiers are allowed', () => {
    expect(RecoveryObjective.fromTier(RecoveryTier.PLATINUM).covers(Disruption.ACCOUNT_COMPROMISE)).toBe(true);
    expect(RecoveryObjective.fromTier(RecoveryTier.GOLD).rpo.toMinutes()).toBe(15);
    const custom = new RecoveryTier('lab', { rpo: Period.days(1), rto: Period.days(7), disruptions: [Disruption.DATA_CORRUPTION] });
    expect(RecoveryObjective.fromTier(custom).rto.toDays()).toBe(7);
  });
});

describe('Retention', () => {
  test('longestDays is the longest tier', () => {
    expect(Retention.of({ pointInTime: Period.days(30), daily: 7, monthly: 12 }).longestDays).toBe(12 * 31);
    expect(Retention.of({ pointInTime: Period.days(10), daily: 7 }).longestDays).toBe(10);
    expect(Retention.of({ yearly: 7 }).longestDays).toBe(7 * 366);
  });

  test('refuses negative or fractional counts and a sub-day window', () => {
    expect(() => Retention.of({ monthly: -1 })).toThrow('[DRK003] `retention.monthly` must be a whole number of restore points between 0 and 36500, but got -1');
    expect(codeOf(() => Retention.of({ daily: 1.5 }))).toBe(DrkitErrorCode.INVALID_RETENTION);
    expect(codeOf(() => Retention.of({ pointInTime: Period.hours(0) }))).toBe(DrkitErrorCode.INVALID_RETENTION);
  });
});

describe('parseDisruption', () => {
  test('accepts the CLI names', () => {
    expect(['corruption', 'az', 'region', 'account'].map(parseDisruption)).toEqual([
      Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE,
    ]);
  });
  test('refuses unknown names', () => {
    expect(() => parseDisruption('flood')).toThrow('[DRK002] `disruptions` has an unknown value "flood": use corruption, az, region or account');
  });
});
