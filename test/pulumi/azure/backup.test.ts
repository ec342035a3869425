import { Disruption, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { Recorder, settle, valueOf } from '../gcp/mocks';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const azure = require('../../../lib/pulumi/azure') as typeof import('../../../lib/pulumi/azure');

beforeEach(() => {
  rec.mocked.length = 0;
  rec.seen.length = 0;
});

describe('azure BackupVault', () => {
  test('a locked, geo-redundant vault with cross-region restore and a daily blob policy with GFS tags', async () => {
    const objective = RecoveryObjective.of({
      // Issue 13 #9: "expect up to 36 hours of data loss" in a region outage.
      rpo: Period.hours(36),
      rto: Period.days(1),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7), monthly: 12 }),
    });
    const c = new azure.BackupVault('media-backup', {
      objective,
      resourceGroupName: 'rg',
      location: 'westeurope',
      vaultName: 'media-bv',
      lockImmutability: true,
      // Issue 13 #3: the lock is a second step, on a vault deployed Unlocked and geo-redundant.
      deployedImmutability: azure.AzureImmutabilityState.UNLOCKED,
      deployedStorageRedundancy: 'GeoRedundant',
    }, rec.opts());
    await valueOf(c.blobPolicy.urn);
    await settle();
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      'drkit:azure:BackupVault/media-backup', 'azure-native:dataprotection:BackupVault/media-backup-vault', 'azure-native:dataprotection:BackupPolicy/media-backup-blob-policy',
      'azure-native:authorization:ManagementLockByScope/media-backup-lock',
    ].sort());
    // Issue 13 #20: a CanNotDelete lock on the vault by default.
    expect(rec.input('azure-native:authorization:ManagementLockByScope', 'media-backup-lock')).toEqual({
      scope: 'media-backup-vault-id',
      level: 'CanNotDelete',
      notes: `drkit: protects backup vault for objective "${objective.name}" from deletion`,
    });
    expect(rec.input('azure-native:dataprotection:BackupVault', 'media-backup-vault')).toEqual({
      resourceGroupName: 'rg',
      vaultName: 'media-bv',
      location: 'westeurope',
      identity: { type: 'SystemAssigned' },
      properties: {
        storageSettings: [{ datastoreType: 'VaultStore', type: 'GeoRedundant' }],
        featureSettings: { crossRegionRestoreSettings: { state: 'Enabled' } },
        securitySettings: {
          immutabilitySettings: { state: 'Locked' },
          softDeleteSettings: { state: 'AlwaysOn', retentionDurationInDays: 14 },
        },
      },
    });
    const store = { dataStoreType: 'VaultStore', objectType: 'DataStoreInfoBase' };
    expect(rec.input('azure-native:dataprotection:BackupPolicy', 'media-backup-blob-policy')).toEqual({
      resourceGroupName: 'rg',
      vaultName: 'media-bv',
      properties: {
        objectType: 'BackupPolicy',
        datasourceTypes: ['Microsoft.Storage/storageAccounts/blobServices'],
        policyRules: [
          {
            name: 'BackupDaily',
            objectType: 'AzureBackupRule',
            backupParameters: { objectType: 'AzureBackupParams', backupType: 'Discrete' },
            dataStore: store,
            trigger: {
              objectType: 'ScheduleBasedTriggerContext',
              schedule: { repeatingTimeIntervals: ['R/2024-01-01T05:00:00+00:00/P1D'], timeZone: 'UTC' },
              taggingCriteria: [
                { isDefault: true, tagInfo: { tagName: 'Default' }, taggingPriority: 99 },
                { isDefault: false, tagInfo: { tagName: 'Monthly' }, taggingPriority: 15, criteria: [{ objectType: 'ScheduleBasedBackupCriteria', absoluteCriteria: ['FirstOfMonth'] }] },
              ],
            },
          },
          { name: 'Default', objectType: 'AzureRetentionRule', isDefault: true, lifecycles: [{ deleteAfter: { objectType: 'AbsoluteDeleteOption', duration: 'P7D' }, sourceDataStore: store }] },
          { name: 'Monthly', objectType: 'AzureRetentionRule', isDefault: false, lifecycles: [{ deleteAfter: { objectType: 'AbsoluteDeleteOption', duration: 'P12M' }, sourceDataStore: store }] },
        ],
      },
    });
    expect(rec.children('drkit:azure:BackupVault').map(s => [s.name, s.opts.retainOnDelete === true, s.parent === c])).toEqual([
      ['media-backup-vault', true, true], ['media-backup-lock', false, true], ['media-backup-blob-policy', false, true],
    ]);
    expect((await valueOf(c.report)).map(r => [r.disruption, r.mechanismIds])).toEqual([
      ['region', ['azure.backup.cross-region-restore']], ['account', ['azure.backup.immutable']],
    ]);
  });

  test('issue 13 #3: a first deployment asking for a Locked vault, or a locally-redundant vault asked to become geo-redundant, registers nothing', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.hours(36),
      rto: Period.days(1),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    let err: any;
    try {
      new azure.BackupVault('first', { objective, resourceGroupName: 'rg', lockImmutability: true }, rec.opts());
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.IMMUTABILITY_TRANSITION);
    expect(() => new azure.BackupVault('lrs', { objective, resourceGroupName: 'rg', deployedStorageRedundancy: 'LocallyRedundant' }, rec.opts()))
      .toThrow(/^\[DRK091\] backup vault lrs was created LocallyRedundant/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });
});
