import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnWaitConditionHandle, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { DynamoContinuousBackup, ProtectedScope, RecoveryReportPlugin } from '../../lib/cdk';
import { Disruption, Period, RecoveryObjective, Retention } from '../../lib/core';
import { RecoveryReport } from '../../lib/core/report';
import { testApp } from '../util';

const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
const OBJECTIVE = RecoveryObjective.of({
  name: 'report',
  rpo: Period.hours(1),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(25) }],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7 }),
});

function readReport(dir: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, RecoveryReportPlugin.JSON_FILE), 'utf8'));
}

describe('RecoveryReportPlugin', () => {
  test('GIVEN a drkit construct WHEN the app synthesizes THEN drkit-report.json and .md are in the assembly, computed from the templates', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { region: 'eu-central-1', account: '123456789012' } });
    const table = new dynamodb.Table(stack, 'Carts', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: OBJECTIVE, secondaryRegion: 'eu-west-1' });

    const assembly = app.synth();
    const json = readReport(assembly.directory);
    const md = fs.readFileSync(path.join(assembly.directory, RecoveryReportPlugin.MARKDOWN_FILE), 'utf8');

    // Regions and accounts come from the assembly, stack names from the manifest.
    const stacks = JSON.stringify(json);
    expect(stacks).toContain('"Shop"');
    expect(stacks).toContain('"Shop-eu-central-1-dr-eu-west-1"');
    expect(stacks).toContain('eu-central-1');
    expect(stacks).toContain('123456789012');
    // The table is assessed from its synthesized resource: its logical id is in the report.
    const logicalId = stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable);
    expect(stacks).toContain(logicalId);
    expect(md).toContain(logicalId);
    expect(md).toContain('eu-west-1');
  });

  test('the plugin is registered once per App however many drkit constructs there are', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { region: 'eu-central-1' } });
    for (let i = 0; i < 3; i++) {
      const table = new dynamodb.Table(stack, `T${i}`, { partitionKey: PK });
      new DynamoContinuousBackup(stack, `P${i}`, { table, objective: OBJECTIVE, secondaryRegion: 'eu-west-1' });
    }
    expect(Validations).toBeDefined();
    const plugins: any[] = (app as any)._validationPlugins ?? [];
    expect(plugins.filter(p => p instanceof RecoveryReportPlugin)).toHaveLength(1);
  });

  test('stacks inside a Stage are reported at the root of the assembly', () => {
    const app = testApp();
    const stage = new Stage(app, 'Prod', { env: { region: 'us-east-2' } });
    const stack = new Stack(stage, 'Api');
    const table = new dynamodb.Table(stack, 'Tokens', { partitionKey: PK });
    new DynamoContinuousBackup(stack, 'Protect', { table, objective: OBJECTIVE, secondaryRegion: 'us-west-1' });
    const assembly = app.synth();
    const report = JSON.stringify(readReport(assembly.directory));
    expect(report).toContain('Prod-Api');
    expect(report).toContain('us-east-2');
  });

  test('gaps come back as warnings with their fix; the plugin still reports success', () => {
    const plugin = new RecoveryReportPlugin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-report-'));
    const template = {
      Resources: {
        Bare: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }, Metadata: { 'drkit:objective': OBJECTIVE.toJson() } },
      },
    };
    const templatePath = path.join(dir, 'Bare.template.json');
    fs.writeFileSync(templatePath, JSON.stringify(template));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: { Bare: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/ap-south-1', properties: { templateFile: 'Bare.template.json', stackName: 'BareStack' } } },
    }));
    const result = plugin.validate({ templatePaths: [templatePath], stackTemplates: [], appConstruct: undefined as any });
    expect(result.success).toBe(true);
    expect(result.violations.length).toBeGreaterThan(0);
    for (const v of result.violations) {
      expect(v.severity).toBe('warning');
      expect(v.ruleName).toBe('drkit-gap');
      expect(typeof v.fix).toBe('string');
      expect(v.violatingResources).toEqual([{ resourceLogicalId: 'Bare', templatePath, locations: [] }]);
    }
    const json = readReport(dir);
    expect(JSON.stringify(json)).toContain('BareStack');
    expect(JSON.stringify(json)).toContain('ap-south-1');
  });

  test('GIVEN an imported resource excluded by a ProtectedScope THEN drkit-report.json lists it with its reason, as `drkit report` does from the assembly', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { region: 'eu-central-1' } });
    const legacy = dynamodb.Table.fromTableName(stack, 'Legacy', 'legacy-orders');
    new dynamodb.Table(stack, 'Carts', { partitionKey: PK });
    new ProtectedScope(stack, 'Protect', {
      objective: OBJECTIVE,
      secondaryRegion: 'eu-west-1',
      exclude: [{ resource: legacy, reason: 'owned and backed up by the legacy team' }],
    });
    const assembly = app.synth();
    const report = readReport(assembly.directory);
    // The imported table has no resource in the template: only the construct metadata names it.
    expect(report.excluded).toEqual([expect.objectContaining({ stackName: 'Shop', path: 'Shop/Legacy', reason: 'owned and backed up by the legacy team' })]);
    expect(report.summary.gaps).toBe(0);
    const md = fs.readFileSync(path.join(assembly.directory, RecoveryReportPlugin.MARKDOWN_FILE), 'utf8');
    expect(md).toContain('Shop/Legacy');
    expect(md).toContain('owned and backed up by the legacy team');
  });

  test('exclusions are read from the additional metadata file of a stack artifact too', () => {
    const plugin = new RecoveryReportPlugin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-report-'));
    const templatePath = path.join(dir, 'Shop.template.json');
    fs.writeFileSync(templatePath, JSON.stringify({ Resources: {} }));
    fs.writeFileSync(path.join(dir, 'Shop.metadata.json'), JSON.stringify({
      '/Shop/Protect': [
        { type: 'drkit:excluded', data: { path: 'Shop/Legacy', reason: 'owned by the legacy team' } },
        { type: 'aws:cdk:info', data: 'not an exclusion' },
      ],
    }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: {
        Shop: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/eu-central-1',
          properties: { templateFile: 'Shop.template.json', stackName: 'Shop' },
          metadata: { '/Shop/Other': [{ type: 'drkit:excluded', data: { path: 'Shop/Cache', reason: 'rebuilt from Orders' } }] },
          additionalMetadataFile: 'Shop.metadata.json',
        },
      },
    }));
    plugin.validate({ templatePaths: [templatePath], stackTemplates: [], appConstruct: undefined as any });
    const report = readReport(dir);
    expect(report.excluded.map((e: any) => [e.stackName, e.path, e.reason])).toEqual([
      ['Shop', 'Shop/Cache', 'rebuilt from Orders'],
      ['Shop', 'Shop/Legacy', 'owned by the legacy team'],
    ]);
  });

  test('GIVEN a stack with no resources (legal CDK) THEN it is reported with no resources, not refused', () => {
    const plugin = new RecoveryReportPlugin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-report-'));
    // What the CDK writes for an empty stack: no Resources section.
    fs.writeFileSync(path.join(dir, 'Empty.template.json'), JSON.stringify({ Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } } }));
    fs.writeFileSync(path.join(dir, 'Shop.template.json'), JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '55.0.0',
      artifacts: {
        Empty: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/us-east-1', properties: { templateFile: 'Empty.template.json', stackName: 'Empty' } },
        Shop: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/us-east-1', properties: { templateFile: 'Shop.template.json', stackName: 'Shop' } },
      },
    }));
    const result = plugin.validate({ templatePaths: [path.join(dir, 'Empty.template.json'), path.join(dir, 'Shop.template.json')], stackTemplates: [], appConstruct: undefined as any });
    expect(result.success).toBe(true);
    const json = readReport(dir);
    expect(json.stacks.map((s: any) => [s.stackName, s.templatePath])).toEqual([['Empty', 'Empty.template.json'], ['Shop', 'Shop.template.json']]);
    expect(json.resources.filter((r: any) => r.stackName === 'Empty')).toEqual([]);
    // The CLI reads the same assembly the same way.
    expect(RecoveryReport.fromCloudAssembly(dir).toJson().stacks.map((s: any) => s.stackName)).toEqual(['Empty', 'Shop']);
  });

  test('the report names each template relative to the assembly directory, in JSON and Markdown', () => {
    const app = testApp();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Shop', { env: { region: 'eu-central-1', account: '123456789012' } });
    new DynamoContinuousBackup(stack, 'Protect', { table: new dynamodb.Table(stack, 'Carts', { partitionKey: PK }), objective: OBJECTIVE, secondaryRegion: 'eu-west-1' });
    const assembly = app.synth();
    const json = readReport(assembly.directory);
    const md = fs.readFileSync(path.join(assembly.directory, RecoveryReportPlugin.MARKDOWN_FILE), 'utf8');
    expect(json.stacks.find((s: any) => s.stackName === 'Prod-Shop').templatePath).toEqual(expect.stringMatching(/^assembly-Prod\/ProdShop[A-Za-z0-9]*\.template\.json$/));
    expect(JSON.stringify(json)).not.toContain(assembly.directory);
    expect(md).not.toContain(assembly.directory);
    expect(md).toContain(json.stacks[0].templatePath);
  });

  describe('CloudFormation stack quotas', () => {
    function validateResources(count: number, plugin = new RecoveryReportPlugin()) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-limits-'));
      const Resources: any = {};
      for (let i = 0; i < count; i++) Resources[`Topic${i}`] = { Type: 'AWS::SNS::Topic' };
      const templatePath = path.join(dir, 'Big.template.json');
      fs.writeFileSync(templatePath, JSON.stringify({ Resources }));
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
        version: '55.0.0',
        artifacts: { Big: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/us-east-1', properties: { templateFile: 'Big.template.json', stackName: 'BigStack' } } },
      }));
      const result = plugin.validate({ templatePaths: [templatePath], stackTemplates: [], appConstruct: undefined as any });
      return { result, limits: result.violations.filter(v => v.ruleName === 'drkit-stack-limits') };
    }

    test('under 80% of the 500-resource quota: no finding', () => {
      const { result, limits } = validateResources(399);
      expect(result.success).toBe(true);
      expect(limits).toEqual([]);
    });

    test('from 80% of the quota: a warning naming the stack and the count; synthesis succeeds', () => {
      const { result, limits } = validateResources(400);
      expect(result.success).toBe(true);
      expect(limits).toHaveLength(1);
      expect(limits[0].severity).toBe('warning');
      expect(limits[0].description).toContain('stack BigStack has 400 resources, 80% of CloudFormation\'s quota of 500 per stack');
    });

    test('over the quota: an error, and the plugin fails', () => {
      const { result, limits } = validateResources(501);
      expect(result.success).toBe(false);
      expect(limits).toHaveLength(1);
      expect(limits[0].severity).toBe('error');
      expect(limits[0].description).toContain('stack BigStack has 501 resources, over CloudFormation\'s quota of 500 per stack');
    });

    test('with failOnStackLimits false (an app that sets @aws-cdk/core:stackResourceLimit to 0), over the quota is a warning', () => {
      const plugin = new RecoveryReportPlugin({ failOnStackLimits: false });
      const { result, limits } = validateResources(501, plugin);
      expect(result.success).toBe(true);
      expect(limits).toHaveLength(1);
      expect(limits[0].severity).toBe('warning');
      expect(limits[0].description).toContain('stack BigStack has 501 resources, over CloudFormation\'s quota of 500 per stack');
    });

    test('GIVEN an app with a stack near the quota THEN synthesis warns through the drkit plugin, without the rules plugin', () => {
      const app = testApp();
      const stack = new Stack(app, 'Shop', { env: { region: 'eu-central-1', account: '123456789012' } });
      new DynamoContinuousBackup(stack, 'Protect', { table: new dynamodb.Table(stack, 'Carts', { partitionKey: PK }), objective: OBJECTIVE, secondaryRegion: 'eu-west-1' });
      for (let i = 0; i < 420; i++) new CfnWaitConditionHandle(stack, `Handle${i}`);
      const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const assembly = app.synth();
        const printed = [...warn.mock.calls.map(c => c.join(' ')), fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')].join('\n');
        expect(printed).toMatch(/stack Shop has 4\d\d resources, 8\d% of CloudFormation's quota of 500 per stack/);
        // what drkit puts in it, from the construct tree (the templates carry no aws:cdk:path here): the protected
        // table as one item, the objective's shared backup apart, the 420 handles as other resources
        const finding = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'))
          .pluginReports.find((r: any) => r.pluginName === 'drkit-recovery-report').violations.find((v: any) => v.ruleName === 'drkit-stack-limits');
        expect(finding.description).toMatch(/What drkit puts in it: DynamoContinuousBackup x1: 1 resource, \d+\.\d KB each \(1 resource, \d+\.\d KB in all\); shared by the stack's items \([^)]*\): DrkitBackup/);
        expect(finding.description).toMatch(/other resources: 42\d, /);
        expect(finding.description).toContain('give each stack a ProtectedScope (or the constructs) with the same objective');
      } finally {
        warn.mockRestore();
      }
    });
  });
});
