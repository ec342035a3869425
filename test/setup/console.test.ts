import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { RecoveryReportPlugin } from '../../lib/cdk';
import { capturedConsole, testApp } from '../util';

/** Issue 14, point 5: aws-cdk-lib's validation report is captured for assertions, not printed. */
test('a synth with a report warning prints nothing; the report is captured for the test', () => {
  const printed = jest.spyOn(process.stderr, 'write');
  const app = testApp();
  const stack = new Stack(app, 'Unprotected', { env: { region: 'us-east-1', account: '111111111111' } });
  new dynamodb.TableV2(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  RecoveryReportPlugin.register(stack);
  app.synth();
  const captured = capturedConsole();
  expect(captured).toHaveLength(1);
  expect(captured[0]).toMatch(/WARNING DynamoDB (global )?table .* has no restore point/);
  expect(printed.mock.calls.map(c => String(c[0])).filter(t => /has no restore point/.test(t))).toEqual([]);
});
