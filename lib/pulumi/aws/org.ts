// Pulumi parity of the CDK organization constructs (issue 17): the same policy document and the
// same member template, from drkit's core planner (lib/core/org).
import * as backup from '@pulumi/aws/backup';
import * as cloudformation from '@pulumi/aws/cloudformation';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import * as kms from '@pulumi/aws/kms';
import * as organizations from '@pulumi/aws/organizations';
import * as pulumi from '@pulumi/pulumi';
import { awsIdentity, awsProviderOf } from './shared';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { combineMemberPlans, OrganizationMemberTemplate } from '../../core/org/member';
import {
  checkPolicyTargets, checkStackSetTargets, OrganizationDefaults, OrganizationPolicyPlan, OrganizationPolicyPlanner, OrganizationPolicyProps,
  OrganizationVaultLock,
} from '../../core/org/policy';
import { OrganizationStackSetOptions, stackSetSettings } from '../../core/org/stackset';
import { denyRecoveryPointDeletion } from '../../core/vault-access-policy';

/** Arguments of an OrganizationBackupPolicy. */
export interface OrganizationBackupPolicyArgs extends OrganizationPolicyProps {
  /** Where to attach the policy: the root (`r-...`), OUs (`ou-...`) or accounts (12 digits); one `aws.organizations.PolicyAttachment` each. */
  readonly targetIds: string[];
  /**
   * Name of the policy.
   * @default 'drkit-backup-policy'
   */
  readonly policyName?: string;
  /**
   * Description of the policy.
   * @default - names the objectives
   */
  readonly description?: string;
}

/**
 * An AWS Organizations backup policy (`aws.organizations.Policy`, type `BACKUP_POLICY`) with the
 * same content as the CDK `OrganizationBackupPolicy` (one core planner), attached to each target
 * with `aws.organizations.PolicyAttachment` (the provider's Policy has no target list).
 */
export class OrganizationBackupPolicy extends pulumi.ComponentResource {
  /** The planned policy. */
  public readonly plan: OrganizationPolicyPlan;
  /** The policy. */
  public readonly policy: organizations.Policy;
  /** One attachment per target, in `targetIds` order. */
  public readonly attachments: organizations.PolicyAttachment[];

  constructor(name: string, args: OrganizationBackupPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('drkit:aws:OrganizationBackupPolicy', name, {}, opts);
    checkPolicyTargets(args.targetIds ?? [], `OrganizationBackupPolicy ${name}`);
    this.plan = OrganizationPolicyPlanner.plan(args);
    for (const a of this.plan.advisories) void pulumi.log.warn(a, this);
    this.policy = new organizations.Policy(`${name}-policy`, {
      name: args.policyName ?? 'drkit-backup-policy',
      type: 'BACKUP_POLICY',
      description: args.description ?? `drkit: AWS Backup plans for objectives ${this.plan.plans.map(p => p.objectiveName).join(', ')}`,
      content: JSON.stringify(this.plan.content),
    }, { parent: this });
    this.attachments = (args.targetIds ?? []).map(t => new organizations.PolicyAttachment(`${name}-attach-${t}`, {
      policyId: this.policy.id,
      targetId: t,
    }, { parent: this }));
    this.registerOutputs({ policyId: this.policy.id });
  }
}

/** Arguments of an OrganizationMemberBaseline. */
export interface OrganizationMemberBaselineArgs extends OrganizationStackSetOptions {
  /** The planned policy (`OrganizationBackupPolicy.plan`). */
  readonly plan: OrganizationPolicyPlan;
  /**
   * Further policies whose plans use the same vault and role: the baseline covers their regions and locks too.
   * @default - none
   */
  readonly additionalPlans?: OrganizationPolicyPlan[];
}

/**
 * The member baseline as the CDK `OrganizationMemberBaseline` deploys it: a service-managed
 * `aws.cloudformation.StackSet` with auto-deployment and the core's member template as
 * `templateBody`, plus one `aws.cloudformation.StackSetInstance` per region targeting the OUs
 * (the provider's StackSet has no instance groups). Instances retain their stacks on destroy:
 * the vaults hold recovery points.
 */
export class OrganizationMemberBaseline extends pulumi.ComponentResource {
  /** The StackSet. */
  public readonly stackSet: cloudformation.StackSet;
  /** One instance group per region, in the plan's member-region order. */
  public readonly instances: cloudformation.StackSetInstance[];
  /** The member template (`templateBody`), as a JSON object. */
  public readonly template: { [key: string]: any };

  constructor(name: string, args: OrganizationMemberBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('drkit:aws:OrganizationMemberBaseline', name, {}, opts);
    const where = `OrganizationMemberBaseline ${name}`;
    checkStackSetTargets(args.organizationalUnitIds ?? [], where);
    const plan = combineMemberPlans([args.plan, ...(args.additionalPlans ?? [])], where);
    const s = stackSetSettings(args, plan, where);
    this.template = OrganizationMemberTemplate.render(plan, { restoreTestingRoleName: args.restoreTestingRoleName });
    const prefs = {
      regionConcurrencyType: s.regionConcurrencyType,
      failureToleranceCount: s.failureToleranceCount,
      failureTolerancePercentage: s.failureTolerancePercentage,
      maxConcurrentCount: s.maxConcurrentCount,
      maxConcurrentPercentage: s.maxConcurrentPercentage,
    };
    this.stackSet = new cloudformation.StackSet(`${name}-stackset`, {
      name: s.stackSetName,
      description: `drkit: the vault ${plan.vaultName} and role ${plan.backupRoleName} the organization backup policy needs in every member account`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: s.retainStacksOnAccountRemoval },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: s.callAs,
      managedExecution: { active: true },
      operationPreferences: prefs,
      templateBody: OrganizationMemberTemplate.body(plan, { restoreTestingRoleName: args.restoreTestingRoleName }),
    }, { parent: this });
    this.instances = s.regions.map(r => new cloudformation.StackSetInstance(`${name}-${r}`, {
      stackSetName: this.stackSet.name,
      stackSetInstanceRegion: r,
      deploymentTargets: { organizationalUnitIds: [...args.organizationalUnitIds] },
      callAs: s.callAs,
      retainStack: true,
      operationPreferences: prefs,
    }, { parent: this, retainOnDelete: true }));
    this.registerOutputs({ stackSetName: this.stackSet.name });
  }
}

/** Arguments of a CentralBackupVault. */
export interface CentralBackupVaultArgs {
  /** The AWS Organizations id (`o-...`) whose accounts may copy into the vault. */
  readonly organizationId: string;
  /**
   * The planned policy whose copies land here (vault name and compliance lock).
   * @default - give `lock`
   */
  readonly plan?: OrganizationPolicyPlan;
  /**
   * The Vault Lock.
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
 * The central backup account's vault, as the CDK `CentralBackupVault` builds it: a KMS key the
 * organization's accounts may use through AWS Backup, a retained vault whose access policy allows
 * `backup:CopyIntoBackupVault` from the organization (`aws:PrincipalOrgID`) and denies deleting
 * recovery points, and its Vault Lock (compliance mode with `changeableForDays`). Use a provider
 * of the central backup account in the policy's `centralRegion`.
 */
export class CentralBackupVault extends pulumi.ComponentResource {
  /** The key. */
  public readonly key: kms.Key;
  /** The vault. */
  public readonly vault: backup.Vault;
  /** Its access policy. */
  public readonly vaultPolicy: backup.VaultPolicy;
  /** Its lock. */
  public readonly vaultLock: backup.VaultLockConfiguration;

  constructor(name: string, args: CentralBackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('drkit:aws:CentralBackupVault', name, {}, opts);
    const where = `CentralBackupVault ${name}`;
    const org = args.organizationId;
    if (!/^o-[a-z0-9]{10,32}$/.test(org ?? '')) {
      throw new DrkitError(DrkitErrorCode.ORG_TARGET, `${where}: \`organizationId\` must be an AWS Organizations id such as "o-a1b2c3d4e5", but got ${JSON.stringify(org)}`);
    }
    const lock = args.lock ?? args.plan?.centralVaultLock;
    if (!lock) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: no lock: give \`plan\` (an OrganizationBackupPolicy's plan with an objective covering account compromise) or \`lock\``);
    }
    if (lock.changeableForDays !== undefined && lock.changeableForDays < Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${where}: \`lock.changeableForDays\` is ${lock.changeableForDays}: compliance mode needs at least ${Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS} days (${Facts.VAULT_LOCK_SOURCE})`);
    }
    const provider = awsProviderOf(opts);
    const id = awsIdentity(provider);
    const region = getRegionOutput({}, provider ? { provider } : {}).apply(r => String((r as any)?.region ?? (r as any)?.name ?? ''));
    const retained = { parent: this, retainOnDelete: true };
    this.key = new kms.Key(`${name}-key`, {
      description: 'drkit: encrypts the central backup vault that receives the organization\'s cross-account copies',
      enableKeyRotation: true,
      policy: pulumi.all([id.accountId, id.partition, region]).apply(([account, partition, r]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
          {
            Sid: 'OrganizationCopiesUseKey',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: CENTRAL_KEY_ACTIONS,
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': org, 'kms:ViaService': `backup.${r}.amazonaws.com` } },
          },
        ],
      })),
    }, retained);
    this.vault = new backup.Vault(`${name}-vault`, {
      name: args.vaultName ?? args.plan?.centralVaultName ?? OrganizationDefaults.CENTRAL_VAULT_NAME,
      kmsKeyArn: this.key.arn,
    }, retained);
    this.vaultPolicy = new backup.VaultPolicy(`${name}-vault-policy`, {
      backupVaultName: this.vault.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyRecoveryPointDeletion('DenyRecoveryPointDeletion'),
          { Sid: 'OrganizationCopiesInto', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } },
        ],
      }),
    }, { parent: this });
    this.vaultLock = new backup.VaultLockConfiguration(`${name}-vault-lock`, {
      backupVaultName: this.vault.name,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      changeableForDays: lock.changeableForDays,
    }, retained);
    this.registerOutputs({ vaultArn: this.vault.arn });
  }
}

const CENTRAL_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'];
