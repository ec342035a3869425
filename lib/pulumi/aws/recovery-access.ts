// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as backup from '@pulumi/aws/backup';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import { awsIdentity } from './shared';
import {
  AccessStatement, allVaultsArn, INVENTORY_READ_ACTIONS, inventoryReadStatements, RESTORE_OPERATOR_ACTIONS, restoreOperatorStatements,
} from '../../core/backup-evidence';
import { DrkitError, DrkitErrorCode } from '../../core/errors';

/** Who is granted: an IAM role, user or group of this program. */
export type RecoveryGrantee = iam.Role | iam.User | iam.Group;

/** Arguments of {@link RecoveryAccess.grantRestoreOperator}. */
export interface RestoreOperatorArgs {
  /** The vault to restore from, for example `BackupFoundation.vault`. */
  readonly vault: backup.Vault;
  /** The role AWS Backup uses to create the restored resource, for example `BackupFoundation.restoreTesting.role` (its ARN, or the role). */
  readonly restoreRole: iam.Role | pulumi.Input<string>;
}

/** Arguments of {@link RecoveryAccess.grantInventoryRead}. */
export interface InventoryReadArgs {
  /**
   * Limit vault reads to this vault (and recovery points and plans to its region).
   * @default - every vault of the account, in `region`
   */
  readonly vault?: backup.Vault;
  /**
   * The region of the inventory, without `vault`.
   * @default - the vault's region, else the provider's region
   */
  readonly region?: pulumi.Input<string>;
}

/**
 * Grants for the teams that recover, as the CDK `RecoveryAccess` grants them (the same actions
 * and resource scopes, from drkit's core): a restore operator may start restore jobs from a
 * vault's recovery points and read them, but may neither delete recovery points nor change the
 * vault; inventory readers may only list, describe and get.
 *
 * Each grant is an inline policy (`aws.iam.RolePolicy`, `UserPolicy` or `GroupPolicy`) on the
 * grantee. ARNs are built from parts (the provider's partition and account, the vault's region)
 * inside `apply`, so nothing is parsed from an output that is unknown at preview.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
 */
export class RecoveryAccess {
  /** Every action a restore operator is granted (for reviews and tests). */
  public static readonly RESTORE_OPERATOR_ACTIONS: string[] = [...RESTORE_OPERATOR_ACTIONS];

  /** Every action an inventory reader is granted. */
  public static readonly INVENTORY_READ_ACTIONS: string[] = [...INVENTORY_READ_ACTIONS];

  /**
   * The restore operator's policy document (JSON), to attach where you choose.
   *
   * @param args the vault and the restore role
   * @param opts the provider whose account and partition the ARNs name
   */
  public static restoreOperatorPolicy(args: RestoreOperatorArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    RecoveryAccess.check('restoreOperatorPolicy', args?.vault);
    const id = awsIdentity(opts?.provider);
    const roleArn = iam.Role.isInstance(args.restoreRole) ? args.restoreRole.arn : pulumi.output(args.restoreRole);
    return pulumi.all([args.vault.arn, args.vault.region, id.partition, id.accountId, roleArn])
      .apply(([vaultArn, region, partition, account, restoreRoleArn]) => document(restoreOperatorStatements(
        { vaultArn: String(vaultArn), region: String(region ?? ''), partition, account }, String(restoreRoleArn))));
  }

  /**
   * The inventory reader's policy document (JSON), to attach where you choose.
   *
   * @param args the vault or region to limit reads to
   * @param opts the provider whose account and partition the ARNs name
   */
  public static inventoryReadPolicy(args: InventoryReadArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    const id = awsIdentity(opts?.provider);
    const region = args.region ?? args.vault?.region ?? '*';
    return pulumi.all([args.vault?.arn ?? '', region, id.partition, id.accountId]).apply(([vaultArn, r, partition, account]) => {
      const parts = { partition, account, region: String(r ?? '*') };
      return document(inventoryReadStatements({ ...parts, vaultArn: vaultArn ? String(vaultArn) : allVaultsArn(parts) }));
    });
  }

  /**
   * Lets `grantee` restore from `args.vault`: read the vault and its recovery points, start
   * restore jobs with `args.restoreRole` (and only that role), and follow the jobs.
   *
   * @param name the name of the inline policy resource
   * @param grantee who recovers (a role, user or group)
   * @param args the vault and the restore role
   * @param opts options of the policy resource (its parent, provider)
   */
  public static grantRestoreOperator(
    name: string, grantee: RecoveryGrantee, args: RestoreOperatorArgs, opts?: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource {
    return RecoveryAccess.attach(name, grantee, RecoveryAccess.restoreOperatorPolicy(args, { provider: opts?.provider }), opts);
  }

  /**
   * Lets `grantee` read the backup inventory: vaults, recovery points, plans, selections,
   * protected resources and jobs. Nothing that changes or restores.
   *
   * @param name the name of the inline policy resource
   * @param grantee who reads (a role, user or group)
   * @param args the vault or region to limit reads to
   * @param opts options of the policy resource (its parent, provider)
   */
  public static grantInventoryRead(
    name: string, grantee: RecoveryGrantee, args: InventoryReadArgs = {}, opts?: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource {
    return RecoveryAccess.attach(name, grantee, RecoveryAccess.inventoryReadPolicy(args, { provider: opts?.provider }), opts);
  }

  private static attach(
    name: string, grantee: RecoveryGrantee, policy: pulumi.Output<string>, opts?: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource {
    if (iam.Role.isInstance(grantee)) return new iam.RolePolicy(name, { role: grantee.id, policy }, opts);
    if (iam.User.isInstance(grantee)) return new iam.UserPolicy(name, { user: grantee.name, policy }, opts);
    if (iam.Group.isInstance(grantee)) return new iam.GroupPolicy(name, { group: grantee.name, policy }, opts);
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `RecoveryAccess ${name}: the grantee must be an aws.iam.Role, aws.iam.User or aws.iam.Group of this program (for another principal, attach RecoveryAccess.restoreOperatorPolicy() or inventoryReadPolicy() yourself)`);
  }

  private static check(method: string, vault: unknown): void {
    if (!backup.Vault.isInstance(vault)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `RecoveryAccess.${method}: \`vault\` must be an aws.backup.Vault, for example BackupFoundation.vault`);
    }
  }

  private constructor() {}
}

/** An IAM policy document from engine-neutral statements. */
function document(statements: AccessStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map(s => ({
      Effect: 'Allow',
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}
