import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { vaultStack } from './helpers';
import { BackupHealthDashboard, BackupNotifications } from '../../../lib/cdk/evidence';
import { DrkitError, DrkitErrorCode } from '../../../lib/core';

const FAILED = 'FILL(backupFailed, 0) + FILL(backupExpired, 0) + FILL(copyFailed, 0)';
const COMPLETED = 'FILL(backupCompleted, 0) + FILL(copyCompleted, 0)';

describe('BackupHealthDashboard', () => {
  test('GIVEN a vault and the notifications topic THEN an alarm on failed / (failed + completed) at 0.1 that notifies the topic', () => {
    const { stack, vault } = vaultStack();
    const notify = new BackupNotifications(stack, 'Notify', { vault });
    new BackupHealthDashboard(stack, 'Health', { vault, alarmTopic: notify.topic });
    const t = Template.fromStack(stack);

    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const vaultName = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultName'] };
    const metric = (id: string, name: string) => Match.objectLike({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Backup', MetricName: name, Dimensions: [{ Name: 'BackupVaultName', Value: vaultName }] },
        Period: 86400,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0.1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotifyTopic') }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: `(${FAILED}) / (${FAILED} + ${COMPLETED})`, ReturnData: true }),
        metric('backupFailed', 'NumberOfBackupJobsFailed'),
        metric('backupExpired', 'NumberOfBackupJobsExpired'),
        metric('copyFailed', 'NumberOfCopyJobsFailed'),
        metric('backupCompleted', 'NumberOfBackupJobsCompleted'),
        metric('copyCompleted', 'NumberOfCopyJobsCompleted'),
      ]),
    });

    // the dashboard shows every job metric of the vault
    const dashboards = t.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0].Properties.DashboardBody);
    for (const name of [
      'NumberOfBackupJobsCreated', 'NumberOfBackupJobsCompleted', 'NumberOfBackupJobsFailed', 'NumberOfBackupJobsExpired',
      'NumberOfCopyJobsCompleted', 'NumberOfCopyJobsFailed', 'NumberOfRecoveryPointsCompleted',
      'NumberOfRestoreJobsCompleted', 'NumberOfRestoreJobsFailed',
    ]) {
      expect(body).toContain(`\\"${name}\\"`);
    }
    expect(body).toContain('AWS/Backup');
    expect(body).toContain('BackupVaultName');
  });

  test('a threshold of 0 alarms on any failure; the period is configurable; without a topic the alarm has no action', () => {
    const { stack, vault } = vaultStack();
    new BackupHealthDashboard(stack, 'Health', { vault, failedJobShareThreshold: 0, period: Duration.hours(6), dashboardName: 'backup-health' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      AlarmActions: Match.absent(),
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'backupFailed', MetricStat: Match.objectLike({ Period: 21600 }) })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'backup-health' });
  });

  test.each([
    [1, /`failedJobShareThreshold` is a share of jobs and must be at least 0 and below 1, but got 1/],
    [1.5, /but got 1.5/],
    [-0.1, /but got -0.1/],
    [Number.NaN, /but got NaN/],
  ])('refuses a threshold of %p', (threshold, message) => {
    const { stack, vault } = vaultStack();
    let caught: unknown;
    try {
      new BackupHealthDashboard(stack, 'Health', { vault, failedJobShareThreshold: threshold });
    } catch (e) {
      caught = e;
    }
    expect(DrkitError.isDrkitError(caught)).toBe(true);
    expect((caught as DrkitError).code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect((caught as DrkitError).message).toMatch(message);
  });

  test('refuses a period outside 1 hour to 1 day', () => {
    const { stack, vault } = vaultStack();
    expect(() => new BackupHealthDashboard(stack, 'Health', { vault, period: Duration.minutes(5) }))
      .toThrow(/\[DRK020\].*`period` must be whole minutes from 1 hour to 1 day .* but got 5 minutes/);
  });
});
