import { DrkitError, DrkitErrorCode } from './errors';

const UNITS: { [unit: string]: number } = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
};

/** The high bits aws-cdk-lib sets in a number that encodes a token (`Token.asNumber`, `CfnParameter.valueAsNumber`). */
const DOUBLE_TOKEN_MARKER_HIGH_BITS = 0xfbff;

/**
 * True when `n` is a number that encodes an unresolved CDK token (for example
 * `CfnParameter.valueAsNumber`, about -1.9e+289): its value is known only at deployment.
 * (drkit's core does not depend on aws-cdk-lib; this reads the same bit pattern.)
 *
 * @internal
 */
export function isUnresolvedNumber(n: unknown): boolean {
  if (typeof n !== 'number' || Number.isNaN(n)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  return view.getUint16(0) === DOUBLE_TOKEN_MARKER_HIGH_BITS;
}

/**
 * Refuses an unresolved token given as a duration or a count (DRK004), naming the input.
 *
 * @param input the input's name, for example `retention.daily`
 * @internal
 */
export function checkConcreteNumber(input: string, value: unknown, where?: string): void {
  if (isUnresolvedNumber(value)) {
    throw new DrkitError(DrkitErrorCode.UNRESOLVED_VALUE,
      `\`${input}\`${where ? ` of ${where}` : ''} is an unresolved token (a value known only at deployment, such as CfnParameter.valueAsNumber): drkit plans backups and checks objectives at synth time with concrete values; give a number`);
  }
}

/**
 * A length of time, as recovery objectives and documented floors are expressed.
 *
 * drkit's core depends on no cloud SDK, so it has its own value type; the CDK constructs
 * also accept it where an objective is given. Stored in whole seconds.
 */
export class Period {
  /** A period of `amount` seconds. */
  public static seconds(amount: number): Period {
    return new Period(checkAmount(amount, 'seconds'));
  }

  /** A period of `amount` minutes. */
  public static minutes(amount: number): Period {
    return new Period(checkAmount(amount, 'minutes') * 60);
  }

  /** A period of `amount` hours. */
  public static hours(amount: number): Period {
    return new Period(checkAmount(amount, 'hours') * 3600);
  }

  /** A period of `amount` days. */
  public static days(amount: number): Period {
    return new Period(checkAmount(amount, 'days') * 86400);
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

  private constructor(seconds: number) {
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

/**
 * The amount given to `Period.<unit>(amount)`, checked: a token gets DRK004; a negative,
 * infinite or non-number amount gets DRK001 naming the call and the unit as the user wrote them.
 */
function checkAmount(amount: number, unit: string): number {
  checkConcreteNumber(`Period.${unit}(amount)`, amount);
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw new DrkitError(DrkitErrorCode.INVALID_DURATION,
      `\`Period.${unit}(amount)\` needs a finite, non-negative number of ${unit}, but got ${typeof amount === 'number' ? `${amount} ${unit}` : JSON.stringify(amount)}`);
  }
  return amount;
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
