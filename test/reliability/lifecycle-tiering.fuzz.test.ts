import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { buildObjective, classify, period, rarely, synthObjectiveInput } from './arbitraries';
import { LifecycleTiering } from '../../lib/cdk/lifecycle-tiering';
import { StorageClass } from '../../lib/core/lifecycle';
import { Period } from '../../lib/core/period';
import { testApp } from '../util';

/**
 * Construct-level fuzzing of LifecycleTiering: storage-class transitions, expirations and
 * objective-derived schedules either synthesize (CloudFormation validation as errors) or fail
 * with a coded drkit error. One bucket per app: ~0.2 s per synth; 150 synth cases, 400 construct-only.
 */
const transition = fc.record({
  storageClass: fc.constantFrom(...StorageClass.all()),
  afterSeconds: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 800 }).map(d => d * 86400), weight: 4 }, { arbitrary: period, weight: 1 }),
});
const props = fc.record({
  versioned: fc.boolean(),
  deriveFromObjective: rarely(fc.boolean()),
  tierCurrentVersions: rarely(fc.boolean()),
  objective: rarely(synthObjectiveInput),
  transitions: rarely(fc.array(transition, { maxLength: 3 })),
  expirationDays: rarely(fc.integer({ min: -1, max: 3000 })),
  noncurrentTransitions: rarely(fc.array(transition, { maxLength: 3 })),
  noncurrentExpirationDays: rarely(fc.integer({ min: -1, max: 3000 })),
  noncurrentVersionsToRetain: rarely(fc.integer({ min: -1, max: 120 })),
  abortDays: rarely(fc.integer({ min: -1, max: 30 })),
  removeExpiredDeleteMarkers: rarely(fc.boolean()),
});
type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

function build(p: Props) {
  const app = testApp();
  const stack = new Stack(app, 'Fuzz', { env: { region: 'us-east-1', account: '111111111111' } });
  const bucket = new s3.Bucket(stack, 'Bucket', { versioned: p.versioned, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const days = (d?: number) => (d === undefined ? undefined : Period.days(d));
  const transitions = (ts?: Array<{ storageClass: StorageClass; afterSeconds: number }>) =>
    ts?.map(t => ({ storageClass: t.storageClass, after: Period.seconds(t.afterSeconds) }));
  new LifecycleTiering(stack, 'Tiering', {
    bucket,
    deriveFromObjective: p.deriveFromObjective,
    tierCurrentVersions: p.tierCurrentVersions,
    objective: p.objective === undefined ? undefined : buildObjective(p.objective),
    transitions: transitions(p.transitions),
    expiration: days(p.expirationDays),
    noncurrentTransitions: transitions(p.noncurrentTransitions),
    noncurrentExpiration: days(p.noncurrentExpirationDays),
    noncurrentVersionsToRetain: p.noncurrentVersionsToRetain,
    abortIncompleteMultipartUploadAfter: days(p.abortDays),
    removeExpiredDeleteMarkers: p.removeExpiredDeleteMarkers,
  });
  return { app, stack };
}

describe('LifecycleTiering fuzzing', () => {
  test('construct: builds or throws a coded DrkitError (400 cases)', () => {
    fc.assert(fc.property(props, p => {
      classify(() => build(p));
    }), { numRuns: 400, seed: 7401 });
  });

  test('synth: passes CloudFormation validation, or a coded drkit error (150 cases)', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(props, p => {
      const code = classify(() => {
        const { app, stack } = build(p);
        app.synth();
        Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);
      });
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }), { numRuns: 150, seed: 7402 });
    if (process.env.FUZZ_STATS) console.log([...seen.entries()]);
    expect(seen.get('ok') ?? 0).toBeGreaterThan(20);
  });
});
