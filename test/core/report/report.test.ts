import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validate } from './json-schema';
import { DrkitError, DrkitErrorCode } from '../../../lib/core/errors';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';
import { RecoveryReport } from '../../../lib/core/report';
import { FIXTURES, fixture } from '../evaluate/fixtures';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'report-schema.json'), 'utf8'));
const ASSEMBLY = path.join(FIXTURES, 'assembly');

function expectCode(fn: () => unknown, code: DrkitErrorCode, message: RegExp): void {
  try {
    fn();
  } catch (e: any) {
    expect(DrkitError.isDrkitError(e)).toBe(true);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    return;
  }
  throw new Error('expected a DrkitError');
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-report-'));
}

describe('RecoveryReport inputs', () => {
  test('reads every stack of a cloud assembly with its environment; unknown-account/unknown-region are unknown', () => {
    const json = RecoveryReport.fromCloudAssembly(ASSEMBLY).toJson();
    expect(json.stacks).toEqual([
      { stackName: 'Agnostic', templatePath: 'Agnostic.template.json' },
      { stackName: 'Replica', region: 'us-west-2', account: '111111111111', templatePath: 'Replica.template.json' },
      { stackName: 'primary-stack', region: 'us-east-1', account: '111111111111', templatePath: 'Primary.template.json' },
    ]);
    expect(json.source).toBe(ASSEMBLY);
    expect(json.resources.map((r: any) => `${r.stackName}/${r.logicalId}`)).toEqual([
      'Agnostic/Volume', 'primary-stack/SourceBucket', 'primary-stack/Users',
    ]);
    // Replica/ReplicaBucket is the replica of primary-stack/SourceBucket: assessed as part of it.
    const source = json.resources.find((r: any) => r.logicalId === 'SourceBucket');
    expect(source.restorePoints.find((p: any) => p.medium === 's3-replica')).toMatchObject({ region: 'us-west-2', account: '111111111111', vault: 'drkit-fixture-replica' });
  });

  test('fromPath takes a directory, its manifest.json or one template', () => {
    expect(RecoveryReport.fromPath(ASSEMBLY).resources).toHaveLength(3);
    expect(RecoveryReport.fromPath(path.join(ASSEMBLY, 'manifest.json')).resources).toHaveLength(3);
    const one = RecoveryReport.fromPath(path.join(FIXTURES, 'table-no-pitr.template.json'), { region: 'us-east-1' });
    expect(one.toJson().stacks).toEqual([{ stackName: 'table-no-pitr', region: 'us-east-1', templatePath: path.join(FIXTURES, 'table-no-pitr.template.json') }]);
    expect(one.gaps).toHaveLength(1);
  });

  test('bad input is a DRK040 error naming the input and the fix', () => {
    const dir = tmp();
    expectCode(() => RecoveryReport.fromPath(path.join(dir, 'missing.json')), DrkitErrorCode.REPORT_INPUT, /missing\.json does not exist: give a cdk\.out directory or a template file \(JSON or YAML\)/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expectCode(() => RecoveryReport.fromPath(path.join(dir, 'bad.json')), DrkitErrorCode.REPORT_INPUT, /bad\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'plain.json'), '{"name": "x"}');
    expectCode(() => RecoveryReport.fromPath(path.join(dir, 'plain.json')), DrkitErrorCode.REPORT_INPUT, /plain\.json is not a CloudFormation template: it has no `Resources` object/);
    // YAML is read (issue 12); a file that is neither JSON nor YAML is DRK041, with the line.
    fs.writeFileSync(path.join(dir, 't.yaml'), 'Resources: {}');
    expect(RecoveryReport.fromPath(path.join(dir, 't.yaml')).toJson().stacks.map((s: any) => s.stackName)).toEqual(['t']);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'Resources:\n  A: [unclosed\n');
    expectCode(() => RecoveryReport.fromPath(path.join(dir, 'broken.yaml')), DrkitErrorCode.TEMPLATE_SYNTAX, /broken\.yaml is neither valid JSON nor valid YAML at line \d+, column \d+/);
    expectCode(() => RecoveryReport.fromCloudAssembly(dir), DrkitErrorCode.REPORT_INPUT, /has no manifest\.json, so it is not a cloud assembly/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '1', artifacts: { Tree: { type: 'cdk:tree' } } }));
    expectCode(() => RecoveryReport.fromCloudAssembly(dir), DrkitErrorCode.REPORT_INPUT, /lists no CloudFormation stack/);
    expectCode(() => RecoveryReport.fromTemplates([]), DrkitErrorCode.REPORT_INPUT, /no stack templates were given/);
  });

  test('follows nested assemblies (CDK stages)', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'assembly-Prod'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { Prod: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } } } }));
    fs.writeFileSync(path.join(dir, 'assembly-Prod', 'manifest.json'), JSON.stringify({
      artifacts: { ProdData: { type: 'aws:cloudformation:stack', environment: 'aws://1/eu-west-1', properties: { templateFile: 'ProdData.template.json' } } },
    }));
    fs.copyFileSync(path.join(FIXTURES, 'table-no-pitr.template.json'), path.join(dir, 'assembly-Prod', 'ProdData.template.json'));
    const r = RecoveryReport.fromPath(dir);
    expect(r.resources.map(x => [x.stackName, x.region, x.account])).toEqual([['ProdData', 'eu-west-1', '1']]);
  });
});

describe('the JSON document', () => {
  const all = () => [
    fixture('table-pitr-backup.template.json', { region: 'us-east-1', account: '111111111111' }),
    fixture('table-no-pitr.template.json', { region: 'us-east-1' }),
    fixture('bucket-versioned-rtc.template.json', { region: 'us-east-1' }),
    fixture('bucket-unversioned.template.json'),
    fixture('unknown-type.template.json'),
    fixture('rds-backup-selection.template.json', { region: 'eu-west-1', account: '111111111111' }),
  ];

  test.each([
    ['every fixture, objectives from metadata', () => RecoveryReport.fromTemplates(all())],
    ['every fixture, objective from options', () => RecoveryReport.fromTemplates(all(), {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(30), rto: Period.hours(2), disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
      }),
      source: 'test',
    })],
    ['the cloud assembly', () => RecoveryReport.fromCloudAssembly(ASSEMBLY)],
  ])('validates against docs/report-schema.json: %s', (_name, make) => {
    const doc = make().toJson();
    expect(validate(SCHEMA, doc)).toEqual([]);
    expect(doc.schemaVersion).toBe('2.0');
  });

  test('the validator does reject a broken document', () => {
    const doc = RecoveryReport.fromTemplates(all()).toJson();
    doc.resources[0].disruptions[0].status = 'fine';
    delete doc.gaps[0].fix;
    doc.extra = 1;
    expect(validate(SCHEMA, doc).sort()).toEqual([
      '$.resources[0].disruptions[0].status: "fine" is not one of met, unverified, not-met, unprotected, not-required, no-objective',
      '$.gaps[0]: missing required fix',
      '$: unexpected property extra',
    ].sort());
  });

  test('is byte-identical for the same input, whatever the order of the stacks', () => {
    const a = JSON.stringify(RecoveryReport.fromTemplates(all()).toJson());
    const b = JSON.stringify(RecoveryReport.fromTemplates(all().reverse()).toJson());
    expect(a).toBe(b);
    expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}T\d/);
    expect(RecoveryReport.fromTemplates(all()).toMarkdown()).toBe(RecoveryReport.fromTemplates(all().reverse()).toMarkdown());
  });

  test('summary, objectives and gaps', () => {
    const doc = RecoveryReport.fromTemplates(all()).toJson();
    expect(doc.summary).toMatchObject({ resources: 5, notAssessed: 1 });
    expect(doc.summary.gaps).toBe(doc.gaps.length);
    const counted = Object.values(doc.summary.statusCounts).reduce((x: number, y: any) => x + y, 0);
    expect(counted).toBe(5 * 4);
    expect(doc.objectives).toEqual([expect.objectContaining({ source: 'metadata', resources: ['table-pitr-backup/OrdersTable'] })]);
    expect(doc.gaps.map((g: any) => `${g.logicalId}:${g.disruption}`)).toEqual([
      'LogsBucket:corruption', 'SessionsTable:corruption',
    ]);
  });
});

describe('the Markdown report', () => {
  const md = () => RecoveryReport.fromTemplates([
    fixture('table-pitr-backup.template.json', { region: 'us-east-1', account: '111111111111' }),
    fixture('table-no-pitr.template.json', { region: 'us-east-1' }),
    fixture('unknown-type.template.json'),
  ], { source: 'fixtures' }).toMarkdown();

  test('has every section, in order', () => {
    const text = md();
    const headings = text.split('\n').filter(l => /^## /.test(l));
    expect(headings).toEqual(['## Objectives', '## Summary', '## Inventory', '## Objective vs achieved', '## 3-2-1', '## Backup', '## Runtime evidence', '## Gaps', '## Excluded', '## Runbook', '## Not assessed']);
    expect(text.startsWith('# Recovery report\n')).toBe(true);
    expect(text).toContain('Input: `fixtures`.');
  });

  test('shows achieved figures with their kind, the status, the gap with its fix, and the runbook commands', () => {
    const text = md();
    expect(text).toContain('| data corruption / accidental deletion | 15m / 4h | 5m (typical) | no bound | unverified (verify with restore testing results (AWS Backup restore testing, or a timed restore) for the RTO) | aws.dynamodb.pitr, aws.backup.scheduled |');
    // A backup copy's RPO is a lower bound: the run time and the copy time are not counted.
    expect(text).toContain('| region outage | 1d 2h / 4h | ≥ 1d 1h (estimated: interval 1d + start window 1h; the backup\'s run time (up to the 1d completion window) and the copy time not counted) | no bound | unverified');
    expect(text).toContain('**Headline: of 6 required rows (resource x disruption), 1 met, 2 unverified, 0 not met, 3 unprotected; 1 gap.** 2 unverified rows are within the objective as far as is known');
    expect(text).toContain('- Restore tests scheduled: 0 of 2');
    expect(text).toContain('Preconditions (outside the template):\n\n- the copies of this table\'s backups to another region or account need AWS Backup\'s advanced DynamoDB backup features');
    expect(text).toContain('aws backup update-region-settings --resource-type-management-preference DynamoDB=true --region us-east-1');
    expect(text).toContain('| table-pitr-backup/OrdersTable | 3 | aws-backup-vault, dynamodb | yes | no | yes (compliance) | yes |');
    expect(text).toContain('| data corruption / accidental deletion | - | - | - | **UNPROTECTED** |');
    expect(text).toMatch(/1\. \*\*table-no-pitr\/SessionsTable\*\* \(AWS::DynamoDB::Table\), corruption: DynamoDB table <table name of SessionsTable> has no restore point: it is unprotected against data corruption \/ accidental deletion\.\n {3}Fix: enable point-in-time recovery/);
    expect(text).toContain('aws dynamodb restore-table-to-point-in-time --source-table-name orders --target-table-name orders-restored --use-latest-restorable-time --region us-east-1');
    expect(text).toContain('| orders-vault | table-pitr-backup | us-east-1 / 111111111111 | compliance | 30 / 400 | 3 | KMS key BackupKey (stack table-pitr-backup) |');
    expect(text).toContain('| unknown-type/Search | AWS::OpenSearchService::Domain |');
    expect(text).toContain('No restore or failover path: nothing to restore from.');
  });

  test('says so when there is no objective', () => {
    const text = RecoveryReport.fromTemplates([fixture('bucket-unversioned.template.json')]).toMarkdown();
    expect(text).toContain('No objective was given');
    expect(text).toContain('No AWS Backup vault, plan or selection in the input.');
  });
});
