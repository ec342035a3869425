import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureDatabasePlanner } from '../../../lib/core/clouds/azure';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

describe('AzureDatabasePlanner.sqlFailoverGroup (issue 13 #8)', () => {
  test('the default is customer-managed (Manual): RTO and RPO have no published bound, and the advisory says who decides', () => {
    const plan = AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1) }), { resourceName: 'fg' });
    expect(plan).toMatchObject({ failoverPolicy: 'Manual', gracePeriodMinutes: undefined });
    expect(plan.report).toEqual([expect.objectContaining({
      disruption: 'region', mechanismIds: ['azure.sql.failover-group.manual'], rpoSeconds: undefined, rpoKind: 'none', rtoSeconds: undefined, rtoKind: 'none',
    })]);
    expect(plan.report[0].basis).toContain('"Equal to or greater than 0 (Depends on data changes before the disruptive event that haven\'t been replicated)"');
    expect(plan.report[0].basis).not.toContain('30 s');
    expect(plan.advisories[1]).toContain('az sql failover-group set-primary --allow-data-loss');
    // A tight RTO is not refused under the manual policy: no source bounds it either way.
    expect(AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.seconds(1), rto: Period.seconds(20) }), { resourceName: 'fg' }).failoverPolicy).toBe('Manual');
  });

  test('Microsoft-managed only when asked: the RTO is at least the one-hour grace period, with no upper bound', () => {
    const plan = AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(2) }), { resourceName: 'fg', microsoftManagedFailover: true });
    expect(plan).toMatchObject({ failoverPolicy: 'Automatic', gracePeriodMinutes: 60 });
    expect(plan.report[0]).toMatchObject({ mechanismIds: ['azure.sql.failover-group.managed'], rtoSeconds: 3600, rtoKind: 'documented', rtoIsLowerBound: true, rpoKind: 'none' });
    expect(plan.report[0].basis).toContain('"the grace period can\'t be set below one hour"');
    expect(plan.report[0].basis).toContain('"the actual time for the forced failover can vary significantly"');
    expect(plan.advisories[1]).toContain('"Do not rely on Microsoft managed failover');
    expect(() => AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.minutes(30), name: 'm' }), { resourceName: 'fg', microsoftManagedFailover: true }))
      .toThrow(/^\[DRK011\] `rto` 30 minutes against region outage cannot be met for failover group fg \(objective "m"\) with Microsoft-managed failover: a Microsoft-managed failover waits for the grace period/);
  });

  test('no region outage in scope is refused', () => {
    expect(codeOf(() => AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] }), { resourceName: 'fg' }))).toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('AzureDatabasePlanner.cosmosAccount', () => {
  test('7-day tier up to 7 days, 30-day tier up to 30, refused beyond; 100 seconds is typical (steady state), quoted', () => {
    const o = (days: number) => RecoveryObjective.of({
      rpo: Period.minutes(5),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION,
        Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(days) }),
    });
    expect(AzureDatabasePlanner.cosmosAccount(o(7), { resourceName: 'c' }).continuousTier).toBe('Continuous7Days');
    const plan = AzureDatabasePlanner.cosmosAccount(o(8), { resourceName: 'c' });
    expect(plan).toMatchObject({ continuousTier: 'Continuous30Days', zoneRedundant: true });
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['azure.cosmosdb.continuous-backup'], 100, 'typical'],
      ['az', ['azure.cosmosdb.zone-redundant'], 0, 'documented'],
    ]);
    expect(plan.report[0].basis).toContain('"In a steady state, all mutations performed on the source account (which includes databases, containers, and items) are backed up asynchronously within 100 seconds"');
    expect(() => AzureDatabasePlanner.cosmosAccount(o(31), { resourceName: 'c' })).toThrow(
      '[DRK014] `retention.pointInTime` of 31 days cannot be met for Cosmos DB account c: Cosmos DB continuous backup keeps 7 or 30 days (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction); set pointInTime to 30 days or less');
  });

  test('region outage and account compromise are refused, not silently skipped', () => {
    expect(codeOf(() => AzureDatabasePlanner.cosmosAccount(RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }) }), { resourceName: 'c' }))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(codeOf(() => AzureDatabasePlanner.cosmosAccount(RecoveryObjective.of({ rpo: Period.seconds(30), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION], retention: Retention.of({ pointInTime: Period.days(7) }) }), { resourceName: 'c' }))).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
  });
});
