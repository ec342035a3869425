import * as crypto from 'crypto';
import { Annotations, Aspects, Aws, CfnResource, Duration, IAspect, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { BackupRulePlan, CopyPlan, ProtectionPlan, ResourceKind, VaultPlan } from '../../core/plan';
import { auditInputsFromPlan, backupResourceType, MergedVaultLock, mergeBackupRule, mergeVaultLocks } from '../../core/plan-backup';
import { BackupAuditFramework } from '../evidence/audit-framework';
import { BackupHealthDashboard } from '../evidence/dashboard';
import { BackupNotifications } from '../evidence/notifications';
import { ProtectedResourceType } from '../evidence/protected-resource-type';
import { RestoreTesting } from '../evidence/restore-testing';
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
 * The AWS Backup vault, KMS key, plan and selection shared by every resource of one stack
 * that is protected against the same objective. Ten tables with one objective give one
 * vault and one plan.
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
  /** The backup plan. */
  public readonly backupPlan: backup.IBackupPlan;
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
  private readonly plan: backup.BackupPlan;
  private readonly resourceArns: string[] = [];
  private readonly vaultPlans: VaultPlan[] = [];
  private readonly rules = new Map<string, string>();
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
      // Copies of snapshots encrypted with this vault's key (resource types without full
      // AWS Backup management, for example EBS and RDS) need the key in the backup account.
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

    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: boundedName(`${Token.isUnresolved(stack.stackName) ? 'drkit' : stack.stackName}-${idFromName(objective.name)}`),
      backupVault: vault,
    });
    this.backupPlan = this.plan;

    new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: `drkit-${idFromName(objective.name)}`.slice(0, 50),
        iamRoleArn: role.roleArn,
        resources: Lazy.list({ produce: () => this.resourceArns }),
      },
    });

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

  /** The resource types in the selection, as AWS Backup names them. */
  public get protectedResourceTypes(): string[] {
    return [...this.kinds].map(k => protectedTypeOf(k).value);
  }

  /**
   * Adds a resource to the shared plan, with the rules and vault settings its plan needs.
   *
   * @param resourceArn the ARN of the resource to back up
   * @param plan the resource's protection plan
   */
  public addResource(resourceArn: string, plan: ProtectionPlan): void {
    if (this.finalized) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `a resource (${plan.resourceName}) was added to the backup of objective "${this.objective.name}" in stack ${Stack.of(this).node.path} after its restore tests and audit framework were built: protect resources in constructors or in an Aspect with priority AspectPriority.MUTATING`);
    }
    this.resourceArns.push(resourceArn);
    this.vaultPlans.push(plan.vault);
    if (plan.kind === ResourceKind.S3_BUCKET && !this.kinds.has(ResourceKind.S3_BUCKET)) {
      // S3 backups need their own AWS managed policy (the general one does not cover S3).
      this.backupRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Backup'));
    }
    this.kinds.add(plan.kind);
    this.backupAccountStack?.addVaultPlan(plan.vault);
    for (const rule of plan.backupRules) this.addRule(rule);
    this.noteAdvancedDynamoDbBackup();
  }

  /**
   * Once per plan, and only when it backs up a DynamoDB table (issue 14, point 8): AWS Backup
   * moves DynamoDB recovery points to cold storage, or copies them, only with advanced DynamoDB
   * backup on (an account setting).
   */
  private noteAdvancedDynamoDbBackup(): void {
    if (this.coldStorageNoted || !this.kinds.has(ResourceKind.DYNAMODB_TABLE)) return;
    const coldOrCopied = this.planRules.some(r => r.moveToColdStorageAfterDays !== undefined || r.copies.length > 0);
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

  private addRule(rule: BackupRulePlan): void {
    // An identical rule once; a taken name with other settings under a distinct name.
    const name = mergeBackupRule(this.rules, rule);
    if (name === undefined) return;
    this.planRules.push(rule);
    const airGappedDays = Math.max(Facts.AIR_GAPPED_VAULT_MIN_RETENTION_DAYS, rule.deleteAfterDays);
    if (this.airGappedVault) this.airGappedCopyDays.push(airGappedDays);
    this.plan.addRule(new backup.BackupPlanRule({
      ruleName: name,
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

/** PascalCase letters and digits of an objective's name, for construct ids. */
function idFromName(name: string): string {
  const words = String(name).split(/[^A-Za-z0-9]+/).filter(w => w.length > 0);
  const id = words.map(w => w[0].toUpperCase() + w.slice(1)).join('');
  return id.length > 0 ? id : `Objective${crypto.createHash('sha256').update(String(name)).digest('hex').slice(0, 8)}`;
}

/**
 * Physical name of the copy vault in the secondary region: fixed, so the primary stack can
 * reference it by ARN (CloudFormation has no cross-region references). At most 50 characters.
 */
function secondaryVaultName(stack: Stack, objective: RecoveryObjective): string {
  const base = Token.isUnresolved(stack.stackName) ? stack.node.path : stack.stackName;
  return boundedName(`${base}-${idFromName(objective.name)}-copies`);
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
