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
