import { spawnSync } from 'child_process';
import * as path from 'path';
import { ACCOUNT, installMocks, Registration, settle, valueOf } from './harness';
import {
  Disruption, DrkitErrorCode, Immutability, Period, Planner, ProtectionPlan, RecoveryObjective, RecoveryTier, Retention,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
const rec = installMocks();
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

let info: jest.SpyInstance;
beforeEach(() => {
  rec.clear();
  info = jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
});
afterEach(() => settle());

describe('DynamoContinuousBackup (Pulumi) creating the table', () => {
  test('GIVEN a region-outage objective WHEN rendered THEN every child, input, parent and option follows the plan', async () => {
    const c = new DynamoContinuousBackup('orders', {
      objective: REGIONAL,
      table: { args: { ...TABLE_ARGS, tags: { team: 'payments' } } },
      secondaryRegion: 'us-west-2',
      region: 'us-east-1',
    });
    await settle();

    // The component and its children, by name and type.
    const component = rec.named('orders');
    expect(component.type).toBe(TYPE);
    expect(component.parent).toBe('');
    expect(childrenOf(component).map(r => `${r.type} ${r.name}`).sort()).toEqual([
      'aws:backup/plan:Plan orders-plan',
      'aws:backup/selection:Selection orders-selection',
      'aws:backup/vault:Vault orders-copy-vault',
      'aws:backup/vault:Vault orders-vault',
      'aws:backup/vaultLockConfiguration:VaultLockConfiguration orders-copy-vault-lock',
      'aws:backup/vaultLockConfiguration:VaultLockConfiguration orders-vault-lock',
      'aws:backup/vaultPolicy:VaultPolicy orders-copy-vault-policy',
      'aws:backup/vaultPolicy:VaultPolicy orders-vault-policy',
      'aws:dynamodb/table:Table orders-table',
      'aws:iam/role:Role orders-backup-role',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment orders-backup-policy',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment orders-restore-policy',
      'aws:kms/key:Key orders-copy-key',
      'aws:kms/key:Key orders-key',
    ]);
    expect(rec.registrations).toHaveLength(15);

    // Stateful children are retained; the rest are not.
    const retained = rec.registrations.filter(r => r.retainOnDelete).map(r => r.name).sort();
    expect(retained).toEqual(['orders-copy-key', 'orders-copy-vault', 'orders-key', 'orders-table', 'orders-vault']);
    expect(rec.registrations.filter(r => r.protect)).toEqual([]);

    // The table: the user's args plus PITR from the plan and deletion protection.
    expect(rec.named('orders-table').inputs).toEqual({
      ...TABLE_ARGS,
      tags: { team: 'payments' },
      region: 'us-east-1',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
      deletionProtectionEnabled: true,
    });

    // Keys and vaults: primary in the table's region, copy in the secondary region.
    expect(rec.named('orders-key').inputs).toEqual({
      region: 'us-east-1', description: 'drkit: backup vault key for orders', enableKeyRotation: true, deletionWindowInDays: 30,
    });
    expect(rec.named('orders-copy-key').inputs).toEqual({
      region: 'us-west-2', description: 'drkit: copy vault key in us-west-2 for orders', enableKeyRotation: true, deletionWindowInDays: 30,
    });
    expect(rec.named('orders-vault').inputs).toEqual({ region: 'us-east-1', kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/orders-key-id` });
    expect(rec.named('orders-copy-vault').inputs).toEqual({ region: 'us-west-2', kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/orders-copy-key-id` });
    for (const [name, vault, region] of [['orders-vault-policy', 'orders-vault-phys', 'us-east-1'], ['orders-copy-vault-policy', 'orders-copy-vault-phys', 'us-west-2']]) {
      const p = rec.named(name).inputs;
      expect(p.backupVaultName).toBe(vault);
      expect(p.region).toBe(region);
      expect(policy(p.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DrkitDenyRecoveryPointDeletion',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
          Resource: '*',
        }],
      });
    }

    // Governance lock on both vaults: no ChangeableForDays.
    expect(rec.named('orders-vault-lock').inputs).toEqual({ region: 'us-east-1', backupVaultName: 'orders-vault-phys', minRetentionDays: 30, maxRetentionDays: 372 });
    expect(rec.named('orders-copy-vault-lock').inputs).toEqual({ region: 'us-west-2', backupVaultName: 'orders-copy-vault-phys', minRetentionDays: 30, maxRetentionDays: 372 });

    // The plan: one rule per planned rule, copies to the copy vault's ARN.
    const copyVaultArn = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:orders-copy-vault-phys`;
    const planInputs = rec.named('orders-plan').inputs;
    expect(planInputs.region).toBe('us-east-1');
    expect(planInputs.rules).toEqual([
      {
        ruleName: 'Every8h',
        targetVaultName: 'orders-vault-phys',
        schedule: 'cron(0 5,13,21 * * ? *)',
        startWindow: 60,
        completionWindow: 480,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 35 },
        copyActions: [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: 35 } }],
      },
      {
        ruleName: 'Daily',
        targetVaultName: 'orders-vault-phys',
        schedule: 'cron(0 5 * * ? *)',
        startWindow: 60,
        completionWindow: 1440,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 30 },
        copyActions: [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: 30 } }],
      },
      {
        ruleName: 'Monthly',
        targetVaultName: 'orders-vault-phys',
        schedule: 'cron(0 5 1 * ? *)',
        startWindow: 60,
        completionWindow: 10080,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 372, coldStorageAfter: 30 },
        copyActions: [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: 372, coldStorageAfter: 30 } }],
      },
    ]);
    // ... which is exactly the plan, not a re-derivation.
    expect(planInputs.rules).toEqual(rulesFromPlan(c.plan, 'orders-vault-phys', copyVaultArn));

    // AWS Backup's role, its managed policies, and the selection of the table.
    expect(policy(rec.named('orders-backup-role').inputs.assumeRolePolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(rec.named('orders-backup-policy').inputs).toEqual({
      role: 'orders-backup-role-phys', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    });
    expect(rec.named('orders-restore-policy').inputs).toEqual({
      role: 'orders-backup-role-phys', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    });
    const selection = rec.named('orders-selection');
    expect(selection.inputs).toEqual({
      region: 'us-east-1',
      planId: 'orders-plan-id',
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-backup-role-phys`,
      resources: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-table-phys`],
    });
    // The selection waits for the role's policies (a job started before them would fail).
    expect(selection.dependsOn).toEqual(expect.arrayContaining([rec.named('orders-backup-policy').urn, rec.named('orders-restore-policy').urn]));

    // Outputs.
    expect(await valueOf(c.tableArn)).toBe(`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-table-phys`);
    expect(await valueOf(c.tableName)).toBe('orders-table-phys');
    expect(await valueOf(c.vaultArn)).toBe(`arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:orders-vault-phys`);
    expect(await valueOf(c.backupPlanId)).toBe('orders-plan-id');
    expect(await valueOf(c.copyVaultArn!)).toBe(copyVaultArn);
    expect(c.plan).toEqual(Planner.dynamoDbTable(REGIONAL, { resourceName: 'orders', region: 'us-east-1', secondaryRegion: 'us-west-2', replicaRegions: [] }));
    expect(JSON.parse(JSON.stringify(c.plan))).toEqual(c.plan);

    // Copies and cold storage of DynamoDB backups need an account setting: said once, on the component.
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toMatch(/^drkit: the backup plan of orders moves DynamoDB recovery points to cold storage or copies them .* `aws backup update-region-settings --resource-type-management-preference DynamoDB=true`/);
    expect(info.mock.calls[0][1]).toBe(c);
  });

  test('GIVEN corruption and AZ only with a compliance lock WHEN rendered THEN no copy vault, a compliance lock, and no region inputs', async () => {
    const c = new DynamoContinuousBackup('ledger', { objective: LOCAL, table: { args: TABLE_ARGS } });
    await settle();

    expect(rec.names()).toEqual([
      'ledger', 'ledger-backup-policy', 'ledger-backup-role', 'ledger-key', 'ledger-plan', 'ledger-restore-policy',
      'ledger-selection', 'ledger-table', 'ledger-vault', 'ledger-vault-lock', 'ledger-vault-policy',
    ]);
    for (const r of rec.registrations) expect(r.inputs).not.toHaveProperty('region');
    expect(rec.named('ledger-table').inputs).toEqual({
      ...TABLE_ARGS,
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 },
      deletionProtectionEnabled: true,
    });
    expect(rec.named('ledger-vault-lock').inputs).toEqual({
      backupVaultName: 'ledger-vault-phys', minRetentionDays: 14, maxRetentionDays: 28, changeableForDays: 3,
    });
    expect(rec.named('ledger-plan').inputs.rules).toEqual([
      {
        ruleName: 'Daily',
        targetVaultName: 'ledger-vault-phys',
        schedule: 'cron(0 5 * * ? *)',
        startWindow: 60,
        completionWindow: 1440,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 14 },
        copyActions: [],
      },
      {
        ruleName: 'Weekly',
        targetVaultName: 'ledger-vault-phys',
        schedule: 'cron(0 5 ? * SUN *)',
        startWindow: 60,
        completionWindow: 10080,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 28 },
        copyActions: [],
      },
    ]);
    expect(rec.named('ledger-plan').inputs.rules).toEqual(rulesFromPlan(c.plan, 'ledger-vault-phys'));
    expect(c.copyVault).toBeUndefined();
    expect(c.copyVaultArn).toBeUndefined();
    expect(info).not.toHaveBeenCalled();
  });

  test('GIVEN replicas WHEN rendered THEN each replica gets PITR and deletion protection and the planner counts them', async () => {
    const objective = RecoveryObjective.fromTier(RecoveryTier.GOLD);
    const replicated = { ...TABLE_ARGS, streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES', replicas: [{ regionName: 'us-west-2', propagateTags: true }] };
    new DynamoContinuousBackup('global', { objective, table: { args: replicated }, secondaryRegion: 'us-west-2', region: 'us-east-1' });
    await settle();
    expect(rec.named('global-table').inputs.replicas).toEqual([
      { regionName: 'us-west-2', propagateTags: true, pointInTimeRecovery: true, deletionProtectionEnabled: true },
    ]);

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
    expect(rec.named('vaulted-plan').inputs.rules.map((r: any) => [r.ruleName, r.copyActions])).toEqual([
      ['Every12h', [{ destinationVaultArn: central, lifecycle: { deleteAfter: 35 } }]],
      ['Daily', [{ destinationVaultArn: central, lifecycle: { deleteAfter: 7 } }]],
    ]);
    expect(rec.registrations.filter(r => r.name.startsWith('vaulted-copy'))).toEqual([]);

    rec.clear();
    const given = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:central';
    new DynamoContinuousBackup('vaulted2', { objective, table: { args: TABLE_ARGS }, backupAccount: '111122223333', backupAccountVaultArn: given });
    await settle();
    expect(rec.named('vaulted2-plan').inputs.rules.map((r: any) => r.copyActions[0].destinationVaultArn)).toEqual([given, given]);
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
    const c = new DynamoContinuousBackup('users-backup', { objective: LOCAL, table: { existing: users } });
    await settle();
    expect(rec.names()).toEqual([
      'users', 'users-backup', 'users-backup-backup-policy', 'users-backup-backup-role', 'users-backup-key', 'users-backup-plan',
      'users-backup-restore-policy', 'users-backup-selection', 'users-backup-vault', 'users-backup-vault-lock', 'users-backup-vault-policy',
    ]);
    expect(rec.named('users').parent).toBe('');
    const arn = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/users-phys`;
    expect(rec.named('users-backup-selection').inputs.resources).toEqual([arn]);
    for (const n of ['users-backup-key', 'users-backup-vault', 'users-backup-plan', 'users-backup-selection', 'users-backup-vault-lock']) {
      expect(rec.named(n).inputs.region).toBe('eu-west-1');
    }
    expect(await valueOf(c.tableArn)).toBe(arn);
    expect(c.table).toBe(users);
  });

  // A failed check rejects the selection's input, which fails `pulumi up` through an
  // unhandled rejection; jest would charge that to the test, so the program runs in its own process.
  test('GIVEN an existing table without PITR (or too short a period) WHEN deployed THEN the program fails with DRK020 and no selection is made', () => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'programs', 'existing-table.ts'), 'pitr-off', 'pitr-short'], {
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
    expect(Object.keys(out)).toEqual(Object.keys(gaps));
    for (const [scenario, gap] of Object.entries(gaps)) {
      const r = out[scenario];
      expect(r.tableArn).toBe('rejected DRK020');
      expect(r.names).toContain(`${scenario}-backup-plan`);
      expect(r.names).not.toContain(`${scenario}-backup-selection`);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].code).toBe('DRK020');
      expect(r.errors[0].message).toContain(
        `[DRK020] DynamoContinuousBackup ${scenario}-backup: \`table.existing\` (table ${scenario}-users-phys) does not meet the plan: ${gap}. `
        + 'drkit cannot change another resource\'s inputs in Pulumi: fix the table where it is declared, or give `table.args` and let drkit create it');
    }
  }, 60_000);
});
