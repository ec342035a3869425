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

describe('AzureDatabasePlanner.sqlFailoverGroup', () => {
  test('an RTO of an hour or more gets Microsoft-managed failover with the 60-minute grace period', () => {
    const plan = AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1) }), { resourceName: 'fg' });
    expect(plan).toMatchObject({ failoverPolicy: 'Automatic', gracePeriodMinutes: 60, advisories: [] });
    expect(plan.report).toEqual([expect.objectContaining({ disruption: 'region', mechanismIds: ['azure.sql.failover-group.managed'], rpoSeconds: 5, rpoKind: 'documented', rtoSeconds: 3600, rtoKind: 'documented' })]);
  });

  test('a tighter RTO gets a manual failover policy (30 s after the decision) and says who decides', () => {
    const plan = AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.minutes(15) }), { resourceName: 'fg' });
    expect(plan).toMatchObject({ failoverPolicy: 'Manual', gracePeriodMinutes: undefined });
    expect(plan.report[0]).toMatchObject({ mechanismIds: ['azure.sql.failover-group.manual'], rtoSeconds: 30 });
    expect(plan.advisories[0]).toContain('az sql failover-group set-primary');
  });

  test('refusals: RPO under 5 s, RTO under 30 s, no region outage in scope', () => {
    expect(() => AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.seconds(1), rto: Period.hours(1), name: 'z' }), { resourceName: 'fg' })).toThrow(
      '[DRK010] `rpo` 1 second against region outage cannot be met for failover group fg (objective "z"): Azure SQL failover group (customer-initiated failover) is the tightest mechanism for it and active geo-replication and failover groups have an RPO of 5 seconds, so its floor is 5 seconds (https://learn.microsoft.com/azure/azure-sql/database/business-continuity-high-availability-disaster-recover-hadr-overview). Raise the rpo for region outage to at least 5 seconds');
    expect(codeOf(() => AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.seconds(10) }), { resourceName: 'fg' }))).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(codeOf(() => AzureDatabasePlanner.sqlFailoverGroup(RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] }), { resourceName: 'fg' }))).toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('AzureDatabasePlanner.cosmosAccount', () => {
  test('7-day tier up to 7 days, 30-day tier up to 30, refused beyond', () => {
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
    expect(() => AzureDatabasePlanner.cosmosAccount(o(31), { resourceName: 'c' })).toThrow(
      '[DRK014] `retention.pointInTime` of 31 days cannot be met for Cosmos DB account c: Cosmos DB continuous backup keeps 7 or 30 days (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction); set pointInTime to 30 days or less');
  });

  test('region outage and account compromise are refused, not silently skipped', () => {
    expect(codeOf(() => AzureDatabasePlanner.cosmosAccount(RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }) }), { resourceName: 'c' }))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(codeOf(() => AzureDatabasePlanner.cosmosAccount(RecoveryObjective.of({ rpo: Period.seconds(30), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION], retention: Retention.of({ pointInTime: Period.days(7) }) }), { resourceName: 'c' }))).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
  });
});
