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
