import { ACCOUNT, installMocks, settle } from './harness';
import { DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { DrStandby } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const dynamodb = require('@pulumi/aws/dynamodb') as typeof import('@pulumi/aws/dynamodb');
const rds = require('@pulumi/aws/rds') as typeof import('@pulumi/aws/rds');
/* eslint-enable @typescript-eslint/no-require-imports */

const OBJECTIVE = RecoveryObjective.of({ name: 'sync-service', rpo: Period.minutes(30), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(30) }) });

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

beforeEach(() => rec.clear());

describe('Pulumi DrStandby', () => {
  test('hot standby: table replica, read replica with its own key in us-west-2, failover records, lag alarms', async () => {
    const table = new dynamodb.Table('state', { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST', streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES' });
    const db = new rds.Instance('db', { engine: 'postgres', instanceClass: 'db.r6g.large', allocatedStorage: 20, storageEncrypted: true });
    const standby = new DrStandby('standby', {
      objective: OBJECTIVE,
      region: 'us-west-2',
      primaryRegion: 'us-east-1',
      strategy: DrStrategy.HOT_STANDBY,
      tables: [table],
      databaseInstances: [db],
      endpoints: { zoneId: 'Z0123', recordName: 'app.example.com', primaryDomainName: 'east.example.com', secondaryDomainName: 'west.example.com', requestIntervalSeconds: 10 },
    });
    expect(standby.plan.estimate.terms.map(t => [t.name, t.seconds])).toEqual([['detection', 30], ['promotion', undefined], ['activation', 0], ['dns', 60]]);
    await settle();
    const component = rec.named('standby');
    expect(component.type).toBe('drkit:aws:DrStandby');
    const replica = rec.named('standby-table0-replica');
    expect(replica.type).toBe('aws:dynamodb/tableReplica:TableReplica');
    expect(replica.parent).toBe(component.urn);
    expect(replica.retainOnDelete).toBe(true);
    expect(replica.inputs).toMatchObject({ region: 'us-west-2', pointInTimeRecovery: true, deletionProtectionEnabled: true, globalTableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/state-phys` });
    const rr = rec.named('standby-instance0-replica');
    expect(rr.retainOnDelete).toBe(true);
    expect(rr.inputs).toMatchObject({
      region: 'us-west-2',
      replicateSourceDb: `arn:aws:rds:us-east-1:${ACCOUNT}:db:db`,
      instanceClass: 'db.r6g.large',
      kmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/standby-instance0-replica-key-id`,
      deletionProtection: true,
      publiclyAccessible: false,
      multiAz: true,
    });
    expect(rec.named('standby-primary-health').inputs).toMatchObject({ type: 'HTTPS', fqdn: 'east.example.com', requestInterval: 10, failureThreshold: 3 });
    expect(rec.named('standby-primary-record').inputs).toMatchObject({ zoneId: 'Z0123', type: 'CNAME', ttl: 60, failoverRoutingPolicies: [{ type: 'PRIMARY' }] });
    expect(rec.named('standby-secondary-record').inputs).toMatchObject({ records: ['west.example.com'], failoverRoutingPolicies: [{ type: 'SECONDARY' }] });
    expect(rec.named('standby-table0-replication-latency').inputs).toMatchObject({ metricName: 'ReplicationLatency', threshold: 1800000, dimensions: { ReceivingRegion: 'us-west-2' } });
    expect(rec.named('standby-instance0-replica-lag').inputs).toMatchObject({ region: 'us-west-2', metricName: 'ReplicaLag', threshold: 1800, dimensions: { DBInstanceIdentifier: 'standby-instance0-replica' } });
    expect(rec.named('standby-standby-alarms').inputs).toMatchObject({ region: 'us-west-2', kmsMasterKeyId: expect.stringContaining(':key/') });
  });

  test('Aurora warm standby: global cluster from the source ARN, secondary cluster with one instance', async () => {
    const cluster = new rds.Cluster('orders', { engine: 'aurora-postgresql', engineVersion: '16.4', storageEncrypted: true });
    new DrStandby('dr', { objective: OBJECTIVE, region: 'us-west-2', strategy: DrStrategy.WARM_STANDBY, databaseClusters: [cluster], replicaInstanceClass: 'db.r6g.large' });
    await settle();
    expect(rec.named('dr-cluster0-global').inputs).toMatchObject({ globalClusterIdentifier: 'dr-cluster0', sourceDbClusterIdentifier: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders`, deletionProtection: true });
    expect(rec.named('dr-cluster0-secondary').inputs).toMatchObject({
      region: 'us-west-2', engine: 'aurora-postgresql', engineVersion: '16.4', globalClusterIdentifier: 'dr-cluster0-global-id', storageEncrypted: true, backupRetentionPeriod: 30,
    });
    expect(rec.ofType('aws:rds/clusterInstance:ClusterInstance').map(r => r.name)).toEqual(['dr-cluster0-secondary-1']);
    expect(rec.named('dr-cluster0-global-lag').inputs).toMatchObject({ metricName: 'AuroraGlobalDBReplicationLag', threshold: 1800000 });
  });

  test('RTO 5 minutes with a pilot light is refused before anything registers, naming the dominant term', () => {
    const fast = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(5) });
    const e = refusal(() => new DrStandby('x', { objective: fast, region: 'us-west-2', strategy: DrStrategy.PILOT_LIGHT }));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(e.message).toContain('the dominant term is activation 1h');
    expect(rec.registrations).toEqual([]);
  });
});
