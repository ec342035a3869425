/**
 * Parity of the shared backup foundation: one fixture table of objectives and resource kinds
 * through the CDK (`ProtectedScope`, which builds an `ObjectiveBackup` with its restore tests,
 * audit framework and notifications) and through the Pulumi `BackupFoundation` (under mocks).
 * Both are normalized to one shape (plan rules, windows, lifecycles, copy targets, Vault Lock of
 * every vault, the vault's deny policy, the restore-testing schedule and selections, the
 * framework's controls and parameters, the notification event patterns) and compared strictly.
 *
 * The normalizers read only what each engine rendered and throw on a shape they do not expect.
 */
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ProtectedScope } from '../../lib/cdk';
import {
  Disruption, Immutability, Period, RecoveryObjective, ResourceKind, Retention,
} from '../../lib/core';
import { ACCOUNT, installMocks, mockState, Registration, settle } from '../pulumi/aws/harness';
import { testApp } from '../util';

const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require('@pulumi/pulumi/runtime/settings');
const pulumiAws = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
const pulumiLog = (require('@pulumi/pulumi') as typeof import('@pulumi/pulumi')).log;
/* eslint-enable @typescript-eslint/no-require-imports */

// The harness's mocks give ARNs to vaults, plans, keys and roles; the topic needs one too.
const topicArn = (name: string, region: string) => `arn:aws:sns:${region}:${ACCOUNT}:${name}-phys`;
const mocks = settings.getMonitor().mocks;
const newResource = mocks.newResource.bind(mocks);
mocks.newResource = (args: any) => {
  const result = newResource(args);
  if (args.type === 'aws:sns/topic:Topic') result.state.arn = topicArn(args.name, result.state.region);
  return result;
};

// ---------------------------------------------------------------------------------------
// The normalized shape

interface NormalizedLock {
  readonly mode: string;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  readonly changeableForDays?: number;
}

interface Normalized {
  readonly rules: any[];
  readonly vault: { region: string; lock: NormalizedLock; keyRotation: boolean; deniedActions: string[] };
  readonly copyVaults: Array<{ region: string; lock: NormalizedLock; keyRotation: boolean; deniedActions: string[] }>;
  readonly selectedResources: number;
  readonly restoreTesting: {
    schedule: string;
    startWindowHours: number;
    algorithm: string;
    includesVault: boolean;
    recoveryPointTypes: string[];
    selectionWindowDays: number;
    selections: Array<{ type: string; name: string; arns: string[]; validationWindowHours: number }>;
  };
  readonly framework: Array<{ name: string; parameters: Array<{ name: string; value: string }>; scope?: string[] }>;
  readonly notifications: { topicEncrypted: boolean; rules: Array<{ pattern: any; targetsTopic: boolean }> };
}

function compact<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

const byKey = (key: string) => (a: any, b: any) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);

function lockMode(l: any): NormalizedLock {
  if (!l) return { mode: 'none' };
  return { mode: l.changeable !== undefined ? 'compliance' : 'governance', minRetentionDays: l.min, maxRetentionDays: l.max, changeableForDays: l.changeable };
}

function parseVaultArn(arn: string): { region: string; account: string; name: string } {
  const m = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/.exec(arn);
  if (!m) throw new Error(`not a backup vault ARN: ${arn}`);
  return { region: m[1], account: m[2], name: m[3] };
}

function fail(msg: string): never {
  throw new Error(`normalizer: ${msg}`);
}

/** Actions a policy denies to every principal on every resource. */
function deniedToAll(doc: any): string[] {
  const out: string[] = [];
  for (const s of doc?.Statement ?? []) {
    const anyone = s.Principal === '*' || s.Principal?.AWS === '*';
    if (s.Effect === 'Deny' && anyone && s.Resource === '*' && !s.Condition) out.push(...[].concat(s.Action));
  }
  return out.sort();
}

/** An event pattern with the vault's name and ARN replaced by placeholders. */
function patternOf(pattern: any, vaultName: (x: any) => boolean, vaultArn: (x: any) => boolean): any {
  const walk = (x: any): any => {
    if (Array.isArray(x)) return x.map(walk);
    if (vaultName(x)) return '<vault name>';
    if (vaultArn(x)) return '<vault arn>';
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)]));
    return x;
  };
  return walk(pattern);
}

// ---------------------------------------------------------------------------------------
// CDK

interface CfnTemplate { Resources: { [id: string]: { Type: string; Properties?: any; DeletionPolicy?: string } } }

class CdkSide {
  private readonly templates: Array<{ stack: Stack; t: CfnTemplate }> = [];

  constructor(app: App, private readonly primary: Stack) {
    // ProtectedScope protects at synthesis (an aspect), which also adds the secondary-region
    // and backup-account stacks: synthesize first, then read every stack.
    Template.fromStack(primary);
    for (const s of app.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
      this.templates.push({ stack: s, t: Template.fromStack(s).toJSON() as CfnTemplate });
    }
  }

  public normalize(): Normalized {
    const t = this.templates.find(x => x.stack === this.primary)!.t;
    const [planId, plan] = this.one(t, 'AWS::Backup::BackupPlan');
    const rules: any[] = plan.Properties.BackupPlan.BackupPlanRule;
    const vaultIds = new Set(rules.map(r => this.refId(r.TargetBackupVault)));
    if (vaultIds.size !== 1) fail(`rules target ${vaultIds.size} vaults`);
    const vaultId = [...vaultIds][0];
    const copyVaults = new Map<string, any>();
    const normalizedRules = rules.map(r => ({
      name: r.RuleName,
      schedule: r.ScheduleExpression,
      startWindowMinutes: r.StartWindowMinutes,
      completionWindowMinutes: r.CompletionWindowMinutes,
      deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
      moveToColdStorageAfterDays: r.Lifecycle?.MoveToColdStorageAfterDays,
      continuous: r.EnableContinuousBackup === true,
      copies: (r.CopyActions ?? []).map((c: any) => {
        const arn = parseVaultArn(this.resolve(c.DestinationBackupVaultArn));
        const sameAccount = arn.account === ACCOUNT;
        if (sameAccount) copyVaults.set(arn.region, this.namedVault(arn));
        return {
          target: sameAccount ? 'region' : 'account',
          region: arn.region,
          account: sameAccount ? undefined : arn.account,
          deleteAfterDays: c.Lifecycle?.DeleteAfterDays,
          moveToColdStorageAfterDays: c.Lifecycle?.MoveToColdStorageAfterDays,
        };
      }),
    })).sort(byKey('name'));

    const selections = this.all(t, 'AWS::Backup::BackupSelection').filter(([, s]) => this.refId(s.Properties.BackupPlanId) === planId);
    if (selections.length !== 1) fail(`expected one selection, found ${selections.length}`);

    const isName = (x: any) => x?.['Fn::GetAtt']?.[0] === vaultId && x['Fn::GetAtt'][1] === 'BackupVaultName';
    const isArn = (x: any) => x?.['Fn::GetAtt']?.[0] === vaultId && x['Fn::GetAtt'][1] === 'BackupVaultArn';

    const [rtpId, rtp] = this.one(t, 'AWS::Backup::RestoreTestingPlan');
    const rps = rtp.Properties.RecoveryPointSelection;
    const rtSelections = this.all(t, 'AWS::Backup::RestoreTestingSelection').map(([, s]) => {
      if (s.Properties.RestoreTestingPlanName !== rtp.Properties.RestoreTestingPlanName) fail(`a selection of another plan than ${rtpId}`);
      return {
        type: s.Properties.ProtectedResourceType,
        name: s.Properties.RestoreTestingSelectionName,
        arns: s.Properties.ProtectedResourceArns,
        validationWindowHours: s.Properties.ValidationWindowHours,
      };
    }).sort(byKey('type'));

    const [, fw] = this.one(t, 'AWS::Backup::Framework');
    const framework = fw.Properties.FrameworkControls.map((c: any) => ({
      name: c.ControlName,
      parameters: (c.ControlInputParameters ?? []).map((p: any) => ({ name: p.ParameterName, value: p.ParameterValue })),
      scope: c.ControlScope ? [...c.ControlScope.ComplianceResourceTypes].sort() : undefined,
    }));

    const [topicId, topic] = this.one(t, 'AWS::SNS::Topic');
    const keyId = this.refId(topic.Properties.KmsMasterKeyId);
    const eventRules = this.all(t, 'AWS::Events::Rule').map(([, r]) => ({
      pattern: patternOf(r.Properties.EventPattern, isName, isArn),
      targetsTopic: (r.Properties.Targets ?? []).length === 1 && r.Properties.Targets[0].Arn?.Ref === topicId,
    }));

    return compact({
      rules: normalizedRules,
      vault: this.vault(t, vaultId, this.primary.region),
      copyVaults: [...copyVaults.values()],
      selectedResources: selections[0][1].Properties.BackupSelection.Resources.length,
      restoreTesting: {
        schedule: rtp.Properties.ScheduleExpression,
        startWindowHours: rtp.Properties.StartWindowHours,
        algorithm: rps.Algorithm,
        includesVault: rps.IncludeVaults.length === 1 && isArn(rps.IncludeVaults[0]),
        recoveryPointTypes: rps.RecoveryPointTypes,
        selectionWindowDays: rps.SelectionWindowDays,
        selections: rtSelections,
      },
      framework,
      notifications: {
        topicEncrypted: t.Resources[keyId]?.Type === 'AWS::KMS::Key' && t.Resources[keyId].Properties.EnableKeyRotation === true,
        rules: eventRules.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      },
    });
  }

  private all(t: CfnTemplate, type: string): Array<[string, any]> {
    return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
  }

  private one(t: CfnTemplate, type: string): [string, any] {
    const found = this.all(t, type);
    if (found.length !== 1) fail(`expected one ${type}, found ${found.length}`);
    return found[0];
  }

  private refId(x: any): string {
    if (x?.Ref) return x.Ref;
    if (x?.['Fn::GetAtt']) return x['Fn::GetAtt'][0];
    return fail(`not a reference: ${JSON.stringify(x)}`);
  }

  private vault(t: CfnTemplate, id: string, region: string) {
    const v = t.Resources[id];
    if (!v || v.Type !== 'AWS::Backup::BackupVault') fail(`${id} is not a vault`);
    const key = t.Resources[this.refId(v.Properties.EncryptionKeyArn)];
    if (!key || key.Type !== 'AWS::KMS::Key') fail(`the key of ${id} is not a KMS key`);
    const l = v.Properties.LockConfiguration;
    if (v.DeletionPolicy !== 'Retain' || key.DeletionPolicy !== 'Retain') fail(`vault ${id} or its key is not retained`);
    return {
      region,
      lock: lockMode(l && { min: l.MinRetentionDays, max: l.MaxRetentionDays, changeable: l.ChangeableForDays }),
      keyRotation: key.Properties.EnableKeyRotation === true,
      deniedActions: deniedToAll(v.Properties.AccessPolicy),
    };
  }

  private namedVault(arn: { region: string; account: string; name: string }) {
    const found: any[] = [];
    for (const { stack, t } of this.templates) {
      if (stack.region !== arn.region || stack.account !== arn.account) continue;
      for (const [id] of this.all(t, 'AWS::Backup::BackupVault').filter(([, v]) => v.Properties.BackupVaultName === arn.name)) {
        found.push(this.vault(t, id, stack.region));
      }
    }
    if (found.length !== 1) fail(`expected one vault ${arn.name} in ${arn.region}, found ${found.length} in ${this.templates.map(x => `${x.stack.account}/${x.stack.region}: ${this.all(x.t, 'AWS::Backup::BackupVault').map(([, v]) => v.Properties.BackupVaultName)}`).join('; ')}`);
    return found[0];
  }

  private resolve(x: any): string {
    if (typeof x === 'string') return x;
    if (x?.Ref === 'AWS::Partition') return 'aws';
    if (x?.Ref === 'AWS::AccountId') return this.primary.account;
    if (x?.Ref === 'AWS::Region') return this.primary.region;
    if (x?.['Fn::Join']) return (x['Fn::Join'][1] as any[]).map(p => this.resolve(p)).join(x['Fn::Join'][0]);
    return fail(`cannot resolve ${JSON.stringify(x)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Pulumi

class PulumiSide {
  constructor(private readonly regs: Registration[], private readonly region: string) {}

  public normalize(): Normalized {
    const plan = this.one('aws:backup/plan:Plan');
    const rules: any[] = plan.inputs.rules;
    const targets = new Set(rules.map(r => r.targetVaultName));
    if (targets.size !== 1) fail(`rules target ${targets.size} vaults`);
    const vaultReg = this.vaultReg(v => this.state(v).name === [...targets][0]);
    const vaultName = this.state(vaultReg).name;
    const vaultArn = this.state(vaultReg).arn;
    const copyVaults = new Map<string, any>();
    const normalizedRules = rules.map(r => ({
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
        if (sameAccount) copyVaults.set(arn.region, this.vault(this.vaultReg(v => this.state(v).arn === c.destinationVaultArn)));
        return {
          target: sameAccount ? 'region' : 'account',
          region: arn.region,
          account: sameAccount ? undefined : arn.account,
          deleteAfterDays: c.lifecycle?.deleteAfter,
          moveToColdStorageAfterDays: c.lifecycle?.coldStorageAfter,
        };
      }),
    })).sort(byKey('name'));

    const selections = this.regs.filter(r => r.type === 'aws:backup/selection:Selection' && r.inputs.planId === `${plan.name}-id`);
    const rtp = this.one('aws:backup/restoreTestingPlan:RestoreTestingPlan');
    const rps = rtp.inputs.recoveryPointSelection;
    const rtSelections = this.regs.filter(r => r.type === 'aws:backup/restoreTestingSelection:RestoreTestingSelection').map(s => {
      if (s.inputs.restoreTestingPlanName !== this.state(rtp).name) fail('a selection of another plan');
      return {
        type: s.inputs.protectedResourceType,
        name: s.inputs.name,
        arns: s.inputs.protectedResourceArns,
        validationWindowHours: s.inputs.validationWindowHours,
      };
    }).sort(byKey('type'));

    const fw = this.one('aws:backup/framework:Framework');
    const framework = fw.inputs.controls.map((c: any) => ({
      name: c.name,
      parameters: (c.inputParameters ?? []).map((p: any) => ({ name: p.name, value: p.value })),
      scope: c.scope ? [...c.scope.complianceResourceTypes].sort() : undefined,
    }));

    const topic = this.one('aws:sns/topic:Topic');
    const keys = this.regs.filter(r => r.type === 'aws:kms/key:Key' && this.state(r).arn === topic.inputs.kmsMasterKeyId);
    const eventRules = this.regs.filter(r => r.type === 'aws:cloudwatch/eventRule:EventRule').map(r => {
      const targetsOf = this.regs.filter(x => x.type === 'aws:cloudwatch/eventTarget:EventTarget' && x.inputs.rule === this.state(r).name);
      return {
        pattern: patternOf(JSON.parse(r.inputs.eventPattern), x => x === vaultName, x => x === vaultArn),
        targetsTopic: targetsOf.length === 1 && targetsOf[0].inputs.arn === topicArn(topic.name, topic.inputs.region ?? this.region),
      };
    });

    return compact({
      rules: normalizedRules,
      vault: this.vault(vaultReg),
      copyVaults: [...copyVaults.values()],
      selectedResources: selections.reduce((n, s) => n + s.inputs.resources.length, 0),
      restoreTesting: {
        schedule: rtp.inputs.scheduleExpression,
        startWindowHours: rtp.inputs.startWindowHours,
        algorithm: rps.algorithm,
        includesVault: rps.includeVaults.length === 1 && rps.includeVaults[0] === vaultArn,
        recoveryPointTypes: rps.recoveryPointTypes,
        selectionWindowDays: rps.selectionWindowDays,
        selections: rtSelections,
      },
      framework,
      notifications: {
        topicEncrypted: keys.length === 1 && keys[0].inputs.enableKeyRotation === true,
        rules: eventRules.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      },
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

  private vaultReg(match: (v: Registration) => boolean): Registration {
    const found = this.regs.filter(r => r.type === 'aws:backup/vault:Vault' && match(r));
    if (found.length !== 1) fail(`expected one matching vault, found ${found.length}`);
    return found[0];
  }

  private vault(v: Registration) {
    const keys = this.regs.filter(r => r.type === 'aws:kms/key:Key' && this.state(r).arn === v.inputs.kmsKeyArn);
    if (keys.length !== 1) fail(`the key of ${v.name} is not registered`);
    if (!v.retainOnDelete || !keys[0].retainOnDelete) fail(`vault ${v.name} or its key is not retained`);
    const name = this.state(v).name;
    const locks = this.regs.filter(r => r.type === 'aws:backup/vaultLockConfiguration:VaultLockConfiguration' && r.inputs.backupVaultName === name);
    const policies = this.regs.filter(r => r.type === 'aws:backup/vaultPolicy:VaultPolicy' && r.inputs.backupVaultName === name);
    if (locks.length > 1 || policies.length !== 1) fail(`vault ${v.name} has ${locks.length} locks and ${policies.length} policies`);
    const l = locks[0]?.inputs;
    return {
      region: v.inputs.region ?? this.region,
      lock: lockMode(l && { min: l.minRetentionDays, max: l.maxRetentionDays, changeable: l.changeableForDays }),
      keyRotation: keys[0].inputs.enableKeyRotation === true,
      deniedActions: deniedToAll(JSON.parse(policies[0].inputs.policy)),
    };
  }
}

// ---------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  readonly name: string;
  readonly objective: RecoveryObjective;
  readonly region: string;
  readonly secondaryRegion?: string;
  readonly backupAccount?: string;
  /** Resource kinds in the stack, in construct order. */
  readonly kinds: ResourceKind[];
  /** What the fixture exercises (checked on the normalized shape, so it cannot drift into a duplicate). */
  readonly expect: (n: Normalized) => void;
}

const FIXTURES: Fixture[] = [
  {
    name: 'local daily, table and bucket, no lock',
    objective: RecoveryObjective.of({
      name: 'local daily', rpo: Period.hours(24), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    }),
    region: 'us-east-1',
    kinds: [ResourceKind.DYNAMODB_TABLE, ResourceKind.S3_BUCKET],
    expect: n => {
      expect(n.vault.lock.mode).toBe('none');
      expect(n.copyVaults).toEqual([]);
      expect(n.restoreTesting.schedule).toBe('cron(0 9 ? * WED *)');
      expect(n.framework.map(c => c.name)).not.toContain('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK');
    },
  },
  {
    name: 'regional governance, table, bucket and volume',
    objective: RecoveryObjective.of({
      name: 'regional governance',
      rpo: Period.hours(12),
      rto: Period.hours(4),
      retention: Retention.of({ daily: 30, monthly: 12 }),
      immutability: Immutability.GOVERNANCE,
    }),
    region: 'us-east-1',
    secondaryRegion: 'us-west-2',
    kinds: [ResourceKind.DYNAMODB_TABLE, ResourceKind.S3_BUCKET, ResourceKind.EBS_VOLUME],
    expect: n => {
      expect(n.vault.lock.mode).toBe('governance');
      expect(n.copyVaults.map(v => v.region)).toEqual(['us-west-2']);
      expect(n.rules.some(r => r.moveToColdStorageAfterDays !== undefined)).toBe(true);
      expect(n.restoreTesting.selections.map(s => s.type)).toEqual(['DynamoDB', 'EBS', 'S3']);
    },
  },
  {
    name: 'every disruption, compliance, volume and bucket, monthly tests',
    objective: RecoveryObjective.of({
      name: 'everything',
      rpo: Period.hours(30),
      rto: Period.days(2),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
      retention: Retention.of({ pointInTime: Period.days(10), daily: 14, weekly: 8, yearly: 1 }),
      immutability: Immutability.COMPLIANCE,
    }),
    region: 'eu-west-1',
    secondaryRegion: 'eu-central-1',
    backupAccount: '210987654321',
    kinds: [ResourceKind.EBS_VOLUME, ResourceKind.S3_BUCKET],
    expect: n => {
      expect(n.vault.lock.mode).toBe('compliance');
      expect(n.rules[0].copies.map((c: any) => c.target)).toEqual(['region', 'account']);
      expect(n.restoreTesting.schedule).toBe('cron(0 9 8 * ? *)');
      expect(n.restoreTesting.selectionWindowDays).toBe(2);
      expect(n.framework.map(c => c.name)).toContain('BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT');
    },
  },
  {
    name: 'hourly-ish local with per-disruption RTO in minutes, volume only',
    objective: RecoveryObjective.of({
      name: 'tight local',
      rpo: Period.hours(3),
      rto: Period.minutes(90),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
      retention: Retention.of({ pointInTime: Period.days(3), daily: 7 }),
    }),
    region: 'us-east-2',
    kinds: [ResourceKind.EBS_VOLUME],
    expect: n => {
      expect(n.rules.map(r => r.name)).toContain('Every2h');
      expect(n.framework.find(c => c.name === 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')!.parameters).toEqual([{ name: 'maxRestoreTime', value: '90' }]);
      expect(n.framework.find(c => c.name === 'BACKUP_LAST_RECOVERY_POINT_CREATED')!.parameters).toEqual([
        // Every 2 hours, plus the 1-hour start window and the 2-hour completion window of the next job.
        { name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '5' },
      ]);
    },
  },
];

function cdkOf(f: Fixture): Normalized {
  const app = testApp();
  const stack = new Stack(app, `Parity${FIXTURES.indexOf(f)}`, { env: { account: ACCOUNT, region: f.region } });
  f.kinds.forEach((kind, i) => {
    switch (kind) {
      case ResourceKind.DYNAMODB_TABLE:
        new dynamodb.Table(stack, `Table${i}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
        break;
      case ResourceKind.S3_BUCKET:
        new s3.Bucket(stack, `Bucket${i}`, { versioned: true, enforceSSL: true });
        break;
      case ResourceKind.EBS_VOLUME:
        // A customer managed key: copies to a backup account keep it (an AWS managed key is refused, DRK120).
        new ec2.CfnVolume(stack, `Volume${i}`, {
          availabilityZone: Fn.select(0, Fn.getAzs()),
          size: 10,
          encrypted: true,
          kmsKeyId: f.backupAccount ? 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' : undefined,
        });
        break;
      default:
        throw new Error(`no CDK fixture for ${kind}`);
    }
  });
  new ProtectedScope(stack, 'Protect', { objective: f.objective, secondaryRegion: f.secondaryRegion, backupAccount: f.backupAccount });
  return new CdkSide(app, stack).normalize();
}

async function pulumiOf(f: Fixture): Promise<Normalized> {
  rec.clear();
  new pulumiAws.BackupFoundation('parity', {
    objective: f.objective,
    region: f.region,
    secondaryRegion: f.secondaryRegion,
    backupAccount: f.backupAccount,
    resources: f.kinds.map((kind, i) => ({ name: `r${i}`, arn: `arn:aws:x:${f.region}:${ACCOUNT}:r${i}`, kind })),
  });
  await settle();
  return new PulumiSide(rec.registrations, f.region).normalize();
}

let spies: jest.SpyInstance[] = [];
beforeEach(() => {
  spies = [jest.spyOn(pulumiLog, 'warn'), jest.spyOn(pulumiLog, 'info')].map(s => s.mockImplementation(() => Promise.resolve()));
});
afterEach(async () => {
  await settle();
  for (const s of spies) s.mockRestore();
});

describe('backup foundation parity (CDK ProtectedScope vs Pulumi BackupFoundation)', () => {
  test.each(FIXTURES.map(f => [f.name, f] as const))('GIVEN %s WHEN rendered by both engines THEN the normalized foundations are equal', async (_name, f) => {
    const cdk = cdkOf(f);
    const pulumi = await pulumiOf(f);
    f.expect(cdk);
    expect(pulumi).toEqual(cdk);
    // Both deny deleting recovery points, rotate the vault keys, and select every resource.
    expect(cdk.vault.deniedActions).toEqual(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle']);
    expect(cdk.vault.keyRotation).toBe(true);
    expect(cdk.selectedResources).toBe(f.kinds.length);
    expect(cdk.notifications.topicEncrypted).toBe(true);
    expect(cdk.notifications.rules).toHaveLength(3);
    expect(cdk.notifications.rules.every(r => r.targetsTopic)).toBe(true);
  });

  test('GIVEN the normalizer WHEN the Pulumi side differs in one control parameter THEN the comparison fails', async () => {
    const f = FIXTURES[1];
    const cdk = cdkOf(f);
    const pulumi = await pulumiOf(f);
    const changed = JSON.parse(JSON.stringify(pulumi));
    changed.framework[0].parameters[1].value = '13';
    expect(changed).not.toEqual(cdk);
  });
});
