/**
 * Parity of the evidence and recovery pieces the Pulumi AWS components gained: the backup health
 * dashboard and its failed-job alarm, the logically air-gapped vault, and `RecoveryAccess`. The
 * CDK constructs' templates and the Pulumi registrations (under mocks) are normalized to one
 * shape (references replaced by what they name) and compared strictly.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  DynamoContinuousBackup as CdkDynamoContinuousBackup, ObjectiveBackup, RecoveryAccess as CdkRecoveryAccess,
} from '../../lib/cdk';
import { Period, RecoveryObjective, Retention } from '../../lib/core';
import { ACCOUNT, installMocks, Recorder, recordPulumiLogs, Registration, settle } from '../pulumi/aws/harness';
import { testApp } from '../util';

let rec: Recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiAws = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
const awsIam = require('@pulumi/aws/iam') as typeof import('@pulumi/aws/iam');
const awsBackup = require('@pulumi/aws/backup') as typeof import('@pulumi/aws/backup');
/* eslint-enable @typescript-eslint/no-require-imports */
recordPulumiLogs();

const REGION = 'us-east-1';
const OBJECTIVE = RecoveryObjective.of({
  name: 'evidence',
  rpo: Period.hours(12),
  rto: Period.hours(4),
  retention: Retention.of({ daily: 30, monthly: 12 }),
});

function fail(msg: string): never {
  throw new Error(`normalizer: ${msg}`);
}

/** A CloudFormation value as text, with the references the test names replaced by placeholders. */
function render(x: any, names: { [ref: string]: string }): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return String(x);
  if (x?.Ref) return names[x.Ref] ?? fail(`unnamed Ref ${x.Ref}`);
  if (x?.['Fn::GetAtt']) return names[x['Fn::GetAtt'].join('.')] ?? fail(`unnamed GetAtt ${x['Fn::GetAtt'].join('.')}`);
  if (x?.['Fn::Join']) return (x['Fn::Join'][1] as any[]).map(p => render(p, names)).join(x['Fn::Join'][0]);
  return fail(`cannot render ${JSON.stringify(x)}`);
}

interface Normalized {
  readonly alarm: any;
  readonly dashboard: any;
  readonly airGapped: { minRetentionDays: number; maxRetentionDays: number; retained: boolean };
  /** Per rule (by name): the lifecycle of its copy into the air-gapped vault. */
  readonly airGappedCopies: { [rule: string]: any };
}

function cdkSide(): Normalized {
  const app = testApp();
  const stack = new Stack(app, 'Evidence', { env: { account: ACCOUNT, region: REGION } });
  const ob = ObjectiveBackup.of(stack, OBJECTIVE, { secondaryRegion: 'us-west-2', airGappedVault: true });
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new CdkDynamoContinuousBackup(stack, 'Backup', { table, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  const resources: { [id: string]: any } = Template.fromStack(stack).toJSON().Resources;
  const only = (type: string) => {
    const found = Object.entries(resources).filter(([, r]) => r.Type === type);
    if (found.length !== 1) fail(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  const vaultId = stack.getLogicalId(ob.vault.node.defaultChild as backup.CfnBackupVault);
  const [alarmId, alarm] = only('AWS::CloudWatch::Alarm');
  const [topicId] = only('AWS::SNS::Topic');
  const [lagId, lag] = only('AWS::Backup::LogicallyAirGappedBackupVault');
  const names = {
    [`${vaultId}.BackupVaultName`]: '<vault>',
    [`${alarmId}.Arn`]: '<alarm>',
    [topicId]: '<topic>',
    'AWS::Region': REGION,
    [`${lagId}.BackupVaultArn`]: '<air-gapped vault>',
    'AWS::Partition': 'aws',
    'AWS::AccountId': ACCOUNT,
  };
  const a = alarm.Properties;
  const [, plan] = only('AWS::Backup::BackupPlan');
  const airGappedCopies: { [rule: string]: any } = {};
  for (const rule of plan.Properties.BackupPlan.BackupPlanRule) {
    const copies = rule.CopyActions.filter((c: any) => render(c.DestinationBackupVaultArn, names) === '<air-gapped vault>');
    airGappedCopies[rule.RuleName] = copies.map((c: any) => ({
      deleteAfterDays: c.Lifecycle.DeleteAfterDays, coldStorageAfterDays: c.Lifecycle.MoveToColdStorageAfterDays,
    }));
  }
  return JSON.parse(JSON.stringify({
    alarm: {
      description: a.AlarmDescription,
      actions: a.AlarmActions.map((x: any) => render(x, names)),
      comparison: a.ComparisonOperator,
      threshold: a.Threshold,
      evaluationPeriods: a.EvaluationPeriods,
      datapoints: a.DatapointsToAlarm,
      missing: a.TreatMissingData,
      expression: a.Metrics.filter((m: any) => m.Expression)
        .map((m: any) => ({ expression: m.Expression, label: m.Label, returnData: m.ReturnData })),
      metrics: a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => ({
        id: m.Id,
        namespace: m.MetricStat.Metric.Namespace,
        metric: m.MetricStat.Metric.MetricName,
        dimensions: m.MetricStat.Metric.Dimensions.map((d: any) => `${d.Name}=${render(d.Value, names)}`),
        period: m.MetricStat.Period,
        stat: m.MetricStat.Stat,
      })),
    },
    dashboard: JSON.parse(render(only('AWS::CloudWatch::Dashboard')[1].Properties.DashboardBody, names)),
    airGapped: { minRetentionDays: lag.Properties.MinRetentionDays, maxRetentionDays: lag.Properties.MaxRetentionDays, retained: lag.DeletionPolicy === 'Retain' },
    airGappedCopies,
  }));
}

async function pulumiSide(): Promise<Normalized> {
  rec = installMocks();
  pulumiAws.BackupFoundation.of(OBJECTIVE, { region: REGION, secondaryRegion: 'us-west-2', airGappedVault: true });
  new pulumiAws.DynamoContinuousBackup('orders', { objective: OBJECTIVE, table: { args: { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }] } }, region: REGION, secondaryRegion: 'us-west-2' });
  await settle();
  const only = (type: string): Registration => {
    const found = rec.ofType(type);
    if (found.length !== 1) fail(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  const F = 'drkit-backup-evidence-us-east-1';
  const vaultName = `${F}-vault-phys`;
  const alarmReg = only('aws:cloudwatch/metricAlarm:MetricAlarm');
  const alarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmReg.name}-phys`;
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${only('aws:sns/topic:Topic').name}-phys`;
  const lagReg = only('aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault');
  const lagArn = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${lagReg.inputs.name}`;
  const swap = (v: string) => (v === vaultName ? '<vault>' : v === alarmArn ? '<alarm>' : v === topicArn ? '<topic>' : v === lagArn ? '<air-gapped vault>' : v);
  const deep = (x: any): any => (Array.isArray(x) ? x.map(deep) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, deep(v)])) : typeof x === 'string' ? swap(x) : x);
  const a = alarmReg.inputs;
  const airGappedCopies: { [rule: string]: any } = {};
  for (const rule of only('aws:backup/plan:Plan').inputs.rules) {
    airGappedCopies[rule.ruleName] = rule.copyActions.filter((c: any) => swap(c.destinationVaultArn) === '<air-gapped vault>')
      .map((c: any) => ({ deleteAfterDays: c.lifecycle.deleteAfter, coldStorageAfterDays: c.lifecycle.coldStorageAfter }));
  }
  return JSON.parse(JSON.stringify({
    alarm: {
      description: a.alarmDescription,
      actions: a.alarmActions.map(swap),
      comparison: a.comparisonOperator,
      threshold: a.threshold,
      evaluationPeriods: a.evaluationPeriods,
      datapoints: a.datapointsToAlarm,
      missing: a.treatMissingData,
      expression: a.metricQueries.filter((m: any) => m.expression)
        .map((m: any) => ({ expression: m.expression, label: m.label, returnData: m.returnData })),
      metrics: a.metricQueries.filter((m: any) => m.metric).map((m: any) => ({
        id: m.id,
        namespace: m.metric.namespace,
        metric: m.metric.metricName,
        dimensions: Object.entries(m.metric.dimensions).map(([k, v]) => `${k}=${swap(v as string)}`),
        period: m.metric.period,
        stat: m.metric.stat,
      })),
    },
    dashboard: deep(JSON.parse(only('aws:cloudwatch/dashboard:Dashboard').inputs.dashboardBody)),
    airGapped: {
      minRetentionDays: lagReg.inputs.minRetentionDays, maxRetentionDays: lagReg.inputs.maxRetentionDays, retained: lagReg.retainOnDelete,
    },
    airGappedCopies,
  }));
}

/** IAM statements as `<effect> <actions> on <resources> [if <conditions>]`, with ARNs named. */
function statements(doc: any, swap: (s: string) => string): string[] {
  return doc.Statement.map((s: any) => `${s.Effect} ${[].concat(s.Action).sort().join(',')} on ${[].concat(s.Resource).map(swap).sort().join(',')}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''}`).sort();
}

describe('evidence and recovery parity: CDK and Pulumi', () => {
  test('GIVEN an objective with an air-gapped vault WHEN both engines render its backup THEN the dashboard, the failed-job alarm and the air-gapped vault are the same', async () => {
    const cdk = cdkSide();
    const pulumi = await pulumiSide();
    expect(pulumi).toStrictEqual(cdk);
    // What the comparison covers.
    expect(cdk.alarm.actions).toEqual(['<topic>']);
    expect(cdk.alarm.metrics.map((m: any) => m.metric)).toEqual(['NumberOfBackupJobsFailed', 'NumberOfBackupJobsExpired', 'NumberOfCopyJobsFailed', 'NumberOfBackupJobsCompleted', 'NumberOfCopyJobsCompleted']);
    expect(cdk.dashboard.widgets).toHaveLength(7);
    expect(cdk.dashboard.widgets[6].properties.alarms).toEqual(['<alarm>']);
    expect(cdk.airGapped).toEqual({ minRetentionDays: 30, maxRetentionDays: 372, retained: true });
    // Every rule copies to the air-gapped vault, as long as the rule keeps its points, never to cold storage.
    expect(cdk.airGappedCopies).toEqual({
      Every8h: [{ deleteAfterDays: 35 }], Daily: [{ deleteAfterDays: 30 }], Monthly: [{ deleteAfterDays: 372 }],
    });
  });

  test('GIVEN a restore operator and an inventory reader WHEN both engines grant them THEN the same actions on the same resources', async () => {
    // CDK
    const app = testApp();
    const stack = new Stack(app, 'Access', { env: { account: ACCOUNT, region: REGION } });
    const vault = new backup.BackupVault(stack, 'Vault');
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    CdkRecoveryAccess.grantRestoreOperator(operator, vault, restoreRole);
    CdkRecoveryAccess.grantInventoryRead(reader, vault);
    const resources: { [id: string]: any } = Template.fromStack(stack).toJSON().Resources;
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
    const names = {
      [`${id(vault)}.BackupVaultArn`]: '<vault>', [`${id(restoreRole)}.Arn`]: '<restore role>', 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT,
    };
    const cdkPolicy = (role: iam.Role) => {
      const docs = Object.values(resources).filter((r: any) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === id(role)));
      if (docs.length !== 1) fail(`expected one policy of ${role.node.id}`);
      const doc = docs[0].Properties.PolicyDocument;
      const named = doc.Statement.map((s: any) => ({ ...s, Resource: [].concat(s.Resource).map((r: any) => render(r, names)) }));
      return statements({ Statement: named }, x => x);
    };

    // Pulumi
    rec = installMocks();
    const pVault = new awsBackup.Vault('vault', { region: REGION });
    const pRestore = new awsIam.Role('restore-role', { assumeRolePolicy: '{}' });
    const pOperator = new awsIam.Role('operator', { assumeRolePolicy: '{}' });
    const pReader = new awsIam.Role('reader', { assumeRolePolicy: '{}' });
    pulumiAws.RecoveryAccess.grantRestoreOperator('operator-restore', pOperator, { vault: pVault, restoreRole: pRestore });
    pulumiAws.RecoveryAccess.grantInventoryRead('reader-inventory', pReader, { vault: pVault });
    await settle();
    const swap = (v: string) => (v === `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:vault-phys` ? '<vault>' : v === `arn:aws:iam::${ACCOUNT}:role/restore-role-phys` ? '<restore role>' : v);
    const pulumiPolicy = (name: string, role: string) => {
      const reg = rec.named(name);
      expect(reg.type).toBe('aws:iam/rolePolicy:RolePolicy');
      expect(reg.inputs.role).toBe(`${role}-id`);
      return statements(JSON.parse(reg.inputs.policy), swap);
    };

    expect(pulumiPolicy('operator-restore', 'operator')).toEqual(cdkPolicy(operator));
    expect(pulumiPolicy('reader-inventory', 'reader')).toEqual(cdkPolicy(reader));
    expect(cdkPolicy(operator)).toEqual([
      'Allow backup:DescribeBackupVault,backup:ListRecoveryPointsByBackupVault on <vault>',
      'Allow backup:DescribeRecoveryPoint,backup:GetRecoveryPointRestoreMetadata,backup:StartRestoreJob on arn:aws:backup:us-east-1:123456789012:recovery-point:*',
      'Allow backup:DescribeRestoreJob,backup:ListRestoreJobs on *',
      'Allow iam:PassRole on <restore role> if {"StringEquals":{"iam:PassedToService":"backup.amazonaws.com"}}',
    ]);
    expect(pulumiAws.RecoveryAccess.RESTORE_OPERATOR_ACTIONS).toEqual(CdkRecoveryAccess.RESTORE_OPERATOR_ACTIONS);
    expect(pulumiAws.RecoveryAccess.INVENTORY_READ_ACTIONS).toEqual(CdkRecoveryAccess.INVENTORY_READ_ACTIONS);
  });
});
