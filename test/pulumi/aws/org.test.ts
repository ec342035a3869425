import { installMocks, recordPulumiLogs, settle } from './harness';
import { DrkitError } from '../../../lib/core';
import { centralObjective, sampleObjective } from '../../core/org/fixtures';

const rec = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
const logs = recordPulumiLogs();

beforeEach(() => rec.clear());

describe('Pulumi OrganizationBackupPolicy', () => {
  test('registers one BACKUP_POLICY whose content is the plan, and one attachment per target, all children of the component', async () => {
    const c = new aws.OrganizationBackupPolicy('org', {
      objectives: [sampleObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', targetIds: ['ou-ab12-cdef3456', '111122223333'],
    });
    await settle();
    const policy = rec.named('org-policy');
    expect(policy.type).toBe('aws:organizations/policy:Policy');
    expect(policy.inputs.type).toBe('BACKUP_POLICY');
    expect(JSON.parse(policy.inputs.content)).toEqual(c.plan.content);
    const attachments = rec.ofType('aws:organizations/policyAttachment:PolicyAttachment');
    expect(attachments.map(a => a.inputs.targetId)).toEqual(['ou-ab12-cdef3456', '111122223333']);
    expect(attachments.every(a => a.inputs.policyId === 'org-policy-id')).toBe(true);
    for (const r of [policy, ...attachments]) expect(r.parent).toContain('drkit:aws:OrganizationBackupPolicy');
    expect(logs.warn()).toHaveBeenCalledWith(expect.stringContaining('continuous backup'), expect.anything());
  });

  test('refuses the same inputs as the CDK construct (DRK104, DRK103)', () => {
    expect(() => new aws.OrganizationBackupPolicy('bad', { objectives: [sampleObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', targetIds: ['o-abc'] }))
      .toThrow(expect.objectContaining({ code: 'DRK104' }) as unknown as DrkitError);
    expect(() => new aws.OrganizationBackupPolicy('bad2', { objectives: [centralObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', targetIds: [] }))
      .toThrow(/DRK103/);
  });
});

describe('Pulumi OrganizationMemberBaseline', () => {
  test('a service-managed StackSet with the core template, and one retained instance per member region targeting the OUs', async () => {
    const p = new aws.OrganizationBackupPolicy('org', { objectives: [sampleObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', targetIds: [] });
    const b = new aws.OrganizationMemberBaseline('base', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'] });
    await settle();
    const set = rec.named('base-stackset');
    expect(set.inputs).toMatchObject({
      name: 'drkit-org-backup-baseline',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: 'SELF',
      operationPreferences: { regionConcurrencyType: 'PARALLEL', failureTolerancePercentage: 10, maxConcurrentPercentage: 25 },
    });
    expect(JSON.parse(set.inputs.templateBody)).toEqual(b.template);
    const instances = rec.ofType('aws:cloudformation/stackSetInstance:StackSetInstance');
    expect(instances.map(i => i.inputs.stackSetInstanceRegion)).toEqual(['us-east-1', 'us-west-2']);
    for (const i of instances) {
      expect(i.inputs.deploymentTargets).toEqual({ organizationalUnitIds: ['ou-ab12-cdef3456'] });
      expect(i.retainOnDelete).toBe(true);
    }
  });

  test('refuses account ids as deployment targets and count with percentage', () => {
    const p = new aws.OrganizationBackupPolicy('org2', { objectives: [sampleObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', targetIds: [] });
    expect(() => new aws.OrganizationMemberBaseline('b1', { plan: p.plan, organizationalUnitIds: ['111122223333'] })).toThrow(/DRK104/);
    expect(() => new aws.OrganizationMemberBaseline('b2', { plan: p.plan, organizationalUnitIds: ['ou-ab12-cdef3456'], maxConcurrentCount: 2, maxConcurrentPercentage: 50 }))
      .toThrow(/DRK106/);
  });
});

describe('Pulumi CentralBackupVault', () => {
  test('a retained key and vault, the organization may copy in (aws:PrincipalOrgID), deletion denied, the plan\'s compliance lock', async () => {
    const p = new aws.OrganizationBackupPolicy('orgc', {
      objectives: [centralObjective()], regions: ['us-east-1'], secondaryRegion: 'us-west-2', backupAccount: '111122223333', targetIds: [],
    });
    new aws.CentralBackupVault('central', { organizationId: 'o-a1b2c3d4e5', plan: p.plan });
    await settle();
    const vault = rec.named('central-vault');
    expect(vault.inputs.name).toBe('drkit-central-vault');
    expect(vault.retainOnDelete).toBe(true);
    expect(rec.named('central-key').retainOnDelete).toBe(true);
    expect(rec.named('central-vault-lock').inputs).toMatchObject({ backupVaultName: 'drkit-central-vault', minRetentionDays: 7, maxRetentionDays: 366, changeableForDays: 3 });
    const policy = JSON.parse(rec.named('central-vault-policy').inputs.policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] }),
      expect.objectContaining({ Effect: 'Allow', Action: 'backup:CopyIntoBackupVault', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    ]);
    const keyPolicy = JSON.parse(rec.named('central-key').inputs.policy);
    expect(keyPolicy.Statement[1].Condition.StringEquals['aws:PrincipalOrgID']).toBe('o-a1b2c3d4e5');
    expect(keyPolicy.Statement[1].Condition.StringEquals['kms:ViaService']).toMatch(/^backup\..*\.amazonaws\.com$/);
  });

  test('refuses a bad organization id and a missing lock', () => {
    expect(() => new aws.CentralBackupVault('c1', { organizationId: 'org-1', lock: { mode: 'compliance' as any, minRetentionDays: 1 } })).toThrow(/DRK104/);
    expect(() => new aws.CentralBackupVault('c2', { organizationId: 'o-a1b2c3d4e5' })).toThrow(/DRK020/);
  });
});
