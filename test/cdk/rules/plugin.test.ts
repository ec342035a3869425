import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoContinuousBackup } from '../../../lib/cdk/dynamo-continuous-backup';
import { DrkitRulesPlugin } from '../../../lib/cdk/rules/plugin';
import * as stateful from '../../../lib/cdk/rules/stateful-resource-protected';
import { RecoveryObjective, RecoveryTier } from '../../../lib/core/objective';
import { testApp } from '../../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function appWithTable(protect: boolean) {
  const app = testApp();
  const stack = new Stack(app, 'Data', { env: ENV });
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  if (protect) new DynamoContinuousBackup(stack, 'OrdersProtection', { table, objective: RecoveryObjective.fromTier(RecoveryTier.SILVER) });
  return { app, stack, table };
}

function policyReport(outdir: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require('path').join(outdir, 'validation-report.json'));
}

describe('DrkitRulesPlugin', () => {
  afterEach(() => jest.restoreAllMocks());

  test('fails synth of an app with an unprotected table, naming the rule, the stack and the resource', () => {
    const { app } = appWithTable(false);
    Validations.of(app).addPlugins(new DrkitRulesPlugin());
    expect(() => app.synth()).toThrow(/ERROR A stateful resource has no backup or replication mechanism\. Data\/Orders[0-9A-F]{8}: DynamoDB table Orders[0-9A-F]{8} has neither point-in-time recovery nor an AWS Backup selection[\s\S]*Acknowledge with 'drkit-rules::stateful-resource-protected'/);
  });

  test('passes an app whose table is protected by DynamoContinuousBackup (addTo)', () => {
    const validate = jest.spyOn(DrkitRulesPlugin.prototype, 'validate');
    const { app } = appWithTable(true);
    DrkitRulesPlugin.addTo(app);
    app.synth();
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate.mock.results[0].value).toEqual({ success: true, violations: [] });
  });

  test('warningsOnly reports the unprotected table without failing synth', () => {
    const { app } = appWithTable(false);
    DrkitRulesPlugin.addTo(app, { warningsOnly: true });
    const asm = app.synth();
    const mine = policyReport(asm.directory).pluginReports.find((r: any) => r.pluginName === 'drkit-rules');
    const names = mine.violations.map((v: any) => v.ruleName);
    expect(names).toContain('stateful-resource-protected');
    expect(mine.violations.every((v: any) => v.severity === 'warning')).toBe(true);
  });

  test('disabledRules skips a rule', () => {
    const { app } = appWithTable(false);
    DrkitRulesPlugin.addTo(app, { disabledRules: ['stateful-resource-protected', 'report-gaps'] });
    expect(() => app.synth()).not.toThrow();
  });

  test('a rule that throws becomes a rule-error finding, not a crash', () => {
    jest.spyOn(stateful, 'statefulResourceProtected').mockImplementation(() => {
      throw new TypeError('boom');
    });
    const { app } = appWithTable(true);
    DrkitRulesPlugin.addTo(app);
    expect(() => app.synth()).toThrow(/ERROR rule stateful-resource-protected threw on Data\/Orders[0-9A-F]{8}: boom[\s\S]*Acknowledge with 'drkit-rules::rule-error'/);
  });

  test('warns when a stack comes close to 500 resources, naming the stack and the count', () => {
    const app = testApp();
    const stack = new Stack(app, 'Big', { env: ENV });
    for (let i = 0; i < 420; i++) new CfnResource(stack, `Q${i}`, { type: 'AWS::SQS::Queue' });
    DrkitRulesPlugin.addTo(app);
    const mine = policyReport(app.synth().directory).pluginReports.find((r: any) => r.pluginName === 'drkit-rules');
    const limit = mine.violations.find((v: any) => v.ruleName === 'stack-limits');
    expect(limit.severity).toBe('warning');
    expect(limit.description).toContain('stack Big has 420 resources, 84% of CloudFormation\'s quota of 500 per stack');
  });
});
