import { Disruption, Period, Planner, RecoveryObjective, Retention } from '../../lib/core';
import { scheduleFireMinutes } from '../../lib/core/evaluate/schedule';
import { gfsRules } from '../../lib/core/plan';
import { auditInputsFromPlan, deriveAuditControls, planRecoveryPointAge } from '../../lib/core/plan-backup';

// Issue 10, point 14: BACKUP_LAST_RECOVERY_POINT_CREATED checks the age the plan's schedule can
// guarantee: the longest gap between its scheduled recovery points plus the next job's start and
// completion windows, rounded up to hours. The RPO would make it non-compliant most of the time.
const SYNC = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
});

describe('the recovery point age of a plan', () => {
  test('a plan backing up every 6 hours (start window 1h, completion window 6h): 13 hours, not the 1-hour RPO', () => {
    const rules = gfsRules(SYNC, 6, 'us-west-2');
    expect(rules.map(r => [r.name, r.startWindowMinutes, r.completionWindowMinutes])).toEqual([
      ['Every6h', 60, 360], ['Daily', 60, 1440], ['Monthly', 60, 7 * 1440],
    ]);
    expect(planRecoveryPointAge(rules)).toBe(6 + 1 + 6);
    const controls = deriveAuditControls(SYNC, auditInputsFromPlan(rules, undefined, ['us-west-2'], []), 'App').controls;
    expect(controls.find(c => c.name === 'BACKUP_LAST_RECOVERY_POINT_CREATED')!.parameters).toEqual([
      { name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '13' },
    ]);
  });

  test('daily backups: a day plus the start and completion windows (2 days 1 hour, expressed in hours)', () => {
    const daily = RecoveryObjective.of({ rpo: Period.hours(26), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION] });
    const rules = gfsRules(daily, 24);
    expect(planRecoveryPointAge(rules)).toBe(24 + 1 + 24);
  });

  test('rules that fire together count the shortest windows; gaps are read from the cron expressions', () => {
    expect(scheduleFireMinutes('cron(0 5,11,17,23 * * ? *)')!.slice(0, 4)).toEqual([300, 660, 1020, 1380]);
    expect(scheduleFireMinutes('cron(0 5 1 * ? *)')!.slice(0, 2)).toEqual([300, 31 * 1440 + 300]);
    expect(scheduleFireMinutes('cron(0 5 ? * SUN *)')![0]).toBe(4 * 1440 + 300); // 2025-01-05 is a Sunday
    expect(scheduleFireMinutes('daily')).toBeUndefined();
    // A weekly rule alone: 7 days plus its windows.
    const weekly = [{ ...gfsRules(SYNC, 6)[0], name: 'Weekly', scheduleExpression: 'cron(0 5 ? * SUN *)', intervalHours: 168, completionWindowMinutes: 1440 }];
    expect(planRecoveryPointAge(weekly)).toBe(7 * 24 + 1 + 24);
    // Continuous rules create no scheduled recovery point: no age from the plan.
    expect(planRecoveryPointAge([{ ...gfsRules(SYNC, 6)[0], enableContinuousBackup: true }])).toBeUndefined();
  });

  test('without a plan, the control still uses the local RPO', () => {
    const controls = deriveAuditControls(SYNC, { copyRegions: ['us-west-2'], copyAccounts: [] }, 'App').controls;
    expect(controls[0].parameters).toEqual([{ name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '1' }]);
    expect(Planner.intervalFor(Period.hours(7))).toBe(6);
  });
});

test('a plan whose only snapshots are monthly is checked at the control\'s 31-day maximum, with a note', () => {
  const rules = gfsRules(SYNC, 6).filter(r => r.name === 'Monthly');
  expect(planRecoveryPointAge(rules)).toBe(31 * 24 + 1 + 7 * 24);
  const derived = deriveAuditControls(SYNC, auditInputsFromPlan(rules, undefined, ['us-west-2'], []), 'App');
  expect(derived.controls[0].parameters).toEqual([{ name: 'recoveryPointAgeUnit', value: 'days' }, { name: 'recoveryPointAgeValue', value: '31' }]);
  expect(derived.notes.join('\n')).toContain('accepts at most 31 days');
});
