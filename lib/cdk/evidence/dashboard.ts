import { Duration, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  BACKUP_HEALTH_METRICS, BACKUP_METRICS_NAMESPACE, backupHealthRows, checkFailedJobShareThreshold, checkHealthPeriodSeconds,
  DEFAULT_FAILED_JOB_SHARE_THRESHOLD, failedJobShare, failedJobShareAlarmDescription,
} from '../../core/backup-evidence';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { allowTopicPublisher, TopicPublisher } from '../replication-alarm-topic';

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
    const threshold = props.failedJobShareThreshold ?? DEFAULT_FAILED_JOB_SHARE_THRESHOLD;
    if (!Token.isUnresolved(threshold)) checkFailedJobShareThreshold(threshold, `BackupHealthDashboard ${this.node.path}`);
    const period = props.period ?? Duration.days(1);
    if (!period.isUnresolved()) checkHealthPeriodSeconds(period.toSeconds(), period.toHumanString(), `BackupHealthDashboard ${this.node.path}`);

    // The metrics, the failed-job share and the layout come from drkit's core, which the
    // Pulumi BackupFoundation renders too.
    const vaultName = props.vault.backupVaultName;
    const metrics: { [id: string]: cloudwatch.Metric } = {};
    for (const m of BACKUP_HEALTH_METRICS) {
      metrics[m.id] = new cloudwatch.Metric({
        namespace: BACKUP_METRICS_NAMESPACE,
        metricName: m.metricName,
        dimensionsMap: { BackupVaultName: vaultName },
        statistic: cloudwatch.Stats.SUM,
        period,
        label: m.label,
      });
    }
    const share = failedJobShare();
    this.failedJobShare = new cloudwatch.MathExpression({
      expression: share.expression,
      usingMetrics: Object.fromEntries(share.metricIds.map(m => [m, metrics[m]])),
      label: share.label,
      period,
    });

    this.failedJobShareAlarm = new cloudwatch.Alarm(this, 'FailedJobShareAlarm', {
      alarmDescription: Token.isUnresolved(threshold)
        ? 'drkit: the share of failed or expired AWS Backup backup and copy jobs of the vault crossed the threshold'
        : failedJobShareAlarmDescription(threshold, Token.isUnresolved(vaultName) ? undefined : vaultName),
      metric: this.failedJobShare,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.failedJobShareAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
      // The topic policy replaces SNS's default one: CloudWatch must be named in it.
      allowTopicPublisher(props.alarmTopic, TopicPublisher.CLOUDWATCH);
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(14),
    });
    for (const row of backupHealthRows()) {
      this.dashboard.addWidgets(...row.map((w): cloudwatch.IWidget => {
        switch (w.kind) {
          case 'text':
            return new cloudwatch.TextWidget({ markdown: w.markdown!, width: w.width, height: w.height });
          case 'share':
            return new cloudwatch.GraphWidget({
              title: w.title,
              left: [this.failedJobShare],
              leftAnnotations: [{ value: threshold, label: 'alarm threshold', color: cloudwatch.Color.RED }],
              leftYAxis: { min: 0, max: 1 },
              width: w.width,
            });
          case 'alarms':
            return new cloudwatch.AlarmStatusWidget({ title: w.title, alarms: [this.failedJobShareAlarm], width: w.width, height: w.height });
          default:
            return new cloudwatch.GraphWidget({ title: w.title, left: w.metricIds!.map(m => metrics[m]), width: w.width });
        }
      }));
    }
  }
}
