import { Disruption, DrkitError, Immutability, Period, RecoveryObjective, Retention } from '../../../lib/core';

/**
 * The sample objective: RPO 1 hour (data corruption, AZ outage), region outage survived by
 * daily copies to us-west-2 (its RPO 25 hours: a daily backup plus the 1-hour start window),
 * 35 days of point-in-time recovery, 30 daily and 12 monthly restore points, compliance lock.
 */
export function sampleObjective(name = 'gold'): RecoveryObjective {
  return RecoveryObjective.of({
    name,
    rpo: Period.hours(1),
    rto: Period.hours(4),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
    perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(25) }],
    retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
    immutability: Immutability.COMPLIANCE,
  });
}

/** An objective that also survives account compromise (copies to a central account every 12 hours). */
export function centralObjective(name = 'platinum'): RecoveryObjective {
  return RecoveryObjective.of({
    name,
    rpo: Period.hours(13),
    rto: Period.hours(8),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    retention: Retention.of({ pointInTime: Period.days(7), daily: 14, weekly: 8, yearly: 1 }),
    immutability: Immutability.GOVERNANCE,
  });
}

/** Every object node of `node`, with its path. */
export function objectNodes(node: any, path = ''): Array<{ path: string; node: any }> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const out = [{ path: path || '/', node }];
  for (const [k, v] of Object.entries(node)) if (!k.startsWith('@@')) out.push(...objectNodes(v, `${path}/${k}`));
  return out;
}

/** The value behind `@@assign`. */
export function assigned(x: any): any {
  return x?.['@@assign'];
}

/** `"<code> <message>"` of the DrkitError `fn` throws; fails when it throws nothing or something else. */
export function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return `${e.code} ${e.message}`;
    throw e;
  }
  throw new Error('expected a DrkitError');
}
