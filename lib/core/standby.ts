import { BoundKind, Fact, Facts } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { Disruption, RecoveryObjective } from './objective';
import { checkConcreteNumber, formatSeconds, Period } from './period';
import { Planner } from './plan';

/** Properties of a disaster-recovery strategy. */
export interface DrStrategyProps {
  /** Stable id, for example `pilot-light`. */
  readonly id: string;
  /** Human title. */
  readonly title: string;
  /** Cost rank: a higher rank keeps more running in the recovery region. Automatic selection tries ranks in order. */
  readonly rank: number;
  /** Time to bring the recovery region's compute to production capacity, with its source. */
  readonly activation: Fact;
  /** Whether the strategy keeps live data replicas (global table replicas, read replicas, global databases). */
  readonly liveReplicas: boolean;
  /** Whether both regions take writes (multi-site active/active). */
  readonly activeActive: boolean;
}

/**
 * A disaster-recovery strategy from the AWS whitepaper's bands. Enum-like: use a static member,
 * or construct your own with its activation figure and source.
 */
export class DrStrategy {
  /** No standby: restore backups (copied to the recovery region) after the event. RTO in hours. */
  public static readonly BACKUP_AND_RESTORE = new DrStrategy({
    id: 'backup-and-restore',
    title: 'backup and restore',
    rank: 0,
    activation: Facts.DR_BACKUP_AND_RESTORE_ACTIVATION,
    liveReplicas: false,
    activeActive: false,
  });

  /** Live data replicas, compute off until needed. RTO in tens of minutes. */
  public static readonly PILOT_LIGHT = new DrStrategy({
    id: 'pilot-light',
    title: 'pilot light',
    rank: 1,
    activation: Facts.DR_PILOT_LIGHT_ACTIVATION,
    liveReplicas: true,
    activeActive: false,
  });

  /** Live data replicas and a scaled-down running copy. RTO in minutes. */
  public static readonly WARM_STANDBY = new DrStrategy({
    id: 'warm-standby',
    title: 'warm standby',
    rank: 2,
    activation: Facts.DR_WARM_STANDBY_ACTIVATION,
    liveReplicas: true,
    activeActive: false,
  });

  /** Live data replicas and a full-capacity copy that takes traffic on failover. */
  public static readonly HOT_STANDBY = new DrStrategy({
    id: 'hot-standby',
    title: 'hot standby',
    rank: 3,
    activation: Facts.DR_HOT_ACTIVATION,
    liveReplicas: true,
    activeActive: false,
  });

  /** Both regions serve reads and writes (DynamoDB global tables, S3). */
  public static readonly MULTI_SITE_ACTIVE_ACTIVE = new DrStrategy({
    id: 'multi-site-active-active',
    title: 'multi-site active/active',
    rank: 4,
    activation: Facts.DR_HOT_ACTIVATION,
    liveReplicas: true,
    activeActive: true,
  });

  /** The strategies automatic selection tries, cheapest first (active/active only when asked). */
  public static readonly AUTOMATIC: DrStrategy[] = [
    DrStrategy.BACKUP_AND_RESTORE, DrStrategy.PILOT_LIGHT, DrStrategy.WARM_STANDBY, DrStrategy.HOT_STANDBY,
  ];

  /** Stable id. */
  public readonly id: string;
  /** Human title. */
  public readonly title: string;
  /** Cost rank. */
  public readonly rank: number;
  /** Activation figure. */
  public readonly activation: Fact;
  /** Keeps live replicas. */
  public readonly liveReplicas: boolean;
  /** Both regions take writes. */
  public readonly activeActive: boolean;

  constructor(props: DrStrategyProps) {
    this.id = props.id;
    this.title = props.title;
    this.rank = props.rank;
    this.activation = props.activation;
    this.liveReplicas = props.liveReplicas;
    this.activeActive = props.activeActive;
  }
}

/** The kinds of standby data drkit estimates failover for. */
export enum StandbyDataKind {
  /** A DynamoDB global table replica (every replica takes writes). */
  DYNAMODB_GLOBAL_TABLE = 'dynamodb-global-table',
  /** An RDS cross-region read replica (promoted on failover). */
  RDS_READ_REPLICA = 'rds-read-replica',
  /** An Aurora global database secondary cluster (promoted on failover). */
  AURORA_GLOBAL_DATABASE = 'aurora-global-database',
  /** An S3 replica bucket (data already there). */
  S3_REPLICA = 's3-replica',
}

/** One data resource on the standby side. */
export interface StandbyData {
  /** Name, for messages and reports. */
  readonly name: string;
  /** Kind. */
  readonly kind: StandbyDataKind;
}

/** Route 53 health-check settings that set detection time and DNS switch-over. */
export interface FailoverDetection {
  /** Health-check request interval in seconds: 10 or 30. */
  readonly requestIntervalSeconds: number;
  /** Consecutive failures before the endpoint is unhealthy: 1-10. */
  readonly failureThreshold: number;
  /** TTL of the failover records, in seconds. */
  readonly ttlSeconds: number;
}

/** One term of an RTO estimate. */
export interface RtoTerm {
  /** `detection`, `promotion`, `activation` or `dns`. */
  readonly name: string;
  /**
   * Its length in seconds.
   * @default - no published bound
   */
  readonly seconds?: number;
  /** How it is established (`documented`, `typical`, `estimated`, `none`). */
  readonly kind: string;
  /** Where the figure comes from. */
  readonly basis: string;
}

/** An RTO estimate for one strategy: the sum of its terms, with its basis. */
export interface RtoEstimate {
  /** Strategy id. */
  readonly strategy: string;
  /** Terms, in failover order. */
  readonly terms: RtoTerm[];
  /** Sum of the bounded terms, in seconds (a lower bound when `complete` is false). */
  readonly seconds: number;
  /** True when every term has a figure. */
  readonly complete: boolean;
  /** Weakest kind among the terms (`documented` < `typical` < `estimated` < `none`). */
  readonly kind: string;
  /** Name of the largest bounded term. */
  readonly dominant: string;
}

/** Input to the standby planner. */
export interface StandbyInput {
  /** Name of the standby (a construct path), for messages. */
  readonly scopeName: string;
  /** The data on the standby side. */
  readonly data: StandbyData[];
  /**
   * Route 53 health checks and failover records, when the endpoints are given.
   * @default - no health check: detection and switch-over are manual, with no bound
   */
  readonly detection?: FailoverDetection;
  /**
   * A strategy chosen by the user.
   * @default - the cheapest strategy whose estimate meets the RTO (with live replicas when the
   * region-outage RPO needs replication)
   */
  readonly strategy?: DrStrategy;
}

/** The chosen strategy and its estimate. */
export interface StandbyPlan {
  /** The strategy. */
  readonly strategy: DrStrategy;
  /** True when the user chose it. */
  readonly forced: boolean;
  /** The RTO checked against, in seconds (region outage, or the objective's rto). */
  readonly rtoSeconds: number;
  /** The RPO replication lag is alarmed against, in seconds. */
  readonly rpoSeconds: number;
  /** The estimate of the chosen strategy. */
  readonly estimate: RtoEstimate;
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

function isRelational(d: StandbyData): boolean {
  return d.kind === StandbyDataKind.RDS_READ_REPLICA || d.kind === StandbyDataKind.AURORA_GLOBAL_DATABASE;
}

const KIND_ORDER = [BoundKind.DOCUMENTED, BoundKind.TYPICAL, BoundKind.ESTIMATED, BoundKind.NONE] as string[];

/**
 * Chooses a disaster-recovery strategy from the objective's RTO and estimates its RTO:
 * detection (health-check interval x failure threshold) + promotion of the data +
 * activation of the recovery region (the upper end of the strategy's whitepaper band, never
 * its lower end) + DNS TTL. When the region-outage RPO is below what backups copied to another
 * region can give, only strategies with live replicas are candidates. Pure.
 */
export class StandbyPlanner {
  /** Validates Route 53 health-check settings (interval 10 or 30 s, threshold 1-10, TTL >= 0). */
  public static checkDetection(d: FailoverDetection, where: string): void {
    checkConcreteNumber('requestInterval', d.requestIntervalSeconds, `the health check of ${where}`);
    checkConcreteNumber('failureThreshold', d.failureThreshold, `the health check of ${where}`);
    checkConcreteNumber('ttl', d.ttlSeconds, `the failover records of ${where}`);
    if (!Facts.ROUTE53_REQUEST_INTERVALS.includes(d.requestIntervalSeconds)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `the health-check \`requestInterval\` of ${where} must be 10 or 30 seconds (${Facts.ROUTE53_SOURCE}), but got ${d.requestIntervalSeconds} seconds`);
    }
    if (!Number.isInteger(d.failureThreshold) || d.failureThreshold < 1 || d.failureThreshold > Facts.ROUTE53_MAX_FAILURE_THRESHOLD) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `the health-check \`failureThreshold\` of ${where} must be a whole number from 1 to ${Facts.ROUTE53_MAX_FAILURE_THRESHOLD} (${Facts.ROUTE53_SOURCE}), but got ${d.failureThreshold}`);
    }
    if (!Number.isInteger(d.ttlSeconds) || d.ttlSeconds < 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `the failover record \`ttl\` of ${where} must be a whole number of seconds, 0 or more, but got ${d.ttlSeconds}`);
    }
  }

  /** The RTO estimate of strategy `candidate` for `input`. */
  public static estimate(candidate: DrStrategy, input: StandbyInput): RtoEstimate {
    const terms: RtoTerm[] = [];
    const d = input.detection;
    if (d) {
      StandbyPlanner.checkDetection(d, input.scopeName);
      terms.push({
        name: 'detection',
        seconds: d.requestIntervalSeconds * d.failureThreshold,
        kind: BoundKind.DOCUMENTED,
        basis: `Route 53 health check every ${d.requestIntervalSeconds} s, unhealthy after ${d.failureThreshold} failure(s) (${Facts.ROUTE53_SOURCE})`,
      });
    } else {
      terms.push({ name: 'detection', kind: BoundKind.NONE, basis: 'no health check: failure is detected by your own monitoring, with no bound; give `endpoints` so Route 53 detects it' });
    }
    terms.push(StandbyPlanner.promotion(candidate, input));
    terms.push({
      name: 'activation',
      seconds: candidate.activation.value?.totalSeconds,
      kind: candidate.activation.kind,
      basis: `${candidate.title}: ${candidate.activation.statement} (${candidate.activation.source})`,
    });
    if (d) {
      terms.push({ name: 'dns', seconds: d.ttlSeconds, kind: BoundKind.DOCUMENTED, basis: `failover records with a TTL of ${d.ttlSeconds} s: resolvers may cache the old answer that long` });
    } else {
      terms.push({ name: 'dns', kind: BoundKind.NONE, basis: 'no failover records: clients are switched by hand, with no bound' });
    }
    let seconds = 0;
    let dominant = terms[0].name;
    let top = -1;
    let kind = 0;
    for (const t of terms) {
      kind = Math.max(kind, KIND_ORDER.indexOf(t.kind));
      if (t.seconds !== undefined) {
        seconds += t.seconds;
        if (t.seconds > top) {
          top = t.seconds;
          dominant = t.name;
        }
      }
    }
    return {
      strategy: candidate.id,
      terms,
      seconds,
      complete: terms.every(t => t.seconds !== undefined),
      kind: KIND_ORDER[kind],
      dominant,
    };
  }

  /**
   * Chooses the strategy (or checks the user's) against the objective's RTO for a region
   * outage. Refuses with RTO_UNACHIEVABLE when the bounded part of the estimate exceeds it.
   */
  public static plan(objective: RecoveryObjective, input: StandbyInput): StandbyPlan {
    const advisories: string[] = [];
    if (!input.scopeName) throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'the standby input needs a `scopeName`');
    const target = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;
    if (!target) {
      advisories.push(`objective "${objective.name}" does not list region outage among its disruptions: the standby of ${input.scopeName} is checked against its overall rto ${objective.rto.toHuman()}`);
    }
    const rto = (target?.rto ?? objective.rto).totalSeconds;
    const rpo = (target?.rpo ?? objective.rpo).totalSeconds;

    const forced = input.strategy;
    // Backups copied to another region are at least an hourly interval plus the start window old:
    // a tighter region-outage RPO needs a live replica.
    const needsReplica = target !== undefined && Planner.intervalFor(target.rpo) === undefined;
    if (needsReplica && forced && !forced.liveReplicas) {
      const floor = Facts.BACKUP_MIN_INTERVAL.plus(Facts.BACKUP_MIN_START_WINDOW);
      throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
        `\`rpo\` ${target!.rpo.toHuman()} against region outage cannot be met by ${forced.title} for ${input.scopeName} (objective "${objective.name}"): ${forced.title} keeps no live replica, and a backup copied to another region is at least ${floor.toHuman()} old (hourly schedule plus the start window, ${Facts.BACKUP_PLAN_SOURCE}) plus the copy time; choose a strategy with live replicas (DrStrategy.PILOT_LIGHT, the cheapest one) or raise the region-outage rpo to at least ${floor.toHuman()}`);
    }
    if (forced?.activeActive) {
      const relational = input.data.filter(isRelational);
      if (relational.length) {
        throw new DrkitError(DrkitErrorCode.UNSUPPORTED_MECHANISM,
          `${forced.title} for ${input.scopeName} needs writes in both regions, but ${relational.map(x => x.name).join(', ')} ${relational.length === 1 ? 'has' : 'have'} a single writer region (an RDS read replica or Aurora global secondary is read-only until promoted); use DrStrategy.HOT_STANDBY for the databases, or keep only DynamoDB global tables and S3 in this standby`);
      }
    }

    let chosen: DrStrategy;
    let estimate: RtoEstimate;
    if (forced) {
      chosen = forced;
      estimate = StandbyPlanner.estimate(forced, input);
      if (estimate.seconds > rto) StandbyPlanner.refuse(objective, input, rto, estimate, forced, true);
    } else {
      const candidates = DrStrategy.AUTOMATIC.filter(s => s.liveReplicas || !needsReplica);
      const fits = candidates.map(s => ({ s, e: StandbyPlanner.estimate(s, input) })).find(x => x.e.seconds <= rto);
      if (!fits) {
        const hot = StandbyPlanner.estimate(DrStrategy.HOT_STANDBY, input);
        StandbyPlanner.refuse(objective, input, rto, hot, DrStrategy.HOT_STANDBY, false);
      }
      chosen = fits!.s;
      estimate = fits!.e;
    }
    if (!estimate.complete) {
      const open = estimate.terms.filter(t => t.seconds === undefined).map(t => t.name);
      advisories.push(`the RTO estimate of ${input.scopeName} (${chosen.title}) is at least ${formatSeconds(estimate.seconds)}; ${open.join(' and ')} ha${open.length === 1 ? 's' : 've'} no published bound: measure the real failover time with a drill or AWS Backup restore testing`);
    }
    return { strategy: chosen, forced: !!forced, rtoSeconds: rto, rpoSeconds: rpo, estimate, advisories };
  }

  private static promotion(strategy: DrStrategy, input: StandbyInput): RtoTerm {
    if (!strategy.liveReplicas) {
      const f = Facts.RESTORE_TIME_UNPUBLISHED;
      return { name: 'promotion', kind: f.kind, basis: `no live replica: data is restored from backups; ${f.statement} (${f.source})` };
    }
    // Promotions run in parallel: the slowest one counts; an unbounded one leaves the term unbounded.
    let seconds = 0;
    let kind = 0;
    let unbounded = false;
    const parts: string[] = [];
    for (const x of input.data) {
      const f = StandbyPlanner.promotionFact(x.kind);
      kind = Math.max(kind, KIND_ORDER.indexOf(f.kind));
      if (f.value === undefined) unbounded = true;
      else seconds = Math.max(seconds, f.value.totalSeconds);
      parts.push(`${x.name}: ${f.statement} (${f.source})`);
    }
    if (input.data.length === 0) parts.push('no data resources in this standby');
    return {
      name: 'promotion',
      seconds: unbounded ? undefined : seconds,
      kind: unbounded ? BoundKind.NONE : KIND_ORDER[kind],
      basis: parts.join('; '),
    };
  }

  private static promotionFact(kind: StandbyDataKind): Fact {
    switch (kind) {
      case StandbyDataKind.DYNAMODB_GLOBAL_TABLE: return Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER;
      case StandbyDataKind.RDS_READ_REPLICA: return Facts.RDS_REPLICA_PROMOTION;
      case StandbyDataKind.AURORA_GLOBAL_DATABASE: return Facts.AURORA_GLOBAL_DB_FAILOVER;
      case StandbyDataKind.S3_REPLICA:
        return { value: Period.seconds(0), kind: BoundKind.DOCUMENTED, statement: 'the data is already in the replica bucket: clients switch to it', source: Facts.S3_RTC_RPO.source };
    }
  }

  private static refuse(objective: RecoveryObjective, input: StandbyInput, rto: number, e: RtoEstimate,
    strategy: DrStrategy, forced: boolean): never {
    const dom = e.terms.find(t => t.name === e.dominant)!;
    const sum = e.terms.map(t => `${t.name} ${t.seconds === undefined ? 'unbounded' : formatSeconds(t.seconds)}`).join(' + ');
    const better = forced
      ? DrStrategy.AUTOMATIC.concat([DrStrategy.MULTI_SITE_ACTIVE_ACTIVE])
        .filter(s => s.rank > strategy.rank)
        .map(s => ({ s, e: StandbyPlanner.estimate(s, input) }))
        .find(x => x.e.seconds <= rto && !(x.s.activeActive && input.data.some(isRelational)))
      : undefined;
    const fix = better
      ? `use DrStrategy.${better.s.id.toUpperCase().replace(/-/g, '_')} (estimate ${formatSeconds(better.e.seconds)}) or raise the region-outage rto to at least ${formatSeconds(e.seconds)}`
      : `shorten the ${e.dominant} term${dom.name === 'detection' ? ' (a 10-second request interval or a lower failure threshold)' : dom.name === 'dns' ? ' (a lower TTL on the failover records)' : ''} or raise the region-outage rto to at least ${formatSeconds(e.seconds)}`;
    throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
      `\`rto\` ${Period.seconds(rto).toHuman()} against region outage cannot be met by ${strategy.title}${forced ? '' : ' (the fastest strategy drkit selects)'} for ${input.scopeName} (objective "${objective.name}"): the estimate is at least ${formatSeconds(e.seconds)} = ${sum}; the dominant term is ${e.dominant} ${formatSeconds(dom.seconds ?? 0)} (${dom.basis}); ${fix}`);
  }
}
