import * as crypto from 'crypto';
import { Annotations, Aspects, Aws, CfnResource, Duration, IAspect, Lazy, RemovalPolicy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { BackupRulePlan, CopyPlan, ProtectionPlan, ResourceKind, VaultPlan } from '../../core/plan';
import { auditInputsFromPlan, backupResourceType, kindTitle, MergedVaultLock, mergeVaultLocks, withoutRedundantRules } from '../../core/plan-backup';
import { BackupAuditFramework } from '../evidence/audit-framework';
import { BackupHealthDashboard } from '../evidence/dashboard';
import { BackupNotifications } from '../evidence/notifications';
import { ProtectedResourceType } from '../evidence/protected-resource-type';
import { RestoreTesting } from '../evidence/restore-testing';
import { primaryRegionOf } from '../private/dr-names';
import { addStackDependency } from '../private/stack-dependency';
import { SecondaryRegionStack } from '../secondary-region';
import { BackupAccountStack } from './backup-account-stack';

/** Where the backups of one objective are copied. */
export interface ObjectiveBackupOptions {
  /**
   * Region that receives a copy of every recovery point (same account).
   * @default - no cross-region copy
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives a copy of every recovery point. The copy goes to the vault named
   * `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME` in that account, in the primary region.
   * drkit writes that vault, its key and policies into a `BackupAccountStack` in the same
   * App (`env.account` = this account), which you deploy there with its credentials. Both
   * accounts must be in one AWS Organization with cross-account backup turned on in the
   * management account.
   * @default - no cross-account copy
   */
  readonly backupAccount?: string;
  /**
   * AWS Organization whose accounts may copy into the backup-account vault, instead of only
   * this stack's account (needed when the stack has no concrete `env.account`).
   * @default - only this stack's account
   */
  readonly organizationId?: string;
  /**
   * Also copy every recovery point to a logically air-gapped vault
   * (`AWS::Backup::LogicallyAirGappedBackupVault`) in this account and region: a vault that
   * AWS Backup locks in compliance mode and encrypts with an AWS-owned key, so recovery points
   * in it survive the compromise of this account's credentials. Share it with a recovery
   * account through AWS RAM (`aws ram create-resource-share --resource-arns <vault arn>
   * --principals <recovery account>`) to restore from there when this account is lost.
   * Copies are kept as long as the rule's points, at least 7 days (the vault's minimum), and
   * never move to cold storage. Check that the protected resource types are among those the
   * air-gapped vault supports (see the AWS Backup guide).
   * @default false
   */
  readonly airGappedVault?: boolean;
  /**
   * Restore-test the protected resource types on a schedule derived from the objective
   * (`RestoreTesting`: an `AWS::Backup::RestoreTestingPlan` and one selection per type).
   * When several calls share one backup, an unset value keeps the first call's choice.
   * @default true
   */
  readonly restoreTesting?: boolean;
  /**
   * A Backup Audit Manager framework derived from the objective and the plan
   * (`BackupAuditFramework`). It needs AWS Config recording in the account and region.
   * @default true
   */
  readonly auditFramework?: boolean;
  /**
   * Failed, expired and aborted backup, copy and restore jobs go to an encrypted SNS topic
   * (`BackupNotifications`).
   * @default true
   */
  readonly notifications?: boolean;
  /**
   * A CloudWatch dashboard of the vault's jobs and an alarm on the share of failed jobs
   * (`BackupHealthDashboard`), notifying the notifications topic when there is one.
   * @default true
   */
  readonly healthDashboard?: boolean;
  /**
   * The share of failed jobs (0 to 1) above which the health alarm fires.
   * @default 0.1
   */
  readonly failedJobShareThreshold?: number;
}

const SYMBOL = Symbol.for('drkit.ObjectiveBackup');

/**
 * The AWS Backup vault, KMS key and role shared by every resource of one stack that is
 * protected against the same objective, with one backup plan (and its selection) per distinct
 * set of rules: a resource gets exactly the rules its own protection asked for, and resources
 * whose rules are identical share a plan. Ten tables with one objective give one vault and one
 * plan; a bucket with continuous backup next to them gets a plan of its own (`PlanContinuous`),
 * so the tables get no continuous backup and the bucket no snapshots. The plan of the first
 * rule set with snapshot rules keeps the ids `Plan` and `Selection`.
 *
 * A rule that another rule of the same resource already covers (same retention and copies, at
 * a subset of its times) is dropped. Each rule's completion window is its interval (at least
 * two hours, at most AWS Backup's 7-day default): AWS publishes no backup duration and the
 * first backup of a resource is a full copy, so when a resource's first backup needs longer
 * than its most frequent rule allows, run it once on demand with a longer window.
 *
 * With `backupAccount`, recovery points of the resource types AWS Backup does not fully manage
 * (RDS, Aurora, EBS) keep the resource's own KMS key (the vault key does not apply to them):
 * drkit grants that key to the backup account when it is a key of the app, warns when it cannot
 * see or change the key, and refuses a resource encrypted with an AWS managed key (`DRK120`),
 * which cannot be shared.
 *
 * With it, unless opted out: restore tests of every protected resource type (`RestoreTesting`),
 * a Backup Audit Manager framework derived from the objective and the plan's rules
 * (`BackupAuditFramework`), job-failure notifications to an encrypted SNS topic
 * (`BackupNotifications`) and a health dashboard with a failed-job alarm
 * (`BackupHealthDashboard`). The restore tests and the framework depend on every protected
 * resource, so they are built at synthesis, by an Aspect on the stack that runs after the
 * mutating aspects (priority 700, after `AspectPriority.MUTATING` and the default).
 * Optionally a logically air-gapped vault receives a copy of every recovery point, and a
 * `BackupAccountStack` (for the backup account) receives cross-account copies.
 *
 * Construct ids derive from the objective's name (not its numbers), so changing a
 * retention count updates the plan in place instead of replacing the vault.
 */
export class ObjectiveBackup extends Construct {
  /**
   * Name of the vault that receives cross-account copies in the backup account (in the primary
   * region). drkit writes it into the `BackupAccountStack` for that account; deploy that stack
   * there before the first copy job runs.
   */
  public static readonly BACKUP_ACCOUNT_VAULT_NAME = 'drkit-backup-account-vault';

  /** Whether `x` is an ObjectiveBackup. */
  public static isObjectiveBackup(x: any): boolean {
    return x !== null && typeof x === 'object' && (x as any)[SYMBOL] === true;
  }

  /**
   * The shared backup for `objective` in `scope`'s stack, created on first use.
   */
  public static of(scope: Construct, objective: RecoveryObjective, options: ObjectiveBackupOptions = {}): ObjectiveBackup {
    const stack = Stack.of(scope);
    const id = `DrkitBackup${idFromName(objective.name)}`;
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      if (!ObjectiveBackup.isObjectiveBackup(existing)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `stack ${stack.node.path} already has a construct with id "${id}", which drkit needs for the backup of objective "${objective.name}": rename that construct or the objective`);
      }
      const ob = existing as ObjectiveBackup;
      ob.checkSame(objective, options);
      if (options.organizationId !== undefined) ob.backupAccountStack?.allowOrganization(options.organizationId);
      return ob;
    }
    return new ObjectiveBackup(stack, id, objective, options);
  }

  /**
   * Makes sure the stack builds the evidence of its ObjectiveBackups at synthesis, after
   * mutating aspects (for constructs that create ObjectiveBackups from an aspect).
   *
   * @internal
   */
  public static _ensureFinalizer(stack: Stack): void {
    BackupFinalizer.ensure(stack);
  }

  /** The objective this backup serves. */
  public readonly objective: RecoveryObjective;
  /** The vault recovery points go to. */
  public readonly vault: backup.IBackupVault;
  /** The KMS key that encrypts the vault. */
  public readonly key: kms.IKey;
  /** The role AWS Backup assumes to back up and copy the selected resources. */
  public readonly role: iam.IRole;
  /** Region copies go to. */
  public readonly secondaryRegion?: string;
  /** Account copies go to. */
  public readonly backupAccount?: string;
  /**
   * The stack to deploy in the backup account (with `backupAccount`).
   * @default - none
   */
  public readonly backupAccountStack?: BackupAccountStack;
  /**
   * Vault in the secondary region that receives copies.
   * @default - none
   */
  public readonly secondaryVault?: backup.IBackupVault;
  /**
   * The logically air-gapped vault that receives copies (with `airGappedVault`).
   * @default - none
   */
  public readonly airGappedVault?: backup.CfnLogicallyAirGappedBackupVault;
  /**
   * Job-failure notifications (with `notifications`, the default).
   * @default - none
   */
  public readonly notifications?: BackupNotifications;
  /**
   * The health dashboard and alarm (with `healthDashboard`, the default).
   * @default - none
   */
  public readonly healthDashboard?: BackupHealthDashboard;

  private readonly objectiveKey: string;
  private readonly ruleSets: RuleSetPlan[] = [];
  private readonly resourceArns: string[] = [];
  private readonly vaultPlans: VaultPlan[] = [];
  private readonly grantedKeys = new Set<kms.IKey>();
  private readonly copyVaults = new Map<string, backup.IBackupVault>();
  private readonly lockedVaults: backup.BackupVault[] = [];
  private coldStorageNoted = false;
  private readonly kinds = new Set<ResourceKind>();
  private readonly planRules: BackupRulePlan[] = [];
  private readonly airGappedCopyDays: number[] = [];
  private readonly evidence: { restoreTesting: boolean; auditFramework: boolean; notifications: boolean; healthDashboard: boolean };
  private finalized = false;
  private readonly backupRole: iam.Role;
  private restoreTestsBuilt?: RestoreTesting;
  private frameworkBuilt?: BackupAuditFramework;

  private constructor(stack: Stack, id: string, objective: RecoveryObjective, options: ObjectiveBackupOptions) {
    super(stack, id);
    Object.defineProperty(this, SYMBOL, { value: true });
    this.objective = objective;
    this.objectiveKey = JSON.stringify(objective.toJson());
    this.secondaryRegion = options.secondaryRegion;
    this.backupAccount = options.backupAccount;
    if (this.backupAccount !== undefined && (Token.isUnresolved(this.backupAccount) || !/^\d{12}$/.test(this.backupAccount))) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`backupAccount\` for objective "${objective.name}" in stack ${stack.node.path} must be a concrete 12-digit AWS account id, but got ${Token.isUnresolved(this.backupAccount) ? 'an unresolved token' : JSON.stringify(this.backupAccount)}`);
    }

    const key = newVaultKey(this, 'Key', `drkit: encrypts the backup vault of objective "${objective.name}" in ${stack.stackName}`);
    this.key = key;
    const vault = newVault(this, 'Vault', key);
    this.vault = vault;
    this.lockedVaults.push(vault);

    if (this.secondaryRegion) {
      const secondary = SecondaryRegionStack.of(this, this.secondaryRegion);
      const copies = new Construct(secondary, id);
      const copyKey = newVaultKey(copies, 'Key', `drkit: encrypts copies of objective "${objective.name}" from ${stack.stackName}`);
      const copyVault = newVault(copies, 'Vault', copyKey, secondaryVaultName(stack, objective));
      this.secondaryVault = copyVault;
      this.lockedVaults.push(copyVault);
    }

    if (options.airGappedVault) {
      const lag = new backup.CfnLogicallyAirGappedBackupVault(this, 'AirGappedVault', {
        backupVaultName: boundedName(`${Token.isUnresolved(stack.stackName) ? 'drkit' : stack.stackName}-${idFromName(objective.name)}-airgapped`),
        minRetentionDays: Lazy.number({
          produce: () => Math.max(
            Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS,
            Math.min(...this.airGappedCopyDays, Facts.VAULT_LOCK_MAX_RETENTION_DAYS),
          ),
        }),
        maxRetentionDays: Lazy.number({ produce: () => Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, ...this.airGappedCopyDays) }),
      });
      lag.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.airGappedVault = lag;
      Annotations.of(lag).addInfo(`drkit: the logically air-gapped vault ${lag.backupVaultName} receives a copy of every recovery point of objective "${objective.name}"; AWS Backup locks it in compliance mode. To restore when this account is lost, share it with a recovery account through AWS RAM (aws ram create-resource-share --name drkit-airgapped --resource-arns <vault ARN> --principals <recovery account id>) (${Facts.AIR_GAPPED_VAULT_SOURCE})`);
    }

    this.evidence = {
      restoreTesting: options.restoreTesting ?? true,
      auditFramework: options.auditFramework ?? true,
      notifications: options.notifications ?? true,
      healthDashboard: options.healthDashboard ?? true,
    };
    if (this.evidence.notifications) {
      this.notifications = new BackupNotifications(this, 'Notifications', { vault });
    }
    if (this.evidence.healthDashboard) {
      this.healthDashboard = new BackupHealthDashboard(this, 'Health', {
        vault,
        alarmTopic: this.notifications?.topic,
        failedJobShareThreshold: options.failedJobShareThreshold,
      });
    }

    if (this.backupAccount) {
      const target = BackupAccountStack.forAccount(stack, this.backupAccount, stack.region);
      if (options.organizationId !== undefined) target.allowOrganization(options.organizationId);
      if (!Token.isUnresolved(stack.account)) target.allowSourceAccount(stack.account);
      if (!Token.isUnresolved(stack.account) && stack.account === this.backupAccount) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`backupAccount\` ${this.backupAccount} of objective "${objective.name}" is the account of stack ${stack.node.path}: a copy in the same account does not survive its compromise; give another account`);
      }
      if (target.node.scope === stack.node.scope) {
        addStackDependency(stack, target, `drkit: ${stack.stackName} copies recovery points into backup account ${this.backupAccount}`);
      }
      this.backupAccountStack = target;
      Annotations.of(this).addInfo(`drkit: objective "${objective.name}" copies recovery points to backup account ${this.backupAccount}: deploy stack ${target.stackName} there first, and make sure both accounts are in one AWS Organization with cross-account backup turned on in the management account (aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true) (${Facts.BACKUP_CROSS_ACCOUNT_SOURCE})`);
      // Recovery points of the resource types AWS Backup fully manages (S3, DynamoDB with
      // advanced backup, EFS) are encrypted with this vault's key, and the backup account needs
      // it to copy them. Those of the other types (RDS, Aurora, EBS) keep the resource's own key
      // (Facts.BACKUP_SOURCE_ENCRYPTION): addResource grants that key (grantSourceKey).
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowBackupAccountToCopyRecoveryPoints',
        principals: [new iam.AccountPrincipal(this.backupAccount)],
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `backup.${Aws.REGION}.amazonaws.com` } },
      }));
    }

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `drkit: AWS Backup backs up and copies the resources of objective "${objective.name}"`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup')],
    });
    (role.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM4',
        reason: 'AWSBackupServiceRolePolicyForBackup is the service-role policy AWS documents for AWS Backup jobs; AWS keeps it current as services gain backup features',
        applies_to: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
        ],
      }],
    });
    this.role = role;
    this.backupRole = role;

    for (const v of this.lockedVaults) {
      const cfn = v.node.defaultChild as backup.CfnBackupVault;
      cfn.lockConfiguration = Lazy.any({ produce: () => this.renderLock() });
    }
    if (objective.immutability === Immutability.COMPLIANCE) {
      for (const v of this.lockedVaults) {
        Annotations.of(v).addWarningV2('drkit:vault-lock-compliance',
          `Vault Lock in compliance mode for objective "${objective.name}": after the cooling-off period of ${Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS} days from deployment the lock becomes immutable: nobody, including the root user and AWS, can remove it, shorten retention or delete recovery points early, and the vault cannot be deleted while it holds them (${Facts.VAULT_LOCK_SOURCE}). Deploy to a test account first.`);
      }
    }

    this.node.addValidation({
      validate: () => this.resourceArns.length === 0
        ? [`drkit: the backup of objective "${this.objective.name}" protects no resource`]
        : [],
    });
    BackupFinalizer.ensure(stack);
  }

  /** The restore tests, built at synthesis once every resource is known (undefined before, or when opted out). */
  public get restoreTests(): RestoreTesting | undefined {
    return this.restoreTestsBuilt;
  }

  /** The audit framework, built at synthesis once every resource is known (undefined before, or when opted out). */
  public get auditFramework(): BackupAuditFramework | undefined {
    return this.frameworkBuilt;
  }

  /**
   * The objective's main backup plan: that of the first rule set with snapshot rules (ids `Plan`
   * and `Selection`), else the first plan. Throws before any resource is added.
   */
  public get backupPlan(): backup.IBackupPlan {
    const main = this.ruleSets.find(r => r.suffix === '') ?? this.ruleSets[0];
    if (!main) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `the backup of objective "${this.objective.name}" in stack ${Stack.of(this).node.path} has no plan yet: a plan is made for the rules of the first resource added (addResource)`);
    }
    return main.plan;
  }

  /** Every backup plan, one per distinct set of rules, in the order they were made. */
  public get backupPlans(): backup.IBackupPlan[] {
    return this.ruleSets.map(r => r.plan);
  }

  /** The resource types in the selection, as AWS Backup names them. */
  public get protectedResourceTypes(): string[] {
    return [...this.kinds].map(k => protectedTypeOf(k).value);
  }

  /**
   * Adds a resource to the backup plan of its rules (shared with the resources whose rules are
   * identical, made on first use), with the vault settings its plan needs. With `backupAccount`,
   * an RDS, Aurora or EBS resource's KMS key is granted to the backup account (see the class).
   *
   * @param resourceArn the ARN of the resource to back up
   * @param plan the resource's protection plan
   * @param resource the resource's construct (its `Cfn*` resource or L2), to find its KMS key;
   *   when omitted, drkit finds it from `resourceArn` if that is an attribute of a resource of the app
   */
  public addResource(resourceArn: string, plan: ProtectionPlan, resource?: IConstruct): void {
    if (this.finalized) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `a resource (${plan.resourceName}) was added to the backup of objective "${this.objective.name}" in stack ${Stack.of(this).node.path} after its restore tests and audit framework were built: protect resources in constructors or in an Aspect with priority AspectPriority.MUTATING`);
    }
    if (this.backupAccount && plan.backupRules.some(r => r.copies.some(c => c.target === 'account'))) {
      this.grantSourceKey(resourceArn, plan, resource);
    }
    this.resourceArns.push(resourceArn);
    this.vaultPlans.push(plan.vault);
    if (plan.kind === ResourceKind.S3_BUCKET && !this.kinds.has(ResourceKind.S3_BUCKET)) {
      // S3 backups need their own AWS managed policy (the general one does not cover S3).
      this.backupRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Backup'));
    }
    this.kinds.add(plan.kind);
    this.backupAccountStack?.addVaultPlan(plan.vault);
    const rules = withoutRedundantRules(plan.backupRules);
    this.ruleSetFor(rules).arns.push(resourceArn);
    if (plan.kind === ResourceKind.DYNAMODB_TABLE) this.noteAdvancedDynamoDbBackup(rules);
  }

  /**
   * Once per objective, and only for the rules of a DynamoDB table (issue 14, point 8): AWS Backup
   * moves DynamoDB recovery points to cold storage, or copies them, only with advanced DynamoDB
   * backup on (an account setting).
   */
  private noteAdvancedDynamoDbBackup(rules: BackupRulePlan[]): void {
    if (this.coldStorageNoted) return;
    const coldOrCopied = rules.some(r => r.moveToColdStorageAfterDays !== undefined || r.copies.length > 0);
    if (!coldOrCopied) return;
    this.coldStorageNoted = true;
    Annotations.of(this).addInfoV2('drkit:advanced-dynamodb-backup',
      `drkit: the backup plan of objective "${this.objective.name}" moves DynamoDB recovery points to cold storage or copies them to another region or account; AWS Backup does that for DynamoDB only when "advanced DynamoDB backup" is enabled in the account (an account setting, not a template resource): run \`aws backup update-region-settings --resource-type-management-preference DynamoDB=true\` in ${Stack.of(this).region === undefined || Token.isUnresolved(Stack.of(this).region) ? 'the stack\'s region' : Stack.of(this).region} (${Facts.DYNAMODB_ADVANCED_BACKUP_SOURCE})`);
  }

  /**
   * Builds the evidence that depends on every protected resource (restore tests per resource
   * type, the audit framework from the plan's rules). Runs once, at synthesis.
   *
   * @internal
   */
  public _finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    if (this.resourceArns.length === 0) return; // the validation reports it
    const types = [...this.kinds].map(protectedTypeOf);
    if (this.evidence.restoreTesting) {
      this.restoreTestsBuilt = new RestoreTesting(this, 'RestoreTesting', {
        objective: this.objective,
        vault: this.vault,
        selections: types.map(resourceType => ({ resourceType })),
      });
    }
    if (this.evidence.auditFramework) {
      const copyRegions = this.secondaryRegion && this.objective.covers(Disruption.REGION_OUTAGE) ? [this.secondaryRegion] : undefined;
      const copyAccounts = this.backupAccount ? [this.backupAccount] : undefined;
      const inputs = auditInputsFromPlan(this.planRules, this.renderLock(), copyRegions ?? [], copyAccounts ?? []);
      this.frameworkBuilt = new BackupAuditFramework(this, 'AuditFramework', {
        objective: this.objective,
        copyRegions,
        copyAccounts,
        resourceTypes: types,
        backupFrequency: inputs.backupFrequencyHours !== undefined ? Period.hours(inputs.backupFrequencyHours) : undefined,
        recoveryPointAge: inputs.recoveryPointAgeHours !== undefined ? Period.hours(inputs.recoveryPointAgeHours) : undefined,
        requiredRetentionDays: inputs.requiredRetentionDays,
        lockMinRetentionDays: inputs.lockMinRetentionDays,
        lockMaxRetentionDays: inputs.lockMaxRetentionDays,
      });
    }
  }

  /**
   * The plan (and selection) of one set of rules, made on first use: ids `Plan` / `Selection`
   * for the first set with snapshot rules (as before plans were split), else `Plan<rule names>`
   * / `Selection<rule names>` (named after the rules, not their numbers, so a retention change
   * updates the plan in place), with a hash when two sets have the same rule names.
   */
  private ruleSetFor(rules: BackupRulePlan[]): RuleSetPlan {
    const json = JSON.stringify(rules);
    const existing = this.ruleSets.find(r => r.json === json);
    if (existing) return existing;
    const stack = Stack.of(this);
    const snapshots = rules.some(r => !r.enableContinuousBackup);
    let suffix = snapshots && !this.ruleSets.some(r => r.suffix === '') ? '' : idFromName(rules.map(r => r.name).join(' '));
    if (suffix !== '' && this.node.tryFindChild(`Plan${suffix}`)) {
      suffix = `${suffix}${crypto.createHash('sha256').update(json).digest('hex').slice(0, 8)}`;
    }
    const label = suffix === '' ? '' : `-${suffix}`;
    const plan = new backup.BackupPlan(this, `Plan${suffix}`, {
      backupPlanName: boundedName(`${Token.isUnresolved(stack.stackName) ? 'drkit' : stack.stackName}-${idFromName(this.objective.name)}${label}`),
      backupVault: this.vault,
    });
    const set: RuleSetPlan = { json, suffix, plan, arns: [] };
    new backup.CfnBackupSelection(this, `Selection${suffix}`, {
      backupPlanId: plan.backupPlanId,
      backupSelection: {
        selectionName: `drkit-${idFromName(this.objective.name)}${label}`.slice(0, 50),
        iamRoleArn: this.role.roleArn,
        resources: Lazy.list({ produce: () => set.arns }),
      },
    });
    this.ruleSets.push(set);
    for (const rule of rules) this.addRule(plan, rule);
    return set;
  }

  private addRule(plan: backup.BackupPlan, rule: BackupRulePlan): void {
    // Audit inputs and the air-gapped vault's retention range: every distinct rule once.
    const json = JSON.stringify(rule);
    if (!this.planRules.some(r => JSON.stringify(r) === json)) {
      this.planRules.push(rule);
      if (this.airGappedVault) this.airGappedCopyDays.push(Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, rule.deleteAfterDays));
    }
    const airGappedDays = Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, rule.deleteAfterDays);
    // Completion window: see completionWindowBasis (the interval; AWS publishes no backup
    // duration, and a first full backup that needs longer is started once on demand).
    plan.addRule(new backup.BackupPlanRule({
      ruleName: rule.name,
      scheduleExpression: events.Schedule.expression(rule.scheduleExpression),
      startWindow: Duration.minutes(rule.startWindowMinutes),
      completionWindow: Duration.minutes(rule.completionWindowMinutes),
      deleteAfter: Duration.days(rule.deleteAfterDays),
      moveToColdStorageAfter: rule.moveToColdStorageAfterDays !== undefined ? Duration.days(rule.moveToColdStorageAfterDays) : undefined,
      enableContinuousBackup: rule.enableContinuousBackup ? true : undefined,
      copyActions: rule.copies.map(c => ({
        destinationBackupVault: this.copyVault(c),
        deleteAfter: Duration.days(c.deleteAfterDays),
        moveToColdStorageAfter: c.moveToColdStorageAfterDays !== undefined ? Duration.days(c.moveToColdStorageAfterDays) : undefined,
      })).concat(this.airGappedVault ? [{
        destinationBackupVault: this.airGappedTarget(),
        deleteAfter: Duration.days(airGappedDays),
        moveToColdStorageAfter: undefined,
      }] : []),
    }));
  }

  /**
   * Grants the backup account the KMS key of an RDS, Aurora or EBS resource whose recovery
   * points are copied there: they keep that key, not the vault's. A key of the app gets the key
   * policy statement AWS documents; a key drkit cannot change gets a warning; an AWS managed key
   * is refused (it cannot be shared).
   */
  private grantSourceKey(resourceArn: string, plan: ProtectionPlan, resource: IConstruct | undefined): void {
    if (![ResourceKind.RDS_INSTANCE, ResourceKind.RDS_CLUSTER, ResourceKind.EBS_VOLUME].includes(plan.kind)) return;
    const cfn = cfnResourceOf(resource) ?? cfnResourceOf(referenceTarget(resourceArn));
    const what = `${kindTitle(plan.kind)} ${cfn?.node.path ?? plan.resourceName}`;
    const account = this.backupAccount!;
    const why = `${Facts.BACKUP_SOURCE_ENCRYPTION.statement} (${Facts.BACKUP_SOURCE_ENCRYPTION.source})`;
    const warn = (text: string) => Annotations.of(cfn ?? this).addWarningV2('drkit:cross-account-source-key', text);
    if (!cfn) {
      warn(`drkit: objective "${this.objective.name}" copies the recovery points of ${what} to backup account ${account}, but drkit cannot see the resource to find its KMS key. ${why}: its key must be a customer managed key whose policy allows account ${account} ${KEY_ACTIONS.join(', ')} (${Facts.BACKUP_CROSS_ACCOUNT_KEY_ACTIONS.source}), or the copy jobs fail`);
      return;
    }
    const stack = Stack.of(cfn);
    let encrypted: unknown;
    let keyId: unknown;
    if (cfn instanceof rds.CfnDBCluster || cfn instanceof rds.CfnDBInstance) {
      encrypted = stack.resolve(cfn.storageEncrypted);
      keyId = cfn.kmsKeyId;
    } else if (cfn instanceof ec2.CfnVolume) {
      encrypted = stack.resolve(cfn.encrypted);
      keyId = cfn.kmsKeyId;
    } else {
      return;
    }
    const resolved = keyId === undefined ? undefined : stack.resolve(keyId);
    if (keyId === undefined && encrypted !== true && encrypted !== 'true') return; // not encrypted: no key to share
    const awsManaged = keyId === undefined ? `${cfn instanceof ec2.CfnVolume ? 'Encrypted' : 'StorageEncrypted'} without KmsKeyId (the service's AWS managed key)`
      : typeof resolved === 'string' && /(^|:)alias\/aws\//.test(resolved) ? `KmsKeyId ${resolved}` : undefined;
    if (awsManaged) {
      throw new DrkitError(DrkitErrorCode.SOURCE_KEY_NOT_SHAREABLE,
        `${what} is encrypted with an AWS managed key (${awsManaged}), so AWS Backup cannot copy its recovery points to backup account ${account} for objective "${this.objective.name}": ${why}, and ${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.statement} (${Facts.BACKUP_CROSS_ACCOUNT_CUSTOMER_KEY_ONLY.source}). Encrypt it with a customer managed key (a kms.Key of this app, which drkit grants to account ${account}), or remove backupAccount`);
    }
    const key = keyOfApp(referenceTarget(keyId));
    if (!key) {
      warn(`drkit: objective "${this.objective.name}" copies the recovery points of ${what} to backup account ${account}; they keep the resource's KMS key ${typeof resolved === 'string' ? resolved : JSON.stringify(resolved)} (${why}), which is not a kms.Key of this app, so drkit cannot grant it: ${Facts.BACKUP_CROSS_ACCOUNT_KEY_SHARE.statement} (${Facts.BACKUP_CROSS_ACCOUNT_KEY_SHARE.source}). Add to its key policy a statement allowing account ${account} (arn:aws:iam::${account}:root) ${KEY_ACTIONS.join(', ')} (${Facts.BACKUP_CROSS_ACCOUNT_KEY_ACTIONS.source}), or the copy jobs fail`);
      return;
    }
    if (this.grantedKeys.has(key)) return;
    this.grantedKeys.add(key);
    // The statement AWS documents for the source key of a cross-account copy: the destination
    // account (its root, which delegates to AWS Backup there) may use the key.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowBackupAccount${account}ToCopyRecoveryPoints`,
      principals: [new iam.AccountPrincipal(account)],
      actions: KEY_ACTIONS,
      resources: ['*'],
    }));
    Annotations.of(cfn).addInfo(`drkit: ${what} keeps its KMS key ${key.node.path} in its AWS Backup recovery points (${why}); drkit granted that key to backup account ${account} for the cross-account copies of objective "${this.objective.name}" (${Facts.BACKUP_CROSS_ACCOUNT_KEY_SHARE.source})`);
  }

  private airGappedTarget(): backup.IBackupVault {
    const existing = this.node.tryFindChild('AirGappedCopyTarget') as backup.IBackupVault | undefined;
    if (existing) return existing;
    const lag = this.airGappedVault!;
    return backup.BackupVault.fromBackupVaultArn(this, 'AirGappedCopyTarget', lag.attrBackupVaultArn);
  }

  /** The destination vault of a copy, referenced by an ARN built from literal parts. */
  private copyVault(copy: CopyPlan): backup.IBackupVault {
    let arn: string;
    let key: string;
    if (copy.target === 'region') {
      if (!this.secondaryRegion || copy.region !== this.secondaryRegion) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `the plan copies to region ${copy.region}, but objective "${this.objective.name}" in stack ${Stack.of(this).node.path} is set up for secondary region ${this.secondaryRegion ?? '(none)'}: protect every resource of one objective with the same secondaryRegion`);
      }
      key = `region:${copy.region}`;
      arn = `arn:${Aws.PARTITION}:backup:${copy.region}:${Aws.ACCOUNT_ID}:backup-vault:${secondaryVaultName(Stack.of(this), this.objective)}`;
    } else {
      if (!this.backupAccount || copy.account !== this.backupAccount) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `the plan copies to account ${copy.account}, but objective "${this.objective.name}" in stack ${Stack.of(this).node.path} is set up for backup account ${this.backupAccount ?? '(none)'}: protect every resource of one objective with the same backupAccount`);
      }
      key = `account:${copy.account}`;
      arn = `arn:${Aws.PARTITION}:backup:${Stack.of(this).region}:${copy.account}:backup-vault:${ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME}`;
    }
    let vault = this.copyVaults.get(key);
    if (!vault) {
      vault = backup.BackupVault.fromBackupVaultArn(this, copy.target === 'region' ? `CopyVault-${copy.region}` : `CopyVault-${copy.account}`, arn);
      this.copyVaults.set(key, vault);
    }
    return vault;
  }

  /** Vault Lock settings covering every resource's plan. */
  private renderLock(): MergedVaultLock | undefined {
    return mergeVaultLocks(this.vaultPlans);
  }

  private checkSame(objective: RecoveryObjective, options: ObjectiveBackupOptions): void {
    const where = `stack ${Stack.of(this).node.path}`;
    if (JSON.stringify(objective.toJson()) !== this.objectiveKey) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `two different objectives are named "${objective.name}" in ${where}: drkit shares one vault and plan per objective and names them after the objective; give each objective its own \`name\``);
    }
    if (options.secondaryRegion !== this.secondaryRegion) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `objective "${objective.name}" is used with secondaryRegion ${JSON.stringify(this.secondaryRegion)} and ${JSON.stringify(options.secondaryRegion)} in ${where}: the resources of one objective share one plan with one copy target; use the same secondaryRegion, or a second objective with its own name`);
    }
    if (options.backupAccount !== this.backupAccount) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `objective "${objective.name}" is used with backupAccount ${JSON.stringify(this.backupAccount)} and ${JSON.stringify(options.backupAccount)} in ${where}: the resources of one objective share one plan with one copy target; use the same backupAccount, or a second objective with its own name`);
    }
    // Options left unset keep the first call's choice; options set must agree with it.
    const given: Array<[string, boolean | undefined, boolean]> = [
      ['airGappedVault', options.airGappedVault, this.airGappedVault !== undefined],
      ['restoreTesting', options.restoreTesting, this.evidence.restoreTesting],
      ['auditFramework', options.auditFramework, this.evidence.auditFramework],
      ['notifications', options.notifications, this.evidence.notifications],
      ['healthDashboard', options.healthDashboard, this.evidence.healthDashboard],
    ];
    for (const [name, value, current] of given) {
      if (value !== undefined && value !== current) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `objective "${objective.name}" is used with \`${name}\` ${current} and ${value} in ${where}: the resources of one objective share one backup; set \`${name}\` the same way everywhere (or only on the first declaration)`);
      }
    }
  }
}

/** One backup plan of an ObjectiveBackup: the rules (as JSON), its id suffix, the plan, and the ARNs it selects. */
interface RuleSetPlan {
  readonly json: string;
  /** '' for `Plan` / `Selection`, else the rule names (`Continuous`). */
  readonly suffix: string;
  readonly plan: backup.BackupPlan;
  readonly arns: string[];
}

/**
 * The KMS actions the backup account needs on the source key of a cross-account copy, as AWS's
 * knowledge center lists them (Facts.BACKUP_CROSS_ACCOUNT_KEY_ACTIONS).
 */
const KEY_ACTIONS = [
  'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*',
  'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant',
];

/** The construct a token (an attribute of a resource, such as a key's ARN) refers to, if any. */
function referenceTarget(value: unknown): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) return undefined;
  const t: any = Tokenization.reverse(value, { failConcat: false });
  const target = t?.target;
  return target && typeof target === 'object' && target.node ? target as IConstruct : undefined;
}

/** The CloudFormation resource of a construct (itself, or an L2's default child). */
function cfnResourceOf(c: IConstruct | undefined): CfnResource | undefined {
  if (!c) return undefined;
  if (CfnResource.isCfnResource(c)) return c;
  const child = c.node.defaultChild;
  return child && CfnResource.isCfnResource(child) ? child : undefined;
}

/** The kms.Key (an L2 of this app whose policy drkit can extend) behind an `AWS::KMS::Key`, if any. */
function keyOfApp(target: IConstruct | undefined): kms.IKey | undefined {
  const cfn = cfnResourceOf(target);
  if (!cfn || cfn.cfnResourceType !== 'AWS::KMS::Key') return undefined;
  const owner: any = CfnResource.isCfnResource(target) ? cfn.node.scope : target;
  return owner && owner.node?.defaultChild === cfn && typeof owner.addToResourcePolicy === 'function' ? owner as kms.IKey : undefined;
}

/** PascalCase letters and digits of an objective's name, for construct ids. */
function idFromName(name: string): string {
  const words = String(name).split(/[^A-Za-z0-9]+/).filter(w => w.length > 0);
  const id = words.map(w => w[0].toUpperCase() + w.slice(1)).join('');
  return id.length > 0 ? id : `Objective${crypto.createHash('sha256').update(String(name)).digest('hex').slice(0, 8)}`;
}

/**
 * Physical name of the copy vault in the secondary region: fixed, so the primary stack can
 * reference it by ARN (CloudFormation has no cross-region references), and carrying the primary
 * region. At most 50 characters.
 */
function secondaryVaultName(stack: Stack, objective: RecoveryObjective): string {
  const base = Token.isUnresolved(stack.stackName) ? stack.node.path : stack.stackName;
  // The primary region too: the same stack copying from two regions to one must not share a vault.
  return boundedName(`${base}-${primaryRegionOf(stack, `the copy vault of objective "${objective.name}"`)}-${idFromName(objective.name)}-copies`);
}

/** A name of letters, digits, `-` and `_`, at most 50 characters (vault and plan names). */
function boundedName(text: string): string {
  const full = text.replace(/[^A-Za-z0-9_-]/g, '-');
  if (full.length <= 50) return full;
  const hash = crypto.createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 41)}-${hash}`;
}

function newVaultKey(scope: Construct, id: string, description: string): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

function newVault(scope: Construct, id: string, key: kms.IKey, name?: string): backup.BackupVault {
  return new backup.BackupVault(scope, id, {
    backupVaultName: name,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
    // Denies backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle to every
    // principal: points leave the vault only when their lifecycle expires. The vault's own
    // settings (access policy, lock, notifications) stay manageable by the account.
    blockRecoveryPointDeletion: true,
  });
}

/** The AWS Backup name of a resource kind. */
function protectedTypeOf(kind: ResourceKind): ProtectedResourceType {
  const name = backupResourceType(kind);
  return KNOWN_TYPES.find(t => t.value === name) ?? new ProtectedResourceType(name);
}
const KNOWN_TYPES = [
  ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3, ProtectedResourceType.RDS,
  ProtectedResourceType.AURORA, ProtectedResourceType.EFS, ProtectedResourceType.EBS,
];

const FINALIZER = Symbol.for('drkit.BackupFinalizer');

/**
 * One per stack, on the stack node: after every mutating aspect (ProtectedScope discovers
 * and protects resources at priority MUTATING), builds the evidence of each ObjectiveBackup
 * of the stack, which depends on the protected resource types and the plan's rules.
 */
class BackupFinalizer implements IAspect {
  /** Priority: after AspectPriority.MUTATING (200) and the default (500), before READONLY (1000). */
  public static readonly PRIORITY = 700;

  /** Registers the finalizer on `stack` once. */
  public static ensure(stack: Stack): void {
    if ((stack as any)[FINALIZER]) return;
    const f = new BackupFinalizer(stack);
    Object.defineProperty(stack, FINALIZER, { value: f });
    Aspects.of(stack).add(f, { priority: BackupFinalizer.PRIORITY });
  }

  private constructor(private readonly stack: Stack) {}

  public visit(node: IConstruct): void {
    if (node !== this.stack) return;
    for (const child of this.stack.node.children) {
      if (ObjectiveBackup.isObjectiveBackup(child)) (child as ObjectiveBackup)._finalize();
    }
  }
}
