import { stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { Disruption, RecoveryObjective, Retention } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';

/**
 * Issue 14, point 11: the objective's retention is checked against every mechanism of every
 * resource, as it means in the constructs (the point-in-time window against point-in-time
 * mechanisms, kept restore points per frequency).
 */
function objective(retention: Retention): RecoveryObjective {
  return RecoveryObjective.of({ rpo: Period.days(40), rto: Period.days(1), disruptions: [Disruption.DATA_CORRUPTION], retention });
}

function problems(resources: any, o: RecoveryObjective): string[] {
  return evaluateStacks([stack(resources, { region: 'us-east-1', account: '111111111111' })], { objective: o }).gaps.map(g => g.problem);
}

const vault = { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v' } };
function plan(...rules: any[]): any {
  return { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: rules } } };
}
function rule(name: string, schedule: string, deleteAfterDays: number, extra: any = {}): any {
  return { RuleName: name, TargetBackupVault: { Ref: 'Vault' }, ScheduleExpression: schedule, StartWindowMinutes: 60, Lifecycle: { DeleteAfterDays: deleteAfterDays }, ...extra };
}
function selection(...logicalIds: string[]): any {
  return {
    Type: 'AWS::Backup::BackupSelection',
    Properties: {
      BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] },
      BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::111111111111:role/b', Resources: logicalIds.map(id => ({ 'Fn::GetAtt': [id, 'Arn'] })) },
    },
  };
}

test('an Aurora cluster: AWS Backup continuous backup lengthens the point-in-time window past BackupRetentionPeriod, up to its 35 days', () => {
  const resources = (days: number) => ({
    Db: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'db', BackupRetentionPeriod: 7, StorageEncrypted: true, DeletionProtection: true } },
    Vault: vault,
    Plan: plan(rule('Continuous', 'cron(0 5 * * ? *)', days, { EnableContinuousBackup: true })),
    Selection: { ...selection(), Properties: { ...selection().Properties, BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::111111111111:role/b', Resources: [{ 'Fn::GetAtt': ['Db', 'DBClusterArn'] }] } } },
  });
  const o = objective(Retention.of({ pointInTime: Period.days(30), daily: 30 }));
  expect(problems(resources(35), o)).toEqual([]);
  expect(problems(resources(14), o)).toEqual([
    'RDS/Aurora DB cluster db: the point-in-time window is 14 days (AWS Backup continuous backup of plan p rule Continuous), but the objective asks for a point-in-time window of 30 days',
    'RDS/Aurora DB cluster db: daily restore points go back 14 days (AWS Backup continuous backup of plan p rule Continuous), but the objective keeps daily=30 (daily restore points for 30 days)',
  ]);
});

test('a DocumentDB cluster: its BackupRetentionPeriod is the window, and more than 35 days is impossible', () => {
  const resources = { Docs: { Type: 'AWS::DocDB::DBCluster', Properties: { DBClusterIdentifier: 'docs', BackupRetentionPeriod: 35, StorageEncrypted: true, DeletionProtection: true } } };
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(35) })))).toEqual([]);
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(40) })))).toEqual([
    'DocumentDB cluster docs: the point-in-time window is 35 days (DocumentDB cluster automated backups, BackupRetentionPeriod 35), but the objective asks for a point-in-time window of 40 days, '
      + 'more than DocumentDB cluster automated backups can keep (at most 35 days)',
  ]);
});

test('weekly points are kept by a daily rule\'s copies too; yearly points need a rule that runs at least yearly', () => {
  const resources = {
    Files: { Type: 'AWS::EFS::FileSystem', Properties: { Encrypted: true, BackupPolicy: { Status: 'DISABLED' } }, DeletionPolicy: 'Retain' },
    Vault: vault,
    Plan: plan(rule('Daily', 'cron(0 5 * * ? *)', 7, { CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr', Lifecycle: { DeleteAfterDays: 28 } }] })),
    Selection: selection('Files'),
  };
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(7), daily: 7, weekly: 4 })))).toEqual([]);
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(7), daily: 7, yearly: 1 })))).toEqual([
    'EFS file system <file system name of Files>: yearly restore points go back 28 days (AWS Backup copies to arn:aws:backup:us-west-2:111111111111:backup-vault:dr of plan p rule Daily), '
      + 'but the objective keeps yearly=1 (yearly restore points for 366 days)',
  ]);
});

test('EBS snapshots of a DLM policy: kept count x interval', () => {
  const resources = {
    Data: { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'us-east-1a', Size: 10, Encrypted: true, Tags: [{ Key: 'snap', Value: 'yes' }] }, DeletionPolicy: 'Retain' },
    Policy: {
      Type: 'AWS::DLM::LifecyclePolicy',
      Properties: {
        State: 'ENABLED',
        PolicyDetails: {
          ResourceTypes: ['VOLUME'],
          TargetTags: [{ Key: 'snap', Value: 'yes' }],
          Schedules: [{ Name: 'every12h', CreateRule: { Interval: 12, IntervalUnit: 'HOURS' }, RetainRule: { Count: 14 } }],
        },
      },
    },
  };
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(7), daily: 7 })))).toEqual([]);
  expect(problems(resources, objective(Retention.of({ pointInTime: Period.days(7), daily: 10 })))).toEqual([
    'EBS volume <volume name of Data>: daily restore points go back 7 days (EBS snapshots of DLM policy Policy (every12h), kept 14 snapshot(s)), but the objective keeps daily=10 (daily restore points for 10 days)',
  ]);
});
