import { BoundKind, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, RecoveryObjective } from '../objective';
import { Period } from '../period';
import { AchievedTarget } from '../plan';

/** One line of a recovery report: how one disruption is covered. */
export interface CloudReportEntry {
  /** The disruption. */
  readonly disruption: string;
  /** Titles of the mechanisms that cover it, joined with ` + ` (`none` when uncovered). */
  readonly mechanism: string;
  /** Ids of those mechanisms. */
  readonly mechanismIds: string[];
  /**
   * Worst-case RPO in seconds, when bounded.
   * @default - no bound (none published)
   */
  readonly rpoSeconds?: number;
  /** How the RPO is established: documented, typical, estimated or none. */
  readonly rpoKind: string;
  /**
   * RTO in seconds, when bounded.
   * @default - no bound (none published)
   */
  readonly rtoSeconds?: number;
  /** How the RTO is established: documented, typical, estimated or none. */
  readonly rtoKind: string;
  /**
   * The RPO is a lower bound ("at least"): the true worst case is longer by parts no source
   * bounds, which the basis names.
   * @default false
   */
  readonly rpoIsLowerBound?: boolean;
  /**
   * The RTO is a lower bound ("at least"), with no published upper bound.
   * @default false
   */
  readonly rtoIsLowerBound?: boolean;
  /** Where the figures are documented. */
  readonly sources: string[];
  /** How the figures were derived. */
  readonly basis: string;
}

/** A storage tier transition after a number of days, with the tier's minimum storage duration. */
export interface TierStep {
  /** Name of the tier as the cloud spells it. */
  readonly tier: string;
  /** Days after creation (or after becoming noncurrent) when the object moves. */
  readonly afterDays: number;
  /** The tier's minimum storage duration in days. */
  readonly minDays: number;
  /** Rank of the tier, colder is higher. */
  readonly rank: number;
}

/**
 * Checks a chain of tier transitions and an optional expiration against the tiers'
 * minimum storage durations: an object stays in each tier at least that tier's minimum.
 * Internal helper shared by the GCP and Azure planners.
 */
export function checkTierChain(input: string, steps: TierStep[], expireAfterDays: number | undefined, source: string): void {
  const sorted = [...steps].sort((a, b) => a.afterDays - b.afterDays);
  for (const s of sorted) {
    if (!Number.isInteger(s.afterDays) || s.afterDays < 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${input}\` moves objects to ${s.tier} after ${s.afterDays} days: days must be a whole number of 0 or more; fix the transition`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.rank <= prev.rank) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${input}\` moves objects to ${cur.tier} after ${cur.afterDays} days, after ${prev.tier} at ${prev.afterDays} days: each transition must go to a colder class than the one before; order the transitions from warm to cold`);
    }
    const stay = cur.afterDays - prev.afterDays;
    if (stay < prev.minDays) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${input}\` keeps objects in ${prev.tier} for ${stay} days (from day ${prev.afterDays} to day ${cur.afterDays}), but ${prev.tier} has a minimum storage duration of ${prev.minDays} days (${source}); move to ${cur.tier} at day ${prev.afterDays + prev.minDays} or later`);
    }
  }
  if (expireAfterDays !== undefined) {
    if (!Number.isInteger(expireAfterDays) || expireAfterDays < 1) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${input}\` deletes objects after ${expireAfterDays} days: use a whole number of days, 1 or more`);
    }
    const last = sorted[sorted.length - 1];
    if (last) {
      if (expireAfterDays <= last.afterDays) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`${input}\` deletes objects after ${expireAfterDays} days, before or when they move to ${last.tier} at day ${last.afterDays}: delete after day ${last.afterDays + last.minDays} or later, or drop the transition`);
      }
      const stay = expireAfterDays - last.afterDays;
      if (stay < last.minDays) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`${input}\` deletes objects ${stay} days after they move to ${last.tier} (day ${last.afterDays} to day ${expireAfterDays}), but ${last.tier} has a minimum storage duration of ${last.minDays} days (${source}); delete at day ${last.afterDays + last.minDays} or later`);
      }
    }
  }
}

/**
 * Refuses a lifecycle expiration that deletes data the objective still asks to keep.
 * Internal helper.
 */
export function checkExpiryAgainstObjective(input: string, days: number | undefined, needDays: number, what: string,
  objective: RecoveryObjective): void {
  if (days !== undefined && days < needDays) {
    throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
      `\`${input}\` deletes objects after ${days} days, but objective "${objective.name}" keeps ${what} for ${needDays} days: set it to ${needDays} days or more, or shorten the objective's retention`);
  }
}

/** Refuses an RPO below a mechanism's floor. Internal helper. */
export function refuseRpo(rpo: Period, disruption: Disruption, mechanism: Mechanism, resource: string, objective: RecoveryObjective,
  note: string): never {
  const floor = mechanism.rpo.value!;
  throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
    `\`rpo\` ${rpo.toHuman()} against ${disruptionTitle(disruption)} cannot be met for ${resource} (objective "${objective.name}"): ${mechanism.title} is the tightest mechanism for it and ${mechanism.rpo.statement}, so its floor is ${floor.toHuman()} (${mechanism.rpo.source})${note}. Raise the rpo for ${disruptionTitle(disruption)} to at least ${floor.toHuman()}`);
}

/** Builds report lines from achieved targets and the mechanisms they name. Internal helper. */
export function reportFrom(achieved: AchievedTarget[], mechanisms: Mechanism[]): CloudReportEntry[] {
  return achieved.map(a => {
    const used = a.mechanisms.map(id => mechanisms.find(m => m.id === id)).filter((m): m is Mechanism => m !== undefined);
    const sources: string[] = [];
    for (const m of used) {
      for (const s of [m.rpo.source, m.rto.source]) if (!sources.includes(s)) sources.push(s);
    }
    return {
      disruption: a.disruption,
      mechanism: used.length ? used.map(m => m.title).join(' + ') : 'none',
      mechanismIds: [...a.mechanisms],
      rpoSeconds: a.rpoSeconds,
      rpoKind: a.rpoKind,
      rtoSeconds: a.rtoSeconds,
      rtoKind: a.rtoKind,
      ...(a.rpoIsLowerBound ? { rpoIsLowerBound: true } : {}),
      ...(a.rtoIsLowerBound ? { rtoIsLowerBound: true } : {}),
      sources,
      basis: a.basis,
    };
  });
}

/** A disruption in scope that nothing covers (yet), with the reason. Internal helper. */
export function notCovered(disruption: Disruption, basis: string): AchievedTarget {
  return { disruption, rpoKind: BoundKind.NONE, rtoKind: BoundKind.NONE, mechanisms: [], basis };
}

/** An achieved target from a mechanism's own RPO and RTO facts. Internal helper. */
export function achievedBy(disruption: Disruption, mechanism: Mechanism, basis?: string): AchievedTarget {
  return {
    disruption,
    rpoSeconds: mechanism.rpo.value?.totalSeconds,
    rpoKind: mechanism.rpo.kind,
    rtoSeconds: mechanism.rto.value?.totalSeconds,
    rtoKind: mechanism.rto.kind,
    mechanisms: [mechanism.id],
    basis: basis ?? `${mechanism.title}: ${mechanism.rpo.statement} (${mechanism.rpo.source}); recovery: ${mechanism.rto.statement} (${mechanism.rto.source})`,
  };
}

/** Checks a resource name given to a planner. Internal helper. */
export function requireName(name: string | undefined): string {
  if (!name || typeof name !== 'string') {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'the plan context needs a `resourceName`');
  }
  return name;
}
