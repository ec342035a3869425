import * as crypto from 'crypto';
import { Annotations, Aws, CfnResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Immutability, RecoveryObjective } from '../../core/objective';
import { BackupRulePlan, CopyPlan, ProtectionPlan, VaultPlan } from '../../core/plan';
import { SecondaryRegionStack } from '../secondary-region';

/** Where the backups of one objective are copied. */
export interface ObjectiveBackupOptions {
  /**
   * Region that receives a copy of every recovery point (same account).
   * @default - no cross-region copy
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives a copy of every recovery point. The copy goes to the vault named
   * `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME` in that account, in the primary region,
   * which you create there (its access policy must allow `backup:CopyIntoBackupVault` from
   * this account, and both accounts must be in the same AWS Organization).
   * @default - no cross-account copy
   */
  readonly backupAccount?: string;
}

const SYMBOL = Symbol.for('drkit.ObjectiveBackup');

/**
 * The AWS Backup vault, KMS key, plan and selection shared by every resource of one stack
 * that is protected against the same objective. Ten tables with one objective give one
 * vault and one plan.
 *
 * Construct ids derive from the objective's name (not its numbers), so changing a
 * retention count updates the plan in place instead of replacing the vault.
 */
export class ObjectiveBackup extends Construct {
  /**
   * Name of the vault that receives cross-account copies in the backup account. Create it
   * there (in the primary region) before the first copy job runs.
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
      return ob;
    }
    return new ObjectiveBackup(stack, id, objective, options);
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
   * Vault in the secondary region that receives copies.
   * @default - none
   */
  public readonly secondaryVault?: backup.IBackupVault;

  private readonly objectiveKey: string;
  private readonly plan: backup.BackupPlan;
  private readonly resourceArns: string[] = [];
  private readonly vaultPlans: VaultPlan[] = [];
  private readonly rules = new Map<string, string>();
  private readonly copyVaults = new Map<string, backup.IBackupVault>();
  private readonly lockedVaults: backup.BackupVault[] = [];
  private coldStorageNoted = false;

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

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `drkit: AWS Backup backs up and copies the resources of objective "${objective.name}"`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup')],
    });
    (role.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM4',
        reason: 'AWSBackupServiceRolePolicyForBackup is the service-role policy AWS documents for AWS Backup jobs; AWS keeps it current as services gain backup features',
        applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'],
      }],
    });
    this.role = role;

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
  }

  /**
   * Adds a resource to the shared plan, with the rules and vault settings its plan needs.
   *
   * @param resourceArn the ARN of the resource to back up
   * @param plan the resource's protection plan
   */
  public addResource(resourceArn: string, plan: ProtectionPlan): void {
    this.resourceArns.push(resourceArn);
    this.vaultPlans.push(plan.vault);
    for (const rule of plan.backupRules) this.addRule(rule);
  }

  private addRule(rule: BackupRulePlan): void {
    const json = JSON.stringify(rule);
    for (const existing of this.rules.values()) if (existing === json) return;
    // Same rule name with other settings (for example a replicated table keeps daily points
    // longer): keep both, under distinct names, so no resource gets less than its plan.
    const name = this.rules.has(rule.name) ? `${rule.name}${rule.deleteAfterDays}d` : rule.name;
    this.rules.set(name, json);
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
      })),
    }));
    const cold = rule.moveToColdStorageAfterDays !== undefined || rule.copies.some(c => c.moveToColdStorageAfterDays !== undefined);
    if ((cold || rule.copies.length > 0) && !this.coldStorageNoted) {
      this.coldStorageNoted = true;
      Annotations.of(this).addInfoV2('drkit:advanced-dynamodb-backup',
        `drkit: the backup plan of objective "${this.objective.name}" moves DynamoDB recovery points to cold storage or copies them to another region or account; AWS Backup does that for DynamoDB only when "advanced DynamoDB backup" is enabled in the account (an account setting, not a template resource): run \`aws backup update-region-settings --resource-type-management-preference DynamoDB=true\` in ${Stack.of(this).region === undefined || Token.isUnresolved(Stack.of(this).region) ? 'the stack\'s region' : Stack.of(this).region} (${Facts.DYNAMODB_ADVANCED_BACKUP_SOURCE})`);
    }
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
  private renderLock(): any {
    const locked = this.vaultPlans.filter(v => v.lock !== Immutability.NONE);
    if (locked.length === 0) return undefined;
    const mins = locked.map(v => v.minRetentionDays).filter((x): x is number => x !== undefined);
    const maxs = locked.map(v => v.maxRetentionDays).filter((x): x is number => x !== undefined);
    const changeable = locked.map(v => v.changeableForDays).filter((x): x is number => x !== undefined);
    return {
      minRetentionDays: mins.length ? Math.min(...mins) : 1,
      maxRetentionDays: maxs.length ? Math.max(...maxs) : undefined,
      changeableForDays: changeable.length ? Math.max(...changeable) : undefined,
    };
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
