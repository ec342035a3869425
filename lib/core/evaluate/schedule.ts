/**
 * The worst-case interval between two runs of an AWS Backup schedule expression
 * (`cron(...)` with six fields, or `rate(n unit)`), in seconds. Undefined when the expression
 * cannot be read.
 */
export function scheduleIntervalSeconds(expr: string | undefined): number | undefined {
  if (!expr) return undefined;
  const e = expr.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(e);
  if (rate) {
    const n = parseInt(rate[1], 10);
    const unit = rate[2].toLowerCase();
    const size = unit.startsWith('minute') ? 60 : unit.startsWith('hour') ? 3600 : 86400;
    return n > 0 ? n * size : undefined;
  }
  const cron = /^cron\((.*)\)$/i.exec(e);
  if (!cron) return undefined;
  const f = cron[1].trim().split(/\s+/);
  if (f.length !== 6) return undefined;
  const [min, hour, dom, month, dow] = f;

  const minutes = expand(min, 0, 59);
  if (!minutes) return undefined;
  const hours = expand(hour, 0, 23);
  if (!hours) return undefined;

  // Runs within one day: the largest gap between consecutive run times, wrapping to the next day.
  const times: number[] = [];
  for (const h of hours) for (const m of minutes) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  const dailyGap = maxCircularGap(times, 24 * 60) * 60;

  const everyDay = isAll(dom) && isAll(dow);
  const everyMonth = isAll(month);
  if (everyDay && everyMonth) return dailyGap;
  if (!isAll(dow) && everyMonth) {
    const days = expandDow(dow);
    if (!days) return undefined;
    const gapDays = maxCircularGap(days, 7);
    return Math.max(dailyGap, (gapDays - 1) * 86400 + dailyGap);
  }
  if (!isAll(dom) && everyMonth) {
    const days = expand(dom.replace(/L/i, '28'), 1, 31);
    if (!days) return undefined;
    // Months have 28 to 31 days: the worst wrap uses 31.
    const gapDays = maxCircularGap(days, 31);
    return (gapDays - 1) * 86400 + dailyGap;
  }
  if (!everyMonth) {
    const months = expand(month.replace(/JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC/gi, m => String(MONTHS.indexOf(m.toUpperCase()) + 1)), 1, 12);
    if (!months) return undefined;
    return maxCircularGap(months, 12) * 31 * 86400;
  }
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function isAll(field: string): boolean {
  return field === '*' || field === '?';
}

function expand(field: string, lo: number, hi: number): number[] | undefined {
  if (field === '*' || field === '?') return range(lo, hi, 1);
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const start = m[1] === '*' ? lo : parseInt(m[1], 10);
    const end = m[2] !== undefined ? parseInt(m[2], 10) : (m[3] !== undefined || m[1] === '*' ? hi : start);
    const step = m[3] !== undefined ? parseInt(m[3], 10) : 1;
    if (start < lo || end > hi || step < 1 || start > end) return undefined;
    for (const v of range(start, end, step)) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function expandDow(field: string): number[] | undefined {
  const numeric = field.toUpperCase().replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, d => String(DAYS.indexOf(d) + 1));
  return expand(numeric.replace(/#\d+|L/g, ''), 1, 7);
}

function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

function maxCircularGap(sorted: number[], cycle: number): number {
  if (sorted.length === 0) return cycle;
  let gap = sorted[0] + cycle - sorted[sorted.length - 1];
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  return gap;
}

/** The first day of the horizon `longestGapSeconds` enumerates (a Wednesday, not in a leap year). */
const HORIZON_START = Date.UTC(2025, 0, 1);
/** Two years: long enough for every monthly and yearly rule to fire at least twice. */
const HORIZON_DAYS = 2 * 365;

/**
 * Minutes (since the start of a two-year horizon) at which an AWS Backup schedule expression
 * fires; undefined when it cannot be read.
 */
export function scheduleFireMinutes(expr: string): readonly number[] | undefined {
  // A pure function of the expression, called for every rule of every plan (the planner's
  // redundant-rule check compares each pair): expanded once per expression and shared, frozen.
  if (FIRES.has(expr)) return FIRES.get(expr);
  const fires = expandSchedule(expr);
  if (fires) Object.freeze(fires);
  FIRES.set(expr, fires);
  return fires;
}

const FIRES = new Map<string, number[] | undefined>();

function expandSchedule(expr: string): number[] | undefined {
  const e = expr.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(e);
  if (rate) {
    const n = parseInt(rate[1], 10);
    const unit = rate[2].toLowerCase();
    const step = n * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
    if (step <= 0) return undefined;
    const out: number[] = [];
    for (let m = 0; m < HORIZON_DAYS * 1440; m += step) out.push(m);
    return out;
  }
  const cron = /^cron\((.*)\)$/i.exec(e);
  if (!cron) return undefined;
  const f = cron[1].trim().split(/\s+/);
  if (f.length !== 6) return undefined;
  const [min, hour, dom, month, dow] = f;
  const minutes = expand(min, 0, 59);
  const hours = expand(hour, 0, 23);
  const months = isAll(month) ? range(1, 12, 1)
    : expand(month.replace(/JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC/gi, m => String(MONTHS.indexOf(m.toUpperCase()) + 1)), 1, 12);
  const days = isAll(dow) ? undefined : expandDow(dow);
  const doms = isAll(dom) ? undefined : /^L$/i.test(dom) ? [] : expand(dom, 1, 31);
  if (!minutes || !hours || !months || (!isAll(dow) && !days) || (!isAll(dom) && !doms)) return undefined;
  const daily: number[] = [];
  for (const h of hours) for (const m of minutes) daily.push(h * 60 + m);
  const out: number[] = [];
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const date = new Date(HORIZON_START + d * 86400000);
    if (!months.includes(date.getUTCMonth() + 1)) continue;
    if (days && !days.includes(date.getUTCDay() + 1)) continue;
    if (doms) {
      const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      const ok = /^L$/i.test(dom) ? date.getUTCDate() === last : doms.includes(date.getUTCDate());
      if (!ok) continue;
    }
    for (const t of daily) out.push(d * 1440 + t);
  }
  return out;
}
