import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as fc from 'fast-check';
import { buildObjective, classify, synthObjectiveInput } from './arbitraries';
import { DynamoContinuousBackup } from '../../lib/cdk/dynamo-continuous-backup';
import { testApp } from '../util';

/**
 * Construct-level fuzzing of DynamoContinuousBackup: every generated combination of table
 * kind, stack environment, objective and props either synthesizes a template that passes
 * aws-cdk-lib's CloudFormation validation as errors (testApp) with PITR, deletion
 * protection and RETAIN on the table, or fails with a coded drkit error.
 *
 * Synthesis costs ~0.3-1 s per app on the 2-core CI machine (CloudFormation validation
 * dominates), so the synth property runs 200 cases and the construct-only property 400.
 */
const tableKind = fc.oneof(
  { arbitrary: fc.constant('Table'), weight: 3 },
  { arbitrary: fc.constantFrom('TableV2', 'TableV2+replica'), weight: 3 },
  { arbitrary: fc.constant('imported'), weight: 1 },
);
const props = fc.record({
  kind: tableKind,
  envRegion: fc.constantFrom('us-east-1', 'eu-west-1', undefined),
  secondaryRegion: fc.oneof(
    { arbitrary: fc.constant('us-west-2'), weight: 3 },
    { arbitrary: fc.constantFrom(undefined, 'us-east-1', 'eu-west-1', '', 'not-a-region'), weight: 2 },
  ),
  backupAccount: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constant('222222222222'), weight: 2 },
    { arbitrary: fc.constantFrom('111111111111', '12345', 'abcdefghijkl'), weight: 1 },
  ),
  objective: synthObjectiveInput,
});
type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

function build(p: Props) {
  const app = testApp();
  // aws-cdk-lib itself refuses replicas in a region-agnostic stack: give those a region.
  const envRegion = p.kind === 'TableV2+replica' ? p.envRegion ?? 'us-east-1' : p.envRegion;
  const stack = new Stack(app, 'Fuzz', { env: envRegion ? { region: envRegion, account: '111111111111' } : undefined });
  const pk = { name: 'pk', type: dynamodb.AttributeType.STRING };
  const table: dynamodb.ITable = p.kind === 'Table' ? new dynamodb.Table(stack, 'T', { partitionKey: pk })
    : p.kind === 'TableV2' ? new dynamodb.TableV2(stack, 'T', { partitionKey: pk })
      : p.kind === 'TableV2+replica' ? new dynamodb.TableV2(stack, 'T', { partitionKey: pk, replicas: [{ region: 'ap-northeast-1' }] })
        : dynamodb.Table.fromTableName(stack, 'T', 'existing');
  new DynamoContinuousBackup(stack, 'P', {
    table, objective: buildObjective(p.objective), secondaryRegion: p.secondaryRegion, backupAccount: p.backupAccount,
  });
  return { app, stack };
}

describe('DynamoContinuousBackup fuzzing', () => {
  test('construct: builds or throws a coded DrkitError (400 cases)', () => {
    fc.assert(fc.property(props, p => {
      classify(() => build(p));
    }), { numRuns: 400, seed: 7101 });
  });

  test('synth: passes CloudFormation validation with the table protected, or a coded drkit error (200 cases)', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(props, p => {
      const code = classify(() => {
        const { app, stack } = build(p);
        app.synth();
        const t = Template.fromStack(stack);
        const type = p.kind === 'Table' ? 'AWS::DynamoDB::Table' : 'AWS::DynamoDB::GlobalTable';
        const tables = t.findResources(type);
        expect(Object.values(tables)).toHaveLength(1);
        const r: any = Object.values(tables)[0];
        expect(r.DeletionPolicy).toBe('Retain');
        const targets = type === 'AWS::DynamoDB::Table' ? [r.Properties] : r.Properties.Replicas;
        for (const x of targets) {
          expect(x.DeletionProtectionEnabled).toBe(true);
          expect(x.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
        }
      });
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }), { numRuns: 200, seed: 7102 });
    if (process.env.FUZZ_STATS) console.log([...seen.entries()]);
    // '' and 'not-a-region' are refused as region names (DRK022) even when no disruption
    // needs the secondary region, so fewer cases synthesize than before that check; an
    // env-agnostic stack with a secondary region is refused too (DRK130: DR names carry the
    // primary region), 42 of 200 synthesize with this seed.
    expect(seen.get('ok') ?? 0).toBeGreaterThan(40);
  });
});
