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
const base = { disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE] };

describe('GcpBackupPlanner.backupPlan', () => {
  test('a 7-hour RPO gets backups every 6 hours plus grandfather-father-son rules', () => {
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
    const plan = GcpBackupPlanner.backupPlan(o, ctx);
    expect(plan.rules).toEqual([
      { ruleId: 'every-6h', recurrenceType: 'HOURLY', hourlyFrequency: 6, windowStartHour: 0, windowEndHour: 24, backupRetentionDays: 7 },
      { ruleId: 'daily', recurrenceType: 'DAILY', windowStartHour: 5, windowEndHour: 9, backupRetentionDays: 14 },
      { ruleId: 'weekly', recurrenceType: 'WEEKLY', daysOfWeeks: ['SUNDAY'], windowStartHour: 5, windowEndHour: 9, backupRetentionDays: 28 },
      { ruleId: 'monthly', recurrenceType: 'MONTHLY', daysOfMonths: [1], windowStartHour: 5, windowEndHour: 9, backupRetentionDays: 372 },
      { ruleId: 'yearly', recurrenceType: 'YEARLY', months: ['JANUARY'], daysOfMonths: [1], windowStartHour: 5, windowEndHour: 9, backupRetentionDays: 732 },
    ]);
    expect(plan.minimumEnforcedRetentionDays).toBe(1);
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['gcp.backupdr.plan'], 6 * 3600, 'estimated'], ['az', ['gcp.backupdr.plan'], 6 * 3600, 'estimated'],
    ]);
  });

  test('a 2-day RPO keeps one daily rule for the point-in-time window; its worst case includes the window', () => {
    const plan = GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({ pointInTime: Period.days(10), daily: 3 }),
    }), ctx);
    expect(plan.rules).toEqual([{ ruleId: 'daily', recurrenceType: 'DAILY', windowStartHour: 5, windowEndHour: 9, backupRetentionDays: 10 }]);
    expect(plan.achieved[0].rpoSeconds).toBe(28 * 3600);
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
    const locked = GcpBackupPlanner.backupPlan(o, { ...ctx, lockEffectiveTime: '2027-01-01T00:00:00Z' });
    expect(locked.lockEffectiveTime).toBe('2027-01-01T00:00:00Z');
    expect(locked.report[1]).toMatchObject({ disruption: 'account', mechanismIds: ['gcp.backupdr.vault-lock'], rpoSeconds: 12 * 3600 });
  });

  test('refusals', () => {
    expect(() => GcpBackupPlanner.backupPlan(RecoveryObjective.of({ ...base, rpo: Period.hours(4), rto: Period.hours(8), name: 'o' }), ctx)).toThrow(
      '[DRK010] `rpo` 4 hours against data corruption / accidental deletion cannot be met for Backup and DR plan vms (objective "o") by scheduled backups: drkit schedules Backup and DR backups at most every 6 hours (https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/backup-plan), so the newest backup may be 6 hours old; use the resource\'s point-in-time recovery (Cloud SQL PITR) for tighter RPOs, or raise the rpo to at least 6 hours');
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
      '[DRK013] `backupInterval` 1 day cannot meet `rpo` 12 hours against data corruption / accidental deletion for Backup and DR plan vms: backups every 24 hours that start within a 4-hour window can lose up to 28 hours; back up every 12 hours or less');
    expect(GcpBackupPlanner.backupPlan(RecoveryObjective.of({
      ...base,
      rpo: Period.hours(12),
      rto: Period.hours(8),
      backupInterval: Period.hours(8),
    }), ctx).rules[0])
      .toMatchObject({ recurrenceType: 'HOURLY', hourlyFrequency: 8 });
  });
});
