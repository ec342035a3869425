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
const LOCK = 'azure-native:authorization:ManagementLockByScope';

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
      `${LOCK}/media-lock`,
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
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      isHnsEnabled: false,
      tags: { team: 'dr' },
    });
    expect(rec.input(LOCK, 'media-lock')).toEqual({
      scope: 'media-account-id',
      level: 'CanNotDelete',
      notes: `drkit: protects storage account for objective "${objective.name}" from deletion (https://learn.microsoft.com/azure/storage/common/lock-account-resource)`,
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
      // Issue 13 #20: a CanNotDelete lock by default (not retained: turning it off removes it).
      [LOCK, 'media-lock', undefined, true],
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
      // Azure locks only an Unlocked policy: this is the second deployment (issue 13 #3).
      deployedImmutability: azure.AzureImmutabilityState.UNLOCKED,
      tiering: { transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }], versionExpireAfterDays: 30 },
      replicateTo: { accountId: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/ledgerdr02', accountName: 'ledgerdr02', resourceGroupName: 'rg2', containerMap: { entries: 'entries-copy' } },
    }, rec.opts());
    await valueOf(c.replicationPolicy!.urn);
    await settle();

    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      `${TYPE}/ledger`, `${ACCOUNT}/ledger-account`, `${BLOB_SERVICE}/ledger-blob-service`,
      'azure-native:storage:BlobContainer/ledger-entries', 'azure-native:storage:ManagementPolicy/ledger-lifecycle', `${LOCK}/ledger-lock`,
      'azure-native:storage:BlobContainer/ledger-replica-entries-copy',
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
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
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
    // Issue 13 #5: "The source and destination containers must both exist before you can specify
    // them in a rule": drkit creates the destination container unless containersExist.
    expect(rec.input('azure-native:storage:BlobContainer', 'ledger-replica-entries-copy')).toEqual({
      accountName: 'ledgerdr02', resourceGroupName: 'rg2', containerName: 'entries-copy', publicAccess: 'None',
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
      ['ledger-account', true, true], ['ledger-lock', false, true], ['ledger-blob-service', true, true], ['ledger-entries', true, true],
      ['ledger-lifecycle', false, true], ['ledger-replica-entries-copy', true, true], ['ledger-replication-destination', false, true], ['ledger-replication', false, true],
    ]);
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds, r.rtoSeconds])).toEqual([
      // Issue 13 #11: with an immutability policy a point-in-time restore is not consistent; the versions are the copy.
      ['corruption', ['azure.storage.versions'], undefined],
      // Issue 13 #7: WORM containers and object replication rule out a customer-managed failover.
      ['region', ['azure.storage.gzrs.microsoft-managed-failover', 'azure.storage.object-replication'], 0],
      ['account', ['azure.storage.immutability'], 0],
    ]);
  });

  test('issue 13 #20/#21: deletionLock false removes the lock; allowedSubnetIds deny every other network', async () => {
    const c = new azure.CrossRegionReplicatedBucket('net', {
      objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }) }),
      resourceGroupName: 'rg',
      accountName: 'netdr01',
      deletionLock: false,
      allowedSubnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app'],
    }, rec.opts());
    await valueOf(c.plan);
    await settle();
    expect(c.deletionLock).toBeUndefined();
    expect(rec.mocked.map(m => m.type)).not.toContain(LOCK);
    expect(rec.input(ACCOUNT, 'net-account')).toMatchObject({
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      networkRuleSet: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        virtualNetworkRules: [{ virtualNetworkResourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app' }],
      },
    });
  });

  test('issue 13 #5: containersExist skips creating the destination containers', async () => {
    const c = new azure.CrossRegionReplicatedBucket('rep', {
      objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }) }),
      resourceGroupName: 'rg',
      containers: ['a'],
      replicateTo: { accountId: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/dst', accountName: 'dst', resourceGroupName: 'rg2', containersExist: true },
    }, rec.opts());
    await valueOf(c.replicationPolicy!.urn);
    await settle();
    expect(c.destinationContainers).toEqual({});
    expect(rec.mocked.filter(m => m.type === 'azure-native:storage:BlobContainer').map(m => m.name)).toEqual(['rep-a']);
  });

  test('issue 13 #3/#4: a first deployment asking for a Locked policy, or Archive on a GZRS account, registers nothing', async () => {
    const compliance = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(30) }),
    });
    expect(() => new azure.CrossRegionReplicatedBucket('first', { objective: compliance, resourceGroupName: 'rg', lockImmutability: true }, rec.opts()))
      .toThrow(/^\[DRK090\] `lockImmutability` asks storage account first to be created with a Locked immutability policy, which Azure refuses/);
    expect(() => new azure.CrossRegionReplicatedBucket('cold', {
      objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }) }),
      resourceGroupName: 'rg',
      tiering: { transitions: [{ tier: AzureBlobTier.ARCHIVE, afterDays: 90 }] },
    }, rec.opts())).toThrow(/^\[DRK092\] .*"The Archive tier is not supported for ZRS, GZRS, or RA-GZRS accounts"/);
    await settle();
    expect(rec.mocked).toEqual([]);
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
