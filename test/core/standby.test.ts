import * as fc from 'fast-check';
import {
  BoundKind, Disruption, DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, StandbyDataKind, StandbyInput, StandbyPlanner,
} from '../../lib/core';

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

const objective = (rto: Period, rpo: Period = Period.minutes(30)) => RecoveryObjective.of({ name: 'sync', rpo, rto });
const AURORA: StandbyInput = {
  scopeName: 'App/Standby',
  data: [{ name: 'App/Cluster', kind: StandbyDataKind.AURORA_GLOBAL_DATABASE }, { name: 'App/Table', kind: StandbyDataKind.DYNAMODB_GLOBAL_TABLE }],
  detection: { requestIntervalSeconds: 30, failureThreshold: 3, ttlSeconds: 60 },
};

describe('StandbyPlanner.estimate', () => {
  test('detection (interval x threshold) + promotion (slowest resource) + activation (the upper end of the strategy band) + DNS TTL', () => {
    const e = StandbyPlanner.estimate(DrStrategy.PILOT_LIGHT, AURORA);
    // Pilot light's band is "10s of minutes": its upper end, 1 hour, counts, never its lower end.
    expect(e.terms.map(t => [t.name, t.seconds, t.kind])).toEqual([
      ['detection', 90, BoundKind.DOCUMENTED],
      ['promotion', 60, BoundKind.TYPICAL],
      ['activation', 3600, BoundKind.TYPICAL],
      ['dns', 60, BoundKind.DOCUMENTED],
    ]);
    expect([e.seconds, e.complete, e.kind, e.dominant]).toEqual([3810, true, BoundKind.TYPICAL, 'activation']);
    expect(StandbyPlanner.estimate(DrStrategy.WARM_STANDBY, AURORA).seconds).toBe(90 + 60 + 600 + 60);
    expect(StandbyPlanner.estimate(DrStrategy.BACKUP_AND_RESTORE, AURORA).terms[2]).toMatchObject({ name: 'activation', seconds: 86400 });
  });

  test('an RDS read replica has no published promotion time: the estimate is a lower bound, marked none', () => {
    const e = StandbyPlanner.estimate(DrStrategy.HOT_STANDBY, { ...AURORA, data: [{ name: 'App/Db', kind: StandbyDataKind.RDS_READ_REPLICA }] });
    expect(e.terms[1]).toMatchObject({ name: 'promotion', seconds: undefined, kind: BoundKind.NONE });
    expect([e.seconds, e.complete, e.kind]).toEqual([150, false, BoundKind.NONE]);
  });

  test('refuses health-check settings Route 53 does not accept', () => {
    const bad = (requestIntervalSeconds: number, failureThreshold: number) =>
      refusal(() => StandbyPlanner.estimate(DrStrategy.HOT_STANDBY, {
        ...AURORA, detection: { requestIntervalSeconds, failureThreshold, ttlSeconds: 60 },
      }));
    expect(bad(20, 3).message)
      .toBe('[DRK020] the health-check `requestInterval` of App/Standby must be 10 or 30 seconds (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html), but got 20 seconds');
    expect(bad(10, 11).code)
      .toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('StandbyPlanner.plan', () => {
  test('chooses the cheapest strategy whose full estimate meets the RTO', () => {
    expect(StandbyPlanner.plan(objective(Period.hours(4)), AURORA).strategy).toBe(DrStrategy.PILOT_LIGHT);
    expect(StandbyPlanner.plan(objective(Period.hours(1)), AURORA).strategy).toBe(DrStrategy.WARM_STANDBY);
    expect(StandbyPlanner.plan(objective(Period.minutes(14)), AURORA).strategy).toBe(DrStrategy.WARM_STANDBY);
    expect(StandbyPlanner.plan(objective(Period.minutes(13)), AURORA).strategy).toBe(DrStrategy.HOT_STANDBY);
  });

  test('an RTO of 61 minutes never picks backup and restore ("hours"); 15 minutes never picks pilot light ("10s of minutes") unless its estimate fits', () => {
    // An RPO that backups can meet, so backup and restore is a candidate.
    const loose = (rto: Period) => objective(rto, Period.hours(6));
    const noEndpoints: StandbyInput = { ...AURORA, detection: undefined };
    expect(StandbyPlanner.plan(loose(Period.minutes(61)), AURORA).strategy).toBe(DrStrategy.WARM_STANDBY);
    expect(StandbyPlanner.plan(loose(Period.minutes(61)), noEndpoints).strategy).toBe(DrStrategy.PILOT_LIGHT);
    expect(StandbyPlanner.plan(loose(Period.minutes(15)), AURORA).strategy).toBe(DrStrategy.WARM_STANDBY);
    expect(StandbyPlanner.plan(loose(Period.minutes(15)), noEndpoints).strategy).toBe(DrStrategy.WARM_STANDBY);
    // Backup and restore needs the whole band, up to a day.
    expect(StandbyPlanner.plan(loose(Period.hours(24)), AURORA).strategy).toBe(DrStrategy.PILOT_LIGHT);
    expect(StandbyPlanner.plan(loose(Period.hours(25)), AURORA).strategy).toBe(DrStrategy.BACKUP_AND_RESTORE);
  });

  test('when the region-outage RPO needs replication, the default is the cheapest strategy with a replica; backup and restore is refused', () => {
    const plan = StandbyPlanner.plan(objective(Period.days(3)), AURORA);
    expect(plan.strategy).toBe(DrStrategy.PILOT_LIGHT);
    expect(plan.strategy.liveReplicas).toBe(true);
    const e = refusal(() => StandbyPlanner.plan(objective(Period.days(3)), { ...AURORA, strategy: DrStrategy.BACKUP_AND_RESTORE }));
    expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(e.message).toBe('[DRK010] `rpo` 30 minutes against region outage cannot be met by backup and restore for App/Standby (objective "sync"): backup and restore keeps no live replica, and a backup copied to another region is at least 2 hours old (hourly schedule plus the start window, https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html) plus the copy time; choose a strategy with live replicas (DrStrategy.PILOT_LIGHT, the cheapest one) or raise the region-outage rpo to at least 2 hours');
    // A region-outage RPO backups can meet leaves backup and restore to the RTO.
    expect(StandbyPlanner.plan(objective(Period.days(3), Period.hours(4)), AURORA).strategy).toBe(DrStrategy.BACKUP_AND_RESTORE);
  });

  test('RTO 5 minutes with a pilot light fails, naming the dominant term and the strategy that would do', () => {
    const e = refusal(() => StandbyPlanner.plan(objective(Period.minutes(5)), { ...AURORA, strategy: DrStrategy.PILOT_LIGHT }));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(e.message).toBe('[DRK011] `rto` 5 minutes against region outage cannot be met by pilot light for App/Standby (objective "sync"): the estimate is at least 1h 3m 30s = detection 1m 30s + promotion 1m + activation 1h + dns 1m; the dominant term is activation 1h (pilot light: pilot light: "RPO / RTO: 10s of minutes" (data is live in the recovery region, compute is started and scaled after the event); drkit counts the upper end of the band, 1 hour (https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html)); use DrStrategy.HOT_STANDBY (estimate 3m 30s) or raise the region-outage rto to at least 1h 3m 30s');
  });

  test('RTO 2 minutes fails even for a hot standby: the dominant term is detection', () => {
    const e = refusal(() => StandbyPlanner.plan(objective(Period.minutes(2)), AURORA));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(e.message).toContain('cannot be met by hot standby (the fastest strategy drkit selects)');
    expect(e.message).toContain('the dominant term is detection 1m 30s');
    expect(e.message).toContain('shorten the detection term (a 10-second request interval or a lower failure threshold)');
  });

  test('active/active refuses relational databases (one writer region)', () => {
    const e = refusal(() => StandbyPlanner.plan(objective(Period.hours(1)), { ...AURORA, strategy: DrStrategy.MULTI_SITE_ACTIVE_ACTIVE }));
    expect(e.code).toBe(DrkitErrorCode.UNSUPPORTED_MECHANISM);
    expect(e.message).toContain('App/Cluster has a single writer region');
  });

  test('uses the region-outage RTO when the objective overrides it', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(30),
      rto: Period.minutes(2),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rto: Period.hours(1) }],
    });
    expect(StandbyPlanner.plan(o, AURORA).rtoSeconds).toBe(3600);
  });

  test('property: the estimate is the sum of its bounded terms, and the chosen strategy never exceeds the RTO unless refused', () => {
    const kinds = [
      StandbyDataKind.AURORA_GLOBAL_DATABASE, StandbyDataKind.DYNAMODB_GLOBAL_TABLE, StandbyDataKind.RDS_READ_REPLICA, StandbyDataKind.S3_REPLICA,
    ];
    const strategies = [undefined, ...DrStrategy.AUTOMATIC.filter(s => s.liveReplicas)];
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 * 3600 }),
      fc.constantFrom(10, 30),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 0, max: 600 }),
      fc.boolean(),
      fc.subarray(kinds),
      fc.constantFrom(...strategies),
      (rtoSeconds, interval, threshold, ttl, endpoints, data, strategy) => {
        const input: StandbyInput = {
          scopeName: 'App/Standby',
          data: data.map((kind, i) => ({ name: `R${i}`, kind })),
          detection: endpoints ? { requestIntervalSeconds: interval, failureThreshold: threshold, ttlSeconds: ttl } : undefined,
          strategy,
        };
        for (const s of DrStrategy.AUTOMATIC) {
          const e = StandbyPlanner.estimate(s, input);
          expect(e.seconds).toBe(e.terms.reduce((sum, t) => sum + (t.seconds ?? 0), 0));
          expect(e.complete).toBe(e.terms.every(t => t.seconds !== undefined));
        }
        try {
          const plan = StandbyPlanner.plan(objective(Period.seconds(rtoSeconds)), input);
          expect(plan.estimate.seconds).toBeLessThanOrEqual(rtoSeconds);
          if (strategy) {expect(plan.strategy).toBe(strategy);} else {
            // No cheaper strategy with a replica (the 30-minute RPO needs one) would have met the RTO.
            expect(plan.strategy.liveReplicas).toBe(true);
            for (const s of DrStrategy.AUTOMATIC.filter(x => x.liveReplicas && x.rank < plan.strategy.rank)) {
              expect(StandbyPlanner.estimate(s, input).seconds).toBeGreaterThan(rtoSeconds);
            }
          }
        } catch (err) {
          expect(DrkitError.isDrkitError(err) && (err as DrkitError).code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
          const refused = strategy ?? DrStrategy.HOT_STANDBY;
          expect(StandbyPlanner.estimate(refused, input).seconds).toBeGreaterThan(rtoSeconds);
        }
      },
    ), { numRuns: 200 });
  });
});
