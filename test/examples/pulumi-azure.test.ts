import { Recorder, settle, valueOf } from '../pulumi/gcp/mocks';

const rec = new Recorder();
rec.install();
// The program runs when it is loaded, after the mocks (it imports 'drkit/pulumi/azure', which jest maps to the source).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require('../../examples/pulumi/azure');

describe('examples/pulumi/azure', () => {
  beforeAll(async () => {
    await valueOf(program.media.managementPolicy.urn);
    await valueOf(program.media.containers.renditions.urn);
    await valueOf(program.failoverGroup.failoverGroup.urn);
    await valueOf(program.catalog.account.urn);
    await settle();
  });

  test('registers the components and exactly their children', () => {
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      'drkit:azure:CrossRegionReplicatedBucket/media',
      'azure-native:storage:StorageAccount/media-account',
      'azure-native:storage:BlobServiceProperties/media-blob-service',
      'azure-native:storage:BlobContainer/media-originals',
      'azure-native:storage:BlobContainer/media-renditions',
      'azure-native:storage:ManagementPolicy/media-lifecycle',
      'azure-native:authorization:ManagementLockByScope/media-lock',
      'drkit:azure:SqlFailoverGroup/media-sql',
      'azure-native:sql:FailoverGroup/media-sql-failover-group',
      'drkit:azure:CosmosDbAccount/media-catalog',
      'azure-native:cosmosdb:DatabaseAccount/media-catalog-account',
      'azure-native:authorization:ManagementLockByScope/media-catalog-lock',
    ].sort());
  });

  test('the account is GZRS with a 14-day restore window inside 15 days of soft delete', () => {
    expect(rec.input('azure-native:storage:StorageAccount', 'media-account')).toMatchObject({
      kind: 'StorageV2', sku: { name: 'Standard_GZRS' }, location: 'westeurope', resourceGroupName: 'media-rg', allowSharedKeyAccess: false, defaultToOAuthAuthentication: true,
    });
    expect(rec.input('azure-native:authorization:ManagementLockByScope', 'media-lock')).toMatchObject({ scope: 'media-account-id', level: 'CanNotDelete' });
    expect(rec.input('azure-native:storage:BlobServiceProperties', 'media-blob-service')).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 15 },
      changeFeed: { enabled: true, retentionInDays: 15 },
      restorePolicy: { enabled: true, days: 14 },
    });
    expect(rec.input('azure-native:storage:ManagementPolicy', 'media-lifecycle').policy.rules[0].definition.actions).toEqual({
      baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 }, tierToCold: { daysAfterModificationGreaterThan: 60 } },
      version: { delete: { daysAfterCreationGreaterThan: 14 } },
    });
  });

  test('the failover group is customer-managed (Manual); Cosmos keeps 30 days, Entra ID only', () => {
    expect(rec.input('azure-native:sql:FailoverGroup', 'media-sql-failover-group').readWriteEndpoint).toEqual({ failoverPolicy: 'Manual' });
    expect(rec.input('azure-native:cosmosdb:DatabaseAccount', 'media-catalog-account')).toMatchObject({
      backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } },
      disableLocalAuth: true,
    });
    expect(rec.input('azure-native:authorization:ManagementLockByScope', 'media-catalog-lock')).toMatchObject({ scope: 'media-catalog-account-id', level: 'CanNotDelete' });
  });

  test('the report says what Microsoft documents: typical, no SLA, for storage geo-replication', async () => {
    const media = await valueOf(program.media.report) as any[];
    const region = media.find(r => r.disruption === 'region');
    expect(region).toMatchObject({ rpoSeconds: 900, rpoKind: 'typical', rtoSeconds: 3600, rtoKind: 'typical' });
    expect(region.basis).toContain('no SLA');
    expect(region.basis).toContain('typically takes about an hour');
    // Microsoft publishes neither the geo-replication lag nor a customer-managed failover time.
    const sql = await valueOf(program.failoverGroup.report) as any[];
    expect(sql).toEqual([expect.objectContaining({ disruption: 'region', mechanismIds: ['azure.sql.failover-group.manual'], rpoKind: 'none', rtoKind: 'none' })]);
  });
});
