import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureBackupPlanner } from '../../../lib/core/clouds/azure';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

describe('AzureBackupPlanner.backupVault', () => {
  test('region outage in scope: geo-redundant with cross-region restore; GFS retention rules', () => {
    const o = RecoveryObjective.of({
      rpo: Period.days(2),
      rto: Period.days(2),
      retention: Retention.of({
        pointInTime: Period.days(7),
        daily: 30,
        weekly: 8,
        monthly: 12,
        yearly: 7,
      }),
    });
    const plan = AzureBackupPlanner.backupVault(o, { resourceName: 'v' });
    expect(plan).toMatchObject({
      storageRedundancy: 'GeoRedundant',
      crossRegionRestore: 'Enabled',
      immutabilityState: 'Disabled',
      softDeleteState: 'On',
      softDeleteDays: 14,
      schedule: 'R/2024-01-01T05:00:00+00:00/P1D',
      advisories: [],
    });
    expect(plan.retentionRules).toEqual([
      { name: 'Default', deleteAfter: 'P30D', taggingPriority: 99 },
      { name: 'Weekly', deleteAfter: 'P8W', absoluteCriteria: 'FirstOfWeek', taggingPriority: 20 },
      { name: 'Monthly', deleteAfter: 'P12M', absoluteCriteria: 'FirstOfMonth', taggingPriority: 15 },
      { name: 'Yearly', deleteAfter: 'P7Y', absoluteCriteria: 'FirstOfYear', taggingPriority: 10 },
    ]);
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['azure.backup.vaulted'], 86400, 'estimated'],
      ['az', ['azure.backup.vaulted'], 86400, 'estimated'],
      ['region', ['azure.backup.cross-region-restore'], 86400 + 900, 'estimated'],
    ]);
  });

  test('zone-redundant without region outage; compliance gives always-on soft delete and a lock only when asked', () => {
    const o = RecoveryObjective.of({
      rpo: Period.days(1),
      rto: Period.days(1),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.AZ_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7) }),
    });
    const unlocked = AzureBackupPlanner.backupVault(o, { resourceName: 'v' });
    expect(unlocked).toMatchObject({ storageRedundancy: 'ZoneRedundant', crossRegionRestore: 'Disabled', immutabilityState: 'Unlocked', softDeleteState: 'AlwaysOn' });
    expect(unlocked.report[1]).toMatchObject({ disruption: 'account', mechanism: 'none' });
    const locked = AzureBackupPlanner.backupVault(o, { resourceName: 'v', lockImmutability: true });
    expect(locked.immutabilityState).toBe('Locked');
    expect(locked.report[1]).toMatchObject({ disruption: 'account', mechanismIds: ['azure.backup.immutable'], rpoSeconds: 86400 });
  });

  test('refusals: an RPO under a day, account compromise without compliance', () => {
    expect(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.hours(4), rto: Period.days(1), disruptions: [Disruption.DATA_CORRUPTION], name: 'o' }), { resourceName: 'v' })).toThrow(
      '[DRK010] `rpo` 4 hours against data corruption / accidental deletion cannot be met for backup vault v (objective "o"): Azure Backup vaulted backup (Backup vault) takes a daily backup into the vault; Microsoft publishes no job start delay, so its worst case is 1 day (https://learn.microsoft.com/azure/backup/blob-backup-overview); cover tighter RPOs with the resource\'s own mechanisms (for example blob point-in-time restore) and give the vault an objective with an rpo of at least 1 day');
    expect(codeOf(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.days(1), rto: Period.days(1), disruptions: [Disruption.ACCOUNT_COMPROMISE], immutability: Immutability.GOVERNANCE }), { resourceName: 'v' })))
      .toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
  });
});
