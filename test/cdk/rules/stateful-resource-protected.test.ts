import { backupOf, ctxOf } from './helpers';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';
import { statefulResourceProtected } from '../../../lib/cdk/rules/stateful-resource-protected';

const run = (resources: any, id = 'R') => statefulResourceProtected(ctxOf({ Resources: resources }, id));

describe('stateful-resource-protected', () => {
  test('Noncompliance 1: a DynamoDB table without PITR or backup selection', () => {
    const out = run({ R: { Type: 'AWS::DynamoDB::Table', Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } } } });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toBe('DynamoDB table R has neither point-in-time recovery nor an AWS Backup selection');
  });

  test('Noncompliance 2: a bucket whose only replication rule is disabled, selected by another resource\'s selection', () => {
    const out = run({
      R: { Type: 'AWS::S3::Bucket', Properties: { ReplicationConfiguration: { Rules: [{ Status: 'Disabled' }] } } },
      Other: { Type: 'AWS::S3::Bucket' },
      ...backupOf([{ 'Fn::GetAtt': ['Other', 'Arn'] }]),
    });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Noncompliance 3: an RDS instance with automated backups off', () => {
    const out = run({ R: { Type: 'AWS::RDS::DBInstance', Properties: { BackupRetentionPeriod: 0 } } });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain('BackupRetentionPeriod 0');
  });

  test('Noncompliance 4: an EFS file system with backups disabled, an EBS volume whose tags no policy targets', () => {
    expect(run({ R: { Type: 'AWS::EFS::FileSystem', Properties: { BackupPolicy: { Status: 'DISABLED' } } } }).compliance)
      .toBe(RuleCompliance.NON_COMPLIANT);
    expect(run({
      R: { Type: 'AWS::EC2::Volume', Properties: { Tags: [{ Key: 'backup', Value: 'no' }] } },
      ...backupOf([], { listOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }),
    }).compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Noncompliance 5: a global table with one replica and no PITR; a selection pattern for another region', () => {
    expect(run({ R: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }] } } }).compliance)
      .toBe(RuleCompliance.NON_COMPLIANT);
    expect(run({
      R: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
      ...backupOf(['arn:aws:dynamodb:eu-west-1:111111111111:table/*']),
    }).compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Compliance: PITR, selection by reference, by ARN pattern, by tag, replication, default RDS backups, EFS backup policy, DLM', () => {
    expect(run({ R: { Type: 'AWS::DynamoDB::Table', Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } } }).compliance)
      .toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::DynamoDB::Table' }, ...backupOf([{ 'Fn::GetAtt': ['R', 'Arn'] }]) }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({
      R: { Type: 'AWS::DynamoDB::Table' },
      ...backupOf([{ 'Fn::Join': ['', ['arn:aws:dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':table/*']] }]),
    }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({
      R: { Type: 'AWS::EC2::Volume', Properties: { Tags: [{ Key: 'backup', Value: 'yes' }] } },
      ...backupOf([], { listOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }] }),
    }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::S3::Bucket', Properties: { ReplicationConfiguration: { Rules: [{ Status: 'Enabled' }] } } } }).compliance)
      .toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::RDS::DBInstance', Properties: {} } }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::RDS::DBCluster', Properties: { BackupRetentionPeriod: 7 } } }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::EFS::FileSystem', Properties: { BackupPolicy: { Status: 'ENABLED' } } } }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({
      R: { Type: 'AWS::EC2::Volume', Properties: { Tags: [{ Key: 'snap', Value: 'daily' }] } },
      Dlm: { Type: 'AWS::DLM::LifecyclePolicy', Properties: { State: 'ENABLED', PolicyDetails: { ResourceTypes: ['VOLUME'], TargetTags: [{ Key: 'snap', Value: 'daily' }] } } },
    }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({
      R: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }, { Region: 'us-west-2' }] } },
    }).compliance).toBe(RuleCompliance.COMPLIANT);
  });

  test('Compliance: a replica drkit made (drkit:replica-of); Not applicable: excluded on purpose (drkit:excluded with a reason)', () => {
    expect(run({ R: { Type: 'AWS::S3::Bucket', Metadata: { 'drkit:replica-of': 'App/Files' } } }).compliance).toBe(RuleCompliance.COMPLIANT);
    expect(run({ R: { Type: 'AWS::S3::Bucket', Metadata: { 'drkit:excluded': 'server access logs, not data the service recovers from' } } }).compliance)
      .toBe(RuleCompliance.NOT_APPLICABLE);
    expect(run({ R: { Type: 'AWS::S3::Bucket', Metadata: { 'drkit:excluded': '' } } }).compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Not applicable: stateless resources and Aurora cluster members', () => {
    expect(run({ R: { Type: 'AWS::SNS::Topic' } }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
    expect(run({ R: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'C' }, BackupRetentionPeriod: 0 } } }).compliance)
      .toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
