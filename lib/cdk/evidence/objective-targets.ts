import { Disruption, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';

// Internal helpers: which RPO and RTO of an objective a runtime check measures.
// Not exported from the package (jsii ignores free functions, and these are not API).

/** The shortest of `periods`. */
function shortest(periods: Period[]): Period {
  return periods.reduce((a, b) => (b.isShorterThan(a) ? b : a));
}

/**
 * The RPO that recovery points in the local vault must meet: the tightest RPO among the
 * in-region disruptions (data corruption, AZ outage); the objective's `rpo` when neither
 * is in scope.
 */
export function localRpo(objective: RecoveryObjective): Period {
  const local = objective.targets.filter(t => t.disruption === Disruption.DATA_CORRUPTION || t.disruption === Disruption.AZ_OUTAGE);
  return local.length ? shortest(local.map(t => t.rpo)) : objective.rpo;
}

/**
 * The RTO a restore job must meet: the tightest RTO among the disruptions that are
 * recovered by restoring a recovery point (corruption, region outage, account compromise).
 * An AZ outage is usually ridden out by multi-AZ storage, not by a restore, so it counts
 * only when it is the sole disruption.
 */
export function restoreRto(objective: RecoveryObjective): Period {
  const restored = objective.targets.filter(t => t.disruption !== Disruption.AZ_OUTAGE);
  const list = restored.length ? restored : objective.targets;
  return shortest(list.map(t => t.rto));
}

/** The tightest RPO and RTO over every disruption in scope. */
export function tightest(objective: RecoveryObjective): { rpo: Period; rto: Period } {
  const ts = objective.targets;
  return { rpo: shortest(ts.map(t => t.rpo)), rto: shortest(ts.map(t => t.rto)) };
}
