// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as backup from '@pulumi/aws/backup';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as pulumi from '@pulumi/pulumi';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Immutability } from '../../core/objective';
import { BackupRulePlan, CopyPlan, ProtectionPlan, VaultPlan } from '../../core/plan';

/** What the shared AWS Backup rendering needs. */
export interface BackupRenderArgs {
  /** The neutral plan to render (vault lock, rules, copies). */
  readonly plan: ProtectionPlan;
  /** ARN of the protected resource (the backup selection's only resource). */
  readonly resourceArn: pulumi.Input<string>;
  /** Region of the protected resource: the vault, plan and selection go there. Undefined: the provider's region. */
  readonly region?: pulumi.Input<string>;
  /**
   * ARN of the vault in the backup account, when the plan copies to another account.
   * Undefined: the vault named BACKUP_ACCOUNT_VAULT_NAME in the primary vault's region.
   */
  readonly accountCopyVaultArn?: pulumi.Input<string>;
  /** What the protected resource is called in messages, for example `table.args`. */
  readonly inputName: string;
}

/** The resources rendered for a plan. */
export interface BackupResources {
  /** KMS key of the primary vault. */
  readonly key: kms.Key;
  /** The primary vault. */
  readonly vault: backup.Vault;
  /** Access policy of the primary vault (denies deleting recovery points). */
  readonly vaultPolicy: backup.VaultPolicy;
  /** Vault Lock of the primary vault, when the plan locks. */
  readonly vaultLock?: backup.VaultLockConfiguration;
  /** KMS key of the copy vault in the secondary region. */
  readonly copyKey?: kms.Key;
  /** Copy destination vault in the secondary region. */
  readonly copyVault?: backup.Vault;
  /** Access policy of the copy vault. */
  readonly copyVaultPolicy?: backup.VaultPolicy;
  /** Vault Lock of the copy vault, when the plan locks. */
  readonly copyVaultLock?: backup.VaultLockConfiguration;
  /** Role AWS Backup assumes to back up and restore. */
  readonly role: iam.Role;
  /** The backup plan. */
  readonly backupPlan: backup.Plan;
  /** The selection of the protected resource. */
  readonly selection: backup.Selection;
}

/**
 * Name of the vault that receives cross-account copies in the backup account (you create
 * it there). The same name as the CDK constructs' `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME`.
 */
export const BACKUP_ACCOUNT_VAULT_NAME = 'drkit-backup-account-vault';

/** The vault access policy: nobody deletes a recovery point or shortens its lifecycle. */
export const DENY_RECOVERY_POINT_DELETION = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'DrkitDenyRecoveryPointDeletion',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
    Resource: '*',
  }],
};

/** Managed policies AWS Backup's role needs to back up and to restore. */
const BACKUP_MANAGED_POLICIES: Array<[string, string]> = [
  ['backup-policy', 'AWSBackupServiceRolePolicyForBackup'],
  ['restore-policy', 'AWSBackupServiceRolePolicyForRestores'],
];

/**
 * Renders a ProtectionPlan's AWS Backup part as children of `parent`: vault (KMS key,
 * access policy, lock), copy vault in the secondary region (per-resource `region` input of
 * @pulumi/aws 7), service role, plan with one rule per planned rule, selection.
 * Stateful children (keys, vaults) are retained when the component is deleted.
 */
export function renderBackup(parent: pulumi.Resource, name: string, args: BackupRenderArgs): BackupResources {
  const plan = args.plan;
  const opts: pulumi.CustomResourceOptions = { parent };
  const retained: pulumi.CustomResourceOptions = { parent, retainOnDelete: true };
  const region = args.region !== undefined ? { region: args.region } : {};

  const primary = renderVault(`${name}`, plan.vault, `drkit: backup vault key for ${plan.resourceName}`, region, opts, retained);

  let copy: ReturnType<typeof renderVault> | undefined;
  if (plan.copyRegion) {
    copy = renderVault(`${name}-copy`, plan.vault, `drkit: copy vault key in ${plan.copyRegion} for ${plan.resourceName}`, { region: plan.copyRegion }, opts, retained);
  }
  // Cross-account copies go to a vault drkit cannot create from this program: by default
  // the one named as the CDK constructs name it, in the primary vault's region and partition.
  const accountVaultArn = plan.copyAccount === undefined ? undefined : args.accountCopyVaultArn
    ?? primary.vault.arn.apply(arn => {
      const [, partition, , vaultRegion] = arn.split(':');
      return `arn:${partition}:backup:${vaultRegion}:${plan.copyAccount}:backup-vault:${BACKUP_ACCOUNT_VAULT_NAME}`;
    });

  const role = new iam.Role(`${name}-backup-role`, {
    description: `drkit: AWS Backup role for ${plan.resourceName}`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  }, opts);
  const attachments = BACKUP_MANAGED_POLICIES.map(([suffix, policy]) => new iam.RolePolicyAttachment(`${name}-${suffix}`, {
    role: role.name,
    // The partition comes from the role's own ARN (aws, aws-cn, aws-us-gov).
    policyArn: role.arn.apply(arn => `arn:${arn.split(':')[1]}:iam::aws:policy/service-role/${policy}`),
  }, opts));

  const copyTarget = (c: CopyPlan): pulumi.Input<string> => {
    if (c.target === 'region' && copy && c.region === plan.copyRegion) return copy.vault.arn;
    if (c.target === 'account' && accountVaultArn !== undefined && c.account === plan.copyAccount) return accountVaultArn;
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${args.inputName}: the plan copies to ${c.target} ${c.region ?? c.account}, which is not the plan's copy region (${plan.copyRegion ?? 'none'}) or copy account (${plan.copyAccount ?? 'none'})`);
  };
  const backupPlan = new backup.Plan(`${name}-plan`, {
    ...region,
    rules: planRuleArgs(plan.backupRules, primary.vault.name, copyTarget),
  }, opts);

  const selection = new backup.Selection(`${name}-selection`, {
    ...region,
    planId: backupPlan.id,
    iamRoleArn: role.arn,
    resources: [args.resourceArn],
  }, { parent, dependsOn: attachments });

  return {
    key: primary.key,
    vault: primary.vault,
    vaultPolicy: primary.policy,
    vaultLock: primary.lock,
    copyKey: copy?.key,
    copyVault: copy?.vault,
    copyVaultPolicy: copy?.policy,
    copyVaultLock: copy?.lock,
    role,
    backupPlan,
    selection,
  };
}

/**
 * The rules of an `aws.backup.Plan` from neutral rule plans: schedule, windows, continuous
 * backup, lifecycle and copy actions (`copyTarget` gives each copy's destination vault ARN).
 * Shared by `renderBackup` and `BackupFoundation`. @internal
 */
export function planRuleArgs(
  rules: BackupRulePlan[],
  targetVaultName: pulumi.Input<string>,
  copyTarget: (c: CopyPlan) => pulumi.Input<string>,
): backup.PlanArgs['rules'] {
  return rules.map((r: BackupRulePlan) => ({
    ruleName: r.name,
    targetVaultName,
    schedule: r.scheduleExpression,
    startWindow: r.startWindowMinutes,
    completionWindow: r.completionWindowMinutes,
    enableContinuousBackup: r.enableContinuousBackup,
    lifecycle: lifecycle(r.deleteAfterDays, r.moveToColdStorageAfterDays),
    copyActions: r.copies.map(c => ({
      destinationVaultArn: copyTarget(c),
      lifecycle: lifecycle(c.deleteAfterDays, c.moveToColdStorageAfterDays),
    })),
  }));
}

/** A rule's or copy's lifecycle input. @internal */
export function lifecycle(deleteAfter: number, coldStorageAfter?: number): { deleteAfter: number; coldStorageAfter?: number } {
  return coldStorageAfter !== undefined ? { deleteAfter, coldStorageAfter } : { deleteAfter };
}

/**
 * A KMS key (rotation on, retained), a vault encrypted with it (retained), its access policy
 * denying recovery-point deletion, and its Vault Lock when the plan locks. @internal
 */
export function renderVault(
  prefix: string,
  vaultPlan: VaultPlan,
  keyDescription: string,
  region: { region?: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
  retained: pulumi.CustomResourceOptions,
) {
  const key = new kms.Key(`${prefix}-key`, {
    ...region,
    description: keyDescription,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
  }, retained);
  const vault = new backup.Vault(`${prefix}-vault`, {
    ...region,
    kmsKeyArn: key.arn,
  }, retained);
  // Nobody deletes a recovery point or shortens its lifecycle by hand: AWS Backup's own
  // lifecycle expires them.
  const policy = new backup.VaultPolicy(`${prefix}-vault-policy`, {
    ...region,
    backupVaultName: vault.name,
    // Resource '*': DynamoDB recovery points without advanced backup features have
    // DynamoDB backup ARNs, not backup:recovery-point ARNs.
    policy: JSON.stringify(DENY_RECOVERY_POINT_DELETION),
  }, opts);
  let lock: backup.VaultLockConfiguration | undefined;
  if (vaultPlan.lock !== Immutability.NONE) {
    lock = new backup.VaultLockConfiguration(`${prefix}-vault-lock`, {
      ...region,
      backupVaultName: vault.name,
      minRetentionDays: vaultPlan.minRetentionDays,
      maxRetentionDays: vaultPlan.maxRetentionDays,
      ...(vaultPlan.changeableForDays !== undefined ? { changeableForDays: vaultPlan.changeableForDays } : {}),
    }, opts);
  }
  return { key, vault, policy, lock };
}
