import * as fc from 'fast-check';
import {
  Disruption, DrkitError, DrkitErrorCode, Facts, Period, Planner, ProtectionPlan, RecoveryObjective, ResourceKind, Retention,
} from '../../../lib/core';
import { planBackupResource } from '../../../lib/core/plan-backup';

const KINDS = [ResourceKind.S3_BUCKET, ResourceKind.RDS_INSTANCE, ResourceKind.RDS_CLUSTER, ResourceKind.EFS_FILE_SYSTEM, ResourceKind.EBS_VOLUME];
const START_HOURS = Facts.BACKUP_MIN_START_WINDOW.toHours();

/** Disruptions whose RPO the scheduled backups carry, per kind (the rest: versioning, RDS PITR). */
function carried(kind: ResourceKind, d: Disruption): boolean {
  if (kind === ResourceKind.S3_BUCKET || kind === ResourceKind.RDS_INSTANCE || kind === ResourceKind.RDS_CLUSTER) {
    return d === Disruption.REGION_OUTAGE || d === Disruption.ACCOUNT_COMPROMISE;
  }
  return true;
}

const objectives = fc.record({
  rpoHours: fc.integer({ min: 1, max: 72 }),
  regionRpoHours: fc.option(fc.integer({ min: 1, max: 72 }), { nil: undefined }),
  disruptions: fc.subarray(
    [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    { minLength: 1 },
  ),
  pit: fc.integer({ min: 1, max: 35 }),
  daily: fc.integer({ min: 0, max: 60 }),
  weekly: fc.integer({ min: 0, max: 10 }),
  monthly: fc.integer({ min: 0, max: 36 }),
  yearly: fc.integer({ min: 0, max: 10 }),
}).map(p => RecoveryObjective.of({
  name: 'prop',
  rpo: Period.hours(p.rpoHours),
  rto: Period.hours(24),
  disruptions: p.disruptions,
  perDisruption: p.regionRpoHours !== undefined && p.disruptions.includes(Disruption.REGION_OUTAGE)
    ? [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(p.regionRpoHours) }] : undefined,
  retention: Retention.of({ pointInTime: Period.days(p.pit), daily: p.daily, weekly: p.weekly, monthly: p.monthly, yearly: p.yearly }),
}));

const CONTEXT = { resourceName: 'Stack/Res', region: 'us-east-1', secondaryRegion: 'us-west-2', backupAccount: '222222222222' };

function checkRules(plan: ProtectionPlan): void {
  for (const rule of plan.backupRules) {
    if (rule.moveToColdStorageAfterDays !== undefined) {
      expect(rule.deleteAfterDays).toBeGreaterThanOrEqual(rule.moveToColdStorageAfterDays + Facts.BACKUP_COLD_MIN_DAYS);
    }
    for (const copy of rule.copies) {
      // a copy is kept as long as its source point, and cold storage leaves 90 days before deletion
      expect(copy.deleteAfterDays).toBe(rule.deleteAfterDays);
      if (copy.moveToColdStorageAfterDays !== undefined) {
        expect(copy.deleteAfterDays).toBeGreaterThanOrEqual(copy.moveToColdStorageAfterDays + Facts.BACKUP_COLD_MIN_DAYS);
      }
    }
    expect(rule.startWindowMinutes).toBe(Facts.BACKUP_MIN_START_WINDOW.toMinutes());
    expect(rule.completionWindowMinutes).toBeGreaterThan(0);
  }
}

describe('the backup plan builder (property-based)', () => {
  test('S3/RDS/EFS/EBS: copy rules keep cold storage + 90 days; the most frequent schedule plus its start window meets every RPO the snapshots carry; refusals are honest', () => {
    fc.assert(fc.property(objectives, fc.constantFrom(...KINDS), (objective, kind) => {
      let plan: ProtectionPlan;
      try {
        plan = planBackupResource(objective, kind, CONTEXT);
      } catch (e) {
        if (!DrkitError.isDrkitError(e)) throw e;
        // refused only when some carried RPO is below the hourly floor (1h + 1h start window)
        expect([DrkitErrorCode.RPO_UNACHIEVABLE, DrkitErrorCode.SCHEDULE_EXCEEDS_RPO]).toContain(e.code);
        expect(objective.targets.some(t => carried(kind, t.disruption) && t.rpo.toHours() < 1 + START_HOURS)).toBe(true);
        return;
      }
      checkRules(plan);
      const fastest = Math.min(...plan.backupRules.map(r => r.intervalHours));
      for (const t of objective.targets) {
        if (carried(kind, t.disruption)) expect(fastest + START_HOURS).toBeLessThanOrEqual(t.rpo.toHours());
      }
      const r = objective.retention;
      const longest = Math.max(r.daily, r.weekly * 7, r.monthly * 31, r.yearly * 366, 1);
      expect(Math.max(...plan.backupRules.map(x => x.deleteAfterDays))).toBeGreaterThanOrEqual(longest);
      if (objective.covers(Disruption.REGION_OUTAGE)) expect(plan.backupRules.every(x => x.copies.some(c => c.region === 'us-west-2'))).toBe(true);
      if (objective.covers(Disruption.ACCOUNT_COMPROMISE)) expect(plan.backupRules.every(x => x.copies.some(c => c.account === '222222222222'))).toBe(true);
    }), { numRuns: 200 });
  });

  test('the table planner and the resource planner give the same rules for the same carried RPOs (so they share one plan)', () => {
    fc.assert(fc.property(objectives, objective => {
      const regionOnly = RecoveryObjective.of({ ...objective.toJson() && {}, name: 'p', rpo: Period.hours(24), rto: Period.hours(24), disruptions: objective.disruptions.filter(d => d !== Disruption.ACCOUNT_COMPROMISE && d !== Disruption.DATA_CORRUPTION).concat([Disruption.DATA_CORRUPTION]), retention: objective.retention });
      let table: ProtectionPlan; let bucket: ProtectionPlan;
      try {
        table = Planner.dynamoDbTable(regionOnly, CONTEXT);
        bucket = planBackupResource(regionOnly, ResourceKind.S3_BUCKET, CONTEXT);
      } catch (e) {
        if (DrkitError.isDrkitError(e)) return;
        throw e;
      }
      expect(bucket.backupRules).toEqual(table.backupRules);
      checkRules(table);
    }), { numRuns: 100 });
  });

  test('an RDS corruption RPO under the 5-minute PITR floor is refused with DRK010', () => {
    const objective = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(2), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
    try {
      planBackupResource(objective, ResourceKind.RDS_CLUSTER, CONTEXT);
      throw new Error('expected a refusal');
    } catch (e: any) {
      expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
      expect(e.message).toContain('cannot be met for database cluster Stack/Res (objective "tight")');
    }
  });
});
