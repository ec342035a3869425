import { ctxOf } from './helpers';
import { globalTableReplicaPitr } from '../../../lib/cdk/rules/global-table-replica-pitr';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';

const run = (resource: any) => globalTableReplicaPitr(ctxOf({ Resources: { T: resource } }, 'T'));
const on = { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } };

describe('global-table-replica-pitr', () => {
  test('Noncompliance 1: one replica of two without PITR (PITR is per replica)', () => {
    const out = run({ Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1', ...on }, { Region: 'us-west-2' }] } });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toBe('global table T has replicas without point-in-time recovery: us-west-2');
  });

  test('Noncompliance 2: PITR explicitly disabled', () => {
    const out = run({ Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }] } });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Noncompliance 3: replicas not a literal list', () => {
    const out = run({ Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: { 'Fn::If': ['C', [], []] } } });
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
  });

  test('Compliance: every replica has PITR', () => {
    expect(run({ Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1', ...on }, { Region: 'us-west-2', ...on }] } }).compliance)
      .toBe(RuleCompliance.COMPLIANT);
  });

  test('Not applicable: AWS::DynamoDB::Table (cdk-nag checks it)', () => {
    expect(run({ Type: 'AWS::DynamoDB::Table' }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
