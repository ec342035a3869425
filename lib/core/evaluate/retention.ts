import { Disruption, RecoveryObjective } from '../objective';
import { formatSeconds } from '../period';
import { ExtraGap } from './family';

/**
 * The objective's retention checked against every mechanism of a resource, as it means in the
 * constructs (issue 14, point 11):
 *
 * - the point-in-time window (`retention.pointInTime`, `drkit report --pitr`) is met by a
 *   point-in-time mechanism (DynamoDB PITR, RDS/Aurora automated backups, AWS Backup continuous
 *   backup, S3 object versions, ...) that goes back that far; a resource with no point-in-time
 *   mechanism at all has its scheduled restore points stand in for it (their RPO is judged by the
 *   corruption row). A window longer than every point-in-time mechanism of the resource type can
 *   keep (35 days for DynamoDB and RDS) is reported as impossible for the mechanism.
 * - kept restore points (`retention.daily/weekly/monthly/yearly`, `drkit report --keep`) are
 *   matched per frequency: `daily=30` needs restore points taken at least daily and kept at least
 *   30 days (a point-in-time window of 30 days or more does), `monthly=12` restore points taken
 *   at least monthly and kept 12 x 31 days. A plan with only monthly rules does not satisfy
 *   `daily=30`.
 */

/** One set of restore points of a resource, as the retention check reads it. */
export interface KeptPoints {
  /** The mechanism and where, for people (`RDS automated backups`, `AWS Backup plan p rule Daily`). */
  readonly what: string;
  /** Restores to any second of its window (PITR, continuous backup, object versions). */
  readonly pointInTime: boolean;
  /** Seconds between two restore points (0 for point-in-time); undefined when the schedule cannot be read. */
  readonly intervalSeconds?: number;
  /** Days each restore point is kept; undefined: until deleted. */
  readonly days?: number;
  /** The setting that keeps them longer, for fixes (`BackupRetentionPeriod`). */
  readonly setting: string;
  /**
   * The longest this mechanism keeps restore points, in days, when it has a bound (35 for PITR).
   * @default - no bound
   */
  readonly maxDays?: number;
}

/** The longest point-in-time window any mechanism of a resource type keeps, and its source. */
export interface PitrLimit {
  /** The mechanisms, for people (`DynamoDB point-in-time recovery`). */
  readonly what: string;
  /** Days. */
  readonly days: number;
  /** Source URL. */
  readonly source: string;
}

/** A frequency of kept restore points: its name, the days one count keeps, and the longest interval that qualifies. */
interface Tier {
  readonly name: 'daily' | 'weekly' | 'monthly' | 'yearly';
  readonly adverb: string;
  readonly days: number;
  readonly intervalSeconds: number;
}

const DAY = 86400;

/**
 * The tiers, with the day counts the planners use (a month 31 days, a year 366). The interval
 * that qualifies is how drkit reads the matching AWS Backup schedule: a monthly cron is read as
 * at most 31 days apart, a yearly one as 12 x 31 days.
 */
const TIERS: Tier[] = [
  { name: 'daily', adverb: 'daily', days: 1, intervalSeconds: DAY },
  { name: 'weekly', adverb: 'weekly', days: 7, intervalSeconds: 7 * DAY },
  { name: 'monthly', adverb: 'monthly', days: 31, intervalSeconds: 31 * DAY },
  { name: 'yearly', adverb: 'yearly', days: 366, intervalSeconds: 12 * 31 * DAY },
];

const FOREVER = Number.POSITIVE_INFINITY;

function daysOf(k: KeptPoints): number {
  return k.days === undefined ? FOREVER : k.days;
}

function longest(list: KeptPoints[]): KeptPoints | undefined {
  return [...list].sort((a, b) => daysOf(b) - daysOf(a))[0];
}

function shown(days: number): string {
  return days === FOREVER ? 'until deleted' : `${days} days`;
}

/** What a resource without point-in-time recovery has instead, for people. */
function pitDescription(best: KeptPoints): string {
  return best.days === undefined
    ? `no point-in-time recovery (restore points of ${best.what} are kept until deleted)`
    : `restore points go back ${best.days} days (${best.what})`;
}

/** Gaps of the objective's retention against the restore points a resource keeps. */
export function retentionGaps(objective: RecoveryObjective | undefined, kept: KeptPoints[], limit?: PitrLimit): ExtraGap[] {
  if (!objective || !objective.covers(Disruption.DATA_CORRUPTION)) return [];
  // No restore point at all is reported as unprotected against corruption already.
  if (kept.length === 0) return [];
  const out: ExtraGap[] = [];
  const r = objective.retention;
  const disruption = Disruption.DATA_CORRUPTION;

  // The point-in-time window.
  const want = r.pointInTimeDays;
  const pit = kept.filter(k => k.pointInTime);
  const impossible = limit !== undefined && want > limit.days;
  const beyond = impossible ? `, more than ${limit!.what} can keep (at most ${limit!.days} days)` : '';
  const impossibleFix = impossible
    ? `point-in-time recovery goes back at most ${limit!.days} days with ${limit!.what} (${limit!.source}): ask for a point-in-time window of ${limit!.days} days or less (retention.pointInTime, drkit report --pitr), and keep older restore points with daily, weekly, monthly or yearly counts (retention.daily/weekly/monthly/yearly, drkit report --keep), which AWS Backup keeps`
    : '';
  if (pit.length > 0) {
    const best = longest(pit)!;
    if (daysOf(best) < want) {
      // The longest window that can reach the objective is the one to lengthen.
      const fitting = longest(pit.filter(k => k.maxDays === undefined || k.maxDays >= want));
      out.push({
        disruption,
        problem: `the point-in-time window is ${best.days} days (${best.what}), but the objective asks for a point-in-time window of ${want} days${beyond}`,
        fix: impossible ? impossibleFix
          : fitting ? `set ${fitting.setting} to ${want}`
            : `keep point-in-time recovery for ${want} days: ${pit.map(k => `${k.what} keeps at most ${k.maxDays} days`).join(', ')}`,
      });
    }
  } else {
    // Scheduled restore points stand in for a point-in-time window (the corruption row judges their
    // RPO), but never for one longer than any point-in-time mechanism of the type keeps: the
    // constructs refuse that objective.
    const best = longest(kept)!;
    if (daysOf(best) < want || impossible) {
      out.push({
        disruption,
        problem: `${pitDescription(best)}, but the objective asks for a point-in-time window of ${want} days${beyond}`,
        fix: impossible ? impossibleFix : `keep restore points for ${want} days (${best.setting})`,
      });
    }
  }

  // Kept restore points, per frequency.
  for (const tier of TIERS) {
    const count = r[tier.name];
    if (!count) continue;
    const need = count * tier.days;
    const eligible = kept.filter(k => k.pointInTime || (k.intervalSeconds !== undefined && k.intervalSeconds <= tier.intervalSeconds));
    if (eligible.some(k => daysOf(k) >= need)) continue;
    const asked = `the objective keeps ${tier.name}=${count} (${tier.name} restore points for ${need} days)`;
    const addRule = `add an AWS Backup rule that runs at least ${tier.adverb} and keeps its recovery points ${need} days (Lifecycle.DeleteAfterDays ${need})`;
    const best = longest(eligible);
    if (best) {
      const longer = longest(eligible.filter(k => k.maxDays === undefined || k.maxDays >= need));
      out.push({
        disruption,
        problem: `${tier.name} restore points go back ${shown(daysOf(best))} (${best.what}), but ${asked}`,
        fix: longer ? `set ${longer.setting} to ${need}` : addRule,
      });
    } else {
      const others = kept.filter(k => k.intervalSeconds !== undefined)
        .map(k => `${k.what} every ${formatSeconds(k.intervalSeconds!)}`);
      out.push({
        disruption,
        problem: `no restore point is taken at least ${tier.adverb}${others.length ? ` (${others.join('; ')})` : ''}, but ${asked}`,
        fix: addRule,
      });
    }
  }
  return out;
}
