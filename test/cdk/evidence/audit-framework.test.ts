import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BackupAuditFramework, BackupAuditFrameworkProps, ProtectedResourceType } from '../../../lib/cdk/evidence';
import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, RecoveryTier, Retention,
} from '../../../lib/core';
import { testApp } from '../../util';

function stack(): Stack {
  return new Stack(testApp(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The framework's controls as synthesized, keyed by control name. */
function controls(s: Stack): { [name: string]: any } {
  const fw = Object.values(Template.fromStack(s).findResources('AWS::Backup::Framework'));
  expect(fw).toHaveLength(1);
  const out: { [name: string]: any } = {};
  for (const c of fw[0].Properties.FrameworkControls) out[c.ControlName] = c;
  return out;
}

function params(control: any): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const p of control.ControlInputParameters ?? []) out[p.ParameterName] = p.ParameterValue;
  return out;
}

function expectDrkit(fn: () => unknown, code: DrkitErrorCode, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(DrkitError.isDrkitError(caught)).toBe(true);
  expect((caught as DrkitError).code).toBe(code);
  expect((caught as DrkitError).message).toMatch(message);
}

describe('BackupAuditFramework', () => {
  test('GIVEN the gold tier THEN controls for age, frequency, encryption, cross-region copies and restore time', () => {
    const s = stack();
    const fw = new BackupAuditFramework(s, 'Audit', {
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
      copyRegions: ['us-west-2'],
    });
    const c = controls(s);
    expect(Object.keys(c)).toEqual([
      'BACKUP_LAST_RECOVERY_POINT_CREATED',
      'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      'BACKUP_RECOVERY_POINT_ENCRYPTED',
      'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
      'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
    ]);
    expect(fw.controlNames).toEqual(Object.keys(c));
    // rpo 15 minutes: the control counts whole hours, so 1 hour (and a warning says so)
    expect(params(c.BACKUP_LAST_RECOVERY_POINT_CREATED)).toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '1' });
    // no interval meets 15 minutes: hourly, kept for the 35-day point-in-time window
    expect(params(c.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK)).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '1', requiredRetentionDays: '35',
    });
    expect(c.BACKUP_RECOVERY_POINT_ENCRYPTED.ControlInputParameters).toBeUndefined();
    expect(params(c.BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)).toEqual({ crossRegionList: 'us-west-2' });
    // rto 4 hours = 240 minutes
    expect(params(c.RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)).toEqual({ maxRestoreTime: '240' });
    // no immutability, no account compromise: no lock or cross-account control
    expect(c.BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK).toBeUndefined();
    expect(c.BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT).toBeUndefined();

    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('checks recovery point age in whole hours, so the rpo 15 minutes is checked as 1 hour'));
    expect(warnings).toHaveLength(1);
    const infos = Annotations.fromStack(s).findInfo('*', Match.stringLikeRegexp('AWS Config must record'));
    expect(infos).toHaveLength(1);
  });

  test('GIVEN the platinum tier THEN vault lock retention from the schedule and cross-account copies', () => {
    const s = stack();
    new BackupAuditFramework(s, 'Audit', {
      objective: RecoveryObjective.fromTier(RecoveryTier.PLATINUM),
      copyRegions: ['us-west-2', 'eu-central-1'],
      copyAccounts: ['222222222222'],
    });
    const c = controls(s);
    // shortest tier 30 daily points, longest 7 yearly points (7 x 366 days)
    expect(params(c.BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK)).toEqual({ minRetentionDays: '30', maxRetentionDays: '2562' });
    expect(params(c.BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)).toEqual({ crossRegionList: 'us-west-2,eu-central-1' });
    expect(params(c.BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT)).toEqual({ crossAccountList: '222222222222' });
    expect(params(c.RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)).toEqual({ maxRestoreTime: '60' });
  });

  test('GIVEN the bronze tier THEN a one-day age, 12-hourly frequency and a 72-hour restore target', () => {
    const s = stack();
    new BackupAuditFramework(s, 'Audit', { objective: RecoveryObjective.fromTier(RecoveryTier.BRONZE) });
    const c = controls(s);
    expect(params(c.BACKUP_LAST_RECOVERY_POINT_CREATED)).toEqual({ recoveryPointAgeUnit: 'days', recoveryPointAgeValue: '1' });
    // every 12 hours plus the 60-minute start window fits 24 hours; every 24 hours would not
    expect(params(c.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK)).toEqual({
      requiredFrequencyUnit: 'hours', requiredFrequencyValue: '12', requiredRetentionDays: '7',
    });
    expect(params(c.RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)).toEqual({ maxRestoreTime: '4320' });
    expect(Annotations.fromStack(s).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  test('a weekly backup interval, governance lock with given retention, RPO rounded up, resource-type scope', () => {
    const s = stack();
    new BackupAuditFramework(s, 'Audit', {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(90),
        rto: Period.minutes(90),
        disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
        backupInterval: Period.days(7),
        immutability: Immutability.GOVERNANCE,
        retention: Retention.of({ pointInTime: Period.days(7), daily: 14 }),
      }),
      lockMinRetentionDays: 7,
      lockMaxRetentionDays: 400,
      resourceTypes: [ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3],
      frameworkName: 'orders_evidence',
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Backup::Framework', { FrameworkName: 'orders_evidence' });
    const c = controls(s);
    expect(params(c.BACKUP_LAST_RECOVERY_POINT_CREATED)).toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '2' });
    expect(Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('so the rpo 90 minutes is checked as 2 hours'))).toHaveLength(1);
    expect(params(c.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK)).toEqual({
      requiredFrequencyUnit: 'days', requiredFrequencyValue: '7', requiredRetentionDays: '14',
    });
    expect(params(c.BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK)).toEqual({ minRetentionDays: '7', maxRetentionDays: '400' });
    // AZ outage only counts for restore time when nothing else is restored from: here corruption (90 minutes)
    expect(params(c.RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)).toEqual({ maxRestoreTime: '90' });
    const scope = { ComplianceResourceTypes: ['DynamoDB', 'S3'] };
    expect(c.BACKUP_LAST_RECOVERY_POINT_CREATED.ControlScope).toEqual(scope);
    expect(c.BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK.ControlScope).toEqual(scope);
    expect(c.RESTORE_TIME_FOR_RESOURCES_MEET_TARGET.ControlScope).toEqual(scope);
    // plan and recovery-point controls evaluate plans and recovery points, not resource types
    expect(c.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK.ControlScope).toBeUndefined();
    expect(c.BACKUP_RECOVERY_POINT_ENCRYPTED.ControlScope).toBeUndefined();
  });

  const local = (props: Partial<BackupAuditFrameworkProps> & { rpo?: Period }): BackupAuditFrameworkProps => ({
    objective: RecoveryObjective.of({ rpo: props.rpo ?? Period.hours(4), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION] }),
    ...props,
  });

  test.each([
    ['an RPO over 31 days', local({ rpo: Period.days(40) }), DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
      /`rpo` 40 days of objective ".*" cannot be checked by BACKUP_LAST_RECOVERY_POINT_CREATED: its recovery point age accepts at most 744 hours or 31 days/],
    ['a backup frequency over 31 days', local({ backupFrequency: Period.days(45) }), DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
      /a backup every 45 days cannot be checked by BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK/],
    ['a lock minimum above its maximum', {
      objective: RecoveryObjective.of({
        rpo: Period.hours(4), rto: Period.hours(8), disruptions: [Disruption.DATA_CORRUPTION], immutability: Immutability.COMPLIANCE,
      }),
      lockMinRetentionDays: 90,
      lockMaxRetentionDays: 30,
    }, DrkitErrorCode.INVALID_PROPS, /`lockMinRetentionDays` 90 is greater than `lockMaxRetentionDays` 30/],
    ['a required retention of zero days', local({ requiredRetentionDays: 0 }), DrkitErrorCode.INVALID_PROPS,
      /`requiredRetentionDays` must be a whole number of days from 1 to 36500, but got 0/],
    ['a malformed framework name', local({ frameworkName: '1-evidence' }), DrkitErrorCode.INVALID_PROPS,
      /`frameworkName` must start with a letter/],
  ])('refuses %s', (_name, props, code, message) => {
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', props), code, message);
  });

  test('region outage needs copy regions, and not the stack\'s own region', () => {
    const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', { objective: gold }),
      DrkitErrorCode.INVALID_REGION, /region outage is among the disruptions, but no `copyRegions` are given/);
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', { objective: gold, copyRegions: ['eu-west-1'] }),
      DrkitErrorCode.INVALID_REGION, /`copyRegions` holds "eu-west-1", the region of this stack/);
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', { objective: gold, copyRegions: ['Oregon'] }),
      DrkitErrorCode.INVALID_REGION, /must hold region names such as "us-west-2", but got "Oregon"/);
  });

  test('account compromise needs the accounts copies go to', () => {
    const platinum = RecoveryObjective.fromTier(RecoveryTier.PLATINUM);
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', { objective: platinum, copyRegions: ['us-west-2'] }),
      DrkitErrorCode.DISRUPTION_NOT_COVERED, /account compromise is among the disruptions .* no `copyAccounts`/);
    expectDrkit(() => new BackupAuditFramework(stack(), 'Audit', { objective: platinum, copyRegions: ['us-west-2'], copyAccounts: ['12345'] }),
      DrkitErrorCode.INVALID_PROPS, /12-digit account IDs, but got "12345"/);
  });
});
