import { DrkitError, DrkitErrorCode } from './errors';
import { checkConcreteNumber, Period } from './period';

/**
 * A disruption a recovery objective must survive.
 */
export enum Disruption {
  /** Data corruption or accidental deletion: needs a point in time before the damage. Replicas do not help (deletes replicate). */
  DATA_CORRUPTION = 'corruption',
  /** Loss of one Availability Zone. */
  AZ_OUTAGE = 'az',
  /** Loss of a whole region: needs a copy in another region. */
  REGION_OUTAGE = 'region',
  /** Compromise of the account (ransomware, a stolen admin key): needs an immutable or off-account copy. */
  ACCOUNT_COMPROMISE = 'account',
}

/** Every disruption, in report order. */
export const ALL_DISRUPTIONS: Disruption[] = [
  Disruption.DATA_CORRUPTION,
  Disruption.AZ_OUTAGE,
  Disruption.REGION_OUTAGE,
  Disruption.ACCOUNT_COMPROMISE,
];

/** Human name of a disruption. */
export function disruptionTitle(d: Disruption): string {
  switch (d) {
    case Disruption.DATA_CORRUPTION: return 'data corruption / accidental deletion';
    case Disruption.AZ_OUTAGE: return 'AZ outage';
    case Disruption.REGION_OUTAGE: return 'region outage';
    case Disruption.ACCOUNT_COMPROMISE: return 'account compromise';
  }
}

/** Parses `corruption`, `az`, `region`, `account` (and a few synonyms). */
export function parseDisruption(text: string): Disruption {
  const t = String(text).trim().toLowerCase();
  const map: { [k: string]: Disruption } = {
    'corruption': Disruption.DATA_CORRUPTION,
    'data-corruption': Disruption.DATA_CORRUPTION,
    'deletion': Disruption.DATA_CORRUPTION,
    'az': Disruption.AZ_OUTAGE,
    'az-outage': Disruption.AZ_OUTAGE,
    'zone': Disruption.AZ_OUTAGE,
    'region': Disruption.REGION_OUTAGE,
    'region-outage': Disruption.REGION_OUTAGE,
    'account': Disruption.ACCOUNT_COMPROMISE,
    'account-compromise': Disruption.ACCOUNT_COMPROMISE,
    'ransomware': Disruption.ACCOUNT_COMPROMISE,
  };
  const d = map[t];
  if (!d) {
    throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
      `\`disruptions\` has an unknown value "${text}": use corruption, az, region or account`);
  }
  return d;
}

/** How restore points are protected from change or early deletion. */
export enum Immutability {
  /** No lock. */
  NONE = 'none',
  /** Governance mode: privileged principals can still remove the lock; suitable for trials. */
  GOVERNANCE = 'governance',
  /** Compliance mode: after the cooling-off period nobody, including the root user, can remove the lock or delete points early. */
  COMPLIANCE = 'compliance',
}

/** Properties of a retention schedule. */
export interface RetentionProps {
  /**
   * How far back a point-in-time restore can go (continuous backup / PITR window).
   * @default Period.days(35)
   */
  readonly pointInTime?: Period;
  /**
   * Number of daily restore points kept.
   * @default 7
   */
  readonly daily?: number;
  /**
   * Number of weekly restore points kept.
   * @default 0
   */
  readonly weekly?: number;
  /**
   * Number of monthly restore points kept.
   * @default 0
   */
  readonly monthly?: number;
  /**
   * Number of yearly restore points kept.
   * @default 0
   */
  readonly yearly?: number;
}

/**
 * A retention schedule: a point-in-time window plus grandfather-father-son restore points.
 */
export class Retention {
  /** A retention schedule from its parts. */
  public static of(props: RetentionProps = {}): Retention {
    return new Retention(props);
  }

  /** Point-in-time window in days. */
  public readonly pointInTimeDays: number;
  /** Daily restore points kept. */
  public readonly daily: number;
  /** Weekly restore points kept. */
  public readonly weekly: number;
  /** Monthly restore points kept. */
  public readonly monthly: number;
  /** Yearly restore points kept. */
  public readonly yearly: number;

  private constructor(props: RetentionProps) {
    const pit = props.pointInTime ?? Period.days(35);
    this.pointInTimeDays = Math.ceil(pit.toDays());
    if (this.pointInTimeDays < 1) {
      throw new DrkitError(DrkitErrorCode.INVALID_RETENTION,
        `\`retention.pointInTime\` must be at least 1 day, but got ${pit.toHuman()}: set it to 1 day or more`);
    }
    this.daily = checkCount('daily', props.daily ?? 7);
    this.weekly = checkCount('weekly', props.weekly ?? 0);
    this.monthly = checkCount('monthly', props.monthly ?? 0);
    this.yearly = checkCount('yearly', props.yearly ?? 0);
  }

  /** Days the oldest restore point must be kept for this schedule (the longest tier). */
  public get longestDays(): number {
    return Math.max(
      this.pointInTimeDays,
      this.daily,
      this.weekly * 7,
      this.monthly * 31,
      this.yearly * 366,
    );
  }

  /** One-line summary, for reports. */
  public toString(): string {
    const parts = [`${this.pointInTimeDays}d point-in-time`];
    if (this.daily) parts.push(`${this.daily} daily`);
    if (this.weekly) parts.push(`${this.weekly} weekly`);
    if (this.monthly) parts.push(`${this.monthly} monthly`);
    if (this.yearly) parts.push(`${this.yearly} yearly`);
    return parts.join(', ');
  }
}

function checkCount(name: string, value: number): number {
  checkConcreteNumber(`retention.${name}`, value);
  if (!Number.isInteger(value) || value < 0 || value > 36500) {
    throw new DrkitError(DrkitErrorCode.INVALID_RETENTION,
      `\`retention.${name}\` must be a whole number of restore points between 0 and 36500, but got ${value}`);
  }
  return value;
}

/** A tighter (or looser) RPO/RTO for one disruption. */
export interface DisruptionObjective {
  /** The disruption this applies to. */
  readonly disruption: Disruption;
  /**
   * RPO for this disruption.
   * @default - the objective's `rpo`
   */
  readonly rpo?: Period;
  /**
   * RTO for this disruption.
   * @default - the objective's `rto`
   */
  readonly rto?: Period;
}

/** Properties of a recovery objective. */
export interface RecoveryObjectiveProps {
  /** Recovery point objective: the most data, in time, that may be lost. */
  readonly rpo: Period;
  /** Recovery time objective: the longest time to restore service. */
  readonly rto: Period;
  /**
   * The disruptions that must be survived.
   * @default [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]
   */
  readonly disruptions?: Disruption[];
  /**
   * Retention: point-in-time window and restore points to keep.
   * @default - 35 days point-in-time and 7 daily restore points
   */
  readonly retention?: Retention;
  /**
   * How often scheduled backups (snapshots) are taken, when you need a specific cadence
   * (for example "6-hourly backups"). drkit checks it against the RPO of every disruption
   * that the scheduled backups are the only protection for.
   * @default - the longest standard interval that meets the RPO, and at least daily
   */
  readonly backupInterval?: Period;
  /**
   * A different RPO or RTO for some disruptions (as AWS Resilience Hub policies allow).
   * @default - the same `rpo` and `rto` for every disruption
   */
  readonly perDisruption?: DisruptionObjective[];
  /**
   * Lock restore points against change and early deletion.
   * @default Immutability.NONE
   */
  readonly immutability?: Immutability;
  /**
   * A name for reports.
   * @default - "rpo <rpo> / rto <rto>"
   */
  readonly name?: string;
}

/** Resolved RPO/RTO for one disruption. */
export interface DisruptionTarget {
  /** The disruption. */
  readonly disruption: Disruption;
  /** RPO for it. */
  readonly rpo: Period;
  /** RTO for it. */
  readonly rto: Period;
}

/**
 * What must be recoverable, to when, how fast, for how long, and after which disruptions.
 */
export class RecoveryObjective {
  /** An objective from its properties. */
  public static of(props: RecoveryObjectiveProps): RecoveryObjective {
    return new RecoveryObjective(props);
  }

  /**
   * An objective from the JSON that `toJson()` gives (as recorded in template metadata
   * under `drkit:objective`).
   */
  public static fromJson(json: any): RecoveryObjective {
    if (!json || typeof json !== 'object' || typeof json.rpoSeconds !== 'number' || typeof json.rtoSeconds !== 'number') {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        'an objective in JSON needs numeric `rpoSeconds` and `rtoSeconds` (the form RecoveryObjective.toJson() writes)');
    }
    const list: any[] = Array.isArray(json.disruptions) ? json.disruptions : [];
    const r = json.retention ?? {};
    return new RecoveryObjective({
      name: json.name,
      rpo: Period.seconds(json.rpoSeconds),
      rto: Period.seconds(json.rtoSeconds),
      disruptions: list.length ? list.map(d => parseDisruption(d.disruption ?? d)) : undefined,
      perDisruption: list
        .filter(d => typeof d === 'object' && (d.rpoSeconds !== json.rpoSeconds || d.rtoSeconds !== json.rtoSeconds))
        .map(d => ({ disruption: parseDisruption(d.disruption), rpo: Period.seconds(d.rpoSeconds), rto: Period.seconds(d.rtoSeconds) })),
      retention: Retention.of({
        pointInTime: r.pointInTimeDays !== undefined ? Period.days(r.pointInTimeDays) : undefined,
        daily: r.daily,
        weekly: r.weekly,
        monthly: r.monthly,
        yearly: r.yearly,
      }),
      backupInterval: typeof json.backupIntervalSeconds === 'number' ? Period.seconds(json.backupIntervalSeconds) : undefined,
      immutability: json.immutability,
    });
  }

  /** An objective from a tier preset. */
  public static fromTier(tier: RecoveryTier): RecoveryObjective {
    return new RecoveryObjective(tier.props);
  }

  /** Recovery point objective. */
  public readonly rpo: Period;
  /** Recovery time objective. */
  public readonly rto: Period;
  /** Disruptions to survive, in report order. */
  public readonly disruptions: Disruption[];
  /** Retention schedule. */
  public readonly retention: Retention;
  /** Requested scheduled-backup interval, if any. */
  public readonly backupInterval?: Period;
  /** Lock mode for restore points. */
  public readonly immutability: Immutability;
  /** Name for reports. */
  public readonly name: string;
  private readonly overrides: DisruptionObjective[];

  private constructor(props: RecoveryObjectiveProps) {
    if (!props || !(props.rpo instanceof Period) || !(props.rto instanceof Period)) {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        '`rpo` and `rto` are required and must be Periods, for example Period.minutes(30) and Period.hours(1)');
    }
    if (props.rpo.totalSeconds <= 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        `\`rpo\` must be greater than zero, but got ${props.rpo.toHuman()}: no native mechanism gives zero data loss; use the smallest RPO you need, for example Period.seconds(1) for synchronous-like replication`);
    }
    if (props.rto.totalSeconds <= 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        `\`rto\` must be greater than zero, but got ${props.rto.toHuman()}`);
    }
    this.rpo = props.rpo;
    this.rto = props.rto;
    const ds = props.disruptions ?? [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE];
    if (ds.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        '`disruptions` is empty: name at least one disruption to survive (corruption, az, region, account)');
    }
    for (const d of ds) {
      if (!ALL_DISRUPTIONS.includes(d)) {
        throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
          `\`disruptions\` has an unknown value "${d}": use Disruption.DATA_CORRUPTION, AZ_OUTAGE, REGION_OUTAGE or ACCOUNT_COMPROMISE`);
      }
    }
    this.disruptions = ALL_DISRUPTIONS.filter(d => ds.includes(d));
    this.retention = props.retention ?? Retention.of();
    if (props.backupInterval !== undefined && props.backupInterval.totalSeconds < 3600) {
      throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
        `\`backupInterval\` must be at least 1 hour (the shortest AWS Backup schedule), but got ${props.backupInterval.toHuman()}: use continuous backup or replication for tighter RPOs`);
    }
    this.backupInterval = props.backupInterval;
    this.immutability = props.immutability ?? Immutability.NONE;
    this.overrides = [...(props.perDisruption ?? [])];
    for (const o of this.overrides) {
      if (!this.disruptions.includes(o.disruption)) {
        throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
          `\`perDisruption\` sets an objective for "${o.disruption}", which is not among \`disruptions\` (${this.disruptions.join(', ')}): add it to \`disruptions\` or remove the override`);
      }
      for (const [k, v] of [['rpo', o.rpo], ['rto', o.rto]] as Array<[string, Period | undefined]>) {
        if (v !== undefined && v.totalSeconds <= 0) {
          throw new DrkitError(DrkitErrorCode.INVALID_OBJECTIVE,
            `\`perDisruption\` ${k} for "${o.disruption}" must be greater than zero, but got ${v.toHuman()}`);
        }
      }
    }
    this.name = props.name ?? `rpo ${this.rpo} / rto ${this.rto}`;
  }

  /** RPO and RTO for every disruption in scope, overrides applied. */
  public get targets(): DisruptionTarget[] {
    return this.disruptions.map(d => this.targetFor(d));
  }

  /** RPO and RTO for one disruption (the overall values when not overridden). */
  public targetFor(disruption: Disruption): DisruptionTarget {
    const o = this.overrides.find(x => x.disruption === disruption);
    return { disruption, rpo: o?.rpo ?? this.rpo, rto: o?.rto ?? this.rto };
  }

  /** True when `disruption` is among the disruptions to survive. */
  public covers(disruption: Disruption): boolean {
    return this.disruptions.includes(disruption);
  }

  /** A plain JSON view, for reports and plans. */
  public toJson(): any {
    return {
      name: this.name,
      rpoSeconds: this.rpo.totalSeconds,
      rtoSeconds: this.rto.totalSeconds,
      disruptions: this.targets.map(t => ({ disruption: t.disruption, rpoSeconds: t.rpo.totalSeconds, rtoSeconds: t.rto.totalSeconds })),
      retention: {
        pointInTimeDays: this.retention.pointInTimeDays,
        daily: this.retention.daily,
        weekly: this.retention.weekly,
        monthly: this.retention.monthly,
        yearly: this.retention.yearly,
      },
      backupIntervalSeconds: this.backupInterval?.totalSeconds,
      immutability: this.immutability,
    };
  }
}

/**
 * A preset recovery tier. Enum-like: use a static member or construct your own.
 */
export class RecoveryTier {
  /** RPO 5 minutes, RTO 1 hour; every disruption including account compromise; compliance lock; 35 days PITR, 30 daily, 12 monthly, 7 yearly. */
  public static readonly PLATINUM = new RecoveryTier('platinum', {
    rpo: Period.minutes(5),
    rto: Period.hours(1),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12, yearly: 7 }),
    immutability: Immutability.COMPLIANCE,
  });

  /** RPO 15 minutes, RTO 4 hours; corruption, AZ and region; 35 days PITR, 30 daily, 12 monthly. */
  public static readonly GOLD = new RecoveryTier('gold', {
    rpo: Period.minutes(15),
    rto: Period.hours(4),
    retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
  });

  /** RPO 1 hour, RTO 12 hours; corruption and AZ; 14 days PITR, 14 daily, 4 weekly. */
  public static readonly SILVER = new RecoveryTier('silver', {
    rpo: Period.hours(1),
    rto: Period.hours(12),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    retention: Retention.of({ pointInTime: Period.days(14), daily: 14, weekly: 4 }),
  });

  /** RPO 24 hours, RTO 72 hours; corruption and AZ; 7 days PITR, 7 daily. */
  public static readonly BRONZE = new RecoveryTier('bronze', {
    rpo: Period.hours(24),
    rto: Period.hours(72),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    retention: Retention.of({ pointInTime: Period.days(7), daily: 7 }),
  });

  /**
   * @param name the tier's name, shown in reports
   * @param props the objective the tier stands for
   */
  constructor(public readonly name: string, public readonly props: RecoveryObjectiveProps) {}
}
