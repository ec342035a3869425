import * as fc from 'fast-check';
import { DrkitError, DrkitErrorCode } from '../../lib/core/errors';
import { Disruption, Immutability, RecoveryObjective, Retention } from '../../lib/core/objective';
import { Period } from '../../lib/core/period';

/** Every stable code drkit may throw. */
export const CODES: string[] = Object.values(DrkitErrorCode);

const ALL = [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE];

/** A period, including nonsense (zero, negative, fractional, huge). */
export const period = fc.oneof(
  { arbitrary: fc.constantFrom(1, 60, 300, 900, 1800, 3600, 7200, 6 * 3600, 7 * 3600, 12 * 3600, 86400, 3 * 86400), weight: 5 },
  { arbitrary: fc.integer({ min: 60, max: 30 * 86400 }), weight: 4 },
  { arbitrary: fc.oneof(fc.constantFrom(0, -60, 59.5, 400 * 86400), fc.double({ min: -10, max: 1e7, noNaN: true })), weight: 1 },
);

const count = fc.option(fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 9 },
  { arbitrary: fc.constantFrom(-1, 1.5, 1000), weight: 1 },
), { nil: undefined });

/** The inputs of a RecoveryObjective, as data (the objective is built inside the property, where it may throw). */
export const objectiveInput = fc.record({
  rpo: period,
  rto: period,
  disruptions: fc.option(fc.subarray(ALL), { nil: undefined }),
  perDisruption: fc.array(fc.record({
    disruption: fc.constantFrom(...ALL),
    rpo: fc.option(period, { nil: undefined }),
    rto: fc.option(period, { nil: undefined }),
  }), { maxLength: 2 }),
  backupInterval: fc.option(fc.oneof(
    { arbitrary: fc.constantFrom(3600, 4 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max: 14 * 86400 }), weight: 1 },
  ), { nil: undefined }),
  retention: fc.option(fc.record({
    pointInTime: fc.option(fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 35 }).map(d => d * 86400), weight: 8 },
      { arbitrary: fc.oneof(fc.integer({ min: -1, max: 40 }).map(d => d * 86400), period), weight: 2 },
    ), { nil: undefined }),
    daily: count,
    weekly: count,
    monthly: count,
    yearly: count,
  }), { nil: undefined }),
  immutability: fc.option(fc.constantFrom(Immutability.NONE, Immutability.GOVERNANCE, Immutability.COMPLIANCE), { nil: undefined }),
});

export type ObjectiveInput = typeof objectiveInput extends fc.Arbitrary<infer T> ? T : never;

/** Builds the objective (may throw a DrkitError, which the caller classifies). */
export function buildObjective(i: ObjectiveInput): RecoveryObjective {
  const r = i.retention;
  return RecoveryObjective.of({
    name: 'fuzz',
    rpo: Period.seconds(i.rpo),
    rto: Period.seconds(i.rto),
    disruptions: i.disruptions,
    perDisruption: i.perDisruption.map(p => ({
      disruption: p.disruption,
      rpo: p.rpo === undefined ? undefined : Period.seconds(p.rpo),
      rto: p.rto === undefined ? undefined : Period.seconds(p.rto),
    })),
    backupInterval: i.backupInterval === undefined ? undefined : Period.seconds(i.backupInterval),
    retention: r === undefined ? undefined : Retention.of({
      pointInTime: r.pointInTime === undefined ? undefined : Period.seconds(r.pointInTime),
      daily: r.daily,
      weekly: r.weekly,
      monthly: r.monthly,
      yearly: r.yearly,
    }),
    immutability: i.immutability,
  });
}

/** Regions, including a bad one and the primary. */
export const region = fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', '', 'not-a-region');

/** Accounts, including malformed ones. */
export const account = fc.constantFrom('111111111111', '222222222222', '12345', 'abcdefghijkl');

/**
 * What an outcome of a fuzzed run may be: success, or a drkit error with a stable code.
 *
 * drkit validates in constructors (a `DrkitError` is thrown) and at synth through
 * `node.addValidation`, whose messages start with `[DRKnnn]`: aws-cdk-lib collects them into
 * one "Validation failed" error, which is accepted only when every listed message carries a
 * known drkit code. Anything else (a TypeError, an aws-cdk-lib error of its own) fails.
 */
export function classify(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (e: any) {
    if (DrkitError.isDrkitError(e)) {
      if (!CODES.includes(e.code)) throw new Error(`DrkitError with unknown code ${e.code}: ${e.message}`);
      if (!e.message.startsWith(`[${e.code}] `) || e.message.length < 40) throw new Error(`DrkitError message too thin: ${e.message}`);
      return e.code;
    }
    const msg = String(e?.message ?? e);
    if (/^Validation failed with the following errors:/.test(msg)) {
      const lines = msg.split('\n').slice(1).filter(l => l.trim() !== '');
      const codes = lines.map(l => /^\s*\[[^\]]*\] \[(DRK\d{3})\] /.exec(l)?.[1]);
      if (lines.length > 0 && codes.every(c => c !== undefined && CODES.includes(c))) return codes[0]!;
    }
    throw e;
  }
}

/** Objectives a user would plausibly write (most are meetable): for synth-level fuzzing, where every case costs a synth. */
export const plausibleObjectiveInput: fc.Arbitrary<ObjectiveInput> = fc.record({
  disruptions: fc.subarray(ALL, { minLength: 1 }),
  rpo: fc.constantFrom(300, 900, 3600, 4 * 3600, 86400),
  rto: fc.constantFrom(3600, 4 * 3600, 86400, 3 * 86400),
  offsiteRpo: fc.constantFrom(2 * 3600, 7 * 3600, 13 * 3600, 25 * 3600, 49 * 3600),
  backupInterval: fc.option(fc.constantFrom(3600, 6 * 3600, 12 * 3600, 86400), { nil: undefined }),
  retention: fc.option(fc.record({
    pointInTime: fc.option(fc.integer({ min: 1, max: 35 }).map(d => d * 86400), { nil: undefined }),
    daily: fc.option(fc.integer({ min: 0, max: 35 }), { nil: undefined }),
    weekly: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    monthly: fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }),
    yearly: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  }), { nil: undefined }),
  immutability: fc.option(fc.constantFrom(Immutability.NONE, Immutability.GOVERNANCE, Immutability.COMPLIANCE), { nil: undefined }),
}).map(o => ({
  rpo: o.rpo,
  rto: o.rto,
  disruptions: o.disruptions,
  perDisruption: o.disruptions
    .filter(d => d === Disruption.REGION_OUTAGE || d === Disruption.ACCOUNT_COMPROMISE)
    .map(d => ({ disruption: d, rpo: Math.max(o.offsiteRpo, o.rpo), rto: undefined })),
  backupInterval: o.backupInterval,
  retention: o.retention,
  immutability: o.immutability,
}));

/** Mostly plausible objectives, some arbitrary ones. */
export const synthObjectiveInput = fc.oneof(
  { arbitrary: plausibleObjectiveInput, weight: 4 },
  { arbitrary: objectiveInput, weight: 1 },
);

/** `undefined` three times out of four, else a value of `arb` (for optional props users rarely set). */
export function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
}
