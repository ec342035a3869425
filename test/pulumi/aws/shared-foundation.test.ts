/**
 * The foundation the components share per objective, region and AWS provider
 * (`BackupFoundation.of`): one vault and one plan per set of rules, selections by tag,
 * evidence once, names from what they serve, and the same URNs in a second run.
 */
import { ACCOUNT, installMocks, Recorder, Registration, settle, valueOf } from './harness';
import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, ResourceKind, Retention,
} from '../../../lib/core';

let rec: Recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const aws = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
const awsSdk = { aws: require('@pulumi/aws') as typeof import('@pulumi/aws') };
/* eslint-enable @typescript-eslint/no-require-imports */

const OBJECTIVE = RecoveryObjective.of({
  name: 'sync service',
  rpo: Period.minutes(30),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
});
const TABLE_ARGS = { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' };
const DB_ARGS = {
  engine: 'postgres',
  engineVersion: '16',
  instanceClass: 'db.t4g.micro',
  allocatedStorage: 20,
  username: 'app',
  manageMasterUserPassword: true,
  storageEncrypted: true,
  finalSnapshotIdentifier: 'db-final',
};
const FOUNDATION = 'drkit-backup-sync-service-us-east-1';

function thrown(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrkitError) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

/** The program: tables, an RDS instance and a bucket protected against one objective. */
function program(tables: number): void {
  for (let i = 0; i < tables; i++) {
    new aws.DynamoContinuousBackup(`table${i}`, { objective: OBJECTIVE, table: { args: { ...TABLE_ARGS, tags: { team: 'sync' } } }, region: 'us-east-1', secondaryRegion: 'us-west-2' });
  }
  new aws.RdsPitrPolicy('db', { objective: OBJECTIVE, database: { instanceArgs: { ...DB_ARGS, region: 'us-east-1' } }, secondaryRegion: 'us-west-2' });
}

let spies: jest.SpyInstance[] = [];
beforeEach(() => {
  rec.clear();
  spies = [jest.spyOn(pulumi.log, 'warn'), jest.spyOn(pulumi.log, 'info')].map(s => s.mockImplementation(() => Promise.resolve()));
});
afterEach(async () => {
  await settle();
  for (const s of spies) s.mockRestore();
});

describe('the foundation the components share', () => {
  test('GIVEN ten tables and a database with one objective WHEN rendered THEN one foundation, one vault, one plan per set of rules, selected by tag', async () => {
    rec = installMocks();
    program(10);
    await settle();

    // One foundation, named after the objective and the region, with no parent.
    const foundations = rec.ofType(aws.BackupFoundation.TYPE);
    expect(foundations.map(f => [f.name, f.parent])).toEqual([[FOUNDATION, '']]);
    expect(rec.ofType('aws:backup/vault:Vault').map(v => v.name).sort()).toEqual([`${FOUNDATION}-copy-vault`, `${FOUNDATION}-vault`]);
    expect(rec.ofType('aws:backup/framework:Framework')).toHaveLength(1);
    expect(rec.ofType('aws:sns/topic:Topic').map(t => t.name)).toEqual([`${FOUNDATION}-notifications`]);

    // Two plans: the tables' (6-hourly, daily, monthly) and the database's (monthly: its
    // automated backups, replicated to us-west-2, carry the point-in-time window).
    const plans = rec.ofType('aws:backup/plan:Plan');
    expect(plans.map(p => p.name).sort()).toEqual([`${FOUNDATION}-every6h-daily-monthly`, `${FOUNDATION}-monthly`]);
    for (const p of plans) expect(p.parent).toBe(foundations[0].urn);
    expect(rec.named(`${FOUNDATION}-monthly`).inputs.rules.map((r: any) => r.ruleName)).toEqual(['Monthly']);

    // One selection per plan, by the plan's tag; no selection per table.
    const selections = rec.ofType('aws:backup/selection:Selection');
    expect(selections.map(s => s.name).sort()).toEqual([`${FOUNDATION}-every6h-daily-monthly-selection`, `${FOUNDATION}-monthly-selection`]);
    const tableSelection = rec.named(`${FOUNDATION}-every6h-daily-monthly-selection`);
    expect(tableSelection.inputs.selectionTags).toEqual([{ type: 'STRINGEQUALS', key: 'drkit:backup-plan', value: `${FOUNDATION}-every6h-daily-monthly` }]);
    expect(tableSelection.inputs.resources).toBeUndefined();
    expect(tableSelection.inputs.planId).toBe(`${FOUNDATION}-every6h-daily-monthly-id`);

    // Each table carries the tags its plan selects (and the audit controls are scoped by), with the user's.
    for (let i = 0; i < 10; i++) {
      expect(rec.named(`table${i}-table`).inputs.tags).toEqual({
        'team': 'sync', 'drkit:backup-plan': `${FOUNDATION}-every6h-daily-monthly`, 'drkit:backup-objective': FOUNDATION,
      });
      // The component registers the table and nothing else of its own.
      expect(rec.registrations.filter(r => r.parent === rec.named(`table${i}`).urn).map(r => r.type)).toEqual(['aws:dynamodb/table:Table']);
    }
    expect(rec.named('db-instance').inputs.tags).toEqual({ 'drkit:backup-plan': `${FOUNDATION}-monthly`, 'drkit:backup-objective': FOUNDATION });

    // Restore tests once per resource type; controls scoped to the foundation's tag.
    expect(rec.ofType('aws:backup/restoreTestingSelection:RestoreTestingSelection').map(r => r.inputs.protectedResourceType).sort()).toEqual(['DynamoDB', 'RDS']);
    const scoped = rec.ofType('aws:backup/framework:Framework')[0].inputs.controls.filter((c: any) => c.scope);
    expect(scoped.length).toBeGreaterThan(0);
    for (const c of scoped) expect(c.scope).toEqual({ tags: { 'drkit:backup-objective': FOUNDATION } });

    // Its plan and report: what it was set up with, and per resource that joined, per disruption.
    const f = aws.BackupFoundation.of(OBJECTIVE, { region: 'us-east-1', secondaryRegion: 'us-west-2' });
    expect(f.plan).toMatchObject({ objective: 'sync service', region: 'us-east-1', copyRegion: 'us-west-2', airGappedVault: false });
    expect(f.plan.plans.map(p => [p.name, p.rules.map(r => r.name)])).toEqual([
      [`${FOUNDATION}-every6h-daily-monthly`, ['Every6h', 'Daily', 'Monthly']], [`${FOUNDATION}-monthly`, ['Monthly']],
    ]);
    const report = await valueOf(f.report);
    expect([...new Set(report.map(r => r.resource))]).toEqual([...Array.from({ length: 10 }, (_, i) => `table${i}`), 'db']);
    expect(report.filter(r => r.resource === 'db').map(r => r.disruption)).toEqual(OBJECTIVE.targets.map(t => t.disruption));

    // The Vault Lock covers every retention tier of the objective: 30 (daily) to 372 days (monthly).
    expect(rec.named(`${FOUNDATION}-vault-lock`).inputs).toEqual({
      region: 'us-east-1', backupVaultName: `${FOUNDATION}-vault-phys`, minRetentionDays: 30, maxRetentionDays: 372,
    });
  });

  test('GIVEN one more table or database WHEN rendered THEN it adds the component and its table (instance and backup replication), as the plain program adds the table (instance)', async () => {
    rec = installMocks();
    program(2);
    await settle();
    let before = rec.registrations.length;
    new aws.DynamoContinuousBackup('one-more', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    expect(rec.registrations.slice(before).map(r => r.type)).toEqual([aws.DynamoContinuousBackup.TYPE, 'aws:dynamodb/table:Table']);
    before = rec.registrations.length;
    new aws.RdsPitrPolicy('db-more', { objective: OBJECTIVE, database: { instanceArgs: { ...DB_ARGS, region: 'us-east-1' } }, secondaryRegion: 'us-west-2' });
    await settle();
    // The automated backups replicated to us-west-2 are the plan's region-outage mechanism (the plain program has only copies).
    expect(rec.registrations.slice(before).map(r => r.type)).toEqual([
      aws.RdsPitrPolicy.TYPE, 'aws:rds/instance:Instance', 'aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication',
    ]);
  });

  test('GIVEN the same program WHEN it runs a second time THEN it registers the same URNs', async () => {
    const run = async (): Promise<string[]> => {
      rec = installMocks();
      program(3);
      await settle();
      return rec.registrations.map(r => r.urn).sort();
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  test('GIVEN BackupFoundation.of called first WHEN components join THEN its options hold, and conflicting options are refused', async () => {
    rec = installMocks();
    const f = aws.BackupFoundation.of(OBJECTIVE, { region: 'us-east-1', secondaryRegion: 'us-west-2', airGappedVault: true, healthDashboard: false });
    const t = new aws.DynamoContinuousBackup('orders', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    expect(t.foundation).toBe(f);
    expect(aws.BackupFoundation.of(OBJECTIVE, { region: 'us-east-1', secondaryRegion: 'us-west-2' })).toBe(f);
    await settle();
    expect(rec.ofType('aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault').map(v => v.name)).toEqual([`${FOUNDATION}-airgapped`]);
    expect(rec.ofType('aws:cloudwatch/dashboard:Dashboard')).toHaveLength(0);

    let e = thrown(() => aws.BackupFoundation.of(OBJECTIVE, { region: 'us-east-1', secondaryRegion: 'us-west-2', airGappedVault: false }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(e.message).toContain('is used with `airGappedVault` true and false');
    e = thrown(() => new aws.DynamoContinuousBackup('other', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'eu-west-1' }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(e.message).toContain('is used with secondaryRegion "us-west-2" and "eu-west-1"');
    const renamed = RecoveryObjective.of({ name: 'sync service', rpo: Period.hours(24), rto: Period.hours(24), disruptions: [Disruption.DATA_CORRUPTION] });
    e = thrown(() => new aws.DynamoContinuousBackup('third', { objective: renamed, table: { args: TABLE_ARGS }, region: 'us-east-1' }));
    expect(e.message).toContain('two different objectives are named "sync service"');
    await settle();
    expect(rec.registrations.filter(r => ['other', 'third'].includes(r.name))).toEqual([]);
  });

  test('GIVEN a table in another region or with another provider WHEN rendered THEN it gets a foundation of its own, named after them', async () => {
    rec = installMocks();
    const provider = new awsSdk.aws.Provider('eu', { region: 'eu-west-1' });
    new aws.DynamoContinuousBackup('a', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, region: 'us-east-2', secondaryRegion: 'us-west-2' });
    new aws.DynamoContinuousBackup('b', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, secondaryRegion: 'us-west-2' }, { provider });
    await settle();
    const names = rec.ofType(aws.BackupFoundation.TYPE).map(r => r.name).sort();
    expect(names).toEqual(['drkit-backup-sync-service-eu', 'drkit-backup-sync-service-us-east-2']);
    // The provider's foundation and its children use that provider.
    const euVault: Registration = rec.named('drkit-backup-sync-service-eu-vault');
    expect(euVault.inputs.region).toBeUndefined();
  });

  test('GIVEN rules outside the shared vault lock WHEN a resource joins THEN DRK031 names the rule and the lock', () => {
    rec = installMocks();
    const f = aws.BackupFoundation.of(OBJECTIVE, { region: 'us-east-1', secondaryRegion: 'us-west-2' });
    const member = {
      name: 'odd',
      kind: ResourceKind.EBS_VOLUME,
      plan: {
        kind: ResourceKind.EBS_VOLUME,
        resourceName: 'odd',
        deletionProtection: false,
        vault: { lock: Immutability.GOVERNANCE },
        achieved: [],
        advisories: [],
        backupRules: [{
          name: 'Hourly',
          scheduleExpression: 'cron(0 * * * ? *)',
          intervalHours: 1,
          startWindowMinutes: 60,
          completionWindowMinutes: 120,
          deleteAfterDays: 2,
          enableContinuousBackup: false,
          copies: [],
        }],
      },
    };
    const e = thrown(() => f.join(member));
    expect(e.code).toBe(DrkitErrorCode.VAULT_LOCK_MISMATCH);
    expect(e.message).toBe(`[DRK031] BackupFoundation ${FOUNDATION}: volume odd keeps recovery points of rule(s) Hourly (2 days), outside the Vault Lock of the shared vault (30 to 372 days): AWS Backup refuses recovery points whose retention is outside a vault's lock (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html); protect it against an objective of its own (another name)`);
  });

  test('GIVEN the dashboard WHEN rendered THEN the alarm and widgets show the core\'s metrics of the shared vault and notify the topic', async () => {
    rec = installMocks();
    new aws.DynamoContinuousBackup('orders', { objective: OBJECTIVE, table: { args: TABLE_ARGS }, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    const alarm = rec.named(`${FOUNDATION}-failed-job-share`).inputs;
    expect(alarm.threshold).toBe(0.1);
    expect(alarm.alarmActions).toEqual([`arn:aws:sns:us-east-1:${ACCOUNT}:${FOUNDATION}-notifications-phys`]);
    expect(alarm.metricQueries[0]).toEqual({
      id: 'share',
      expression: '(FILL(backupFailed, 0) + FILL(backupExpired, 0) + FILL(copyFailed, 0)) / (FILL(backupFailed, 0) + FILL(backupExpired, 0) + FILL(copyFailed, 0) + FILL(backupCompleted, 0) + FILL(copyCompleted, 0))',
      label: 'Share of failed backup and copy jobs',
      returnData: true,
    });
    expect(alarm.metricQueries.slice(1).map((q: any) => [q.id, q.metric.metricName, q.metric.dimensions.BackupVaultName])).toEqual([
      ['backupFailed', 'NumberOfBackupJobsFailed', `${FOUNDATION}-vault-phys`],
      ['backupExpired', 'NumberOfBackupJobsExpired', `${FOUNDATION}-vault-phys`],
      ['copyFailed', 'NumberOfCopyJobsFailed', `${FOUNDATION}-vault-phys`],
      ['backupCompleted', 'NumberOfBackupJobsCompleted', `${FOUNDATION}-vault-phys`],
      ['copyCompleted', 'NumberOfCopyJobsCompleted', `${FOUNDATION}-vault-phys`],
    ]);
    const dashboard = rec.named(`${FOUNDATION}-health`).inputs;
    expect(dashboard.dashboardName).toBe(`drkit-test-${FOUNDATION}`);
    const body = JSON.parse(dashboard.dashboardBody);
    expect(body.widgets.map((w: any) => [w.type, w.properties.title ?? 'text', w.x, w.y, w.width])).toEqual([
      ['text', 'text', 0, 0, 24],
      ['metric', 'Backup jobs', 0, 2, 12],
      ['metric', 'Copy jobs', 12, 2, 12],
      ['metric', 'Recovery points', 0, 8, 8],
      ['metric', 'Restore jobs and restore tests', 8, 8, 8],
      ['metric', 'Share of failed jobs', 16, 8, 8],
      ['alarm', 'Backup alarms', 0, 14, 24],
    ]);
    expect(body.widgets[1].properties.metrics[0]).toEqual(['AWS/Backup', 'NumberOfBackupJobsCreated', 'BackupVaultName', `${FOUNDATION}-vault-phys`, { label: 'Backup jobs created', stat: 'Sum', period: 86400 }]);
    expect(body.widgets[1].properties.region).toBe('us-east-1');
    expect(body.widgets[6].properties.alarms).toEqual([`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${FOUNDATION}-failed-job-share-phys`]);
  });
});
