import * as fs from 'fs';
import * as path from 'path';
import { NestedStack, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DrkitErrorCode, DrkitErrors } from '../../../lib/core/errors';
import { RecoveryReport } from '../../../lib/core/report/report';
import { testApp } from '../../util';
import { validate } from '../report/json-schema';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'report-schema.json'), 'utf8'));

/** A CDK app with a nested stack inside a nested stack, each with a table; the child's table has PITR. */
function synth(context: { [k: string]: any } = {}): string {
  const app = testApp({ context });
  const parent = new Stack(app, 'Parent', { env: { account: '111111111111', region: 'eu-west-1' } });
  const child = new NestedStack(parent, 'Child');
  new dynamodb.Table(child, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
  const grand = new NestedStack(child, 'Grand');
  new dynamodb.Table(grand, 'Sessions', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  return app.synth().directory;
}

describe('nested stacks', () => {
  test('in a cloud assembly, CDK nested stacks are followed into their templates and assessed, in their parent\'s environment', () => {
    const dir = synth();
    const doc = RecoveryReport.fromCloudAssembly(dir).toJson();
    expect(doc.stacks.map((s: any) => [s.stackName, s.parentStack, s.region, s.account])).toEqual([
      ['Parent', undefined, 'eu-west-1', '111111111111'],
      ['Parent/Child', 'Parent', 'eu-west-1', '111111111111'],
      ['Parent/Child/Grand', 'Parent/Child', 'eu-west-1', '111111111111'],
    ]);
    expect(doc.stacks[1].parentLogicalId).toMatch(/^ChildNestedStackChildNestedStackResource[0-9A-F]{8}$/);
    expect(doc.stacks[1].templatePath).toMatch(/^ParentChild[0-9A-F]{8}\.nested\.template\.json$/);
    const tables = doc.resources.map((r: any) => [r.stackName, r.logicalId.replace(/[0-9A-F]{8}$/, ''), r.disruptions[0].status]);
    expect(tables).toEqual([['Parent/Child', 'Orders', 'no-objective'], ['Parent/Child/Grand', 'Sessions', 'unprotected']]);
    // The AWS::CloudFormation::Stack resources are not dropped silently, nor listed: their stacks are in the report.
    expect(doc.notAssessed).toEqual([]);
    expect(doc.gaps.map((g: any) => g.stackName)).toEqual(['Parent/Child/Grand']);
    expect(validate(SCHEMA, doc)).toEqual([]);
    expect(RecoveryReport.fromCloudAssembly(dir).toMarkdown()).toMatch(/- Parent\/Child is the nested stack ChildNestedStackChildNestedStackResource[0-9A-F]{8} of Parent/);
  });

  test('the aws:asset:path metadata names the nested template too', () => {
    const dir = synth({ 'aws:cdk:enable-asset-metadata': true });
    const parent = JSON.parse(fs.readFileSync(path.join(dir, 'Parent.template.json'), 'utf8'));
    const nested = Object.values<any>(parent.Resources).find(r => r.Type === 'AWS::CloudFormation::Stack');
    expect(nested.Metadata['aws:asset:path']).toMatch(/\.nested\.template\.json$/);
    const doc = RecoveryReport.fromCloudAssembly(dir).toJson();
    expect(doc.stacks.map((s: any) => s.stackName)).toEqual(['Parent', 'Parent/Child', 'Parent/Child/Grand']);
  });

  test('a nested template missing from the assembly is DRK042, naming the file and the fix', () => {
    const dir = synth();
    const file = fs.readdirSync(dir).find(f => /^ParentChild[0-9A-F]{8}\.nested\.template\.json$/.test(f))!;
    fs.unlinkSync(path.join(dir, file));
    try {
      RecoveryReport.fromCloudAssembly(dir);
      throw new Error('expected DRK042');
    } catch (e: any) {
      expect(DrkitErrors.codeOf(e)).toBe(DrkitErrorCode.NESTED_TEMPLATE_MISSING);
      expect(e.message).toContain(`names the template ${file}, which is not in the cloud assembly`);
      expect(e.message).toContain('synthesize the app again (cdk synth) and give the whole cdk.out directory');
    }
  });

  test('given the parent template alone, each nested stack is listed as not assessed, with how to assess it', () => {
    const dir = synth();
    const doc = RecoveryReport.fromPath(path.join(dir, 'Parent.template.json')).toJson();
    expect(doc.resources).toEqual([]);
    expect(doc.notAssessed).toHaveLength(1);
    expect(doc.notAssessed[0].resourceType).toBe('AWS::CloudFormation::Stack');
    expect(doc.notAssessed[0].reason).toMatch(/^a nested stack: its resources are in another template \(TemplateURL https:\/\/s3\.eu-west-1\.amazonaws\.com\/cdk-hnb659fds-assets-111111111111-eu-west-1\/[0-9a-f]{64}\.json\), which drkit does not fetch; assess it by passing that template to drkit report, or the cloud assembly \(cdk\.out\) that holds it/);
  });

  test('the corpus templates with nested stacks list each one, with its template URL', () => {
    const doc = RecoveryReport.fromPath(path.join(CORPUS, 'serverless-patterns_eventbridge-pipes-msk-to-lambda.yaml'), { region: 'us-east-1' }).toJson();
    expect(doc.notAssessed.map((n: any) => n.logicalId)).toEqual(['MSKCluster', 'MSKVPCStack', 'PipesStack']);
    for (const n of doc.notAssessed) expect(n.reason).toMatch(/^a nested stack: its resources are in another template \(TemplateURL .+\)/);
  });
});
