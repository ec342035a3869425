import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoContinuousBackup } from '../../lib/cdk';
import { Disruption, Period, RecoveryObjective, RecoveryReport } from '../../lib/core';
import { testApp } from '../util';

// Issue 10, point 3: an RTO no mechanism can be shown to meet is not met. A 1-minute RTO against
// corruption of a DynamoDB table is served only by a point-in-time restore to a new table, whose
// time AWS does not publish: synth warns, and the report's row is unverified, never met.
describe('a 1-minute RTO against corruption of a DynamoDB table', () => {
  const objective = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(1), disruptions: [Disruption.DATA_CORRUPTION] });

  const app = testApp();
  const stack = new Stack(app, 'App', { env: { region: 'us-east-1' } });
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new DynamoContinuousBackup(stack, 'Backup', { table, objective });

  test('synth warns that the RTO cannot be shown to be met, with what measures it', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('the rto 1 minute against data corruption / accidental deletion of table App/Table cannot be shown to be met'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toContain('measure it with AWS Backup restore testing or a recovery drill');
  });

  test('the report marks the row unverified, not met, and says what would verify it', () => {
    const assembly = app.synth();
    const stacks = assembly.stacks.map(s => ({ stackName: s.stackName, region: s.environment.region, template: s.template }));
    const report = RecoveryReport.fromTemplates(stacks);
    const assessed = report.resources.find(r => r.resourceType === 'AWS::DynamoDB::GlobalTable')!;
    const corruption = assessed.disruptions.find(d => d.disruption === 'corruption')!;
    expect(corruption.status).toBe('unverified');
    expect(corruption.rtoSeconds).toBeUndefined();
    expect(corruption.verification).toContain('restore testing results');
    expect(report.gaps).toEqual([]);
    expect(report.toMarkdown()).toContain('1 unverified row is within the objective as far as is known');
  });
});

// Issue 16: hundreds of protected resources in a stack gave the same advisory hundreds of times.
describe('the same advisory for many resources of one stack', () => {
  const objective = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(1), disruptions: [Disruption.DATA_CORRUPTION] });
  const ADVISORY = 'the rto 1 minute against data corruption / accidental deletion of table';

  function stackWithTables(n: number): Stack {
    const app = testApp();
    const stack = new Stack(app, 'App', { env: { region: 'us-east-1' } });
    for (let i = 0; i < n; i++) {
      const table = new dynamodb.TableV2(stack, `Table${i}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      new DynamoContinuousBackup(stack, `Backup${i}`, { table, objective });
    }
    return stack;
  }

  test('GIVEN 5 tables THEN each protection construct warns on its own', () => {
    const stack = stackWithTables(5);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ADVISORY));
    expect(warnings.map(w => w.id).sort()).toEqual(['/App/Backup0', '/App/Backup1', '/App/Backup2', '/App/Backup3', '/App/Backup4']);
  });

  test('GIVEN 6 tables THEN the stack warns once, naming the first, how many more and a few of them', () => {
    const stack = stackWithTables(6);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ADVISORY));
    expect(warnings.map(w => w.id)).toEqual(['/App']);
    expect(String(warnings[0].entry.data)).toMatch(/^the rto 1 minute against data corruption \/ accidental deletion of table App\/Table0 and 5 more resources of this stack alike \(App\/Table1, App\/Table2, App\/Table3, \.\.\.\) cannot be shown to be met: .*measure it with AWS Backup restore testing or a recovery drill/);
  });
});
