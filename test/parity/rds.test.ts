/**
 * Parity: one fixture table of objectives through both engines' RdsPitrPolicy. The CDK
 * construct's synthesized templates (L1 CfnDBInstance / CfnDBCluster) and the Pulumi
 * component's registrations (under mocks) are each normalized to the same shape and
 * compared with each other and with the neutral plan.
 *
 * The normalizers read only what each engine rendered (template properties, registered
 * inputs), follow references to the resources they name, and throw on a shape they do not
 * expect, so a difference in either engine fails the test.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { RdsPitrPolicy as CdkRdsPitrPolicy } from '../../lib/cdk';
import {
  Disruption, Immutability, Period, RdsPlanner, RdsProtectionPlan, RecoveryObjective, ResourceKind, Retention,
} from '../../lib/core';
import { defaultLockRetentionDays, withoutRedundantRules } from '../../lib/core/plan-backup';
import { ACCOUNT, DEFAULT_REGION, FOUNDATION_WARNINGS, installMocks, mockState, recordPulumiLogs, Registration, settle } from '../pulumi/aws/harness';
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

interface NormalizedReplication {
  readonly region: string;
  readonly retentionDays: number;
  /** Region of the key the replicated backups are encrypted with. */
  readonly keyRegion: string;
}

interface Normalized {
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly deletionProtection: boolean;
  readonly copyTagsToSnapshot: boolean;
  /** Instances only. */
  readonly deleteAutomatedBackups?: boolean;
  readonly storageEncrypted: boolean;
  readonly backtrackWindowSeconds?: number;
  readonly retained: boolean;
  readonly backupReplication?: NormalizedReplication;
  readonly rules: NormalizedRule[];
  /** none, governance or compliance, with the lock's bounds (absent without rules). */
  readonly vaultLock?: { mode: string; minRetentionDays?: number; maxRetentionDays?: number; changeableForDays?: number };
  /** Whether the plan's selection selects the database (absent without rules). */
  readonly selectsDatabase?: boolean;
}

/** Removes undefined members, so strict equality compares what was rendered. */
function compact<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

function byName(a: NormalizedRule, b: NormalizedRule): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function lock(present: boolean, min?: number, max?: number, changeable?: number) {
  if (!present) return { mode: 'none' };
  return { mode: changeable !== undefined ? 'compliance' : 'governance', minRetentionDays: min, maxRetentionDays: max, changeableForDays: changeable };
}

function parseArn(arn: string, service: string): { region: string; account: string } {
  const m = new RegExp(`^arn:aws:${service}:([a-z0-9-]+):(\\d{12}):`).exec(arn);
  if (!m) fail(`not a ${service} ARN: ${arn}`);
  return { region: m![1], account: m![2] };
}

function fail(msg: string): never {
  throw new Error(`normalizer: ${msg}`);
}

function copyOf(arn: string, deleteAfterDays?: number, moveToColdStorageAfterDays?: number): NormalizedCopy {
  const a = parseArn(arn, 'backup');
  const sameAccount = a.account === ACCOUNT;
  return { target: sameAccount ? 'region' : 'account', region: a.region, account: sameAccount ? undefined : a.account, deleteAfterDays, moveToColdStorageAfterDays };
}

// ---------------------------------------------------------------------------------------
// CDK: the template of the database's stack

type CfnResources = { [id: string]: { Type: string; Properties?: any; DeletionPolicy?: string } };

function normalizeCdk(stack: Stack): Normalized {
  const resources = Template.fromStack(stack).toJSON().Resources as CfnResources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const dbs = [...ofType('AWS::RDS::DBInstance'), ...ofType('AWS::RDS::DBCluster')];
  if (dbs.length !== 1) fail(`expected one database, found ${dbs.length}`);
  const [dbId, db] = dbs[0];
  const p = db.Properties;
  const isInstance = db.Type === 'AWS::RDS::DBInstance';
  const resolve = (x: any): string => {
    if (typeof x === 'string') return x;
    if (x?.Ref === 'AWS::Partition') return 'aws';
    if (x?.Ref === 'AWS::AccountId') return stack.account;
    if (x?.Ref === 'AWS::Region') return stack.region;
    if (x?.['Fn::Join']) return (x['Fn::Join'][1] as any[]).map(resolve).join(x['Fn::Join'][0]);
    return fail(`cannot resolve ${JSON.stringify(x)}`);
  };
  const refId = (x: any): string => x?.Ref ?? x?.['Fn::GetAtt']?.[0] ?? fail(`not a reference: ${JSON.stringify(x)}`);

  const plans = ofType('AWS::Backup::BackupPlan');
  if (plans.length > 1) fail(`expected at most one backup plan, found ${plans.length}`);
  let rules: NormalizedRule[] = [];
  let vaultLock: Normalized['vaultLock'];
  let selectsDatabase: boolean | undefined;
  if (plans.length === 1) {
    const [planId, plan] = plans[0];
    const cfnRules: any[] = plan.Properties.BackupPlan.BackupPlanRule;
    rules = cfnRules.map(r => ({
      name: r.RuleName,
      schedule: r.ScheduleExpression,
      startWindowMinutes: r.StartWindowMinutes,
      completionWindowMinutes: r.CompletionWindowMinutes,
      deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
      moveToColdStorageAfterDays: r.Lifecycle?.MoveToColdStorageAfterDays,
      continuous: r.EnableContinuousBackup === true,
      copies: (r.CopyActions ?? []).map((c: any) =>
        copyOf(resolve(c.DestinationBackupVaultArn), c.Lifecycle?.DeleteAfterDays, c.Lifecycle?.MoveToColdStorageAfterDays)),
    }));
    const vaults = new Set(cfnRules.map(r => refId(r.TargetBackupVault)));
    if (vaults.size !== 1) fail(`rules target ${vaults.size} vaults`);
    const vault = resources[[...vaults][0]];
    if (vault?.Type !== 'AWS::Backup::BackupVault') fail('the rules\' target is not a backup vault');
    const l = vault.Properties.LockConfiguration;
    vaultLock = lock(l !== undefined, l?.MinRetentionDays, l?.MaxRetentionDays, l?.ChangeableForDays);
    const selections = ofType('AWS::Backup::BackupSelection').filter(([, s]) => refId(s.Properties.BackupPlanId) === planId);
    if (selections.length !== 1) fail(`expected one selection of the plan, found ${selections.length}`);
    selectsDatabase = (selections[0][1].Properties.BackupSelection.Resources ?? [])
      .some((x: any) => x?.['Fn::GetAtt']?.[0] === dbId && x['Fn::GetAtt'][1] === (isInstance ? 'DBInstanceArn' : 'DBClusterArn'));
  }

  const replicationRegion = p.AutomaticBackupReplicationRegion;
  // A key drkit creates is read from SSM in its region by a custom resource (the key's ARN
  // cannot cross regions): its region is the region of that SDK call.
  const keyRegionOf = (x: any): string => {
    const reader = x?.['Fn::GetAtt']?.[1] === 'Parameter.Value' ? resources[x['Fn::GetAtt'][0]] : undefined;
    if (reader?.Type === 'Custom::AWS') return JSON.parse(resolve(reader.Properties.Create)).region;
    return parseArn(resolve(x), 'kms').region;
  };
  return compact({
    backupRetentionDays: p.BackupRetentionPeriod,
    backupWindow: p.PreferredBackupWindow,
    deletionProtection: p.DeletionProtection === true,
    copyTagsToSnapshot: p.CopyTagsToSnapshot === true,
    deleteAutomatedBackups: isInstance ? p.DeleteAutomatedBackups : undefined,
    storageEncrypted: p.StorageEncrypted === true,
    backtrackWindowSeconds: p.BacktrackWindow,
    retained: db.DeletionPolicy === 'Retain',
    backupReplication: replicationRegion === undefined ? undefined : {
      region: replicationRegion,
      retentionDays: p.AutomaticBackupReplicationRetentionPeriod,
      keyRegion: keyRegionOf(p.AutomaticBackupReplicationKmsKeyId),
    },
    rules: rules.sort(byName),
    vaultLock,
    selectsDatabase,
  });
}

// ---------------------------------------------------------------------------------------
// Pulumi: the registrations under mocks

function normalizePulumi(regs: Registration[]): Normalized {
  const ofType = (type: string) => regs.filter(r => r.type === type);
  const dbs = [...ofType('aws:rds/instance:Instance'), ...ofType('aws:rds/cluster:Cluster')];
  if (dbs.length !== 1) fail(`expected one database, found ${dbs.length}`);
  const db = dbs[0];
  const p = db.inputs;
  const isInstance = db.type === 'aws:rds/instance:Instance';
  const dbArn = `arn:aws:rds:${p.region ?? DEFAULT_REGION}:${ACCOUNT}:${isInstance ? 'db' : 'cluster'}:${db.name}`;

  const plans = ofType('aws:backup/plan:Plan');
  if (plans.length > 1) fail(`expected at most one backup plan, found ${plans.length}`);
  let rules: NormalizedRule[] = [];
  let vaultLock: Normalized['vaultLock'];
  let selectsDatabase: boolean | undefined;
  if (plans.length === 1) {
    const plan = plans[0];
    const pulumiRules: any[] = plan.inputs.rules;
    rules = pulumiRules.map(r => ({
      name: r.ruleName,
      schedule: r.schedule,
      startWindowMinutes: r.startWindow,
      completionWindowMinutes: r.completionWindow,
      deleteAfterDays: r.lifecycle?.deleteAfter,
      moveToColdStorageAfterDays: r.lifecycle?.coldStorageAfter,
      continuous: r.enableContinuousBackup === true,
      copies: (r.copyActions ?? []).map((c: any) => copyOf(c.destinationVaultArn, c.lifecycle?.deleteAfter, c.lifecycle?.coldStorageAfter)),
    }));
    const vaultNames = new Set(pulumiRules.map(r => r.targetVaultName));
    if (vaultNames.size !== 1) fail(`rules target ${vaultNames.size} vaults`);
    const vaults = ofType('aws:backup/vault:Vault').filter(v => mockState(v).name === [...vaultNames][0]);
    if (vaults.length !== 1) fail('the rules\' target is not a registered vault');
    const locks = ofType('aws:backup/vaultLockConfiguration:VaultLockConfiguration').filter(l => l.inputs.backupVaultName === mockState(vaults[0]).name);
    if (locks.length > 1) fail(`the vault has ${locks.length} locks`);
    const l = locks[0]?.inputs;
    vaultLock = lock(l !== undefined, l?.minRetentionDays, l?.maxRetentionDays, l?.changeableForDays);
    const selections = ofType('aws:backup/selection:Selection').filter(s => s.inputs.planId === `${plan.name}-id`);
    if (selections.length !== 1) fail(`expected one selection of the plan, found ${selections.length}`);
    // By ARN, or (the components' shared foundation) by the tag the database carries.
    selectsDatabase = (selections[0].inputs.resources ?? []).includes(dbArn)
      || (selections[0].inputs.selectionTags ?? []).some((t: any) => t.type === 'STRINGEQUALS' && (p.tags ?? {})[t.key] === t.value);
  }

  const replications = ofType('aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication');
  if (replications.length > 1) fail(`expected at most one backup replication, found ${replications.length}`);
  const r = replications[0]?.inputs;
  if (r && r.sourceDbInstanceArn !== dbArn) fail(`the backup replication replicates ${r.sourceDbInstanceArn}, not the database`);
  return compact({
    backupRetentionDays: p.backupRetentionPeriod,
    backupWindow: isInstance ? p.backupWindow : p.preferredBackupWindow,
    deletionProtection: p.deletionProtection === true,
    copyTagsToSnapshot: p.copyTagsToSnapshot === true,
    deleteAutomatedBackups: isInstance ? p.deleteAutomatedBackups : undefined,
    storageEncrypted: p.storageEncrypted === true,
    backtrackWindowSeconds: p.backtrackWindow,
    retained: db.retainOnDelete,
    backupReplication: r === undefined ? undefined : { region: r.region, retentionDays: r.retentionPeriod, keyRegion: parseArn(r.kmsKeyId, 'kms').region },
    rules: rules.sort(byName),
    vaultLock,
    selectsDatabase,
  });
}

// ---------------------------------------------------------------------------------------
// The planner's view of the same shape

function fromPlan(plan: RdsProtectionPlan, primaryRegion: string, isInstance: boolean) {
  const hasRules = plan.backupRules.length > 0;
  return compact({
    backupRetentionDays: plan.backupRetentionDays,
    backupWindow: plan.preferredBackupWindow,
    deletionProtection: plan.deletionProtection,
    copyTagsToSnapshot: plan.copyTagsToSnapshot,
    deleteAutomatedBackups: isInstance ? plan.deleteAutomatedBackups : undefined,
    storageEncrypted: plan.storageEncrypted,
    backtrackWindowSeconds: plan.backtrackWindowSeconds,
    retained: true,
    backupReplication: plan.automatedBackupReplicationRegion === undefined ? undefined : {
      region: plan.automatedBackupReplicationRegion,
      retentionDays: plan.automatedBackupReplicationRetentionDays,
      keyRegion: plan.automatedBackupReplicationRegion,
    },
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
    vaultLock: hasRules ? (plan.vault.lock === Immutability.NONE ? { mode: 'none' } : {
      mode: plan.vault.lock,
      minRetentionDays: plan.vault.minRetentionDays,
      maxRetentionDays: plan.vault.maxRetentionDays,
      changeableForDays: plan.vault.changeableForDays,
    }) : undefined,
    selectsDatabase: hasRules ? true : undefined,
  });
}

// ---------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  readonly name: string;
  readonly objective: RecoveryObjective;
  readonly kind: ResourceKind;
  readonly engine: string;
  readonly multiAz?: boolean;
  readonly region: string;
  readonly secondaryRegion?: string;
  readonly backupAccount?: string;
  readonly continuousBackup?: boolean;
  readonly backtrackHours?: number;
  readonly preferredBackupWindow?: string;
  /** What the fixture is there to exercise (checked, so a fixture cannot drift into a duplicate). */
  readonly expect: (plan: RdsProtectionPlan) => void;
}

const OTHER_ACCOUNT = '210987654321';

const FIXTURES: Fixture[] = [
  {
    name: 'instance-reference',
    objective: RecoveryObjective.of({
      name: 'sync-service',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      backupInterval: Period.hours(6),
      retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
      immutability: Immutability.GOVERNANCE,
    }),
    kind: ResourceKind.RDS_INSTANCE,
    engine: 'postgres',
    multiAz: true,
    region: 'us-east-1',
    secondaryRegion: 'us-west-2',
    expect: p => {
      expect([p.automatedBackupReplicationRegion, p.automatedBackupReplicationRetentionDays]).toEqual(['us-west-2', 30]);
      expect(p.backupRules.map(r => [r.name, r.deleteAfterDays, r.copies.length])).toEqual([['Monthly', 372, 1]]);
      expect(p.vault.lock).toBe(Immutability.GOVERNANCE);
    },
  },
  {
    name: 'instance-local-week',
    objective: RecoveryObjective.of({
      name: 'local week',
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(7) }),
    }),
    kind: ResourceKind.RDS_INSTANCE,
    engine: 'mysql',
    region: 'eu-central-1',
    preferredBackupWindow: '22:00-22:45',
    expect: p => {
      expect(p.backupRules).toEqual([]);
      expect(p.automatedBackupReplicationRegion).toBeUndefined();
      expect([p.backupRetentionDays, p.preferredBackupWindow]).toEqual([7, '22:00-22:45']);
    },
  },
  {
    name: 'cluster-region-copies',
    objective: RecoveryObjective.of({
      name: 'regional copies',
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(14), daily: 35, weekly: 8 }),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(8) }],
    }),
    kind: ResourceKind.RDS_CLUSTER,
    engine: 'aurora-postgresql',
    region: 'us-east-1',
    secondaryRegion: 'us-east-2',
    expect: p => {
      expect(p.copyRegion).toBe('us-east-2');
      expect(p.backupRules.map(r => r.name)).toEqual(['Every6h', 'Daily', 'Weekly']);
      expect(p.backupRules.every(r => r.copies.length === 1)).toBe(true);
    },
  },
  {
    name: 'cluster-backtrack-continuous',
    objective: RecoveryObjective.of({
      name: 'backtrack',
      rpo: Period.minutes(15),
      rto: Period.hours(2),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(7), monthly: 6 }),
      immutability: Immutability.COMPLIANCE,
    }),
    kind: ResourceKind.RDS_CLUSTER,
    engine: 'aurora-mysql',
    region: 'us-west-2',
    continuousBackup: true,
    backtrackHours: 24,
    expect: p => {
      expect(p.backtrackWindowSeconds).toBe(24 * 3600);
      expect(p.backupRules.map(r => [r.name, r.enableContinuousBackup])).toEqual([['Continuous', true], ['Monthly', false]]);
      expect(p.vault.lock).toBe(Immutability.COMPLIANCE);
    },
  },
  {
    name: 'instance-account-copies',
    objective: RecoveryObjective.of({
      name: 'account copies',
      rpo: Period.hours(1),
      rto: Period.hours(8),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(7), daily: 14 }),
      perDisruption: [{ disruption: Disruption.ACCOUNT_COMPROMISE, rpo: Period.hours(26) }],
    }),
    kind: ResourceKind.RDS_INSTANCE,
    engine: 'postgres',
    multiAz: true,
    region: 'us-east-1',
    backupAccount: OTHER_ACCOUNT,
    expect: p => {
      expect(p.copyAccount).toBe(OTHER_ACCOUNT);
      expect(p.backupRules.some(r => r.copies.some(c => c.target === 'account'))).toBe(true);
    },
  },
];

/** A customer managed key of the source account (not a key of the app: drkit warns that its policy must allow the backup account). */
const CUSTOMER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function runCdk(f: Fixture): { normalized: Normalized; plan: RdsProtectionPlan } {
  const app: App = testApp();
  const stack = new Stack(app, `Db-${f.name}`, { env: { account: ACCOUNT, region: f.region } });
  const database = f.kind === ResourceKind.RDS_INSTANCE
    ? new rds.CfnDBInstance(stack, 'Database', {
      engine: f.engine,
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      storageEncrypted: true,
      // A customer managed key: copies to a backup account keep it (an AWS managed key is refused, DRK120).
      kmsKeyId: f.backupAccount ? CUSTOMER_KEY : undefined,
      multiAz: f.multiAz ?? false,
      masterUsername: 'dbadmin',
      manageMasterUserPassword: true,
    })
    : new rds.CfnDBCluster(stack, 'Database', { engine: f.engine, storageEncrypted: true, masterUsername: 'dbadmin', manageMasterUserPassword: true });
  const construct = new CdkRdsPitrPolicy(stack, 'Protection', {
    database,
    objective: f.objective,
    secondaryRegion: f.secondaryRegion,
    backupAccount: f.backupAccount,
    continuousBackup: f.continuousBackup,
    backtrackWindow: f.backtrackHours !== undefined ? Duration.hours(f.backtrackHours) : undefined,
    preferredBackupWindow: f.preferredBackupWindow,
  });
  return { normalized: normalizeCdk(stack), plan: construct.plan };
}

async function runPulumi(f: Fixture): Promise<{ normalized: Normalized; plan: RdsProtectionPlan }> {
  rec.clear();
  const database = f.kind === ResourceKind.RDS_INSTANCE
    ? { instanceArgs: { engine: f.engine, instanceClass: 'db.t4g.micro', allocatedStorage: 20, storageEncrypted: true, kmsKeyId: f.backupAccount ? CUSTOMER_KEY : undefined, multiAz: f.multiAz ?? false, region: f.region } }
    : { clusterArgs: { engine: f.engine, storageEncrypted: true, region: f.region } };
  const component = new pulumiAws.RdsPitrPolicy(`db-${f.name}`, {
    objective: f.objective,
    database,
    secondaryRegion: f.secondaryRegion,
    backupAccount: f.backupAccount,
    continuousBackup: f.continuousBackup,
    backtrackWindow: f.backtrackHours !== undefined ? Period.hours(f.backtrackHours) : undefined,
    preferredBackupWindow: f.preferredBackupWindow,
  });
  await settle();
  return { normalized: normalizePulumi([...rec.registrations]), plan: component.plan };
}

describe('RdsPitrPolicy parity: CDK and Pulumi render the same plan', () => {
  // Warnings and infos are recorded, not printed; each fixture's advisories are asserted below.
  const logs = recordPulumiLogs();

  test.each(FIXTURES.map(f => [f.name, f] as const))('%s', async (_name, f) => {
    const cdk = runCdk(f);
    const pulumiSide = await runPulumi(f);
    // The component logs each advisory of its plan; anything else logged is the shared foundation's (printed by nothing).
    const logged = logs.warn().mock.calls.map(c => String(c[0]));
    expect(logged).toEqual(expect.arrayContaining(pulumiSide.plan.advisories.map((a: string) => `drkit: ${a}`)));
    expect(logged.filter(m => !pulumiSide.plan.advisories.some((a: string) => m === `drkit: ${a}`) && !FOUNDATION_WARNINGS.some(p => p.test(m)))).toEqual([]);
    const planned = RdsPlanner.plan(f.objective, {
      resourceName: 'x',
      kind: f.kind,
      engine: f.engine,
      storageEncrypted: true,
      multiAz: f.kind === ResourceKind.RDS_INSTANCE ? f.multiAz ?? false : undefined,
      region: f.region,
      secondaryRegion: f.secondaryRegion,
      backupAccount: f.backupAccount,
      continuousBackup: f.continuousBackup,
      backtrackWindow: f.backtrackHours !== undefined ? Period.hours(f.backtrackHours) : undefined,
      preferredBackupWindow: f.preferredBackupWindow,
    });
    f.expect(planned);

    // The two engines rendered the same protection, setting for setting, but for one: the Vault
    // Lock's range. CDK's vault belongs to the stack, so its lock spans the rules of the stack's
    // resources; the Pulumi vault is shared by every resource of the objective that joins, in this
    // run and in later versions of the program, so its lock spans the objective's retention tiers
    // (stable when resources are added; a compliance lock cannot change after its cooling-off).
    // Both admit every rule of the database.
    const { vaultLock: pulumiLock, ...pulumiRest } = pulumiSide.normalized;
    const { vaultLock: cdkLock, ...cdkRest } = cdk.normalized;
    expect(pulumiRest).toStrictEqual(cdkRest);
    expect(pulumiLock?.mode).toBe(cdkLock?.mode);
    expect(pulumiLock?.changeableForDays).toBe(cdkLock?.changeableForDays);
    if (pulumiLock && pulumiLock.mode !== 'none') {
      const tiers = defaultLockRetentionDays(f.objective);
      expect([pulumiLock.minRetentionDays, pulumiLock.maxRetentionDays]).toEqual([tiers.min, tiers.max]);
      for (const r of pulumiSide.normalized.rules) {
        expect(r.deleteAfterDays!).toBeGreaterThanOrEqual(pulumiLock.minRetentionDays!);
        expect(r.deleteAfterDays!).toBeLessThanOrEqual(pulumiLock.maxRetentionDays!);
      }
      expect(pulumiLock.minRetentionDays!).toBeLessThanOrEqual(cdkLock!.minRetentionDays!);
      expect(pulumiLock.maxRetentionDays!).toBeGreaterThanOrEqual(cdkLock!.maxRetentionDays!);
    } else {
      expect(pulumiLock).toStrictEqual(cdkLock);
    }
    // ... which is the planner's.
    const isInstance = f.kind === ResourceKind.RDS_INSTANCE;
    expect(cdk.normalized).toStrictEqual(fromPlan(planned, f.region, isInstance));
    // Both engines planned it from the same inputs (names differ: construct path, resource name).
    const decisions = (p: RdsProtectionPlan) => {
      const { resourceName: _r, achieved, advisories: _a, ...rest } = p;
      return { ...rest, achieved: achieved.map(a => ({ ...a, basis: a.basis.replace(/(database (instance|cluster)) \S+/g, '$1') })) };
    };
    expect(decisions(pulumiSide.plan)).toStrictEqual(decisions(cdk.plan));
    expect(decisions(pulumiSide.plan)).toStrictEqual(decisions(planned));
  });
});
