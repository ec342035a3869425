import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { vaultStack } from './helpers';
import {
  BackupAuditFramework, BackupHealthDashboard, BackupNotifications, ProtectedResourceType, RecoveryAccess, RestoreTesting,
} from '../../../lib/cdk/evidence';
import { RecoveryObjective, RecoveryTier } from '../../../lib/core';

test('the five evidence pieces compose on one vault and synthesize with CloudFormation validation', () => {
  const { stack, vault } = vaultStack();
  const objective = RecoveryObjective.fromTier(RecoveryTier.GOLD);
  const tests = new RestoreTesting(stack, 'RestoreTests', {
    objective,
    vault,
    selections: [{ resourceType: ProtectedResourceType.DYNAMODB }, { resourceType: ProtectedResourceType.S3 }],
  });
  new BackupAuditFramework(stack, 'Audit', {
    objective,
    copyRegions: ['us-west-2'],
    resourceTypes: [ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3],
  });
  const notify = new BackupNotifications(stack, 'Notify', { vault });
  new BackupHealthDashboard(stack, 'Health', { vault, alarmTopic: notify.topic });
  const operators = new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() });
  RecoveryAccess.grantRestoreOperator(operators, vault, tests.restoreRole);

  const t = Template.fromStack(stack);
  for (const [type, count] of [
    ['AWS::Backup::RestoreTestingPlan', 1], ['AWS::Backup::RestoreTestingSelection', 2], ['AWS::Backup::Framework', 1],
    ['AWS::SNS::Topic', 1], ['AWS::Events::Rule', 3], ['AWS::CloudWatch::Dashboard', 1], ['AWS::CloudWatch::Alarm', 1],
  ] as Array<[string, number]>) {
    t.resourceCountIs(type, count);
  }
  // the operator may pass exactly the role the restore tests use
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('RestoreTestsRestoreRole'), 'Arn'] },
      })]),
    },
  });
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
});
