import { Facts } from './catalog';
import { DrStrategy } from './standby';

/** How a lag alarm treats periods without data: CloudWatch's `TreatMissingData` values. (Internal.) */
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/** The lag alarm of an Aurora global database's secondary cluster. (Internal: not exported from the package.) */
export interface AuroraLagAlarm {
  /** `AuroraGlobalDBRPOLag` where Aurora publishes it, else `AuroraGlobalDBReplicationLag` (milliseconds, secondary cluster). */
  readonly metricName: string;
  /** `breaching` when the secondary runs instances, `missing` for a headless (pilot-light) secondary. */
  readonly treatMissingData: MissingData;
  /** Why, in a sentence with sources. */
  readonly basis: string;
}

/**
 * The lag alarm of an Aurora global database secondary for a strategy, engine and version
 * (internal; the CDK and Pulumi DrStandby share it):
 *
 * - the metric that tells the RPO, `AuroraGlobalDBRPOLag` (how far the secondary is behind
 *   for user transactions), for Aurora PostgreSQL and Aurora MySQL from 2.12.0 / 3.04.0, else
 *   `AuroraGlobalDBReplicationLag` (`Facts.AURORA_GLOBAL_DB_RPO_LAG_METRIC`); both are published
 *   only for secondary clusters, so the alarm watches the secondary, in the standby region
 *   (`Facts.AURORA_GLOBAL_DB_LAG_METRICS`);
 * - missing data: a secondary with instances (warm, hot) reports lag continuously, so silence
 *   means replication or its reporting stopped, which is a breach; a pilot-light secondary is
 *   headless (storage only, kept in sync without instances, `Facts.AURORA_HEADLESS_SECONDARY`)
 *   and AWS does not say that it publishes the lag, so silence there is `missing`: the alarm
 *   shows INSUFFICIENT_DATA rather than staying in ALARM for good, and alarms on any reported
 *   lag above the RPO.
 */
export function auroraLagAlarm(strategy: DrStrategy, engine: string | undefined, engineVersion: string | undefined): AuroraLagAlarm {
  const rpoLag = publishesRpoLag(engine, engineVersion);
  const metricName = rpoLag ? 'AuroraGlobalDBRPOLag' : 'AuroraGlobalDBReplicationLag';
  const headless = strategy === DrStrategy.PILOT_LIGHT;
  return {
    metricName,
    treatMissingData: headless ? 'missing' : 'breaching',
    basis: `${metricName} of the secondary cluster (${rpoLag ? 'how far it is behind for user transactions' : 'the lag metric of this engine version'}; ${Facts.AURORA_GLOBAL_DB_RPO_LAG_METRIC.source}), published only in the secondary region (${Facts.AURORA_GLOBAL_DB_LAG_METRICS.source}); ${headless
      ? `a pilot-light secondary has no instance (${Facts.AURORA_HEADLESS_SECONDARY.source}), so missing data is missing (INSUFFICIENT_DATA), not a breach`
      : 'its instances report lag continuously, so missing data is a breach'}`,
  };
}

/** Whether the engine version publishes `AuroraGlobalDBRPOLag` (`Facts.AURORA_GLOBAL_DB_RPO_LAG_METRIC`). */
function publishesRpoLag(engine: string | undefined, engineVersion: string | undefined): boolean {
  if (engine === 'aurora-postgresql') return true;
  // Aurora MySQL versions read like "8.0.mysql_aurora.3.04.0"; "aurora" (MySQL 5.6) has none that qualify.
  const m = /mysql_aurora\.(\d+)\.(\d+)\.(\d+)/.exec(engineVersion ?? '');
  if (engine !== 'aurora-mysql' || !m) return false;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  const min = Facts.AURORA_MYSQL_RPO_LAG_MIN_VERSIONS.map(x => x.split('.').map(Number)).find(x => x[0] === v[0]);
  if (!min) return v[0] > 3;
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}
