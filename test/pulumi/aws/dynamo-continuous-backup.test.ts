import { spawnSync } from 'child_process';
import * as path from 'path';
import { ACCOUNT, AUDIT_WHOLE_HOURS, installMocks, recordPulumiLogs, Registration, RTO_UNVERIFIED, settle, valueOf, VAULT_LOCK_COMPLIANCE, warningsMatching } from './harness';
import {
  Disruption, DrkitErrorCode, Immutability, Period, Planner, ProtectionPlan, RecoveryObjective, RecoveryTier, Retention,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
let rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { DynamoContinuousBackup } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const dynamodb = require('@pulumi/aws/dynamodb') as typeof import('@pulumi/aws/dynamodb');
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
/* eslint-enable @typescript-eslint/no-require-imports */

const TYPE = 'drkit:aws:DynamoContinuousBackup';
const TABLE_ARGS = { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' };

/** 12h RPO against region outage (no replica): 8-hourly backups copied to us-west-2; governance lock. */
const REGIONAL = RecoveryObjective.of({
  name: 'regional',
  rpo: Period.hours(12),
  rto: Period.hours(4),
  retention: Retention.of({ daily: 30, monthly: 12 }),
  immutability: Immutability.GOVERNANCE,
});

/** Corruption and AZ only, 14 days PITR, compliance lock. */
const LOCAL = RecoveryObjective.of({
  name: 'local',
  rpo: Period.hours(24),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 7, weekly: 4 }),
  immutability: Immutability.COMPLIANCE,
});

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent === component.urn);
}

function policy(json: string): any {
  return JSON.parse(json);
}

/** The plan rules as @pulumi/aws inputs, straight from the neutral plan. */
function rulesFromPlan(plan: ProtectionPlan, vaultName: string, copyVaultArn?: string): any[] {
  return plan.backupRules.map(r => ({
    ruleName: r.name,
    targetVaultName: vaultName,
    schedule: r.scheduleExpression,
    startWindow: r.startWindowMinutes,
    completionWindow: r.completionWindowMinutes,
    enableContinuousBackup: false,
    lifecycle: r.moveToColdStorageAfterDays !== undefined
      ? { deleteAfter: r.deleteAfterDays, coldStorageAfter: r.moveToColdStorageAfterDays }
      : { deleteAfter: r.deleteAfterDays },
    copyActions: r.copies.map(c => ({
      destinationVaultArn: copyVaultArn,
      lifecycle: c.moveToColdStorageAfterDays !== undefined
        ? { deleteAfter: c.deleteAfterDays, coldStorageAfter: c.moveToColdStorageAfterDays }
        : { deleteAfter: c.deleteAfterDays },
    })),
  }));
}

beforeEach(() => {
  // A fresh program run per test: the foundations the components share start empty.
  rec = installMocks();
});

// drkit's warnings on purpose in this file are recorded, not printed; any other warning prints.
const logs = recordPulumiLogs([RTO_UNVERIFIED, VAULT_LOCK_COMPLIANCE, AUDIT_WHOLE_HOURS]);
afterEach(() => settle());

describe('DynamoContinuousBackup (Pulumi) creating the table', () => {
  test('GIVEN a region-outage objective WHEN rendered THEN the table follows the plan and joins the objective\'s shared foundation by tag', async () => {
    const c = new DynamoContinuousBackup('orders', {
      objective: REGIONAL,
      table: { args: { ...TABLE_ARGS, tags: { team: 'payments' } } },
      secondaryRegion: 'us-west-2',
      region: 'us-east-1',
    });
    await settle();
    const F = 'drkit-backup-regional-us-east-1';
    const planName = `${F}-every8h-daily-monthly`;

    // The component registers its table; the AWS Backup part is the objective's foundation.
    const component = rec.named('orders');
    expect(component.type).toBe(TYPE);
    expect(component.parent).toBe('');
    expect(childrenOf(component).map(r => `${r.type} ${r.name}`)).toEqual(['aws:dynamodb/table:Table orders-table']);
    const foundation = rec.named(F);
    expect(foundation.type).toBe('drkit:aws:BackupFoundation');
    expect(foundation.parent).toBe('');
    expect(childrenOf(foundation).filter(r => r.type.startsWith('aws:backup/') && !r.type.includes('restoreTesting') && !r.type.includes('framework'))
      .map(r => `${r.type} ${r.name}`).sort()).toEqual([
      `aws:backup/plan:Plan ${planName}`,
      `aws:backup/selection:Selection ${planName}-selection`,
      `aws:backup/vault:Vault ${F}-copy-vault`,
      `aws:backup/vault:Vault ${F}-vault`,
      `aws:backup/vaultLockConfiguration:VaultLockConfiguration ${F}-copy-vault-lock`,
      `aws:backup/vaultLockConfiguration:VaultLockConfiguration ${F}-vault-lock`,
      `aws:backup/vaultPolicy:VaultPolicy ${F}-copy-vault-policy`,
      `aws:backup/vaultPolicy:VaultPolicy ${F}-vault-policy`,
    ]);

    // Stateful resources are retained; nothing is protected.
    expect(rec.registrations.filter(r => r.retainOnDelete).map(r => r.name).sort())
      .toEqual([`${F}-copy-key`, `${F}-copy-vault`, `${F}-key`, `${F}-vault`, 'orders-table']);
    expect(rec.registrations.filter(r => r.protect)).toEqual([]);

    // The table: the user's args plus PITR from the plan, deletion protection, and the tags its plan selects.
    expect(rec.named('orders-table').inputs).toEqual({
      ...TABLE_ARGS,
      tags: { 'team': 'payments', 'drkit:backup-plan': planName, 'drkit:backup-objective': F },
      region: 'us-east-1',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
      deletionProtectionEnabled: true,
    });

    // Vaults: primary in the table's region, copy in the secondary region; both deny deleting points.
    const vaultName = `${F}-vault-phys`;
    const copyVaultArn = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${F}-copy-vault-phys`;
    expect(rec.named(`${F}-vault`).inputs).toEqual({ region: 'us-east-1', kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${F}-key-id` });
    expect(rec.named(`${F}-copy-vault`).inputs).toEqual({ region: 'us-west-2', kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${F}-copy-key-id` });
    for (const name of [`${F}-vault-policy`, `${F}-copy-vault-policy`]) {
      expect(policy(rec.named(name).inputs.policy).Statement[0].Action).toEqual(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle']);
    }
    // Governance lock on both vaults: the objective's retention tiers, no ChangeableForDays.
    expect(rec.named(`${F}-vault-lock`).inputs).toEqual({ region: 'us-east-1', backupVaultName: vaultName, minRetentionDays: 30, maxRetentionDays: 372 });
    expect(rec.named(`${F}-copy-vault-lock`).inputs).toEqual({ region: 'us-west-2', backupVaultName: `${F}-copy-vault-phys`, minRetentionDays: 30, maxRetentionDays: 372 });

    // The plan: one rule per planned rule, copies to the copy vault, exactly the plan's.
    const planInputs = rec.named(planName).inputs;
    expect(planInputs.region).toBe('us-east-1');
    expect(planInputs.rules.map((r: any) => [r.ruleName, r.schedule, r.lifecycle])).toEqual([
      ['Every8h', 'cron(0 5,13,21 * * ? *)', { deleteAfter: 35 }],
      ['Daily', 'cron(0 5 * * ? *)', { deleteAfter: 30 }],
      ['Monthly', 'cron(0 5 1 * ? *)', { deleteAfter: 372, coldStorageAfter: 30 }],
    ]);
    expect(planInputs.rules).toEqual(rulesFromPlan(c.plan, vaultName, copyVaultArn));

    // AWS Backup's role and the plan's selection by tag, after the role's policy.
    expect(policy(rec.named(`${F}-backup-role`).inputs.assumeRolePolicy).Statement)
      .toEqual([{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(rec.named(`${F}-backup-policy`).inputs).toEqual({
      role: `${F}-backup-role-phys`, policyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    });
    const selection = rec.named(`${planName}-selection`);
    expect(selection.inputs).toEqual({
      region: 'us-east-1',
      name: expect.stringMatching(/^drkit_backup_regional_us_east_1_every8h_/),
      planId: `${planName}-id`,
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/${F}-backup-role-phys`,
      selectionTags: [{ type: 'STRINGEQUALS', key: 'drkit:backup-plan', value: planName }],
    });
    expect(selection.inputs.name.length).toBeLessThanOrEqual(50);
    expect(selection.dependsOn).toEqual(expect.arrayContaining([rec.named(`${F}-backup-policy`).urn]));

    // Outputs.
    expect(await valueOf(c.tableArn)).toBe(`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-table-phys`);
    expect(await valueOf(c.tableName)).toBe('orders-table-phys');
    expect(await valueOf(c.vaultArn)).toBe(`arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${vaultName}`);
    expect(await valueOf(c.backupPlanId)).toBe(`${planName}-id`);
    expect(await valueOf(c.copyVaultArn!)).toBe(copyVaultArn);
    expect(c.plan).toEqual(Planner.dynamoDbTable(REGIONAL, { resourceName: 'orders', region: 'us-east-1', secondaryRegion: 'us-west-2', replicaRegions: [] }));
    expect(JSON.parse(JSON.stringify(c.plan))).toEqual(c.plan);

    // Copies and cold storage of DynamoDB backups need an account setting: said once, on the foundation.
    const dynamoNotes = logs.info().mock.calls.filter(call => /advanced DynamoDB backup/.test(call[0]));
    expect(dynamoNotes).toHaveLength(1);
    expect(dynamoNotes[0][0]).toMatch(/`aws backup update-region-settings --resource-type-management-preference DynamoDB=true` in us-east-1/);
    expect(dynamoNotes[0][1]).toBe(c.foundation);
  });

  test('GIVEN the report output WHEN resolved THEN it has one line per disruption, from the plan\'s achieved targets, with the catalog\'s sources', async () => {
    const c = new DynamoContinuousBackup('orders', { objective: REGIONAL, table: { args: TABLE_ARGS }, secondaryRegion: 'us-west-2', region: 'us-east-1' });
    const report = await valueOf(c.report);
    expect(report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind]))
      .toEqual(c.plan.achieved.map(a => [a.disruption, a.mechanisms, a.rpoSeconds, a.rpoKind]));
    expect(report.map(r => r.disruption)).toEqual(REGIONAL.targets.map(t => t.disruption));
    const corruption = report.find(r => r.disruption === Disruption.DATA_CORRUPTION)!;
    expect(corruption.mechanism).toBe('DynamoDB point-in-time recovery + AWS Backup scheduled backup');
    expect(corruption.sources).toContain('https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html');
    await settle();
  });

  test('GIVEN corruption and AZ only with a compliance lock WHEN rendered THEN no copy vault, a compliance lock, and no region inputs', async () => {
    const c = new DynamoContinuousBackup('ledger', { objective: LOCAL, table: { args: TABLE_ARGS } });
    await settle();
    const F = 'drkit-backup-local';
    expect(rec.ofType('aws:backup/vault:Vault').map(r => r.name)).toEqual([`${F}-vault`]);
    for (const r of rec.registrations) expect(r.inputs).not.toHaveProperty('region');
    expect(rec.named('ledger-table').inputs).toEqual({
      ...TABLE_ARGS,
      tags: { 'drkit:backup-plan': `${F}-daily-weekly`, 'drkit:backup-objective': F },
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 },
      deletionProtectionEnabled: true,
    });
    expect(rec.named(`${F}-vault-lock`).inputs).toEqual({
      backupVaultName: `${F}-vault-phys`, minRetentionDays: 7, maxRetentionDays: 28, changeableForDays: 3,
    });
    expect(rec.named(`${F}-daily-weekly`).inputs.rules.map((r: any) => [r.ruleName, r.lifecycle, r.copyActions])).toEqual([
      ['Daily', { deleteAfter: 14 }, []],
      ['Weekly', { deleteAfter: 28 }, []],
    ]);
    expect(rec.named(`${F}-daily-weekly`).inputs.rules).toEqual(rulesFromPlan(c.plan, `${F}-vault-phys`));
    // The compliance lock becomes immutable after its cooling-off period: warned about, once.
    expect(warningsMatching(logs.warn(), VAULT_LOCK_COMPLIANCE)).toEqual([expect.stringContaining('objective "local": after the cooling-off period of 3 days')]);
    expect(c.copyVault).toBeUndefined();
    expect(c.copyVaultArn).toBeUndefined();
    expect(logs.info().mock.calls.filter(call => /advanced DynamoDB backup/.test(call[0]))).toEqual([]);
  });

  test('GIVEN replicas WHEN rendered THEN each replica gets PITR and deletion protection and the planner counts them', async () => {
    const objective = RecoveryObjective.fromTier(RecoveryTier.GOLD);
    const replicated = { ...TABLE_ARGS, streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES', replicas: [{ regionName: 'us-west-2', propagateTags: true }] };
    new DynamoContinuousBackup('global', { objective, table: { args: replicated }, secondaryRegion: 'us-west-2', region: 'us-east-1' });
    await settle();
    expect(rec.named('global-table').inputs.replicas).toEqual([
      { regionName: 'us-west-2', propagateTags: true, pointInTimeRecovery: true, deletionProtectionEnabled: true },
    ]);
    // GOLD's 15-minute RPO is finer than the audit control can check.
    expect(warningsMatching(logs.warn(), AUDIT_WHOLE_HOURS)).toEqual([expect.stringContaining('so the rpo 15 minutes is checked as 1 hour')]);

    // Without the replica, GOLD's 15-minute region-outage RPO cannot be met by copies.
    const expected = (() => {
      try {
        Planner.dynamoDbTable(objective, { resourceName: 'single', region: 'us-east-1', secondaryRegion: 'us-west-2', replicaRegions: [] });
      } catch (e: any) {
        return e;
      }
      throw new Error('the planner accepted GOLD without a replica');
    })();
    expect(expected.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    rec.clear();
    expect(() => new DynamoContinuousBackup('single', { objective, table: { args: TABLE_ARGS }, secondaryRegion: 'us-west-2', region: 'us-east-1' }))
      .toThrow(expected.message);
    expect(rec.registrations).toEqual([]);
  });

  test('GIVEN account compromise WHEN rendered THEN copies go to the backup account vault (default name, or the given ARN)', async () => {
    const objective = RecoveryObjective.of({
      name: 'ransomware', rpo: Period.hours(24), rto: Period.hours(24), disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
    });
    new DynamoContinuousBackup('vaulted', { objective, table: { args: TABLE_ARGS }, backupAccount: '111122223333', region: 'eu-west-1' });
    await settle();
    const central = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:drkit-backup-account-vault';
    // 12-hourly (13 hours worst case within the 24-hour RPO) plus the daily points.
    expect(rec.named('drkit-backup-ransomware-eu-west-1-every12h-daily').inputs.rules.map((r: any) => [r.ruleName, r.copyActions])).toEqual([
      ['Every12h', [{ destinationVaultArn: central, lifecycle: { deleteAfter: 35 } }]],
      ['Daily', [{ destinationVaultArn: central, lifecycle: { deleteAfter: 7 } }]],
    ]);
    expect(rec.registrations.filter(r => r.name.startsWith('vaulted-copy'))).toEqual([]);

    // The copy vault is the foundation's: the vault key lets the backup account use it, and its ARN is built from parts.
    expect(JSON.parse(rec.named('drkit-backup-ransomware-eu-west-1-key').inputs.policy).Statement[1].Condition)
      .toEqual({ StringEquals: { 'kms:ViaService': 'backup.eu-west-1.amazonaws.com' } });

    rec = installMocks();
    const given = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:central';
    new DynamoContinuousBackup('vaulted2', { objective, table: { args: TABLE_ARGS }, backupAccount: '111122223333', backupAccountVaultArn: given });
    await settle();
    expect(rec.named('drkit-backup-ransomware-every12h-daily').inputs.rules.map((r: any) => r.copyActions[0].destinationVaultArn)).toEqual([given, given]);
  });
});

describe('DynamoContinuousBackup (Pulumi) refusals', () => {
  test('an RPO of 1 minute against corruption fails at construction with the planner\'s DRK010 and registers nothing', () => {
    const objective = RecoveryObjective.of({ name: 'too-tight', rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
    let err: any;
    try {
      new DynamoContinuousBackup('tight', { objective, table: { args: TABLE_ARGS } });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(err.message).toBe(
      '[DRK010] `rpo` 1 minute against data corruption / accidental deletion cannot be met for table tight (objective "too-tight"): '
      + 'DynamoDB point-in-time recovery is the tightest mechanism for it and "LatestRestorableDateTime is typically 5 minutes before the current time", '
      + 'so its floor is 5 minutes (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html); '
      + 'point-in-time recovery restores to any second up to LatestRestorableDateTime. Raise the rpo for data corruption / accidental deletion to at least 5 minutes');
    expect(() => Planner.dynamoDbTable(objective, { resourceName: 'tight' })).toThrow(err.message);
    expect(rec.registrations).toEqual([]);
  });

  test('both `args` and `existing` fail with DRK020; neither fails too', async () => {
    const existing = new dynamodb.Table('someone-elses', TABLE_ARGS);
    expect(() => new DynamoContinuousBackup('both', { objective: LOCAL, table: { args: TABLE_ARGS, existing } as any }))
      .toThrow('[DRK020] DynamoContinuousBackup both: `table` has both `args` and `existing`: give `args` to let drkit create the table, or `existing` to protect a table created elsewhere, not both');
    expect(() => new DynamoContinuousBackup('neither', { objective: LOCAL, table: {} as any }))
      .toThrow('[DRK020] DynamoContinuousBackup neither: `table` needs `args` (drkit creates the table) or `existing` (a table created elsewhere)');
    expect(() => new DynamoContinuousBackup('not-a-table', { objective: LOCAL, table: { existing: { arn: 'x' } as any } }))
      .toThrow(/^\[DRK021\] DynamoContinuousBackup not-a-table: `table.existing` must be an aws.dynamodb.Table/);
    expect(() => new DynamoContinuousBackup('no-objective', { table: { args: TABLE_ARGS } } as any))
      .toThrow(/^\[DRK020\] DynamoContinuousBackup no-objective: `objective` is required/);
    await settle();
    expect(rec.registrations.map(r => r.name)).toEqual(['someone-elses']);
  });

  test('table args that contradict the plan fail with DRK020; a region mismatch with DRK022', () => {
    expect(() => new DynamoContinuousBackup('off', { objective: LOCAL, table: { args: { ...TABLE_ARGS, pointInTimeRecovery: { enabled: false } } } }))
      .toThrow(/^\[DRK020\] DynamoContinuousBackup off: `table.args.pointInTimeRecovery.enabled` is false/);
    expect(() => new DynamoContinuousBackup('unprotected', { objective: LOCAL, table: { args: { ...TABLE_ARGS, deletionProtectionEnabled: false } } }))
      .toThrow(/^\[DRK020\] DynamoContinuousBackup unprotected: `table.args.deletionProtectionEnabled` is false/);
    expect(() => new DynamoContinuousBackup('replica-off', {
      objective: LOCAL, table: { args: { ...TABLE_ARGS, replicas: [{ regionName: 'us-west-2', pointInTimeRecovery: false }] } },
    })).toThrow(/^\[DRK020\] DynamoContinuousBackup replica-off: replica in us-west-2 has `pointInTimeRecovery: false`/);
    expect(() => new DynamoContinuousBackup('late-replicas', {
      objective: LOCAL, table: { args: { ...TABLE_ARGS, replicas: pulumi.output([{ regionName: 'us-west-2' }]) } },
    })).toThrow(/^\[DRK020\] DynamoContinuousBackup late-replicas: `table.args.replicas` must be a plain array/);
    expect(() => new DynamoContinuousBackup('two-regions', { objective: LOCAL, table: { args: { ...TABLE_ARGS, region: 'eu-west-1' } }, region: 'us-east-1' }))
      .toThrow('[DRK022] DynamoContinuousBackup two-regions: `region` "us-east-1" differs from `table.args.region` "eu-west-1"');
    expect(() => new DynamoContinuousBackup('same-region', { objective: REGIONAL, table: { args: { ...TABLE_ARGS, region: 'us-west-2' } }, secondaryRegion: 'us-west-2' }))
      .toThrow(/^\[DRK022\] `secondaryRegion` "us-west-2" is the region table same-region is in/);
    expect(rec.registrations).toEqual([]);
  });
});

describe('DynamoContinuousBackup (Pulumi) adopting an existing table', () => {
  test('GIVEN a table with PITR and deletion protection WHEN adopted THEN drkit does not re-create it and backs it up in its region', async () => {
    const users = new dynamodb.Table('users', {
      ...TABLE_ARGS,
      region: 'eu-west-1',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
      deletionProtectionEnabled: true,
    });
    const c = new DynamoContinuousBackup('users-backup', { objective: LOCAL, table: { existing: users }, region: 'eu-west-1' });
    await settle();
    const F = 'drkit-backup-local-eu-west-1';
    // drkit does not re-create the table (nor tag it: it is declared elsewhere); it selects it by ARN.
    expect(rec.ofType('aws:dynamodb/table:Table').map(r => r.name)).toEqual(['users']);
    expect(rec.named('users').parent).toBe('');
    expect(rec.named('users').inputs.tags).toBeUndefined();
    expect(childrenOf(rec.named('users-backup'))).toEqual([]);
    const arn = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/users-phys`;
    const selection = rec.named(`${F}-daily-weekly-users-backup`);
    expect(selection.inputs.resources).toEqual([arn]);
    expect(selection.inputs.planId).toBe(`${F}-daily-weekly-id`);
    for (const n of [`${F}-key`, `${F}-vault`, `${F}-daily-weekly`, `${F}-daily-weekly-users-backup`, `${F}-vault-lock`]) {
      expect(rec.named(n).inputs.region).toBe('eu-west-1');
    }
    expect(await valueOf(c.tableArn)).toBe(arn);
    expect(c.table).toBe(users);
  });

  // A failed check rejects the selection's input, which fails `pulumi up` through an
  // unhandled rejection; jest would charge that to the test, so the program runs in its own process.
  test('GIVEN an existing table without PITR (or too short a period, or in another region) WHEN deployed THEN the program fails with DRK020 (DRK022) and no selection is made', () => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'programs', 'existing-table.ts'), 'pitr-off', 'pitr-short', 'other-region'], {
      cwd: path.join(__dirname, '..', '..', '..'),
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PREFER_TS_EXTS: '1', TS_NODE_PROJECT: 'test/tsconfig.json' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    // Only the planner's advisories: a restore has no published time, so the RTO against corruption is unverified.
    expect(run.stderr.split('\n').filter(l => l !== '' && !l.includes('cannot be shown to be met'))).toEqual([]);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    const gaps: { [scenario: string]: string } = {
      'pitr-off': 'point-in-time recovery is off (set `pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 }` on the table); deletion protection is off (set `deletionProtectionEnabled: true` on the table)',
      'pitr-short': 'point-in-time recovery keeps 7 days but `retention.pointInTime` asks for 14 (set `recoveryPeriodInDays: 14` on the table)',
    };
    expect(Object.keys(out)).toEqual([...Object.keys(gaps), 'other-region']);
    // A table in another region than the vault (no `region` given) would go unprotected: the deployment fails.
    expect(out['other-region'].tableArn).toBe('rejected DRK022');
    expect(out['other-region'].errors).toHaveLength(1);
    expect(out['other-region'].errors[0].code).toBe('DRK022');
    expect(out['other-region'].errors.map((e: any) => e.message.replace(/^.*(\[DRK022\])/, '$1'))).toEqual([
      '[DRK022] DynamoContinuousBackup other-region-backup: `table.existing` (table other-region-users-phys) is in eu-west-1, but the backup vault and plan are in us-east-1: AWS Backup backs a resource up only into a vault of its region; set `region: \'eu-west-1\'` on the component',
    ]);
    for (const [scenario, gap] of Object.entries(gaps)) {
      const r = out[scenario];
      expect(r.tableArn).toBe('rejected DRK020');
      expect(r.names).toContain(`${scenario}-backup`);
      expect(r.names.filter((n: string) => n.endsWith(`-${scenario}-backup`))).toEqual([]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].code).toBe('DRK020');
      expect(r.errors[0].message).toContain(
        `[DRK020] DynamoContinuousBackup ${scenario}-backup: \`table.existing\` (table ${scenario}-users-phys) does not meet the plan: ${gap}. `
        + 'drkit cannot change another resource\'s inputs in Pulumi: fix the table where it is declared, or give `table.args` and let drkit create it');
    }
  }, 60_000);
});
