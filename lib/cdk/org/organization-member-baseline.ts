import { Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { Facts } from '../../core/catalog';
import { combineMemberPlans, OrganizationMemberTemplate } from '../../core/org/member';
import { checkStackSetTargets, OrganizationPolicyPlan } from '../../core/org/policy';
import { OrganizationStackSetOptions, stackSetSettings } from '../../core/org/stackset';

/** Properties of an OrganizationMemberBaseline. */
export interface OrganizationMemberBaselineProps extends OrganizationStackSetOptions {
  /** The planned policy (`OrganizationBackupPolicy.plan`) whose vault and role every member account needs. */
  readonly plan: OrganizationPolicyPlan;
  /**
   * Further policies whose plans use the same vault and role (more objectives than one policy
   * holds): the baseline covers their regions and locks too.
   * @default - none
   */
  readonly additionalPlans?: OrganizationPolicyPlan[];
}

/**
 * The member-account side of an organization backup policy: a service-managed CloudFormation
 * StackSet (`AWS::CloudFormation::StackSet`, PermissionModel SERVICE_MANAGED, auto-deployment on)
 * that deploys to every account of `organizationalUnitIds`, now and as accounts join, in every
 * region the policy needs (its `regions` and the copy region), the vault under the name the
 * policy uses (KMS key with rotation, access policy denying recovery point deletion, the Vault
 * Lock the objectives ask for), the IAM role the policy names and a restore-testing role (the
 * roles only in the first region's stack: IAM is global).
 *
 * The member template is rendered by drkit's core (`OrganizationMemberTemplate`) and inlined as
 * `TemplateBody` (at most 51,200 bytes, checked): stack instances in member accounts cannot
 * read CDK assets from the management account's bootstrap bucket, and the Pulumi component
 * deploys the very same template. A service-managed StackSet never deploys to the management
 * account itself.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
export class OrganizationMemberBaseline extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The member template (`TemplateBody`), as a JSON object. */
  public readonly template: { [key: string]: any };

  constructor(scope: Construct, id: string, props: OrganizationMemberBaselineProps) {
    super(scope, id);
    checkStackSetTargets(props.organizationalUnitIds ?? [], this.node.path, t => Token.isUnresolved(t));
    const plan = combineMemberPlans([props.plan, ...(props.additionalPlans ?? [])], this.node.path);
    const s = stackSetSettings(props, plan, this.node.path);
    this.template = OrganizationMemberTemplate.render(plan, { restoreTestingRoleName: props.restoreTestingRoleName });
    const body = OrganizationMemberTemplate.body(plan, { restoreTestingRoleName: props.restoreTestingRoleName });
    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: s.stackSetName,
      description: `drkit: the vault ${plan.vaultName} and role ${plan.backupRoleName} the organization backup policy needs in every member account (${Facts.ORG_POLICY_VAULTS_MUST_EXIST.source})`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: s.retainStacksOnAccountRemoval },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: s.callAs,
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: s.regionConcurrencyType,
        failureToleranceCount: s.failureToleranceCount,
        failureTolerancePercentage: s.failureTolerancePercentage,
        maxConcurrentCount: s.maxConcurrentCount,
        maxConcurrentPercentage: s.maxConcurrentPercentage,
      },
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
        regions: [...s.regions],
      }],
      templateBody: body,
    });
    this.stackSet.addMetadata('drkit:construct', 'OrganizationMemberBaseline');
  }
}
