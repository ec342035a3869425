import { ctxOf, objectiveJson } from './helpers';
import { replicationTimeControl } from '../../../lib/cdk/rules/replication-time-control';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';

const rtc = { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } };
const bucket = (destination: any, objective: any = objectiveJson()) => ({
  Type: 'AWS::S3::Bucket',
  Metadata: objective ? { 'drkit:objective': objective } : undefined,
  Properties: { ReplicationConfiguration: { Role: 'r', Rules: [{ Id: 'to-dr', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::dr', ...destination } }] } },
});
const run = (resource: any) => replicationTimeControl(ctxOf({ Resources: { B: resource } }, 'B'));

describe('replication-time-control', () => {
  test('Noncompliance 1: region RPO 1 hour, replication without RTC', () => {
    const out = run(bucket({}));
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('replication rule(s) to-dr lack Replication Time Control or metrics');
  });

  test('Noncompliance 2: RTC without metrics', () => {
    expect(run(bucket({ ReplicationTime: rtc.ReplicationTime })).compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Noncompliance 3: region RPO 5 minutes is below what RTC documents (15 minutes)', () => {
    const out = run(bucket(rtc, objectiveJson({ disruptions: [{ disruption: 'region', rpoSeconds: 300, rtoSeconds: 3600 }] })));
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('within 15 minutes');
  });

  test('Compliance: RTC and metrics on every enabled rule', () => {
    expect(run(bucket(rtc)).compliance).toBe(RuleCompliance.COMPLIANT);
  });

  test('Not applicable: no objective, objective without region outage, no replication', () => {
    expect(run(bucket({}, null)).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
    expect(run(bucket({}, objectiveJson({ disruptions: [{ disruption: 'corruption', rpoSeconds: 3600, rtoSeconds: 3600 }] }))).compliance)
      .toBe(RuleCompliance.NOT_APPLICABLE);
    expect(run({ Type: 'AWS::S3::Bucket', Metadata: { 'drkit:objective': objectiveJson() } }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
