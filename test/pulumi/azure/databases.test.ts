import { Disruption, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { Recorder, settle, valueOf } from '../gcp/mocks';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const azure = require('../../../lib/pulumi/azure') as typeof import('../../../lib/pulumi/azure');

beforeEach(() => {
  rec.mocked.length = 0;
  rec.seen.length = 0;
});

describe('azure SqlFailoverGroup', () => {
  const FG = 'azure-native:sql:FailoverGroup';
  test('issue 13 #8: a customer-managed (Manual) policy by default, with no published RPO or RTO', async () => {
    const c = new azure.SqlFailoverGroup('orders', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(1) }),
      resourceGroupName: 'rg',
      serverName: 'sql-weu',
      partnerServerId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-neu',
      databaseIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-weu/databases/orders'],
      failoverGroupName: 'orders-fg',
    }, rec.opts());
    await valueOf(c.failoverGroup.urn);
    await settle();
    expect(rec.input(FG, 'orders-failover-group')).toEqual({
      resourceGroupName: 'rg',
      serverName: 'sql-weu',
      failoverGroupName: 'orders-fg',
      partnerServers: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-neu' }],
      databases: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-weu/databases/orders'],
      readWriteEndpoint: { failoverPolicy: 'Manual' },
    });
    expect(rec.children('drkit:azure:SqlFailoverGroup').map(s => [s.name, s.parent === c])).toEqual([['orders-failover-group', true]]);
    const report = await valueOf(c.report);
    expect(report).toEqual([expect.objectContaining({ disruption: 'region', mechanismIds: ['azure.sql.failover-group.manual'], rpoKind: 'none', rtoKind: 'none' })]);
    expect(report[0].rpoSeconds).toBeUndefined();
    expect(report[0].rtoSeconds).toBeUndefined();
  });

  test('issue 13 #8: Microsoft-managed failover on request: Automatic with the 60-minute grace period, RTO at least an hour', async () => {
    const c = new azure.SqlFailoverGroup('managed', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.hours(2) }),
      resourceGroupName: 'rg',
      serverName: 's1',
      partnerServerId: 'p',
      databaseIds: ['d'],
      microsoftManagedFailover: true,
    }, rec.opts());
    await valueOf(c.failoverGroup.urn);
    await settle();
    expect(rec.input(FG, 'managed-failover-group').readWriteEndpoint).toEqual({ failoverPolicy: 'Automatic', failoverWithDataLossGracePeriodMinutes: 60 });
    const report = await valueOf(c.report);
    expect(report).toEqual([expect.objectContaining({ disruption: 'region', rtoSeconds: 3600, rtoIsLowerBound: true, rpoKind: 'none' })]);
    expect(report[0].basis).toContain('at least the 60-minute grace period, no upper bound');
  });

  test('issue 13 #8: Microsoft-managed failover with an RTO under an hour fails with DRK011 before registration', async () => {
    expect(() => new azure.SqlFailoverGroup('x', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.minutes(30) }),
      resourceGroupName: 'rg',
      serverName: 's',
      partnerServerId: 'p',
      databaseIds: [],
      microsoftManagedFailover: true,
    })).toThrow(/^\[DRK011\] `rto` 30 minutes against region outage cannot be met for failover group x \(objective "[^"]*"\) with Microsoft-managed failover/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });
});

describe('azure CosmosDbAccount', () => {
  test('continuous backup tier from the window, zone redundant, retained on delete', async () => {
    const c = new azure.CosmosDbAccount('events', {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(5),
        rto: Period.hours(4),
        disruptions: [Disruption.DATA_CORRUPTION,
          Disruption.AZ_OUTAGE],
        retention: Retention.of({ pointInTime: Period.days(30) }),
      }),
      resourceGroupName: 'rg',
      location: 'westeurope',
      accountName: 'events-db',
    }, rec.opts());
    await valueOf(c.account.urn);
    await settle();
    expect(rec.input('azure-native:cosmosdb:DatabaseAccount', 'events-account')).toEqual({
      resourceGroupName: 'rg',
      accountName: 'events-db',
      location: 'westeurope',
      databaseAccountOfferType: 'Standard',
      kind: 'GlobalDocumentDB',
      createMode: 'Default',
      locations: [{ locationName: 'westeurope', failoverPriority: 0, isZoneRedundant: true }],
      backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } },
      minimalTlsVersion: 'Tls12',
      disableKeyBasedMetadataWriteAccess: true,
      // Issue 13 #21: Entra ID only, no account keys.
      disableLocalAuth: true,
    });
    // Issue 13 #20: a CanNotDelete lock by default.
    expect(rec.input('azure-native:authorization:ManagementLockByScope', 'events-lock')).toEqual({
      scope: 'events-account-id',
      level: 'CanNotDelete',
      notes: expect.stringMatching(/^drkit: protects Cosmos DB account for objective ".*" from deletion$/),
    });
    expect(rec.children('drkit:azure:CosmosDbAccount').map(s => [s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([
      ['events-account', true, true], ['events-lock', undefined, true],
    ]);
  });

  test('issue 13 #20/#21: allowedSubnetIds turn on the virtual-network filter; deletionLock false drops the lock', async () => {
    const c = new azure.CosmosDbAccount('net', {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(5),
        rto: Period.hours(4),
        disruptions: [Disruption.DATA_CORRUPTION],
        retention: Retention.of({ pointInTime: Period.days(7) }),
      }),
      resourceGroupName: 'rg',
      location: 'westeurope',
      allowedSubnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app'],
      deletionLock: false,
    }, rec.opts());
    await valueOf(c.account.urn);
    await settle();
    expect(c.deletionLock).toBeUndefined();
    expect(rec.input('azure-native:cosmosdb:DatabaseAccount', 'net-account')).toMatchObject({
      disableLocalAuth: true,
      isVirtualNetworkFilterEnabled: true,
      virtualNetworkRules: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/app' }],
    });
    expect(rec.mocked.map(m => m.type)).not.toContain('azure-native:authorization:ManagementLockByScope');
  });

  test('a window over 30 days fails with DRK014', () => {
    let err: any;
    try {
      new azure.CosmosDbAccount('e', { objective: RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] }), resourceGroupName: 'rg', location: 'westeurope' });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
  });
});
