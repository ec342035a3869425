// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as crypto from 'crypto';
import * as backup from '@pulumi/aws/backup';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { BACKUP_ACCOUNT_VAULT_NAME, planRuleArgs, renderVault } from './backup';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { BackupRulePlan, CopyPlan, Planner, ProtectionPlan, ResourceKind, VaultPlan } from '../../core/plan';
import {
  AuditControlPlan, auditInputsFromPlan, backupResourceType, deriveAuditControls, deriveRestoreTesting, jobFailurePatterns,
  kindTitle, MergedVaultLock, mergeBackupRules, mergeVaultLocks, planBackupResource, restoreTestingSelectionName,
  RestoreTestingDerivation,
} from '../../core/plan-backup';

/** A resource protected by a `BackupFoundation`. */
export interface BackupFoundationResource {
  /** A short name, unique in the foundation: it names the resource in messages (and the selection of `addResource`). */
  readonly name: string;
  /** The resource's ARN (table, bucket, DB instance or cluster, file system, volume). */
  readonly arn: pulumi.Input<string>;
  /** What the resource is: it sets the schedule its backups need. */
  readonly kind: ResourceKind;
}

/** Arguments of {@link BackupFoundation}. */
export interface BackupFoundationArgs {
  /** The objective every protected resource shares. */
  readonly objective: RecoveryObjective;
  /**
   * Resources protected from the start: one backup selection for all of them.
   * @default - none; add them with `addResource` (declare their kinds in `resourceKinds`)
   */
  readonly resources?: BackupFoundationResource[];
  /**
   * Kinds of resource the foundation protects besides those in `resources`. The plan's rules,
   * the restore-testing selections and the audit controls' scope are derived from the kinds
   * when the foundation is created, so a resource added later with `addResource` must be of a
   * kind declared here or in `resources`.
   * @default - the kinds in `resources`
   */
  readonly resourceKinds?: ResourceKind[];
  /**
   * Region of the protected resources: the vault, plan and evidence go there.
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
   * Restore-test every protected resource type on a schedule derived from the objective.
   * @default true
   */
  readonly restoreTesting?: boolean;
  /**
   * A Backup Audit Manager framework derived from the objective and the plan (needs AWS
   * Config recording in the account and region).
   * @default true
   */
  readonly auditFramework?: boolean;
  /**
   * Failed, expired and aborted backup, copy and restore jobs go to a KMS-encrypted SNS topic.
   * @default true
   */
  readonly notifications?: boolean;
}

/** The restore-testing resources of a foundation. */
export interface BackupFoundationRestoreTesting {
  /** What the schedule and windows were derived to. */
  readonly derived: RestoreTestingDerivation;
  /** The role AWS Backup restores (and deletes) test resources with. */
  readonly role: iam.Role;
  /** The restore testing plan. */
  readonly plan: backup.RestoreTestingPlan;
  /** One selection per protected resource type. */
  readonly selections: backup.RestoreTestingSelection[];
}

/** The notification resources of a foundation. */
export interface BackupFoundationNotifications {
  /** The key that encrypts the topic. */
  readonly key: kms.Key;
  /** Its policy (the account, and EventBridge and CloudWatch to publish encrypted). */
  readonly keyPolicy: kms.KeyPolicy;
  /** The topic. */
  readonly topic: sns.Topic;
  /** Its policy (TLS only; EventBridge and CloudWatch alarms may publish). */
  readonly topicPolicy: sns.TopicPolicy;
  /** The rules for failed backup, copy and restore jobs, in that order. */
  readonly rules: cloudwatch.EventRule[];
  /** Their targets (the topic). */
  readonly targets: cloudwatch.EventTarget[];
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const KINDS = Object.values(ResourceKind) as string[];

/**
 * One hardened AWS Backup foundation that the resources of one objective share: a vault
 * encrypted with a customer-managed key (rotation on; key and vault retained on delete), an
 * access policy that denies deleting recovery points, Vault Lock from the objective's
 * immutability, a copy vault in the secondary region and copies to a vault in another
 * account, one service role and one plan whose rules are the core planner's rules for every
 * kind protected (merged as the CDK `ObjectiveBackup` merges them), and the evidence: restore
 * testing per resource type, a Backup Audit Manager framework, and job-failure notifications
 * to an encrypted topic.
 *
 * Pulumi has no stack scope: create one foundation per objective (and region) and pass every
 * resource to it, in `resources` or with `addResource`. Ten tables with one objective get one
 * vault and one plan, not ten.
 *
 * Compliance-mode Vault Lock cannot be removed after its cooling-off period: the component
 * logs a warning saying so.
 */
export class BackupFoundation extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:BackupFoundation';

  /** The objective. */
  public readonly objective: RecoveryObjective;
  /** The kinds protected (plan rules, restore-testing selections and control scopes derive from them). */
  public readonly kinds: ResourceKind[];
  /** The rules of the shared plan. */
  public readonly rules: BackupRulePlan[];
  /** The Vault Lock of the vaults, when the objective asks for immutability. */
  public readonly lock?: MergedVaultLock;
  /** Region of the vault, plan and protected resources (undefined: the provider's region). */
  public readonly region?: string;
  /** Region copies go to. */
  public readonly copyRegion?: string;
  /** Account copies go to. */
  public readonly copyAccount?: string;
  /** Key of the vault. */
  public readonly key: kms.Key;
  /** Key policy letting the backup account use the key (with `backupAccount`). */
  public readonly keyPolicy?: kms.KeyPolicy;
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
  /** The role AWS Backup backs up and copies with. */
  public readonly role: iam.Role;
  /** Managed policies attached to the role. */
  public readonly roleAttachments: iam.RolePolicyAttachment[];
  /** The plan. */
  public readonly backupPlan: backup.Plan;
  /** The selections (one for `resources`, one per `addResource`). */
  public readonly selections: backup.Selection[] = [];
  /** The restore tests (with `restoreTesting`, the default). */
  public readonly restoreTesting?: BackupFoundationRestoreTesting;
  /** The audit framework (with `auditFramework`, the default). */
  public readonly framework?: backup.Framework;
  /** Its controls, as derived. */
  public readonly controls?: AuditControlPlan[];
  /** The notifications (with `notifications`, the default). */
  public readonly notifications?: BackupFoundationNotifications;

  private readonly foundationName: string;
  private readonly regionInput: { region?: string };
  private readonly resourceNames = new Set<string>();

  constructor(name: string, args: BackupFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BackupFoundation.TYPE, name, {}, opts);
    const where = `BackupFoundation ${name}`;
    checkArgs(where, args);
    this.foundationName = name;
    const o = args.objective;
    this.objective = o;
    this.region = args.region;
    this.regionInput = args.region !== undefined ? { region: args.region } : {};
    const resources = args.resources ?? [];
    for (const r of resources) this.claimName(where, r.name);
    const kinds: ResourceKind[] = [];
    for (const k of [...resources.map(r => r.kind), ...(args.resourceKinds ?? [])]) if (!kinds.includes(k)) kinds.push(k);
    if (kinds.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: neither \`resources\` nor \`resourceKinds\` is given, so there is nothing to plan: give the resources, or the kinds (for example [ResourceKind.DYNAMODB_TABLE]) of the resources you add with addResource`);
    }
    this.kinds = kinds;

    // The core planner's plan for each kind; the shared plan carries all their rules.
    const plans: ProtectionPlan[] = kinds.map(kind => {
      const context = { resourceName: `${kindTitle(kind)}s of ${where}`, region: args.region, secondaryRegion: args.secondaryRegion, backupAccount: args.backupAccount };
      return kind === ResourceKind.DYNAMODB_TABLE ? Planner.dynamoDbTable(o, context) : planBackupResource(o, kind, context);
    });
    for (const a of [...new Set(plans.flatMap(p => p.advisories))]) void pulumi.log.warn(`drkit: ${a}`, this);
    this.rules = mergeBackupRules(plans.flatMap(p => p.backupRules));
    this.lock = mergeVaultLocks(plans.map(p => p.vault));
    this.copyRegion = plans.find(p => p.copyRegion)?.copyRegion;
    this.copyAccount = plans.find(p => p.copyAccount)?.copyAccount;
    const lockPlan: VaultPlan = this.lock ? { lock: o.immutability, ...this.lock } : { lock: Immutability.NONE };

    const opts0: pulumi.CustomResourceOptions = { parent: this };
    const retained: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true };
    const primary = renderVault(name, lockPlan, `drkit: encrypts the backup vault of objective "${o.name}" (${name})`, this.regionInput, opts0, retained);
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
      this.accountCopyVaultArn = args.accountCopyVaultArn !== undefined
        ? pulumi.output(args.accountCopyVaultArn)
        : this.vault.arn.apply(arn => {
          const [, partition, , vaultRegion] = arn.split(':');
          return `arn:${partition}:backup:${vaultRegion}:${account}:backup-vault:${BACKUP_ACCOUNT_VAULT_NAME}`;
        });
      // Copies of snapshots encrypted with the vault's key (resource types without full AWS
      // Backup management, such as EBS and RDS) need the key in the backup account.
      this.keyPolicy = new kms.KeyPolicy(`${name}-key-policy`, {
        ...this.regionInput,
        keyId: this.key.id,
        policy: this.key.arn.apply(arn => JSON.stringify(vaultKeyPolicy(arn, account))),
      }, opts0);
    }
    if (this.lock && this.lock.changeableForDays !== undefined) {
      void pulumi.log.warn(`drkit: Vault Lock in compliance mode for objective "${o.name}": after the cooling-off period of ${this.lock.changeableForDays} days from deployment the lock becomes immutable: nobody, including the root user and AWS, can remove it, shorten retention or delete recovery points early, and the vault cannot be deleted while it holds them. Deploy to a test account first.`, this);
    }

    this.role = new iam.Role(`${name}-backup-role`, {
      description: `drkit: AWS Backup backs up and copies the resources of objective "${o.name}"`,
      assumeRolePolicy: JSON.stringify(assumedByBackup()),
    }, opts0);
    this.roleAttachments = [managedPolicy(`${name}-backup-policy`, this.role, 'service-role/AWSBackupServiceRolePolicyForBackup', this)];
    if (kinds.includes(ResourceKind.S3_BUCKET)) {
      // S3 backups need their own AWS managed policy (the general one does not cover S3).
      this.roleAttachments.push(managedPolicy(`${name}-s3-backup-policy`, this.role, 'AWSBackupServiceRolePolicyForS3Backup', this));
    }

    const copyTarget = (c: CopyPlan): pulumi.Input<string> => {
      if (c.target === 'region' && this.copyVault && c.region === this.copyRegion) return this.copyVault.arn;
      if (c.target === 'account' && this.accountCopyVaultArn && c.account === this.copyAccount) return this.accountCopyVaultArn;
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: the plan copies to ${c.target} ${c.region ?? c.account}, which is not the foundation's copy region (${this.copyRegion ?? 'none'}) or copy account (${this.copyAccount ?? 'none'})`);
    };
    this.backupPlan = new backup.Plan(`${name}-plan`, {
      ...this.regionInput,
      rules: planRuleArgs(this.rules, this.vault.name, copyTarget),
    }, opts0);
    if (resources.length > 0) {
      this.selections.push(this.newSelection(`${name}-selection`, resources.map(r => r.arn)));
    }

    const types = kinds.map(backupResourceType);
    if (args.restoreTesting ?? true) this.restoreTesting = this.renderRestoreTesting(name, where, types);
    if (args.auditFramework ?? true) {
      const derived = deriveAuditControls(o, auditInputsFromPlan(this.rules, this.lock,
        this.copyRegion && o.covers(Disruption.REGION_OUTAGE) ? [this.copyRegion] : [],
        this.copyAccount ? [this.copyAccount] : []), where);
      for (const note of derived.notes) void pulumi.log.warn(`drkit: ${note}`, this);
      this.controls = derived.controls;
      this.framework = new backup.Framework(`${name}-framework`, {
        ...this.regionInput,
        name: identifier(name, 'evidence', 256),
        description: `drkit: runtime evidence for objective "${o.name}" (rpo ${o.rpo.toHuman()}, rto ${o.rto.toHuman()})`.slice(0, 1024),
        controls: derived.controls.map(c => ({
          name: c.name,
          ...(c.parameters.length ? { inputParameters: c.parameters.map(x => ({ name: x.name, value: x.value })) } : {}),
          ...(c.scoped ? { scope: { complianceResourceTypes: [...new Set(types)] } } : {}),
        })),
      }, opts0);
      void pulumi.log.info('drkit: Backup Audit Manager evaluates these controls with AWS Config: AWS Config must record AWS Backup plans, vaults and recovery points and the protected resource types in this account and region, or the framework reports nothing', this);
    }
    if (args.notifications ?? true) this.notifications = this.renderNotifications(name);

    this.registerOutputs({
      vaultArn: this.vault.arn,
      vaultName: this.vault.name,
      copyVaultArn: this.copyVault?.arn,
      backupPlanArn: this.backupPlan.arn,
      roleArn: this.role.arn,
      restoreTestingPlanName: this.restoreTesting?.plan.name,
      frameworkArn: this.framework?.arn,
      topicArn: this.notifications?.topic.arn,
    });
  }

  /**
   * Adds a resource to the shared plan with a selection of its own (named `<name>-selection-<resourceName>`).
   * Its kind must be one the foundation was created for (`resources` or `resourceKinds`): the
   * plan's rules and the evidence were derived from those kinds. AWS Backup allows a limited
   * number of selections per plan: give many resources in `resources` (one selection) instead.
   *
   * @param resourceName a short name, unique in the foundation
   * @param arn the resource's ARN
   * @param kind what the resource is
   */
  public addResource(resourceName: string, arn: pulumi.Input<string>, kind: ResourceKind): backup.Selection {
    this.checkResource(resourceName, arn, kind);
    this.resourceNames.add(resourceName);
    const selection = this.newSelection(`${this.foundationName}-selection-${resourceName}`, [arn]);
    this.selections.push(selection);
    return selection;
  }

  /**
   * Throws the DrkitError that `addResource` would throw for these arguments (a kind the
   * foundation was not planned for, a name already taken, no ARN), without adding anything.
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
    if (!this.kinds.includes(kind)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: addResource("${resourceName}") adds a ${kindTitle(kind)}, but the foundation was planned for ${this.kinds.map(kindTitle).join(', ')} only, so its plan and restore tests would not fit it: add ResourceKind.${Object.entries(ResourceKind).find(([, v]) => v === kind)![0]} to \`resourceKinds\``);
    }
    if (arn === undefined || arn === null || arn === '') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `${where}: addResource("${resourceName}") needs the resource's ARN, but got ${JSON.stringify(arn)}`);
    }
    this.checkName(where, resourceName);
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

  private newSelection(resourceName: string, arns: pulumi.Input<string>[]): backup.Selection {
    return new backup.Selection(resourceName, {
      ...this.regionInput,
      name: identifier(resourceName, '', 50).replace(/_$/, ''),
      planId: this.backupPlan.id,
      iamRoleArn: this.role.arn,
      resources: arns,
    }, { parent: this, dependsOn: this.roleAttachments });
  }

  private renderRestoreTesting(name: string, where: string, types: string[]): BackupFoundationRestoreTesting {
    const derived = deriveRestoreTesting(this.objective, where);
    const opts: pulumi.CustomResourceOptions = { parent: this };
    const role = new iam.Role(`${name}-restore-role`, {
      description: 'drkit: AWS Backup restores and deletes restore-test resources',
      assumeRolePolicy: JSON.stringify(assumedByBackup()),
    }, opts);
    const attachments = [managedPolicy(`${name}-restore-policy`, role, 'service-role/AWSBackupServiceRolePolicyForRestores', this)];
    if (types.includes('S3')) attachments.push(managedPolicy(`${name}-s3-restore-policy`, role, 'AWSBackupServiceRolePolicyForS3Restore', this));
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
    const databases = types.filter(t => t === 'RDS' || t === 'Aurora');
    if (databases.length) {
      void pulumi.log.info(`drkit: restore tests of ${databases.join(' and ')} restore into the default VPC that AWS Backup infers; if this account has no default VPC, add restore metadata overrides to the restore-testing selection`, this);
    }
    const selections = types.map(type => new backup.RestoreTestingSelection(`${name}-restore-test-${type.toLowerCase()}`, {
      ...this.regionInput,
      name: restoreTestingSelectionName(type),
      restoreTestingPlanName: plan.name,
      protectedResourceType: type,
      iamRoleArn: role.arn,
      protectedResourceArns: ['*'],
      validationWindowHours: derived.validationWindowHours,
    }, { parent: this, dependsOn: attachments }));
    return { derived, role, plan, selections };
  }

  private renderNotifications(name: string): BackupFoundationNotifications {
    const opts: pulumi.CustomResourceOptions = { parent: this };
    const key = new kms.Key(`${name}-notifications-key`, {
      ...this.regionInput,
      description: 'drkit: encrypts the AWS Backup notifications topic',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    }, opts);
    // EventBridge (job events) and CloudWatch (alarms) publish to the encrypted topic, so they
    // need the data key; the account keeps administering the key.
    const keyPolicy = new kms.KeyPolicy(`${name}-notifications-key-policy`, {
      ...this.regionInput,
      keyId: key.id,
      policy: key.arn.apply(arn => JSON.stringify(notificationsKeyPolicy(arn))),
    }, opts);
    const topic = new sns.Topic(`${name}-notifications`, {
      ...this.regionInput,
      displayName: 'drkit backup notifications',
      kmsMasterKeyId: key.arn,
    }, { parent: this, dependsOn: [keyPolicy] });
    const topicPolicy = new sns.TopicPolicy(`${name}-notifications-policy`, {
      ...this.regionInput,
      arn: topic.arn,
      policy: topic.arn.apply(arn => JSON.stringify(notificationsTopicPolicy(arn))),
    }, opts);
    const rules: cloudwatch.EventRule[] = [];
    const targets: cloudwatch.EventTarget[] = [];
    const patterns = pulumi.all([this.vault.name, this.vault.arn]).apply(([n, a]) => jobFailurePatterns({ name: n, arn: a }));
    for (const [i, id] of ['backup', 'copy', 'restore'].entries()) {
      const rule = new cloudwatch.EventRule(`${name}-${id}-job-failed`, {
        ...this.regionInput,
        description: jobFailurePatterns()[i].description,
        eventPattern: patterns.apply(ps => JSON.stringify(ps[i].pattern)),
      }, opts);
      rules.push(rule);
      targets.push(new cloudwatch.EventTarget(`${name}-${id}-job-failed-target`, {
        ...this.regionInput,
        rule: rule.name,
        arn: topic.arn,
      }, { parent: this, dependsOn: [topicPolicy] }));
    }
    return { key, keyPolicy, topic, topicPolicy, rules, targets };
  }
}

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
  if (args.secondaryRegion !== undefined && !args.objective.covers(Disruption.REGION_OUTAGE)) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `${where}: \`secondaryRegion\` ${args.secondaryRegion} is given, but region outage is not among the disruptions of objective "${args.objective.name}", so nothing would be copied there: add Disruption.REGION_OUTAGE or drop \`secondaryRegion\``);
  }
  if (args.backupAccount !== undefined && (typeof args.backupAccount !== 'string' || !/^\d{12}$/.test(args.backupAccount))) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: \`backupAccount\` must be a 12-digit AWS account id, but got ${JSON.stringify(args.backupAccount)}`);
  }
}

/** `<name>_<suffix>` of letters, digits and underscores, starting with a letter, at most `max` characters. */
function identifier(name: string, suffix: string, max: number): string {
  let base = `${name}_${suffix}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `drkit_${base}`;
  if (base.length <= max) return base;
  const hash = crypto.createHash('sha256').update(base).digest('hex').slice(0, 8);
  return `${base.slice(0, max - 9)}_${hash}`;
}

function assumedByBackup() {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

/** An AWS managed policy attached to `role`; the partition comes from the role's own ARN. */
function managedPolicy(name: string, role: iam.Role, policy: string, parent: pulumi.Resource): iam.RolePolicyAttachment {
  return new iam.RolePolicyAttachment(name, {
    role: role.name,
    policyArn: role.arn.apply(arn => `arn:${arn.split(':')[1]}:iam::aws:policy/${policy}`),
  }, { parent });
}

/** Partition, region and account of an ARN. */
function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition, , region, account] = arn.split(':');
  return { partition, region, account };
}

/** The vault key's policy: the account administers it; the backup account may use it for copies through AWS Backup. */
function vaultKeyPolicy(keyArn: string, backupAccount: string) {
  const { partition, region, account } = arnParts(keyArn);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowBackupAccountToCopyRecoveryPoints',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${backupAccount}:root` },
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `backup.${region}.amazonaws.com` } },
      },
    ],
  };
}

/** The notifications key's policy. */
function notificationsKeyPolicy(keyArn: string) {
  const { partition, account } = arnParts(keyArn);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowEventBridgeAndCloudWatchToPublishEncrypted',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ],
  };
}

/** The notifications topic's policy: TLS only; EventBridge and CloudWatch alarms publish. */
function notificationsTopicPolicy(topicArn: string) {
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
      { Sid: 'AllowEventBridgeToPublish', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topicArn },
      { Sid: 'AllowCloudWatchAlarmsToPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topicArn },
    ],
  };
}
