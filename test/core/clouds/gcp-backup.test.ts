import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { GcpBackupPlanner } from '../../../lib/core/clouds/gcp';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

const ctx = { resourceName: 'vms', resourceType: 'compute.googleapis.com/Instance' };
const sqlCtx = { resourceName: 'db', resourceType: 'sqladmin.googleapis.com/Instance' };
const base = { disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE] };

describe('GcpBackupPlanner.backupPlan', () => {
  test('a 7-hour RPO gets backups every 6 hours plus grandfather-father-son rules (Cloud SQL: 6-23 hours)', () => {
    const o = RecoveryObjective.of({
      ...base,
      rpo: Period.hours(7),
      rto: Period.hours(24),
      retention: Retention.of({
        pointInTime: Period.days(7),
        daily: 14,
        weekly: 4,
        monthly: 12,
        yearly: 2,
      }),
    });
    const plan = GcpBackupPlanner.backupPlan(o, sqlCtx);
    expect(plan.rules).toEqual([
      { ruleId: 'every-6h', recurrenceType: 'HOURLY', hourlyFrequency: 6, windowStartHour: 0, windowEndHour: 24, backupRetentionDays: 7 },
      { ruleId: 'daily', recurrenceType: 'DAILY', windowStartHour: 5, windowEndHour: 11, backupRetentionDays: 14 },
      { ruleId: 'weekly', recurrenceType: 'WEEKLY', daysOfWeeks: ['SUNDAY'], windowStartHour: 5, windowEndHour: 11, backupRetentionDays: 28 },
      { ruleId: 'monthly', recurrenceType: 'MONTHLY', daysOfMonths: [1], windowStartHour: 5, windowEndHour: 11, backupRetentionDays: 372 },
      { ruleId: 'yearly', recurrenceType: 'YEARLY', months: ['JANUARY'], daysOfMonths: [1], windowStartHour: 5, windowEndHour: 11, backupRetentionDays: 732 },
    ]);
    expect(plan.minimumEnforcedRetentionDays).toBe(1);
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['gcp.backupdr.plan'], 6 * 3600, 'estimated'], ['az', ['gcp.backupdr.plan'], 6 * 3600, 'estimated'],
    ]);
  });

  test('a 2-day RPO keeps one daily rule for the point-in-time window; its worst case includes the 6-hour window', () => {
    const plan = GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({ pointInTime: Period.days(10), daily: 3 }),
    }), ctx);
    expect(plan.rules).toEqual([{ ruleId: 'daily', recurrenceType: 'DAILY', windowStartHour: 5, windowEndHour: 11, backupRetentionDays: 10 }]);
    expect(plan.achieved[0].rpoSeconds).toBe(30 * 3600);
  });

  test('compliance: the enforced retention is the shortest rule, locked only with lockEffectiveTime', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(12),
      rto: Period.days(1),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7), monthly: 3 }),
    });
    const unlocked = GcpBackupPlanner.backupPlan(o, ctx);
    expect(unlocked).toMatchObject({ minimumEnforcedRetentionDays: 7, lockEffectiveTime: undefined });
    expect(unlocked.report[1]).toMatchObject({ disruption: 'account', mechanism: 'none', rpoKind: 'none' });
    expect(unlocked.advisories[0]).toContain('is not locked');
    const locked = GcpBackupPlanner.backupPlan(o, { ...ctx, lockEffectiveTime: '2027-01-01T00:00:00Z', now: '2027-06-01T00:00:00Z' });
    expect(locked.lockEffectiveTime).toBe('2027-01-01T00:00:00Z');
    expect(locked.report[1]).toMatchObject({ disruption: 'account', mechanismIds: ['gcp.backupdr.vault-lock'], rpoSeconds: 12 * 3600 });
  });

  test('refusals', () => {
    expect(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(4), rto: Period.hours(8), name: 'o' }), sqlCtx)).toThrow(
      '[DRK010] `rpo` 4 hours against data corruption / accidental deletion cannot be met for Backup and DR plan db (objective "o") by scheduled backups: Backup and DR allows an hourly frequency 6-23 hours for sqladmin.googleapis.com/Instance (https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/backup-plan), so the newest backup may be 6 hours old; use the resource\'s point-in-time recovery (Cloud SQL PITR) for tighter RPOs, or raise the rpo to at least 6 hours');
    // Compute Engine allows 1-23 hours: a 4-hour RPO gets a 4-hour rule.
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(4), rto: Period.hours(8) }), ctx).rules[0]).toMatchObject({ recurrenceType: 'HOURLY', hourlyFrequency: 4 });
    expect(codeOf(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({ rpo: Period.hours(12), rto: Period.hours(8) }),
      ctx))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(codeOf(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.hours(8),
      disruptions: [Disruption.ACCOUNT_COMPROMISE],
    }), ctx)))
      .toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.hours(8),
      backupInterval: Period.hours(24),
    }), ctx)).toThrow(
      '[DRK013] `backupInterval` 1 day cannot meet `rpo` 12 hours against data corruption / accidental deletion for Backup and DR plan vms: backups every 24 hours that start within a 6-hour window ("Backup Window: Defines the timeframe (in 24-hour format) during which the backup job must start. Duration: The window must be at least six hours long", https://cloud.google.com/backup-disaster-recovery/docs/concepts/backup-plan) can lose up to 30 hours; back up every 12 hours or less');
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.hours(8),
      backupInterval: Period.hours(8),
    }), ctx).rules[0])
      .toMatchObject({ recurrenceType: 'HOURLY', hourlyFrequency: 8 });
  });
});

describe('issue 13 #1: Backup and DR windows are at least six hours', () => {
  test('every daily and longer rule gets a 6-hour window, and the worst case counts it (a daily rule can be 30 hours old)', () => {
    const plan = GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(30),
      rto: Period.days(2),
      retention: Retention.of({
        pointInTime: Period.days(7),
        daily: 7,
        weekly: 4,
        monthly: 12,
        yearly: 1,
      }),
    }), ctx);
    for (const rule of plan.rules) {
      expect(rule.windowEndHour - rule.windowStartHour).toBeGreaterThanOrEqual(6);
    }
    expect(plan.report[0]).toMatchObject({ rpoSeconds: 30 * 3600, rpoKind: 'estimated' });
    expect(codeOf(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(29),
      rto: Period.days(2),
      backupInterval: Period.days(1),
    }), ctx)))
      .toBe(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO);
  });

  test('an interval outside the workload\'s hourly frequency is refused with DRK093', () => {
    expect(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.days(1),
      backupInterval: Period.hours(2),
    }), sqlCtx)).toThrow(
      '[DRK093] `backupInterval` 2 hours cannot be scheduled for Backup and DR plan db: Backup and DR allows an hourly frequency 6-23 hours for sqladmin.googleapis.com/Instance (https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/backup-plan); back up every 6 to 23 hours, or daily');
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.days(1),
      backupInterval: Period.hours(2),
    }), ctx).rules[0].hourlyFrequency).toBe(2);
  });

  test('a resource type backup plans do not support is refused', () => {
    expect(codeOf(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(12), rto: Period.days(1) }), { resourceName: 'x', resourceType: 'storage.googleapis.com/Bucket' })))
      .toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('issue 13 #2: Backup and DR retention against the documented limits', () => {
  test('retention past the largest value the API documents (36159 days) is refused with DRK093, citing the API', () => {
    const o = RecoveryObjective.of({
      ...base,
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({ pointInTime: Period.days(7), yearly: 99 }),
    });
    expect(() => GcpBackupPlanner.backupPlan(o, ctx)).toThrow(
      '[DRK093] rule "yearly" of Backup and DR plan vms keeps backups 36234 days, outside what Backup and DR documents: `backupRetentionDays` "should be greater than or equal to minimum enforced retention of the backup vault. Minimum value is 1 and maximum value is 36159 for custom retention on-demand backup. Minimum and maximum values are workload specific for all other rules" (https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans#BackupRule); keep between 1 and 36159 days (fewer yearly points in the objective\'s retention)');
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({ pointInTime: Period.days(7), yearly: 98 }),
    }), ctx).rules.pop())
      .toMatchObject({ ruleId: 'yearly', backupRetentionDays: 98 * 366 });
  });

  test('no per-workload table is published: past the earlier reference\'s maxima drkit advises instead of inventing a limit', () => {
    const plan = GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({ pointInTime: Period.days(7), daily: 120 }),
    }), ctx);
    expect(plan.rules[0]).toMatchObject({ ruleId: 'daily', backupRetentionDays: 120 });
    expect(plan.advisories).toEqual([
      'rule "daily" keeps backups 120 days: an earlier BackupRule reference allowed at most 90 days for DAILY rules, and the current API says the limits are "workload specific" without publishing them per workload (https://cloud.google.com/backup-disaster-recovery/docs/reference/rest/v1/projects.locations.backupPlans#BackupRule); Backup and DR may refuse this rule for compute.googleapis.com/Instance',
    ]);
  });
});

describe('issue 13 #13: a lock that takes effect in the future does not cover account compromise yet', () => {
  const o = RecoveryObjective.of({
    rpo: Period.hours(12),
    rto: Period.days(1),
    immutability: Immutability.COMPLIANCE,
    disruptions: [Disruption.ACCOUNT_COMPROMISE],
    retention: Retention.of({ pointInTime: Period.days(7) }),
  });
  test('before effectiveTime: not covered, with the date; after it: covered', () => {
    const before = GcpBackupPlanner.backupPlan(o, { ...ctx, lockEffectiveTime: '2027-01-01T00:00:00Z', now: '2026-12-02T00:00:00Z' });
    expect(before.lockEffectiveTime).toBe('2027-01-01T00:00:00Z');
    expect(before.report[0]).toMatchObject({ mechanismIds: [], rpoKind: 'none', basis: expect.stringContaining('locked only from 2027-01-01T00:00:00Z') });
    expect(before.advisories).toEqual(['the vault\'s minimum enforced retention (7 days) is locked only from 2027-01-01T00:00:00Z: until then it does not survive account compromise']);
    const after = GcpBackupPlanner.backupPlan(o, { ...ctx, lockEffectiveTime: '2027-01-01T00:00:00Z', now: '2027-01-01T00:00:01Z' });
    expect(after.report[0]).toMatchObject({ mechanismIds: ['gcp.backupdr.vault-lock'] });
    expect(codeOf(() => GcpBackupPlanner.backupPlan(o, { ...ctx, lockEffectiveTime: 'next year' }))).toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('issue 13 #14: a plan for Cloud SQL says what enhanced backups change', () => {
  test('the advisory names the exclusive backup options and the lost multi-region backups', () => {
    const plan = GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(12), rto: Period.days(1) }), sqlCtx);
    expect(plan.advisories).toEqual([expect.stringContaining('"Although instances can\'t use multiple backup options simultaneously')]);
    expect(plan.advisories[0]).toContain('multi-region location, which drkit counts against region outage, stop');
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(12), rto: Period.days(1) }), ctx).advisories).toEqual([]);
  });
});
