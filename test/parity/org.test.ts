/**
 * Parity of the organization constructs: the same objectives through the CDK and the Pulumi
 * OrganizationBackupPolicy / OrganizationMemberBaseline give the same policy document (the CDK
 * `Content` object and the Pulumi `content` JSON), the same member template and the same
 * deployment regions and targets. Each side is read from what its engine rendered.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrganizationBackupPolicy as CdkPolicy, OrganizationMemberBaseline as CdkBaseline } from '../../lib/cdk';
import { ChildPolicyControl, OrganizationPolicyProps } from '../../lib/core';
import { centralObjective, sampleObjective } from '../core/org/fixtures';
import { installMocks, recordPulumiLogs, settle } from '../pulumi/aws/harness';
import { testApp } from '../util';

const rec = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumiAws = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
recordPulumiLogs();

const FIXTURES: Array<[string, OrganizationPolicyProps]> = [
  ['sample objective, locked', { objectives: [sampleObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2' }],
  ['two objectives, central account, open', {
    objectives: [sampleObjective(), centralObjective()],
    regions: ['us-east-1', 'eu-west-1'],
    secondaryRegion: 'us-west-2',
    backupAccount: '111122223333',
    childPolicyControl: ChildPolicyControl.OPEN,
  }],
];

describe.each(FIXTURES)('organization parity: %s', (_title, props) => {
  test('the CDK Content and the Pulumi content are the same document; the StackSets carry the same template, regions and OUs', async () => {
    rec.clear();
    const stack = new Stack(testApp(), 'Mgmt', { env: { account: '999988887777', region: 'us-east-1' } });
    const cdk = new CdkPolicy(stack, 'Policy', { ...props, targetIds: ['ou-ab12-cdef3456'] });
    new CdkBaseline(stack, 'Baseline', { plan: cdk.plan, organizationalUnitIds: ['ou-ab12-cdef3456'] });
    const t = Template.fromStack(stack).toJSON();
    const cfn = (type: string) => Object.values<any>(t.Resources).find(r => r.Type === type).Properties;

    const pulumiPolicy = new pulumiAws.OrganizationBackupPolicy('org', { ...props, targetIds: ['ou-ab12-cdef3456'] });
    new pulumiAws.OrganizationMemberBaseline('base', { plan: pulumiPolicy.plan, organizationalUnitIds: ['ou-ab12-cdef3456'] });
    await settle();

    const cdkContent = cfn('AWS::Organizations::Policy').Content;
    const pulumiContent = JSON.parse(rec.named('org-policy').inputs.content);
    expect(pulumiContent).toEqual(cdkContent);
    expect(cfn('AWS::Organizations::Policy').TargetIds).toEqual(rec.ofType('aws:organizations/policyAttachment:PolicyAttachment').map(a => a.inputs.targetId));

    const cdkSet = cfn('AWS::CloudFormation::StackSet');
    const pulumiSet = rec.named('base-stackset').inputs;
    expect(JSON.parse(pulumiSet.templateBody)).toEqual(JSON.parse(cdkSet.TemplateBody));
    expect(pulumiSet.permissionModel).toBe(cdkSet.PermissionModel);
    expect(pulumiSet.operationPreferences).toEqual({
      regionConcurrencyType: cdkSet.OperationPreferences.RegionConcurrencyType,
      failureTolerancePercentage: cdkSet.OperationPreferences.FailureTolerancePercentage,
      maxConcurrentPercentage: cdkSet.OperationPreferences.MaxConcurrentPercentage,
    });
    const instances = rec.ofType('aws:cloudformation/stackSetInstance:StackSetInstance');
    expect(instances.map(i => i.inputs.stackSetInstanceRegion)).toEqual(cdkSet.StackInstancesGroup[0].Regions);
    const ous = cdkSet.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds;
    for (const i of instances) expect(i.inputs.deploymentTargets.organizationalUnitIds).toEqual(ous);
  });
});
