import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { installMocks, recordPulumiLogs, settle } from './harness';
import { CrossRegionReplicatedBucket as CdkBucket } from '../../../lib/cdk/cross-region-replicated-bucket';
import { Disruption, Immutability, Period, RecoveryObjective, RecoveryTier, Retention } from '../../../lib/core';
import { testApp } from '../../util';

const rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { CrossRegionReplicatedBucket } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

/** One fixture table for both engines. */
const FIXTURES: Array<[string, RecoveryObjective, { replicationTimeControl?: boolean; objectLockMode?: Immutability }]> = [
  ['gold', RecoveryObjective.fromTier(RecoveryTier.GOLD), {}],
  ['half-hour', RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.hours(2), retention: Retention.of({ yearly: 2 }) }), {}],
  ['no-rtc', RecoveryObjective.fromTier(RecoveryTier.GOLD), { replicationTimeControl: false }],
  ['locked', RecoveryObjective.of({
    rpo: Period.hours(1),
    rto: Period.hours(4),
    immutability: Immutability.COMPLIANCE,
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
  }), {}],
];

beforeEach(() => rec.clear());
afterEach(() => settle());
// Each bucket's advisories are recorded, not printed, and asserted below.
const logs = recordPulumiLogs();

/** Lifecycle rules in one shape for both engines. */
function normalizeCfn(rules: any[]): any[] {
  return rules.map(r => ({
    id: r.Id,
    transitions: (r.Transitions ?? []).map((t: any) => `${t.StorageClass}@${t.TransitionInDays}`),
    noncurrent: (r.NoncurrentVersionTransitions ?? []).map((t: any) => `${t.StorageClass}@${t.TransitionInDays}`),
    expiration: r.ExpirationInDays,
    noncurrentExpiration: r.NoncurrentVersionExpiration?.NoncurrentDays,
  }));
}
function normalizePulumi(rules: any[]): any[] {
  return rules.map(r => ({
    id: r.id,
    transitions: (r.transitions ?? []).map((t: any) => `${t.storageClass}@${t.days}`),
    noncurrent: (r.noncurrentVersionTransitions ?? []).map((t: any) => `${t.storageClass}@${t.noncurrentDays}`),
    expiration: r.expiration?.days,
    noncurrentExpiration: r.noncurrentVersionExpiration?.noncurrentDays,
  }));
}

describe.each(FIXTURES)('parity CDK / Pulumi: %s', (name, objective, options) => {
  test('same plan, same replication rule, same replica lifecycle', async () => {
    const app = testApp();
    const stack = new Stack(app, 'P', { env: { region: 'us-east-1', account: '111111111111' } });
    const cdk = new CdkBucket(stack, name, { objective, secondaryRegion: 'us-west-2', ...options });
    const pul = new CrossRegionReplicatedBucket(name, { objective, region: 'us-east-1', account: '111111111111', secondaryRegion: 'us-west-2', ...options });
    await settle();

    // Only the resource's name differs (construct path vs component name).
    const strip = (p: any) => JSON.parse(JSON.stringify({ ...p, resourceName: undefined }).split(`bucket ${p.resourceName}`).join('bucket <name>'));
    expect(strip(pul.plan)).toEqual(strip(cdk.plan));
    // The same advisories: CDK warnings on the construct, Pulumi warnings on the component, each once.
    expect(pul.plan.advisories.length).toBeGreaterThan(0);
    expect(logs.warn().mock.calls.map(c => c[0])).toEqual(pul.plan.advisories.map(a => `drkit: ${a}`));

    const cfnRule = (Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0] as any).Properties.ReplicationConfiguration.Rules[0];
    const pulRule = rec.named(`${name}-replication`).inputs.rules[0];
    expect({
      deleteMarkers: pulRule.deleteMarkerReplication.status,
      rtc: pulRule.destination.replicationTime?.time.minutes,
      metrics: pulRule.destination.metrics?.eventThreshold.minutes,
      sse: pulRule.sourceSelectionCriteria.sseKmsEncryptedObjects.status,
    }).toEqual({
      deleteMarkers: cfnRule.DeleteMarkerReplication.Status,
      rtc: cfnRule.Destination.ReplicationTime?.Time.Minutes,
      metrics: cfnRule.Destination.Metrics?.EventThreshold.Minutes,
      sse: cfnRule.SourceSelectionCriteria.SseKmsEncryptedObjects.Status,
    });

    const replicaCfn = (Object.values(Template.fromStack(app.node.findChild('P-dr-us-west-2') as Stack).findResources('AWS::S3::Bucket'))[0] as any);
    expect(normalizePulumi(rec.named(`${name}-replica-lifecycle`).inputs.rules))
      .toEqual(normalizeCfn(replicaCfn.Properties.LifecycleConfiguration.Rules));
  });
});
