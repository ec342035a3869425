import { DrkitErrorCode } from '../../../lib/core';
import { AzureBlobTier } from '../../../lib/core/clouds/azure';
import { Recorder, settle, valueOf } from '../gcp/mocks';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const azure = require('../../../lib/pulumi/azure') as typeof import('../../../lib/pulumi/azure');

describe('azure LifecycleTiering', () => {
  test('a management policy with base-blob and version actions, with the minimums in the report', async () => {
    const c = new azure.LifecycleTiering('tiers', {
      accountName: 'acct',
      resourceGroupName: 'rg',
      // Issue 13 #4: Archive needs an LRS or GRS account.
      accountSkuName: 'Standard_GRS',
      transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, { tier: AzureBlobTier.COLD, afterDays: 60 }, {
        tier: AzureBlobTier.ARCHIVE,
        afterDays: 150,
      }],
      expireAfterDays: 330,
      versionTransitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 1 }],
      versionExpireAfterDays: 181,
      prefixes: ['logs/'],
    }, rec.opts());
    await valueOf(c.plan);
    await settle();
    expect(rec.mocked.map(m => [m.type, m.name])).toEqual([['drkit:azure:LifecycleTiering', 'tiers'], ['azure-native:storage:ManagementPolicy', 'tiers-policy']]);
    expect(rec.input('azure-native:storage:ManagementPolicy', 'tiers-policy')).toEqual({
      accountName: 'acct',
      resourceGroupName: 'rg',
      managementPolicyName: 'default',
      policy: {
        rules: [{
          name: 'drkit-tiering',
          enabled: true,
          type: 'Lifecycle',
          definition: {
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: 30 },
                tierToCold: { daysAfterModificationGreaterThan: 60 },
                tierToArchive: { daysAfterModificationGreaterThan: 150 },
                delete: { daysAfterModificationGreaterThan: 330 },
              },
              version: {
                tierToArchive: { daysAfterCreationGreaterThan: 1 },
                delete: { daysAfterCreationGreaterThan: 181 },
              },
            },
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['logs/'] },
          },
        }],
      },
    });
    expect(rec.children('drkit:azure:LifecycleTiering').map(s => [s.name, s.parent === c])).toEqual([['tiers-policy', true]]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.action, r.objects, r.afterDays, r.minStorageDays ?? '-'])).toEqual([
      ['tierToCool', 'base blobs', 30, 30],
      ['tierToCold', 'base blobs', 60, 90],
      ['tierToArchive', 'base blobs', 150, 180],
      ['delete', 'base blobs', 330, '-'],
      ['tierToArchive', 'previous versions', 1, 180],
      ['delete', 'previous versions', 181, '-'],
    ]);
  });

  test('leaving Cold before 90 days fails with INVALID_LIFECYCLE and registers nothing', async () => {
    rec.mocked.length = 0;
    let err: any;
    try {
      new azure.LifecycleTiering('bad', { accountName: 'a', resourceGroupName: 'rg', transitions: [{ tier: AzureBlobTier.COLD, afterDays: 0 }, { tier: AzureBlobTier.ARCHIVE, afterDays: 60 }] });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.INVALID_LIFECYCLE);
    expect(err.message).toBe('[DRK060] `transitions` keeps objects in Cold for 60 days (from day 0 to day 60), but Cold has a minimum storage duration of 90 days (https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview); move to Archive at day 90 or later');
    await settle();
    expect(rec.mocked).toEqual([]);
  });

  test('issue 13 #4: Archive on a ZRS/GZRS/RA-GZRS account, or without the SKU, fails with DRK092 and registers nothing', async () => {
    rec.mocked.length = 0;
    const args = { accountName: 'a', resourceGroupName: 'rg', transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 90 }] };
    for (const sku of ['Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS']) {
      expect(() => new azure.LifecycleTiering(`z-${sku}`, { ...args, accountSkuName: sku })).toThrow(
        `[DRK092] a transition moves blobs to Archive on a ${sku} account: "The Archive tier is not supported for ZRS, GZRS, or RA-GZRS accounts" (https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview); tier to Cold instead, or keep archives in an LRS or GRS account`);
    }
    expect(() => new azure.LifecycleTiering('nosku', args)).toThrow(/^\[DRK092\] a transition moves blobs to Archive, but `accountSkuName` is not given/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });
});
