import { synthStacks } from './apps';
import { buildApp } from './reference-app';
import { SYNC_OBJECTIVE_PROPS } from '../../examples/cdk/app';
import { DrStrategy, Period, RecoveryObjective } from '../../lib';
import { auroraLagAlarm } from '../../lib/core/aurora-lag';
import { Facts } from '../../lib/core/catalog';
import { testApp } from '../util';

/**
 * Alarms that mean something. Aurora publishes the global database lag metrics only for the
 * secondary clusters (Facts.AURORA_GLOBAL_DB_LAG_METRICS), and a pilot-light secondary is
 * headless: no instance. An alarm that treats missing data as breaching would then stay in
 * ALARM for good and page for nothing; one that treats it as not breaching would show OK
 * without evidence. drkit chooses per strategy: a secondary with instances (warm, hot) reports
 * lag continuously, so silence is a breach; a headless one treats silence as missing
 * (INSUFFICIENT_DATA) and alarms on any reported lag above the RPO. The metric is the one AWS
 * names for the RPO, AuroraGlobalDBRPOLag, where the engine version publishes it.
 */
describe('the Aurora lag alarm of a DrStandby', () => {
  const strategies: Array<[DrStrategy, string]> = [
    [DrStrategy.PILOT_LIGHT, 'missing'],
    [DrStrategy.WARM_STANDBY, 'breaching'],
    [DrStrategy.HOT_STANDBY, 'breaching'],
  ];

  test.each(strategies.map(([s, t]) => [s.id, t, s] as const))('examples/cdk, %s: the RPO lag of the secondary cluster, missing data %s', (_id, treat, strategy) => {
    const objective = strategy === DrStrategy.PILOT_LIGHT ? RecoveryObjective.of({ ...SYNC_OBJECTIVE_PROPS, rto: Period.hours(2) }) : undefined;
    const stacks = synthStacks(buildApp(testApp(), { nag: false, strategy, objective }).app);
    const standby = stacks.find(s => s.stackName === 'SyncService-us-east-1-standby-us-west-2')!;
    const alarms = Object.values<any>(standby.template.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(a => [a.Properties.Namespace, a.Properties.MetricName, a.Properties.TreatMissingData, a.Properties.Threshold])).toEqual([
      ['AWS/RDS', 'AuroraGlobalDBRPOLag', treat, 30 * 60 * 1000],
    ]);
    // It watches the secondary cluster (the metric exists only there), and says why.
    const [cluster] = Object.entries<any>(standby.template.Resources).find(([, r]) => r.Type === 'AWS::RDS::DBCluster')!;
    expect(alarms[0].Properties.Dimensions).toEqual([{ Name: 'DBClusterIdentifier', Value: { Ref: cluster } }]);
    expect(alarms[0].Metadata['drkit:basis']).toContain(Facts.AURORA_GLOBAL_DB_LAG_METRICS.source);
    // The primary watches no global database lag: Aurora does not publish it there.
    const primary = stacks.find(s => s.stackName === 'SyncService')!;
    expect(Object.values<any>(primary.template.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm' && /AuroraGlobalDB/.test(r.Properties.MetricName))).toEqual([]);
  });

  test('no strategy with a headless secondary treats missing data as breaching', () => {
    expect(auroraLagAlarm(DrStrategy.PILOT_LIGHT, 'aurora-postgresql', '16.6').treatMissingData).toBe('missing');
    expect(auroraLagAlarm(DrStrategy.PILOT_LIGHT, 'aurora-mysql', '8.0.mysql_aurora.3.08.0').treatMissingData).toBe('missing');
  });

  test.each([
    ['aurora-postgresql', '11.9', 'AuroraGlobalDBRPOLag'],
    ['aurora-postgresql', '16.6', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.04.0', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.10.1', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '8.0.mysql_aurora.3.03.3', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.12.0', 'AuroraGlobalDBRPOLag'],
    ['aurora-mysql', '5.7.mysql_aurora.2.11.4', 'AuroraGlobalDBReplicationLag'],
    ['aurora', '5.6.mysql_aurora.1.23.4', 'AuroraGlobalDBReplicationLag'],
    ['aurora-mysql', undefined, 'AuroraGlobalDBReplicationLag'],
  ])('%s %s: %s (the versions AWS names)', (engine, version, metric) => {
    expect(auroraLagAlarm(DrStrategy.HOT_STANDBY, engine, version).metricName).toBe(metric);
  });
});
