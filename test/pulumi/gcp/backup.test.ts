import { Recorder, settle, valueOf } from './mocks';
import { Disruption, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcp = require('../../../lib/pulumi/gcp') as typeof import('../../../lib/pulumi/gcp');

describe('gcp BackupAndDrPlan', () => {
  test('a locked vault, a plan with the objective\'s rules, one association per resource', async () => {
    const objective = RecoveryObjective.of({
      name: 'vms',
      rpo: Period.hours(12),
      rto: Period.days(1),
      immutability: Immutability.COMPLIANCE,
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7), monthly: 3 }),
    });
    const c = new gcp.BackupAndDrPlan('App', {
      objective,
      location: 'us-central1',
      resourceType: 'compute.googleapis.com/Instance',
      project: 'p1',
      resources: ['projects/p1/zones/us-central1-a/instances/web-1', 'projects/p1/zones/us-central1-b/instances/web-2'],
      lockEffectiveTime: '2099-01-01T00:00:00Z',
      kmsKeyName: 'projects/p1/locations/us-central1/keyRings/r/cryptoKeys/backups',
    }, rec.opts());
    await valueOf(c.associations[1].urn);
    await settle();
    const T = 'gcp:backupdisasterrecovery/';
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      'drkit:gcp:BackupAndDrPlan/App', `${T}backupVault:BackupVault/App-vault`, `${T}backupPlan:BackupPlan/App-plan`,
      `${T}backupPlanAssociation:BackupPlanAssociation/App-association-0`, `${T}backupPlanAssociation:BackupPlanAssociation/App-association-1`,
    ].sort());
    expect(rec.input(`${T}backupVault:BackupVault`, 'App-vault')).toEqual({
      project: 'p1',
      location: 'us-central1',
      backupVaultId: 'app-vault',
      backupMinimumEnforcedRetentionDuration: `${7 * 86400}s`,
      effectiveTime: '2099-01-01T00:00:00Z',
      // Issue 13 #21: a customer-managed key for the vault.
      encryptionConfig: { kmsKeyName: 'projects/p1/locations/us-central1/keyRings/r/cryptoKeys/backups' },
      description: 'drkit: backups for objective "vms"',
    });
    expect(rec.input(`${T}backupPlan:BackupPlan`, 'App-plan')).toEqual({
      project: 'p1',
      location: 'us-central1',
      backupPlanId: 'app-plan',
      resourceType: 'compute.googleapis.com/Instance',
      backupVault: 'App-vault-id',
      backupRules: [
        { ruleId: 'every-12h', backupRetentionDays: 7, standardSchedule: { recurrenceType: 'HOURLY', timeZone: 'UTC', backupWindow: { startHourOfDay: 0, endHourOfDay: 24 }, hourlyFrequency: 12 } },
        { ruleId: 'daily', backupRetentionDays: 7, standardSchedule: { recurrenceType: 'DAILY', timeZone: 'UTC', backupWindow: { startHourOfDay: 5, endHourOfDay: 11 } } },
        { ruleId: 'monthly', backupRetentionDays: 93, standardSchedule: { recurrenceType: 'MONTHLY', timeZone: 'UTC', backupWindow: { startHourOfDay: 5, endHourOfDay: 11 }, daysOfMonths: [1] } },
      ],
    });
    expect(rec.input(`${T}backupPlanAssociation:BackupPlanAssociation`, 'App-association-1')).toEqual({
      project: 'p1',
      location: 'us-central1',
      backupPlanAssociationId: 'app-association-1',
      backupPlan: 'App-plan-id',
      resource: 'projects/p1/zones/us-central1-b/instances/web-2',
      resourceType: 'compute.googleapis.com/Instance',
    });
    expect(rec.children('drkit:gcp:BackupAndDrPlan').map(s => [s.name, s.opts.retainOnDelete === true, s.parent === c])).toEqual([
      ['App-vault', true, true], ['App-plan', false, true], ['App-association-0', false, true], ['App-association-1', false, true],
    ]);
    // Issue 13 #13: a lock that takes effect in the future does not cover account compromise yet.
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds])).toEqual([['corruption', ['gcp.backupdr.plan']], ['account', []]]);
    expect(report[1].basis).toContain('2099-01-01T00:00:00Z');
  });

  test('issue 13 #13: a lock already in effect covers account compromise', async () => {
    const c = new gcp.BackupAndDrPlan('Past', {
      objective: RecoveryObjective.of({
        rpo: Period.hours(30),
        rto: Period.days(2),
        immutability: Immutability.COMPLIANCE,
        disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
        retention: Retention.of({ pointInTime: Period.days(7) }),
      }),
      location: 'us-central1',
      resourceType: 'compute.googleapis.com/Disk',
      resources: ['projects/p1/zones/us-central1-a/disks/d'],
      lockEffectiveTime: '2020-01-01T00:00:00Z',
    }, rec.opts());
    await valueOf(c.associations[0].urn);
    await settle();
    expect((await valueOf(c.report)).map(r => [r.disruption, r.mechanismIds])).toEqual([['corruption', ['gcp.backupdr.plan']], ['account', ['gcp.backupdr.vault-lock']]]);
  });
});
