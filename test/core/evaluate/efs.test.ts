import * as path from 'path';
import * as fc from 'fast-check';
import { stack } from './fixtures';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';
import { statefulResourceProtected } from '../../../lib/cdk/rules/stateful-resource-protected';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { RecoveryReport } from '../../../lib/core/report/report';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson();
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);
const ENV = { region: 'us-east-1', account: '111111111111' };
const efs = (properties: any) => evaluateStacks([stack({ Fs: { Type: 'AWS::EFS::FileSystem', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: properties } }, ENV)]).resources[0];

describe('EFS file systems', () => {
  test('BackupPolicy ENABLED: daily automatic backups kept 35 days cover corruption, with an RPO of at least a day (no upper bound published) (the corpus storage template)', () => {
    const doc = corpus('hpc-recipes_nist_800_223_storage.yml');
    const fs = doc.resources.find((r: any) => r.logicalId === 'EFSFileSystem');
    expect(row(fs, 'corruption')).toMatchObject({ mechanisms: ['aws.efs.automatic-backup'], rpoSeconds: 86400, rpoKind: 'estimated', rpoIsLowerBound: true, rtoKind: 'none' });
    expect(row(fs, 'corruption').basis).toMatch(/^BackupPolicy ENABLED: When you use the CLI or API to create a file system, automatic backups are enabled by default only for One Zone file systems/);
    expect(row(fs, 'az')).toMatchObject({ mechanisms: ['aws.efs.multi-az', 'aws.efs.automatic-backup'], rpoSeconds: 0, rpoKind: 'documented', rtoSeconds: 0 });
    expect(fs.restorePoints.find((p: any) => p.mechanism === 'aws.efs.automatic-backup')).toMatchObject({
      vault: 'aws/efs/automatic-backup-vault', retention: '35 days', periodicity: 'daily', medium: 'aws-backup-vault', region: 'us-east-1',
    });
    expect(fs.findings).not.toContain('no backup of any kind was found for this resource in the input');
    expect(fs.runbook[0].commands[0]).toBe('aws backup list-recovery-points-by-backup-vault --backup-vault-name aws/efs/automatic-backup-vault --by-resource-type EFS --region us-east-1');
  });

  test('a Regional file system without BackupPolicy: AZ outage covered by its storage, corruption unprotected (the corpus EFS templates)', () => {
    for (const f of ['cfn-templates_efs_with_automount_to_ec2.yaml', 'cfn-templates_EFSAccessPoint.yaml', 'serverless-patterns_apigw-lambda-efs-sam.yaml', 'hpc-recipes_pcs-isolated-efs.yaml']) {
      const fs = corpus(f).resources.find((r: any) => r.resourceType === 'AWS::EFS::FileSystem');
      expect([f, row(fs, 'corruption').status, row(fs, 'az').mechanisms]).toEqual([f, 'unprotected', ['aws.efs.multi-az']]);
      expect(fs.findings).toContain('automatic backups are off (BackupPolicy absent on a Regional file system: AWS leaves automatic backups off): turn on automatic backups: BackupPolicy: { Status: ENABLED } (daily, kept 35 days; CDK: enableAutomaticBackups: true)');
    }
  });

  test('a parameter that defaults to DISABLED turns backups off (the corpus simple EFS recipe)', () => {
    const fs = corpus('hpc-recipes_efs_simple.yaml').resources[0];
    expect(row(fs, 'corruption').status).toBe('unprotected');
    expect(fs.findings.join('\n')).toContain('automatic backups are off (BackupPolicy DISABLED)');
  });

  test('One Zone: automatic backups on by default, no AZ protection from the storage itself', () => {
    const fs = efs({ AvailabilityZoneName: 'us-east-1a' });
    expect(row(fs, 'corruption').mechanisms).toEqual(['aws.efs.automatic-backup']);
    expect(row(fs, 'az').mechanisms).toEqual(['aws.efs.automatic-backup']);
    expect(row(fs, 'corruption').basis).toMatch(/^BackupPolicy absent on a One Zone file system: AWS turns automatic backups on by default/);
    expect(fs.findings[0]).toMatch(/^a One Zone file system: One Zone file systems store data within a single Availability Zone/);
    expect(efs({ AvailabilityZoneName: 'us-east-1a', BackupPolicy: { Status: 'DISABLED' } }).disruptions.every((d: any) => d.mechanisms.length === 0)).toBe(true);
  });

  test('replication to another region covers region outage with no published bound; an AWS Backup plan adds its own restore points', () => {
    const fs = efs({ ReplicationConfiguration: { Destinations: [{ Region: 'us-west-2' }] } });
    expect(row(fs, 'region')).toMatchObject({ mechanisms: ['aws.efs.replication'], rpoKind: 'none', rtoKind: 'none' });
    expect(fs.restorePoints.find((p: any) => p.mechanism === 'aws.efs.replication')).toMatchObject({ region: 'us-west-2', offRegion: true, medium: 'efs-replica' });
    expect(fs.runbook.map((r: any) => r.title)).toContain('Fail over to the EFS replica in us-west-2');
    const same = efs({ ReplicationConfiguration: { Destinations: [{ AvailabilityZoneName: 'us-east-1b' }] } });
    expect(row(same, 'region').mechanisms).toEqual([]);
    expect(row(same, 'az').mechanisms).toEqual(['aws.efs.multi-az', 'aws.efs.replication']);
  });

  test('one source of truth: the rules plugin accepts a file system exactly when the report finds an EFS mechanism against corruption or a replica', () => {
    const status = fc.constantFrom<any>(undefined, 'ENABLED', 'DISABLED', { Ref: 'P' });
    fc.assert(fc.property(status, fc.boolean(), fc.boolean(), (s, oneZone, replicated) => {
      const properties: any = {};
      if (s !== undefined) properties.BackupPolicy = { Status: s };
      if (oneZone) properties.AvailabilityZoneName = 'us-east-1a';
      if (replicated) properties.ReplicationConfiguration = { Destinations: [{ Region: 'us-west-2' }] };
      const resource = { Type: 'AWS::EFS::FileSystem', Properties: properties };
      const rule = statefulResourceProtected({ stackName: 'Test', logicalId: 'Fs', resource, template: { Resources: { Fs: resource } }, region: 'us-east-1' });
      const fs = efs(properties);
      const native = fs.disruptions.some((d: any) => d.mechanisms.includes('aws.efs.automatic-backup') || d.mechanisms.includes('aws.efs.replication'));
      expect(rule.compliance === RuleCompliance.COMPLIANT).toBe(native);
    }), { numRuns: 40 });
  });
});
