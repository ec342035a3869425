import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { formatSeconds, Period } from '../period';
import {
  CfnResource, display, isKnown, isTrue, literal, num, parseVaultArn, refTarget, render, sh,
  STACK_ACCOUNT, STACK_REGION, UNKNOWN, wildcardMatch,
} from './cfn';
import {
  BackupCopyInfo, BackupModel, BackupPlanInfo, BackupRuleInfo, BackupSelectionInfo, BackupVaultInfo, Coverage, RestorePointSet, RunbookEntry,
} from './model';
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
}

/** Everything the per-resource evaluators need about backups. */
export class BackupIndex {
  public readonly model: BackupModel;
  private readonly matchers: SelectionMatcher[] = [];

  constructor(resources: CfnResource[]) {
    const vaults: BackupVaultInfo[] = [];
    for (const r of resources.filter(x => x.type === 'AWS::Backup::BackupVault')) {
      const p = r.properties ?? {};
      const lc = p.LockConfiguration;
      const changeable = num(lc?.ChangeableForDays);
      const key = p.EncryptionKeyArn;
      const keyRef = refTarget(key);
      vaults.push({
        stackName: r.stackName,
        logicalId: r.logicalId,
        name: literal(p.BackupVaultName) ?? `<name of vault ${r.logicalId}>`,
        region: r.region,
        account: r.account,
        lock: lc ? (changeable !== undefined ? 'compliance' : 'governance') : 'none',
        minRetentionDays: lc ? num(lc.MinRetentionDays) : undefined,
        maxRetentionDays: lc ? num(lc.MaxRetentionDays) : undefined,
        changeableForDays: changeable,
        encryptionKey: key === undefined ? 'AWS Backup default key (aws/backup)'
          : keyRef ? `KMS key ${keyRef.logicalId} (stack ${r.stackName})` : display(render(key)),
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
          const loc = parseVaultArn(c.DestinationBackupVaultArn, r.region, r.account);
          const destVault = loc?.name ? vaults.find(v => v.name === loc.name && v.region !== undefined && v.region === loc.region
            && (loc.account === undefined || v.account === undefined || v.account === loc.account)) : undefined;
          copies.push({
            destination: loc ? loc.text : display(render(c.DestinationBackupVaultArn)),
            region: loc?.region,
            account: loc?.account,
            offRegion: !!loc && !loc.sameRegion && loc.region !== undefined && r.region !== undefined && loc.region !== r.region,
            offAccount: !!loc && !loc.sameAccount && loc.account !== undefined && r.account !== undefined && loc.account !== r.account,
            deleteAfterDays: num(c.Lifecycle?.DeleteAfterDays),
            lock: destVault?.lock,
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
      const shown: string[] = [];
      for (const item of Array.isArray(sel.Resources) ? sel.Resources : []) {
        const t = refTarget(item);
        if (t) {
          logicalIds.push(t.logicalId);
          shown.push(t.logicalId);
        } else {
          const s = render(item);
          patterns.push(s);
          shown.push(display(s));
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
        resources: shown,
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
      });
    }
    this.model = { vaults, plans, selections };
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
  const matchArn = arn.split(UNKNOWN).join('\u0001');
  const region = resource.region ?? '<region>';
  const seenVaults = new Set<string>();

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
        const fact = resource.type === 'AWS::S3::Bucket' ? Facts.BACKUP_CONTINUOUS_S3_RPO : Facts.RDS_PITR_RPO;
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
        coverages.push({
          disruption: Disruption.ACCOUNT_COMPROMISE,
          mechanism: Mechanism.AWS_BACKUP_VAULT_LOCK.id,
          rpoSeconds: pointRpo,
          rpoKind: pointRpo !== undefined ? BoundKind.ESTIMATED : BoundKind.NONE,
          rtoKind: BoundKind.NONE,
          basis: `${schedBasis}; vault ${rule.targetVault} is locked in compliance mode, so no one can delete recovery points early once ChangeableForDays has passed (${Facts.VAULT_LOCK_SOURCE}); ${restoreRto}`,
        });
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
      seenVaults.add(rule.targetVault);

      for (const c of rule.copies) {
        const copyBasis = `${schedBasis}, then copied to ${c.destination}; ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_SOURCE}); ${restoreRto}`;
        const rpoKind = pointRpo !== undefined ? BoundKind.ESTIMATED : BoundKind.NONE;
        if (c.offRegion) {
          coverages.push({
            disruption: Disruption.REGION_OUTAGE,
            mechanism: Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id,
            rpoSeconds: pointRpo,
            rpoKind,
            rtoKind: BoundKind.NONE,
            basis: copyBasis,
          });
        }
        if (c.offAccount) {
          coverages.push({
            disruption: Disruption.ACCOUNT_COMPROMISE,
            mechanism: Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY.id,
            rpoSeconds: pointRpo,
            rpoKind,
            rtoKind: BoundKind.NONE,
            basis: copyBasis,
          });
        } else if (c.lock === 'compliance') {
          coverages.push({ disruption: Disruption.ACCOUNT_COMPROMISE, mechanism: Mechanism.AWS_BACKUP_VAULT_LOCK.id, rpoSeconds: pointRpo, rpoKind, rtoKind: BoundKind.NONE, basis: `${copyBasis}; the destination vault is locked in compliance mode (${Facts.VAULT_LOCK_SOURCE})` });
        }
        if (!c.offRegion && c.region !== undefined && resource.region === undefined && !c.destination.includes('${AWS::Region}')) {
          findings.push(`backup copies go to ${c.region}, but the stack's region is unknown, so drkit cannot tell whether they leave the region: give the region (drkit report --region <region>)`);
        }
        restorePoints.push({
          mechanism: c.offAccount ? Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY.id
            : c.offRegion ? Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id : Mechanism.AWS_BACKUP.id,
          description: `AWS Backup copy of ${where}`,
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
  return { coverages, restorePoints, runbook, findings };
}
