import { Annotations, Aws, Lazy, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Immutability } from '../../core/objective';
import { VaultPlan } from '../../core/plan';

/** The vault name every drkit stack copies to in a backup account. */
const VAULT_NAME = 'drkit-backup-account-vault';
const MARK = Symbol.for('drkit.BackupAccountStack');

/**
 * The backup-account side of cross-account copies: a stack, in the same App, deployed to the
 * backup account (`env.account`) in the region of the stacks that copy into it. It holds a KMS
 * key whose policy lets the source accounts (through AWS Backup) use it, and the vault named
 * `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME` whose access policy allows
 * `backup:CopyIntoBackupVault` from the source accounts (or from the whole organization),
 * denies deleting recovery points, and carries the Vault Lock of every objective that copies
 * into it.
 *
 * drkit creates it for you when an objective is given a `backupAccount`: one per (stage,
 * backup account, region), shared by every stack and objective that copies there (the vault
 * name is fixed, so there can be only one). Deploy it with credentials of the backup account
 * (`cdk deploy <stack name>` with that account's profile, or a CDK pipeline stage).
 *
 * Cross-account copy only works between accounts of one AWS Organization with cross-account
 * backup turned on in the management account (`aws backup update-global-settings
 * --global-settings isCrossAccountBackupEnabled=true`, or AWS Backup > Settings in the console).
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 */
export class BackupAccountStack extends Stack {
  /**
   * The backup-account stack for `account` and `region` in `scope`'s stage, created on first use.
   *
   * @param scope any construct in the stage (App or Stage) of the source stacks
   * @param account the 12-digit backup account id
   * @param region the region of the source stacks (copies land in the same region)
   */
  public static forAccount(scope: Construct, account: string, region?: string): BackupAccountStack {
    const stage = Stage.of(scope);
    if (!stage) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${scope.node.path} is not in an App or Stage, so drkit cannot add the stack for backup account ${account}`);
    }
    if (Token.isUnresolved(account) || !/^\d{12}$/.test(account)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `the backup account must be a concrete 12-digit AWS account id, but got ${Token.isUnresolved(account) ? 'an unresolved token' : JSON.stringify(account)}`);
    }
    const concreteRegion = region !== undefined && !Token.isUnresolved(region) ? region : undefined;
    const id = `drkit-backup-account-${account}${concreteRegion ? `-${concreteRegion}` : ''}`;
    const existing = stage.node.tryFindChild(id);
    if (existing) return existing as BackupAccountStack;
    return new BackupAccountStack(stage, id, account, concreteRegion);
  }

  /** Whether `x` is a BackupAccountStack. */
  public static isBackupAccountStack(x: any): boolean {
    return x !== null && typeof x === 'object' && (x as any)[MARK] === true;
  }

  /** The vault that receives the copies. */
  public readonly vault: backup.BackupVault;
  /** The key that encrypts it. */
  public readonly key: kms.Key;

  private readonly sourceAccounts = new Set<string>();
  private readonly organizations = new Set<string>();
  private readonly vaultPlans: VaultPlan[] = [];

  private constructor(scope: Construct, id: string, account: string, region: string | undefined) {
    super(scope, id, {
      env: { account, region },
      stackName: id,
      description: `drkit: the vault in backup account ${account} that receives cross-account copies of AWS Backup recovery points`,
      terminationProtection: true,
    });
    Object.defineProperty(this, MARK, { value: true });

    this.key = new kms.Key(this, 'Key', {
      description: 'drkit: encrypts the backup-account vault that receives cross-account copies',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: VAULT_NAME,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
    });
    this.node.addValidation({
      validate: () => {
        if (this.sourceAccounts.size === 0 && this.organizations.size === 0) {
          Annotations.of(this.vault).addWarningV2('drkit:backup-account-no-source',
            `the vault ${VAULT_NAME} in backup account ${account} allows no source account, so copy jobs into it will be refused: give the source stacks a concrete \`env.account\`, pass \`organizationId\` to the objective's backup, or call allowSourceAccount() / allowOrganization() on ${this.node.path}`);
        }
        return [];
      },
    });
    (this.vault.node.defaultChild as backup.CfnBackupVault).lockConfiguration = Lazy.any({ produce: () => this.renderLock() });
  }

  /** Lets `account` copy into the vault and use its key through AWS Backup. */
  public allowSourceAccount(account: string): void {
    if (Token.isUnresolved(account) || !/^\d{12}$/.test(account)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `backup-account stack ${this.node.path} needs the concrete 12-digit id of each source account, but got ${Token.isUnresolved(account) ? 'an unresolved token (give the source stack `env.account`, or an `organizationId`)' : JSON.stringify(account)}`);
    }
    if (this.sourceAccounts.has(account)) return;
    this.sourceAccounts.add(account);
    this.grant(`Account${account}`, new iam.AccountPrincipal(account), undefined);
  }

  /** Lets every account of AWS Organization `organizationId` (o-xxxxxxxxxx) copy into the vault. */
  public allowOrganization(organizationId: string): void {
    if (Token.isUnresolved(organizationId) || !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`organizationId\` must be an AWS Organizations id such as "o-a1b2c3d4e5", but got ${Token.isUnresolved(organizationId) ? 'an unresolved token' : JSON.stringify(organizationId)}`);
    }
    if (this.organizations.has(organizationId)) return;
    this.organizations.add(organizationId);
    this.grant(`Org${organizationId.replace(/[^A-Za-z0-9]/g, '')}`, new iam.AnyPrincipal(), { 'aws:PrincipalOrgID': organizationId });
  }

  /**
   * Adds the Vault Lock needs of one objective's plan: the lock covers every objective
   * (smallest minimum, largest maximum, compliance mode when any asks for it).
   */
  public addVaultPlan(plan: VaultPlan): void {
    this.vaultPlans.push(plan);
  }

  private grant(sid: string, principal: iam.IPrincipal, condition: { [key: string]: string } | undefined): void {
    this.vault.addToAccessPolicy(new iam.PolicyStatement({
      sid: `AllowCopyInto${sid}`,
      effect: iam.Effect.ALLOW,
      principals: [principal],
      actions: ['backup:CopyIntoBackupVault'],
      resources: ['*'],
      conditions: condition ? { StringEquals: condition } : undefined,
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowBackupKeyUse${sid}`,
      principals: [principal],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `backup.${Aws.REGION}.amazonaws.com`, ...(condition ?? {}) } },
    }));
  }

  private renderLock(): any {
    const locked = this.vaultPlans.filter(v => v.lock !== Immutability.NONE);
    if (locked.length === 0) return undefined;
    const mins = locked.map(v => v.minRetentionDays).filter((x): x is number => x !== undefined);
    const maxs = locked.map(v => v.maxRetentionDays).filter((x): x is number => x !== undefined);
    const compliance = locked.some(v => v.lock === Immutability.COMPLIANCE);
    return {
      minRetentionDays: mins.length ? Math.min(...mins) : 1,
      maxRetentionDays: maxs.length ? Math.min(Facts.VAULT_LOCK_MAX_RETENTION_DAYS, Math.max(...maxs)) : undefined,
      changeableForDays: compliance ? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS : undefined,
    };
  }
}
