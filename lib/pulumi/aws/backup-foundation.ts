// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as crypto from 'crypto';
import * as backup from '@pulumi/aws/backup';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { BACKUP_ACCOUNT_VAULT_NAME, ExtraCopy, planRuleArgs, renderVault } from './backup';
import { awsReport, CloudReportEntry } from './report';
import { AwsIdentity, awsIdentity, awsProviderOf, defaultRegion, providerKey, sharedInRun, sharedName } from './shared';
import {
  BACKUP_HEALTH_METRICS, BACKUP_METRICS_NAMESPACE, backupHealthRows, checkFailedJobShareThreshold,
  DEFAULT_FAILED_JOB_SHARE_THRESHOLD, DEFAULT_HEALTH_PERIOD_SECONDS, failedJobShare, failedJobShareAlarmDescription,
} from '../../core/backup-evidence';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { BackupRulePlan, CopyPlan, Planner, ProtectionPlan, ResourceKind, VaultPlan } from '../../core/plan';
import {
  AuditControlPlan, auditInputsFromPlan, backupResourceType, defaultLockRetentionDays, deriveAuditControls, deriveRestoreTesting,
  jobFailurePatterns, kindTitle, MergedVaultLock, mergeBackupRules, mergeVaultLocks, planBackupResource, restoreTestingSelectionName,
  RestoreTestingDerivation, withoutRedundantRules,
} from '../../core/plan-backup';

/**
 * The tag whose value names the plan that backs a resource up: an open foundation's plans
 * select their resources by it (one selection per plan, however many resources join).
 */
export const BACKUP_PLAN_TAG = 'drkit:backup-plan';

/** The tag whose value names the foundation (objective) a resource belongs to: the scope of its audit controls. */
export const BACKUP_OBJECTIVE_TAG = 'drkit:backup-objective';

/** A resource protected by a `BackupFoundation`. */
export interface BackupFoundationResource {
  /** A short name, unique in the foundation: it names the resource in messages (and the selection of `addResource`). */
  readonly name: string;
  /** The resource's ARN (table, bucket, DB instance or cluster, file system, volume). */
  readonly arn: pulumi.Input<string>;
  /** What the resource is: it sets the schedule its backups need. */
  readonly kind: ResourceKind;
}

/** How a foundation is set up, besides its objective (`BackupFoundation.of`, and the args of `new BackupFoundation`). */
export interface BackupFoundationOptions {
  /**
   * Region of the protected resources: the vault, plans and evidence go there.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * Region recovery points are copied to (needed when region outage is among the
   * disruptions). The copy vault and its key are created there.
   * @default - no cross-region copy
   */
  readonly secondaryRegion?: string;
  /**
   * Account recovery points are copied to (needed when account compromise is among the
   * disruptions). The vault key's policy lets that account use the key for copies.
   * @default - no cross-account copy
   */
  readonly backupAccount?: string;
  /**
   * ARN of the vault in `backupAccount` that receives copies (create it there).
   * @default - the vault named `drkit-backup-account-vault` in `backupAccount`, in the vault's region
   */
  readonly accountCopyVaultArn?: pulumi.Input<string>;
  /**
   * Also copy every recovery point to a logically air-gapped vault
   * (`aws.backup.LogicallyAirGappedVault`) in this account and region: AWS Backup locks it in
   * compliance mode and encrypts it with an AWS-owned key, so its recovery points survive the
   * compromise of this account's credentials. Share it with a recovery account through AWS RAM
   * to restore from there. Copies are kept as long as the rule's points, at least 7 days (the
   * vault's minimum), and never move to cold storage.
   * @default false
   */
  readonly airGappedVault?: boolean;
  /**
   * Restore-test every protected resource type on a schedule derived from the objective.
   * @default true
   */
  readonly restoreTesting?: boolean;
  /**
   * A Backup Audit Manager framework derived from the objective (needs AWS Config recording
   * in the account and region).
   * @default true
   */
  readonly auditFramework?: boolean;
  /**
   * Failed, expired and aborted backup, copy and restore jobs go to a KMS-encrypted SNS topic.
   * @default true
   */
  readonly notifications?: boolean;
  /**
   * A CloudWatch dashboard of the vault's jobs and an alarm on the share of failed jobs,
   * notifying the notifications topic when there is one.
   * @default true
   */
  readonly healthDashboard?: boolean;
  /**
   * The share of failed jobs (0 to 1, 1 excluded) above which the health alarm fires.
   * @default 0.1
   */
  readonly failedJobShareThreshold?: number;
}

/** Arguments of {@link BackupFoundation}. */
export interface BackupFoundationArgs extends BackupFoundationOptions {
  /** The objective every protected resource shares. */
  readonly objective: RecoveryObjective;
  /**
   * Resources protected from the start: one backup selection (by ARN) for all of them.
   * @default - none
   */
  readonly resources?: BackupFoundationResource[];
  /**
   * Kinds of resource the foundation protects besides those in `resources`. With `resources`
   * or `resourceKinds`, the foundation has one plan whose rules, restore-testing selections
   * and audit scope are derived from these kinds when it is created, and `addResource` adds
   * resources of these kinds by ARN. With neither, the foundation is open: every resource
   * that joins (the components do, or `join`) gets the plan of its own rules, one plan per
   * distinct set of rules, selecting its resources by tag.
   * @default - the kinds in `resources`; with no `resources` either, an open foundation
   */
  readonly resourceKinds?: ResourceKind[];
}

/** The restore-testing resources of a foundation. */
export interface BackupFoundationRestoreTesting {
  /** What the schedule and windows were derived to. */
  readonly derived: RestoreTestingDerivation;
  /** The role AWS Backup restores (and deletes) test resources with. */
  readonly role: iam.Role;
  /** The restore testing plan. */
  readonly plan: backup.RestoreTestingPlan;
  /** One selection per protected resource type (an open foundation adds one when a type first joins). */
  readonly selections: backup.RestoreTestingSelection[];
}

/** The notification resources of a foundation. */
export interface BackupFoundationNotifications {
  /** The key that encrypts the topic (its policy lets EventBridge and CloudWatch of this account use it). */
  readonly key: kms.Key;
  /** The topic. */
  readonly topic: sns.Topic;
  /** Its policy (TLS only; EventBridge and CloudWatch alarms of this account may publish). */
  readonly topicPolicy: sns.TopicPolicy;
  /** The rules for failed backup, copy and restore jobs, in that order. */
  readonly rules: cloudwatch.EventRule[];
  /** Their targets (the topic). */
  readonly targets: cloudwatch.EventTarget[];
}

/** The backup health dashboard of a foundation. */
export interface BackupFoundationHealth {
  /** The dashboard of the vault's jobs. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The alarm on the share of failed backup and copy jobs. */
  readonly failedJobShareAlarm: cloudwatch.MetricAlarm;
}

/** One plan of a foundation: the rules of the resources that share them. */
export interface BackupFoundationPlan {
  /** The plan's resource name. */
  readonly name: string;
  /** Its rules. */
  readonly rules: BackupRulePlan[];
  /** The plan. */
  readonly plan: backup.Plan;
  /**
   * The value of the `drkit:backup-plan` tag its selection picks (open foundations).
   * @default - none: a foundation with declared kinds selects by ARN
   */
  readonly tagValue?: string;
  /**
   * Its tag selection (open foundations).
   * @default - none: a foundation with declared kinds selects by ARN
   */
  readonly selection?: backup.Selection;
}

/** A resource that joins a foundation: its name, kind and protection plan. */
export interface BackupMember {
  /** A short name, unique in the foundation (letters, digits, '-', '_'). */
  readonly name: string;
  /** What the resource is. */
  readonly kind: ResourceKind;
  /** Its plan (the rules, copies and vault lock it needs). */
  readonly plan: ProtectionPlan;
}

/** What joining a foundation gives a resource. */
export interface BackupMembership {
  /** The resource name of the plan that backs the resource up. */
  readonly planName: string;
  /** The plan that backs the resource up. */
  readonly plan: backup.Plan;
  /**
   * Tags to put on the resource: the plan's tag selection picks it, and the audit controls
   * are scoped to it. Empty for a foundation with declared kinds (select the resource with
   * `selectByArn`).
   */
  readonly tags: { [key: string]: string };
  /**
   * The plan's tag selection (open foundations).
   * @default - none: a foundation with declared kinds selects by ARN
   */
  readonly selection?: backup.Selection;
}

/** One line of a foundation's report: a protected resource against one disruption. */
export interface BackupFoundationReportEntry extends CloudReportEntry {
  /** The resource (its member name; `<kind>s` for a declared kind). */
  readonly resource: string;
}

/** What a foundation was set up with (plain JSON). */
export interface BackupFoundationSummary {
  /** The objective's name. */
  readonly objective: string;
  /**
   * Region of the vault.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * Region copies go to.
   * @default - no cross-region copy
   */
  readonly copyRegion?: string;
  /**
   * Account copies go to.
   * @default - no cross-account copy
   */
  readonly copyAccount?: string;
  /**
   * The Vault Lock of the vaults.
   * @default - no Vault Lock
   */
  readonly lock?: MergedVaultLock;
  /** Whether every recovery point is also copied to a logically air-gapped vault. */
  readonly airGappedVault: boolean;
  /** The plans and their rules. */
  readonly plans: Array<{ name: string; rules: BackupRulePlan[] }>;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const KINDS = Object.values(ResourceKind) as string[];

/**
 * One hardened AWS Backup foundation that the resources of one objective share: a vault
 * encrypted with a customer-managed key (rotation on; key and vault retained on delete), an
 * access policy that denies deleting recovery points, Vault Lock from the objective's
 * immutability, a copy vault in the secondary region, copies to a vault in another account and
 * optionally to a logically air-gapped vault, one service role, plans whose rules are the core
 * planner's, and the evidence: restore testing per resource type, a Backup Audit Manager
 * framework, job-failure notifications to an encrypted topic, and a health dashboard with an
 * alarm on the share of failed jobs.
 *
 * `DynamoContinuousBackup` and `RdsPitrPolicy` share one foundation per objective, region and
 * AWS provider, created on first use (`BackupFoundation.of`), as the CDK constructs share one
 * `ObjectiveBackup` per stack and objective: ten tables with one objective get one vault, one
 * plan and one tag selection, not ten. Resources whose rules differ (a table and an RDS
 * instance, whose automated backups carry the point-in-time window) get a plan each in the
 * same vault, so every rule applies only to the resources that asked for it.
 *
 * Compliance-mode Vault Lock cannot be removed after its cooling-off period: the component
 * logs a warning saying so.
 */
export class BackupFoundation extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:BackupFoundation';

  /**
   * The foundation that the resources of `objective` in `options.region` share in this
   * program, created on first use (no parent: it belongs to every component that joins it).
   * Its name is derived from the objective's name, the region and the AWS provider, so it is
   * the same in every run of the program. Call it before the components to set options
   * (`airGappedVault`, evidence); a later call with other options set fails, one that leaves
   * them unset keeps the first call's.
   *
   * @param objective the objective its resources share
   * @param options region, copy targets and evidence options
   * @param opts the `provider` (or a parent whose provider to use)
   */
  public static of(objective: RecoveryObjective, options: BackupFoundationOptions = {}, opts?: pulumi.ComponentResourceOptions): BackupFoundation {
    const provider = awsProviderOf(opts);
    const resolved = { ...options, region: options.region ?? defaultRegion(provider) };
    const name = BackupFoundation.sharedNameOf(objective, resolved.region, provider);
    const existing = sharedInRun<{ current?: BackupFoundation }>(`foundation|${name}`, () => ({}));
    if (existing.current) {
      existing.current.checkSame(objective, resolved);
      return existing.current;
    }
    existing.current = new BackupFoundation(name, { ...resolved, objective }, { ...(provider ? { provider } : {}) });
    return existing.current;
  }

  /**
   * Throws the DrkitError that `BackupFoundation.of` would throw for these arguments (the
   * shared foundation exists with other settings), without creating anything.
   *
   * @param objective the objective
   * @param options the options
   * @param opts the provider options
   */
  public static checkOf(objective: RecoveryObjective, options: BackupFoundationOptions = {}, opts?: pulumi.ComponentResourceOptions): void {
    const provider = awsProviderOf(opts);
    const resolved = { ...options, region: options.region ?? defaultRegion(provider) };
    const name = BackupFoundation.sharedNameOf(objective, resolved.region, provider);
    const existing = sharedInRun<{ current?: BackupFoundation }>(`foundation|${name}`, () => ({}));
    if (existing.current) existing.current.checkSame(objective, resolved);
    else checkArgs(`BackupFoundation ${name}`, { ...resolved, objective });
  }

  private static sharedNameOf(objective: RecoveryObjective, region: string | undefined, provider?: pulumi.ProviderResource): string {
    if (!objective || typeof (objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'BackupFoundation.of: `objective` is required and must be a RecoveryObjective');
    }
    return sharedName(['drkit-backup', objective.name || 'objective', region, providerKey(provider)], 80);
  }

  /** The objective. */
  public readonly objective: RecoveryObjective;
  /** The kinds protected (declared, or joined so far). */
  public readonly kinds: ResourceKind[];
  /** Whether resources join with plans of their own rules (no `resources` or `resourceKinds` given). */
  public readonly open: boolean;
  /** The rules of the plans (for an open foundation, of every plan so far). */
  public readonly rules: BackupRulePlan[];
  /** The Vault Lock of the vaults, when the objective asks for immutability. */
  public readonly lock?: MergedVaultLock;
  /** Region of the vault, plans and protected resources (undefined: the provider's region). */
  public readonly region?: string;
  /** Region copies go to. */
  public readonly copyRegion?: string;
  /** Account copies go to. */
  public readonly copyAccount?: string;
  /** Key of the vault. */
  public readonly key: kms.Key;
  /** The vault. */
  public readonly vault: backup.Vault;
  /** Its access policy. */
  public readonly vaultPolicy: backup.VaultPolicy;
  /** Its lock. */
  public readonly vaultLock?: backup.VaultLockConfiguration;
  /** Key of the copy vault in the secondary region. */
  public readonly copyKey?: kms.Key;
  /** The copy vault in the secondary region. */
  public readonly copyVault?: backup.Vault;
  /** Its access policy. */
  public readonly copyVaultPolicy?: backup.VaultPolicy;
  /** Its lock. */
  public readonly copyVaultLock?: backup.VaultLockConfiguration;
  /** ARN of the vault in the backup account that receives copies. */
  public readonly accountCopyVaultArn?: pulumi.Output<string>;
  /** The logically air-gapped vault that receives a copy of every recovery point (with `airGappedVault`). */
  public readonly airGappedVault?: backup.LogicallyAirGappedVault;
  /** The role AWS Backup backs up and copies with. */
  public readonly role: iam.Role;
  /** Managed policies attached to the role. */
  public readonly roleAttachments: iam.RolePolicyAttachment[];
  /** The plans: one with declared kinds; one per distinct set of rules in an open foundation. */
  public readonly plans: BackupFoundationPlan[] = [];
  /** The ARN selections (`resources`, `addResource`, `selectByArn`) and the plans' tag selections. */
  public readonly selections: backup.Selection[] = [];
  /** The restore tests (with `restoreTesting`, the default). */
  public readonly restoreTesting?: BackupFoundationRestoreTesting;
  /** The audit framework (with `auditFramework`, the default). */
  public readonly framework?: backup.Framework;
  /** Its controls, as derived. */
  public readonly controls?: AuditControlPlan[];
  /** The notifications (with `notifications`, the default). */
  public readonly notifications?: BackupFoundationNotifications;
  /** The health dashboard and its alarm (with `healthDashboard`, the default). */
  public readonly health?: BackupFoundationHealth;

  private readonly foundationName: string;
  private readonly regionInput: { region?: string };
  private readonly identity: AwsIdentity;
  private readonly resourceNames = new Set<string>();
  private readonly options: BackupFoundationOptions;
  private readonly extraCopy?: ExtraCopy;
  private readonly restoreTypes = new Set<string>();
  private readonly planLabels = new Map<string, string>();
  private restoreAttachments: iam.RolePolicyAttachment[] = [];
  private readonly memberReports: BackupFoundationReportEntry[] = [];
  private s3Attached = false;
  private coldStorageNoted = false;

  constructor(name: string, args: BackupFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `BackupFoundation ${name}`;
    checkArgs(where, args);
    super(BackupFoundation.TYPE, name, {}, opts);
    this.foundationName = name;
    this.options = args;
    this.identity = awsIdentity(this.getProvider('aws::'));
    const o = args.objective;
    this.objective = o;
    this.region = args.region;
    this.regionInput = args.region !== undefined ? { region: args.region } : {};
    const resources = args.resources ?? [];
    for (const r of resources) this.claimName(where, r.name);
    const kinds: ResourceKind[] = [];
    for (const k of [...resources.map(r => r.kind), ...(args.resourceKinds ?? [])]) if (!kinds.includes(k)) kinds.push(k);
    this.kinds = kinds;
    this.open = kinds.length === 0;

    // Declared kinds: the core planner's plan for each, merged into one plan. Open: the lock
    // covers every retention tier of the objective (any resource's rules keep points for one
    // of them), and the copy targets are the objective's.
    let declaredRules: BackupRulePlan[] = [];
    if (!this.open) {
      const plans: ProtectionPlan[] = kinds.map(kind => {
        const context = { resourceName: `${kindTitle(kind)}s of ${where}`, region: args.region, secondaryRegion: args.secondaryRegion, backupAccount: args.backupAccount };
        return kind === ResourceKind.DYNAMODB_TABLE ? Planner.dynamoDbTable(o, context) : planBackupResource(o, kind, context);
      });
      for (const a of [...new Set(plans.flatMap(p => p.advisories))]) void pulumi.log.warn(`drkit: ${a}`, this);
      // Without the rules another rule of the same resource already covers (as the CDK ObjectiveBackup).
      declaredRules = mergeBackupRules(plans.flatMap(p => withoutRedundantRules(p.backupRules)));
      plans.forEach((p, i) => this.recordReport(`${kindTitle(kinds[i])}s`, p));
      this.lock = mergeVaultLocks(plans.map(p => p.vault));
      this.copyRegion = plans.find(p => p.copyRegion)?.copyRegion;
      this.copyAccount = plans.find(p => p.copyAccount)?.copyAccount;
    } else {
      this.lock = objectiveLock(o);
      this.copyRegion = o.covers(Disruption.REGION_OUTAGE) ? args.secondaryRegion : undefined;
      this.copyAccount = o.covers(Disruption.ACCOUNT_COMPROMISE) ? args.backupAccount : undefined;
    }
    this.rules = [...declaredRules];
    const lockPlan: VaultPlan = this.lock ? { lock: o.immutability, ...this.lock } : { lock: Immutability.NONE };

    const opts0: pulumi.CustomResourceOptions = { parent: this };
    const retained: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true };
    const keyPolicy = this.copyAccount !== undefined ? this.vaultKeyPolicy(this.copyAccount) : undefined;
    const primary = renderVault(name, lockPlan, `drkit: encrypts the backup vault of objective "${o.name}" (${name})`, this.regionInput, opts0, retained, keyPolicy);
    this.key = primary.key;
    this.vault = primary.vault;
    this.vaultPolicy = primary.policy;
    this.vaultLock = primary.lock;
    if (this.copyRegion) {
      const copy = renderVault(`${name}-copy`, lockPlan, `drkit: encrypts copies of objective "${o.name}" (${name}) in ${this.copyRegion}`, { region: this.copyRegion }, opts0, retained);
      this.copyKey = copy.key;
      this.copyVault = copy.vault;
      this.copyVaultPolicy = copy.policy;
      this.copyVaultLock = copy.lock;
    }
    if (this.copyAccount) {
      const account = this.copyAccount;
      // Built from parts (never parsed from an output that may be unknown at preview).
      this.accountCopyVaultArn = args.accountCopyVaultArn !== undefined
        ? pulumi.output(args.accountCopyVaultArn)
        : pulumi.interpolate`arn:${this.identity.partition}:backup:${args.region ?? this.vault.region}:${account}:backup-vault:${BACKUP_ACCOUNT_VAULT_NAME}`;
    }
    if (this.lock && this.lock.changeableForDays !== undefined) {
      void pulumi.log.warn(`drkit: Vault Lock in compliance mode for objective "${o.name}": after the cooling-off period of ${this.lock.changeableForDays} days from deployment the lock becomes immutable: nobody, including the root user and AWS, can remove it, shorten retention or delete recovery points early, and the vault cannot be deleted while it holds them. Deploy to a test account first.`, this);
    }

    if (args.airGappedVault) {
      const days = this.open ? objectiveTiers(o) : declaredRules.map(r => r.deleteAfterDays);
      const copyDays = days.map(d => Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, d));
      this.airGappedVault = new backup.LogicallyAirGappedVault(`${name}-airgapped`, {
        ...this.regionInput,
        name: boundedName(`${name}-airgapped`),
        minRetentionDays: Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, Math.min(...copyDays, Facts.VAULT_LOCK_MAX_RETENTION_DAYS)),
        maxRetentionDays: Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, ...copyDays),
      }, retained);
      this.extraCopy = {
        vaultArn: this.airGappedVault.arn,
        keepDays: d => Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, d),
      };
      void pulumi.log.info(`drkit: the logically air-gapped vault of objective "${o.name}" receives a copy of every recovery point; AWS Backup locks it in compliance mode. To restore when this account is lost, share it with a recovery account through AWS RAM (aws ram create-resource-share --name drkit-airgapped --resource-arns <vault ARN> --principals <recovery account id>) (${Facts.AIR_GAPPED_VAULT_SOURCE})`, this);
    }

    this.role = new iam.Role(`${name}-backup-role`, {
      description: `drkit: AWS Backup backs up and copies the resources of objective "${o.name}"`,
      assumeRolePolicy: JSON.stringify(assumedByBackup()),
    }, opts0);
    this.roleAttachments = [this.managedPolicy(`${name}-backup-policy`, this.role, 'service-role/AWSBackupServiceRolePolicyForBackup')];
    if (kinds.includes(ResourceKind.S3_BUCKET)) this.attachS3Policies();

    if (!this.open) {
      const plan = new backup.Plan(`${name}-plan`, {
        ...this.regionInput,
        rules: planRuleArgs(declaredRules, this.vault.name, c => this.copyTarget(where, c), this.extraCopy),
      }, opts0);
      this.plans.push({ name: `${name}-plan`, rules: declaredRules, plan });
      if (resources.length > 0) {
        this.selections.push(this.newSelection(`${name}-selection`, plan, { resources: resources.map(r => r.arn) }));
      }
    }

    const types = kinds.map(backupResourceType);
    if (args.restoreTesting ?? true) this.restoreTesting = this.renderRestoreTesting(name, where);
    for (const t of types) this.addRestoreTestingSelection(t);
    if (args.auditFramework ?? true) {
      const inputs = this.open
        ? {
          copyRegions: this.copyRegion ? [this.copyRegion] : [],
          copyAccounts: this.copyAccount ? [this.copyAccount] : [],
          lockMinRetentionDays: this.lock?.minRetentionDays,
          lockMaxRetentionDays: this.lock?.maxRetentionDays,
        }
        : auditInputsFromPlan(declaredRules, this.lock,
          this.copyRegion && o.covers(Disruption.REGION_OUTAGE) ? [this.copyRegion] : [],
          this.copyAccount ? [this.copyAccount] : []);
      const derived = deriveAuditControls(o, inputs, where);
      for (const note of derived.notes) void pulumi.log.warn(`drkit: ${note}`, this);
      this.controls = derived.controls;
      // Declared kinds: the controls are scoped to their resource types (as the CDK framework).
      // Open: to the resources tagged with this foundation, since the kinds join later.
      const scope = this.open ? { tags: { [BACKUP_OBJECTIVE_TAG]: name } } : { complianceResourceTypes: [...new Set(types)] };
      this.framework = new backup.Framework(`${name}-framework`, {
        ...this.regionInput,
        name: identifier(name, 'evidence', 256),
        description: `drkit: runtime evidence for objective "${o.name}" (rpo ${o.rpo.toHuman()}, rto ${o.rto.toHuman()})`.slice(0, 1024),
        controls: derived.controls.map(c => ({
          name: c.name,
          ...(c.parameters.length ? { inputParameters: c.parameters.map(x => ({ name: x.name, value: x.value })) } : {}),
          ...(c.scoped ? { scope } : {}),
        })),
      }, opts0);
      void pulumi.log.info('drkit: Backup Audit Manager evaluates these controls with AWS Config: AWS Config must record AWS Backup plans, vaults and recovery points and the protected resource types in this account and region, or the framework reports nothing', this);
    }
    if (args.notifications ?? true) this.notifications = this.renderNotifications(name);
    if (args.healthDashboard ?? true) this.health = this.renderHealth(name, where);
    if (!this.open) this.noteColdStorage(kinds, declaredRules);

    this.registerOutputs({
      plan: this.plan,
      ...(this.open ? {} : { report: this.report }),
      vaultArn: this.vault.arn,
      vaultName: this.vault.name,
      copyVaultArn: this.copyVault?.arn,
      airGappedVaultArn: this.airGappedVault?.arn,
      backupPlanArn: this.open ? undefined : this.plans[0].plan.arn,
      roleArn: this.role.arn,
      restoreTestingPlanName: this.restoreTesting?.plan.name,
      frameworkArn: this.framework?.arn,
      topicArn: this.notifications?.topic.arn,
      dashboardName: this.health?.dashboard.dashboardName,
    });
  }

  /** What the foundation was set up with, and its plans so far (plain JSON). */
  public get plan(): BackupFoundationSummary {
    return {
      objective: this.objective.name,
      region: this.region,
      copyRegion: this.copyRegion,
      copyAccount: this.copyAccount,
      lock: this.lock,
      airGappedVault: this.airGappedVault !== undefined,
      plans: this.plans.map(p => ({ name: p.name, rules: p.rules })),
    };
  }

  /**
   * Per resource (or declared kind) that joined so far and per disruption: the mechanisms,
   * RPO and RTO with their kinds and sources, from the core planner's achieved targets. Each
   * component's own `report` is the same lines for its resource.
   */
  public get report(): pulumi.Output<BackupFoundationReportEntry[]> {
    return pulumi.output([...this.memberReports]);
  }

  /** The plan of a foundation with declared kinds (the first plan of an open one, once a resource joined). */
  public get backupPlan(): backup.Plan {
    if (this.plans.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `BackupFoundation ${this.foundationName}: no resource has joined it yet, so it has no plan`);
    }
    return this.plans[0].plan;
  }

  /**
   * Throws the DrkitError that `join` would throw for this member (rules copying elsewhere than
   * the foundation, retention outside the vault lock, a name already taken, a kind or rule a
   * foundation with declared kinds was not planned for), without adding anything.
   *
   * @param member the resource, its kind and its plan
   */
  public checkJoin(member: BackupMember): void {
    const where = `BackupFoundation ${this.foundationName}`;
    const who = `${kindTitle(member.kind)} ${member.name}`;
    if (!KINDS.includes(member.kind)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `${where}: ${member.name} has kind ${JSON.stringify(member.kind)}, which is not a ResourceKind: use one of ${KINDS.join(', ')}`);
    }
    this.checkName(where, member.name);
    const copies = member.plan.backupRules.flatMap(r => r.copies);
    for (const c of copies) {
      if (c.target === 'region' && c.region !== this.copyRegion) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `${where}: ${who} copies its backups to region ${c.region}, but the foundation of objective "${this.objective.name}" copies to ${this.copyRegion ?? 'no region'}: the resources of one objective and region share one copy vault; give ${member.name} the same secondaryRegion, or another objective (with its own name)`);
      }
      if (c.target === 'account' && c.account !== this.copyAccount) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `${where}: ${who} copies its backups to account ${c.account}, but the foundation of objective "${this.objective.name}" copies to ${this.copyAccount ?? 'no account'}: give ${member.name} the same backupAccount, or another objective (with its own name)`);
      }
    }
    if (this.lock) {
      const outside = member.plan.backupRules.filter(r => r.deleteAfterDays < this.lock!.minRetentionDays
        || (this.lock!.maxRetentionDays !== undefined && r.deleteAfterDays > this.lock!.maxRetentionDays));
      if (outside.length > 0) {
        throw new DrkitError(DrkitErrorCode.VAULT_LOCK_MISMATCH,
          `${where}: ${who} keeps recovery points of rule(s) ${outside.map(r => `${r.name} (${r.deleteAfterDays} days)`).join(', ')}, outside the Vault Lock of the shared vault (${this.lock.minRetentionDays} to ${this.lock.maxRetentionDays ?? 'any'} days): AWS Backup refuses recovery points whose retention is outside a vault's lock (${Facts.VAULT_LOCK_SOURCE}); protect it against an objective of its own (another name)`);
      }
    }
    if (!this.open) {
      if (!this.kinds.includes(member.kind)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `${where}: ${member.name} is a ${kindTitle(member.kind)}, but the foundation was planned for ${this.kinds.map(kindTitle).join(', ')} only, so its plan and restore tests would not fit it: add ResourceKind.${Object.entries(ResourceKind).find(([, v]) => v === member.kind)![0]} to \`resourceKinds\``);
      }
      const strip = (r: object) => JSON.stringify({ ...r, name: undefined });
      const have = new Set(this.rules.map(strip));
      const missing = member.plan.backupRules.filter(r => !have.has(strip(r)));
      if (missing.length > 0) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `${where}: the foundation's plan lacks rule(s) ${missing.map(r => r.name).join(', ')} that ${who} needs (for example a replicated table keeps daily points longer): give it its own foundation, or none (the shared foundation of its objective gives it a plan of its own rules)`);
      }
    }
  }

  /**
   * Adds a resource: checks it (`checkJoin`), and gives it the plan of its rules. An open
   * foundation has one plan per distinct set of rules, with one selection by the
   * `drkit:backup-plan` tag: put the returned `tags` on the resource. A foundation with
   * declared kinds has one plan: select the resource with `selectByArn`.
   *
   * @param member the resource, its kind and its plan
   */
  public join(member: BackupMember): BackupMembership {
    this.checkJoin(member);
    this.resourceNames.add(member.name);
    this.noteSourceKey(member.name, member.kind, member.plan.backupRules);
    this.recordReport(member.name, member.plan);
    if (!this.kinds.includes(member.kind)) this.kinds.push(member.kind);
    if (!this.open) return { planName: this.plans[0].name, plan: this.plans[0].plan, tags: {} };
    if (member.kind === ResourceKind.S3_BUCKET) this.attachS3Policies();
    this.addRestoreTestingSelection(backupResourceType(member.kind));
    this.noteColdStorage([member.kind], member.plan.backupRules);
    // A plan per distinct rule set, without the rules another rule already covers (as the CDK ObjectiveBackup).
    const p = this.planFor(withoutRedundantRules(member.plan.backupRules));
    return {
      planName: p.name,
      plan: p.plan,
      selection: p.selection,
      tags: { [BACKUP_PLAN_TAG]: p.tagValue!, [BACKUP_OBJECTIVE_TAG]: this.foundationName },
    };
  }

  /**
   * Selects one resource by its ARN in the plan it joined (for a resource drkit cannot tag,
   * such as a table created elsewhere), named `<plan>-<member>` (or, with declared kinds,
   * `<foundation>-selection-<member>`). AWS Backup allows a limited number of selections per
   * plan: prefer tags.
   *
   * @param membership what `join` returned
   * @param memberName the name the resource joined with
   * @param arn the resource's ARN
   */
  public selectByArn(membership: BackupMembership, memberName: string, arn: pulumi.Input<string>): backup.Selection {
    const name = this.open
      ? `${membership.planName}-${memberName}`
      : `${this.foundationName}-selection-${memberName}`;
    const selection = this.newSelection(name, membership.plan, { resources: [arn] });
    this.selections.push(selection);
    return selection;
  }

  /**
   * Adds a resource to the plan of a foundation with declared kinds, with a selection of its
   * own (named `<name>-selection-<resourceName>`). Its kind must be one the foundation was
   * created for (`resources` or `resourceKinds`). For an open foundation, use `join`.
   *
   * @param resourceName a short name, unique in the foundation
   * @param arn the resource's ARN
   * @param kind what the resource is
   */
  public addResource(resourceName: string, arn: pulumi.Input<string>, kind: ResourceKind): backup.Selection {
    this.checkResource(resourceName, arn, kind);
    this.resourceNames.add(resourceName);
    this.noteSourceKey(resourceName, kind, this.plans[0].rules);
    return this.selectByArn({ planName: this.plans[0].name, plan: this.plans[0].plan, tags: {} }, resourceName, arn);
  }

  /**
   * Throws the DrkitError that `addResource` would throw for these arguments (a kind the
   * foundation was not planned for, a name already taken, no ARN, an open foundation),
   * without adding anything.
   *
   * @param resourceName a short name, unique in the foundation
   * @param arn the resource's ARN
   * @param kind what the resource is
   */
  public checkResource(resourceName: string, arn: pulumi.Input<string>, kind: ResourceKind): void {
    const where = `BackupFoundation ${this.foundationName}`;
    if (!KINDS.includes(kind)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: addResource("${resourceName}") has kind ${JSON.stringify(kind)}, which is not a ResourceKind: use one of ${KINDS.join(', ')}`);
    }
    if (this.open) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: addResource("${resourceName}") needs a foundation with declared kinds (\`resources\` or \`resourceKinds\`); this one is open: protect the resource with its drkit component, or call join() with its plan`);
    }
    if (!this.kinds.includes(kind)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: addResource("${resourceName}") adds a ${kindTitle(kind)}, but the foundation was planned for ${this.kinds.map(kindTitle).join(', ')} only, so its plan and restore tests would not fit it: add ResourceKind.${Object.entries(ResourceKind).find(([, v]) => v === kind)![0]} to \`resourceKinds\``);
    }
    if (arn === undefined || arn === null || arn === '') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `${where}: addResource("${resourceName}") needs the resource's ARN, but got ${JSON.stringify(arn)}`);
    }
    this.checkName(where, resourceName);
  }

  private recordReport(resource: string, plan: ProtectionPlan): void {
    for (const line of awsReport(plan.achieved)) this.memberReports.push({ resource, ...line });
  }

  /** Throws when `objective` or `options` differ from the ones this shared foundation was created with. */
  private checkSame(objective: RecoveryObjective, options: BackupFoundationOptions): void {
    const where = `BackupFoundation ${this.foundationName}`;
    if (JSON.stringify(objective.toJson()) !== JSON.stringify(this.objective.toJson())) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: two different objectives are named "${objective.name}" (or names that give the same resource name): drkit shares one vault and plan per objective and names them after it; give each objective its own \`name\``);
    }
    const copyRegion = objective.covers(Disruption.REGION_OUTAGE) ? options.secondaryRegion : undefined;
    if (copyRegion !== this.copyRegion) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${where}: objective "${objective.name}" is used with secondaryRegion ${JSON.stringify(this.copyRegion)} and ${JSON.stringify(copyRegion)}: the resources of one objective and region share one plan with one copy target; use the same secondaryRegion, or a second objective with its own name`);
    }
    const copyAccount = objective.covers(Disruption.ACCOUNT_COMPROMISE) ? options.backupAccount : undefined;
    if (copyAccount !== this.copyAccount) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: objective "${objective.name}" is used with backupAccount ${JSON.stringify(this.copyAccount)} and ${JSON.stringify(copyAccount)}: the resources of one objective and region share one plan with one copy target; use the same backupAccount, or a second objective with its own name`);
    }
    const flags: Array<keyof BackupFoundationOptions> = ['airGappedVault', 'restoreTesting', 'auditFramework', 'notifications', 'healthDashboard', 'failedJobShareThreshold'];
    const defaults: { [k: string]: unknown } = {
      airGappedVault: false,
      restoreTesting: true,
      auditFramework: true,
      notifications: true,
      healthDashboard: true,
      failedJobShareThreshold: DEFAULT_FAILED_JOB_SHARE_THRESHOLD,
    };
    for (const f of flags) {
      const given = options[f];
      const current = this.options[f] ?? defaults[f];
      if (given !== undefined && given !== current) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `${where}: objective "${objective.name}" is used with \`${f}\` ${JSON.stringify(current)} and ${JSON.stringify(given)}: the resources of one objective share one backup foundation; set \`${f}\` the same way everywhere (or only on the first BackupFoundation.of)`);
      }
    }
  }

  /** The plan of a set of rules in an open foundation, created on first use. */
  private planFor(rules: BackupRulePlan[]): BackupFoundationPlan {
    const json = JSON.stringify(rules);
    const existing = this.plans.find(p => JSON.stringify(p.rules) === json);
    if (existing) return existing;
    // Named after its rules' names (not their numbers, so a retention change updates the plan in
    // place); two rule sets with the same names get a hash of their settings too.
    let label = rules.map(r => r.name).join('-') || 'empty';
    if (this.planLabels.has(label) && this.planLabels.get(label) !== json) {
      label = `${label}-${crypto.createHash('sha256').update(json).digest('hex').slice(0, 8)}`;
    }
    this.planLabels.set(label, json);
    const planName = sharedName([this.foundationName, label], 120);
    const where = `BackupFoundation ${this.foundationName}`;
    const plan = new backup.Plan(planName, {
      ...this.regionInput,
      rules: planRuleArgs(rules, this.vault.name, c => this.copyTarget(where, c), this.extraCopy),
    }, { parent: this });
    const selection = this.newSelection(`${planName}-selection`, plan, {
      selectionTags: [{ type: 'STRINGEQUALS', key: BACKUP_PLAN_TAG, value: planName }],
    });
    this.selections.push(selection);
    for (const r of rules) this.rules.push(r);
    const entry: BackupFoundationPlan = { name: planName, rules, plan, tagValue: planName, selection };
    this.plans.push(entry);
    return entry;
  }

  private copyTarget(where: string, c: CopyPlan): pulumi.Input<string> {
    if (c.target === 'region' && this.copyVault && c.region === this.copyRegion) return this.copyVault.arn;
    if (c.target === 'account' && this.accountCopyVaultArn && c.account === this.copyAccount) return this.accountCopyVaultArn;
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: the plan copies to ${c.target} ${c.region ?? c.account}, which is not the foundation's copy region (${this.copyRegion ?? 'none'}) or copy account (${this.copyAccount ?? 'none'})`);
  }

  private claimName(where: string, resourceName: string): void {
    this.checkName(where, resourceName);
    this.resourceNames.add(resourceName);
  }

  private checkName(where: string, resourceName: string): void {
    if (typeof resourceName !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(resourceName)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: a resource name must be 1 to 64 letters, digits, '-' or '_', but got ${JSON.stringify(resourceName)}: for example "orders-table"`);
    }
    if (this.resourceNames.has(resourceName)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: two resources are named "${resourceName}": give each protected resource its own name`);
    }
  }

  private newSelection(resourceName: string, plan: backup.Plan, select: Pick<backup.SelectionArgs, 'resources' | 'selectionTags'>): backup.Selection {
    return new backup.Selection(resourceName, {
      ...this.regionInput,
      name: identifier(resourceName, '', 50).replace(/_$/, ''),
      planId: plan.id,
      iamRoleArn: this.role.arn,
      ...select,
    }, { parent: this, dependsOn: this.roleAttachments });
  }

  /** S3 backups and restores need their own AWS managed policies (the general ones do not cover S3). */
  private attachS3Policies(): void {
    if (this.s3Attached) return;
    this.s3Attached = true;
    const name = this.foundationName;
    this.roleAttachments.push(this.managedPolicy(`${name}-s3-backup-policy`, this.role, 'AWSBackupServiceRolePolicyForS3Backup'));
    if (this.restoreTesting) {
      this.restoreAttachments.push(this.managedPolicy(`${name}-s3-restore-policy`, this.restoreTesting.role, 'AWSBackupServiceRolePolicyForS3Restore'));
    }
  }

  private renderRestoreTesting(name: string, where: string): BackupFoundationRestoreTesting {
    const derived = deriveRestoreTesting(this.objective, where);
    const opts: pulumi.CustomResourceOptions = { parent: this };
    const role = new iam.Role(`${name}-restore-role`, {
      description: 'drkit: AWS Backup restores and deletes restore-test resources',
      assumeRolePolicy: JSON.stringify(assumedByBackup()),
    }, opts);
    const attachments = [this.managedPolicy(`${name}-restore-policy`, role, 'service-role/AWSBackupServiceRolePolicyForRestores')];
    if (this.kinds.includes(ResourceKind.S3_BUCKET)) attachments.push(this.managedPolicy(`${name}-s3-restore-policy`, role, 'AWSBackupServiceRolePolicyForS3Restore'));
    const plan = new backup.RestoreTestingPlan(`${name}-restore-tests`, {
      ...this.regionInput,
      name: identifier(name, 'restore_tests', 50),
      scheduleExpression: derived.scheduleExpression,
      startWindowHours: derived.startWindowHours,
      recoveryPointSelection: {
        algorithm: derived.algorithm,
        includeVaults: [this.vault.arn],
        recoveryPointTypes: derived.recoveryPointTypes,
        selectionWindowDays: derived.selectionWindowDays,
      },
    }, opts);
    this.restoreAttachments = attachments;
    return { derived, role, plan, selections: [] };
  }

  /** The restore-testing selection of a resource type, once per type. */
  private addRestoreTestingSelection(type: string): void {
    const rt = this.restoreTesting;
    if (!rt || this.restoreTypes.has(type)) return;
    this.restoreTypes.add(type);
    if (type === 'RDS' || type === 'Aurora') {
      void pulumi.log.info(`drkit: restore tests of ${type} restore into the default VPC that AWS Backup infers; if this account has no default VPC, add restore metadata overrides to the restore-testing selection`, this);
    }
    rt.selections.push(new backup.RestoreTestingSelection(`${this.foundationName}-restore-test-${type.toLowerCase()}`, {
      ...this.regionInput,
      name: restoreTestingSelectionName(type),
      restoreTestingPlanName: rt.plan.name,
      protectedResourceType: type,
      iamRoleArn: rt.role.arn,
      protectedResourceArns: ['*'],
      validationWindowHours: rt.derived.validationWindowHours,
    }, { parent: this, dependsOn: this.restoreAttachments }));
  }

  /** Once per foundation: AWS Backup copies and tiers DynamoDB points only with advanced DynamoDB backup on. */
  private noteColdStorage(kinds: ResourceKind[], rules: BackupRulePlan[]): void {
    if (this.coldStorageNoted || !kinds.includes(ResourceKind.DYNAMODB_TABLE)) return;
    if (!rules.some(r => r.copies.length > 0 || r.moveToColdStorageAfterDays !== undefined) && !this.airGappedVault) return;
    this.coldStorageNoted = true;
    void pulumi.log.info(`drkit: the backup plan of objective "${this.objective.name}" moves DynamoDB recovery points to cold storage or copies them to another vault; AWS Backup does that for DynamoDB only when "advanced DynamoDB backup" is enabled in the account (an account setting, not a resource): run \`aws backup update-region-settings --resource-type-management-preference DynamoDB=true\` in ${this.region ?? 'the provider\'s region'} (${Facts.DYNAMODB_ADVANCED_BACKUP_SOURCE})`, this);
  }

  private renderNotifications(name: string): BackupFoundationNotifications {
    const opts: pulumi.CustomResourceOptions = { parent: this };
    const id = this.identity;
    // EventBridge (job events) and CloudWatch (the health alarm) of this account publish to the
    // encrypted topic, so they need the data key; the account keeps administering the key.
    const key = new kms.Key(`${name}-notifications-key`, {
      ...this.regionInput,
      description: 'drkit: encrypts the AWS Backup notifications topic',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([id.partition, id.accountId])
        .apply(([partition, account]) => JSON.stringify(publisherKeyPolicy(partition, account, PUBLISHERS))),
    }, opts);
    const topic = new sns.Topic(`${name}-notifications`, {
      ...this.regionInput,
      displayName: 'drkit backup notifications',
      kmsMasterKeyId: key.arn,
    }, opts);
    const topicPolicy = new sns.TopicPolicy(`${name}-notifications-policy`, {
      ...this.regionInput,
      arn: topic.arn,
      policy: pulumi.all([topic.arn, id.accountId]).apply(([arn, account]) => JSON.stringify(publisherTopicPolicy(arn, account, PUBLISHERS))),
    }, opts);
    const rules: cloudwatch.EventRule[] = [];
    const targets: cloudwatch.EventTarget[] = [];
    const patterns = pulumi.all([this.vault.name, this.vault.arn]).apply(([n, a]) => jobFailurePatterns({ name: n, arn: a }));
    for (const [i, kind] of ['backup', 'copy', 'restore'].entries()) {
      const rule = new cloudwatch.EventRule(`${name}-${kind}-job-failed`, {
        ...this.regionInput,
        description: jobFailurePatterns()[i].description,
        eventPattern: patterns.apply(ps => JSON.stringify(ps[i].pattern)),
      }, opts);
      rules.push(rule);
      targets.push(new cloudwatch.EventTarget(`${name}-${kind}-job-failed-target`, {
        ...this.regionInput,
        rule: rule.name,
        arn: topic.arn,
      }, { parent: this, dependsOn: [topicPolicy] }));
    }
    return { key, topic, topicPolicy, rules, targets };
  }

  /** The health dashboard and failed-job alarm, from the same core definitions as the CDK `BackupHealthDashboard`. */
  private renderHealth(name: string, where: string): BackupFoundationHealth {
    const threshold = this.options.failedJobShareThreshold ?? DEFAULT_FAILED_JOB_SHARE_THRESHOLD;
    checkFailedJobShareThreshold(threshold, where);
    const period = DEFAULT_HEALTH_PERIOD_SECONDS;
    const share = failedJobShare();
    const metric = (id: string) => BACKUP_HEALTH_METRICS.find(m => m.id === id)!;
    const alarm = new cloudwatch.MetricAlarm(`${name}-failed-job-share`, {
      ...this.regionInput,
      alarmDescription: failedJobShareAlarmDescription(threshold),
      comparisonOperator: 'GreaterThanThreshold',
      threshold,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      metricQueries: [
        { id: 'share', expression: share.expression, label: share.label, returnData: true },
        ...share.metricIds.map(id => ({
          id,
          metric: {
            namespace: BACKUP_METRICS_NAMESPACE,
            metricName: metric(id).metricName,
            dimensions: { BackupVaultName: this.vault.name },
            period,
            stat: 'Sum',
          },
        })),
      ],
      ...(this.notifications ? { alarmActions: [this.notifications.topic.arn] } : {}),
    }, { parent: this, ...(this.notifications ? { dependsOn: [this.notifications.topicPolicy] } : {}) });
    const body = pulumi.all([this.vault.name, this.region ?? this.vault.region, alarm.arn]).apply(([vaultName, region, alarmArn]) =>
      JSON.stringify(healthDashboardBody(String(vaultName), String(region), String(alarmArn), threshold, period)));
    const dashboard = new cloudwatch.Dashboard(`${name}-health`, {
      ...this.regionInput,
      dashboardName: boundedName(`${pulumi.getProject()}-${pulumi.getStack()}-${name}`, 255),
      dashboardBody: body,
    }, { parent: this });
    return { dashboard, failedJobShareAlarm: alarm };
  }

  /** An AWS managed policy attached to `role`; the partition from `aws.getPartition`. */
  private managedPolicy(name: string, role: iam.Role, policy: string): iam.RolePolicyAttachment {
    return new iam.RolePolicyAttachment(name, {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${this.identity.partition}:iam::aws:policy/${policy}`,
    }, { parent: this });
  }

  /**
   * RDS, Aurora and EBS recovery points keep the resource's own key, not the vault's: with copies
   * to a backup account, that key must be a customer managed key whose policy allows the backup
   * account (the foundation does not see the resource's key, so it says so).
   */
  private noteSourceKey(name: string, kind: ResourceKind, rules: BackupRulePlan[]): void {
    if (![ResourceKind.RDS_INSTANCE, ResourceKind.RDS_CLUSTER, ResourceKind.EBS_VOLUME].includes(kind)) return;
    const account = rules.flatMap(r => r.copies).find(c => c.target === 'account')?.account;
    if (account === undefined) return;
    void pulumi.log.warn(`drkit: ${kindTitle(kind)} ${name} of objective "${this.objective.name}" is copied to backup account ${account}; its recovery points keep the resource's own KMS key (${Facts.BACKUP_SOURCE_ENCRYPTION.statement} ${Facts.BACKUP_SOURCE_ENCRYPTION.source}). ${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.statement} (${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.source}): encrypt it with a customer managed key whose policy allows account ${account} kms:DescribeKey, kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:CreateGrant, kms:ListGrants and kms:RevokeGrant (${Facts.BACKUP_CROSS_ACCOUNT_KEY_ACTIONS.source}), or the copy jobs fail`, this);
  }

  /**
   * The vault key's policy: the account administers it; the backup account may use it through
   * AWS Backup to copy the recovery points the vault key encrypts (resource types AWS Backup
   * fully manages: S3, DynamoDB with advanced backup, EFS). RDS, Aurora and EBS recovery points
   * keep the resource's own key instead (see noteSourceKey).
   */
  private vaultKeyPolicy(backupAccount: string): pulumi.Output<string> {
    const id = this.identity;
    return pulumi.all([id.partition, id.accountId, id.dnsSuffix, this.region ?? '']).apply(([partition, account, suffix, region]) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        accountAdministers(partition, account),
        {
          Sid: 'AllowBackupAccountToCopyRecoveryPoints',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${backupAccount}:root` },
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: region
            ? { StringEquals: { 'kms:ViaService': `backup.${region}.${suffix}` } }
            : { StringLike: { 'kms:ViaService': `backup.*.${suffix}` } },
        },
      ],
    }));
  }
}

/** The services that publish to drkit's notification topics. */
const PUBLISHERS = ['events.amazonaws.com', 'cloudwatch.amazonaws.com'];

function checkArgs(where: string, args: BackupFoundationArgs): void {
  if (!args || !(args.objective instanceof RecoveryObjective)) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: \`objective\` is required and must be a RecoveryObjective (RecoveryObjective.of({...}))`);
  }
  for (const [i, r] of (args.resources ?? []).entries()) {
    if (!r || !KINDS.includes(r.kind)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: \`resources[${i}].kind\` must be a ResourceKind (${KINDS.join(', ')}), but got ${JSON.stringify(r?.kind)}`);
    }
    if (r.arn === undefined || r.arn === null || r.arn === '') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `${where}: \`resources[${i}].arn\` is required: the ARN of the resource to back up`);
    }
  }
  for (const [i, k] of (args.resourceKinds ?? []).entries()) {
    if (!KINDS.includes(k)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: \`resourceKinds[${i}]\` must be a ResourceKind (${KINDS.join(', ')}), but got ${JSON.stringify(k)}`);
    }
  }
  for (const key of ['region', 'secondaryRegion'] as const) {
    const v = args[key];
    if (v !== undefined && (typeof v !== 'string' || !REGION_PATTERN.test(v))) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `${where}: \`${key}\` must be a region name such as "us-west-2", but got ${JSON.stringify(v)}`);
    }
  }
  const declared = (args.resources ?? []).length > 0 || (args.resourceKinds ?? []).length > 0;
  if (declared && args.secondaryRegion !== undefined && !args.objective.covers(Disruption.REGION_OUTAGE)) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `${where}: \`secondaryRegion\` ${args.secondaryRegion} is given, but region outage is not among the disruptions of objective "${args.objective.name}", so nothing would be copied there: add Disruption.REGION_OUTAGE or drop \`secondaryRegion\``);
  }
  if (args.backupAccount !== undefined && (typeof args.backupAccount !== 'string' || !/^\d{12}$/.test(args.backupAccount))) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: \`backupAccount\` must be a 12-digit AWS account id, but got ${JSON.stringify(args.backupAccount)}`);
  }
  if (!declared && args.objective.covers(Disruption.REGION_OUTAGE) && !args.secondaryRegion) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `${where}: region outage is among the disruptions of objective "${args.objective.name}", but no \`secondaryRegion\` is given for its copies: set \`secondaryRegion\` (for example "us-west-2") or remove Disruption.REGION_OUTAGE`);
  }
  if (!declared && args.objective.covers(Disruption.ACCOUNT_COMPROMISE) && !args.backupAccount) {
    throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
      `${where}: account compromise is among the disruptions of objective "${args.objective.name}", but no \`backupAccount\` is given: a backup in the same account does not survive its compromise; set \`backupAccount\`, or remove Disruption.ACCOUNT_COMPROMISE`);
  }
  if (args.failedJobShareThreshold !== undefined) checkFailedJobShareThreshold(args.failedJobShareThreshold, where);
}

/** The retention (days) of each tier of the objective: any rule of any resource keeps its points for one of them. */
function objectiveTiers(o: RecoveryObjective): number[] {
  const d = defaultLockRetentionDays(o);
  return [d.min, d.max];
}

/** The Vault Lock of an open foundation: the objective's shortest and longest retention tiers. */
function objectiveLock(o: RecoveryObjective): MergedVaultLock | undefined {
  if (o.immutability === Immutability.NONE) return undefined;
  const d = defaultLockRetentionDays(o);
  return {
    minRetentionDays: d.min,
    maxRetentionDays: d.max,
    changeableForDays: o.immutability === Immutability.COMPLIANCE ? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS : undefined,
  };
}

/** `<name>_<suffix>` of letters, digits and underscores, starting with a letter, at most `max` characters. */
function identifier(name: string, suffix: string, max: number): string {
  let base = `${name}_${suffix}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `drkit_${base}`;
  if (base.length <= max) return base;
  const hash = crypto.createHash('sha256').update(base).digest('hex').slice(0, 8);
  return `${base.slice(0, max - 9)}_${hash}`;
}

/** A name of letters, digits, `-` and `_`, at most `max` characters (vault and dashboard names). */
function boundedName(text: string, max = 50): string {
  const full = text.replace(/[^A-Za-z0-9_-]/g, '-');
  if (full.length <= max) return full;
  const hash = crypto.createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, max - 9)}-${hash}`;
}

function assumedByBackup() {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

/** The statement that lets the account administer a key (and IAM policies grant its use). @internal */
export function accountAdministers(partition: string, account: string) {
  return { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' };
}

/** A key policy: the account administers it; `services` of this account may use it to publish to a topic it encrypts. @internal */
export function publisherKeyPolicy(partition: string, account: string, services: string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      accountAdministers(partition, account),
      {
        Sid: 'AllowPublishersToUseTheKey',
        Effect: 'Allow',
        Principal: { Service: services },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

/** A topic policy: TLS only; `services` of this account may publish. @internal */
export function publisherTopicPolicy(topicArn: string, account: string, services: string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyPublishWithoutTls',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'AllowPublishers',
        Effect: 'Allow',
        Principal: { Service: services },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

/**
 * The dashboard body: the core's rows of widgets, laid out and written as CloudWatch (and the
 * CDK `BackupHealthDashboard`) write them.
 */
function healthDashboardBody(vaultName: string, region: string, alarmArn: string, threshold: number, period: number) {
  const widgets: any[] = [];
  let y = 0;
  const share = failedJobShare();
  const metricLine = (id: string, extra: object = {}) => {
    const m = BACKUP_HEALTH_METRICS.find(x => x.id === id)!;
    return [BACKUP_METRICS_NAMESPACE, m.metricName, 'BackupVaultName', vaultName, { label: m.label, ...extra, period, stat: 'Sum' }];
  };
  for (const row of backupHealthRows()) {
    let x = 0;
    let rowHeight = 0;
    for (const w of row) {
      const height = w.height ?? 6;
      const base = { type: 'metric', width: w.width, height, x, y };
      switch (w.kind) {
        case 'text':
          widgets.push({ ...base, type: 'text', properties: { markdown: w.markdown, background: 'transparent' } });
          break;
        case 'share':
          widgets.push({
            ...base,
            properties: {
              view: 'timeSeries',
              title: w.title,
              region,
              metrics: [
                [{ label: share.label, expression: share.expression, period }],
                ...share.metricIds.map(id => metricLine(id, { id, visible: false })),
              ],
              annotations: { horizontal: [{ value: threshold, label: 'alarm threshold', color: '#d62728', yAxis: 'left' }] },
              yAxis: { left: { min: 0, max: 1 } },
            },
          });
          break;
        case 'alarms':
          widgets.push({ ...base, type: 'alarm', properties: { title: w.title, alarms: [alarmArn] } });
          break;
        default:
          widgets.push({
            ...base,
            properties: { view: 'timeSeries', title: w.title, region, metrics: w.metricIds!.map(id => metricLine(id)), yAxis: {} },
          });
      }
      x += w.width;
      rowHeight = Math.max(rowHeight, height);
    }
    y += rowHeight;
  }
  return { start: '-P14D', widgets };
}
