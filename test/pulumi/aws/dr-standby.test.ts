import { ACCOUNT, installMocks, recordPulumiLogs, settle, valueOf } from './harness';
import { Disruption, DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
let rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { DrStandby, DynamoContinuousBackup } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
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

// A fresh program run per test: the alarm topics the components share start empty.
beforeEach(() => {
  rec = installMocks();
});
recordPulumiLogs();

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
    // Lag alarms to the shared alarm topic of their region (primary for the table, standby for the replica).
    expect(rec.named('standby-table0-replication-latency').inputs).toMatchObject({
      region: 'us-east-1',
      metricName: 'ReplicationLatency',
      threshold: 1800000,
      dimensions: { ReceivingRegion: 'us-west-2' },
      alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:drkit-alarms-us-east-1-phys`],
    });
    expect(rec.named('standby-instance0-replica-lag').inputs).toMatchObject({
      region: 'us-west-2',
      metricName: 'ReplicaLag',
      threshold: 1800,
      dimensions: { DBInstanceIdentifier: 'standby-instance0-replica' },
      alarmActions: [`arn:aws:sns:us-west-2:${ACCOUNT}:drkit-alarms-us-west-2-phys`],
    });
    expect(rec.named('drkit-alarms-us-west-2').inputs).toMatchObject({ region: 'us-west-2', kmsMasterKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/drkit-alarms-us-west-2-key-id` });
    // The topics' policies let CloudWatch of this account publish (a topic policy replaces SNS's default).
    for (const region of ['us-east-1', 'us-west-2']) {
      const statement = JSON.parse(rec.named(`drkit-alarms-${region}-policy`).inputs.policy).Statement
        .find((st: any) => st.Principal.Service === 'cloudwatch.amazonaws.com');
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:*` } });
    }
    // The report: region outage per data item, the replication mechanism's RPO, the failover estimate.
    const report = await valueOf(standby.report);
    expect(report.map(r => [r.data, r.disruption, r.mechanismIds])).toEqual([
      ['standby table 0', 'region', ['aws.dynamodb.global-table']],
      ['standby instance 0', 'region', ['aws.rds.read-replica']],
    ]);
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
    // Aurora PostgreSQL publishes AuroraGlobalDBRPOLag (the RPO lag) on the secondary; instances run, so silence is a breach.
    expect(rec.named('dr-cluster0-global-lag').inputs).toMatchObject({ metricName: 'AuroraGlobalDBRPOLag', threshold: 1800000, treatMissingData: 'breaching', region: 'us-west-2' });
  });

  test('RTO 5 minutes with a pilot light is refused before anything registers, naming the dominant term', () => {
    const fast = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(5) });
    const e = refusal(() => new DrStandby('x', { objective: fast, region: 'us-west-2', strategy: DrStrategy.PILOT_LIGHT }));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(e.message).toContain('the dominant term is activation 1h');
    expect(rec.registrations).toEqual([]);
  });

  describe('with DynamoContinuousBackup: one replica per table, with its ReplicationLatency alarm', () => {
    const TABLE = { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST', streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES' };
    const SYNC = RecoveryObjective.of({
      name: 'sync',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      backupInterval: Period.hours(6),
      retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
    });

    test('GIVEN the component declares the standby replica WHEN the standby gets the component THEN it shares that replica and alarms on its latency', async () => {
      const state = new DynamoContinuousBackup('state', {
        objective: SYNC, region: 'us-east-1', secondaryRegion: 'us-west-2', table: { args: { ...TABLE, replicas: [{ regionName: 'us-west-2' }] } },
      });
      const standby = new DrStandby('standby', { objective: SYNC, region: 'us-west-2', primaryRegion: 'us-east-1', strategy: DrStrategy.HOT_STANDBY, tables: [state] });
      await settle();
      // One replica: the table's own (with PITR and deletion protection from its plan), no TableReplica.
      expect(rec.ofType('aws:dynamodb/tableReplica:TableReplica')).toEqual([]);
      expect(rec.named('state-table').inputs.replicas).toEqual([{ regionName: 'us-west-2', pointInTimeRecovery: true, deletionProtectionEnabled: true }]);
      // The plan counts the replica against a region outage (a 30-minute RPO copies could not meet).
      expect(state.plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!.mechanisms).toContain('aws.dynamodb.global-table');
      // ... and the table gets its ReplicationLatency alarm, in its region, on the standby's RPO.
      const alarm = rec.named('standby-table0-replication-latency');
      expect(alarm.parent).toBe(rec.named('standby').urn);
      expect(alarm.inputs).toMatchObject({
        region: 'us-east-1',
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensions: { TableName: 'state-table-phys', ReceivingRegion: 'us-west-2' },
        threshold: 1800000,
        treatMissingData: 'notBreaching',
        alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT}:drkit-alarms-us-east-1-phys`],
      });
      expect(standby.tableReplicas).toEqual([]);
      expect((await valueOf(standby.report))[0]).toMatchObject({ data: 'standby table state', mechanismIds: ['aws.dynamodb.global-table'] });
    });

    test('GIVEN the component without replicas WHEN the standby keeps live replicas THEN the standby adds the replica and its alarm', async () => {
      const state = new DynamoContinuousBackup('plain-state', {
        objective: RecoveryObjective.of({ name: 'daily', rpo: Period.hours(24), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE] }),
        region: 'us-east-1',
        secondaryRegion: 'us-west-2',
        table: { args: TABLE },
      });
      new DrStandby('dr', { objective: SYNC, region: 'us-west-2', strategy: DrStrategy.HOT_STANDBY, tables: [state] });
      await settle();
      expect(rec.named('dr-table0-replica').inputs).toMatchObject({
        region: 'us-west-2', globalTableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/plain-state-table-phys`, pointInTimeRecovery: true, deletionProtectionEnabled: true,
      });
      expect(rec.named('dr-table0-replication-latency').inputs).toMatchObject({ region: 'us-east-1', dimensions: { TableName: 'plain-state-table-phys', ReceivingRegion: 'us-west-2' } });
    });

    test('GIVEN the component declares replicas elsewhere WHEN the standby gets it THEN DRK032 asks to declare the standby region there, before anything registers', async () => {
      const state = new DynamoContinuousBackup('eu-state', {
        objective: SYNC, region: 'us-east-1', secondaryRegion: 'us-west-2', table: { args: { ...TABLE, replicas: [{ regionName: 'eu-west-1' }] } },
      });
      await settle();
      const before = rec.registrations.length;
      const e = refusal(() => new DrStandby('dr2', { objective: SYNC, region: 'us-west-2', tables: [state] }));
      expect(e.code).toBe(DrkitErrorCode.STANDBY_REPLICA_CONFLICT);
      expect(e.message).toBe("[DRK032] DrStandby dr2: table 0 (DynamoContinuousBackup eu-state) declares its replicas in `table.args.replicas` (eu-west-1) but not in the standby region us-west-2, and a table's replicas are managed either inline or as aws.dynamodb.TableReplica resources, never both: add { regionName: 'us-west-2' } to its `table.args.replicas`");
      await settle();
      expect(rec.registrations.length).toBe(before);
    });
  });
});
