import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { buildObjective, classify, period, rarely, synthObjectiveInput } from './arbitraries';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { Immutability } from '../../lib/core/objective';
import { Period } from '../../lib/core/period';
import { testApp } from '../util';

/**
 * Construct-level fuzzing of CrossRegionReplicatedBucket: each generated combination either
 * synthesizes (CloudFormation validation as errors) a versioned source bucket with public
 * access blocked and retained, or fails with a coded drkit error. The synth property runs 150
 * cases (two stacks per app: ~0.4 s each on the 2-core CI machine); construct-only 300.
 */
const propsWith = (names: fc.Arbitrary<string | undefined>, keyArns: fc.Arbitrary<string>) => fc.record({
  envRegion: fc.constantFrom('us-east-1', 'eu-west-1', undefined),
  secondaryRegion: fc.oneof(
    { arbitrary: fc.constant('us-west-2'), weight: 4 },
    { arbitrary: fc.constantFrom(undefined, 'us-east-1', '', 'not-a-region'), weight: 1 },
  ),
  bucketName: names,
  destination: rarely(fc.record({
    bucketName: fc.constantFrom('dr-bucket-1', 'dr.bucket-2'),
    region: fc.constantFrom('us-west-2', 'us-east-1', 'eu-west-1'),
    account: fc.option(fc.constantFrom('111111111111', '222222222222', '12'), { nil: undefined }),
    kmsKeyArn: keyArns,
  })),
  replicationTimeControl: fc.option(fc.boolean(), { nil: undefined }),
  replicateDeleteMarkers: fc.option(fc.boolean(), { nil: undefined }),
  objectLockMode: rarely(fc.constantFrom(Immutability.NONE, Immutability.GOVERNANCE, Immutability.COMPLIANCE)),
  objectLockRetention: rarely(period),
  objective: synthObjectiveInput,
});
const props = propsWith(
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom('my-data-bucket-1', 'data.example-2'), weight: 1 }),
  fc.constantFrom('arn:aws:kms:us-west-2:222222222222:key/abcd', 'arn:aws:kms:us-west-2:222222222222:alias/dr'),
);
/** Malformed names and key ARNs: drkit should refuse them with DRK020 before aws-cdk-lib or CloudFormation validation does. */
const malformed = propsWith(
  fc.constantFrom('Bad_Name', 'ab', 'x'.repeat(70)),
  fc.constantFrom('not-an-arn', 'arn:aws:kms:us-west-2:222222222222:key/abcd'),
);
type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

function build(p: Props) {
  const app = testApp();
  const stack = new Stack(app, 'Fuzz', { env: p.envRegion ? { region: p.envRegion, account: '111111111111' } : undefined });
  new CrossRegionReplicatedBucket(stack, 'Files', {
    objective: buildObjective(p.objective),
    secondaryRegion: p.secondaryRegion,
    bucketName: p.bucketName,
    destination: p.destination,
    replicationTimeControl: p.replicationTimeControl,
    replicateDeleteMarkers: p.replicateDeleteMarkers,
    objectLockMode: p.objectLockMode,
    objectLockRetention: p.objectLockRetention === undefined ? undefined : Period.seconds(p.objectLockRetention),
  });
  return { app, stack };
}

describe('CrossRegionReplicatedBucket fuzzing', () => {
  test('construct: builds or throws a coded DrkitError (300 cases)', () => {
    fc.assert(fc.property(props, p => {
      classify(() => build(p));
    }), { numRuns: 300, seed: 7201 });
  });

  test('synth: a protected source bucket passing CloudFormation validation, or a coded drkit error (150 cases)', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(props, p => {
      const code = classify(() => {
        const { app, stack } = build(p);
        app.synth();
        const buckets = Object.values<any>(Template.fromStack(stack).findResources('AWS::S3::Bucket'))
          .filter(b => b.Properties?.ReplicationConfiguration !== undefined);
        expect(buckets).toHaveLength(1);
        const b = buckets[0];
        expect(b.DeletionPolicy).toBe('Retain');
        expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        });
      });
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }), { numRuns: 150, seed: 7202 });
    if (process.env.FUZZ_STATS) console.log([...seen.entries()]);
    expect(seen.get('ok') ?? 0).toBeGreaterThan(30);
  });

  // Malformed bucket names and key ARNs are refused with a DrkitError, not left to fail inside
  // aws-cdk-lib (InvalidBucketNameValue) or in CloudFormation validation (E3510).
  test('synth with malformed bucket names and key ARNs: a coded drkit error (40 cases)', () => {
    fc.assert(fc.property(malformed, p => {
      classify(() => build(p).app.synth());
    }), { numRuns: 40, seed: 7203 });
  });
});
