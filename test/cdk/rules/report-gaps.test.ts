import { ctxOf, objectiveJson } from './helpers';
import { reportGaps } from '../../../lib/cdk/rules/report-gaps';
import { RuleCompliance } from '../../../lib/cdk/rules/rule';
import { RecoveryReport } from '../../../lib/core/report';

describe('report-gaps', () => {
  test('Noncompliance 1: the report (computed from the template) finds a table with no restore point', () => {
    const template = { Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };
    const gaps = RecoveryReport.fromTemplates([{ stackName: 'Test', region: 'us-east-1', template }]).gaps;
    const out = reportGaps(ctxOf(template, 'T', { reportGaps: gaps }));
    expect(gaps.length).toBeGreaterThan(0);
    expect(out.compliance).toBe(RuleCompliance.NON_COMPLIANT);
    expect(out.reason).toContain(gaps[0].problem);
  });

  test('Noncompliance 2: a gap with a disruption names it', () => {
    const template = { Resources: { T: { Type: 'AWS::DynamoDB::Table' } } };
    const out = reportGaps(ctxOf(template, 'T', { reportGaps: [{ stackName: 'Test', logicalId: 'T', disruption: 'region', problem: 'no copy', fix: 'copy it' }] }));
    expect(out.reason).toBe('no copy (region); fix: copy it');
  });

  test('Compliance: a drkit-protected resource without gaps', () => {
    const template = { Resources: { T: { Type: 'AWS::DynamoDB::Table', Metadata: { 'drkit:objective': objectiveJson() } } } };
    const out = reportGaps(ctxOf(template, 'T', { reportGaps: [{ stackName: 'Other', logicalId: 'T', problem: 'p', fix: 'f' }] }));
    expect(out.compliance).toBe(RuleCompliance.COMPLIANT);
  });

  test('Not applicable: no report, or a resource without objective and without gaps', () => {
    const template = { Resources: { T: { Type: 'AWS::SNS::Topic' } } };
    expect(reportGaps(ctxOf(template, 'T')).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
    expect(reportGaps(ctxOf(template, 'T', { reportGaps: [] })).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
