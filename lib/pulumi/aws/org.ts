// Pulumi parity of the CDK organization constructs (issue 17): the same policy document and the
// same member template, from drkit's core planner (lib/core/org).
import * as cloudformation from '@pulumi/aws/cloudformation';
import * as organizations from '@pulumi/aws/organizations';
import * as pulumi from '@pulumi/pulumi';
import { combineMemberPlans, OrganizationMemberTemplate } from '../../core/org/member';
import { checkPolicyTargets, checkStackSetTargets, OrganizationPolicyPlan, OrganizationPolicyPlanner, OrganizationPolicyProps } from '../../core/org/policy';
import { OrganizationStackSetOptions, stackSetSettings } from '../../core/org/stackset';

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
