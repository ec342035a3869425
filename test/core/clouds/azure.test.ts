import { Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureBlobTier, AzureImmutabilityState, AzurePlanner } from '../../../lib/core/clouds/azure';

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
      customerManagedFailover: true,
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
      sources: ['https://learn.microsoft.com/azure/storage/common/storage-redundancy', 'https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance'],
      basis: expect.stringContaining('"Azure Storage typically has an RPO of less than 15 minutes, although there\'s currently no SLA on how long it takes to replicate data to the secondary region"'),
    });
    expect(plan.report.map(r => [r.disruption, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', 0, 'documented'], ['az', 0, 'documented'], ['region', 900, 'typical'],
    ]);
  });

  test('an RPO below the typical 15 minutes is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(2), name: 'tight' });
    expect(() => AzurePlanner.storageAccount(o, ctx)).toThrow(
      '[DRK010] `rpo` 5 minutes against region outage cannot be met for storage account media (objective "tight"): Azure Storage geo-zone-redundant replication (GZRS / RA-GZRS) is the tightest mechanism for it and "Azure Storage typically has an RPO of less than 15 minutes, although there\'s currently no SLA on how long it takes to replicate data to the secondary region" (watch the account\'s Last Sync Time), so its floor is 15 minutes (https://learn.microsoft.com/azure/storage/common/storage-redundancy); object replication is asynchronous with no bound at all. Raise the rpo for region outage to at least 15 minutes');
  });

  test('an RPO that needs an SLA-backed bound is refused', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), name: 'sla' });
    expect(() => AzurePlanner.storageAccount(o, { ...ctx, requireSlaBackedRpo: true })).toThrow(
      '[DRK010] `rpo` 1 hour against region outage cannot be met with an SLA-backed bound for storage account media (objective "sla"): "Azure Storage typically has an RPO of less than 15 minutes, although there\'s currently no SLA on how long it takes to replicate data to the secondary region" (watch the account\'s Last Sync Time) (https://learn.microsoft.com/azure/storage/common/storage-redundancy), and object replication has no SLA either (https://learn.microsoft.com/azure/storage/blobs/object-replication-overview); accept the typical figure (drop `requireSlaBackedRpo`) or keep this data on a service whose replication is SLA-backed');
    // Without region outage in scope, nothing needs the SLA.
    expect(AzurePlanner.storageAccount(RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), disruptions: [Disruption.DATA_CORRUPTION] }), { ...ctx, requireSlaBackedRpo: true }).skuName).toBe('Standard_GZRS');
  });

  test('a region RTO under the typical failover time needs read access in the secondary (RA-GZRS)', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.minutes(10), name: 'fast' });
    expect(() => AzurePlanner.storageAccount(o, ctx)).toThrow(
      '[DRK011] `rto` 10 minutes against region outage cannot be met for storage account media (objective "fast"): a customer-managed account failover: "The failover typically takes about an hour" (no SLA) (https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance); set `readAccessInSecondary: true` (RA-GZRS) if reading from the secondary is enough until failover, or raise the region-outage rto to at least 1 hour');
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
    expect(unlocked.advisories[0]).toContain('`deployedImmutability: AzureImmutabilityState.UNLOCKED` and `lockImmutability: true`');
    const locked = AzurePlanner.storageAccount(RecoveryObjective.of({ ...base, immutability: Immutability.COMPLIANCE }), {
      ...ctx,
      deployedImmutability: AzureImmutabilityState.UNLOCKED,
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
      mechanism: 'Azure Storage geo-zone-redundant replication, Microsoft-managed failover only + Azure Blob object replication',
      rpoSeconds: 900,
      rtoKind: 'none',
      sources: ['https://learn.microsoft.com/azure/storage/common/storage-redundancy', 'https://learn.microsoft.com/azure/storage/common/storage-disaster-recovery-guidance', 'https://learn.microsoft.com/azure/storage/blobs/object-replication-overview'],
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
      accountSkuName: 'Standard_LRS',
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
    expect(() => AzurePlanner.lifecycle({ transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 30 }], expireAfterDays: 120, accountSkuName: 'Standard_GRS' })).toThrow(
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

describe('issue 13 #3: immutability transitions Azure refuses, and locking as a second step', () => {
  const compliance = RecoveryObjective.of({
    rpo: Period.hours(1),
    rto: Period.hours(2),
    immutability: Immutability.COMPLIANCE,
    disruptions: [Disruption.ACCOUNT_COMPROMISE],
    retention: Retention.of({ pointInTime: Period.days(30) }),
  });
  const none = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2), disruptions: [Disruption.DATA_CORRUPTION] });

  test('lockImmutability on a first deployment is refused: a policy can only be created Disabled or Unlocked', () => {
    expect(() => AzurePlanner.storageAccount(compliance, { ...ctx, lockImmutability: true })).toThrow(
      '[DRK090] `lockImmutability` asks storage account media to be created with a Locked immutability policy, which Azure refuses: "A policy can only be created in a Disabled or Unlocked state and can be toggled between the two states. Only a policy in an Unlocked state can transition to a Locked state which cannot be reverted" (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/create#accountimmutabilitypolicyproperties); deploy it Unlocked first, then lock it in a second deployment with `deployedImmutability: AzureImmutabilityState.UNLOCKED` and `lockImmutability: true`. If the account already exists, say how with `deployedImmutability`');
  });

  test('the second step locks an Unlocked policy; a Disabled one must be Unlocked first', () => {
    expect(AzurePlanner.storageAccount(compliance, { ...ctx, deployedImmutability: AzureImmutabilityState.UNLOCKED, lockImmutability: true }).immutabilityState).toBe('Locked');
    expect(codeOf(() => AzurePlanner.storageAccount(compliance, {
      ...ctx,
      deployedImmutability: AzureImmutabilityState.DISABLED,
      lockImmutability: true,
    })))
      .toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
    expect(AzurePlanner.storageAccount(compliance, { ...ctx, deployedImmutability: AzureImmutabilityState.DISABLED }).immutabilityState).toBe('Unlocked');
  });

  test('an existing account without immutability cannot get it: the setting exists only from creation', () => {
    expect(() => AzurePlanner.storageAccount(compliance, { ...ctx, deployedImmutability: AzureImmutabilityState.NONE })).toThrow(
      '[DRK091] storage account media exists without version-level immutability (`deployedImmutability` NONE), and it cannot be added: `immutableStorageWithVersioning`: "The property is immutable and can only be set to true at the account creation time" (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/create#storageaccountpropertiescreateparameters); create a new account for the immutable data, or set the objective\'s immutability to NONE');
    expect(AzurePlanner.storageAccount(none, { ...ctx, deployedImmutability: AzureImmutabilityState.NONE }).immutabilityState).toBeUndefined();
  });

  test('a Locked policy cannot be reverted; an Unlocked one left without immutability is planned Disabled', () => {
    expect(codeOf(() => AzurePlanner.storageAccount(none, {
      ...ctx,
      deployedImmutability: AzureImmutabilityState.LOCKED,
    }))).toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
    expect(codeOf(() => AzurePlanner.storageAccount(compliance, {
      ...ctx,
      deployedImmutability: AzureImmutabilityState.LOCKED,
    }))).toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
    expect(AzurePlanner.storageAccount(none, { ...ctx, deployedImmutability: AzureImmutabilityState.UNLOCKED })).toMatchObject({ immutabilityState: 'Disabled' });
  });
});

describe('issue 13 #4: no Archive tier on zone-redundant accounts', () => {
  test('tiering to Archive on the GZRS account is refused with DRK092 (current blobs or versions)', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2) });
    expect(() => AzurePlanner.storageAccount(o, { ...ctx, tiering: { transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 90 }] } })).toThrow(
      '[DRK092] `tiering` of storage account media moves blobs to Archive, but the account is Standard_GZRS: "The Archive tier is not supported for ZRS, GZRS, or RA-GZRS accounts" (https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview); tier to Cold instead, or keep archives in a separate LRS or GRS account with LifecycleTiering');
    expect(codeOf(() => AzurePlanner.storageAccount(o, {
      ...ctx,
      tiering: {
        versionTransitions: [{
          tier: AzureBlobTier.ARCHIVE,
          afterDays: 1,
        }],
      },
    }))).toBe(DrkitErrorCode.TIER_UNSUPPORTED);
  });

  test('LifecycleTiering needs the account SKU to use Archive, and refuses it on ZRS SKUs', () => {
    const archive = { transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 30 }] };
    expect(codeOf(() => AzurePlanner.lifecycle(archive))).toBe(DrkitErrorCode.TIER_UNSUPPORTED);
    for (const sku of ['Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS']) {
      expect(codeOf(() => AzurePlanner.lifecycle({ ...archive, accountSkuName: sku }))).toBe(DrkitErrorCode.TIER_UNSUPPORTED);
    }
    for (const sku of ['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS']) {
      expect(AzurePlanner.lifecycle({ ...archive, accountSkuName: sku }).tierToArchiveAfterDays).toBe(30);
    }
    expect(AzurePlanner.lifecycle({ transitions: [{ tier: AzureBlobTier.COLD, afterDays: 30 }] }).tierToColdAfterDays).toBe(30);
  });
});

describe('issue 13 #7: accounts that cannot be failed over by the customer', () => {
  const o = (p: object = {}) => RecoveryObjective.of({
    rpo: Period.hours(1),
    rto: Period.hours(2),
    retention: Retention.of({ pointInTime: Period.days(14) }),
    ...p,
  });
  test('WORM immutability: Microsoft-managed failover only, RTO none; a tight region RTO is refused', () => {
    const plan = AzurePlanner.storageAccount(o({ immutability: Immutability.GOVERNANCE }), ctx);
    expect(plan.customerManagedFailover).toBe(false);
    expect(plan.report.find(r => r.disruption === 'region')).toMatchObject({
      mechanismIds: ['azure.storage.gzrs.microsoft-managed-failover'],
      rpoSeconds: 900,
      rpoKind: 'typical',
      rtoSeconds: undefined,
      rtoKind: 'none',
      basis: expect.stringContaining('"A storage account containing any WORM immutability policy enabled containers cannot be failed over.'),
    });
    expect(() => AzurePlanner.storageAccount(o({ immutability: Immutability.GOVERNANCE, rto: Period.minutes(30) }), ctx)).toThrow(/^\[DRK011\] `rto` 30 minutes against region outage cannot be met for storage account media \(objective "[^"]*"\): the account cannot be failed over by you because it has version-level immutability \(WORM\)/);
  });

  test('object replication and vaulted backup: no customer-managed failover either; RA-GZRS reads still count', () => {
    expect(AzurePlanner.storageAccount(o(), { ...ctx, vaultedBackup: true }).report.find(r => r.disruption === 'region')).toMatchObject({ rtoKind: 'none', basis: expect.stringContaining('vaulted blob backup protects it') });
    const reads = AzurePlanner.storageAccount(o({ rto: Period.minutes(10) }), { ...ctx, objectReplication: true, readAccessInSecondary: true });
    expect(reads.report.find(r => r.disruption === 'region')).toMatchObject({ rtoSeconds: 0, rtoKind: 'documented', basis: expect.stringContaining('reads are served from the secondary endpoint at once') });
    expect(reads.advisories[0]).toContain('RA-GZRS keeps serving reads from the secondary');
  });
});

describe('issue 13 #11: the corruption line says what point-in-time restore cannot restore', () => {
  test('with immutability the line is "prior versions, copy back by hand", RTO none', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(2),
      immutability: Immutability.GOVERNANCE,
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(14) }),
    }), ctx);
    expect(plan.report[0]).toMatchObject({ mechanismIds: ['azure.storage.versions'], rpoSeconds: 0, rtoKind: 'none' });
    expect(plan.report[0].basis).toMatch(/^prior versions, copied back by hand: .*"If an immutability policy is configured, then a restore operation can be initiated, but any blobs that are protected by the immutability policy will not be modified/);
  });

  test('Cold tiering and a customer-managed failover qualify the point-in-time restore line', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(2),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(14) }),
    }), { ...ctx, tiering: { transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, { tier: AzureBlobTier.COLD, afterDays: 60 }] } });
    expect(plan.report[0].mechanismIds).toEqual(['azure.storage.blob-pitr']);
    expect(plan.report[0].basis).toContain('blobs moved to Cold by the tiering rule are not restored');
    expect(plan.report[0].basis).toContain('"Only data in the hot and cool access tiers can be restored with point-in-time restore"');
    expect(plan.report[0].basis).toContain('"Performing a customer-managed failover on a storage account resets the earliest possible restore point for that storage account"');
  });
});

describe('issue 13 #12: locked version-level immutability protects only versions younger than its period', () => {
  test('the account line says "versions younger than N days"', () => {
    const plan = AzurePlanner.storageAccount(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(2),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    }), { ...ctx, deployedImmutability: AzureImmutabilityState.UNLOCKED, lockImmutability: true });
    expect(plan.report[0].basis).toMatch(/^versions younger than 30 days only: /);
    expect(plan.report[0].basis).toContain('older versions can be deleted by an account owner');
  });
});
