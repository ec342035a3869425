import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  ACCOUNT_READ_ACTIONS, INVENTORY_READ_ACTIONS, PLAN_READ_ACTIONS, RECOVERY_POINT_READ_ACTIONS, RESTORE_JOB_ACTIONS,
  RESTORE_OPERATOR_ACTIONS, VAULT_READ_ACTIONS,
} from '../../core/backup-evidence';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import type { CrossRegionReplicatedBucket } from '../cross-region-replicated-bucket';

/**
 * Grants for the teams that recover: a restore operator may start restore jobs from a
 * vault's recovery points and read them, but may neither delete recovery points nor change
 * the vault (its access policy, lock, notifications or the points' lifecycle); inventory
 * readers may only list, describe and get.
 *
 * ARNs are scoped to the vault, to recovery points in the vault's account and region
 * (recovery point ARNs carry no vault name, so IAM cannot narrow them to one vault; the
 * vault's access policy can), and to the restore role. Actions that AWS Backup only
 * authorizes on `*` are granted on `*` and marked so in the policy's code.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
 */
export class RecoveryAccess {
  /** Every action a restore operator is granted (for reviews and tests). */
  public static readonly RESTORE_OPERATOR_ACTIONS: string[] = [...RESTORE_OPERATOR_ACTIONS];

  /** Every action an inventory reader is granted. */
  public static readonly INVENTORY_READ_ACTIONS: string[] = [...INVENTORY_READ_ACTIONS];

  /**
   * Lets `grantee` restore from `vault`: read the vault and its recovery points, start
   * restore jobs with `restoreRole` (and only that role), and follow the jobs.
   *
   * @param grantee who recovers (a role, user or group)
   * @param vault the vault to restore from
   * @param restoreRole the role AWS Backup uses to create the restored resource, for example `RestoreTesting.restoreRole`
   */
  public static grantRestoreOperator(grantee: iam.IGrantable, vault: backup.IBackupVault, restoreRole: iam.IRole): iam.Grant {
    const recoveryPoints = RecoveryAccess.recoveryPointsArn(vault);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: VAULT_READ_ACTIONS,
      resourceArns: [vault.backupVaultArn],
    });
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: [...RECOVERY_POINT_READ_ACTIONS, 'backup:StartRestoreJob'],
      resourceArns: [recoveryPoints],
    }));
    // DescribeRestoreJob and ListRestoreJobs have no resource type: AWS requires "*".
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: RESTORE_JOB_ACTIONS,
      resourceArns: ['*'],
    }));
    // StartRestoreJob passes the restore role to AWS Backup: only that role, only to AWS Backup.
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['iam:PassRole'],
      resourceArns: [restoreRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
    }));
    return grant;
  }

  /**
   * Lets `grantee` read the backup inventory: vaults, recovery points, plans, selections,
   * protected resources and jobs. Nothing that changes or restores.
   *
   * @param grantee who reads (a role, user or group)
   * @param vault limit vault and recovery point reads to this vault's account and region (default: the grantee's stack)
   */
  public static grantInventoryRead(grantee: iam.IGrantable, vault?: backup.IBackupVault): iam.Grant {
    const scope = vault ?? RecoveryAccess.constructOf(grantee);
    const stack = Stack.of(scope);
    const env = vault ? { account: vault.env.account, region: vault.env.region } : { account: stack.account, region: stack.region };
    const vaults = vault
      ? vault.backupVaultArn
      : stack.formatArn({ service: 'backup', resource: 'backup-vault', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME, account: env.account, region: env.region });
    const grant = iam.Grant.addToPrincipal({ grantee, actions: VAULT_READ_ACTIONS, resourceArns: [vaults] });
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['backup:DescribeRecoveryPoint'],
      resourceArns: [stack.formatArn({ service: 'backup', resource: 'recovery-point', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME, account: env.account, region: env.region })],
    }));
    grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: PLAN_READ_ACTIONS,
      resourceArns: [stack.formatArn({ service: 'backup', resource: 'backup-plan', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME, account: env.account, region: env.region })],
    }));
    // These List/Describe actions have no resource type in the Service Authorization
    // Reference: AWS requires "*" for them.
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ACCOUNT_READ_ACTIONS, resourceArns: ['*'] }));
    return grant;
  }

  /**
   * Lets `grantee` read the replica of `bucket` after a region failover: read the replica's
   * objects and list the bucket, and decrypt with the replica's KMS key through S3 in the
   * replica's region (the replica is encrypted with its own key, so a reader of the source
   * cannot read the replica without this). The region-outage RTO of a replicated bucket holds
   * only for readers granted so. Same as `bucket.grantReplicaRead(grantee)`.
   *
   * @param grantee who reads after a failover (a role, user or group), in any stack of the replica's account
   * @param bucket the replicated bucket
   */
  public static grantReplicaRead(grantee: iam.IGrantable, bucket: CrossRegionReplicatedBucket): iam.Grant {
    if (!bucket || typeof (bucket as any).grantReplicaRead !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_REPLICA_READER,
        'RecoveryAccess.grantReplicaRead: `bucket` must be a CrossRegionReplicatedBucket (its replica\'s name and key are what the grant names)');
    }
    return bucket.grantReplicaRead(grantee);
  }

  /** Recovery points in the vault's account and region. */
  private static recoveryPointsArn(vault: backup.IBackupVault): string {
    return Stack.of(vault).formatArn({
      service: 'backup',
      resource: 'recovery-point',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      account: vault.env.account,
      region: vault.env.region,
    });
  }

  private static constructOf(grantee: iam.IGrantable): Construct {
    for (const c of [grantee, grantee.grantPrincipal] as any[]) {
      if (Construct.isConstruct(c)) return c;
    }
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      'RecoveryAccess.grantInventoryRead: the grantee is not part of a CDK app (for example an imported principal), so drkit cannot tell the account and region to scope to: pass the `vault` too');
  }

  private constructor() {}
}
