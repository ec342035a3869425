import { Duration, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../../core/errors';

/** Properties of `BackupHealthDashboard`. */
export interface BackupHealthDashboardProps {
  /** The vault whose jobs and recovery points are shown (the `BackupVaultName` dimension). */
  readonly vault: backup.IBackupVault;
  /**
   * Alarm when the share of failed jobs, failed / (failed + completed), is above this (0 to 1, 1 excluded).
   * @default 0.1
   */
  readonly failedJobShareThreshold?: number;
  /**
   * Topic that the alarm notifies, for example `BackupNotifications.topic`.
   * @default - the alarm notifies nobody
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Period over which jobs are counted (and the alarm evaluates), 1 hour to 1 day.
   * @default Duration.days(1)
   */
  readonly period?: Duration;
  /**
   * Name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

const NAMESPACE = 'AWS/Backup';

/**
 * Backup health at a glance: a CloudWatch dashboard of the `AWS/Backup` metrics of one vault
 * (backup jobs created, completed, failed and expired; copy jobs completed and failed;
 * recovery points completed; restore jobs completed and failed, restore tests included)
 * and an alarm on the share of failed jobs.
 *
 * The share counts backup and copy jobs:
 * `(backup failed + backup expired + copy failed) / (those + backup completed + copy completed)`,
 * each series filled with 0 where AWS Backup published nothing, so failures with no
 * completions still alarm. A period with no jobs at all yields no value, which the alarm
 * treats as not breaching.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html
 */
export class BackupHealthDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The failed-job-share alarm. */
  public readonly failedJobShareAlarm: cloudwatch.Alarm;
  /** The failed-job-share expression the alarm watches. */
  public readonly failedJobShare: cloudwatch.MathExpression;

  constructor(scope: Construct, id: string, props: BackupHealthDashboardProps) {
    super(scope, id);
    if (!props || !props.vault) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupHealthDashboard ${this.node.path}: \`vault\` is required: the vault whose jobs the dashboard shows`);
    }
    const threshold = props.failedJobShareThreshold ?? 0.1;
    if (!Token.isUnresolved(threshold) && (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold >= 1)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupHealthDashboard ${this.node.path}: \`failedJobShareThreshold\` is a share of jobs and must be at least 0 and below 1, but got ${threshold}: for example 0.1 alarms when more than 10% of jobs fail (0 alarms on any failure)`);
    }
    const period = props.period ?? Duration.days(1);
    if (!period.isUnresolved()) {
      const seconds = period.toSeconds();
      if (seconds < 3600 || seconds > 86400 || seconds % 60 !== 0) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `BackupHealthDashboard ${this.node.path}: \`period\` must be whole minutes from 1 hour to 1 day (AWS Backup publishes job counts as they happen; a shorter period mostly shows empty periods), but got ${period.toHumanString()}`);
      }
    }

    const vaultName = props.vault.backupVaultName;
    const metric = (metricName: string, label: string) => new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { BackupVaultName: vaultName },
      statistic: cloudwatch.Stats.SUM,
      period,
      label,
    });

    const backupCreated = metric('NumberOfBackupJobsCreated', 'Backup jobs created');
    const backupCompleted = metric('NumberOfBackupJobsCompleted', 'Backup jobs completed');
    const backupFailed = metric('NumberOfBackupJobsFailed', 'Backup jobs failed');
    const backupExpired = metric('NumberOfBackupJobsExpired', 'Backup jobs expired');
    const copyCompleted = metric('NumberOfCopyJobsCompleted', 'Copy jobs completed');
    const copyFailed = metric('NumberOfCopyJobsFailed', 'Copy jobs failed');
    const recoveryPoints = metric('NumberOfRecoveryPointsCompleted', 'Recovery points completed');
    const restoreCompleted = metric('NumberOfRestoreJobsCompleted', 'Restore jobs completed');
    const restoreFailed = metric('NumberOfRestoreJobsFailed', 'Restore jobs failed');

    const failed = 'FILL(backupFailed, 0) + FILL(backupExpired, 0) + FILL(copyFailed, 0)';
    const completed = 'FILL(backupCompleted, 0) + FILL(copyCompleted, 0)';
    this.failedJobShare = new cloudwatch.MathExpression({
      expression: `(${failed}) / (${failed} + ${completed})`,
      usingMetrics: { backupFailed, backupExpired, copyFailed, backupCompleted, copyCompleted },
      label: 'Share of failed backup and copy jobs',
      period,
    });

    this.failedJobShareAlarm = new cloudwatch.Alarm(this, 'FailedJobShareAlarm', {
      alarmDescription: Token.isUnresolved(threshold)
        ? 'drkit: the share of failed or expired AWS Backup backup and copy jobs of the vault crossed the threshold'
        : `drkit: more than ${Math.round(threshold * 1000) / 10}% of the AWS Backup backup and copy jobs of ${Token.isUnresolved(vaultName) ? 'the vault' : `vault ${vaultName}`} failed or expired in the period`,
      metric: this.failedJobShare,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.failedJobShareAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(14),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '# Backup health\nAWS Backup jobs of this vault. Restore jobs include the restore tests, whose duration is the measured restore time.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Backup jobs',
        left: [backupCreated, backupCompleted, backupFailed, backupExpired],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Copy jobs',
        left: [copyCompleted, copyFailed],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Recovery points',
        left: [recoveryPoints],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Restore jobs and restore tests',
        left: [restoreCompleted, restoreFailed],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Share of failed jobs',
        left: [this.failedJobShare],
        leftAnnotations: [{ value: threshold, label: 'alarm threshold', color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0, max: 1 },
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Backup alarms',
        alarms: [this.failedJobShareAlarm],
        width: 24,
      }),
    );
  }
}
