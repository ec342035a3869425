import * as path from 'path';
import { stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { RecoveryReport } from '../../../lib/core/report/report';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const fsOf = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson().resources.find((r: any) => r.resourceType === 'AWS::FSx::FileSystem');
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);

describe('FSx file systems', () => {
  test('Lustre scratch (corpus): no backups at all, said plainly', () => {
    const fs = fsOf('hpc-recipes_fsx_lustre_scratch.yaml');
    expect(fs.content).toBe('FSx for Lustre file system');
    expect(fs.disruptions.every((d: any) => d.mechanisms.length === 0)).toBe(true);
    expect(fs.findings.join('\n')).toContain('a Lustre SCRATCH_2 file system: Because scratch file systems are designed for temporary storage and short-term data processing, Amazon FSx doesn\'t support backups on scratch file systems');
  });

  test('Lustre persistent without AutomaticBackupRetentionDays (corpus): AWS\'s create default is 0, so no backups', () => {
    const fs = fsOf('hpc-recipes_fsx_lustre_persistent.yaml');
    expect(row(fs, 'corruption').status).toBe('unprotected');
    expect(fs.findings.join('\n')).toContain('LustreConfiguration.AutomaticBackupRetentionDays is absent: AWS\'s default is 0');
  });

  test('ONTAP with 30 days (corpus): daily backups within a 30-minute window, worst case 24h30m (estimated)', () => {
    const fs = fsOf('hpc-recipes_fsx_ontap.yaml');
    expect(row(fs, 'corruption')).toMatchObject({ mechanisms: ['aws.fsx.automatic-backup'], rpoSeconds: 24 * 3600 + 1800, rpoKind: 'estimated', rtoKind: 'none' });
    expect(fs.restorePoints[1]).toMatchObject({ mechanism: 'aws.fsx.automatic-backup', retention: '30 day(s)', periodicity: 'daily' });
    expect(fs.findings).toContain('a single-AZ deployment (SINGLE_AZ_2): the file system does not survive the loss of its AZ; its backups do');
  });

  test('OpenZFS and Windows without AutomaticBackupRetentionDays (corpus): the documented default of 30 days applies, with a finding; Windows MULTI_AZ_1 covers an AZ outage with no published bound', () => {
    const zfs = fsOf('hpc-recipes_fsx_openzfs.yaml');
    expect(row(zfs, 'corruption').mechanisms).toEqual(['aws.fsx.automatic-backup']);
    expect(zfs.findings.join('\n')).toContain('OpenZFSConfiguration.AutomaticBackupRetentionDays is absent: AWS\'s default is 30');
    const win = fsOf('fsx-workshop_fsx-windows-od-workshop.yaml');
    expect(row(win, 'az').mechanisms).toEqual(['aws.fsx.automatic-backup', 'aws.fsx.multi-az']);
    expect(row(win, 'az').basis).toMatch(/^a daily backup|^automatic daily backups/);
  });

  test('AutomaticBackupRetentionDays 0 turns backups off; an AWS Backup selection by ResourceARN still protects', () => {
    const e = evaluateStacks([stack({
      Fs: { Type: 'AWS::FSx::FileSystem', Properties: { FileSystemType: 'WINDOWS', WindowsConfiguration: { AutomaticBackupRetentionDays: 0, DeploymentType: 'SINGLE_AZ_2' } } },
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: 'Default', ScheduleExpression: 'cron(0 5 * * ? *)', StartWindowMinutes: 60 }] } } },
      Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'r', Resources: [{ 'Fn::GetAtt': ['Fs', 'ResourceARN'] }] } } },
    }, { region: 'us-east-1', account: '111111111111' })]);
    const fs = e.resources[0];
    expect(row(fs, 'corruption').mechanisms).toEqual(['aws.backup.scheduled']);
    expect(fs.findings).toContain('automatic backups are off (AutomaticBackupRetentionDays 0): set WindowsConfiguration.AutomaticBackupRetentionDays (1-90)');
  });
});
