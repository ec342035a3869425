// Engine-neutral planning of an AWS Organizations backup policy (type BACKUP_POLICY) from
// recovery objectives: the same schedule, retention, cold storage and copies as the per-stack
// planners (gfsRules), rendered in the syntax of the AWS Organizations "Backup policy syntax and
// examples" page, and checked against the rules that page and the AWS Backup API state. The CDK
// OrganizationBackupPolicy and the Pulumi OrganizationBackupPolicy render the same document.
import { checkAwsRegion } from '../aws-regions';
import { BoundKind, Facts, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../objective';
import { Period } from '../period';
import { AchievedTarget, BackupRulePlan, backupRule, checkRto, gfsRules, Planner, rtoCandidate, vaultPlanFor } from '../plan';
import { localRpo, mergeVaultLocks } from '../plan-backup';
import { checkBackupPolicyDocument } from './validate';

/** How far child policies (attached below the policy's targets) may change drkit's plans. */
export enum ChildPolicyControl {
  /**
   * `"@@operators_allowed_for_child_policies": ["@@none"]` at every node of drkit's plans (the
   * documentation's Example 3), and `["@@append"]` on `plans` (Example 4): a child policy can add
   * its own plans but cannot change or remove drkit's. About doubles the policy's size.
   */
  LOCKED = 'locked',
  /** No child control operators: a child policy may override any setting (the documentation's Example 5). */
  OPEN = 'open',
}

/** Defaults of an organization backup policy: the names the member baseline creates. */
export class OrganizationDefaults {
  /** The vault every member account gets in every region of the policy (and the copy region). */
  public static readonly VAULT_NAME = 'drkit-org-vault';
  /** The vault of the central backup account that receives cross-account copies. */
  public static readonly CENTRAL_VAULT_NAME = 'drkit-central-vault';
  /** The IAM role (path `/service-role/`) AWS Backup assumes in every member account. */
  public static readonly BACKUP_ROLE_NAME = 'drkit-org-backup';
  /** The IAM role AWS Backup restore testing assumes in every member account. */
  public static readonly RESTORE_TESTING_ROLE_NAME = 'drkit-org-restore-testing';
  /** The tag whose value (an objective's name) selects a resource into the objective's plan. */
  public static readonly TAG_KEY = 'drkit:objective';
  /** Prefix of every backup plan name. */
  public static readonly PLAN_PREFIX = 'drkit-';
  /** The path of the backup roles, as AWS's own AWSBackupDefaultServiceRole. */
  public static readonly ROLE_PATH = '/service-role/';

  private constructor() {}
}

/** Options of an organization backup policy (everything but the objectives). */
export interface OrganizationPolicyOptions {
  /** The regions whose resources the policy backs up (`regions` of every plan). */
  readonly regions: string[];
  /**
   * The region every recovery point is copied to, in the same account, when an objective covers
   * region outage. It must not be one of `regions` (a copy into the region it is taken in does
   * not survive that region's outage): protect that region with a second policy.
   * @default - none (an objective covering region outage is refused)
   */
  readonly secondaryRegion?: string;
  /**
   * The central backup account (12 digits) every recovery point is copied to when an objective
   * covers account compromise.
   * @default - none (an objective covering account compromise is refused)
   */
  readonly backupAccount?: string;
  /**
   * The region of the central account's vault. A copy from another region of `regions` is
   * cross-Region and cross-account in one step.
   * @default - the first of `regions`
   */
  readonly centralRegion?: string;
  /**
   * The vault name the policy uses in every member account and region.
   * @default OrganizationDefaults.VAULT_NAME
   */
  readonly vaultName?: string;
  /**
   * The vault name in the central backup account.
   * @default OrganizationDefaults.CENTRAL_VAULT_NAME
   */
  readonly centralVaultName?: string;
  /**
   * The IAM role name (path `/service-role/`) AWS Backup assumes in every member account.
   * @default OrganizationDefaults.BACKUP_ROLE_NAME
   */
  readonly backupRoleName?: string;
  /**
   * The tag key that selects resources; its value is the objective's name.
   * @default OrganizationDefaults.TAG_KEY
   */
  readonly tagKey?: string;
  /**
   * Prefix of each backup plan name (the plan is named prefix + objective name).
   * @default OrganizationDefaults.PLAN_PREFIX
   */
  readonly planNamePrefix?: string;
  /**
   * How far child policies may change drkit's plans.
   * @default ChildPolicyControl.LOCKED
   */
  readonly childPolicyControl?: ChildPolicyControl;
  /**
   * AWS partition of the ARNs in the policy.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * Add an AWS Backup continuous backup rule (point-in-time restore, kept for the objective's
   * point-in-time window up to 35 days) to every plan.
   * @default - only where the scheduled snapshots cannot meet the objective's local RPO (data corruption, AZ outage)
   */
  readonly continuousBackup?: boolean;
  /**
   * `opt_in_to_archive_for_supported_resources` in every lifecycle that moves to cold storage.
   * @default - not set (AWS Backup's default)
   */
  readonly archiveSupportedResources?: boolean;
  /**
   * `advanced_backup_settings.ec2.windows_vss`: Microsoft VSS backups of Windows EC2 instances.
   * @default - not set
   */
  readonly windowsVss?: boolean;
}

/** Properties of an organization backup policy plan. */
export interface OrganizationPolicyProps extends OrganizationPolicyOptions {
  /** The objectives: one backup plan each, selecting resources tagged with the objective's name. */
  readonly objectives: RecoveryObjective[];
}

/** The Vault Lock of the member vault (or the central vault). */
export interface OrganizationVaultLock {
  /** `compliance` or `governance`. */
  readonly mode: Immutability;
  /** MinRetentionDays. */
  readonly minRetentionDays: number;
  /**
   * MaxRetentionDays.
   * @default - none
   */
  readonly maxRetentionDays?: number;
  /**
   * ChangeableForDays (compliance mode).
   * @default - governance mode
   */
  readonly changeableForDays?: number;
}

/** The backup plan of one objective in the policy. */
export interface OrganizationObjectivePlan {
  /** The objective's name: the tag value that selects resources, and the plan's `drkit:objective` tag. */
  readonly objectiveName: string;
  /** The backup plan name (key under `plans`). */
  readonly planName: string;
  /** The rules, as the per-stack planners build them. */
  readonly rules: BackupRulePlan[];
  /**
   * Region the recovery points are copied to (same account).
   * @default - none
   */
  readonly copyRegion?: string;
  /**
   * Account the recovery points are copied to.
   * @default - none
   */
  readonly copyAccount?: string;
  /** What the plan achieves per disruption, as planned (the report checks the policy itself). */
  readonly achieved: AchievedTarget[];
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

/** A planned organization backup policy: the document and what the member accounts need for it. */
export interface OrganizationPolicyPlan {
  /** One plan per objective. */
  readonly plans: OrganizationObjectivePlan[];
  /** The regions the policy backs up. */
  readonly regions: string[];
  /** The regions every member account needs the vault in: `regions` plus the copy region. */
  readonly memberRegions: string[];
  /** The member vault name. */
  readonly vaultName: string;
  /** The IAM role name in every member account. */
  readonly backupRoleName: string;
  /** The tag key that selects resources. */
  readonly tagKey: string;
  /**
   * The member vault's lock (merged over the objectives).
   * @default - no lock
   */
  readonly vaultLock?: OrganizationVaultLock;
  /**
   * The central backup account.
   * @default - none
   */
  readonly backupAccount?: string;
  /**
   * The central vault's region.
   * @default - none
   */
  readonly centralRegion?: string;
  /** The central vault name. */
  readonly centralVaultName: string;
  /**
   * The central vault's lock: compliance mode, covering the copies of every objective that copies there.
   * @default - no central account
   */
  readonly centralVaultLock?: OrganizationVaultLock;
  /** The policy document (`Content`), as a JSON object. */
  readonly content: { [key: string]: any };
  /** Its size in characters, as the quota counts it (compact JSON). */
  readonly contentCharacters: number;
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

/**
 * Plans an AWS Organizations backup policy from recovery objectives. Pure: the CDK and Pulumi
 * constructs render its `content` unchanged.
 */
export class OrganizationPolicyPlanner {
  /**
   * The policy plan: one backup plan per objective (rules from the same planner as the
   * per-stack constructs), rendered and checked against the documented backup policy rules.
   */
  public static plan(props: OrganizationPolicyProps): OrganizationPolicyPlan {
    const where = 'organization backup policy';
    if (!props || !Array.isArray(props.objectives) || props.objectives.length === 0) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${where}: \`objectives\` is empty: give at least one RecoveryObjective (each becomes one backup plan selecting resources tagged with its name)`);
    }
    const regions = [...(props.regions ?? [])];
    if (regions.length === 0) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${where}: \`regions\` is empty: "Policies must specify the AWS Regions and resources to be backed up" (${Facts.ORG_BACKUP_POLICY_SYNTAX_SOURCE}); give the regions whose resources the policy backs up, for example ["us-east-1"]`);
    }
    for (const r of regions) checkAwsRegion('regions', r, where);
    if (new Set(regions).size !== regions.length) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX, `${where}: \`regions\` lists a region twice (${regions.join(', ')}): list each region once`);
    }
    checkAwsRegion('secondaryRegion', props.secondaryRegion, where);
    checkAwsRegion('centralRegion', props.centralRegion, where);
    const vaultName = props.vaultName ?? OrganizationDefaults.VAULT_NAME;
    const centralVaultName = props.centralVaultName ?? OrganizationDefaults.CENTRAL_VAULT_NAME;
    for (const [input, name] of [['vaultName', vaultName], ['centralVaultName', centralVaultName]]) {
      if (!VAULT_NAME.test(name)) {
        throw new DrkitError(DrkitErrorCode.ORG_POLICY_NAME,
          `${where}: \`${input}\` "${name}" is not a backup vault name: ${Facts.BACKUP_VAULT_NAME_RULE.statement} (${Facts.BACKUP_VAULT_NAME_RULE.source}); use 2 to 50 letters, digits, hyphens or underscores`);
      }
    }
    const roleName = props.backupRoleName ?? OrganizationDefaults.BACKUP_ROLE_NAME;
    if (!ROLE_NAME.test(roleName)) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_NAME,
        `${where}: \`backupRoleName\` "${roleName}" is not an IAM role name: "${IAM_ROLE_NAME_RULE}" (${IAM_ROLE_NAME_SOURCE}); use 1 to 64 letters, digits or +=,.@_-`);
    }
    const tagKey = props.tagKey ?? OrganizationDefaults.TAG_KEY;
    if (!tagKey || tagKey.toLowerCase().startsWith('aws:')) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_NAME,
        `${where}: \`tagKey\` "${tagKey}" cannot select resources: it is empty or uses the reserved prefix "aws:"; use for example "${OrganizationDefaults.TAG_KEY}"`);
    }
    const backupAccount = props.backupAccount;
    if (backupAccount !== undefined && !/^\d{12}$/.test(backupAccount)) {
      throw new DrkitError(DrkitErrorCode.ORG_TARGET,
        `${where}: \`backupAccount\` must be a 12-digit AWS account id: "${Facts.ORG_POLICY_COPY_TARGET.statement}" (${Facts.ORG_POLICY_COPY_TARGET.source}); got ${JSON.stringify(backupAccount)}`);
    }
    const secondaryRegion = props.secondaryRegion;
    const centralRegion = backupAccount ? (props.centralRegion ?? regions[0]) : undefined;
    const prefix = props.planNamePrefix ?? OrganizationDefaults.PLAN_PREFIX;
    const partition = props.partition ?? 'aws';

    const names = new Map<string, string>();
    const plans = props.objectives.map(o => {
      const plan = planObjective(o, { ...props, regions, prefix, where });
      const other = names.get(plan.planName);
      if (other !== undefined) {
        throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
          `${where}: objectives "${other}" and "${o.name}" both become the backup plan "${plan.planName}": "Duplicate key names will be rejected in JSON" (${Facts.ORG_BACKUP_POLICY_SYNTAX_SOURCE}); give every objective a distinct \`name\``);
      }
      names.set(plan.planName, o.name);
      return plan;
    });

    const control = props.childPolicyControl ?? ChildPolicyControl.LOCKED;
    const content = renderPolicy(plans, {
      regions,
      vaultName,
      centralVaultName,
      roleName,
      tagKey,
      partition,
      control,
      centralRegion,
      archive: props.archiveSupportedResources,
      windowsVss: props.windowsVss,
    });
    const contentCharacters = checkBackupPolicyDocument(content, where);

    const advisories = plans.flatMap(p => p.advisories);
    const otherRegions = centralRegion ? regions.filter(r => r !== centralRegion) : [];
    if (plans.some(p => p.copyAccount) && otherRegions.length > 0) {
      advisories.push(`${where}: copies from ${otherRegions.join(', ')} to the central vault in ${centralRegion} are cross-Region and cross-account in one copy action; check each resource type in AWS Backup's feature availability table (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html), or give each region its own policy with \`centralRegion\` set to it`);
    }

    const memberLock = mergedLock(props.objectives.map((o, i) => vaultPlanFor(o, plans[i].rules)), props.objectives);
    const central = props.objectives
      .map((o, i) => ({ o, p: plans[i] }))
      .filter(x => x.p.copyAccount !== undefined);
    let centralVaultLock: OrganizationVaultLock | undefined;
    if (central.length > 0) {
      const keeps = central.flatMap(x => x.p.rules.flatMap(r => r.copies.filter(c => c.account).map(c => c.deleteAfterDays)));
      centralVaultLock = {
        mode: Immutability.COMPLIANCE,
        minRetentionDays: Math.max(1, Math.min(...keeps)),
        maxRetentionDays: Math.min(Facts.VAULT_LOCK_MAX_RETENTION_DAYS, Math.max(...keeps)),
        changeableForDays: Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS,
      };
    }
    const memberRegions = [...regions, ...(secondaryRegion && plans.some(p => p.copyRegion) ? [secondaryRegion] : [])];
    return {
      plans,
      regions,
      memberRegions,
      vaultName,
      backupRoleName: roleName,
      tagKey,
      vaultLock: memberLock,
      backupAccount: plans.some(p => p.copyAccount) ? backupAccount : undefined,
      centralRegion: plans.some(p => p.copyAccount) ? centralRegion : undefined,
      centralVaultName,
      centralVaultLock,
      content,
      contentCharacters,
      advisories,
    };
  }

  private constructor() {}
}

/** The IAM role name rule (IAM API CreateRole). @internal */
export const IAM_ROLE_NAME_RULE = 'RoleName [...] Length Constraints: Minimum length of 1. Maximum length of 64. Pattern: [\\w+=,.@-]+';
/** @internal */
export const IAM_ROLE_NAME_SOURCE = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html';

/**
 * Template metadata key on the policy resource: the objective (`RecoveryObjective.toJson()`) of
 * every backup plan of the policy, by plan name, for the recovery report.
 */
export const ORG_OBJECTIVES_METADATA = 'drkit:org-objectives';

const ORG_TARGET_ID = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ORG_TARGET_SOURCE = 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html';

/**
 * Refuses (DRK104) policy targets that are not a root (`r-`), an OU (`ou-`) or a 12-digit
 * account (the AttachPolicy `TargetId` pattern), and targets listed twice.
 *
 * @param unresolved tells values known only at deployment (not checked)
 * @internal
 */
export function checkPolicyTargets(targets: string[], where: string, unresolved: (t: string) => boolean = () => false): void {
  for (const t of targets) {
    if (unresolved(t)) continue;
    if (!ORG_TARGET_ID.test(t)) {
      throw new DrkitError(DrkitErrorCode.ORG_TARGET,
        `${where}: \`targetIds\` has "${t}", which is not a root (r-...), OU (ou-...-...) or 12-digit account id: the policy attaches only to those (pattern ${ORG_TARGET_ID.source}, ${ORG_TARGET_SOURCE})`);
    }
  }
  if (new Set(targets).size !== targets.length) {
    throw new DrkitError(DrkitErrorCode.ORG_TARGET, `${where}: \`targetIds\` lists a target twice (${targets.join(', ')}): list each once`);
  }
}

/**
 * Refuses (DRK104) StackSet deployment targets other than the root or OUs (service-managed
 * StackSets deploy to organizational units).
 *
 * @internal
 */
export function checkStackSetTargets(ous: string[], where: string, unresolved: (t: string) => boolean = () => false): void {
  for (const ou of ous) {
    if (unresolved(ou)) continue;
    if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(ou)) {
      throw new DrkitError(DrkitErrorCode.ORG_TARGET,
        `${where}: \`organizationalUnitIds\` has "${ou}": a service-managed StackSet deploys to the organization root (r-...) or OUs (ou-...-...), not to account ids`);
    }
  }
}

interface ObjectiveContext extends OrganizationPolicyOptions {
  readonly prefix: string;
  readonly where: string;
}

function planObjective(o: RecoveryObjective, ctx: ObjectiveContext): OrganizationObjectivePlan {
  const planName = `${ctx.prefix}${o.name}`.replace(/[^A-Za-z0-9\-_.]/g, '-');
  if (planName.length > Facts.BACKUP_PLAN_NAME_MAX) {
    throw new DrkitError(DrkitErrorCode.ORG_POLICY_NAME,
      `${ctx.where}: the backup plan name "${planName}" of objective "${o.name}" is ${planName.length} characters: ${Facts.BACKUP_PLAN_NAME_RULE.statement} (${Facts.BACKUP_PLAN_NAME_RULE.source}); shorten the objective's \`name\` or \`planNamePrefix\``);
  }
  const what = `objective "${o.name}" in the ${ctx.where}`;
  const advisories: string[] = [];
  const startHours = Facts.BACKUP_MIN_START_WINDOW.toHours();

  let copyRegion: string | undefined;
  if (o.covers(Disruption.REGION_OUTAGE)) {
    copyRegion = ctx.secondaryRegion;
    if (!copyRegion) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${what}: region outage is among its disruptions, but no \`secondaryRegion\` is given: the policy copies every recovery point to the same-named vault in that region ("Use $account for same-account copies", ${Facts.ORG_POLICY_COPY_TARGET.source}); set \`secondaryRegion\`, for example "us-west-2", or remove Disruption.REGION_OUTAGE`);
    }
    if (ctx.regions.includes(copyRegion)) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${what}: \`secondaryRegion\` "${copyRegion}" is also one of \`regions\` (${ctx.regions.join(', ')}): its resources would be copied into the vault they are backed up in, which does not survive that region's outage (a copy action's vault ARN names one region: ${Facts.ORG_POLICY_COPY_TARGET.statement}); remove it from \`regions\` and protect it with a second OrganizationBackupPolicy whose secondaryRegion is another region`);
    }
  }
  let copyAccount: string | undefined;
  if (o.covers(Disruption.ACCOUNT_COMPROMISE)) {
    copyAccount = ctx.backupAccount;
    if (!copyAccount) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${what}: account compromise is among its disruptions, but no \`backupAccount\` is given: a backup in the same account does not survive its compromise; set \`backupAccount\` to the central backup account ("Use actual account ID for cross-account copies", ${Facts.ORG_POLICY_COPY_TARGET.source}), or remove Disruption.ACCOUNT_COMPROMISE`);
    }
  }

  // The snapshot interval: the copies must meet the region-outage and account-compromise RPOs.
  const copied = o.targets.filter(t => (t.disruption === Disruption.REGION_OUTAGE || t.disruption === Disruption.ACCOUNT_COMPROMISE));
  let interval = o.backupInterval ? Math.max(1, Math.round(o.backupInterval.toHours())) : 24;
  for (const t of copied) {
    const fit = Planner.intervalFor(t.rpo);
    if (fit === undefined) {
      const floor = Facts.BACKUP_MIN_INTERVAL.plus(Facts.BACKUP_MIN_START_WINDOW);
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${what} by scheduled backups with copies: the shortest AWS Backup schedule is hourly and a job may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window), so the worst case is at least ${floor.toHuman()} plus the copy time, which AWS does not publish (${Facts.BACKUP_PLAN_SOURCE}, ${Facts.BACKUP_COPY_SOURCE}); raise the ${disruptionTitle(t.disruption)} rpo to at least ${floor.toHuman()} with \`perDisruption\`, or protect the resources with replication (DrStandby, CrossRegionReplicatedBucket) in their stacks`);
    }
    if (o.backupInterval) {
      if (interval + startHours > t.rpo.toHours()) {
        throw new DrkitError(DrkitErrorCode.SCHEDULE_EXCEEDS_RPO,
          `\`backupInterval\` ${o.backupInterval.toHuman()} cannot meet \`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} for ${what}: a backup every ${interval} hour(s) that may start up to ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} late (start window, ${Facts.BACKUP_PLAN_SOURCE}) can lose up to ${Period.hours(interval + startHours).toHuman()}; back up every ${fit} hour(s) or less`);
      }
    } else {
      interval = Math.min(interval, fit);
    }
  }

  // Local disruptions: snapshots when they meet the RPO, else continuous backup.
  const local = o.covers(Disruption.DATA_CORRUPTION) || o.covers(Disruption.AZ_OUTAGE);
  let continuous = ctx.continuousBackup === true;
  if (local) {
    const rpo = localRpo(o);
    if (interval + startHours > rpo.toHours()) {
      const fit = Planner.intervalFor(rpo);
      if (fit !== undefined && !o.backupInterval) {
        interval = Math.min(interval, fit);
      } else if (ctx.continuousBackup === false) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${rpo.toHuman()} against data corruption and AZ outage cannot be met for ${what} by scheduled backups (every ${interval} hour(s) plus a ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} start window, ${Facts.BACKUP_PLAN_SOURCE}) and \`continuousBackup\` is false: allow continuous backup (${Mechanism.AWS_BACKUP_CONTINUOUS.rpo.source}), or raise the rpo`);
      } else {
        continuous = true;
      }
    }
  }
  if (continuous) {
    advisories.push(`${what}: the rpo against data corruption is met by AWS Backup continuous backup (${Mechanism.AWS_BACKUP_CONTINUOUS.limits.join('; ')}; ${Mechanism.AWS_BACKUP_CONTINUOUS.rpo.source}); other tagged resources get the ${interval}-hour snapshots, so their stacks must keep native point-in-time recovery on (DynamoDB PITR, RDS automated backups), as drkit's constructs do in organization mode`);
  }

  checkRto(o, Disruption.DATA_CORRUPTION, [rtoCandidate(Mechanism.AWS_BACKUP)], what, advisories);
  checkRto(o, Disruption.REGION_OUTAGE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_REGION_COPY)], what, advisories);
  checkRto(o, Disruption.ACCOUNT_COMPROMISE, [rtoCandidate(Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY)], what, advisories);

  const pit = Math.max(1, Math.min(o.retention.pointInTimeDays, Facts.BACKUP_CONTINUOUS_MAX_DAYS));
  const rules: BackupRulePlan[] = [
    ...(continuous ? [backupRule('Continuous', Planner.cronEvery(24), 24, pit, true, [])] : []),
    ...gfsRules(o, interval, copyRegion, copyAccount),
  ];

  const worst = Period.hours(interval).plus(Facts.BACKUP_MIN_START_WINDOW);
  const achieved: AchievedTarget[] = o.targets.map(t => {
    if (t.disruption === Disruption.REGION_OUTAGE || t.disruption === Disruption.ACCOUNT_COMPROMISE) {
      const mech = t.disruption === Disruption.REGION_OUTAGE ? Mechanism.AWS_BACKUP_CROSS_REGION_COPY : Mechanism.AWS_BACKUP_CROSS_ACCOUNT_COPY;
      return {
        disruption: t.disruption,
        rpoSeconds: worst.totalSeconds,
        rpoKind: BoundKind.ESTIMATED,
        rpoIsLowerBound: true,
        rtoKind: BoundKind.NONE,
        mechanisms: [mech.id],
        basis: `at least a backup every ${interval}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()}, copied to ${t.disruption === Disruption.REGION_OUTAGE ? copyRegion : copyAccount}; ${Facts.BACKUP_COPY_TIME.statement} (${Facts.BACKUP_COPY_TIME.source})`,
      };
    }
    if (continuous) {
      return {
        disruption: t.disruption,
        rpoKind: Mechanism.AWS_BACKUP_CONTINUOUS.rpo.kind,
        rtoKind: BoundKind.NONE,
        mechanisms: [Mechanism.AWS_BACKUP_CONTINUOUS.id, Mechanism.AWS_BACKUP.id],
        basis: `continuous backup kept ${pit} days: ${Mechanism.AWS_BACKUP_CONTINUOUS.rpo.statement} (${Mechanism.AWS_BACKUP_CONTINUOUS.rpo.source}); other resource types: a backup every ${interval}h plus the start window`,
      };
    }
    return {
      disruption: t.disruption,
      rpoSeconds: worst.totalSeconds,
      rpoKind: BoundKind.ESTIMATED,
      rtoKind: BoundKind.NONE,
      mechanisms: [Mechanism.AWS_BACKUP.id],
      basis: `a backup every ${interval}h plus a start window of ${Facts.BACKUP_MIN_START_WINDOW.toHuman()} (${Facts.BACKUP_PLAN_SOURCE})`,
    };
  });
  return { objectiveName: o.name, planName, rules, copyRegion, copyAccount, achieved, advisories };
}

function mergedLock(vaults: ReturnType<typeof vaultPlanFor>[], objectives: RecoveryObjective[]): OrganizationVaultLock | undefined {
  const merged = mergeVaultLocks(vaults);
  if (!merged) return undefined;
  const compliance = objectives.some(o => o.immutability === Immutability.COMPLIANCE);
  return {
    mode: compliance ? Immutability.COMPLIANCE : Immutability.GOVERNANCE,
    minRetentionDays: merged.minRetentionDays,
    maxRetentionDays: merged.maxRetentionDays,
    changeableForDays: compliance ? (merged.changeableForDays ?? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS) : undefined,
  };
}

interface RenderOptions {
  readonly regions: string[];
  readonly vaultName: string;
  readonly centralVaultName: string;
  readonly roleName: string;
  readonly tagKey: string;
  readonly partition: string;
  readonly control: ChildPolicyControl;
  readonly centralRegion?: string;
  readonly archive?: boolean;
  readonly windowsVss?: boolean;
}

const assign = (value: string | string[]) => ({ '@@assign': value });
const CHILD = '@@operators_allowed_for_child_policies';

function lifecycle(deleteAfter: number, coldAfter: number | undefined, archive: boolean | undefined): any {
  return {
    ...(coldAfter !== undefined ? { move_to_cold_storage_after_days: assign(String(coldAfter)) } : {}),
    delete_after_days: assign(String(deleteAfter)),
    ...(coldAfter !== undefined && archive !== undefined ? { opt_in_to_archive_for_supported_resources: assign(String(archive)) } : {}),
  };
}

/** The destination vault ARN of a copy: `$account` for same-account copies, the account id for cross-account ones. */
function copyArn(copy: { region?: string; account?: string }, o: RenderOptions): string {
  if (copy.account) return `arn:${o.partition}:backup:${o.centralRegion}:${copy.account}:backup-vault:${o.centralVaultName}`;
  return `arn:${o.partition}:backup:${copy.region}:$account:backup-vault:${o.vaultName}`;
}

function renderPolicy(plans: OrganizationObjectivePlan[], o: RenderOptions): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  for (const p of plans) {
    const rules: { [key: string]: any } = {};
    for (const r of p.rules) {
      const rule: { [key: string]: any } = {
        schedule_expression: assign(r.scheduleExpression),
        start_backup_window_minutes: assign(String(r.startWindowMinutes)),
        complete_backup_window_minutes: assign(String(r.completionWindowMinutes)),
        target_backup_vault_name: assign(o.vaultName),
        ...(r.enableContinuousBackup ? { enable_continuous_backup: assign('true') } : {}),
        lifecycle: lifecycle(r.deleteAfterDays, r.moveToColdStorageAfterDays, o.archive),
      };
      if (r.copies.length > 0) {
        const copies: { [key: string]: any } = {};
        for (const c of r.copies) {
          const arn = copyArn(c, o);
          copies[arn] = { target_backup_vault_arn: assign(arn), lifecycle: lifecycle(c.deleteAfterDays, c.moveToColdStorageAfterDays, o.archive) };
        }
        rule.copy_actions = copies;
      }
      rules[r.name] = rule;
    }
    const selectionId = o.tagKey.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
    const plan: { [key: string]: any } = {
      regions: assign([...o.regions]),
      rules,
      selections: {
        tags: {
          [selectionId]: {
            iam_role_arn: assign(`arn:${o.partition}:iam::$account:role${OrganizationDefaults.ROLE_PATH}${o.roleName}`),
            tag_key: assign(o.tagKey),
            tag_value: assign([p.objectiveName]),
          },
        },
      },
      ...(o.windowsVss !== undefined ? { advanced_backup_settings: { ec2: { windows_vss: assign(o.windowsVss ? 'enabled' : 'disabled') } } } : {}),
      backup_plan_tags: {
        [selectionId]: { tag_key: assign(o.tagKey), tag_value: assign(p.objectiveName) },
      },
    };
    out[p.planName] = o.control === ChildPolicyControl.LOCKED ? lockEveryNode(plan) : plan;
  }
  return { plans: o.control === ChildPolicyControl.LOCKED ? { [CHILD]: ['@@append'], ...out } : out };
}

/** `@@operators_allowed_for_child_policies: ["@@none"]` on every object node (the documentation's Example 3). */
function lockEveryNode(node: any): any {
  if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
  const out: { [key: string]: any } = { [CHILD]: ['@@none'] };
  for (const [k, v] of Object.entries(node)) out[k] = k.startsWith('@@') ? v : lockEveryNode(v);
  return out;
}
