import { DrkitError, DrkitErrorCode } from './errors';

const UNITS: { [unit: string]: number } = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
};

/**
 * A length of time, as recovery objectives and documented floors are expressed.
 *
 * drkit's core depends on no cloud SDK, so it has its own value type; the CDK constructs
 * also accept it where an objective is given. Stored in whole seconds.
 */
export class Period {
  /** A period of `amount` seconds. */
  public static seconds(amount: number): Period {
    return new Period(amount, 'seconds');
  }

  /** A period of `amount` minutes. */
  public static minutes(amount: number): Period {
    return new Period(amount * 60, 'minutes');
  }

  /** A period of `amount` hours. */
  public static hours(amount: number): Period {
    return new Period(amount * 3600, 'hours');
  }

  /** A period of `amount` days. */
  public static days(amount: number): Period {
    return new Period(amount * 86400, 'days');
  }

  /**
   * Parses a short form such as `30s`, `15m`, `1h`, `35d`, `2w`, or `1h30m`.
   */
  public static parse(text: string): Period {
    const trimmed = String(text ?? '').trim().toLowerCase();
    const re = /(\d+(?:\.\d+)?)\s*([smhdw])/g;
    let total = 0;
    let consumed = '';
    let match: RegExpExecArray | null;
    while ((match = re.exec(trimmed)) !== null) {
      total += parseFloat(match[1]) * UNITS[match[2]];
      consumed += match[0];
    }
    if (trimmed === '' || consumed.replace(/\s/g, '') !== trimmed.replace(/\s/g, '')) {
      throw new DrkitError(DrkitErrorCode.INVALID_DURATION,
        `\`${text}\` is not a duration: use a number and a unit (s, m, h, d, w), for example 30m, 1h or 35d`);
    }
    return Period.seconds(total);
  }

  /** Length in seconds. */
  public readonly totalSeconds: number;

  private constructor(seconds: number, unit: string) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_DURATION,
        `a duration must be a finite, non-negative number of ${unit}, but got ${seconds}`);
    }
    this.totalSeconds = Math.round(seconds);
  }

  /** Length in minutes (may be fractional). */
  public toMinutes(): number {
    return this.totalSeconds / 60;
  }

  /** Length in hours (may be fractional). */
  public toHours(): number {
    return this.totalSeconds / 3600;
  }

  /** Length in days (may be fractional). */
  public toDays(): number {
    return this.totalSeconds / 86400;
  }

  /** Sum of this period and `other`. */
  public plus(other: Period): Period {
    return Period.seconds(this.totalSeconds + other.totalSeconds);
  }

  /** True when this period is strictly longer than `other`. */
  public isLongerThan(other: Period): boolean {
    return this.totalSeconds > other.totalSeconds;
  }

  /** True when this period is strictly shorter than `other`. */
  public isShorterThan(other: Period): boolean {
    return this.totalSeconds < other.totalSeconds;
  }

  /** Compact text: `45s`, `15m`, `1h 30m`, `35d`. */
  public toString(): string {
    return formatSeconds(this.totalSeconds);
  }

  /** Human text: `15 minutes`, `1 hour`, `35 days`. */
  public toHuman(): string {
    const s = this.totalSeconds;
    const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
    for (const [size, name] of units) {
      if (s >= size && s % size === 0) {
        const n = s / size;
        return `${n} ${name}${n === 1 ? '' : 's'}`;
      }
    }
    if (s === 0) return '0 seconds';
    return formatSeconds(s);
  }
}

/** Compact rendering of a number of seconds, used by the report. */
export function formatSeconds(total: number): string {
  if (total === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(total);
  for (const [size, unit] of [[86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']] as Array<[number, string]>) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  return parts.join(' ');
}
