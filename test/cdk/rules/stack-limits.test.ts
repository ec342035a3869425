import { StackLimits } from '../../../lib/cdk/rules/stack-limits';

const template = (n: number) => ({ Resources: Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: 'AWS::SQS::Queue' }])) });

describe('StackLimits', () => {
  test('Noncompliance: over 500 resources is an error naming the stack and the count', () => {
    const f = StackLimits.check('Huge', template(501));
    expect(f).toEqual([expect.objectContaining({ stackName: 'Huge', severity: 'error' })]);
    expect(f[0].message).toMatch(/^stack Huge has 501 resources, over CloudFormation's quota of 500 per stack/);
  });

  test('Noncompliance: over 1 MB of template is an error; 80% of it is a warning', () => {
    expect(StackLimits.check('S', template(1), 1_000_001).map(x => x.severity)).toEqual(['error']);
    expect(StackLimits.check('S', template(1), 800_000).map(x => x.severity)).toEqual(['warning']);
  });

  test('Compliance: a small stack has no finding', () => {
    expect(StackLimits.check('S', template(399))).toEqual([]);
    expect(StackLimits.check('S', template(400)).map(x => x.severity)).toEqual(['warning']);
  });
});

describe('StackLimits: what each drkit construct puts in the stack, and how to split it', () => {
  // A template as the cdk CLI writes it (aws:cdk:path metadata): 3 replicated buckets (key, bucket, policy),
  // 3 protected tables, the stack's shared backup (vault, plan) and one resource that is not drkit's.
  const r = (path: string, extra: any = {}) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: path }, Metadata: { 'aws:cdk:path': `Shop/${path}/Resource`, ...extra } });
  const resources: any = {};
  for (let i = 0; i < 3; i++) {
    resources[`Files${i}Key`] = r(`Files${i}/Key`);
    resources[`Files${i}Bucket`] = r(`Files${i}/Bucket`, { 'drkit:construct': 'CrossRegionReplicatedBucket', 'drkit:objective': 'gold' });
    resources[`Files${i}Policy`] = r(`Files${i}/Bucket/Policy`);
    resources[`Table${i}`] = r(`Table${i}`, { 'drkit:construct': 'DynamoContinuousBackup', 'drkit:objective': 'gold' });
  }
  resources.Vault = r('DrkitBackupGold/Vault');
  resources.Plan = r('DrkitBackupGold/Plan');
  resources.Queue = r('Queue');
  const shop = { Resources: resources };

  test('contributions: items, resources and bytes per construct, shared groups apart, other resources left out', () => {
    const list = StackLimits.contributions(shop);
    expect(list.map(c => [c.construct, c.shared, c.items, c.resources])).toEqual([
      ['CrossRegionReplicatedBucket', false, 3, 9],
      ['DynamoContinuousBackup', false, 3, 3],
      ['DrkitBackupGold', true, 1, 2],
    ]);
    // bytes: each resource's share of the template as written (one-space indentation)
    const share = (id: string) => JSON.stringify({ Resources: { [id]: resources[id] } }, undefined, 1).length
      - JSON.stringify({ Resources: {} }, undefined, 1).length;
    expect(list[1].bytes).toBe(share('Table0') + share('Table1') + share('Table2'));
    // without construct paths only the resources with drkit:construct metadata are attributed, one item each
    const noPaths = JSON.parse(JSON.stringify(shop));
    for (const x of Object.values<any>(noPaths.Resources)) delete x.Metadata['aws:cdk:path'];
    expect(StackLimits.contributions(noPaths).map(c => [c.construct, c.items, c.resources])).toEqual([
      ['CrossRegionReplicatedBucket', 3, 3],
      ['DynamoContinuousBackup', 3, 3],
    ]);
    // construct paths given by the caller (the plugins read them from the construct tree) take their place
    const paths = Object.fromEntries(Object.entries<any>(shop.Resources).map(([id, x]) => [id, x.Metadata['aws:cdk:path']]));
    const shape = (t: any, p?: any) => StackLimits.contributions(t, undefined, p).map(c => [c.construct, c.shared, c.items, c.resources]);
    expect(shape(noPaths, paths)).toEqual(shape(shop));
  });

  test('Noncompliance: the quota message names each construct per item and shared, and how to split', () => {
    const [f] = StackLimits.check('Shop', shop, 1_000_001);
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/^stack Shop has 1000001 template bytes, over CloudFormation's quota of 1000000 per stack \(.*\): deployment will fail\. /);
    expect(f.message).toMatch(/What drkit puts in it: CrossRegionReplicatedBucket x3: 3 resources, \d+\.\d KB each \(9 resources, \d+\.\d KB in all\); /);
    expect(f.message).toMatch(/DynamoContinuousBackup x3: 1 resource, \d+\.\d KB each \(3 resources, /);
    expect(f.message).toMatch(/shared by the stack's items \([^)]*\): DrkitBackupGold: 2 resources, \d+\.\d KB; other resources: 1, /);
    expect(f.message).toContain('To split: move some of the protected resources (and their drkit constructs) to another stack, and give each stack a ProtectedScope');
    expect(f.message).toContain('`drkit report cdk.out` reports every stack of the app (docs/scale.md)');
    // the template as given is small: without indentation it is within the quota
    expect(f.message).toMatch(/ Without indentation \(the stack's `suppressTemplateIndentation`, or the context `@aws-cdk\/core:suppressTemplateIndentation`\) the template is \d+ bytes, within the quota\.$/);
    // the resource quota says nothing of indentation
    expect(StackLimits.check('Shop', { Resources: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`R${i}`, { Type: 'AWS::SQS::Queue' }])) })[0].message)
      .not.toContain('Without indentation');
  });
});
