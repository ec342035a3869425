import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { OrganizationDefaults, OrganizationPolicyPlan, OrganizationVaultLock } from '../../core/org/policy';

/** Properties of a CentralBackupVault. */
export interface CentralBackupVaultProps {
  /** The AWS Organizations id (`o-...`) whose accounts may copy into the vault. */
  readonly organizationId: string;
  /**
   * The planned policy whose copies land here: gives the vault name and the lock (compliance
   * mode, covering the retention of every copy).
   * @default - give `lock`
   */
  readonly plan?: OrganizationPolicyPlan;
  /**
   * The Vault Lock (compliance mode when `changeableForDays` is set).
   * @default - the plan's central vault lock
   */
  readonly lock?: OrganizationVaultLock;
  /**
   * The vault name.
   * @default - the plan's central vault name, else OrganizationDefaults.CENTRAL_VAULT_NAME
   */
  readonly vaultName?: string;
}

/**
 * The central backup account's vault: it receives the cross-account copies of an organization
 * backup policy. Its access policy allows `backup:CopyIntoBackupVault` from any principal of the
 * organization (`aws:PrincipalOrgID`) and denies deleting recovery points; it is locked in
 * compliance mode (`LockConfiguration` with `ChangeableForDays`: after that grace time, "the
 * vault and its lock are immutable and cannot be changed or deleted by any user or by AWS"); its
 * KMS key lets the organization's accounts use it through AWS Backup.
 *
 * Put it in a stack deployed to the central backup account, in the policy's `centralRegion`.
 * Cross-account copies also need cross-account backup turned on in the management account
 * (`OrganizationPreconditions.list()`).
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 */
export class CentralBackupVault extends Construct {
  /** The vault. */
  public readonly vault: backup.BackupVault;
  /** Its key. */
  public readonly key: kms.Key;
  /** The lock it carries. */
  public readonly lock: OrganizationVaultLock;

  constructor(scope: Construct, id: string, props: CentralBackupVaultProps) {
    super(scope, id);
    const org = props.organizationId;
    if (Token.isUnresolved(org) || !/^o-[a-z0-9]{10,32}$/.test(org)) {
      throw new DrkitError(DrkitErrorCode.ORG_TARGET,
        `${this.node.path}: \`organizationId\` must be an AWS Organizations id such as "o-a1b2c3d4e5", but got ${Token.isUnresolved(org) ? 'an unresolved token' : JSON.stringify(org)}`);
    }
    const lock = props.lock ?? props.plan?.centralVaultLock;
    if (!lock) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${this.node.path}: no lock: give \`plan\` (an OrganizationBackupPolicy's plan with an objective covering account compromise) or \`lock\``);
    }
    if (lock.changeableForDays !== undefined && lock.changeableForDays < Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${this.node.path}: \`lock.changeableForDays\` is ${lock.changeableForDays}: compliance mode needs at least ${Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS} days (${Facts.VAULT_LOCK_SOURCE})`);
    }
    this.lock = lock;
    const stack = Stack.of(this);
    const region = props.plan?.centralRegion;
    if (region && !Token.isUnresolved(stack.region) && stack.region !== region) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${this.node.path}: the backup policy copies to the central vault in ${region}, but this stack is in ${stack.region}: deploy it to ${region} or set the policy's \`centralRegion\` to ${stack.region}`);
    }
    const account = props.plan?.backupAccount;
    if (account && !Token.isUnresolved(stack.account) && stack.account !== account) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${this.node.path}: the backup policy copies to account ${account}, but this stack deploys to ${stack.account}`);
    }

    this.key = new kms.Key(this, 'Key', {
      description: 'drkit: encrypts the central backup vault that receives the organization\'s cross-account copies',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OrganizationCopiesUseKey',
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': org, 'kms:ViaService': `backup.${Aws.REGION}.amazonaws.com` } },
    }));
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName ?? props.plan?.centralVaultName ?? OrganizationDefaults.CENTRAL_VAULT_NAME,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
      lockConfiguration: {
        minRetention: Duration.days(lock.minRetentionDays),
        maxRetention: lock.maxRetentionDays !== undefined ? Duration.days(lock.maxRetentionDays) : undefined,
        changeableFor: lock.changeableForDays !== undefined ? Duration.days(lock.changeableForDays) : undefined,
      },
    });
    this.vault.addToAccessPolicy(new iam.PolicyStatement({
      sid: 'OrganizationCopiesInto',
      effect: iam.Effect.ALLOW,
      principals: [new iam.AnyPrincipal()],
      actions: ['backup:CopyIntoBackupVault'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': org } },
    }));
  }
}
