import * as fs from 'fs';
import * as path from 'path';
import { Facts } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle } from '../objective';
import { ORG_OBJECTIVES_METADATA } from '../org/policy';
import { OrganizationPreconditions } from '../org/preconditions';
import { BackupPolicyReader } from '../org/read';
import { ORG_POLICY_METADATA } from '../org-coverage';
import { formatSeconds } from '../period';
import { CfnResource, literal, tagsOf } from './cfn';
import { scheduleIntervalSeconds } from './schedule';
import { StackTemplate } from '../report/types';

/**
 * AWS Organizations backup policies, read for the report (`drkit report --org-policy`): the
 * documented "Backup policy syntax" (plans -> rules, regions, selections.tags; `@@assign`
 * operators; copy actions keyed by vault ARN with `$account` / `$region`), an effective policy as
 * `aws organizations describe-effective-policy` returns it (operators already applied), the output
 * of `aws organizations describe-policy`, or a cloud assembly holding an `AWS::Organizations::Policy`
 * of type BACKUP_POLICY. The policy's plans become the same internal model as an
 * `AWS::Backup::BackupPlan` of a template (one plan per member account and region of the assessed
 * stacks), so the per-resource evaluators count its rules for the resources it selects by tag.
 */

/** Source of the backup policy syntax. */
export const ORG_POLICY_SYNTAX_SOURCE = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html';

/** A copy action of a rule of an organization backup policy. */
export interface OrgBackupCopyInfo {
  /** Destination vault ARN as written (with `$account` / `$region` variables). */
  readonly vaultArn: string;
  /**
   * Days the copy is kept.
   * @default - kept until deleted
   */
  readonly deleteAfterDays?: number;
  /**
   * Days before the copy moves to cold storage.
   * @default - never
   */
  readonly moveToColdStorageAfterDays?: number;
}

/** A rule of a plan of an organization backup policy. */
export interface OrgBackupRuleInfo {
  /** Rule name (its key in `rules`). */
  readonly name: string;
  /** `schedule_expression`. */
  readonly schedule: string;
  /**
   * `start_backup_window_minutes`.
   * @default - AWS Backup's default
   */
  readonly startWindowMinutes?: number;
  /**
   * `complete_backup_window_minutes`.
   * @default - AWS Backup's default
   */
  readonly completionWindowMinutes?: number;
  /**
   * `lifecycle.delete_after_days`.
   * @default - kept until deleted
   */
  readonly deleteAfterDays?: number;
  /**
   * `lifecycle.move_to_cold_storage_after_days`.
   * @default - never
   */
  readonly moveToColdStorageAfterDays?: number;
  /** `enable_continuous_backup`. */
  readonly continuous: boolean;
  /** `target_backup_vault_name`: the vault that must exist in every member account and region. */
  readonly targetVault: string;
  /** `copy_actions`. */
  readonly copies: OrgBackupCopyInfo[];
}

/** A tag selection of a plan of an organization backup policy. */
export interface OrgBackupSelectionInfo {
  /** Selection name (its key in `selections.tags`). */
  readonly name: string;
  /** `tag_key`. */
  readonly tagKey: string;
  /** `tag_value` (any of them). */
  readonly tagValues: string[];
  /**
   * `iam_role_arn`.
   * @default - none given (the policy is then incomplete)
   */
  readonly iamRoleArn?: string;
}

/** A plan of an organization backup policy. */
export interface OrgBackupPlanInfo {
  /** Plan name (its key in `plans`). */
  readonly name: string;
  /** The policy the plan comes from. */
  readonly policy: string;
  /** `regions`: the plan is created in each member account in these regions. */
  readonly regions: string[];
  /** `rules`. */
  readonly rules: OrgBackupRuleInfo[];
  /** `selections.tags`. */
  readonly selections: OrgBackupSelectionInfo[];
  /** Parts of the plan drkit does not read (other selection kinds, unknown keys), for the report. */
  readonly notRead: string[];
  /**
   * The objective the plan was rendered from (`RecoveryObjective.toJson()`), from the policy
   * resource's `drkit:org-objectives` metadata (drkit's `OrganizationBackupPolicy`).
   * @default - not known (a policy file)
   */
  readonly objective?: any;
}

/** A vault found next to the policy (in the same cloud assembly): the member baseline's or the central account's. */
export interface OrgVaultInfo {
  /** Vault name. */
  readonly name: string;
  /**
   * Account (the central account's stack); undefined in a StackSet template (every member account).
   * @default - every member account
   */
  readonly account?: string;
  /**
   * Region.
   * @default - every region the template is deployed to
   */
  readonly region?: string;
  /** `none`, `governance` or `compliance` (a logically air-gapped vault is always compliance). */
  readonly lock: string;
  /** Whether it is a logically air-gapped vault. */
  readonly airGapped: boolean;
  /** Whether it is encrypted with a customer managed key. */
  readonly customerKey: boolean;
  /** Where it was found (template path). */
  readonly foundIn: string;
  /**
   * Vault Lock minimum retention in days.
   * @default - no lock
   */
  readonly minRetentionDays?: number;
}

/**
 * The AWS Organizations backup policy (or policies) that back up the resources of an
 * application, as the report reads it. See `EffectiveBackupPolicy.fromPath`.
 */
export class EffectiveBackupPolicy {
  /**
   * Reads a policy from a path: a policy JSON file (the policy as written, an effective policy from
   * `aws organizations describe-effective-policy`, or `aws organizations describe-policy` output), a
   * CloudFormation template, or a cloud assembly (`cdk.out`) holding an `AWS::Organizations::Policy`
   * of type `BACKUP_POLICY` (with the vaults of the member baseline and central account found there).
   */
  public static fromPath(p: string): EffectiveBackupPolicy {
    if (!fs.existsSync(p)) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT, `--org-policy ${p} does not exist: give a backup policy JSON file, an effective policy (aws organizations describe-effective-policy --policy-type BACKUP_POLICY > policy.json) or the management app's cdk.out`);
    }
    if (fs.statSync(p).isDirectory()) return readAssemblyPolicy(p);
    const doc = readJson(p);
    if (doc && typeof doc === 'object' && doc.Resources && typeof doc.Resources === 'object') {
      return fromTemplates([{ template: doc, path: p }], p);
    }
    return EffectiveBackupPolicy.fromJson(doc, p);
  }

  /** A policy from its JSON document (see `fromPath` for the accepted forms). */
  public static fromJson(document: any, source?: string): EffectiveBackupPolicy {
    const where = source ?? 'the organization policy';
    const { content, name } = policyContent(document, where);
    return newPolicy(where, parsePlans(content, name, where), []);
  }

  /** Where the policy was read from. */
  public readonly source: string;
  /** The plans of the policy (of every policy, when the input holds several). */
  public readonly plans: OrgBackupPlanInfo[];
  /** Vaults found with the policy (member baseline, central account); empty for a bare policy file. */
  public readonly vaults: OrgVaultInfo[];

  private constructor(source: string, plans: OrgBackupPlanInfo[], vaults: OrgVaultInfo[]) {
    this.source = source;
    this.plans = plans;
    this.vaults = vaults;
  }
}

/** The JSON of a file, or a DRK107 error. */
function readJson(p: string): any {
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (e: any) {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT, `--org-policy ${p} cannot be read: ${e?.message ?? e}`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT,
      `--org-policy ${p} is not valid JSON (${e?.message ?? e}): a backup policy is a JSON document (${ORG_POLICY_SYNTAX_SOURCE})`);
  }
}

/** The policy content (`{ plans }`) and name of the accepted document forms. */
function policyContent(doc: any, where: string): { content: any; name: string } {
  const parse = (text: any, what: string) => {
    if (typeof text !== 'string') return text;
    try {
      return JSON.parse(text);
    } catch (e: any) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT, `${what} of ${where} is not valid JSON (${e?.message ?? e})`);
    }
  };
  if (doc?.EffectivePolicy) {
    const e = doc.EffectivePolicy;
    if (e.PolicyType !== undefined && e.PolicyType !== 'BACKUP_POLICY') {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT, `${where} is an effective policy of type ${e.PolicyType}, not BACKUP_POLICY: run aws organizations describe-effective-policy --policy-type BACKUP_POLICY --target-id <member account id>`);
    }
    return { content: parse(e.PolicyContent, 'EffectivePolicy.PolicyContent'), name: `effective policy of ${e.TargetId ?? 'the account'}` };
  }
  if (doc?.Policy?.Content !== undefined) {
    const type = doc.Policy.PolicySummary?.Type;
    if (type !== undefined && type !== 'BACKUP_POLICY') {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT, `${where} is a policy of type ${type}, not BACKUP_POLICY`);
    }
    return { content: parse(doc.Policy.Content, 'Policy.Content'), name: doc.Policy.PolicySummary?.Name ?? 'backup policy' };
  }
  if (doc && typeof doc === 'object' && doc.plans !== undefined) return { content: doc, name: path.basename(where).replace(/\.json$/i, '') };
  throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT,
    `${where} is not an AWS Organizations backup policy: give the policy JSON (an object with "plans", ${ORG_POLICY_SYNTAX_SOURCE}), the output of aws organizations describe-effective-policy --policy-type BACKUP_POLICY (EffectivePolicy.PolicyContent) or of describe-policy, or a cdk.out holding an AWS::Organizations::Policy of type BACKUP_POLICY`);
}

/** A value with its value-setting operator applied (`@@assign`, `@@append`); `@@remove` gives undefined. */
function val(v: any): any {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if ('@@assign' in v) return v['@@assign'];
    if ('@@append' in v) return v['@@append'];
    if ('@@remove' in v) return undefined;
  }
  return v;
}

/** The keys of an object that are not operators (`@@operators_allowed_for_child_policies`, ...). */
function entries(v: any): Array<[string, any]> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v).filter(([k]) => !k.startsWith('@@'));
}

function numberOf(v: any, what: string, where: string): number | undefined {
  const x = val(v);
  if (x === undefined || x === null) return undefined;
  const n = typeof x === 'number' ? x : typeof x === 'string' && /^\d+$/.test(x.trim()) ? Number(x) : NaN;
  if (!Number.isFinite(n)) {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_MALFORMED, `${what} of ${where} is ${JSON.stringify(x)}, not a whole number (${ORG_POLICY_SYNTAX_SOURCE})`);
  }
  return n;
}

function lifecycleOf(v: any, where: string): { deleteAfterDays?: number; moveToColdStorageAfterDays?: number } {
  const l = val(v) ?? {};
  return {
    deleteAfterDays: numberOf(l.delete_after_days, 'lifecycle.delete_after_days', where),
    moveToColdStorageAfterDays: numberOf(l.move_to_cold_storage_after_days, 'lifecycle.move_to_cold_storage_after_days', where),
  };
}

const PLAN_KEYS = ['rules', 'regions', 'selections', 'advanced_backup_settings', 'backup_plan_tags'];

/**
 * The plans of a policy document: read by `BackupPolicyReader` (the reader the planner's parity
 * tests use), after checking what the reader leaves silent (a rule without its vault, a selection
 * without its tag, a window or lifecycle that is not a number): the report refuses those (DRK108)
 * rather than assessing half a policy.
 */
function parsePlans(content: any, policy: string, where: string, objectives: { [plan: string]: any } = {}): OrgBackupPlanInfo[] {
  if (!content || typeof content !== 'object' || !content.plans || typeof content.plans !== 'object') {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_MALFORMED, `${where} has no "plans" object: a backup policy lists its plans under "plans" (${ORG_POLICY_SYNTAX_SOURCE})`);
  }
  const notRead = new Map<string, string[]>();
  for (const [name, plan] of entries(content.plans)) {
    const at = `plan ${name} of ${where}`;
    const skipped: string[] = entries(plan).map(([k]) => k).filter(k => !PLAN_KEYS.includes(k)).map(k => `plans.${name}.${k}`);
    for (const [ruleName, rule] of entries(plan.rules)) {
      const rat = `rule ${ruleName} of ${at}`;
      if (literal(val(rule.target_backup_vault_name)) === undefined) {
        throw new DrkitError(DrkitErrorCode.ORG_POLICY_MALFORMED,
          `${rat} has no target_backup_vault_name: every rule names the vault (which must exist in every member account and region) that receives its backups (${ORG_POLICY_SYNTAX_SOURCE})`);
      }
      numberOf(rule.start_backup_window_minutes, 'start_backup_window_minutes', rat);
      numberOf(rule.complete_backup_window_minutes, 'complete_backup_window_minutes', rat);
      lifecycleOf(rule.lifecycle, rat);
      for (const [key, copy] of entries(rule.copy_actions)) lifecycleOf(copy?.lifecycle, `copy action ${key} of ${rat}`);
    }
    for (const [kind, group] of entries(plan.selections)) {
      if (kind !== 'tags') {
        skipped.push(`plans.${name}.selections.${kind}`);
        continue;
      }
      for (const [selName, sel] of entries(group)) {
        const key = literal(val(sel?.tag_key));
        const value = val(sel?.tag_value);
        const values = (Array.isArray(value) ? value : [value]).map(literal).filter((x): x is string => x !== undefined);
        if (key === undefined || values.length === 0) {
          throw new DrkitError(DrkitErrorCode.ORG_POLICY_MALFORMED,
            `tag selection ${selName} of ${at} needs tag_key and tag_value (${ORG_POLICY_SYNTAX_SOURCE}), but got ${JSON.stringify({ tag_key: key ?? null, tag_value: value ?? null })}`);
        }
      }
    }
    notRead.set(name, skipped);
  }
  return BackupPolicyReader.plans(content).map(p => ({
    name: p.name,
    policy,
    regions: p.regions,
    rules: p.rules.map(r => ({
      name: r.name,
      schedule: r.scheduleExpression,
      startWindowMinutes: r.startWindowMinutes,
      completionWindowMinutes: r.completionWindowMinutes,
      deleteAfterDays: r.deleteAfterDays,
      moveToColdStorageAfterDays: r.moveToColdStorageAfterDays,
      continuous: r.continuous,
      targetVault: r.vaultName,
      copies: r.copies.map(c => ({
        vaultArn: c.vaultArn,
        deleteAfterDays: c.deleteAfterDays,
        moveToColdStorageAfterDays: c.moveToColdStorageAfterDays,
      })),
    })),
    selections: p.selections.map(sel => ({ name: sel.id, tagKey: sel.tagKey, tagValues: sel.tagValues, iamRoleArn: sel.iamRoleArn || undefined })),
    notRead: notRead.get(p.name) ?? [],
    ...(objectives[p.name] !== undefined ? { objective: objectives[p.name] } : {}),
  }));
}

/** Templates of a cloud assembly (every JSON file with `Resources`, StackSet templates kept as assets included), with the stacks' environments. */
function readAssemblyPolicy(dir: string): EffectiveBackupPolicy {
  const manifestPath = path.join(dir, 'manifest.json');
  const env = new Map<string, { account?: string; region?: string }>();
  if (fs.existsSync(manifestPath)) {
    const manifest = readJson(manifestPath);
    for (const a of Object.values<any>(manifest.artifacts ?? {})) {
      if (a?.type !== 'aws:cloudformation:stack' || !a.properties?.templateFile) continue;
      const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(String(a.environment ?? ''));
      const concrete = (x?: string) => (x && !x.startsWith('unknown-') ? x : undefined);
      env.set(a.properties.templateFile, { account: concrete(m?.[1]), region: concrete(m?.[2]) });
    }
  }
  const files: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const f of fs.readdirSync(d).sort()) {
      const full = path.join(d, f);
      if (fs.statSync(full).isDirectory()) {
        if (depth < 2 && f !== 'node_modules') walk(full, depth + 1);
      } else if (/\.json$/i.test(f) && !/(^manifest|\.assets|\.metadata|^tree|^drkit-report|^validation-report)/i.test(f) && fs.statSync(full).size < 5_000_000) {
        files.push(full);
      }
    }
  };
  walk(dir, 0);
  const templates: Array<{ template: any; path: string; account?: string; region?: string }> = [];
  for (const f of files) {
    let doc: any;
    try {
      doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch {
      continue;
    }
    if (!doc || typeof doc !== 'object' || !doc.Resources || typeof doc.Resources !== 'object') continue;
    templates.push({ template: doc, path: f, ...(env.get(path.relative(dir, f)) ?? {}) });
  }
  return fromTemplates(templates, dir);
}

function fromTemplates(templates: Array<{ template: any; path: string; account?: string; region?: string }>, source: string): EffectiveBackupPolicy {
  const plans: OrgBackupPlanInfo[] = [];
  const vaults: OrgVaultInfo[] = [];
  const inline: Array<{ template: any; path: string }> = [];
  for (const t of templates) {
    for (const [logicalId, r] of Object.entries<any>(t.template.Resources)) {
      const p = r?.Properties ?? {};
      if (r?.Type === 'AWS::Organizations::Policy' && literal(p.Type) === 'BACKUP_POLICY') {
        const name = literal(p.Name) ?? logicalId;
        const where = `${name} (${path.basename(t.path)} ${logicalId})`;
        let content = p.Content;
        if (typeof content === 'string') content = policyContent(JSON.parse(content), where).content;
        const objectives = r.Metadata?.[ORG_OBJECTIVES_METADATA];
        plans.push(...parsePlans(content, name, where, objectives && typeof objectives === 'object' ? objectives : {}));
      } else if (r?.Type === 'AWS::CloudFormation::StackSet' && p.TemplateBody !== undefined) {
        try {
          const body = typeof p.TemplateBody === 'string' ? JSON.parse(p.TemplateBody) : p.TemplateBody;
          if (body?.Resources) inline.push({ template: body, path: `${t.path} ${logicalId}` });
        } catch {
          // a YAML body: its vaults are not read
        }
      }
    }
  }
  for (const t of [...templates, ...inline]) {
    const own = t as { account?: string; region?: string };
    for (const r of Object.values<any>(t.template.Resources)) {
      if (r?.Type !== 'AWS::Backup::BackupVault' && r?.Type !== 'AWS::Backup::LogicallyAirGappedBackupVault') continue;
      const p = r.Properties ?? {};
      const name = literal(p.BackupVaultName);
      if (name === undefined) continue;
      const airGapped = r.Type === 'AWS::Backup::LogicallyAirGappedBackupVault';
      const lc = p.LockConfiguration;
      vaults.push({
        name,
        account: own.account,
        region: own.region,
        lock: airGapped ? 'compliance' : lc ? (lc.ChangeableForDays !== undefined ? 'compliance' : 'governance') : 'none',
        airGapped,
        customerKey: p.EncryptionKeyArn !== undefined,
        foundIn: t.path,
        minRetentionDays: airGapped ? numberLiteral(p.MinRetentionDays) : numberLiteral(lc?.MinRetentionDays),
      });
    }
  }
  if (plans.length === 0) {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_INPUT,
      `${source} holds no AWS::Organizations::Policy of type BACKUP_POLICY: give the management app's cdk.out (with drkit's OrganizationBackupPolicy), or the policy JSON`);
  }
  return newPolicy(source, plans, vaults);
}

function numberLiteral(v: any): number | undefined {
  const l = literal(v);
  return l !== undefined && /^\d+$/.test(l) ? Number(l) : undefined;
}

function newPolicy(source: string, plans: OrgBackupPlanInfo[], vaults: OrgVaultInfo[]): EffectiveBackupPolicy {
  // The constructor is private to the public API; the readers of this module build the policy.
  const P: any = EffectiveBackupPolicy;
  return new P(source, plans, vaults);
}

/** Where a copy action's ARN points, for a member account and region (`$account` / `$region` substituted). */
interface CopyTarget {
  readonly region?: string;
  /** undefined: the member account itself (`$account`). */
  readonly account?: string;
  readonly name?: string;
}

function copyTarget(arn: string, region: string): CopyTarget {
  const m = /^arn:[^:]*:backup:([^:]*):([^:]*):backup-vault:(.*)$/.exec(arn);
  if (!m) return {};
  return {
    region: m[1] === '$region' ? region : m[1],
    account: m[2] === '$account' ? undefined : m[2],
    name: m[3],
  };
}

/** The vault found with the policy for a name, account (undefined: a member account) and region. */
function vaultFor(policy: EffectiveBackupPolicy, name: string | undefined, account: string | undefined,
  region: string | undefined): OrgVaultInfo | undefined {
  if (name === undefined) return undefined;
  const candidates = policy.vaults.filter(v => v.name === name);
  const exact = candidates.find(v => account !== undefined && v.account === account && (v.region === undefined || v.region === region));
  if (exact) return exact;
  // A member's own vault: from a StackSet template (no account) deployed to every member account.
  return candidates.find(v => account === undefined && v.account === undefined);
}

/** The CloudFormation properties of a synthetic vault standing for one the policy names. */
function vaultResource(v: OrgVaultInfo | undefined, name: string): { type: string; properties: any } {
  const known = v ? `vault ${name} (${v.foundIn})` : undefined;
  if (v?.airGapped) {
    return { type: 'AWS::Backup::LogicallyAirGappedBackupVault', properties: { BackupVaultName: name, MinRetentionDays: v.minRetentionDays } };
  }
  return {
    type: 'AWS::Backup::BackupVault',
    properties: {
      BackupVaultName: name,
      ...(v?.lock === 'compliance' ? { LockConfiguration: { MinRetentionDays: v.minRetentionDays ?? 1, ChangeableForDays: 3 } } : {}),
      ...(v?.lock === 'governance' ? { LockConfiguration: { MinRetentionDays: v.minRetentionDays ?? 1 } } : {}),
      EncryptionKeyArn: v ? (v.customerKey ? `customer managed key of ${known}` : undefined)
        : `not known: vault ${name} is created outside the application (the member baseline)`,
    },
  };
}

/** The stack name that stands for a policy plan in one member account and region. */
export function orgPlanStackName(plan: OrgBackupPlanInfo, region: string, account: string | undefined): string {
  return `org-policy:${plan.policy}/${plan.name}/${account ?? 'member account'}/${region}`;
}

/**
 * The policy's plans as CloudFormation backup resources (vaults, plans, tag selections) in each
 * account and region of `stacks` that a plan covers: what AWS Backup creates there from the
 * effective policy. Selections carry `drkit:org-scope`, so they pick resources of their own
 * account and region only.
 */
export function orgPolicyResources(policy: EffectiveBackupPolicy, stacks: StackTemplate[], defaultRegion?: string): CfnResource[] {
  const out: CfnResource[] = [];
  const places = new Map<string, { region: string; account?: string }>();
  for (const s of stacks) {
    const region = s.region ?? defaultRegion;
    if (region === undefined) continue;
    places.set(`${region}|${s.account ?? ''}`, { region, account: s.account });
  }
  for (const plan of policy.plans) {
    for (const { region, account } of [...places.values()].sort((a, b) => (a.region + (a.account ?? '') < b.region + (b.account ?? '') ? -1 : 1))) {
      if (!plan.regions.includes(region)) continue;
      const stackName = orgPlanStackName(plan, region, account);
      const base = { stackName, region, account, metadata: {} };
      const vaultIds = new Map<string, string>();
      const addVault = (name: string, vRegion: string | undefined, vAccount: string | undefined) => {
        const key = `${name}|${vRegion ?? ''}|${vAccount ?? ''}`;
        if (vaultIds.has(key)) return vaultIds.get(key)!;
        const id = `Vault${vaultIds.size}`;
        vaultIds.set(key, id);
        const v = vaultResource(vaultFor(policy, name, vAccount === account ? undefined : vAccount, vRegion), name);
        out.push({ ...base, logicalId: id, type: v.type, properties: v.properties, region: vRegion, account: vAccount ?? account });
        return id;
      };
      const rules = plan.rules.map(rule => {
        const vault = addVault(rule.targetVault, region, undefined);
        return {
          RuleName: rule.name,
          ScheduleExpression: rule.schedule,
          StartWindowMinutes: rule.startWindowMinutes,
          CompletionWindowMinutes: rule.completionWindowMinutes,
          EnableContinuousBackup: rule.continuous,
          TargetBackupVault: { Ref: vault },
          Lifecycle: { DeleteAfterDays: rule.deleteAfterDays, MoveToColdStorageAfterDays: rule.moveToColdStorageAfterDays },
          CopyActions: rule.copies.map(c => {
            const t = copyTarget(c.vaultArn, region);
            if (t.name !== undefined && t.region !== undefined) addVault(t.name, t.region, t.account);
            const arn = t.name !== undefined && t.region !== undefined
              ? (t.account ?? account) !== undefined
                ? `arn:aws:backup:${t.region}:${t.account ?? account}:backup-vault:${t.name}`
                : { 'Fn::Sub': `arn:\${AWS::Partition}:backup:${t.region}:\${AWS::AccountId}:backup-vault:${t.name}` }
              : c.vaultArn;
            return {
              DestinationBackupVaultArn: arn,
              Lifecycle: { DeleteAfterDays: c.deleteAfterDays, MoveToColdStorageAfterDays: c.moveToColdStorageAfterDays },
            };
          }),
        };
      });
      out.push({
        ...base,
        logicalId: 'Plan',
        type: 'AWS::Backup::BackupPlan',
        properties: { BackupPlan: { BackupPlanName: `${plan.name} (organization policy ${plan.policy})`, BackupPlanRule: rules } },
      });
      plan.selections.forEach((sel, i) => {
        out.push({
          ...base,
          logicalId: `Selection${i}`,
          type: 'AWS::Backup::BackupSelection',
          metadata: { 'drkit:org-scope': { region, account } },
          properties: {
            BackupPlanId: { Ref: 'Plan' },
            BackupSelection: {
              SelectionName: `${sel.name} (tag ${sel.tagKey} = ${sel.tagValues.join(' | ')})`,
              IamRoleArn: sel.iamRoleArn,
              ListOfTags: sel.tagValues.map(v => ({ ConditionType: 'STRINGEQUALS', ConditionKey: sel.tagKey, ConditionValue: v })),
            },
          },
        });
      });
    }
  }
  return out;
}

/** Tags of a resource as the policy sees them (a global table: the replica in the resource's region). */
export function resourceTags(r: CfnResource): { [key: string]: string } {
  const p = r.properties ?? {};
  if (r.type === 'AWS::DynamoDB::GlobalTable' && Array.isArray(p.Replicas)) {
    const own = p.Replicas.find((x: any) => literal(x?.Region) === r.region) ?? p.Replicas[0];
    return tagsOf(own?.Tags);
  }
  return tagsOf(p.Tags);
}

/** Plans of the policy whose selections pick a resource with these tags, in its region. */
export function orgPlansSelecting(policy: EffectiveBackupPolicy, r: CfnResource): OrgBackupPlanInfo[] {
  const tags = resourceTags(r);
  return policy.plans.filter(p => (r.region === undefined || p.regions.includes(r.region))
    && p.selections.some(s => tags[s.tagKey] !== undefined && s.tagValues.includes(tags[s.tagKey])));
}

/**
 * The one-time settings outside any template that the organization's backups need, with their
 * commands (from `OrganizationPreconditions`, the list the README and the constructs use), and
 * what the policy needs in every member account.
 */
export function orgPreconditions(policy: EffectiveBackupPolicy, plans: OrgBackupPlanInfo[] = policy.plans): string[] {
  const crossAccount = plans.some(p => p.rules.some(r => r.copies.some(c => copyTarget(c.vaultArn, '').account !== undefined)));
  const out = OrganizationPreconditions.list({ crossAccountCopies: crossAccount })
    .filter(p => p.id !== 'stacksets-trusted-access')
    .map(p => `${p.title} (${p.account} account, once): ${p.command} (${p.source})`);
  out.push('the policy attached to this account or one of its OUs (check: aws organizations describe-effective-policy --policy-type BACKUP_POLICY --target-id <account id>)');
  const vaults = [...new Set(plans.flatMap(p => p.rules.map(r => r.targetVault)))].sort();
  const roles = [...new Set(plans.flatMap(p => p.selections.map(s => s.iamRoleArn).filter((x): x is string => x !== undefined)))].sort();
  out.push(`in every member account and region of the plans: the vault${vaults.length === 1 ? '' : 's'} ${vaults.join(', ')}${roles.length ? ` and the role ${roles.join(', ')}` : ''} (the member baseline StackSet): AWS Backup does not create them, and a plan whose vault or role is missing fails (${ORG_POLICY_SYNTAX_SOURCE})`);
  return out;
}

/** What one plan of the policy gives against one disruption, on its own. */
interface OrgDisruptionCoverage {
  readonly disruption: string;
  readonly title: string;
  /** Whether the policy alone covers it. */
  readonly covered: boolean;
  /** The shortest worst case of the rules that cover it, in seconds (a lower bound for copies). */
  readonly rpoSeconds?: number;
  /** How it is covered, or what is missing. */
  readonly basis: string;
}

/** The policy assessed on its own: per plan its rules, copies, locks and what it covers. */
export function assessOrgPolicy(policy: EffectiveBackupPolicy): any {
  const findings: string[] = [];
  const plans = policy.plans.map(plan => {
    const rules = plan.rules.map(rule => {
      // A continuous rule restores S3, RDS and Aurora to a point in time; other types get snapshots on its schedule.
      const interval = scheduleIntervalSeconds(rule.schedule);
      const start = rule.startWindowMinutes ?? Facts.BACKUP_DEFAULT_START_WINDOW.toMinutes();
      const region = plan.regions[0] ?? '$region';
      const target = vaultFor(policy, rule.targetVault, undefined, undefined);
      if (rule.moveToColdStorageAfterDays !== undefined && rule.deleteAfterDays !== undefined
        && rule.deleteAfterDays < rule.moveToColdStorageAfterDays + Facts.BACKUP_COLD_MIN_DAYS) {
        findings.push(`rule ${rule.name} of plan ${plan.name} deletes recovery points ${rule.deleteAfterDays} days after creation, but they move to cold storage after ${rule.moveToColdStorageAfterDays} days and must stay there ${Facts.BACKUP_COLD_MIN_DAYS} days (${Facts.BACKUP_PLAN_SOURCE}): AWS Backup refuses the plan`);
      }
      if (interval === undefined && !rule.continuous) findings.push(`rule ${rule.name} of plan ${plan.name} has a schedule drkit cannot read ("${rule.schedule}")`);
      return {
        name: rule.name,
        schedule: rule.schedule,
        intervalSeconds: interval,
        startWindowMinutes: start,
        completionWindowMinutes: rule.completionWindowMinutes,
        deleteAfterDays: rule.deleteAfterDays,
        moveToColdStorageAfterDays: rule.moveToColdStorageAfterDays,
        continuous: rule.continuous,
        targetVault: rule.targetVault,
        targetVaultLock: target ? target.lock : 'unknown',
        copies: rule.copies.map(c => {
          const t = copyTarget(c.vaultArn, region);
          const v = vaultFor(policy, t.name, t.account, t.region);
          const written = /^arn:[^:]*:backup:([^:]*):/.exec(c.vaultArn)?.[1];
          const offRegion = written !== undefined && written !== '$region' && plan.regions.some(r => r !== written);
          if (offRegion && plan.regions.includes(written) && t.account === undefined) {
            findings.push(`copies of rule ${rule.name} of plan ${plan.name} go to ${written}, which is also a region of the plan: recovery points made in ${written} are copied within their own region, which does not survive its outage`);
          }
          return {
            vaultArn: c.vaultArn,
            offRegion,
            offAccount: t.account !== undefined,
            airGapped: v?.airGapped ?? false,
            lock: v ? v.lock : 'unknown',
            deleteAfterDays: c.deleteAfterDays,
          };
        }),
      };
    });
    const worstOf = (rs: typeof rules) => {
      const w = rs.map(r => (r.intervalSeconds !== undefined ? r.intervalSeconds + r.startWindowMinutes * 60 : undefined))
        .filter((x): x is number => x !== undefined);
      return w.length ? Math.min(...w) : undefined;
    };
    const coverage = (d: Disruption, rs: typeof rules, by: string, missing: string): OrgDisruptionCoverage => {
      const rpo = worstOf(rs);
      return {
        disruption: d,
        title: disruptionTitle(d),
        covered: rs.length > 0,
        rpoSeconds: rpo,
        basis: rs.length > 0
          ? `${by} (${rs.map(r => r.name).join(', ')})${rpo !== undefined ? `; worst case at least ${formatSeconds(rpo)} (interval + start window)` : ''}`
            + (rs.some(r => r.continuous) && (d === Disruption.DATA_CORRUPTION || d === Disruption.AZ_OUTAGE)
              ? `; continuous rule ${rs.filter(r => r.continuous).map(r => r.name).join(', ')}: point-in-time recovery for S3, RDS and Aurora (${Facts.BACKUP_CONTINUOUS_S3_RPO.source}), snapshots on its schedule for other types` : '')
          : missing,
      };
    };
    const offRegionRules = rules.filter(r => r.copies.some(c => c.offRegion));
    const offAccountRules = rules.filter(r => r.copies.some(c => c.offAccount || c.airGapped));
    const disruptions = [
      coverage(Disruption.DATA_CORRUPTION, rules, 'recovery points kept in the member vault', 'no rule: nothing is backed up'),
      coverage(Disruption.AZ_OUTAGE, rules, 'recovery points in a regional vault survive an AZ outage', 'no rule: nothing is backed up'),
      coverage(Disruption.REGION_OUTAGE, offRegionRules, 'copies to another region',
        'needs more: no rule copies to another region (a copy_actions entry whose vault ARN names another region than $region)'),
      coverage(Disruption.ACCOUNT_COMPROMISE, offAccountRules, 'copies to another account (central backup account) or a logically air-gapped vault',
        'needs more: no rule copies to another account (a vault ARN with a literal account, such as the central backup account) or to a logically air-gapped vault'),
    ];
    for (const r of rules) {
      if (r.targetVaultLock === 'unknown') findings.push(`the lock of vault ${r.targetVault} (rule ${r.name} of plan ${plan.name}) is not known: it is created outside the policy (the member baseline); give the management app's cdk.out to --org-policy to read it`);
      for (const c of r.copies) {
        if (c.offAccount && c.lock !== 'compliance' && c.lock !== 'unknown') findings.push(`copies of rule ${r.name} of plan ${plan.name} go to ${c.vaultArn}, which is not locked in compliance mode (${c.lock}): whoever controls that account can delete them`);
      }
    }
    for (const n of plan.notRead) findings.push(`${n} is not read by drkit`);
    if (plan.selections.length === 0) findings.push(`plan ${plan.name} has no tag selection: it backs up nothing drkit can see`);
    if (plan.selections.some(s => s.iamRoleArn === undefined)) findings.push(`a selection of plan ${plan.name} has no iam_role_arn: the policy must name the IAM role AWS Backup assumes (${ORG_POLICY_SYNTAX_SOURCE})`);
    return {
      name: plan.name,
      policy: plan.policy,
      regions: plan.regions,
      selections: plan.selections.map(s => ({ name: s.name, tagKey: s.tagKey, tagValues: s.tagValues, iamRoleArn: s.iamRoleArn })),
      rules,
      disruptions,
    };
  });
  return { source: policy.source, plans, findings: [...new Set(findings)], preconditions: orgPreconditions(policy) };
}

/** The metadata of a resource in organization mode, if any. */
export function coveredByMetadata(r: CfnResource): any {
  return r.metadata?.[ORG_POLICY_METADATA];
}
