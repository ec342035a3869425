import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { vaultStack } from './helpers';
import {
  ProtectedResourceType,
  RecoveryPointType,
  RestoreTestFrequency,
  RestoreTesting,
} from '../../../lib/cdk/evidence';
import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, RecoveryTier } from '../../../lib/core';

const DAILY = RecoveryObjective.of({ rpo: Period.hours(24), rto: Period.hours(48), disruptions: [Disruption.DATA_CORRUPTION] });
const TIGHT_RTO = RecoveryObjective.of({ rpo: Period.days(2), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });

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

describe('RestoreTesting schedule rule', () => {
  test('weekly when the RPO or the RTO is under a day, monthly otherwise', () => {
    expect(RestoreTesting.frequencyFor(RecoveryObjective.fromTier(RecoveryTier.GOLD))).toBe(RestoreTestFrequency.WEEKLY);
    expect(RestoreTesting.frequencyFor(TIGHT_RTO)).toBe(RestoreTestFrequency.WEEKLY);
    expect(RestoreTesting.frequencyFor(DAILY)).toBe(RestoreTestFrequency.MONTHLY);
    // a per-disruption override under a day makes it weekly
    const perDisruption = RecoveryObjective.of({
      rpo: Period.days(1),
      rto: Period.days(2),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rto: Period.hours(8) }],
    });
    expect(RestoreTesting.frequencyFor(perDisruption)).toBe(RestoreTestFrequency.WEEKLY);
  });
});

describe('RestoreTesting', () => {
  test('GIVEN a gold objective and two resource types THEN a weekly plan on the vault and one selection per type', () => {
    const { stack, vault } = vaultStack();
    const rt = new RestoreTesting(stack, 'RestoreTests', {
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
      vault,
      selections: [
        { resourceType: ProtectedResourceType.DYNAMODB },
        { resourceType: ProtectedResourceType.S3, validationWindow: Period.hours(6) },
      ],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: rt.restoreTestingPlanName,
      ScheduleExpression: 'cron(0 9 ? * WED *)',
      StartWindowHours: 24,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultArn'] }],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 1,
      },
    });
    expect(rt.restoreTestingPlanName).toMatch(/^[A-Za-z0-9_]{1,50}$/);
    expect(rt.frequency).toBe(RestoreTestFrequency.WEEKLY);

    t.resourceCountIs('AWS::Backup::RestoreTestingSelection', 2);
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingPlanName: rt.restoreTestingPlanName,
      RestoreTestingSelectionName: 'drkit_dynamodb',
      ProtectedResourceType: 'DynamoDB',
      ProtectedResourceArns: ['*'],
      ValidationWindowHours: 1,
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RestoreRole'), 'Arn'] },
      RestoreMetadataOverrides: Match.absent(),
      ProtectedResourceConditions: Match.absent(),
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingSelectionName: 'drkit_s3',
      ProtectedResourceType: 'S3',
      ValidationWindowHours: 6,
    });
    // selections are created after the plan they name
    const selections = t.findResources('AWS::Backup::RestoreTestingSelection');
    for (const s of Object.values(selections)) {
      expect(s.DependsOn).toEqual([expect.stringMatching(/Plan/)]);
    }

    // the restore role: assumed by AWS Backup, restore policies, S3 restore policy because S3 is tested
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } }],
      },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore']] },
      ],
    });
  });

  test('a daily objective runs monthly; the selection window follows the RPO', () => {
    const { stack, vault } = vaultStack();
    new RestoreTesting(stack, 'RestoreTests', {
      objective: RecoveryObjective.of({ rpo: Period.days(3), rto: Period.days(2), disruptions: [Disruption.DATA_CORRUPTION] }),
      vault,
      selections: [{ resourceType: ProtectedResourceType.EBS }],
      recoveryPointTypes: [RecoveryPointType.SNAPSHOT],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(0 9 8 * ? *)',
      RecoveryPointSelection: Match.objectLike({ RecoveryPointTypes: ['SNAPSHOT'], SelectionWindowDays: 3 }),
    });
    // no S3 selection: no S3 restore policy
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']] }],
    });
  });

  test('tag conditions, metadata overrides, explicit names, schedule and a given role', () => {
    const { stack, vault } = vaultStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::111111111111:role/restores');
    const rt = new RestoreTesting(stack, 'RestoreTests', {
      objective: DAILY,
      vault,
      restoreRole: role,
      restoreTestingPlanName: 'orders_restore_tests',
      scheduleExpression: 'cron(0 3 ? * MON *)',
      startWindow: Period.hours(4),
      validationWindow: Period.hours(2),
      selections: [
        { resourceType: ProtectedResourceType.AURORA, protectedResourceTags: { app: 'orders' }, restoreMetadataOverrides: { dbsubnetgroupname: 'private' } },
        { resourceType: ProtectedResourceType.RDS, selectionName: 'rds_a', protectedResourceArns: ['arn:aws:rds:eu-west-1:111111111111:db:a'] },
      ],
    });
    expect(rt.frequency).toBeUndefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'orders_restore_tests',
      ScheduleExpression: 'cron(0 3 ? * MON *)',
      StartWindowHours: 4,
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingSelectionName: 'drkit_aurora',
      ProtectedResourceType: 'Aurora',
      ProtectedResourceArns: ['*'],
      ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/app', Value: 'orders' }] },
      RestoreMetadataOverrides: { dbsubnetgroupname: 'private' },
      IamRoleArn: 'arn:aws:iam::111111111111:role/restores',
      ValidationWindowHours: 2,
    });
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      RestoreTestingSelectionName: 'rds_a',
      ProtectedResourceArns: ['arn:aws:rds:eu-west-1:111111111111:db:a'],
    });
    // the RDS selection without overrides gets the default-VPC note; the Aurora one (with overrides) does not
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('default VPC'));
    expect(infos).toHaveLength(1);
    expect(infos[0].entry.data).toMatch(/restore tests of RDS/);
  });

  test.each([
    ['no selections', { selections: [] }, DrkitErrorCode.INVALID_PROPS, /`selections` is empty/],
    ['validation window over a week', { validationWindow: Period.hours(169) }, DrkitErrorCode.INVALID_PROPS, /`validationWindow` must be 1 to 168 hours .* but got 169 hours/],
    ['start window of zero', { startWindow: Period.hours(0) }, DrkitErrorCode.INVALID_PROPS, /`startWindow` must be 1 to 168 hours/],
    ['selection window over a year', { selectionWindow: Period.days(400) }, DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE, /selection window must be 1 to 365 days .* but got 400 days/],
    ['a plan name with dashes', { restoreTestingPlanName: 'my-plan' }, DrkitErrorCode.INVALID_PROPS, /`restoreTestingPlanName` must be 1 to 50 letters, digits or underscores, but got "my-plan"/],
    ['a schedule that is not cron', { scheduleExpression: 'rate(7 days)' }, DrkitErrorCode.INVALID_PROPS, /`scheduleExpression` must be a cron expression/],
    ['two selections of one type without names', {
      selections: [{ resourceType: ProtectedResourceType.EFS }, { resourceType: ProtectedResourceType.EFS }],
    }, DrkitErrorCode.INVALID_PROPS, /two selections are named "drkit_efs"/],
    ['ARNs mixed with *', {
      selections: [{ resourceType: ProtectedResourceType.EFS, protectedResourceArns: ['*', 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-1'] }],
    }, DrkitErrorCode.INVALID_PROPS, /mixes '\*' with ARNs/],
    ['tags with specific ARNs', {
      selections: [{ resourceType: ProtectedResourceType.EFS, protectedResourceArns: ['arn:x'], protectedResourceTags: { a: 'b' } }],
    }, DrkitErrorCode.INVALID_PROPS, /only applies with protectedResourceArns \['\*'\]/],
  ])('refuses %s', (_name, override, code, message) => {
    const { stack, vault } = vaultStack();
    expectDrkit(() => new RestoreTesting(stack, 'RestoreTests', {
      objective: DAILY,
      vault,
      selections: [{ resourceType: ProtectedResourceType.DYNAMODB }],
      ...override,
    }), code, message);
  });

  test('standalone: the restore role drkit creates passes cdk-nag AwsSolutions with its own IAM4 suppression; a given role gets none', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks } = require('cdk-nag');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Aspects } = require('aws-cdk-lib');
    const { stack, vault } = vaultStack();
    const rt = new RestoreTesting(stack, 'RestoreTests', {
      objective: RecoveryObjective.fromTier(RecoveryTier.GOLD),
      vault,
      selections: [{ resourceType: ProtectedResourceType.DYNAMODB }, { resourceType: ProtectedResourceType.S3 }],
    });
    const roleId = stack.getLogicalId((rt.restoreRole as iam.Role).node.defaultChild as iam.CfnRole);
    const t = Template.fromStack(stack);
    expect(t.toJSON().Resources[roleId].Metadata.cdk_nag.rules_to_suppress).toEqual([{
      id: 'AwsSolutions-IAM4',
      reason: expect.stringContaining('service-role policies AWS documents for AWS Backup restore jobs'),
      applies_to: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
        'Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
      ],
    }]);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    const iam4 = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-IAM4.*'))
      .concat(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-IAM4.*')));
    expect(iam4.filter(m => m.id.includes('RestoreRole'))).toEqual([]);

    const other = vaultStack();
    const given = iam.Role.fromRoleArn(other.stack, 'Given', 'arn:aws:iam::111111111111:role/restores');
    new RestoreTesting(other.stack, 'RestoreTests', { objective: DAILY, vault: other.vault, restoreRole: given, selections: [{ resourceType: ProtectedResourceType.S3 }] });
    Template.fromStack(other.stack).resourceCountIs('AWS::IAM::Role', 0);
  });

  test('ProtectedResourceType accepts other AWS Backup names and refuses malformed ones', () => {
    expect(new ProtectedResourceType('FSx').value).toBe('FSx');
    expectDrkit(() => new ProtectedResourceType('AWS::S3::Bucket'), DrkitErrorCode.INVALID_PROPS, /the name AWS Backup uses .* but got "AWS::S3::Bucket"/);
  });
});
