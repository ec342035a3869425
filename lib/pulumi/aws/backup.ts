// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as backup from '@pulumi/aws/backup';
import * as kms from '@pulumi/aws/kms';
import * as pulumi from '@pulumi/pulumi';
import { Immutability } from '../../core/objective';
import { BackupRulePlan, CopyPlan, VaultPlan } from '../../core/plan';
import { denyRecoveryPointDeletion } from '../../core/vault-access-policy';

/**
 * Name of the vault that receives cross-account copies in the backup account (you create
 * it there). The same name as the CDK constructs' `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME`.
 */
export const BACKUP_ACCOUNT_VAULT_NAME = 'drkit-backup-account-vault';

/** The vault access policy: nobody deletes a recovery point or shortens its lifecycle. */
export const DENY_RECOVERY_POINT_DELETION = {
  Version: '2012-10-17',
  Statement: [denyRecoveryPointDeletion('DrkitDenyRecoveryPointDeletion')],
};

/** A copy of every recovery point of a rule to one more vault (the logically air-gapped vault). @internal */
export interface ExtraCopy {
  /** ARN of the destination vault. */
  readonly vaultArn: pulumi.Input<string>;
  /** Days a copy of a point kept `deleteAfterDays` is kept there. */
  readonly keepDays: (deleteAfterDays: number) => number;
}

/**
 * The rules of an `aws.backup.Plan` from neutral rule plans: schedule, windows, continuous
 * backup, lifecycle and copy actions (`copyTarget` gives each copy's destination vault ARN;
 * `extra`, a copy of every point to one more vault, never to cold storage). @internal
 */
export function planRuleArgs(
  rules: BackupRulePlan[],
  targetVaultName: pulumi.Input<string>,
  copyTarget: (c: CopyPlan) => pulumi.Input<string>,
  extra?: ExtraCopy,
): backup.PlanArgs['rules'] {
  return rules.map((r: BackupRulePlan) => ({
    ruleName: r.name,
    targetVaultName,
    schedule: r.scheduleExpression,
    startWindow: r.startWindowMinutes,
    completionWindow: r.completionWindowMinutes,
    enableContinuousBackup: r.enableContinuousBackup,
    lifecycle: lifecycle(r.deleteAfterDays, r.moveToColdStorageAfterDays),
    copyActions: [
      ...r.copies.map(c => ({
        destinationVaultArn: copyTarget(c),
        lifecycle: lifecycle(c.deleteAfterDays, c.moveToColdStorageAfterDays),
      })),
      ...(extra ? [{ destinationVaultArn: extra.vaultArn, lifecycle: lifecycle(extra.keepDays(r.deleteAfterDays)) }] : []),
    ],
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
  keyPolicy?: pulumi.Input<string>,
) {
  const key = new kms.Key(`${prefix}-key`, {
    ...region,
    description: keyDescription,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    ...(keyPolicy !== undefined ? { policy: keyPolicy } : {}),
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
