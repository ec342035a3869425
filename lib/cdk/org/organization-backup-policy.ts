import { Annotations, Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { checkPolicyTargets, ORG_OBJECTIVES_METADATA, OrganizationPolicyPlan, OrganizationPolicyPlanner, OrganizationPolicyProps } from '../../core/org/policy';

/** Properties of an OrganizationBackupPolicy. */
export interface OrganizationBackupPolicyProps extends OrganizationPolicyProps {
  /**
   * Where to attach the policy: the organization root (`r-...`), OUs (`ou-...`) or accounts
   * (12 digits). Every account below a target gets the objectives' backup plans.
   */
  readonly targetIds: string[];
  /**
   * Name of the policy in AWS Organizations.
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
 * An AWS Organizations backup policy (`AWS::Organizations::Policy`, type `BACKUP_POLICY`)
 * rendered from recovery objectives by the same planner as the per-stack constructs: every
 * account below `targetIds` gets, in every region of `regions`, one AWS Backup plan per
 * objective that backs up the resources tagged `drkit:objective` = the objective's name into
 * the vault `drkit-org-vault`, with the objective's schedule, windows, retention, cold storage
 * and copies (to `secondaryRegion` and/or the central `backupAccount`).
 *
 * Deploy it in the management account or in a delegated administrator for AWS Backup. The
 * policy needs, in every member account and region, the vault and the IAM role it names:
 * deploy them with `OrganizationMemberBaseline` (a service-managed StackSet). The one-time
 * organization settings CloudFormation cannot set are listed by `OrganizationPreconditions.list()`.
 *
 * The policy is checked against the documented rules (syntax, names, lifecycle, the
 * 10,000-character quota) at construction: a refusal is a DrkitError (DRK100-DRK104).
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html
 */
export class OrganizationBackupPolicy extends Construct {
  /** The planned policy: the plans, the document, and what member accounts need. */
  public readonly plan: OrganizationPolicyPlan;
  /** The policy resource. */
  public readonly policy: organizations.CfnPolicy;

  constructor(scope: Construct, id: string, props: OrganizationBackupPolicyProps) {
    super(scope, id);
    checkPolicyTargets(props.targetIds ?? [], this.node.path, t => Token.isUnresolved(t));
    const policyName = props.policyName ?? 'drkit-backup-policy';
    // eslint-disable-next-line no-control-regex
    if (!Token.isUnresolved(policyName) && (policyName.length === 0 || !/^[\x00-\x7F]+$/.test(policyName))) {
      throw new DrkitError(DrkitErrorCode.ORG_POLICY_NAME,
        `${this.node.path}: \`policyName\` ${JSON.stringify(policyName)} is not a policy name: ${Facts.ORG_POLICY_NAME_RULE.statement} (${Facts.ORG_POLICY_NAME_RULE.source}); use ASCII characters`);
    }
    this.plan = OrganizationPolicyPlanner.plan(props);
    if ((props.targetIds ?? []).length === 0) {
      Annotations.of(this).addWarningV2('drkit:org-policy-unattached',
        'the backup policy has no `targetIds`, so no account gets its backup plans: attach it to the root, OUs or accounts');
    }
    for (const a of this.plan.advisories) Annotations.of(this).addWarningV2('drkit:org-policy-advisory', a);
    this.policy = new organizations.CfnPolicy(this, 'Resource', {
      name: policyName,
      type: 'BACKUP_POLICY',
      description: props.description ?? `drkit: AWS Backup plans for objectives ${this.plan.plans.map(p => p.objectiveName).join(', ')}`,
      // A JSON object, not a string: CloudFormation can detect drift only on an object.
      content: this.plan.content,
      targetIds: props.targetIds && props.targetIds.length ? [...props.targetIds] : undefined,
    });
    // For `drkit report`: which objective each plan of the policy serves (plan name -> objective JSON).
    this.policy.addMetadata('drkit:construct', 'OrganizationBackupPolicy');
    this.policy.addMetadata(ORG_OBJECTIVES_METADATA, Object.fromEntries(this.plan.plans.map((p, i) => [p.planName, props.objectives[i].toJson()])));
  }

  /** The policy id (`p-...`). */
  public get policyId(): string {
    return this.policy.attrId;
  }
}

