import * as fc from 'fast-check';
import { buildObjective, classify, objectiveInput, region, account } from './arbitraries';
import { RecoveryObjective } from '../../lib/core/objective';
import { Planner } from '../../lib/core/plan';

/**
 * Planner-level fuzzing (pure functions, thousands of runs): every generated objective and
 * context either yields a plan that keeps drkit's invariants or fails with a DrkitError
 * and a stable code; never a TypeError or RangeError.
 */
describe('planner fuzzing', () => {
  test('RecoveryObjective.of: builds or throws a coded DrkitError; toJson/fromJson round-trips', () => {
    fc.assert(fc.property(objectiveInput, input => {
      let objective: RecoveryObjective | undefined;
      classify(() => {
        objective = buildObjective(input);
      });
      if (!objective) return;
      const json = objective.toJson();
      expect(RecoveryObjective.fromJson(JSON.parse(JSON.stringify(json))).toJson()).toEqual(json);
      expect(objective.targets.map(t => t.disruption)).toEqual(objective.disruptions);
      for (const t of objective.targets) {
        expect(t.rpo.totalSeconds).toBeGreaterThan(0);
        expect(t.rto.totalSeconds).toBeGreaterThan(0);
      }
    }), { numRuns: 3000, seed: 7007 });
  });

  test('Planner.dynamoDbTable: a plan within documented bounds, or a coded DrkitError', () => {
    const context = fc.record({
      region: fc.option(region, { nil: undefined }),
      secondaryRegion: fc.option(region, { nil: undefined }),
      backupAccount: fc.option(account, { nil: undefined }),
      replicaRegions: fc.subarray(['us-east-1', 'us-west-2', 'eu-west-1']),
    });
    const outcomes = new Map<string, number>();
    fc.assert(fc.property(objectiveInput, context, (input, ctx) => {
      const code = classify(() => {
        const objective = buildObjective(input);
        const plan = Planner.dynamoDbTable(objective, { resourceName: 'fuzz/table', ...ctx });
        expect(plan.deletionProtection).toBe(true);
        if (plan.pointInTimeRecoveryDays !== undefined) {
          expect(Number.isInteger(plan.pointInTimeRecoveryDays)).toBe(true);
          expect(plan.pointInTimeRecoveryDays).toBeGreaterThanOrEqual(1);
          expect(plan.pointInTimeRecoveryDays).toBeLessThanOrEqual(35);
        }
        for (const rule of plan.backupRules) {
          expect(rule.deleteAfterDays).toBeGreaterThanOrEqual(1);
          expect(rule.startWindowMinutes).toBeGreaterThanOrEqual(60);
          expect(rule.completionWindowMinutes).toBeGreaterThan(rule.startWindowMinutes);
          expect(rule.scheduleExpression).toMatch(/^cron\(.+\)$/);
          if (rule.moveToColdStorageAfterDays !== undefined) {
            // AWS Backup: recovery points in cold storage must stay there at least 90 days.
            expect(rule.deleteAfterDays - rule.moveToColdStorageAfterDays).toBeGreaterThanOrEqual(90);
          }
          for (const copy of rule.copies) {
            expect(copy.deleteAfterDays).toBeGreaterThanOrEqual(1);
            if (copy.region !== undefined && ctx.region !== undefined) expect(copy.region).not.toBe(ctx.region);
          }
        }
      });
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    }), { numRuns: 3000, seed: 7008 });
    if (process.env.FUZZ_STATS) console.log([...outcomes.entries()]);
    // The generator reaches both sides: plans and refusals.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(200);
    expect([...outcomes.keys()].filter(k => k !== 'ok').length).toBeGreaterThan(2);
  });
});
