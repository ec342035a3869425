import * as path from 'path';
import { stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { RecoveryReport } from '../../../lib/core/report/report';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson();
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);
const ENV = { region: 'us-east-1', account: '111111111111' };

describe('EC2 instances and EBS volumes', () => {
  test('an instance outside AWS Backup (corpus): nothing protects it, said plainly; instance store volumes lose their data', () => {
    const doc = corpus('cfn-templates_EC2_Instance_With_Ephemeral_Drives.yaml');
    const i = doc.resources[0];
    expect(i.content).toBe('EC2 instance (EBS volumes)');
    expect(i.disruptions.map((d: any) => d.status)).toEqual(['unprotected', 'unprotected', 'unprotected', 'unprotected']);
    expect(i.findings.join('\n')).toMatch(/nothing protects this instance's EBS volumes: no AWS Backup selection and no Data Lifecycle Manager policy in the input picks it, and an EBS volume lives in one Availability Zone/);
    expect(i.findings.join('\n')).toMatch(/instance store volumes \(.+\) lose their data when the instance stops or terminates/);
    expect(doc.gaps.map((g: any) => g.disruption)).toEqual(['corruption']);
  });

  test('a volume outside AWS Backup (corpus Config sample): nothing protects it', () => {
    const v = corpus('cfn-templates_Config.yaml').resources.find((r: any) => r.resourceType === 'AWS::EC2::Volume');
    expect(v.disruptions.every((d: any) => d.mechanisms.length === 0)).toBe(true);
    expect(v.findings).toContain('no backup of any kind was found for this resource in the input');
  });

  test('a Data Lifecycle Manager policy whose target tags the volume carries: snapshots every 12h, an RPO of at least 12h (no upper bound published); a cross-region copy covers region outage', () => {
    const e = evaluateStacks([stack({
      Disk: { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'us-east-1a', Size: 10, Tags: [{ Key: 'backup', Value: 'yes' }] } },
      Policy: {
        Type: 'AWS::DLM::LifecyclePolicy',
        Properties: {
          State: 'ENABLED',
          PolicyDetails: {
            ResourceTypes: ['VOLUME'],
            TargetTags: [{ Key: 'backup', Value: 'yes' }],
            Schedules: [{ Name: 'twice daily', CreateRule: { Interval: 12, IntervalUnit: 'HOURS', Times: ['03:00'] }, RetainRule: { Count: 14 }, CrossRegionCopyRules: [{ TargetRegion: 'us-west-2', Encrypted: false }] }],
          },
        },
      },
    }, ENV)]);
    const v = e.resources[0];
    expect(row(v, 'corruption')).toMatchObject({ mechanisms: ['aws.dlm.snapshots'], rpoSeconds: 12 * 3600, rpoKind: 'estimated', rpoIsLowerBound: true });
    expect(row(v, 'corruption').basis).toMatch(/^Data Lifecycle Manager policy Policy \(twice daily\) snapshots the volume every 12h, kept 14 snapshot\(s\)/);
    expect(row(v, 'region').mechanisms).toEqual(['aws.dlm.snapshots']);
    expect(v.restorePoints.map((p: any) => [p.mechanism, p.region, p.offRegion])).toEqual([['live', 'us-east-1', false], ['aws.dlm.snapshots', 'us-east-1', false], ['aws.dlm.snapshots', 'us-west-2', true]]);
    expect(e.notAssessed).toEqual([]);
    // A disabled policy, or tags that do not match, protect nothing.
    const off = evaluateStacks([stack({
      Disk: { Type: 'AWS::EC2::Volume', Properties: { Tags: [{ Key: 'backup', Value: 'no' }] } },
      Policy: { Type: 'AWS::DLM::LifecyclePolicy', Properties: { PolicyDetails: { ResourceTypes: ['VOLUME'], TargetTags: [{ Key: 'backup', Value: 'yes' }], Schedules: [] } } },
    }, ENV)]);
    expect(row(off.resources[0], 'corruption').mechanisms).toEqual([]);
  });
});
