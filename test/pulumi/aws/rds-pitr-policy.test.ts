import { installMocks, recordPulumiLogs, Registration, settle, valueOf } from './harness';
import {
  Disruption, DrkitError, DrkitErrorCode, Period, RdsPlanner, RecoveryObjective, ResourceKind, Retention,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
let rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { RdsPitrPolicy } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

const REFERENCE = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  backupInterval: Period.hours(6),
});
const INSTANCE_ARGS = { engine: 'postgres', instanceClass: 'db.t4g.micro', allocatedStorage: 20, storageEncrypted: true, region: 'us-east-1' };

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent === component.urn);
}

// A fresh program run per test: the foundations the components share start empty.
beforeEach(() => {
  rec = installMocks();
});
recordPulumiLogs();

describe('Pulumi RdsPitrPolicy', () => {
  test('instance: plan settings on aws.rds.Instance (retained), automated backup replication to us-west-2 with its own key, AWS Backup copies', async () => {
    const p = new RdsPitrPolicy('db', { objective: REFERENCE, database: { instanceArgs: INSTANCE_ARGS }, secondaryRegion: 'us-west-2' });
    await valueOf(p.databaseArn);
    await settle();
    const component = rec.named('db');
    expect(component.type).toBe('drkit:aws:RdsPitrPolicy');
    const instance = rec.named('db-instance');
    expect(instance.type).toBe('aws:rds/instance:Instance');
    expect(instance.parent).toBe(component.urn);
    expect(instance.retainOnDelete).toBe(true);
    expect(instance.inputs).toMatchObject({
      engine: 'postgres',
      region: 'us-east-1',
      backupRetentionPeriod: 30,
      backupWindow: '03:00-03:30',
      deletionProtection: true,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      storageEncrypted: true,
    });
    const replication = rec.named('db-backup-replication');
    expect(replication.type).toBe('aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication');
    expect(replication.inputs).toMatchObject({ region: 'us-west-2', retentionPeriod: 30, sourceDbInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:db-instance' });
    // One key per region for every database's replicated backups, retained, with no parent.
    const KEY = 'drkit-rds-backup-replication-key-us-west-2';
    expect(replication.inputs.kmsKeyId).toBe(`arn:aws:kms:us-west-2:123456789012:key/${KEY}-id`);
    expect(rec.named(KEY).retainOnDelete).toBe(true);
    expect(rec.named(KEY).parent).toBe('');
    // The neutral plan's rules, in the plan of the objective's shared foundation that holds them;
    // the instance carries the tag that plan selects.
    const PLAN = 'drkit-backup-sync-service-us-east-1-monthly';
    const plan = rec.named(PLAN);
    expect(plan.inputs.rules.map((r: any) => [r.ruleName, r.lifecycle.deleteAfter, r.copyActions.length])).toEqual([['Monthly', 372, 1]]);
    expect(instance.inputs.tags).toEqual({ 'drkit:backup-plan': PLAN, 'drkit:backup-objective': 'drkit-backup-sync-service-us-east-1' });
    expect(rec.named(`${PLAN}-selection`).inputs.selectionTags).toEqual([{ type: 'STRINGEQUALS', key: 'drkit:backup-plan', value: PLAN }]);
    expect(childrenOf(component).map(r => r.name).sort()).toEqual(['db-backup-replication', 'db-instance']);
    expect(p.backupPlan).toBe(p.foundation!.plans[0].plan);
    // A second database shares the key, the foundation and the plan.
    new RdsPitrPolicy('db2', { objective: REFERENCE, database: { instanceArgs: INSTANCE_ARGS }, secondaryRegion: 'us-west-2' });
    await settle();
    expect(rec.ofType('aws:kms/key:Key').filter(k => k.name === KEY)).toHaveLength(1);
    expect(rec.ofType('aws:backup/plan:Plan').map(r => r.name)).toEqual([PLAN]);
    expect(childrenOf(rec.named('db2')).map(r => r.name).sort()).toEqual(['db2-backup-replication', 'db2-instance']);
    // The report: one line per disruption, from the plan.
    expect((await valueOf(p.report)).map(r => [r.disruption, r.mechanismIds])).toEqual(p.plan.achieved.map(a => [a.disruption, a.mechanisms]));
    // Parity with the CDK construct: one plan, from the same planner.
    expect(p.plan).toEqual(RdsPlanner.plan(REFERENCE, {
      resourceName: 'db',
      kind: ResourceKind.RDS_INSTANCE,
      engine: 'postgres',
      storageEncrypted: true,
      multiAz: false,
      region: 'us-east-1',
      secondaryRegion: 'us-west-2',
    }));
  });

  test('Aurora MySQL cluster with backtrack: settings on aws.rds.Cluster, no automated backup replication', async () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(7) }),
    });
    const p = new RdsPitrPolicy('orders', {
      objective: o,
      backtrackWindow: Period.hours(24),
      database: { clusterArgs: { engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.08.0', storageEncrypted: true } },
    });
    await valueOf(p.databaseArn);
    await settle();
    expect(rec.named('orders-cluster').inputs).toMatchObject({ backupRetentionPeriod: 7, preferredBackupWindow: '03:00-03:30', backtrackWindow: 86400, deletionProtection: true, copyTagsToSnapshot: true });
    expect(rec.ofType('aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication')).toEqual([]);
    expect(rec.ofType('aws:backup/plan:Plan')).toEqual([]);
  });

  test('a cluster with an Aurora global database standby (`standbyRegion`) meets 30 minutes against a region outage', async () => {
    const o = RecoveryObjective.of({
      name: 'sync-db',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      retention: Retention.of({ pointInTime: Period.days(30), monthly: 12 }),
    });
    const clusterArgs = { engine: 'aurora-postgresql', engineVersion: '16.6', storageEncrypted: true, region: 'us-east-1' };
    // Without the standby, backups copied to us-west-2 cannot give 30 minutes: refused before anything registers.
    expect(refusal(() => new RdsPitrPolicy('db', { objective: o, database: { clusterArgs }, secondaryRegion: 'us-west-2' })).code)
      .toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(rec.registrations).toEqual([]);
    const p = new RdsPitrPolicy('db', { objective: o, database: { clusterArgs }, secondaryRegion: 'us-west-2', standbyRegion: 'us-west-2' });
    await valueOf(p.databaseArn);
    await settle();
    const region = p.plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect(region.rpoSeconds).toBeLessThanOrEqual(30 * 60);
    expect(region.mechanisms.join(' ')).toMatch(/aurora/);
    expect(rec.named('db-cluster').inputs).toMatchObject({ backupRetentionPeriod: 30, deletionProtection: true, storageEncrypted: true });
  });

  test('refusals happen before anything registers', () => {
    expect(refusal(() => new RdsPitrPolicy('x', { objective: REFERENCE, database: { instanceArgs: { ...INSTANCE_ARGS, storageEncrypted: false } }, secondaryRegion: 'us-west-2' })).code)
      .toBe(DrkitErrorCode.ENCRYPTION_REQUIRED);
    expect(refusal(() => new RdsPitrPolicy('x', { objective: REFERENCE, database: { instanceArgs: { ...INSTANCE_ARGS, deletionProtection: false } }, secondaryRegion: 'us-west-2' })).message)
      .toContain('`deletionProtection` is false in the database args');
    expect(refusal(() => new RdsPitrPolicy('x', { objective: REFERENCE, database: { instanceArgs: INSTANCE_ARGS }, secondaryRegion: 'us-west-2', backtrackWindow: Period.hours(1) })).code)
      .toBe(DrkitErrorCode.UNSUPPORTED_MECHANISM);
    expect(refusal(() => new RdsPitrPolicy('x', { objective: REFERENCE, database: { instanceArgs: INSTANCE_ARGS }, secondaryRegion: 'us-west-2', backupPlan: false })).code)
      .toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
    expect(rec.registrations).toEqual([]);
  });
});
