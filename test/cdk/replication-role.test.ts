import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { Facts, RecoveryObjective, RecoveryTier } from '../../lib/core';
import { testApp } from '../util';

const ENV = { region: 'us-east-1', account: '111111111111' };
const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);

function stackWith(buckets: number): { stack: Stack; template: Template; constructs: CrossRegionReplicatedBucket[] } {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  const constructs = Array.from({ length: buckets }, (_, i) =>
    new CrossRegionReplicatedBucket(stack, `Files${i}`, { objective: gold, secondaryRegion: 'us-west-2' }));
  return { stack, template: Template.fromStack(stack), constructs };
}

/** The statements of every policy (inline and overflow managed) of the role with logical ID `roleId`. */
function statementsOf(template: Template, roleId: string): any[] {
  const out: any[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const r of Object.values<any>(template.findResources(type))) {
      if (JSON.stringify(r.Properties.Roles) !== JSON.stringify([{ Ref: roleId }])) continue;
      out.push(...r.Properties.PolicyDocument.Statement);
    }
  }
  return out;
}

describe('the replication role at scale (issue 16)', () => {
  test('GIVEN two buckets WHEN synthesized THEN their key grants share one conditioned statement per key use, naming each key and each bucket', () => {
    const { template } = stackWith(2);
    const role = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('S3 replication') } }));
    expect(role).toEqual([expect.stringMatching(/^DrkitS3ReplicationRole/)]);
    const statements = statementsOf(template, role[0]);
    const decrypt = statements.filter(s => s.Action === 'kms:Decrypt');
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0].Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Files0Key/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^Files1Key/), 'Arn'] },
    ]);
    expect(decrypt[0].Condition.StringEquals).toEqual({ 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
    expect(decrypt[0].Condition.StringLike['kms:EncryptionContext:aws:s3:arn']).toHaveLength(4);
    const encrypt = statements.filter(s => JSON.stringify(s.Action) === JSON.stringify(['kms:Encrypt', 'kms:GenerateDataKey']));
    expect(encrypt).toHaveLength(1);
    // Replica keys are granted by their aliases (their ARNs cannot cross regions); the
    // replicas' ARNs are written out, since the stack's account and partition are known.
    expect(encrypt[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*']] });
    expect(encrypt[0].Condition['ForAnyValue:StringEquals']['kms:ResourceAliases']).toEqual([
      expect.stringMatching(/^alias\/drkit\/replica-[0-9a-f]{10}$/), expect.stringMatching(/^alias\/drkit\/replica-[0-9a-f]{10}$/),
    ]);
    expect(encrypt[0].Condition.StringLike['kms:EncryptionContext:aws:s3:arn']).toEqual([
      expect.stringMatching(/^arn:aws:s3:::drkit-[0-9a-f]{10}-111111111111-us-west-2$/),
      expect.stringMatching(/^arn:aws:s3:::drkit-[0-9a-f]{10}-111111111111-us-west-2\/\*$/),
      expect.stringMatching(/^arn:aws:s3:::drkit-[0-9a-f]{10}-111111111111-us-west-2$/),
      expect.stringMatching(/^arn:aws:s3:::drkit-[0-9a-f]{10}-111111111111-us-west-2\/\*$/),
    ]);
  });

  test('GIVEN 81 buckets in one stack WHEN synthesized THEN 40 buckets per role, each role within 10 managed policies, every bucket granted by its own role', () => {
    const { stack, template, constructs } = stackWith(81);
    const roles = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 's3.amazonaws.com' } }] } } })).sort();
    expect(roles).toEqual([
      expect.stringMatching(/^DrkitS3ReplicationRole2[0-9A-F]{8}$/),
      expect.stringMatching(/^DrkitS3ReplicationRole3[0-9A-F]{8}$/),
      expect.stringMatching(/^DrkitS3ReplicationRole[0-9A-F]{8}$/),
    ]);
    expect(constructs[39].replicationRole).toBe(constructs[0].replicationRole);
    expect(constructs[40].replicationRole).not.toBe(constructs[0].replicationRole);
    expect(constructs[80].replicationRole.node.id).toBe('DrkitS3ReplicationRole3');
    for (const role of roles) {
      const attached = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
        .filter(r => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]));
      expect(attached.length).toBeLessThanOrEqual(Facts.IAM_MANAGED_POLICIES_PER_ROLE);
    }
    // IAM's limits on the policies as deployed (whitespace not counted): 10,240 characters of inline
    // policy per role, 6,144 per managed policy. aws-cdk-lib splits by an estimate; resolve the
    // references with the longest values they can take (63-character bucket names, key ARNs with
    // their UUIDs, the aws-us-gov partition) and check the real sizes.
    const resources = template.toJSON().Resources;
    const longest = (v: any): any => {
      if (Array.isArray(v)) return v.map(longest);
      if (v && typeof v === 'object') {
        if (v['Fn::GetAtt']) {
          const type = resources[v['Fn::GetAtt'][0]].Type;
          if (type === 'AWS::S3::Bucket') return `arn:aws-us-gov:s3:::${'b'.repeat(63)}`;
          if (type === 'AWS::KMS::Key') return 'arn:aws-us-gov:kms:us-east-1:111111111111:key/12345678-1234-1234-1234-123456789012';
          throw new Error(`unexpected GetAtt ${JSON.stringify(v)}`);
        }
        if (v.Ref === 'AWS::Partition') return 'aws-us-gov';
        if (v.Ref === 'AWS::AccountId') return '111111111111';
        if (v['Fn::Join']) return (longest(v['Fn::Join'][1]) as string[]).join(v['Fn::Join'][0]);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, longest(x)]));
      }
      return v;
    };
    for (const role of roles) {
      const of = (type: string) => Object.values<any>(template.findResources(type))
        .filter(r => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]))
        .map(r => JSON.stringify(longest(r.Properties.PolicyDocument)).length);
      expect(of('AWS::IAM::Policy').reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Facts.IAM_ROLE_INLINE_POLICY_CHARS);
      for (const size of of('AWS::IAM::ManagedPolicy')) expect(size).toBeLessThanOrEqual(Facts.IAM_MANAGED_POLICY_CHARS);
    }
    // aws-cdk-lib warns past 10 managed policies on a role (quota increase needed) and past 20 (cannot deploy).
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('managed policies attached to a Role'));
    expect(warnings).toEqual([]);
    // Each bucket's rule uses the role whose policy names the bucket.
    for (const i of [0, 40, 80]) {
      const bucketId = stack.getLogicalId(constructs[i].bucket.node.defaultChild as any);
      const bucket = template.toJSON().Resources[bucketId];
      const roleId = bucket.Properties.ReplicationConfiguration.Role['Fn::GetAtt'][0];
      const read = statementsOf(template, roleId).find(s => JSON.stringify(s.Action) === JSON.stringify(['s3:GetReplicationConfiguration', 's3:ListBucket']));
      expect([read.Resource].flat()).toContainEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
    }
  });
});
