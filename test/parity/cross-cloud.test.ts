/**
 * One objective, three clouds: each plan's achieved RPO/RTO per disruption is within the
 * objective, or every cloud that lacks the mechanism refuses with the same error code.
 * AWS runs through the DynamoDB planner (the AWS planner that exists); GCP and Azure
 * through their object-storage planners.
 */
import {
  AchievedTarget, Disruption, DrkitError, Immutability, Period, Planner, RecoveryObjective, Retention,
} from '../../lib/core';
import { AzureImmutabilityState, AzurePlanner } from '../../lib/core/clouds/azure';
import { GcpPlanner } from '../../lib/core/clouds/gcp';

type Cloud = 'aws' | 'gcp' | 'azure';

interface Outcome {
  readonly achieved?: AchievedTarget[];
  readonly code?: string;
}

function run(fn: () => { achieved: AchievedTarget[] }): Outcome {
  try {
    return { achieved: fn().achieved };
  } catch (e) {
    if (!DrkitError.isDrkitError(e)) throw e;
    return { code: e.code };
  }
}

function planAll(o: RecoveryObjective): Record<Cloud, Outcome> {
  return {
    aws: run(() => Planner.dynamoDbTable(o, { resourceName: 'orders', region: 'us-east-1', secondaryRegion: 'us-west-2', replicaRegions: ['us-west-2'] })),
    gcp: run(() => GcpPlanner.storageBucket(o, { resourceName: 'orders', primaryRegion: 'us-central1', secondaryRegion: 'us-east1' })),
    azure: run(() => AzurePlanner.storageAccount(o, { resourceName: 'orders' })),
  };
}

/** Every disruption in scope has a mechanism whose bounded RPO/RTO fit the objective. */
function expectWithin(cloud: Cloud, o: RecoveryObjective, achieved: AchievedTarget[]): void {
  expect({ cloud, disruptions: achieved.map(a => a.disruption) }).toEqual({ cloud, disruptions: o.disruptions });
  for (const a of achieved) {
    const t = o.targetFor(a.disruption);
    const where = `${cloud} ${a.disruption}`;
    expect({ where, covered: a.mechanisms.length > 0 }).toEqual({ where, covered: true });
    expect({ where, rpoKind: a.rpoKind }).not.toEqual({ where, rpoKind: 'none' });
    expect({ where, rpoFits: a.rpoSeconds !== undefined && a.rpoSeconds <= t.rpo.totalSeconds }).toEqual({ where, rpoFits: true });
    if (a.rtoSeconds !== undefined) {
      expect({ where, rtoFits: a.rtoSeconds <= t.rto.totalSeconds }).toEqual({ where, rtoFits: true });
    }
  }
}

const CASES: Array<{ title: string; objective: RecoveryObjective; expect: Record<Cloud, 'plan' | string> }> = [
  {
    title: 'RPO 1 h / RTO 4 h against corruption, AZ and region',
    objective: RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4) }),
    expect: { aws: 'plan', gcp: 'plan', azure: 'plan' },
  },
  {
    title: 'RPO 15 min / RTO 1 h (the tightest region bound GCP and Azure document)',
    objective: RecoveryObjective.of({ rpo: Period.minutes(15), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(14) }) }),
    expect: { aws: 'plan', gcp: 'plan', azure: 'plan' },
  },
  {
    title: 'RPO 24 h against corruption and AZ only',
    objective: RecoveryObjective.fromJson({ rpoSeconds: 86400, rtoSeconds: 259200, disruptions: ['corruption', 'az'], retention: { pointInTimeDays: 7, daily: 7 } }),
    expect: { aws: 'plan', gcp: 'plan', azure: 'plan' },
  },
  {
    title: 'RPO 5 min against region outage: no object-storage replication is that fast (DynamoDB without a replica neither)',
    objective: RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), disruptions: [Disruption.REGION_OUTAGE] }),
    expect: { aws: 'plan', gcp: 'DRK010', azure: 'DRK010' },
  },
  {
    title: 'account compromise with no immutability: refused everywhere',
    objective: RecoveryObjective.of({ rpo: Period.hours(4), rto: Period.hours(8), disruptions: [Disruption.ACCOUNT_COMPROMISE] }),
    expect: { aws: 'DRK012', gcp: 'DRK012', azure: 'DRK012' },
  },
  {
    title: 'a 400-day point-in-time window: only GCP (noncurrent versions) keeps it',
    objective: RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(400) }),
    }),
    expect: { aws: 'DRK014', gcp: 'plan', azure: 'DRK014' },
  },
];

describe('cross-cloud parity', () => {
  test.each(CASES)('$title', ({ objective, expect: wanted }) => {
    const got = planAll(objective);
    for (const cloud of ['aws', 'gcp', 'azure'] as Cloud[]) {
      const o = got[cloud];
      if (wanted[cloud] === 'plan') {
        expect({ cloud, code: o.code }).toEqual({ cloud, code: undefined });
        expectWithin(cloud, objective, o.achieved!);
      } else {
        expect({ cloud, code: o.code }).toEqual({ cloud, code: wanted[cloud] });
      }
    }
  });

  test('without a live replica, AWS refuses the 5-minute region RPO with the same code as GCP and Azure', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), disruptions: [Disruption.REGION_OUTAGE] });
    const aws = run(() => Planner.dynamoDbTable(o, { resourceName: 'orders', region: 'us-east-1', secondaryRegion: 'us-west-2' }));
    const all = planAll(o);
    expect([aws.code, all.gcp.code, all.azure.code]).toEqual(['DRK010', 'DRK010', 'DRK010']);
  });

  test('compliance immutability covers account compromise on GCP (locked bucket) and on Azure once the policy is locked', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(4),
      rto: Period.hours(8),
      disruptions: [Disruption.ACCOUNT_COMPROMISE],
      immutability: Immutability.COMPLIANCE,
    });
    expectWithin('gcp', o, GcpPlanner.storageBucket(o, { resourceName: 'b', primaryRegion: 'us-central1', secondaryRegion: 'us-east1' }).achieved);
    // Azure locks only an Unlocked policy, so locking is the second deployment (issue 13 #3).
    expectWithin('azure', o, AzurePlanner.storageAccount(o, { resourceName: 'b', lockImmutability: true, deployedImmutability: AzureImmutabilityState.UNLOCKED }).achieved);
    expect(() => AzurePlanner.storageAccount(o, { resourceName: 'b', lockImmutability: true })).toThrow(/^\[DRK090\]/);
    // Unlocked (Azure's first deployment): reported as uncovered, never as met.
    const unlocked = AzurePlanner.storageAccount(o, { resourceName: 'b' }).achieved;
    expect(unlocked).toEqual([expect.objectContaining({ disruption: 'account', mechanisms: [], rpoKind: 'none' })]);
  });
});
