import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { buildApp, OBJECTIVE, TENANTS, TENANTS_PER_STACK } from '../../examples/cdk-split/app';
import { run } from '../cli/run';
import { testApp } from '../util';

/**
 * docs/scale.md's worked example (examples/cdk-split): one objective over several stacks, each
 * with its own ProtectedScope, and one report over the whole cloud assembly.
 */
describe('docs/scale.md: one objective over several stacks', () => {
  const built = buildApp(testApp());
  const assembly = built.app.synth();

  test('the docs quote the example as it compiles here', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'scale.md'), 'utf8');
    const code = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'cdk-split', 'app.ts'), 'utf8');
    expect(doc).toContain('```ts\n' + code + '```');
  });

  test('one primary stack per TENANTS_PER_STACK tenants, each with its copies stack; synthesis has no error', () => {
    const primaries = Math.ceil(TENANTS.length / TENANTS_PER_STACK);
    expect(built.stacks.map(s => s.stackName)).toEqual(Array.from({ length: primaries }, (_, i) => `Tenants${i}`));
    expect(assembly.stacks.map(s => s.stackName).sort()).toEqual(
      Array.from({ length: primaries }, (_, i) => [`Tenants${i}`, `Tenants${i}-us-east-1-dr-us-west-2`]).flat().sort());
    for (const stack of built.stacks) expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  test('each primary template holds the objective once, in its top-level metadata', () => {
    for (const stack of built.stacks) {
      const template = assembly.getStackByName(stack.stackName).template;
      expect(template.Metadata['drkit:objectives']).toEqual({ tenants: JSON.parse(JSON.stringify(OBJECTIVE.toJson())) });
    }
  });

  test('drkit report cdk.out covers every stack: each tenant\'s table and bucket, against the one objective, without a gap', async () => {
    const r = await run('report', assembly.directory, '--json');
    expect(r.err).toBe('');
    const report = JSON.parse(r.out);
    expect(report.stacks.map((s: any) => s.stackName).sort()).toEqual(assembly.stacks.map(s => s.stackName).sort());
    // every tenant: one table and one bucket in the stack its position gives
    const expected = TENANTS.flatMap((t, i) => [
      [`Tenants${Math.floor(i / TENANTS_PER_STACK)}`, 'AWS::DynamoDB::Table', `${t}orders`],
      [`Tenants${Math.floor(i / TENANTS_PER_STACK)}`, 'AWS::S3::Bucket', `${t}files`],
    ]).map(x => x.join(' ')).sort();
    const found = report.resources.map((x: any) => `${x.stackName} ${x.resourceType} ${x.logicalId.replace(/[0-9A-F]{8}$/, '')}`).sort();
    expect(found).toEqual(expected);
    // tables as DynamoContinuousBackup protects them, buckets through the scope's backup plan
    for (const x of report.resources) {
      expect([x.logicalId, x.objectiveSource, x.construct])
        .toEqual([x.logicalId, 'metadata', x.resourceType === 'AWS::DynamoDB::Table' ? 'DynamoContinuousBackup' : 'ProtectedScope']);
    }
    expect(report.objectives).toHaveLength(1);
    expect(report.objectives[0].objective.name).toBe('tenants');
    expect(report.objectives[0].resources).toHaveLength(2 * TENANTS.length);
    expect(report.gaps).toEqual([]);
    expect(report.summary.statusCounts['not-met'] ?? 0).toBe(0);
    expect(report.summary.statusCounts.unprotected ?? 0).toBe(0);
    // the report the plugin wrote at synth says the same
    const atSynth = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'drkit-report.json'), 'utf8'));
    expect(atSynth.resources.map((x: any) => `${x.stackName}/${x.logicalId}`)).toEqual(report.resources.map((x: any) => `${x.stackName}/${x.logicalId}`));
  });
});
