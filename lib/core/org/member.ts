// The member-account baseline of an organization backup policy, as one CloudFormation template
// that a service-managed StackSet deploys to every account of the target OUs in every region the
// policy needs: the vault under the name the policy uses (KMS key, access policy denying recovery
// point deletion, the Vault Lock the objectives ask for), the IAM role the policy names and a
// restore-testing role.
//
// Why a template rendered here and not a synthesized CDK stack: StackSet instances cannot use the
// CDK asset bucket of the management account (member accounts have no access to it and
// service-managed StackSets get no bootstrap), `cdk-stacksets` (cdklabs) is not a dependency of
// drkit, and the Pulumi components need the very same template without aws-cdk-lib. One renderer
// in the engine-neutral core gives both engines the same member stack, inline as `TemplateBody`.
import { Facts } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Immutability } from '../objective';
import { OrganizationDefaults, OrganizationPolicyPlan } from './policy';
import { denyRecoveryPointDeletion } from '../vault-access-policy';

/** Options of the member baseline template. */
export interface MemberBaselineOptions {
  /**
   * Name of the restore-testing role in every member account.
   * @default OrganizationDefaults.RESTORE_TESTING_ROLE_NAME
   */
  readonly restoreTestingRoleName?: string;
  /**
   * The region whose stack instance creates the account-wide IAM roles (IAM is global: one
   * stack per account must own them).
   * @default - the first of the plan's member regions
   */
  readonly roleRegion?: string;
}

const BACKUP_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];
const RESTORE_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/** The CloudFormation template of the member baseline. */
export class OrganizationMemberTemplate {
  /** The template, as a JSON object. */
  public static render(plan: OrganizationPolicyPlan, options: MemberBaselineOptions = {}): { [key: string]: any } {
    const roleRegion = options.roleRegion ?? plan.memberRegions[0];
    const restoreRole = options.restoreTestingRoleName ?? OrganizationDefaults.RESTORE_TESTING_ROLE_NAME;
    const managed = (names: string[]) => names.map(n => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${n}` }));
    const assume = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    const lock = plan.vaultLock;
    const retain = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
    return {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `drkit: organization backup baseline: vault ${plan.vaultName}, role ${plan.backupRoleName} and restore-testing role ${restoreRole} for the backup policy's plans (${plan.plans.map(p => p.planName).join(', ')})`,
      Conditions: {
        OwnsRoles: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, roleRegion] },
      },
      Resources: {
        VaultKey: {
          Type: 'AWS::KMS::Key',
          ...retain,
          Properties: {
            Description: `drkit: encrypts the backup vault ${plan.vaultName}`,
            EnableKeyRotation: true,
            KeyPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'AccountAdministers',
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
                  Action: 'kms:*',
                  Resource: '*',
                },
                {
                  Sid: 'BackupUsesKeyInAccount',
                  Effect: 'Allow',
                  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
                  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
                  Resource: '*',
                  Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'backup.${AWS::Region}.amazonaws.com' } } },
                },
              ],
            },
          },
        },
        VaultKeyAlias: {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: `alias/${plan.vaultName}`, TargetKeyId: { Ref: 'VaultKey' } },
        },
        Vault: {
          Type: 'AWS::Backup::BackupVault',
          ...retain,
          Properties: {
            BackupVaultName: plan.vaultName,
            EncryptionKeyArn: { 'Fn::GetAtt': ['VaultKey', 'Arn'] },
            AccessPolicy: {
              Version: '2012-10-17',
              Statement: [denyRecoveryPointDeletion('DenyRecoveryPointDeletion')],
            },
            ...(lock ? {
              LockConfiguration: {
                MinRetentionDays: lock.minRetentionDays,
                ...(lock.maxRetentionDays !== undefined ? { MaxRetentionDays: lock.maxRetentionDays } : {}),
                ...(lock.mode === Immutability.COMPLIANCE
                  ? { ChangeableForDays: lock.changeableForDays ?? Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS }
                  : {}),
              },
            } : {}),
          },
        },
        BackupRole: {
          Type: 'AWS::IAM::Role',
          Condition: 'OwnsRoles',
          Properties: {
            RoleName: plan.backupRoleName,
            Path: OrganizationDefaults.ROLE_PATH,
            Description: 'drkit: the role the organization backup policy names (iam_role_arn); AWS Backup assumes it to back up and copy tagged resources',
            AssumeRolePolicyDocument: assume,
            ManagedPolicyArns: managed(BACKUP_MANAGED_POLICIES),
          },
        },
        RestoreTestingRole: {
          Type: 'AWS::IAM::Role',
          Condition: 'OwnsRoles',
          Properties: {
            RoleName: restoreRole,
            Path: OrganizationDefaults.ROLE_PATH,
            Description: 'drkit: the role AWS Backup restore testing assumes to restore recovery points of the organization vault',
            AssumeRolePolicyDocument: assume,
            ManagedPolicyArns: managed(RESTORE_MANAGED_POLICIES),
          },
        },
      },
      Outputs: {
        VaultArn: { Value: { 'Fn::GetAtt': ['Vault', 'BackupVaultArn'] } },
      },
    };
  }

  /**
   * The template as the StackSet's `TemplateBody` (compact JSON), refused (DRK105) when it is
   * over the 51,200 bytes a `TemplateBody` accepts.
   */
  public static body(plan: OrganizationPolicyPlan, options: MemberBaselineOptions = {}): string {
    const body = JSON.stringify(OrganizationMemberTemplate.render(plan, options));
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > Facts.STACKSET_TEMPLATE_BODY_MAX_BYTES) {
      throw new DrkitError(DrkitErrorCode.ORG_STACKSET_TEMPLATE_TOO_LARGE,
        `the organization member baseline template is ${bytes} bytes: ${Facts.STACKSET_TEMPLATE_BODY.statement} (${Facts.STACKSET_TEMPLATE_BODY.source}); shorten the policy's names`);
    }
    return body;
  }

  private constructor() {}
}

/**
 * One member plan for several policies that share the member baseline (a policy holds about two
 * locked objectives under the 10,000-character quota, so more objectives take more policies, but
 * one vault and one role per account and region): the plans' backup plans together, their member
 * regions in order, and one Vault Lock covering all (compliance when any is). Refused (DRK103)
 * when the policies name different vaults or roles.
 *
 * @internal
 */
export function combineMemberPlans(plans: OrganizationPolicyPlan[], where: string): OrganizationPolicyPlan {
  const [first, ...rest] = plans;
  if (rest.length === 0) return first;
  for (const p of rest) {
    if (p.vaultName !== first.vaultName || p.backupRoleName !== first.backupRoleName) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_SYNTAX,
        `${where}: the policies share one member baseline but name different vaults or roles (${first.vaultName}/${first.backupRoleName} and ${p.vaultName}/${p.backupRoleName}): give them the same \`vaultName\` and \`backupRoleName\`, or one baseline each with its own names`);
    }
  }
  const locks = plans.map(p => p.vaultLock).filter((l): l is NonNullable<typeof l> => l !== undefined);
  const compliance = locks.some(l => l.mode === Immutability.COMPLIANCE);
  const maxs = locks.map(l => l.maxRetentionDays).filter((x): x is number => x !== undefined);
  const changeable = locks.map(l => l.changeableForDays).filter((x): x is number => x !== undefined);
  return {
    ...first,
    plans: plans.flatMap(p => p.plans),
    regions: [...new Set(plans.flatMap(p => p.regions))],
    memberRegions: [...new Set(plans.flatMap(p => p.memberRegions))],
    vaultLock: locks.length === 0 ? undefined : {
      mode: compliance ? Immutability.COMPLIANCE : Immutability.GOVERNANCE,
      minRetentionDays: Math.min(...locks.map(l => l.minRetentionDays)),
      maxRetentionDays: maxs.length ? Math.max(...maxs) : undefined,
      changeableForDays: compliance ? Math.max(Facts.VAULT_LOCK_MIN_CHANGEABLE_DAYS, ...changeable) : undefined,
    },
    advisories: plans.flatMap(p => p.advisories),
  };
}
