/**
 * Parity: one fixture table of objectives through both engines. The CDK construct's
 * synthesized templates and the Pulumi component's registrations (under mocks) are each
 * normalized to the same shape and compared with each other and with the neutral plan.
 *
 * The normalizers read only what each engine rendered (template properties, registered
 * inputs), follow references to the resources they name, and throw on a shape they do
 * not expect, so a difference in either engine fails the test.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoContinuousBackup as CdkDynamoContinuousBackup, ObjectiveBackup } from '../../lib/cdk';
import {
  Disruption, Immutability, Period, Planner, ProtectionPlan, RecoveryObjective, Retention,
} from '../../lib/core';
import { withoutRedundantRules } from '../../lib/core/plan-backup';
import { ACCOUNT, FOUNDATION_WARNINGS, installMocks, mockState, recordPulumiLogs, Registration, settle } from '../pulumi/aws/harness';
import { testApp } from '../util';

const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiAws = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

// ---------------------------------------------------------------------------------------
// The normalized shape

interface NormalizedCopy {
  /** `region` (same account) or `account`. */
  readonly target: string;
  readonly region: string;
  readonly account?: string;
  readonly deleteAfterDays?: number;
  readonly moveToColdStorageAfterDays?: number;
}

interface NormalizedRule {
  readonly name: string;
  readonly schedule: string;
  readonly startWindowMinutes?: number;
  readonly completionWindowMinutes?: number;
  readonly deleteAfterDays?: number;
  readonly moveToColdStorageAfterDays?: number;
  readonly continuous: boolean;
  readonly copies: NormalizedCopy[];
}

interface NormalizedLock {
  /** none, governance (no ChangeableForDays) or compliance. */
  readonly mode: string;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  readonly changeableForDays?: number;
}

interface NormalizedVault {
  readonly region: string;
  readonly lock: NormalizedLock;
  readonly keyRotation: boolean;
  readonly retained: boolean;
  readonly keyRetained: boolean;
}

interface Normalized {
  readonly pitrDays?: number;
  readonly deletionProtection: boolean;
  readonly tableRetained: boolean;
  readonly rules: NormalizedRule[];
  /** The vault the rules back up to. */
  readonly vault: NormalizedVault;
  /** The vaults same-account copies go to, one per region. */
  readonly copyVaults: NormalizedVault[];
  /** Whether the backup selection of the plan selects the table. */
  readonly selectsTable: boolean;
}

/** Removes undefined members, so strict equality compares what was rendered. */
function compact<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

function byName(a: NormalizedRule, b: NormalizedRule): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function lockMode(min?: number, max?: number, changeable?: number, present = true): NormalizedLock {
  if (!present) return { mode: 'none' };
  return { mode: changeable !== undefined ? 'compliance' : 'governance', minRetentionDays: min, maxRetentionDays: max, changeableForDays: changeable };
}

function parseVaultArn(arn: string): { region: string; account: string; name: string } {
  const m = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/.exec(arn);
  if (!m) throw new Error(`not a backup vault ARN: ${arn}`);
  return { region: m[1], account: m[2], name: m[3] };
}

function fail(msg: string): never {
  throw new Error(`normalizer: ${msg}`);
}

// ---------------------------------------------------------------------------------------
// CDK: templates of the primary stack and of the secondary-region stacks

interface CfnTemplate {
  Resources: { [id: string]: { Type: string; Properties?: any; DeletionPolicy?: string } };
}

class CdkSide {
  private readonly templates = new Map<string, { stack: Stack; t: CfnTemplate }>();

  constructor(app: App, private readonly primary: Stack) {
    for (const s of app.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
      this.templates.set(s.stackName, { stack: s, t: Template.fromStack(s).toJSON() as CfnTemplate });
    }
  }

  public normalize(): Normalized {
    const { t } = this.templates.get(this.primary.stackName)!;
    const tables = this.ofType(t, 'AWS::DynamoDB::Table');
    if (tables.length !== 1) fail(`expected one AWS::DynamoDB::Table, found ${tables.length}`);
    const [tableId, table] = tables[0];
    const plans = this.ofType(t, 'AWS::Backup::BackupPlan');
    if (plans.length !== 1) fail(`expected one AWS::Backup::BackupPlan, found ${plans.length}`);
    const [planId, plan] = plans[0];
    const rules: any[] = plan.Properties.BackupPlan.BackupPlanRule;

    const targets = new Set(rules.map(r => this.refId(r.TargetBackupVault)));
    if (targets.size !== 1) fail(`rules target ${targets.size} vaults`);
    const vaultId = [...targets][0];
    const vault = this.vault(t, vaultId, this.primary.region);

    const copyVaults = new Map<string, NormalizedVault>();
    const normalizedRules: NormalizedRule[] = rules.map(r => ({
      name: r.RuleName,
      schedule: r.ScheduleExpression,
      startWindowMinutes: r.StartWindowMinutes,
      completionWindowMinutes: r.CompletionWindowMinutes,
      deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
      moveToColdStorageAfterDays: r.Lifecycle?.MoveToColdStorageAfterDays,
      continuous: r.EnableContinuousBackup === true,
      copies: (r.CopyActions ?? []).map((c: any) => {
        const arn = parseVaultArn(this.resolve(c.DestinationBackupVaultArn, this.primary));
        const sameAccount = arn.account === this.primary.account;
        if (sameAccount) copyVaults.set(arn.region, this.copyVault(arn));
        return {
          target: sameAccount ? 'region' : 'account',
          region: arn.region,
          account: sameAccount ? undefined : arn.account,
          deleteAfterDays: c.Lifecycle?.DeleteAfterDays,
          moveToColdStorageAfterDays: c.Lifecycle?.MoveToColdStorageAfterDays,
        };
      }),
    }));

    const selections = this.ofType(t, 'AWS::Backup::BackupSelection')
      .filter(([, s]) => this.refId(s.Properties.BackupPlanId) === planId);
    if (selections.length !== 1) fail(`expected one selection of the plan, found ${selections.length}`);
    const selected: any[] = selections[0][1].Properties.BackupSelection.Resources ?? [];

    const pitr = table.Properties.PointInTimeRecoverySpecification;
    return compact({
      pitrDays: pitr?.PointInTimeRecoveryEnabled === true ? pitr.RecoveryPeriodInDays : undefined,
      deletionProtection: table.Properties.DeletionProtectionEnabled === true,
      tableRetained: table.DeletionPolicy === 'Retain',
      rules: normalizedRules.sort(byName),
      vault,
      copyVaults: [...copyVaults.values()],
      selectsTable: selected.some(x => x?.['Fn::GetAtt']?.[0] === tableId && x['Fn::GetAtt'][1] === 'Arn'),
    });
  }

  private ofType(t: CfnTemplate, type: string): Array<[string, any]> {
    return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
  }

  private refId(x: any): string {
    if (x?.Ref) return x.Ref;
    if (x?.['Fn::GetAtt']) return x['Fn::GetAtt'][0];
    return fail(`not a reference: ${JSON.stringify(x)}`);
  }

  private vault(t: CfnTemplate, id: string, region: string): NormalizedVault {
    const v = t.Resources[id];
    if (!v || v.Type !== 'AWS::Backup::BackupVault') fail(`${id} is not a backup vault`);
    const keyId = this.refId(v.Properties.EncryptionKeyArn);
    const key = t.Resources[keyId];
    if (!key || key.Type !== 'AWS::KMS::Key') fail(`the key of vault ${id} is not a KMS key`);
    const lock = v.Properties.LockConfiguration;
    return {
      region,
      lock: lockMode(lock?.MinRetentionDays, lock?.MaxRetentionDays, lock?.ChangeableForDays, lock !== undefined),
      keyRotation: key.Properties.EnableKeyRotation === true,
      retained: v.DeletionPolicy === 'Retain',
      keyRetained: key.DeletionPolicy === 'Retain',
    };
  }

  /** The copy vault an ARN names: a vault with that name in a stack of that account and region. */
  private copyVault(arn: { region: string; account: string; name: string }): NormalizedVault {
    const found: NormalizedVault[] = [];
    for (const { stack, t } of this.templates.values()) {
      if (stack.region !== arn.region || stack.account !== arn.account) continue;
      for (const [id] of this.ofType(t, 'AWS::Backup::BackupVault').filter(([, v]) => v.Properties.BackupVaultName === arn.name)) {
        found.push(this.vault(t, id, stack.region));
      }
    }
    if (found.length !== 1) fail(`expected one vault ${arn.name} in ${arn.account}/${arn.region}, found ${found.length}`);
    return found[0];
  }

  /** Resolves the intrinsics a literal ARN can contain. */
  private resolve(x: any, stack: Stack): string {
    if (typeof x === 'string') return x;
    if (x?.Ref === 'AWS::Partition') return 'aws';
    if (x?.Ref === 'AWS::AccountId') return stack.account;
    if (x?.Ref === 'AWS::Region') return stack.region;
    if (x?.['Fn::Join']) {
      const [sep, parts] = x['Fn::Join'];
      return (parts as any[]).map(p => this.resolve(p, stack)).join(sep);
    }
    return fail(`cannot resolve ${JSON.stringify(x)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Pulumi: the registrations under mocks

class PulumiSide {
  constructor(private readonly regs: Registration[], private readonly defaultRegion: string) {}

  public normalize(): Normalized {
    const table = this.one('aws:dynamodb/table:Table');
    const plan = this.one('aws:backup/plan:Plan');
    const rules: any[] = plan.inputs.rules;
    const targets = new Set(rules.map(r => r.targetVaultName));
    if (targets.size !== 1) fail(`rules target ${targets.size} vaults`);
    const vault = this.vaultBy(v => this.state(v).name === [...targets][0]);

    const copyVaults = new Map<string, NormalizedVault>();
    const normalizedRules: NormalizedRule[] = rules.map(r => ({
      name: r.ruleName,
      schedule: r.schedule,
      startWindowMinutes: r.startWindow,
      completionWindowMinutes: r.completionWindow,
      deleteAfterDays: r.lifecycle?.deleteAfter,
      moveToColdStorageAfterDays: r.lifecycle?.coldStorageAfter,
      continuous: r.enableContinuousBackup === true,
      copies: (r.copyActions ?? []).map((c: any) => {
        const arn = parseVaultArn(c.destinationVaultArn);
        const sameAccount = arn.account === ACCOUNT;
        if (sameAccount) copyVaults.set(arn.region, this.vaultBy(v => this.state(v).arn === c.destinationVaultArn));
        return {
          target: sameAccount ? 'region' : 'account',
          region: arn.region,
          account: sameAccount ? undefined : arn.account,
          deleteAfterDays: c.lifecycle?.deleteAfter,
          moveToColdStorageAfterDays: c.lifecycle?.coldStorageAfter,
        };
      }),
    }));

    const selections = this.regs.filter(r => r.type === 'aws:backup/selection:Selection' && r.inputs.planId === `${plan.name}-id`);
    if (selections.length !== 1) fail(`expected one selection of the plan, found ${selections.length}`);
    const pitr = table.inputs.pointInTimeRecovery;
    return compact({
      pitrDays: pitr?.enabled === true ? pitr.recoveryPeriodInDays : undefined,
      deletionProtection: table.inputs.deletionProtectionEnabled === true,
      tableRetained: table.retainOnDelete,
      rules: normalizedRules.sort(byName),
      vault,
      copyVaults: [...copyVaults.values()],
      // By ARN, or (the components' shared foundation) by the tag the table carries.
      selectsTable: (selections[0].inputs.resources ?? []).includes(this.state(table).arn)
        || (selections[0].inputs.selectionTags ?? []).some((t: any) => t.type === 'STRINGEQUALS' && (table.inputs.tags ?? {})[t.key] === t.value),
    });
  }

  private state(r: Registration): any {
    return mockState(r);
  }

  private one(type: string): Registration {
    const found = this.regs.filter(r => r.type === type);
    if (found.length !== 1) fail(`expected one ${type}, found ${found.length}`);
    return found[0];
  }

  private vaultBy(match: (v: Registration) => boolean): NormalizedVault {
    const found = this.regs.filter(r => r.type === 'aws:backup/vault:Vault' && match(r));
    if (found.length !== 1) fail(`expected one matching vault, found ${found.length}`);
    const v = found[0];
    const keys = this.regs.filter(r => r.type === 'aws:kms/key:Key' && this.state(r).arn === v.inputs.kmsKeyArn);
    if (keys.length !== 1) fail(`the key of vault ${v.name} is not a registered KMS key`);
    const locks = this.regs.filter(r => r.type === 'aws:backup/vaultLockConfiguration:VaultLockConfiguration'
      && r.inputs.backupVaultName === this.state(v).name);
    if (locks.length > 1) fail(`vault ${v.name} has ${locks.length} locks`);
    const l = locks[0]?.inputs;
    return {
      region: v.inputs.region ?? this.defaultRegion,
      lock: lockMode(l?.minRetentionDays, l?.maxRetentionDays, l?.changeableForDays, l !== undefined),
      keyRotation: keys[0].inputs.enableKeyRotation === true,
      retained: v.retainOnDelete,
      keyRetained: keys[0].retainOnDelete,
    };
  }
}

// ---------------------------------------------------------------------------------------
// The planner's view of the same shape (what it decides; engines add retention and keys)

function fromPlan(plan: ProtectionPlan, primaryRegion: string) {
  const lock: NormalizedLock = plan.vault.lock === Immutability.NONE
    ? { mode: 'none' }
    : {
      mode: plan.vault.lock,
      minRetentionDays: plan.vault.minRetentionDays,
      maxRetentionDays: plan.vault.maxRetentionDays,
      changeableForDays: plan.vault.changeableForDays,
    };
  return compact({
    pitrDays: plan.pointInTimeRecoveryDays,
    deletionProtection: plan.deletionProtection,
    // The engines leave out a rule another of the resource's rules already covers (issue 11).
    rules: withoutRedundantRules(plan.backupRules).map(r => ({
      name: r.name,
      schedule: r.scheduleExpression,
      startWindowMinutes: r.startWindowMinutes,
      completionWindowMinutes: r.completionWindowMinutes,
      deleteAfterDays: r.deleteAfterDays,
      moveToColdStorageAfterDays: r.moveToColdStorageAfterDays,
      continuous: r.enableContinuousBackup,
      copies: r.copies.map(c => ({
        target: c.target,
        region: c.target === 'region' ? c.region! : primaryRegion,
        account: c.target === 'account' ? c.account : undefined,
        deleteAfterDays: c.deleteAfterDays,
        moveToColdStorageAfterDays: c.moveToColdStorageAfterDays,
      })),
    })).sort(byName),
    vaultLock: lock,
    copyVaultLocks: plan.copyRegion ? [{ region: plan.copyRegion, lock }] : [],
  });
}

function planView(n: Normalized) {
  return compact({
    pitrDays: n.pitrDays,
    deletionProtection: n.deletionProtection,
    rules: n.rules,
    vaultLock: n.vault.lock,
    copyVaultLocks: n.copyVaults.map(v => ({ region: v.region, lock: v.lock })),
  });
}

// ---------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  readonly name: string;
  readonly objective: RecoveryObjective;
  readonly region: string;
  readonly secondaryRegion?: string;
  readonly backupAccount?: string;
  /** What the fixture is there to exercise (checked, so a fixture cannot drift into a duplicate). */
  readonly expect: (plan: ProtectionPlan) => void;
}

const FIXTURES: Fixture[] = [
  {
    name: 'local-daily',
    objective: RecoveryObjective.of({
      name: 'local daily', rpo: Period.hours(24), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    }),
    region: 'us-east-1',
    expect: p => {
      expect(p.copyRegion).toBeUndefined();
      expect(p.vault.lock).toBe(Immutability.NONE);
      expect(p.backupRules.map(r => r.name)).toEqual(['Daily']);
    },
  },
  {
    name: 'regional-governance',
    objective: RecoveryObjective.of({
      name: 'regional governance',
      rpo: Period.hours(12),
      rto: Period.hours(4),
      retention: Retention.of({ daily: 30, monthly: 12 }),
      immutability: Immutability.GOVERNANCE,
    }),
    region: 'us-east-1',
    secondaryRegion: 'us-west-2',
    expect: p => {
      expect(p.copyRegion).toBe('us-west-2');
      expect(p.vault.lock).toBe(Immutability.GOVERNANCE);
      expect(p.backupRules.some(r => r.moveToColdStorageAfterDays !== undefined)).toBe(true);
    },
  },
  {
    name: 'six-hourly',
    objective: RecoveryObjective.of({
      name: 'six hourly',
      rpo: Period.hours(8),
      rto: Period.hours(4),
      backupInterval: Period.hours(6),
      retention: Retention.of({ pointInTime: Period.days(7), weekly: 8 }),
    }),
    region: 'eu-central-1',
    secondaryRegion: 'eu-west-1',
    expect: p => {
      expect(p.backupRules[0].name).toBe('Every6h');
      expect(p.backupRules[0].scheduleExpression).toBe('cron(0 5,11,17,23 * * ? *)');
      expect(p.pointInTimeRecoveryDays).toBe(7);
    },
  },
  {
    name: 'compliance-years',
    objective: RecoveryObjective.of({
      name: 'compliance years',
      rpo: Period.hours(24),
      rto: Period.hours(24),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(21), daily: 14, yearly: 7 }),
      immutability: Immutability.COMPLIANCE,
    }),
    region: 'us-east-1',
    secondaryRegion: 'us-east-2',
    expect: p => {
      expect(p.vault.lock).toBe(Immutability.COMPLIANCE);
      expect(p.vault.changeableForDays).toBe(3);
      expect(p.backupRules.map(r => [r.name, r.deleteAfterDays])).toEqual([['Every12h', 21], ['Daily', 14], ['Yearly', 7 * 366]]);
    },
  },
  {
    name: 'off-account',
    objective: RecoveryObjective.of({
      name: 'off account',
      rpo: Period.hours(24),
      rto: Period.hours(24),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(3), daily: 3 }),
    }),
    region: 'us-east-1',
    backupAccount: '111122223333',
    expect: p => {
      expect(p.copyAccount).toBe('111122223333');
      expect(p.pointInTimeRecoveryDays).toBe(3);
    },
  },
];

function runCdk(f: Fixture): { normalized: Normalized; plan: ProtectionPlan } {
  const app = testApp();
  const stack = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: f.region } });
  const table = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  });
  const construct = new CdkDynamoContinuousBackup(stack, 'Backup', {
    table, objective: f.objective, secondaryRegion: f.secondaryRegion, backupAccount: f.backupAccount,
  });
  return { normalized: new CdkSide(app, stack).normalize(), plan: construct.plan };
}

async function runPulumi(f: Fixture): Promise<{ normalized: Normalized; plan: ProtectionPlan }> {
  rec.clear();
  const component = new pulumiAws.DynamoContinuousBackup(`orders-${f.name}`, {
    objective: f.objective,
    table: { args: { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' } },
    region: f.region,
    secondaryRegion: f.secondaryRegion,
    backupAccount: f.backupAccount,
  });
  await settle();
  return { normalized: new PulumiSide([...rec.registrations], f.region).normalize(), plan: component.plan };
}

describe('DynamoContinuousBackup parity: CDK and Pulumi render the same plan', () => {
  // Warnings and infos are recorded, not printed; each fixture's advisories are asserted below.
  const logs = recordPulumiLogs();

  test('both engines name the backup account\'s vault alike', () => {
    expect(pulumiAws.BACKUP_ACCOUNT_VAULT_NAME).toBe(ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME);
  });

  test.each(FIXTURES.map(f => [f.name, f] as const))('%s', async (_name, f) => {
    const cdk = runCdk(f);
    const pulumi = await runPulumi(f);
    // The component logs each advisory of its plan; anything else logged is the shared foundation's (printed by nothing).
    const logged = logs.warn().mock.calls.map(c => String(c[0]));
    expect(logged).toEqual(expect.arrayContaining(pulumi.plan.advisories.map((a: string) => `drkit: ${a}`)));
    expect(logged.filter(m => !pulumi.plan.advisories.some((a: string) => m === `drkit: ${a}`) && !FOUNDATION_WARNINGS.some(p => p.test(m)))).toEqual([]);
    const planned = Planner.dynamoDbTable(f.objective, {
      resourceName: 'x', region: f.region, secondaryRegion: f.secondaryRegion, backupAccount: f.backupAccount,
    });
    f.expect(planned);

    // The two engines rendered the same protection, resource for resource.
    expect(pulumi.normalized).toStrictEqual(cdk.normalized);
    // ... which is the planner's, with the engine-level guarantees on top.
    expect(planView(cdk.normalized)).toStrictEqual(fromPlan(planned, f.region));
    expect(planView(pulumi.normalized)).toStrictEqual(fromPlan(planned, f.region));
    expect(cdk.normalized).toMatchObject({
      tableRetained: true,
      selectsTable: true,
      vault: { keyRotation: true, retained: true, keyRetained: true, region: f.region },
    });
    for (const v of cdk.normalized.copyVaults) expect(v).toMatchObject({ keyRotation: true, retained: true, keyRetained: true });
    // Both engines planned it from the same inputs.
    const decisions = (p: ProtectionPlan) => ({
      pointInTimeRecoveryDays: p.pointInTimeRecoveryDays,
      deletionProtection: p.deletionProtection,
      backupRules: p.backupRules,
      vault: p.vault,
      copyRegion: p.copyRegion,
      copyAccount: p.copyAccount,
    });
    expect(decisions(pulumi.plan)).toStrictEqual(decisions(cdk.plan));
    expect(decisions(pulumi.plan)).toStrictEqual(decisions(planned));
  });
});
