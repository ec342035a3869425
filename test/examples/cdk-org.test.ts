import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  buildManagementApp, buildMemberApp, CENTRAL_ACCOUNT, MEMBER_ACCOUNT, POLICY_NAME, WORKLOADS_OU,
} from '../../examples/cdk-org/app';
import { validate } from '../core/report/json-schema';
import { testApp } from '../util';
import { EffectiveBackupPolicy, RecoveryReport } from 'drkit';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'report-schema.json'), 'utf8'));

/**
 * examples/cdk-org: the management app (backup policy, member baseline StackSet, central
 * vault) and a member app protected by tag. Both synthesize offline (fixed accounts and
 * regions), with CloudFormation validation as errors (testApp) and cdk-nag's three packs.
 */
describe('examples/cdk-org', () => {
  const mgmtDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-cdk-org-mgmt-'));
  const memberDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-cdk-org-member-'));
  const management = buildManagementApp(testApp({ outdir: mgmtDir }));
  management.app.synth();
  const member = buildMemberApp(testApp({ outdir: memberDir }));
  member.app.synth();
  const allStacks: Stack[] = [...management.stacks, member.stack];
  const policy = EffectiveBackupPolicy.fromPath(mgmtDir);
  const report = RecoveryReport.fromCloudAssembly(memberDir, { organizationPolicy: policy });
  const doc = report.toJson();

  test('management: one backup policy attached to the OU, the member baseline StackSet, the central vault', () => {
    const t = Template.fromStack(management.management);
    const [p] = Object.values<any>(t.findResources('AWS::Organizations::Policy'));
    expect(p.Properties).toMatchObject({ Name: POLICY_NAME, Type: 'BACKUP_POLICY', TargetIds: [WORKLOADS_OU] });
    expect(Object.keys(p.Properties.Content.plans).filter(k => !k.startsWith('@@'))).toEqual(['drkit-gold']);
    t.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [WORKLOADS_OU] }, Regions: ['us-east-1', 'us-west-2'] }],
    });
    Template.fromStack(management.central).hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'drkit-central-vault',
      LockConfiguration: Match.objectLike({ ChangeableForDays: 3 }),
    });
    expect(management.central.account).toBe(CENTRAL_ACCOUNT);
  });

  test('member: organization mode: resources tagged drkit:objective = gold with drkit:covered-by metadata, PITR and versioning, no vault, plan or selection', () => {
    const t = Template.fromStack(member.stack);
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::Backup::RestoreTestingPlan', 'AWS::Backup::Framework']) {
      t.resourceCountIs(type, 0);
    }
    const covered = { 'drkit:covered-by': { coveredBy: 'organization-policy', tagKey: 'drkit:objective', tagValue: 'gold', policyName: POLICY_NAME } };
    t.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: 'drkit:objective', Value: 'gold' }],
      }),
      Metadata: Match.objectLike(covered),
    });
    const invoices = t.toJSON().Resources[member.stack.getLogicalId(member.invoices.node.defaultChild as any)];
    expect(invoices.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(invoices.Properties.Tags).toContainEqual({ Key: 'drkit:objective', Value: 'gold' });
    expect(invoices.Metadata).toMatchObject(covered);
    expect(member.stack.account).toBe(MEMBER_ACCOUNT);
  });

  test('the policy selects the member\'s tag: the tag the member carries is the one the rendered policy selects', () => {
    const [plan] = policy.plans;
    expect(plan.selections.map(s => [s.tagKey, s.tagValues])).toEqual([['drkit:objective', ['gold']]]);
    expect(plan.regions).toEqual(['us-east-1']);
    // The vaults of the member baseline (StackSet template) and of the central account are read for their locks.
    expect(policy.vaults.map(v => [v.name, v.account ?? 'member', v.lock]).sort()).toEqual([
      ['drkit-central-vault', CENTRAL_ACCOUNT, 'compliance'],
      ['drkit-org-vault', 'member', 'compliance'],
    ]);
  });

  test('cdk-nag (AWS Solutions, NIST 800-53 rev 5, HIPAA) reports no error and no warning on any stack; suppressions carry reasons', () => {
    for (const stack of allStacks) {
      const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));
      expect(errors.map(e => `${stack.stackName} ${e.id}: ${e.entry.data}`)).toEqual([]);
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('(AwsSolutions|NIST|HIPAA|CdkNagValidationFailure).*'));
      expect(warnings.map(e => `${stack.stackName} ${e.id}: ${e.entry.data}`)).toEqual([]);
    }
    expect(member.suppressions.length).toBeGreaterThan(0);
    for (const s of member.suppressions) expect(s.reason.length).toBeGreaterThan(80);
  });

  test('the synth-time report plugin returns no gap for organization-covered resources (their backups are the policy\'s); it still writes them in its report', () => {
    const validation = JSON.parse(fs.readFileSync(path.join(memberDir, 'validation-report.json'), 'utf8'));
    const violations = (validation.pluginReports ?? []).flatMap((p: any) => p.violations ?? []);
    expect(violations.map((v: any) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    const written = JSON.parse(fs.readFileSync(path.join(memberDir, 'drkit-report.json'), 'utf8'));
    expect(written.gaps.map((g: any) => g.disruption).sort()).toEqual(['account', 'account', 'corruption', 'region', 'region']);
    expect(written.resources[0].findings.join('\n')).toContain('run drkit report with --org-policy');
  });

  test('the report on the member app with --org-policy: every required row met or unverified, no gap; region and account rows from the policy\'s copies', () => {
    expect(doc.summary.gaps).toBe(0);
    const rows = (suffix: string) => {
      const r = doc.resources.find((x: any) => x.logicalId.startsWith(suffix));
      return Object.fromEntries(r.disruptions.map((d: any) => [d.disruption, [d.status, d.mechanisms[0]]]));
    };
    expect(rows('Orders')).toEqual({
      corruption: ['unverified', 'aws.dynamodb.pitr'],
      az: ['met', 'aws.dynamodb.multi-az'],
      region: ['unverified', 'aws.backup.copy.region'],
      account: ['unverified', 'aws.backup.copy.account'],
    });
    expect(rows('Invoices')).toEqual({
      corruption: ['unverified', 'aws.s3.versioning'],
      az: ['met', 'aws.s3.multi-az'],
      region: ['unverified', 'aws.backup.copy.region'],
      account: ['unverified', 'aws.backup.copy.account'],
    });
    // Copies land in the compliance-locked vaults the baseline and the central account define.
    const orders = doc.resources.find((x: any) => x.logicalId.startsWith('Orders'));
    const central = orders.restorePoints.find((p: any) => p.account === CENTRAL_ACCOUNT);
    expect(central).toMatchObject({ offAccount: true, immutability: 'compliance', vault: `arn:aws:backup:us-east-1:${CENTRAL_ACCOUNT}:backup-vault:drkit-central-vault` });
    expect(orders.threeTwoOne).toMatchObject({ offRegion: true, offAccount: true, immutable: true, satisfied: true });
    expect(doc.organizationPolicy.plans[0].objectives).toEqual([{
      name: 'gold',
      resources: expect.arrayContaining([expect.stringMatching(/^OrdersService\/Orders/), expect.stringMatching(/^OrdersService\/Invoices/)]),
      renderedFrom: true,
      metByPolicyAlone: false,
      needsMore: ['corruption', 'az'],
    }]);
    expect(doc.organizationPolicy.findings).toEqual([]);
    expect(validate(SCHEMA, doc)).toEqual([]);
  });

  test('control: the same member app without the policy has region and account gaps on both resources', () => {
    const bare = RecoveryReport.fromCloudAssembly(memberDir);
    expect(bare.gaps.map(g => `${g.logicalId.replace(/[0-9A-F]{8}$/, '')} ${g.disruption}`).sort()).toEqual(
      expect.arrayContaining(['Invoices account', 'Invoices region', 'Orders account', 'Orders region']),
    );
  });

  const lint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  (lint.status === 0 ? test : test.skip)('cfn-lint: every template, and the StackSet\'s member template, has no error and no warning', () => {
    const templates = [mgmtDir, memberDir].flatMap(d => fs.readdirSync(d).filter(f => f.endsWith('.template.json')).map(f => path.join(d, f)));
    const [stackSet] = Object.values<any>(Template.fromStack(management.management).findResources('AWS::CloudFormation::StackSet'));
    const body = path.join(mgmtDir, 'member-baseline.body.json');
    fs.writeFileSync(body, stackSet.Properties.TemplateBody);
    const r = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates, body], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status === null || r.status % 2 === 1).toBe(false);
    const findings = JSON.parse(r.stdout || '[]')
      .filter((f: any) => f.Level === 'Error' || f.Level === 'Warning')
      .map((f: any) => `${f.Level} ${f.Rule.Id} ${path.basename(f.Filename)} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(findings).toEqual([]);
    expect(templates.length).toBe(3);
  });
});
