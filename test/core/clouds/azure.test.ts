import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureBlobTier, AzurePlanner } from '../../../lib/core/clouds/azure';

const ctx = { resourceName: 'media' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

describe('AzurePlanner.storageAccount', () => {
  test('GZRS with versioning, soft delete, change feed and a restore window shorter than soft delete', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(1),
      retention: Retention.of({ pointInTime: Period.days(14) }),
    }), ctx);
    expect(plan).toMatchObject({
      cloud: 'azure',
      skuName: 'Standard_GZRS',
      versioning: true,
      blobSoftDeleteDays: 15,
      containerSoftDeleteDays: 15,
      changeFeedRetentionDays: 15,
      restoreDays: 14,
      immutabilityDays: undefined,
      immutabilityState: undefined,
      objectReplication: false,
      advisories: [],
    });
  });

  test('the region-outage line reports the typical figure and that there is no SLA', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.hours(2) }), ctx);
    expect(plan.report.find(r => r.disruption === 'region')).toEqual({
      disruption: 'region',
      mechanism: 'Azure Storage geo-zone-redundant replication (GZRS / RA-GZRS)',
      mechanismIds: ['azure.storage.gzrs'],
      rpoSeconds: 900,
      rpoKind: 'typical',
      rtoSeconds: 3600,
      rtoKind: 'typical',
      sources: ['https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance'],
      basis: expect.stringContaining('there is no SLA on replication time'),
    });
    expect(plan.report.map(r => [r.disruption, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', 0, 'documented'], ['az', 0, 'documented'], ['region', 900, 'typical'],
    ]);
  });

  test('an RPO below the typical 15 minutes is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(2), name: 'tight' });
    expect(() => AzurePlanner.storageAccount(o, ctx)).toThrow(
      '[DRK010] `rpo` 5 minutes against region outage cannot be met for storage account media (objective "tight"): Azure Storage geo-zone-redundant replication (GZRS / RA-GZRS) is the tightest mechanism for it and Azure Storage typically has an RPO of less than 15 minutes to the secondary region, but there is no SLA on replication time (watch the account\'s Last Sync Time), so its floor is 15 minutes (https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance); object replication is asynchronous with no bound at all. Raise the rpo for region outage to at least 15 minutes');
  });

  test('an RPO that needs an SLA-backed bound is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), name: 'sla' });
    expect(() => AzurePlanner.storageAccount(o, { ...ctx, requireSlaBackedRpo: true })).toThrow(
      '[DRK010] `rpo` 1 hour against region outage cannot be met with an SLA-backed bound for storage account media (objective "sla"): Azure Storage typically has an RPO of less than 15 minutes to the secondary region, but there is no SLA on replication time (watch the account\'s Last Sync Time) (https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance), and object replication has no SLA either (https://learn.microsoft.com/azure/storage/blobs/object-replication-overview); accept the typical figure (drop `requireSlaBackedRpo`) or keep this data on a service whose replication is SLA-backed');
    // Without region outage in scope, nothing needs the SLA.
    expect(AzurePlanner.storageAccount(RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), disruptions: [Disruption.DATA_CORRUPTION] }), { ...ctx, requireSlaBackedRpo: true }).skuName).toBe('Standard_GZRS');
  });

  test('a region RTO under the typical failover time needs read access in the secondary (RA-GZRS)', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.minutes(10), name: 'fast' });
    expect(() => AzurePlanner.storageAccount(o, ctx)).toThrow(
      '[DRK011] `rto` 10 minutes against region outage cannot be met for storage account media (objective "fast"): a customer-managed failover to the secondary region typically completes in under one hour (no SLA) (https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance); set `readAccessInSecondary: true` (RA-GZRS) if reading from the secondary is enough until failover, or raise the region-outage rto to at least 1 hour');
    const plan = AzurePlanner.storageAccount(o, { ...ctx, readAccessInSecondary: true });
    expect(plan.skuName).toBe('Standard_RAGZRS');
    expect(plan.achieved.find(a => a.disruption === 'region')).toMatchObject({ rtoSeconds: 0, rtoKind: 'documented' });
    expect(plan.advisories[0]).toContain('writes resume only after a failover');
  });

  test('a point-in-time window past the soft-delete maximum is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), retention: Retention.of({ pointInTime: Period.days(365) }) });
    expect(() => AzurePlanner.storageAccount(o, ctx)).toThrow(
      '[DRK014] `retention.pointInTime` of 365 days cannot be met for storage account media: point-in-time restore needs a restore window shorter than the blob soft-delete retention, which is at most 365 days (https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview, https://learn.microsoft.com/azure/storage/blobs/point-in-time-restore-overview); set pointInTime to 364 days or less and keep older restore points in a backup vault');
    expect(AzurePlanner.storageAccount(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(2),
      retention: Retention.of({ pointInTime: Period.days(364) }),
    }), ctx).blobSoftDeleteDays).toBe(365);
  });

  test('account compromise needs compliance immutability, and counts only once the policy is locked', () => {
    const base = { rpo: Period.hours(1), rto: Period.hours(2), disruptions: [Disruption.ACCOUNT_COMPROMISE] };
    expect(codeOf(() => AzurePlanner.storageAccount(RecoveryObjective.of(base), ctx))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(codeOf(() => AzurePlanner.storageAccount(RecoveryObjective.of({ ...base, immutability: Immutability.GOVERNANCE }),
      ctx))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    const unlocked = AzurePlanner.storageAccount(RecoveryObjective.of({ ...base, immutability: Immutability.COMPLIANCE }), ctx);
    expect(unlocked).toMatchObject({ immutabilityDays: 35, immutabilityState: 'Unlocked' });
    expect(unlocked.report).toEqual([expect.objectContaining({ disruption: 'account', mechanism: 'none', rpoKind: 'none', mechanismIds: [] })]);
    expect(unlocked.advisories[0]).toContain('redeploy with `lockImmutability: true`');
    const locked = AzurePlanner.storageAccount(RecoveryObjective.of({ ...base, immutability: Immutability.COMPLIANCE }), {
      ...ctx,
      lockImmutability: true,
    });
    expect(locked.immutabilityState).toBe('Locked');
    expect(locked.report).toEqual([expect.objectContaining({ disruption: 'account', mechanismIds: ['azure.storage.immutability'], rpoSeconds: 0, rpoKind: 'documented' })]);
  });

  test('object replication is reported beside GZRS, without improving the bound', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2) }), {
      ...ctx,
      objectReplication: true,
    });
    expect(plan.objectReplication).toBe(true);
    expect(plan.report.find(r => r.disruption === 'region')).toMatchObject({
      mechanism: 'Azure Storage geo-zone-redundant replication (GZRS / RA-GZRS) + Azure Blob object replication',
      rpoSeconds: 900,
      sources: ['https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance', 'https://learn.microsoft.com/azure/storage/blobs/object-replication-overview'],
    });
  });
});

describe('AzurePlanner.lifecycle', () => {
  test('maps transitions and deletions to days per action', () => {
    expect(AzurePlanner.lifecycle({
      transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, { tier: AzureBlobTier.ARCHIVE, afterDays: 90 }],
      expireAfterDays: 270,
      versionTransitions: [{ tier: AzureBlobTier.COLD, afterDays: 7 }],
      versionExpireAfterDays: 97,
      prefixes: ['media/'],
    })).toEqual({
      tierToCoolAfterDays: 30,
      tierToColdAfterDays: undefined,
      tierToArchiveAfterDays: 90,
      deleteAfterDays: 270,
      versionTierToCoolAfterDays: undefined,
      versionTierToColdAfterDays: 7,
      versionTierToArchiveAfterDays: undefined,
      versionDeleteAfterDays: 97,
      prefixes: ['media/'],
    });
  });

  test('refuses a delete before the Archive minimum of 180 days', () => {
    expect(() => AzurePlanner.lifecycle({ transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 30 }], expireAfterDays: 120 })).toThrow(
      '[DRK060] `transitions` deletes objects 90 days after they move to Archive (day 30 to day 120), but Archive has a minimum storage duration of 180 days (https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview); delete at day 210 or later');
  });

  test('refuses leaving Cool or Cold early, duplicate tiers and short retention', () => {
    expect(codeOf(() => AzurePlanner.lifecycle({
      transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, {
        tier: AzureBlobTier.COLD,
        afterDays: 50,
      }],
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => AzurePlanner.lifecycle({
      versionTransitions: [{ tier: AzureBlobTier.COLD, afterDays: 0 }],
      versionExpireAfterDays: 89,
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(codeOf(() => AzurePlanner.lifecycle({
      transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, {
        tier: AzureBlobTier.COOL,
        afterDays: 90,
      }],
    }))).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(30) }), name: 'o' });
    expect(() => AzurePlanner.lifecycle({ versionExpireAfterDays: 20, objective: o })).toThrow(
      '[DRK014] `versionExpireAfterDays` deletes objects after 20 days, but objective "o" keeps prior versions (retention.pointInTime) for 30 days: set it to 30 days or more, or shorten the objective\'s retention');
  });

  test('minimum storage durations come from the catalog', () => {
    expect([AzureBlobTier.COOL, AzureBlobTier.COLD, AzureBlobTier.ARCHIVE].map(t => AzurePlanner.minStorageDays(t))).toEqual([30, 90, 180]);
  });
});
