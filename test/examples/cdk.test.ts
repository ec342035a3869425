import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildApp, SYNC_OBJECTIVE } from '../../examples/cdk/app';
import { testApp } from '../util';
import { Disruption, DrkitError, DrkitErrorCode, DynamoContinuousBackup, Period, RecoveryObjective, Retention } from 'drkit';

describe('examples/cdk: the reference sync service', () => {
  // One synthesis for the whole file: cdk-nag's three packs run as aspects on it.
  const built = buildApp(testApp());
  const assembly = built.app.synth();

  test('cdk-nag (AWS Solutions, NIST 800-53 rev 5, HIPAA) reports no error on either stack', () => {
    for (const stack of [built.stack, built.secondary]) {
      const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));
      expect(errors.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('(AwsSolutions|NIST|HIPAA).*'));
      expect(warnings.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    }
  });

  test('control: the same packs report errors on an unprotected table, so the check above can fail', () => {
    const app = testApp();
    const stack = new Stack(app, 'Bare', { env: { region: 'us-east-1' } });
    new dynamodb.Table(stack, 'SyncState', { partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PAY_PER_REQUEST });
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new NIST80053R5Checks());
    Aspects.of(app).add(new HIPAASecurityChecks());
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*')).map(e => String(e.entry.data));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map(e => String(e.entry.data));
    expect(warnings.some(e => e.startsWith('AwsSolutions-DDB3'))).toBe(true);
    expect(errors.some(e => e.includes('NIST.800.53.R5-DynamoDBInBackupPlan'))).toBe(true);
    expect(errors.some(e => e.includes('HIPAA.Security-DynamoDBPITREnabled'))).toBe(true);
  });

  test('every cdk-nag suppression carries a written reason', () => {
    for (const stack of [built.stack, built.secondary]) {
      const resources = Template.fromStack(stack).toJSON().Resources;
      for (const r of Object.values<any>(resources)) {
        for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
          expect(typeof s.reason).toBe('string');
          expect(s.reason.length).toBeGreaterThan(40);
        }
      }
    }
  });

  test('the table: 30 days of PITR, deletion protection, RETAIN, in the backup plan', () => {
    const template = Template.fromStack(built.stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 30 },
        DeletionProtectionEnabled: true,
      }),
      Metadata: Match.objectLike({ 'drkit:construct': 'DynamoContinuousBackup' }),
    });
  });

  test('6-hourly and daily backups, monthly points for a year, each copied to us-west-2', () => {
    const plan = built.protection.plan;
    expect(plan.backupRules.map(r => [r.name, r.scheduleExpression, r.deleteAfterDays, r.moveToColdStorageAfterDays ?? null])).toEqual([
      ['Every6h', 'cron(0 5,11,17,23 * * ? *)', 30, null],
      ['Daily', 'cron(0 5 * * ? *)', 30, null],
      ['Monthly', 'cron(0 5 1 * ? *)', 372, 30],
    ]);
    expect(plan.copyRegion).toBe('us-west-2');
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect(region.rpoSeconds).toBe(7 * 3600);
    Template.fromStack(built.stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: plan.backupRules.map(r => Match.objectLike({
          RuleName: r.name,
          ScheduleExpression: r.scheduleExpression,
          CopyActions: [Match.objectLike({
            DestinationBackupVaultArn: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:us-west-2:', { Ref: 'AWS::AccountId' }, ':backup-vault:SyncService-SyncState-copies']],
            },
          })],
        })),
      }),
    });
  });

  test('the secondary stack in us-west-2 holds the copy vault under its own KMS key, both retained', () => {
    expect(built.secondary.region).toBe('us-west-2');
    expect(built.secondary.stackName).toBe('SyncService-dr-us-west-2');
    const template = Template.fromStack(built.secondary);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    template.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ BackupVaultName: 'SyncService-SyncState-copies' }),
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('the recovery report is in the cloud assembly after synth', () => {
    const json = path.join(assembly.directory, 'drkit-report.json');
    const md = path.join(assembly.directory, 'drkit-report.md');
    expect(fs.existsSync(json)).toBe(true);
    expect(fs.existsSync(md)).toBe(true);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(JSON.stringify(report)).toContain('SyncService');
    expect(fs.readFileSync(md, 'utf8').length).toBeGreaterThan(0);
  });
});

describe('examples/cdk: the naive objective', () => {
  test('30 minutes against every disruption, with 6-hourly backups, fails with DRK010 and says why', () => {
    const app = testApp();
    const stack = new Stack(app, 'SyncService', { env: { region: 'us-east-1' } });
    const table = new dynamodb.Table(stack, 'SyncState', { partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING } });
    const naive = RecoveryObjective.of({
      name: 'sync-state-naive',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      backupInterval: Period.hours(6),
      retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
    });
    let error: unknown;
    try {
      new DynamoContinuousBackup(stack, 'SyncStateProtection', { table, objective: naive, secondaryRegion: 'us-west-2' });
    } catch (e) {
      error = e;
    }
    expect(DrkitError.isDrkitError(error)).toBe(true);
    expect((error as DrkitError).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect((error as DrkitError).message).toBe('[DRK010] `rpo` 30 minutes against region outage cannot be met for table SyncService/SyncState (objective "sync-state-naive") '
      + 'by scheduled backups with copies to another region: the shortest AWS Backup schedule is hourly and a job may start up to 1 hour late (start window), '
      + 'so the worst case is at least 2 hours plus the copy time, which AWS does not publish '
      + '(https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html, https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html). '
      + 'Only replication can do better: add a replica in another region (DynamoDB global table via DrStandby), '
      + 'or raise the region outage rpo to at least 2 hours with `perDisruption`');
  });

  test('the example\'s objective keeps 30 minutes where it holds and states 7 hours against a region outage', () => {
    expect(SYNC_OBJECTIVE.targetFor(Disruption.DATA_CORRUPTION).rpo.toMinutes()).toBe(30);
    expect(SYNC_OBJECTIVE.targetFor(Disruption.AZ_OUTAGE).rpo.toMinutes()).toBe(30);
    expect(SYNC_OBJECTIVE.targetFor(Disruption.REGION_OUTAGE).rpo.toHours()).toBe(7);
    // 6 hours between backups plus the 60-minute start window: 7 hours is the least that holds.
    const tighter = RecoveryObjective.of({
      name: 'tighter',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(6) }],
      backupInterval: Period.hours(6),
      retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
    });
    const app = testApp();
    const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'k', type: dynamodb.AttributeType.STRING } });
    expect(() => new DynamoContinuousBackup(stack, 'P', { table, objective: tighter, secondaryRegion: 'us-west-2' }))
      .toThrow(/^\[DRK013\] `backupInterval` 6 hours cannot meet `rpo` 6 hours against region outage for table S\/T/);
  });
});
