import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureBackupPlanner, AzureImmutabilityState } from '../../../lib/core/clouds/azure';

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
    });
    expect(plan.retentionRules).toEqual([
      { name: 'Default', deleteAfter: 'P30D', taggingPriority: 99 },
      { name: 'Weekly', deleteAfter: 'P8W', absoluteCriteria: 'FirstOfWeek', taggingPriority: 20 },
      { name: 'Monthly', deleteAfter: 'P12M', absoluteCriteria: 'FirstOfMonth', taggingPriority: 15 },
      { name: 'Yearly', deleteAfter: 'P7Y', absoluteCriteria: 'FirstOfYear', taggingPriority: 10 },
    ]);
    // Geo-redundant backup data is nonzonal: the zone line counts cross-region restore (issue 13 #9, #10).
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['azure.backup.vaulted'], 86400, 'estimated'],
      ['az', ['azure.backup.cross-region-restore'], 36 * 3600, 'typical'],
      ['region', ['azure.backup.cross-region-restore'], 36 * 3600, 'typical'],
    ]);
    expect(plan.report[1].basis).toMatch(/^cross-region restore, not zone redundancy: "If you don't use ZRS, your backup data is considered nonzonal/);
    expect(plan.report[2].basis).toContain('"In general, for a region outage, expect up to 36 hours of data loss because the RPO in the primary region is 24 hours, and it can take up to 12 hours to replicate the backup data from the primary to secondary region"');
    expect(plan.advisories).toEqual([expect.stringContaining('zone outage: the vault\'s storage is geo-redundant, not zone-redundant')]);
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
    expect(codeOf(() => AzureBackupPlanner.backupVault(o, { resourceName: 'v', lockImmutability: true }))).toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
    const locked = AzureBackupPlanner.backupVault(o, { resourceName: 'v', lockImmutability: true, deployedImmutability: AzureImmutabilityState.UNLOCKED });
    expect(locked.immutabilityState).toBe('Locked');
    expect(locked.report[1]).toMatchObject({ disruption: 'account', mechanismIds: ['azure.backup.immutable'], rpoSeconds: 86400 });
  });

  test('refusals: an RPO under a day, account compromise without compliance', () => {
    expect(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.hours(4), rto: Period.days(1), disruptions: [Disruption.DATA_CORRUPTION], name: 'o' }), { resourceName: 'v' })).toThrow(
      '[DRK010] `rpo` 4 hours against data corruption / accidental deletion cannot be met for backup vault v (objective "o"): Azure Backup vaulted backup (Backup vault) gives a daily backup into the vault; Microsoft publishes no job start delay, so its worst case is 1 day (https://learn.microsoft.com/azure/backup/blob-backup-overview); cover tighter RPOs with the resource\'s own mechanisms (for example blob point-in-time restore) and give the vault an objective with an rpo of at least 1 day');
    expect(codeOf(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.days(1), rto: Period.days(1), disruptions: [Disruption.ACCOUNT_COMPROMISE], immutability: Immutability.GOVERNANCE }), { resourceName: 'v' })))
      .toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
  });
});

describe('issue 13 #9: a region outage can lose up to 36 hours of vault backups', () => {
  test('a region RPO under 36 hours is refused with the quoted figure', () => {
    expect(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.hours(25), rto: Period.days(1), disruptions: [Disruption.REGION_OUTAGE], name: 'r' }), { resourceName: 'v' }))
      .toThrow(/^\[DRK010\] `rpo` 25 hours against region outage cannot be met for backup vault v \(objective "r"\): Azure Backup vault, geo-redundant with cross-region restore gives "In general, for a region outage, expect up to 36 hours of data loss/);
  });
});

describe('issue 13 #3: vault settings fixed at creation, and locking as a second step', () => {
  const region = RecoveryObjective.of({ rpo: Period.days(2), rto: Period.days(2), disruptions: [Disruption.REGION_OUTAGE] });
  const corruption = RecoveryObjective.of({ rpo: Period.days(2), rto: Period.days(2), disruptions: [Disruption.DATA_CORRUPTION] });
  test('a vault created zone- or locally-redundant cannot become geo-redundant: DRK091', () => {
    expect(() => AzureBackupPlanner.backupVault(region, { resourceName: 'v', deployedStorageRedundancy: 'ZoneRedundant' })).toThrow(
      /^\[DRK091\] backup vault v was created ZoneRedundant, and objective "[^"]*" needs GeoRedundant \(region outage is in scope\): "For Backup vaults, set up storage redundancy when you create the vault. After you create a Backup vault, the setting is locked and you can't change it"/);
    expect(codeOf(() => AzureBackupPlanner.backupVault(region, { resourceName: 'v', deployedStorageRedundancy: 'LocallyRedundant' }))).toBe(DrkitErrorCode.CREATION_ONLY_SETTING);
  });

  test('a geo-redundant vault keeps its storage (and cross-region restore, which cannot be turned off) when the objective drops region outage', () => {
    const plan = AzureBackupPlanner.backupVault(corruption, { resourceName: 'v', deployedStorageRedundancy: 'GeoRedundant' });
    expect(plan).toMatchObject({ storageRedundancy: 'GeoRedundant', crossRegionRestore: 'Enabled' });
    expect(plan.advisories[0]).toContain('the vault keeps its GeoRedundant storage, fixed when it was created');
  });

  test('a Locked vault cannot be unlocked', () => {
    expect(codeOf(() => AzureBackupPlanner.backupVault(corruption, { resourceName: 'v', deployedImmutability: AzureImmutabilityState.LOCKED }))).toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
  });
});

describe('issue 13 #10: zone outage from the vault', () => {
  test('zone-redundant storage counts for zone outage; geo-redundant does not claim it', () => {
    const zone = AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.days(1), rto: Period.days(1), disruptions: [Disruption.AZ_OUTAGE] }), { resourceName: 'v' });
    expect(zone.report[0]).toMatchObject({ mechanismIds: ['azure.backup.vaulted'], basis: expect.stringContaining('"for a zone outage, no loss of backed-up data is expected because all data is replicated synchronously across zones"') });
    const geo = AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.days(2), rto: Period.days(2), disruptions: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE] }), { resourceName: 'v' });
    expect(geo.report[0]).toMatchObject({ disruption: 'az', mechanismIds: ['azure.backup.cross-region-restore'] });
    expect(() => AzureBackupPlanner.backupVault(RecoveryObjective.of({ rpo: Period.days(1), rto: Period.days(1), disruptions: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE], perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(36) }] }), { resourceName: 'v' }))
      .toThrow(/^\[DRK010\] `rpo` 1 day against AZ outage/);
  });
});
