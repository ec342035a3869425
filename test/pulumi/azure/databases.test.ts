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
  test('Microsoft-managed failover with a 60-minute grace period when the RTO is an hour', async () => {
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
    expect(rec.input('azure-native:sql:FailoverGroup', 'orders-failover-group')).toEqual({
      resourceGroupName: 'rg',
      serverName: 'sql-weu',
      failoverGroupName: 'orders-fg',
      partnerServers: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-neu' }],
      databases: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql-weu/databases/orders'],
      readWriteEndpoint: { failoverPolicy: 'Automatic', failoverWithDataLossGracePeriodMinutes: 60 },
    });
    expect(rec.children('drkit:azure:SqlFailoverGroup').map(s => [s.name, s.parent === c])).toEqual([['orders-failover-group', true]]);
    expect(await valueOf(c.report)).toEqual([expect.objectContaining({ disruption: 'region', rpoSeconds: 5, rtoSeconds: 3600 })]);
  });

  test('a manual policy when the RTO is tighter than an hour', async () => {
    const c = new azure.SqlFailoverGroup('fast', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.minutes(5) }),
      resourceGroupName: 'rg',
      serverName: 's1',
      partnerServerId: 'p',
      databaseIds: ['d'],
    }, rec.opts());
    await valueOf(c.failoverGroup.urn);
    await settle();
    expect(rec.input('azure-native:sql:FailoverGroup', 'fast-failover-group').readWriteEndpoint).toEqual({ failoverPolicy: 'Manual' });
  });

  test('an RTO under 30 seconds fails with DRK011 before registration', async () => {
    expect(() => new azure.SqlFailoverGroup('x', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(1), rto: Period.seconds(20) }), resourceGroupName: 'rg', serverName: 's', partnerServerId: 'p', databaseIds: [],
    })).toThrow(/^\[DRK011\] `rto` 20 seconds against region outage cannot be met for failover group x/);
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
    });
    expect(rec.children('drkit:azure:CosmosDbAccount').map(s => [s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([['events-account', true, true]]);
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
