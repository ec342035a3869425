import { Disruption, DrkitErrorCode, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { AzureBlobTier } from '../../../lib/core/clouds/azure';
import { Recorder, settle, valueOf } from '../gcp/mocks';

const rec = new Recorder();
rec.install();
// Loaded after the mocks, as Pulumi needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const azure = require('../../../lib/pulumi/azure') as typeof import('../../../lib/pulumi/azure');

const TYPE = 'drkit:azure:CrossRegionReplicatedBucket';
const ACCOUNT = 'azure-native:storage:StorageAccount';
const BLOB_SERVICE = 'azure-native:storage:BlobServiceProperties';

beforeEach(() => {
  rec.mocked.length = 0;
  rec.seen.length = 0;
});

describe('azure CrossRegionReplicatedBucket', () => {
  test('GIVEN a 1-hour RPO WHEN built THEN a GZRS account with versioning, soft delete, change feed and point-in-time restore', async () => {
    const objective = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(14) }) });
    const c = new azure.CrossRegionReplicatedBucket('media', {
      objective, resourceGroupName: 'rg', location: 'westeurope', accountName: 'mediadr01', containers: ['images'], tags: { team: 'dr' },
    }, rec.opts());
    await valueOf(c.plan);
    await valueOf(c.containers.images.urn);
    await settle();

    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      `${TYPE}/media`, `${ACCOUNT}/media-account`, `${BLOB_SERVICE}/media-blob-service`, 'azure-native:storage:BlobContainer/media-images',
    ].sort());
    expect(rec.input(ACCOUNT, 'media-account')).toEqual({
      resourceGroupName: 'rg',
      accountName: 'mediadr01',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_GZRS' },
      accessTier: 'Hot',
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      isHnsEnabled: false,
      tags: { team: 'dr' },
    });
    expect(rec.input(BLOB_SERVICE, 'media-blob-service')).toEqual({
      accountName: 'mediadr01',
      resourceGroupName: 'rg',
      blobServicesName: 'default',
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 15 },
      containerDeleteRetentionPolicy: { enabled: true, days: 15 },
      changeFeed: { enabled: true, retentionInDays: 15 },
      restorePolicy: { enabled: true, days: 14 },
    });
    expect(rec.input('azure-native:storage:BlobContainer', 'media-images')).toEqual({
      accountName: 'mediadr01', resourceGroupName: 'rg', containerName: 'images', publicAccess: 'None',
    });
    expect(rec.children(TYPE).map(s => [s.type, s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([
      [ACCOUNT, 'media-account', true, true],
      [BLOB_SERVICE, 'media-blob-service', true, true],
      ['azure-native:storage:BlobContainer', 'media-images', true, true],
    ]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind, r.rtoSeconds, r.rtoKind])).toEqual([
      ['corruption', ['azure.storage.blob-pitr'], 0, 'documented', undefined, 'none'],
      ['az', ['azure.storage.zrs'], 0, 'documented', 0, 'documented'],
      ['region', ['azure.storage.gzrs'], 900, 'typical', 3600, 'typical'],
    ]);
  });

  test('GIVEN compliance immutability, RA-GZRS, tiering and object replication WHEN built THEN every child has the planned inputs', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.minutes(30),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    });
    const c = new azure.CrossRegionReplicatedBucket('ledger', {
      objective,
      resourceGroupName: 'rg',
      accountName: 'ledgerdr01',
      containers: ['entries'],
      readAccessInSecondary: true,
      lockImmutability: true,
      tiering: { transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }], versionExpireAfterDays: 30 },
      replicateTo: { accountId: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/ledgerdr02', accountName: 'ledgerdr02', resourceGroupName: 'rg2', containerMap: { entries: 'entries-copy' } },
    }, rec.opts());
    await valueOf(c.replicationPolicy!.urn);
    await settle();

    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      `${TYPE}/ledger`, `${ACCOUNT}/ledger-account`, `${BLOB_SERVICE}/ledger-blob-service`,
      'azure-native:storage:BlobContainer/ledger-entries', 'azure-native:storage:ManagementPolicy/ledger-lifecycle',
      'azure-native:storage:ObjectReplicationPolicy/ledger-replication', 'azure-native:storage:ObjectReplicationPolicy/ledger-replication-destination',
    ].sort());
    expect(rec.input(ACCOUNT, 'ledger-account')).toEqual({
      resourceGroupName: 'rg',
      accountName: 'ledgerdr01',
      kind: 'StorageV2',
      sku: { name: 'Standard_RAGZRS' },
      accessTier: 'Hot',
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      isHnsEnabled: false,
      immutableStorageWithVersioning: {
        enabled: true,
        immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 30, state: 'Locked', allowProtectedAppendWrites: false },
      },
    });
    expect(rec.input('azure-native:storage:ManagementPolicy', 'ledger-lifecycle')).toEqual({
      accountName: 'ledgerdr01',
      resourceGroupName: 'rg',
      managementPolicyName: 'default',
      policy: {
        rules: [{
          name: 'drkit-tiering',
          enabled: true,
          type: 'Lifecycle',
          definition: {
            actions: {
              baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 } },
              version: { delete: { daysAfterCreationGreaterThan: 30 } },
            },
            filters: { blobTypes: ['blockBlob'] },
          },
        }],
      },
    });
    const sourceId = 'ledger-account-id';
    expect(rec.input('azure-native:storage:ObjectReplicationPolicy', 'ledger-replication-destination')).toEqual({
      accountName: 'ledgerdr02',
      resourceGroupName: 'rg2',
      objectReplicationPolicyId: 'default',
      sourceAccount: sourceId,
      destinationAccount: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/ledgerdr02',
      rules: [{ sourceContainer: 'entries', destinationContainer: 'entries-copy' }],
    });
    const source = rec.input('azure-native:storage:ObjectReplicationPolicy', 'ledger-replication');
    expect(source).toMatchObject({
      accountName: 'ledgerdr01',
      resourceGroupName: 'rg',
      sourceAccount: sourceId,
      destinationAccount: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/ledgerdr02',
      rules: [{ sourceContainer: 'entries', destinationContainer: 'entries-copy' }],
    });
    expect(rec.children(TYPE).map(s => [s.name, s.opts.retainOnDelete === true, s.parent === c])).toEqual([
      ['ledger-account', true, true], ['ledger-blob-service', true, true], ['ledger-entries', true, true],
      ['ledger-lifecycle', false, true], ['ledger-replication-destination', false, true], ['ledger-replication', false, true],
    ]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds, r.rtoSeconds])).toEqual([
      ['corruption', ['azure.storage.blob-pitr'], undefined],
      ['region', ['azure.storage.gzrs', 'azure.storage.object-replication'], 0],
      ['account', ['azure.storage.immutability'], 0],
    ]);
  });

  test('an RPO that needs an SLA-backed bound fails before anything is registered', async () => {
    let err: any;
    try {
      new azure.CrossRegionReplicatedBucket('strict', {
        objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2) }), resourceGroupName: 'rg', requireSlaBackedRpo: true,
      }, rec.opts());
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(err.message).toMatch(/^\[DRK010\] `rpo` 1 hour against region outage cannot be met with an SLA-backed bound for storage account strict/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });

  test('replicateTo without containers is refused', () => {
    expect(() => new azure.CrossRegionReplicatedBucket('r', {
      objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(2) }),
      resourceGroupName: 'rg',
      replicateTo: { accountId: 'id', accountName: 'n', resourceGroupName: 'rg2' },
    })).toThrow('[DRK020] CrossRegionReplicatedBucket r: `replicateTo` needs at least one container in `containers`: object replication copies container to container');
  });
});
