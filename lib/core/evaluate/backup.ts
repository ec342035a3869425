import { BoundKind, Fact, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { ORG_POLICY_METADATA } from '../org-coverage';
import { formatSeconds, Period } from '../period';
import {
  CfnResource, display, isKnown, isTrue, literal, num, parseVaultArn, placed, refsIn, refTarget, render, sh, shown,
  STACK_ACCOUNT, STACK_REGION, UNKNOWN, wildcardMatch,
} from './cfn';
import {
  BackupCopyInfo, BackupModel, BackupNotificationInfo, BackupPlanInfo, BackupRuleInfo, BackupSelectionInfo, BackupVaultInfo, Coverage,
  FrameworkControlInfo, FrameworkInfo, RecoveryTesting, RestorePointSet, RestoreTestingPlanInfo, RestoreTestingSelectionInfo, RunbookEntry,
} from './model';
import { KeptPoints } from './retention';
import { scheduleIntervalSeconds } from './schedule';

/** A plan that backs up a resource, and the selection that picks it. */
export interface PlanMatch {
  readonly plan: BackupPlanInfo;
  readonly selection: BackupSelectionInfo;
}

interface SelectionMatcher {
  readonly info: BackupSelectionInfo;
  readonly stackName: string;
  readonly stackRegion?: string;
  readonly stackAccount?: string;
  readonly logicalIds: string[];
  readonly patterns: string[];
  readonly notPatterns: string[];
  readonly listOfTags: Array<{ key: string; value: string }>;
  readonly conditions: Array<{ op: string; key: string; value: string }>;
  /** An organization policy's selection picks resources of its own account and region only. */
  readonly scope?: { region?: string; account?: string };
}

/** A restore testing plan, with what matching needs. */
interface TestingMatcher {
  readonly info: RestoreTestingPlanInfo;
  readonly stackRegion?: string;
  readonly stackAccount?: string;
  /** Vaults by `stack/logicalId` when referenced, else rendered ARN patterns. */
  readonly vaultKeys: string[];
  readonly vaultPatterns: string[];
  readonly selections: TestingSelectionMatcher[];
}

/** A restore testing selection, with what matching needs. */
interface TestingSelectionMatcher {
  readonly info: RestoreTestingSelectionInfo;
  /** `*`: every resource of the type. */
  readonly all: boolean;
  readonly logicalIds: string[];
  readonly patterns: string[];
  readonly tags: Array<{ op: string; key: string; value: string }>;
}

/** The vault types of AWS Backup. */
const VAULT_TYPES = ['AWS::Backup::BackupVault', 'AWS::Backup::LogicallyAirGappedBackupVault'];

/** AWS Backup's name for the protected resource type of a CloudFormation resource (restore testing, audit control scopes). */
export function protectedResourceType(r: CfnResource): string | undefined {
  switch (r.type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': return 'DynamoDB';
    case 'AWS::S3::Bucket': return 'S3';
    case 'AWS::RDS::DBInstance': return 'RDS';
    case 'AWS::RDS::DBCluster': return /^aurora/i.test(literal(r.properties?.Engine) ?? 'aurora') ? 'Aurora' : 'RDS';
    case 'AWS::EFS::FileSystem': return 'EFS';
    case 'AWS::EC2::Volume': return 'EBS';
    case 'AWS::EC2::Instance': return 'EC2';
    case 'AWS::FSx::FileSystem': return 'FSx';
    case 'AWS::DocDB::DBCluster': return 'DocumentDB';
    case 'AWS::Neptune::DBCluster': return 'Neptune';
    case 'AWS::Redshift::Cluster': return 'Redshift';
    default: return undefined;
  }
}

/** How often, for people, from a worst-case interval. */
export function frequencyText(seconds: number | undefined, schedule: string): string {
  if (seconds === undefined) return `schedule "${schedule}" not read`;
  if (seconds === 86400) return 'daily';
  if (seconds === 7 * 86400) return 'weekly';
  if (seconds >= 28 * 86400 && seconds <= 31 * 86400) return 'monthly';
  return `every ${formatSeconds(seconds)}`;
}

function strings(v: any): string[] {
  if (Array.isArray(v)) return v.map(literal).filter((x): x is string => x !== undefined);
  const l = literal(v);
  return l === undefined ? [] : [l];
}

/** Everything the per-resource evaluators need about backups. */
export class BackupIndex {
  public readonly model: BackupModel;
  private readonly matchers: SelectionMatcher[] = [];
  private readonly testing: TestingMatcher[] = [];
  private readonly vaultKeysByName = new Map<string, string>();
  private readonly tested = new Map<string, RecoveryTesting>();

  constructor(resources: CfnResource[]) {
    const vaults: BackupVaultInfo[] = [];
    for (const r of resources.filter(x => VAULT_TYPES.includes(x.type))) {
      const p = r.properties ?? {};
      const airGapped = r.type === 'AWS::Backup::LogicallyAirGappedBackupVault';
      // A logically air-gapped vault is always locked in compliance mode, with its own retention bounds.
      const lc = airGapped ? { MinRetentionDays: p.MinRetentionDays, MaxRetentionDays: p.MaxRetentionDays } : p.LockConfiguration;
      const changeable = airGapped ? undefined : num(lc?.ChangeableForDays);
      const key = p.EncryptionKeyArn;
      const keyRef = refTarget(key);
      vaults.push({
        keyOutsideAccount: keyOutsideAccount(key, airGapped, r.account),
        stackName: r.stackName,
        logicalId: r.logicalId,
        name: literal(p.BackupVaultName) ?? `<name of vault ${r.logicalId}>`,
        region: r.region,
        account: r.account,
        lock: airGapped ? 'compliance' : lc ? (changeable !== undefined ? 'compliance' : 'governance') : 'none',
        minRetentionDays: lc ? num(lc.MinRetentionDays) : undefined,
        maxRetentionDays: lc ? num(lc.MaxRetentionDays) : undefined,
        changeableForDays: changeable,
        encryptionKey: key !== undefined ? (keyRef ? `KMS key ${keyRef.logicalId} (stack ${r.stackName})` : display(render(key)))
          : airGapped ? 'AWS owned key (logically air-gapped vault)' : 'AWS Backup default key (aws/backup)',
        airGapped,
      });
    }

    const plans: BackupPlanInfo[] = [];
    for (const r of resources.filter(x => x.type === 'AWS::Backup::BackupPlan')) {
      const bp = r.properties?.BackupPlan ?? {};
      const rules: BackupRuleInfo[] = [];
      for (const rule of Array.isArray(bp.BackupPlanRule) ? bp.BackupPlanRule : []) {
        const vault = this.findVault(vaults, r, rule.TargetBackupVault);
        const start = num(rule.StartWindowMinutes);
        const copies: BackupCopyInfo[] = [];
        for (const c of Array.isArray(rule.CopyActions) ? rule.CopyActions : []) {
          // A vault of the same stack referenced by Fn::GetAtt / Ref: same region and account.
          const t = refTarget(c.DestinationBackupVaultArn);
          const local = t ? vaults.find(v => v.stackName === r.stackName && v.logicalId === t.logicalId) : undefined;
          if (local) {
            copies.push({
              destination: local.name,
              region: r.region,
              account: r.account,
              offRegion: false,
              offAccount: false,
              deleteAfterDays: num(c.Lifecycle?.DeleteAfterDays),
              lock: local.lock,
              airGapped: local.airGapped,
              keyOutsideAccount: local.keyOutsideAccount,
            });
            continue;
          }
          const loc = parseVaultArn(c.DestinationBackupVaultArn, r.region, r.account);
          const destVault = loc?.name ? vaults.find(v => v.name === loc.name && v.region !== undefined && v.region === loc.region
            && (loc.account === undefined || v.account === undefined || v.account === loc.account)) : undefined;
          copies.push({
            destination: loc ? placed(render(c.DestinationBackupVaultArn), r.region, r.account) : shown(c.DestinationBackupVaultArn),
            region: loc?.region,
            account: loc?.account,
            offRegion: !!loc && !loc.sameRegion && loc.region !== undefined && r.region !== undefined && loc.region !== r.region,
            offAccount: !!loc && !loc.sameAccount && loc.account !== undefined && r.account !== undefined && loc.account !== r.account,
            deleteAfterDays: num(c.Lifecycle?.DeleteAfterDays),
            lock: destVault?.lock,
            airGapped: destVault?.airGapped ?? false,
            keyOutsideAccount: destVault?.keyOutsideAccount ?? false,
          });
        }
        rules.push({
          name: literal(rule.RuleName) ?? '<unnamed rule>',
          targetVault: vault ? vault.name : display(render(rule.TargetBackupVault)),
          schedule: literal(rule.ScheduleExpression) ?? '',
          intervalSeconds: scheduleOf(rule.ScheduleExpression),
          startWindowMinutes: start ?? Facts.BACKUP_DEFAULT_START_WINDOW.toMinutes(),
          startWindowDefaulted: start === undefined,
          completionWindowMinutes: num(rule.CompletionWindowMinutes) ?? Facts.BACKUP_DEFAULT_COMPLETION_WINDOW.toMinutes(),
          deleteAfterDays: num(rule.Lifecycle?.DeleteAfterDays),
          moveToColdStorageAfterDays: num(rule.Lifecycle?.MoveToColdStorageAfterDays),
          continuous: isTrue(rule.EnableContinuousBackup),
          copies,
          lock: vault?.lock ?? 'none',
          keyOutsideAccount: vault?.keyOutsideAccount ?? false,
        });
      }
      plans.push({
        stackName: r.stackName,
        logicalId: r.logicalId,
        name: literal(bp.BackupPlanName) ?? `<name of plan ${r.logicalId}>`,
        rules,
      });
    }

    const selections: BackupSelectionInfo[] = [];
    for (const r of resources.filter(x => x.type === 'AWS::Backup::BackupSelection')) {
      const p = r.properties ?? {};
      const sel = p.BackupSelection ?? {};
      const planRef = refTarget(p.BackupPlanId);
      const logicalIds: string[] = [];
      const patterns: string[] = [];
      const shownItems: string[] = [];
      for (const item of Array.isArray(sel.Resources) ? sel.Resources : []) {
        const t = refTarget(item);
        const s = t ? '' : render(item);
        const inner = t ? [] : refsIn(item);
        if (t) {
          logicalIds.push(t.logicalId);
          shownItems.push(t.logicalId);
        } else if (!isKnown(s) && inner.length > 0) {
          // An ARN built around a resource's Ref or attribute (EBS volumes have no ARN attribute).
          logicalIds.push(...inner);
          shownItems.push(shown(item));
        } else {
          patterns.push(s);
          shownItems.push(display(s));
        }
      }
      const notPatterns = (Array.isArray(sel.NotResources) ? sel.NotResources : []).map(render);
      const listOfTags: Array<{ key: string; value: string }> = [];
      const tagText: string[] = [];
      for (const t of Array.isArray(sel.ListOfTags) ? sel.ListOfTags : []) {
        const key = literal(t?.ConditionKey);
        const value = literal(t?.ConditionValue);
        if (key !== undefined && value !== undefined) {
          listOfTags.push({ key, value });
          tagText.push(`${key} = ${value}`);
        }
      }
      const conditions: Array<{ op: string; key: string; value: string }> = [];
      const cond = sel.Conditions ?? {};
      for (const op of ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike']) {
        for (const c of Array.isArray(cond[op]) ? cond[op] : []) {
          const key = literal(c?.ConditionKey);
          const value = literal(c?.ConditionValue);
          if (key !== undefined && value !== undefined) {
            conditions.push({ op, key: key.replace(/^aws:ResourceTag\//, ''), value });
            tagText.push(`${op}(${key}, ${value})`);
          }
        }
      }
      const info: BackupSelectionInfo = {
        stackName: r.stackName,
        logicalId: r.logicalId,
        name: literal(sel.SelectionName) ?? `<selection ${r.logicalId}>`,
        plan: planRef?.logicalId ?? '<unresolved>',
        resources: shownItems,
        tags: tagText,
      };
      selections.push(info);
      this.matchers.push({
        info,
        stackName: r.stackName,
        stackRegion: r.region,
        stackAccount: r.account,
        logicalIds,
        patterns,
        notPatterns,
        listOfTags,
        conditions,
        scope: r.metadata?.['drkit:org-scope'],
      });
    }
    const restoreTestingPlans = this.readRestoreTesting(resources, vaults);
    const frameworks = readFrameworks(resources);
    const notifications = readNotifications(resources);
    for (const v of vaults) this.vaultKeysByName.set(`${v.stackName}|${v.name}`, `${v.stackName}/${v.logicalId}`);
    this.model = { vaults, plans, selections, restoreTestingPlans, frameworks, notifications };
  }

  private readRestoreTesting(resources: CfnResource[], vaults: BackupVaultInfo[]): RestoreTestingPlanInfo[] {
    const plans: Array<{ r: CfnResource; m: TestingMatcher; selections: RestoreTestingSelectionInfo[] }> = [];
    for (const r of resources.filter(x => x.type === 'AWS::Backup::RestoreTestingPlan')) {
      const p = r.properties ?? {};
      const rps = p.RecoveryPointSelection ?? {};
      const schedule = literal(p.ScheduleExpression) ?? '';
      const interval = scheduleOf(p.ScheduleExpression);
      const vaultNames: string[] = [];
      const vaultKeys: string[] = [];
      const vaultPatterns: string[] = [];
      for (const v of Array.isArray(rps.IncludeVaults) ? rps.IncludeVaults : []) {
        const t = refTarget(v);
        const vault = t ? vaults.find(x => x.stackName === r.stackName && x.logicalId === t.logicalId) : undefined;
        if (vault) {
          vaultNames.push(vault.name);
          vaultKeys.push(`${vault.stackName}/${vault.logicalId}`);
        } else {
          const s = render(v);
          vaultNames.push(shown(v));
          vaultPatterns.push(s);
        }
      }
      const selections: RestoreTestingSelectionInfo[] = [];
      const info: RestoreTestingPlanInfo = {
        stackName: r.stackName,
        logicalId: r.logicalId,
        name: literal(p.RestoreTestingPlanName) ?? `<name of restore testing plan ${r.logicalId}>`,
        schedule,
        intervalSeconds: interval,
        frequency: frequencyText(interval, schedule),
        startWindowHours: num(p.StartWindowHours),
        algorithm: literal(rps.Algorithm) ?? '<unresolved>',
        selectionWindowDays: num(rps.SelectionWindowDays),
        recoveryPointTypes: strings(rps.RecoveryPointTypes),
        vaults: vaultNames,
        selections,
      };
      const m: TestingMatcher = { info, stackRegion: r.region, stackAccount: r.account, vaultKeys, vaultPatterns, selections: [] };
      plans.push({ r, m, selections });
      this.testing.push(m);
    }
    for (const r of resources.filter(x => x.type === 'AWS::Backup::RestoreTestingSelection')) {
      const p = r.properties ?? {};
      const planName = literal(p.RestoreTestingPlanName);
      const planRef = refTarget(p.RestoreTestingPlanName);
      const owner = plans.find(x => x.r.stackName === r.stackName
        && (planRef ? x.r.logicalId === planRef.logicalId : x.m.info.name === planName));
      const arns: any[] = Array.isArray(p.ProtectedResourceArns) ? p.ProtectedResourceArns : [];
      const logicalIds: string[] = [];
      const patterns: string[] = [];
      const resourcesShown: string[] = [];
      let all = false;
      for (const a of arns) {
        if (a === '*') {
          all = true;
          resourcesShown.push('*');
          continue;
        }
        const s = render(a);
        const inner = refsIn(a);
        if (!isKnown(s) && inner.length > 0) logicalIds.push(...inner);
        else patterns.push(s);
        resourcesShown.push(shown(a));
      }
      const tags: Array<{ op: string; key: string; value: string }> = [];
      const conditionText: string[] = [];
      const cond = p.ProtectedResourceConditions ?? {};
      for (const op of ['StringEquals', 'StringNotEquals']) {
        for (const c of Array.isArray(cond[op]) ? cond[op] : []) {
          const key = literal(c?.Key);
          const value = literal(c?.Value);
          if (key === undefined || value === undefined) continue;
          tags.push({ op, key: key.replace(/^aws:ResourceTag\//, ''), value });
          conditionText.push(`${op}(${key}, ${value})`);
        }
      }
      const info: RestoreTestingSelectionInfo = {
        logicalId: r.logicalId,
        name: literal(p.RestoreTestingSelectionName) ?? `<selection ${r.logicalId}>`,
        resourceType: literal(p.ProtectedResourceType) ?? '<unresolved>',
        resources: resourcesShown,
        conditions: conditionText,
        validationWindowHours: num(p.ValidationWindowHours),
      };
      if (!owner) continue;
      owner.selections.push(info);
      owner.m.selections.push({ info, all, logicalIds, patterns, tags });
    }
    return plans.map(x => x.m.info);
  }

  /**
   * Which restore testing plans restore `resource`'s recovery points kept in `vaultNames`
   * (vault names of the resource's stack, or copy destinations as written). Recorded for `testingOf`.
   */
  public recordTesting(resource: CfnResource, arn: string, tags: { [key: string]: string }, vaultNames: string[]): RecoveryTesting {
    const type = protectedResourceType(resource);
    const key = `${resource.stackName}/${resource.logicalId}`;
    const hits: Array<{ plan: RestoreTestingPlanInfo; selection: RestoreTestingSelectionInfo; vault: string }> = [];
    for (const m of this.testing) {
      const vault = vaultNames.find(name => {
        const vk = this.vaultKeysByName.get(`${m.info.stackName}|${name}`);
        if (vk !== undefined && m.vaultKeys.includes(vk)) return true;
        const vaultArn = `arn:aws:backup:${m.stackRegion ?? '\u0001'}:${m.stackAccount ?? '\u0001'}:backup-vault:${name}`;
        return m.vaultPatterns.some(pt => {
          const resolved = pt.split(STACK_REGION).join(m.stackRegion ?? '*').split(STACK_ACCOUNT).join(m.stackAccount ?? '*');
          return isKnown(resolved) && (wildcardMatch(resolved, vaultArn) || resolved === name);
        });
      });
      if (vault === undefined) continue;
      for (const s of m.selections) {
        if (s.info.resourceType !== type) continue;
        const resolve = (pt: string) => pt.split(STACK_REGION).join(m.stackRegion ?? '*').split(STACK_ACCOUNT).join(m.stackAccount ?? '*');
        const picked = s.all
          || (m.info.stackName === resource.stackName && s.logicalIds.includes(resource.logicalId))
          || s.patterns.some(pt => isKnown(resolve(pt)) && wildcardMatch(resolve(pt), arn));
        if (!picked) continue;
        const tagsOk = s.tags.every(t => (t.op === 'StringEquals' ? tags[t.key] === t.value : tags[t.key] !== t.value));
        if (tagsOk) hits.push({ plan: m.info, selection: s.info, vault });
      }
    }
    let result: RecoveryTesting;
    if (hits.length > 0) {
      const intervals = hits.map(h => h.plan.intervalSeconds).filter((x): x is number => x !== undefined);
      const parts = hits.map(({ plan, selection, vault }) => {
        const window = plan.selectionWindowDays !== undefined ? ` within ${plan.selectionWindowDays} day(s)` : '';
        const validation = selection.validationWindowHours !== undefined ? `, kept ${selection.validationWindowHours}h for validation` : '';
        return `restore test scheduled ${plan.frequency} by ${plan.name} (${plan.schedule}; ${plan.algorithm === 'LATEST_WITHIN_WINDOW' ? 'latest' : plan.algorithm} recovery point${window} from vault ${vault}, selection ${selection.name}${validation})`;
      });
      result = {
        resourceType: type,
        scheduled: true,
        summary: parts.join('; '),
        restoreTestingPlans: [...new Set(hits.map(h => h.plan.name))],
        intervalSeconds: intervals.length ? Math.min(...intervals) : undefined,
      };
    } else if (type === undefined) {
      result = { scheduled: false, summary: `no restore test scheduled: AWS Backup restore testing does not support ${resource.type}; rehearse restores by hand`, restoreTestingPlans: [] };
    } else if (vaultNames.length === 0) {
      result = { resourceType: type, scheduled: false, summary: UNTESTED_NO_BACKUP, restoreTestingPlans: [] };
    } else if (resource.metadata?.[ORG_POLICY_METADATA] !== undefined) {
      // Organization mode: the recovery points are the policy's, in the member account's vault;
      // no stack construct adds restore testing there, and the member baseline creates only the role.
      result = {
        resourceType: type,
        scheduled: false,
        summary: `no restore test scheduled: the organization policy's recovery points (vault ${vaultNames[0]} of the member account) are tested only by a restore testing plan in that account; add an AWS::Backup::RestoreTestingPlan including vault ${vaultNames[0]}, with an AWS::Backup::RestoreTestingSelection of ProtectedResourceType ${type}, to the member baseline or the application's stack (the baseline's restore-testing role can run it)`,
        restoreTestingPlans: [],
      };
    } else {
      result = {
        resourceType: type,
        scheduled: false,
        summary: `no restore test scheduled: add RestoreTesting (an AWS::Backup::RestoreTestingPlan whose RecoveryPointSelection.IncludeVaults has vault ${vaultNames[0]}, with an AWS::Backup::RestoreTestingSelection of ProtectedResourceType ${type}); drkit's ObjectiveBackup adds one unless restoreTesting is false`,
        restoreTestingPlans: [],
      };
    }
    this.tested.set(key, result);
    return result;
  }

  /** How a resource's recovery is tested (recorded while its backups were assessed). */
  public testingOf(resource: CfnResource): RecoveryTesting {
    const t = this.tested.get(`${resource.stackName}/${resource.logicalId}`);
    if (t) return t;
    if (protectedResourceType(resource) === undefined) {
      return { scheduled: false, summary: `no restore test scheduled: AWS Backup restore testing does not support ${resource.type}; rehearse restores by hand`, restoreTestingPlans: [] };
    }
    return { resourceType: protectedResourceType(resource), scheduled: false, summary: UNTESTED_NO_BACKUP, restoreTestingPlans: [] };
  }

  /** Plans (with the selections that pick it) that back up `resource`. */
  public plansFor(resource: CfnResource, arn: string, tags: { [key: string]: string }): PlanMatch[] {
    const out: PlanMatch[] = [];
    for (const m of this.matchers) {
      if (!this.selects(m, resource, arn, tags)) continue;
      const plan = this.model.plans.find(p => p.stackName === m.stackName && p.logicalId === m.info.plan);
      if (plan && !out.some(o => o.plan === plan)) out.push({ plan, selection: m.info });
    }
    return out;
  }

  private selects(m: SelectionMatcher, r: CfnResource, arn: string, tags: { [key: string]: string }): boolean {
    if (m.scope) {
      if (m.scope.region !== undefined && r.region !== undefined && m.scope.region !== r.region) return false;
      if (m.scope.account !== undefined && r.account !== undefined && m.scope.account !== r.account) return false;
    }
    const sameStack = m.stackName === r.stackName;
    const resolve = (p: string) => p
      .split(STACK_REGION).join(m.stackRegion ?? '*')
      .split(STACK_ACCOUNT).join(m.stackAccount ?? '*');
    const byId = sameStack && m.logicalIds.includes(r.logicalId);
    const byArn = m.patterns.some(p => isKnown(resolve(p)) && wildcardMatch(resolve(p), arn));
    const byTag = m.listOfTags.some(t => tags[t.key] === t.value);
    if (!(byId || byArn || byTag)) return false;
    if (m.notPatterns.some(p => isKnown(resolve(p)) && wildcardMatch(resolve(p), arn))) return false;
    for (const c of m.conditions) {
      const v = tags[c.key];
      const ok = c.op === 'StringEquals' ? v === c.value
        : c.op === 'StringNotEquals' ? v !== c.value
          : c.op === 'StringLike' ? v !== undefined && wildcardMatch(c.value, v)
            : v === undefined || !wildcardMatch(c.value, v);
      if (!ok) return false;
    }
    return true;
  }

  private findVault(vaults: BackupVaultInfo[], plan: CfnResource, target: any): BackupVaultInfo | undefined {
    const t = refTarget(target);
    if (t) return vaults.find(v => v.stackName === plan.stackName && v.logicalId === t.logicalId);
    const name = literal(target);
    if (name === undefined) return undefined;
    return vaults.find(v => v.stackName === plan.stackName && v.name === name)
      ?? vaults.find(v => v.name === name && v.region !== undefined && v.region === plan.region);
  }
}

const UNTESTED_NO_BACKUP = 'no restore test scheduled: AWS Backup restore testing restores AWS Backup recovery points, and none are kept for this resource: select it in an AWS Backup plan, then add RestoreTesting';

/** `1 hour`, `3 hours`: a control parameter's value and unit. */
function amount(value: string | undefined, unit: string | undefined): string {
  if (value === undefined) return '?';
  const u = unit ?? '';
  return value === '1' ? `1 ${u.replace(/s$/, '')}` : `${value} ${u}`.trim();
}

/** What a control checks, for people. */
function controlChecks(name: string, params: { [k: string]: string }): string {
  switch (name) {
    case 'BACKUP_LAST_RECOVERY_POINT_CREATED':
      return `a recovery point no older than ${amount(params.recoveryPointAgeValue, params.recoveryPointAgeUnit)} exists (compare with the RPO)`;
    case 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK':
      return `backup plans back up at least every ${amount(params.requiredFrequencyValue, params.requiredFrequencyUnit)} and keep points ${amount(params.requiredRetentionDays, 'days')}`;
    case 'BACKUP_RECOVERY_POINT_ENCRYPTED':
      return 'every recovery point is encrypted';
    case 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK':
      return `recovery points are in vaults locked with retention ${params.minRetentionDays ?? '?'} to ${params.maxRetentionDays ?? '?'} days`;
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION':
      return `recovery points are copied to ${params.crossRegionList ?? 'another region'}`;
    case 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT':
      return `recovery points are copied to account(s) ${params.crossAccountList ?? '?'}`;
    case 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET':
      return `the latest restore (restore tests included) took at most ${params.maxRestoreTime ?? '?'} minutes (compare with the RTO)`;
    case 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN':
      return 'resources are protected by a backup plan';
    default:
      return 'see the AWS Backup Audit Manager controls';
  }
}

function readFrameworks(resources: CfnResource[]): FrameworkInfo[] {
  const out: FrameworkInfo[] = [];
  for (const r of resources.filter(x => x.type === 'AWS::Backup::Framework')) {
    const p = r.properties ?? {};
    const controls: FrameworkControlInfo[] = [];
    for (const c of Array.isArray(p.FrameworkControls) ? p.FrameworkControls : []) {
      const name = literal(c?.ControlName) ?? '<unresolved>';
      const parameters = (Array.isArray(c?.ControlInputParameters) ? c.ControlInputParameters : [])
        .map((x: any) => ({ name: literal(x?.ParameterName) ?? '<unresolved>', value: literal(x?.ParameterValue) ?? shown(x?.ParameterValue) }));
      const params: { [k: string]: string } = {};
      for (const x of parameters) params[x.name] = x.value;
      controls.push({
        name,
        parameters,
        resourceTypes: strings(c?.ControlScope?.ComplianceResourceTypes),
        checks: controlChecks(name, params),
      });
    }
    out.push({
      stackName: r.stackName,
      logicalId: r.logicalId,
      name: literal(p.FrameworkName) ?? `<name of framework ${r.logicalId}>`,
      description: literal(p.FrameworkDescription),
      controls,
    });
  }
  return out;
}

function readNotifications(resources: CfnResource[]): BackupNotificationInfo[] {
  const out: BackupNotificationInfo[] = [];
  for (const r of resources.filter(x => x.type === 'AWS::Events::Rule')) {
    const p = r.properties ?? {};
    const pattern = p.EventPattern ?? {};
    if (!strings(pattern.source).includes('aws.backup')) continue;
    const targets = (Array.isArray(p.Targets) ? p.Targets : []).map((t: any) => {
      const ref = refTarget(t?.Arn);
      const target = ref ? resources.find(x => x.stackName === r.stackName && x.logicalId === ref.logicalId) : undefined;
      if (target?.type === 'AWS::SNS::Topic') return `SNS topic ${ref!.logicalId}`;
      return target ? `${target.type} ${ref!.logicalId}` : shown(t?.Arn);
    });
    out.push({
      stackName: r.stackName,
      logicalId: r.logicalId,
      detailTypes: strings(pattern['detail-type']),
      states: [...strings(pattern.detail?.state), ...strings(pattern.detail?.status)],
      targets,
    });
  }
  return out;
}

function scheduleOf(v: any): number | undefined {
  const s = literal(v);
  return s === undefined ? undefined : scheduleIntervalSeconds(s);
}

/** What AWS Backup gives one resource: coverages, restore points and runbook entries. */
export interface BackupContribution {
  readonly coverages: Coverage[];
  readonly restorePoints: RestorePointSet[];
  readonly runbook: RunbookEntry[];
  readonly findings: string[];
  /** Conditions outside the template the backups need (advanced DynamoDB backup for copies). */
  readonly preconditions: string[];
  /** The recovery points of each rule and copy, for the retention check. */
  readonly kept: KeptPoints[];
}

/** The point-in-time recovery figure of an RDS instance or cluster: Aurora clusters cite the Aurora page, others the RDS page. */
export function rdsPitrFact(r: CfnResource): Fact {
  return r.type === 'AWS::RDS::DBCluster' && /^aurora/i.test(literal(r.properties?.Engine) ?? 'aurora') ? Facts.AURORA_PITR_RPO : Facts.RDS_PITR_RPO;
}

/** Resource types AWS Backup can back up continuously (point-in-time). */
const CONTINUOUS_TYPES = ['AWS::S3::Bucket', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'];

/**
 * The contribution of the backup plans that select `resource`.
 *
 * @param arn the resource's ARN as far as known (unknown parts as UNKNOWN markers)
 * @param arnCommand the ARN for runbook commands (a literal, or a command substitution that looks it up)
 */
export function backupContribution(index: BackupIndex, resource: CfnResource, arn: string,
  tags: { [key: string]: string }, arnCommand: string): BackupContribution {
  const coverages: Coverage[] = [];
  const restorePoints: RestorePointSet[] = [];
  const runbook: RunbookEntry[] = [];
  const findings: string[] = [];
  const kept: KeptPoints[] = [];
  const matchArn = arn.split(UNKNOWN).join('\u0001');
  const region = resource.region ?? '<region>';
  const seenVaults = new Set<string>();
  const vaultsUsed: string[] = [];
  const dynamo = resource.type === 'AWS::DynamoDB::Table' || resource.type === 'AWS::DynamoDB::GlobalTable';
  let copiesNeedAdvancedDynamo = false;

  for (const { plan, selection } of index.plansFor(resource, matchArn, tags)) {
    for (const rule of plan.rules) {
      const where = `plan ${plan.name} rule ${rule.name} (selection ${selection.name})`;
      const startWindow = Period.minutes(rule.startWindowMinutes);
      const windowNote = rule.startWindowDefaulted
        ? `start window ${startWindow.toHuman()} (StartWindowMinutes absent: AWS's default, ${Facts.BACKUP_PLAN_SOURCE})`
        : `start window ${startWindow.toHuman()}`;
      const continuous = rule.continuous && CONTINUOUS_TYPES.includes(resource.type);
      const retention = rule.deleteAfterDays !== undefined ? `${rule.deleteAfterDays} days` : 'until deleted';
      if (rule.intervalSeconds === undefined && !continuous) {
        findings.push(`backup rule ${rule.name} of plan ${plan.name} has a schedule drkit cannot read ("${rule.schedule}"): its RPO is not assessed`);
      }
      const worst = rule.intervalSeconds !== undefined ? rule.intervalSeconds + rule.startWindowMinutes * 60 : undefined;
      const schedBasis = worst !== undefined
        ? `${where}: ${rule.schedule} runs at least every ${formatSeconds(rule.intervalSeconds!)}, plus a ${windowNote}: worst case ${formatSeconds(worst)}`
        : `${where}: schedule "${rule.schedule}" not read`;
      const restoreRto = `restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;

      if (continuous) {
        const fact = resource.type === 'AWS::S3::Bucket' ? Facts.BACKUP_CONTINUOUS_S3_RPO : rdsPitrFact(resource);
        for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE]) {
          coverages.push({
            disruption: d,
            mechanism: Mechanism.AWS_BACKUP_CONTINUOUS.id,
            rpoSeconds: fact.value?.totalSeconds,
            rpoKind: fact.kind,
            rtoKind: BoundKind.NONE,
            basis: `${where}: continuous backup; ${fact.statement} (${fact.source}); ${restoreRto}`,
          });
        }
      } else {
        for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE]) {
          coverages.push({
            disruption: d,
            mechanism: Mechanism.AWS_BACKUP.id,
            rpoSeconds: worst,
            rpoKind: worst !== undefined ? BoundKind.ESTIMATED : BoundKind.NONE,
            rtoKind: BoundKind.NONE,
            basis: `${schedBasis} (${Facts.BACKUP_PLAN_SOURCE}); ${restoreRto}`,
          });
        }
      }
      // Copies (and the locked vault's snapshots) follow the rule's schedule, continuous or not.
      const pointRpo = worst;
      if (rule.lock === 'compliance') {
        const sameAccountLock = {
          disruption: Disruption.ACCOUNT_COMPROMISE,
          mechanism: Mechanism.AWS_BACKUP_VAULT_LOCK.id,
          rpoSeconds: pointRpo,
          rpoKind: pointRpo !== undefined ? BoundKind.ESTIMATED : BoundKind.NONE,
          rtoKind: BoundKind.NONE,
        };
        coverages.push(rule.keyOutsideAccount
          ? { ...sameAccountLock, basis: `${schedBasis}; vault ${rule.targetVault} is locked in compliance mode: ${Facts.VAULT_LOCK_COMPLIANCE.statement} (${Facts.VAULT_LOCK_SOURCE}); its key is outside this account, so its recovery points stay readable if this account's keys are destroyed; ${restoreRto}` }
          : { ...sameAccountLock, basis: `${schedBasis}; vault ${rule.targetVault} is locked in compliance mode (${Facts.VAULT_LOCK_SOURCE})`, shortfall: sameAccountShortfall(`vault ${rule.targetVault}`) });
      }
      restorePoints.push({
        mechanism: continuous ? Mechanism.AWS_BACKUP_CONTINUOUS.id : Mechanism.AWS_BACKUP.id,
        description: `AWS Backup ${continuous ? 'continuous backup' : 'recovery points'}: ${where}`,
        medium: 'aws-backup-vault',
        periodicity: continuous ? 'continuous' : rule.intervalSeconds !== undefined ? `every ${formatSeconds(rule.intervalSeconds)} (${rule.schedule})` : rule.schedule,
        intervalSeconds: continuous ? 0 : rule.intervalSeconds,
        retention,
        region: resource.region,
        account: resource.account,
        vault: rule.targetVault,
        offRegion: false,
        offAccount: false,
        immutability: rule.lock,
      });
      kept.push({
        what: `AWS Backup ${continuous ? 'continuous backup' : 'recovery points'} of plan ${plan.name} rule ${rule.name}`,
        pointInTime: continuous,
        intervalSeconds: continuous ? 0 : rule.intervalSeconds,
        // A continuous rule keeps at most 35 days (its DeleteAfterDays is required, 1-35).
        days: continuous
          ? Math.min(rule.deleteAfterDays ?? Facts.BACKUP_CONTINUOUS_MAX_DAYS, Facts.BACKUP_CONTINUOUS_MAX_DAYS)
          : rule.deleteAfterDays,
        setting: `Lifecycle.DeleteAfterDays of rule ${rule.name} (plan ${plan.name})`,
        maxDays: continuous ? Facts.BACKUP_CONTINUOUS_MAX_DAYS : undefined,
      });
      seenVaults.add(rule.targetVault);
      vaultsUsed.push(rule.targetVault);

      for (const c of rule.copies) {
        // A copy exists only once the backup has finished (up to the completion window) and the
        // copy job has run (no published duration): the interval plus start window is a lower bound.
        const copyRpo = pointRpo !== undefined ? {
          rpoSeconds: pointRpo,
          rpoKind: BoundKind.ESTIMATED,
          rpoIsLowerBound: true,
          rpoNote: `interval ${formatSeconds(rule.intervalSeconds!)} + start window ${formatSeconds(rule.startWindowMinutes * 60)}; the backup's run time (up to the ${formatSeconds(rule.completionWindowMinutes * 60)} completion window) and the copy time not counted`,
        } : { rpoKind: BoundKind.NONE };
        const copyBasis = `${schedBasis}, then copied to ${c.destination} once the backup completes (within the ${formatSeconds(rule.completionWindowMinutes * 60)} completion window); ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_SOURCE}): the RPO is at least the interval plus the start window; ${restoreRto}`;
        if (dynamo && (c.offRegion || c.offAccount)) copiesNeedAdvancedDynamo = true;
        if (c.offRegion) {
          coverages.push({
            disruption: Disruption.REGION_OUTAGE,
            mechanism: Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id,
            ...copyRpo,
            rtoKind: BoundKind.NONE,
            basis: copyBasis,
          });
        }
        if (c.offAccount) {
          // RDS, Aurora and EBS recovery points keep the resource's key; an AWS managed key
          // cannot be shared with the destination account, so the copy cannot be made.
          const unshareable = awsManagedSourceKey(resource);
          coverages.push({
            disruption: Disruption.ACCOUNT_COMPROMISE,
            mechanism: Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY.id,
            ...copyRpo,
            rtoKind: BoundKind.NONE,
            basis: copyBasis,
            ...(unshareable ? { shortfall: unshareable } : {}),
          });
          if (unshareable) findings.push(`the copy to ${c.destination} cannot be made: ${unshareable}`);
        } else if (c.airGapped || c.lock === 'compliance') {
          // A copy in this account counts only when it stays readable without this account's keys.
          const f = Facts.AIR_GAPPED_VAULT_ACCOUNT_COMPROMISE;
          const mechanism = c.airGapped ? Mechanism.AWS_BACKUP_AIR_GAPPED_COPY.id : Mechanism.AWS_BACKUP_VAULT_LOCK.id;
          const what = c.airGapped ? `${c.destination} is a logically air-gapped vault: ${f.statement} (${f.source})` : `the destination vault is locked in compliance mode (${Facts.VAULT_LOCK_SOURCE})`;
          coverages.push(c.keyOutsideAccount
            ? { disruption: Disruption.ACCOUNT_COMPROMISE, mechanism, ...copyRpo, rtoKind: BoundKind.NONE, basis: `${copyBasis}; ${what}; its key is outside this account` }
            : { disruption: Disruption.ACCOUNT_COMPROMISE, mechanism, ...copyRpo, rtoKind: BoundKind.NONE, basis: `${copyBasis}; ${what}`, shortfall: sameAccountShortfall(c.destination) });
        }
        if (!c.offRegion && c.region !== undefined && resource.region === undefined && !c.destination.includes('<region>')) {
          findings.push(`backup copies go to ${c.region}, but the stack's region is unknown, so drkit cannot tell whether they leave the region: give the region (drkit report --region <region>)`);
        }
        vaultsUsed.push(c.destination);
        // A copy is a snapshot, even of a continuous backup: restore points at the rule's schedule.
        kept.push({
          what: `AWS Backup copies to ${c.destination} of plan ${plan.name} rule ${rule.name}`,
          pointInTime: false,
          intervalSeconds: rule.intervalSeconds,
          days: c.deleteAfterDays,
          setting: `Lifecycle.DeleteAfterDays of the copy action to ${c.destination} in rule ${rule.name} (plan ${plan.name})`,
        });
        restorePoints.push({
          mechanism: c.offAccount ? Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY.id
            : c.offRegion ? Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id
              : c.airGapped ? Mechanism.AWS_BACKUP_AIR_GAPPED_COPY.id : Mechanism.AWS_BACKUP.id,
          description: `AWS Backup copy${c.airGapped ? ' in a logically air-gapped vault' : ''} of ${where}`,
          medium: 'aws-backup-vault',
          periodicity: continuous ? 'continuous' : rule.intervalSeconds !== undefined ? `every ${formatSeconds(rule.intervalSeconds)} (${rule.schedule})` : rule.schedule,
          intervalSeconds: continuous ? 0 : rule.intervalSeconds,
          retention: c.deleteAfterDays !== undefined ? `${c.deleteAfterDays} days` : 'until deleted',
          region: c.region,
          account: c.account,
          vault: c.destination,
          offRegion: c.offRegion,
          offAccount: c.offAccount,
          immutability: c.lock ?? 'none',
        });
      }
    }
  }

  for (const vault of [...seenVaults].sort()) {
    runbook.push({
      title: `Restore from AWS Backup vault ${vault}`,
      commands: [
        `aws backup list-recovery-points-by-resource --resource-arn ${arnCommand} --region ${sh(region)}`,
        `aws backup get-recovery-point-restore-metadata --backup-vault-name ${sh(vault)} --recovery-point-arn <recovery point ARN from the previous command> --region ${sh(region)}`,
        `aws backup start-restore-job --recovery-point-arn <recovery point ARN> --iam-role-arn <ARN of a role AWS Backup can assume to restore> --metadata file://<restore-metadata.json: the RestoreMetadata of the previous command, with a new resource name> --region ${sh(region)}`,
      ],
      note: 'the restore creates a new resource; point clients at it once validated',
    });
  }
  const copyDestinations = new Map<string, string>();
  for (const rp of restorePoints.filter(x => x.offRegion || x.offAccount)) {
    copyDestinations.set(rp.vault ?? '', rp.region ?? '<destination region>');
  }
  for (const [dest, destRegion] of [...copyDestinations.entries()].sort()) {
    const name = /backup-vault:(.*)$/.exec(dest)?.[1] ?? '<destination vault name>';
    runbook.push({
      title: `Restore from the copy in ${dest}`,
      commands: [
        `aws backup list-recovery-points-by-backup-vault --backup-vault-name ${sh(name)} --region ${sh(destRegion)}`,
        `aws backup start-restore-job --recovery-point-arn <recovery point ARN from the previous command> --iam-role-arn <ARN of a restore role in the destination account> --metadata file://<restore-metadata.json> --region ${sh(destRegion)}`,
      ],
      note: 'run with credentials of the destination account; the restored resource lives in the destination region/account',
    });
  }
  const airGapped = [...new Set(restorePoints.filter(x => x.mechanism === Mechanism.AWS_BACKUP_AIR_GAPPED_COPY.id).map(x => x.vault ?? ''))].sort();
  for (const vault of airGapped) {
    runbook.push({
      title: `Restore from the logically air-gapped vault ${vault} (when this account is lost)`,
      commands: [
        `aws backup describe-backup-vault --backup-vault-name ${sh(vault)} --query BackupVaultArn --output text --region ${sh(region)}`,
        `aws ram create-resource-share --name drkit-airgapped --resource-arns <vault ARN from the previous command> --principals <recovery account id> --region ${sh(region)}`,
        `aws backup list-recovery-points-by-backup-vault --backup-vault-name ${sh(vault)} --backup-vault-account-id ${sh(resource.account ?? '<account id of the vault>')} --region ${sh(region)}`,
        `aws backup start-restore-job --recovery-point-arn <recovery point ARN from the previous command> --iam-role-arn <ARN of a restore role in the recovery account> --metadata file://<restore-metadata.json> --region ${sh(region)}`,
      ],
      note: `share the vault ahead of time (the first two commands, with this account's credentials); run the last two with the recovery account's credentials (${Facts.AIR_GAPPED_VAULT_SOURCE})`,
    });
  }
  const preconditions: string[] = [];
  if (copiesNeedAdvancedDynamo) {
    const f = Facts.DYNAMODB_ADVANCED_BACKUP;
    preconditions.push(`the copies of this table's backups to another region or account need AWS Backup's advanced DynamoDB backup features turned on in account ${resource.account ?? '<account>'}, region ${region}: ${f.statement} (${f.source}); check with aws backup describe-region-settings (see the runbook)`);
    runbook.push({
      title: 'Check that AWS Backup can copy this table\'s backups (advanced DynamoDB backup)',
      commands: [
        `aws backup describe-region-settings --region ${sh(region)} --query ResourceTypeManagementPreference.DynamoDB`,
        `aws backup update-region-settings --resource-type-management-preference DynamoDB=true --region ${sh(region)}`,
      ],
      note: 'run the second command only when the first prints false (or nothing): without advanced DynamoDB backup, copy jobs of DynamoDB recovery points to another region or account fail; it is an account setting CloudFormation cannot set',
    });
  }
  index.recordTesting(resource, matchArn, tags, [...new Set(vaultsUsed)]);
  return { coverages, restorePoints, runbook, findings, preconditions, kept };
}

/**
 * The fix against account compromise, for every resource AWS Backup protects: a copy out of the
 * account's reach. A locked vault in the same account does not qualify (its key can be destroyed).
 */
/** The region fix for a resource whose AWS Backup plan has no copy to another region yet. */
export const PLAN_REGION_COPY_FIX = 'add a copy to a vault in another region to the plan\'s rules (BackupPlanRule CopyActions with DestinationBackupVaultArn arn:aws:backup:<other region>:<account>:backup-vault:<name>)';

/**
 * A family's fixes, made aware of what the resource already has: a resource already in an AWS
 * Backup plan is told what its rules miss (a copy to another region or account), never to
 * select it in a plan. `present` lists the mechanism ids that cover the resource.
 */
export function planAwareFix(fix: (d: Disruption) => string): (d: Disruption, present?: string[]) => string {
  return (d: Disruption, present: string[] = []) => {
    const backedUp = present.some(id => id.startsWith('aws.backup.'));
    if (backedUp && d === Disruption.REGION_OUTAGE && !present.includes(Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id)) return PLAN_REGION_COPY_FIX;
    if (backedUp && d === Disruption.ACCOUNT_COMPROMISE) return ACCOUNT_FIX;
    return fix(d);
  };
}

export const ACCOUNT_FIX = 'copy AWS Backup recovery points to a vault in another account (BackupPlanRule CopyActions with DestinationBackupVaultArn arn:aws:backup:<region>:<backup account>:backup-vault:<name>; drkit: backupAccount) or to a logically air-gapped vault that keeps its AWS-owned key (AWS::Backup::LogicallyAirGappedBackupVault without EncryptionKeyArn; drkit: airGappedVault)';

/** Why a compliance-locked vault in the resource's own account does not survive the account's compromise. */
/**
 * Why a cross-account copy of `resource` cannot be made, when it is an RDS instance, Aurora
 * cluster or EBS volume encrypted with an AWS managed key (encrypted without a KMS key id, or
 * with an `alias/aws/...` key): its recovery points keep that key, which cannot be shared.
 */
function awsManagedSourceKey(resource: CfnResource): string | undefined {
  const p = resource.properties ?? {};
  let flag: string;
  if (resource.type === 'AWS::RDS::DBCluster' || resource.type === 'AWS::RDS::DBInstance') flag = 'StorageEncrypted';
  else if (resource.type === 'AWS::EC2::Volume') flag = 'Encrypted';
  else return undefined;
  const key = p.KmsKeyId;
  const which = key === undefined ? (isTrue(p[flag]) ? `${flag} without KmsKeyId (the service's AWS managed key)` : undefined)
    : typeof key === 'string' && /(^|:)alias\/aws\//.test(key) ? `KmsKeyId ${key}` : undefined;
  if (which === undefined) return undefined;
  return `it is encrypted with an AWS managed key (${which}): ${Facts.BACKUP_SOURCE_ENCRYPTION.statement} (${Facts.BACKUP_SOURCE_ENCRYPTION.source}), and ${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.statement} (${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.source}); encrypt it with a customer managed key granted to the destination account`;
}

function sameAccountShortfall(vault: string): string {
  return `${vault} is locked in compliance mode, but it is in this account and its recovery points are encrypted with a key of this account: whoever controls the account can destroy that key and the recovery points become unreadable, and ${Facts.VAULT_LOCK_ACCOUNT_CLOSURE.statement} (${Facts.VAULT_LOCK_ACCOUNT_CLOSURE.source}); a copy in the same account never counts against account compromise unless its key is outside the account`;
}

/**
 * Whether a vault's recovery points stay readable when its account destroys its own keys: an
 * air-gapped vault with its AWS-owned key (no EncryptionKeyArn), or a KMS key ARN naming another
 * account than the vault's (known) account.
 */
function keyOutsideAccount(key: any, airGapped: boolean, account?: string): boolean {
  if (key === undefined) return airGapped;
  if (refTarget(key)) return false;
  const m = /^arn:[^:]*:kms:[^:]*:([^:]*):/.exec(render(key));
  if (!m || m[1] === STACK_ACCOUNT || !isKnown(m[1])) return false;
  return account !== undefined && m[1] !== account;
}
