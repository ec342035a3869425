import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  CentralBackupVault, ChildPolicyControl, Facts, OrganizationBackupPolicy, OrganizationBackupPolicyProps, OrganizationMemberBaseline,
} from '../../../lib';
import { assigned, centralObjective, code, sampleObjective } from '../../core/org/fixtures';
import { testApp } from '../../util';

function managementStack() {
  const app = testApp();
  return new Stack(app, 'Management', { env: { account: '999988887777', region: 'us-east-1' } });
}

function policy(stack: Stack, props: Partial<OrganizationBackupPolicyProps> = {}) {
  return new OrganizationBackupPolicy(stack, 'Policy', {
    objectives: [sampleObjective()],
    regions: ['us-east-1'],
    secondaryRegion: 'us-west-2',
    targetIds: ['ou-ab12-cdef3456'],
    ...props,
  });
}


describe('OrganizationBackupPolicy', () => {
  test('GIVEN the sample objective WHEN synthesized THEN one AWS::Organizations::Policy of type BACKUP_POLICY, attached to the targets, content as a JSON object equal to the plan', () => {
    const stack = managementStack();
    const p = policy(stack);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Organizations::Policy', 1);
    const [res] = Object.values<any>(t.findResources('AWS::Organizations::Policy'));
    expect(res.Properties.Type).toBe('BACKUP_POLICY');
    expect(res.Properties.Name).toBe('drkit-backup-policy');
    expect(res.Properties.TargetIds).toEqual(['ou-ab12-cdef3456']);
    expect(typeof res.Properties.Content).toBe('object');
    expect(res.Properties.Content).toEqual(p.plan.content);
    // LOCKED by default: drkit's plans cannot be changed by child policies.
    expect(res.Properties.Content.plans['@@operators_allowed_for_child_policies']).toEqual(['@@append']);
    expect(JSON.stringify(res.Properties.Content).length).toBeLessThanOrEqual(Facts.ORG_BACKUP_POLICY_MAX_CHARS);
    const gold = res.Properties.Content.plans['drkit-gold'];
    expect(assigned(gold.regions)).toEqual(['us-east-1']);
    expect(Object.keys(gold.rules).filter(k => !k.startsWith('@@'))).toEqual(['Continuous', 'Daily', 'Monthly']);
    Annotations.fromStack(stack).hasWarning('/Management/Policy', Match.stringLikeRegexp('continuous backup'));
    // The report reads which objective each plan serves from the resource's metadata.
    expect(res.Metadata['drkit:org-objectives']).toEqual({ 'drkit-gold': sampleObjective().toJson() });
  });

  test('logical IDs are pinned (renaming one replaces the policy or the StackSet)', () => {
    const stack = managementStack();
    const p = policy(stack);
    new OrganizationMemberBaseline(stack, 'Baseline', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'] });
    const ids = Object.entries<any>(Template.fromStack(stack).toJSON().Resources).map(([id, r]) => `${r.Type} ${id}`);
    expect(ids).toEqual(['AWS::Organizations::Policy Policy23B91518', 'AWS::CloudFormation::StackSet Baseline013357C7']);
  });

  test('refuses target ids that are not a root, OU or account (DRK104), and non-ASCII policy names (DRK101)', () => {
    expect(code(() => policy(managementStack(), { targetIds: ['o-abcdefghij'] }))).toMatch(/^DRK104 .*not a root \(r-\.\.\.\), OU/);
    expect(code(() => policy(managementStack(), { targetIds: ['111122223333', '111122223333'] }))).toMatch(/^DRK104 .*twice/);
    expect(code(() => policy(managementStack(), { policyName: 'sauvegarde-é' }))).toMatch(/^DRK101 .*ASCII character range/);
  });

  test('the resources do not grow with targets or regions (the policy content does)', () => {
    const one = managementStack();
    policy(one);
    const many = managementStack();
    const accounts = Array.from({ length: 50 }, (_, i) => String(100000000000 + i));
    policy(many, { targetIds: accounts, regions: ['us-east-1', 'us-east-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'] });
    const count = (s: Stack) => Object.keys(Template.fromStack(s).toJSON().Resources).length;
    expect(count(many)).toBe(count(one));
  });
});

describe('OrganizationMemberBaseline', () => {
  test('a service-managed StackSet with auto-deployment to the OUs, in the policy regions and the copy region, with the member template inline', () => {
    const stack = managementStack();
    const p = policy(stack);
    new OrganizationMemberBaseline(stack, 'Baseline', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'], maxConcurrentCount: 5 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] }, Regions: ['us-east-1', 'us-west-2'] }],
      OperationPreferences: { RegionConcurrencyType: 'PARALLEL', FailureTolerancePercentage: 10, MaxConcurrentCount: 5 },
    });
    const [res] = Object.values<any>(t.findResources('AWS::CloudFormation::StackSet'));
    expect(res.Properties.OperationPreferences.MaxConcurrentPercentage).toBeUndefined();
    const body = JSON.parse(res.Properties.TemplateBody);
    expect(body.Resources.Vault.Properties.BackupVaultName).toBe('drkit-org-vault');
    expect(body.Resources.Vault.Properties.LockConfiguration.ChangeableForDays).toBe(3);
    expect(body.Resources.BackupRole.Properties.RoleName).toBe('drkit-org-backup');
    expect(Buffer.byteLength(res.Properties.TemplateBody)).toBeLessThanOrEqual(Facts.STACKSET_TEMPLATE_BODY_MAX_BYTES);
  });

  test('one baseline for several policies sharing the vault: regions united, one lock covering all (compliance when any is)', () => {
    const stack = managementStack();
    const gold = policy(stack);
    const platinum = new OrganizationBackupPolicy(stack, 'Policy2', {
      objectives: [centralObjective()], regions: ['eu-west-1'], secondaryRegion: 'eu-central-1', backupAccount: '111122223333', targetIds: ['ou-ab12-cdef3456'],
    });
    const b = new OrganizationMemberBaseline(stack, 'Baseline', { plan: gold.plan, additionalPlans: [platinum.plan], organizationalUnitIds: ['ou-ab12-cdef3456'] });
    const [res] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'));
    expect(res.Properties.StackInstancesGroup[0].Regions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1']);
    expect(b.template.Resources.Vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7, MaxRetentionDays: 372, ChangeableForDays: 3 });
    const other = new OrganizationBackupPolicy(stack, 'Policy3', { objectives: [sampleObjective('x')], regions: ['eu-west-1'], secondaryRegion: 'eu-central-1', targetIds: [], vaultName: 'other-vault' });
    expect(code(() => new OrganizationMemberBaseline(stack, 'Bad', { plan: gold.plan, additionalPlans: [other.plan], organizationalUnitIds: ['ou-ab12-cdef3456'] })))
      .toMatch(/^DRK103 .*different vaults or roles/);
  });

  test('refuses account ids as deployment targets (DRK104) and count with percentage (DRK106)', () => {
    const stack = managementStack();
    const p = policy(stack);
    expect(code(() => new OrganizationMemberBaseline(stack, 'A', { plan: p.plan, organizationalUnitIds: ['111122223333'] }))).toMatch(/^DRK104 /);
    expect(code(() => new OrganizationMemberBaseline(stack, 'B', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'], failureToleranceCount: 1, failureTolerancePercentage: 10 })))
      .toMatch(/^DRK106 .*not both/);
    expect(code(() => new OrganizationMemberBaseline(stack, 'C', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'], maxConcurrentPercentage: 120 }))).toMatch(/^DRK106 /);
  });
});

describe('CentralBackupVault', () => {
  test('accepts copies from the organization (aws:PrincipalOrgID), compliance lock covering the copies, key usable by the organization through AWS Backup', () => {
    const mgmt = managementStack();
    const p = policy(mgmt, { objectives: [centralObjective()], backupAccount: '111122223333' });
    const central = new Stack(mgmt.node.root as any, 'Central', { env: { account: '111122223333', region: 'us-east-1' } });
    new CentralBackupVault(central, 'Central', { organizationId: 'o-a1b2c3d4e5', plan: p.plan });
    const t = Template.fromStack(central);
    t.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'drkit-central-vault',
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 366, ChangeableForDays: 3 },
      AccessPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: Match.arrayWith(['backup:DeleteRecoveryPoint']) }),
          Match.objectLike({ Effect: 'Allow', Action: 'backup:CopyIntoBackupVault', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
        ]),
      },
    });
    t.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Condition: { StringEquals: Match.objectLike({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }) } })]) },
    });
  });

  test('refuses a stack in another region than the policy copies to, and a bad organization id', () => {
    const mgmt = managementStack();
    const p = policy(mgmt, { objectives: [centralObjective()], backupAccount: '111122223333' });
    const central = new Stack(mgmt.node.root as any, 'Central', { env: { account: '111122223333', region: 'eu-west-1' } });
    expect(code(() => new CentralBackupVault(central, 'C', { organizationId: 'o-a1b2c3d4e5', plan: p.plan }))).toMatch(/^DRK103 .*copies to the central vault in us-east-1/);
    expect(code(() => new CentralBackupVault(central, 'D', { organizationId: 'org-1', lock: { mode: p.plan.centralVaultLock!.mode, minRetentionDays: 1 } }))).toMatch(/^DRK104 /);
  });

  test('ChildPolicyControl.OPEN renders no child control operator', () => {
    const stack = managementStack();
    const p = policy(stack, { childPolicyControl: ChildPolicyControl.OPEN });
    expect(JSON.stringify(p.plan.content)).not.toContain('@@operators_allowed_for_child_policies');
  });
});
