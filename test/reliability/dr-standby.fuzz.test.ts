import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { buildObjective, classify, rarely, synthObjectiveInput } from './arbitraries';
import { DrStandby } from '../../lib/cdk/dr-standby';
import { DrStrategy } from '../../lib/core/standby';
import { testApp } from '../util';

/**
 * Construct-level fuzzing of DrStandby over strategy, standby region, tables, endpoints and
 * health-check settings: each case synthesizes (CloudFormation validation as errors) or fails
 * with a coded drkit error. Databases are left to the RdsPitrPolicy fuzzing and the
 * reference-stack tests (an Aurora global database app costs seconds to synthesize).
 * 300 construct-only cases, 80 synth cases.
 */
const validEndpoints = fc.record({
  recordName: fc.constantFrom('app.example.com', 'example.com'),
  healthCheckPath: rarely(fc.constantFrom('/health', '/')),
  port: rarely(fc.constantFrom(443, 80, 8443)),
  requestIntervalSeconds: rarely(fc.constantFrom(10, 30)),
  failureThreshold: rarely(fc.integer({ min: 1, max: 10 })),
  ttlSeconds: rarely(fc.constantFrom(30, 60, 3600)),
});
/** Out-of-range health-check settings (port, interval, threshold, TTL, names): drkit should refuse them with DRK020. */
const malformedEndpoints = fc.record({
  recordName: fc.constantFrom('app.example.com', 'bad name'),
  healthCheckPath: fc.constantFrom('/health', 'health'),
  port: fc.constantFrom(443, 0, 70000),
  requestIntervalSeconds: fc.constantFrom(30, 20),
  failureThreshold: fc.constantFrom(3, -1, 12),
  ttlSeconds: fc.constantFrom(60, 0),
});
const propsWith = (
  envRegion: fc.Arbitrary<string | undefined>,
  tables: fc.Arbitrary<number>,
  endpoints: fc.Arbitrary<any> = rarely(validEndpoints),
) => fc.record({
  envRegion,
  region: fc.oneof({ arbitrary: fc.constant('us-west-2'), weight: 4 }, { arbitrary: fc.constantFrom('us-east-1', '', 'not-a-region'), weight: 1 }),
  strategy: rarely(fc.constantFrom(
    DrStrategy.BACKUP_AND_RESTORE, DrStrategy.PILOT_LIGHT, DrStrategy.WARM_STANDBY, DrStrategy.HOT_STANDBY, DrStrategy.MULTI_SITE_ACTIVE_ACTIVE,
  )),
  tables,
  endpoints,
  objective: synthObjectiveInput,
});
const props = propsWith(fc.constantFrom('us-east-1', 'eu-west-1'), fc.integer({ min: 1, max: 2 }));
type Props = typeof props extends fc.Arbitrary<infer T> ? T : never;

function build(p: Props) {
  const app = testApp();
  const stack = new Stack(app, 'Fuzz', { env: p.envRegion ? { region: p.envRegion, account: '111111111111' } : undefined });
  const tables = Array.from({ length: p.tables }, (_, i) => new dynamodb.TableV2(stack, `T${i}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }));
  const e = p.endpoints;
  new DrStandby(stack, 'Standby', {
    objective: buildObjective(p.objective),
    region: p.region,
    strategy: p.strategy,
    tables,
    endpoints: e === undefined ? undefined : {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
      recordName: e.recordName,
      primaryDomainName: 'primary.example.com',
      secondaryDomainName: 'standby.example.com',
      healthCheckPath: e.healthCheckPath,
      port: e.port,
      requestInterval: e.requestIntervalSeconds === undefined ? undefined : Duration.seconds(e.requestIntervalSeconds),
      failureThreshold: e.failureThreshold,
      ttl: e.ttlSeconds === undefined ? undefined : Duration.seconds(e.ttlSeconds),
    },
  });
  return { app, stack };
}

describe('DrStandby fuzzing', () => {
  test('construct: builds or throws a coded DrkitError (300 cases)', () => {
    fc.assert(fc.property(props, p => {
      classify(() => build(p));
    }), { numRuns: 300, seed: 7501 });
  });

  test('synth: passes CloudFormation validation, or a coded drkit error (80 cases)', () => {
    const seen = new Map<string, number>();
    fc.assert(fc.property(props, p => {
      const code = classify(() => build(p).app.synth());
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }), { numRuns: 80, seed: 7502 });
    if (process.env.FUZZ_STATS) console.log([...seen.entries()]);
    expect(seen.get('ok') ?? 0).toBeGreaterThan(10);
  });

  // KNOWN GAPS (reported to the lead); `test.failing` passes while a gap exists and fails
  // once it is fixed: then make it a `test`.
  // 1. Tables in a region-agnostic stack: aws-cdk-lib throws ReplicaTablesNotSupportedInRegionAgnosticStack
  //    from TableV2.addReplica instead of drkit refusing with DRK022.
  test('construct: tables in a region-agnostic stack fail with a coded drkit error', () => {
    fc.assert(fc.property(propsWith(fc.constant(undefined), fc.constant(1)), p => {
      classify(() => build(p));
    }), { numRuns: 20, seed: 7503 });
  });

  // 2. Nothing to stand by (no tables, databases or buckets): the stack synthesizes empty and
  //    fails CloudFormation validation (F0001) and the report plugin (DRK040), instead of
  //    DrStandby refusing in its constructor with DRK020.
  test('synth: a standby with nothing to replicate fails with a coded drkit error', () => {
    fc.assert(fc.property(propsWith(fc.constant('us-east-1'), fc.constant(0)), p => {
      classify(() => build(p).app.synth());
    }), { numRuns: 10, seed: 7504 });
  });

  // 3. Health-check settings out of Route 53's ranges (port 70000, threshold 12, interval 20 s, ...)
  //    reach CloudFormation validation instead of a DrkitError.
  test('synth: malformed health-check settings fail with a coded drkit error', () => {
    fc.assert(fc.property(propsWith(fc.constant('us-east-1'), fc.constant(1), malformedEndpoints), p => {
      classify(() => build(p).app.synth());
    }), { numRuns: 30, seed: 7505 });
  });
});
