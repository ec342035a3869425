// Engine-neutral parts of the backup evidence that both engines render: the backup health
// dashboard (metrics, failed-job share, widgets, checks of its settings) and the IAM actions of
// the recovery-access grants. The CDK `BackupHealthDashboard` / `RecoveryAccess` and the
// Pulumi `BackupFoundation` dashboard / `RecoveryAccess` are built from these, so both engines
// show the same metrics and grant the same actions. Internal: not exported from drkit/core.
import { DrkitError, DrkitErrorCode } from './errors';

/** The CloudWatch namespace AWS Backup publishes to. @internal */
export const BACKUP_METRICS_NAMESPACE = 'AWS/Backup';

/** Source of the AWS Backup CloudWatch metrics. @internal */
export const BACKUP_METRICS_SOURCE = 'https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html';

/** One AWS Backup metric of a vault (dimension `BackupVaultName`), summed over the period. @internal */
export interface BackupHealthMetric {
  /** Id in the failed-share expression and the dashboard (`backupFailed`). */
  readonly id: string;
  /** The AWS Backup metric name. */
  readonly metricName: string;
  /** Label on the dashboard. */
  readonly label: string;
}

/** The metrics of the backup health dashboard, in display order. @internal */
export const BACKUP_HEALTH_METRICS: BackupHealthMetric[] = [
  { id: 'backupCreated', metricName: 'NumberOfBackupJobsCreated', label: 'Backup jobs created' },
  { id: 'backupCompleted', metricName: 'NumberOfBackupJobsCompleted', label: 'Backup jobs completed' },
  { id: 'backupFailed', metricName: 'NumberOfBackupJobsFailed', label: 'Backup jobs failed' },
  { id: 'backupExpired', metricName: 'NumberOfBackupJobsExpired', label: 'Backup jobs expired' },
  { id: 'copyCompleted', metricName: 'NumberOfCopyJobsCompleted', label: 'Copy jobs completed' },
  { id: 'copyFailed', metricName: 'NumberOfCopyJobsFailed', label: 'Copy jobs failed' },
  { id: 'recoveryPoints', metricName: 'NumberOfRecoveryPointsCompleted', label: 'Recovery points completed' },
  { id: 'restoreCompleted', metricName: 'NumberOfRestoreJobsCompleted', label: 'Restore jobs completed' },
  { id: 'restoreFailed', metricName: 'NumberOfRestoreJobsFailed', label: 'Restore jobs failed' },
];

/** The metric with this id. @internal */
export function backupHealthMetric(id: string): BackupHealthMetric {
  const m = BACKUP_HEALTH_METRICS.find(x => x.id === id);
  if (!m) throw new Error(`drkit: no backup health metric ${id}`);
  return m;
}

/**
 * The share of failed backup and copy jobs: `(backup failed + backup expired + copy failed) /
 * (those + backup completed + copy completed)`, each series filled with 0 where AWS Backup
 * published nothing, so failures with no completions still alarm; a period with no jobs at all
 * yields no value. @internal
 */
export function failedJobShare(): { expression: string; metricIds: string[]; label: string } {
  const failed = 'FILL(backupFailed, 0) + FILL(backupExpired, 0) + FILL(copyFailed, 0)';
  const completed = 'FILL(backupCompleted, 0) + FILL(copyCompleted, 0)';
  return {
    expression: `(${failed}) / (${failed} + ${completed})`,
    metricIds: ['backupFailed', 'backupExpired', 'copyFailed', 'backupCompleted', 'copyCompleted'],
    label: 'Share of failed backup and copy jobs',
  };
}

/** The default failed-job share above which the health alarm fires. @internal */
export const DEFAULT_FAILED_JOB_SHARE_THRESHOLD = 0.1;

/** The default period of the health metrics and alarm, in seconds (a day). @internal */
export const DEFAULT_HEALTH_PERIOD_SECONDS = 86400;

/** Refuses a failed-job share threshold outside [0, 1). @internal */
export function checkFailedJobShareThreshold(threshold: number, where: string): void {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold >= 1) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: \`failedJobShareThreshold\` is a share of jobs and must be at least 0 and below 1, but got ${threshold}: for example 0.1 alarms when more than 10% of jobs fail (0 alarms on any failure)`);
  }
}

/** Refuses a health period that is not whole minutes from 1 hour to 1 day. @internal */
export function checkHealthPeriodSeconds(seconds: number, shown: string, where: string): void {
  if (seconds < 3600 || seconds > 86400 || seconds % 60 !== 0) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: \`period\` must be whole minutes from 1 hour to 1 day (AWS Backup publishes job counts as they happen; a shorter period mostly shows empty periods), but got ${shown}`);
  }
}

/** The alarm's description. @internal */
export function failedJobShareAlarmDescription(threshold: number, vaultName?: string): string {
  return `drkit: more than ${Math.round(threshold * 1000) / 10}% of the AWS Backup backup and copy jobs of ${vaultName ? `vault ${vaultName}` : 'the vault'} failed or expired in the period`;
}

/** One widget of the health dashboard. @internal */
export interface BackupHealthWidget {
  /** `text`, `graph` (metric ids, or `share` for the failed-job share) or `alarms`. */
  readonly kind: string;
  readonly title?: string;
  readonly markdown?: string;
  readonly metricIds?: string[];
  readonly width: number;
  readonly height?: number;
}

/** The dashboard's rows of widgets, top to bottom (the CDK and Pulumi dashboards lay them out alike). @internal */
export function backupHealthRows(): BackupHealthWidget[][] {
  return [
    [{
      kind: 'text',
      markdown: '# Backup health\nAWS Backup jobs of this vault. Restore jobs include the restore tests, whose duration is the measured restore time.',
      width: 24,
      height: 2,
    }],
    [
      { kind: 'graph', title: 'Backup jobs', metricIds: ['backupCreated', 'backupCompleted', 'backupFailed', 'backupExpired'], width: 12 },
      { kind: 'graph', title: 'Copy jobs', metricIds: ['copyCompleted', 'copyFailed'], width: 12 },
    ],
    [
      { kind: 'graph', title: 'Recovery points', metricIds: ['recoveryPoints'], width: 8 },
      { kind: 'graph', title: 'Restore jobs and restore tests', metricIds: ['restoreCompleted', 'restoreFailed'], width: 8 },
      { kind: 'share', title: 'Share of failed jobs', width: 8 },
    ],
    [{ kind: 'alarms', title: 'Backup alarms', width: 24, height: 3 }],
  ];
}

/** Read-only AWS Backup actions on one vault (resource type `backupVault`). @internal */
export const VAULT_READ_ACTIONS = [
  'backup:DescribeBackupVault',
  'backup:ListRecoveryPointsByBackupVault',
];

/** Read-only actions on recovery points (resource type `recoveryPoint`). @internal */
export const RECOVERY_POINT_READ_ACTIONS = [
  'backup:DescribeRecoveryPoint',
  'backup:GetRecoveryPointRestoreMetadata',
];

/** Read-only actions on backup plans (resource type `backupPlan`). @internal */
export const PLAN_READ_ACTIONS = [
  'backup:GetBackupPlan',
  'backup:GetBackupSelection',
  'backup:ListBackupSelections',
];

/**
 * Read-only actions that have no resource type in the Service Authorization Reference, so IAM
 * only accepts them with `Resource: "*"`. @internal
 */
export const ACCOUNT_READ_ACTIONS = [
  'backup:DescribeBackupJob',
  'backup:DescribeCopyJob',
  'backup:DescribeProtectedResource',
  'backup:DescribeRestoreJob',
  'backup:ListBackupJobs',
  'backup:ListBackupPlans',
  'backup:ListBackupVaults',
  'backup:ListCopyJobs',
  'backup:ListProtectedResources',
  'backup:ListRecoveryPointsByResource',
  'backup:ListRestoreJobs',
];

/** Restore-job actions that AWS Backup authorizes only on `*`. @internal */
export const RESTORE_JOB_ACTIONS = ['backup:DescribeRestoreJob', 'backup:ListRestoreJobs'];

/** Every action a restore operator is granted. @internal */
export const RESTORE_OPERATOR_ACTIONS: string[] = [
  ...VAULT_READ_ACTIONS,
  ...RECOVERY_POINT_READ_ACTIONS,
  'backup:StartRestoreJob',
  ...RESTORE_JOB_ACTIONS,
  'iam:PassRole',
];

/** Every action an inventory reader is granted. @internal */
export const INVENTORY_READ_ACTIONS: string[] = [
  ...VAULT_READ_ACTIONS,
  'backup:DescribeRecoveryPoint',
  ...PLAN_READ_ACTIONS,
  ...ACCOUNT_READ_ACTIONS,
];

/** Source of the AWS Backup actions and their resource types. @internal */
export const BACKUP_ACTIONS_SOURCE = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html';

/** ARN parts of the recovery-access statements. @internal */
export interface RecoveryAccessArns {
  /** The vault restored from (or every vault of the account and region, for inventory reads). */
  readonly vaultArn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** One IAM statement, engine-neutral. @internal */
export interface AccessStatement {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: { [op: string]: { [key: string]: string } };
}

function arn(p: RecoveryAccessArns, resource: string): string {
  return `arn:${p.partition}:backup:${p.region}:${p.account}:${resource}`;
}

/**
 * The statements of a restore operator: read the vault and the recovery points of its account
 * and region (recovery point ARNs carry no vault name), start restore jobs, follow them, and
 * pass the restore role (only that role, only to AWS Backup). @internal
 */
export function restoreOperatorStatements(p: RecoveryAccessArns, restoreRoleArn: string): AccessStatement[] {
  return [
    { actions: VAULT_READ_ACTIONS, resources: [p.vaultArn] },
    { actions: [...RECOVERY_POINT_READ_ACTIONS, 'backup:StartRestoreJob'], resources: [arn(p, 'recovery-point:*')] },
    { actions: RESTORE_JOB_ACTIONS, resources: ['*'] },
    { actions: ['iam:PassRole'], resources: [restoreRoleArn], conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } } },
  ];
}

/** The statements of an inventory reader: list, describe and get; nothing that changes or restores. @internal */
export function inventoryReadStatements(p: RecoveryAccessArns): AccessStatement[] {
  return [
    { actions: VAULT_READ_ACTIONS, resources: [p.vaultArn] },
    { actions: ['backup:DescribeRecoveryPoint'], resources: [arn(p, 'recovery-point:*')] },
    { actions: PLAN_READ_ACTIONS, resources: [arn(p, 'backup-plan:*')] },
    { actions: ACCOUNT_READ_ACTIONS, resources: ['*'] },
  ];
}

/** Every vault of an account and region, for inventory reads without a vault. @internal */
export function allVaultsArn(p: Omit<RecoveryAccessArns, 'vaultArn'>): string {
  return arn({ ...p, vaultArn: '' }, 'backup-vault:*');
}
