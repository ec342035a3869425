import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { DisruptionAssessment, ResourceAssessment, TargetStatus } from '../../../lib/core/evaluate/model';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';
import { RecoveryReport } from '../../../lib/core/report/report';
import { FIXTURES, fixtureDocuments, fixtureText } from '../../fixtures/pulumi/generate';
import { record, stackExport } from '../../fixtures/pulumi/record';

/**
 * `drkit report` on Pulumi output: the committed fixtures are what real programs (run under
 * mocks) give in the formats of `pulumi stack export` and `pulumi preview --json`, and the
 * report on them comes from the same evaluator as on CloudFormation.
 */

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'pulumi');
const fixture = (f: string) => path.join(DIR, f);

function row(r: ResourceAssessment, d: string): DisruptionAssessment {
  return r.disruptions.find(x => x.disruption === d)!;
}

function byName(report: RecoveryReport, logicalId: string): ResourceAssessment {
  const r = report.resources.find(x => x.logicalId === logicalId);
  if (!r) throw new Error(`no ${logicalId} in ${report.resources.map(x => x.logicalId).join(', ')}`);
  return r;
}

describe('fixtures', () => {
  test.each(FIXTURES.map(f => [f.name, f]))('%s: the committed stack export and preview are what the program gives today', async (_name, f) => {
    const docs = await fixtureDocuments(f.name, f.options);
    expect(fs.readFileSync(fixture(`${f.name}.stack.json`), 'utf8')).toBe(fixtureText(docs.stack));
    expect(fs.readFileSync(fixture(`${f.name}.preview.json`), 'utf8')).toBe(fixtureText(docs.preview));
  });

  test('they follow the documented shapes: UntypedDeployment of DeploymentV3, PreviewDigest of steps with ResourceV3 states', () => {
    const exported = JSON.parse(fs.readFileSync(fixture('plain-protected.stack.json'), 'utf8'));
    expect(exported.version).toBe(3);
    expect(Object.keys(exported.deployment)).toEqual(['manifest', 'secrets_providers', 'resources']);
    for (const r of exported.deployment.resources) {
      expect(typeof r.urn).toBe('string');
      expect(typeof r.type).toBe('string');
      expect(typeof r.custom).toBe('boolean');
      if (r.custom) expect(typeof r.id).toBe('string');
      if (r.type.startsWith('aws:')) expect(r.provider).toMatch(/^urn:pulumi:prod::shop::pulumi:providers:aws::(default_7_\d+_\d+|west)::.+$/);
    }
    const preview = JSON.parse(fs.readFileSync(fixture('plain-protected.preview.json'), 'utf8'));
    expect(Object.keys(preview)).toEqual(['config', 'steps', 'duration', 'changeSummary']);
    for (const s of preview.steps) {
      expect(s.op).toBe('create');
      expect(s.newState.urn).toBe(s.urn);
      expect(s.newState.id).toBeUndefined();
    }
    // What only Create knows is unknown in a preview: the selection names the table by an unknown ARN.
    const selection = preview.steps.find((s: any) => s.newState.type === 'aws:backup/selection:Selection').newState;
    expect(selection.inputs.resources).toEqual(['04da6b54-80e4-46f7-96ec-b56ff0331ba9']);
    expect(selection.propertyDependencies.resources).toEqual(['urn:pulumi:prod::shop::aws:dynamodb/table:Table::sessions']);
  });
});

describe('a Pulumi program without drkit', () => {
  test.each(['table-no-pitr.stack.json', 'table-no-pitr.preview.json'])('%s: a table without PITR is unprotected against corruption, a gap', file => {
    const report = RecoveryReport.fromPath(fixture(file));
    expect(report.resources.map(r => [r.stackName, r.logicalId, r.resourceType, r.region])).toEqual([['shop/dev', 'orders', 'AWS::DynamoDB::Table', 'us-east-1']]);
    const orders = byName(report, 'orders');
    expect(row(orders, Disruption.DATA_CORRUPTION).status).toBe(TargetStatus.UNPROTECTED);
    expect(report.hasGaps).toBe(true);
    expect(report.gaps).toEqual([expect.objectContaining({
      stackName: 'shop/dev',
      logicalId: 'orders',
      disruption: Disruption.DATA_CORRUPTION,
      problem: expect.stringMatching(/^DynamoDB table orders-[0-9a-f]{7} has no restore point: it is unprotected against data corruption/),
      fix: expect.stringContaining('enable point-in-time recovery'),
    })]);
    expect(report.toJson().source).toBe(fixture(file));
  });

  test('plain @pulumi/aws protection is recognised, resource by resource, from the stack export and from the preview alike', () => {
    const exported = RecoveryReport.fromPath(fixture('plain-protected.stack.json'));
    const previewed = RecoveryReport.fromPath(fixture('plain-protected.preview.json'));
    expect(exported.gaps).toEqual([]);
    const summary = (report: RecoveryReport) => report.resources.map(r => [
      r.stackName, r.logicalId, r.resourceType, ...r.disruptions.map(d => `${d.disruption}:${d.status}:${d.mechanisms.join('+')}`),
    ]);
    expect(summary(exported)).toEqual([
      ['shop/prod', 'archive', 'AWS::S3::Bucket', 'corruption:no-objective:aws.s3.versioning', 'az:no-objective:aws.s3.multi-az', 'region:unprotected:', 'account:no-objective:aws.s3.object-lock'],
      ['shop/prod', 'assets', 'AWS::S3::Bucket', 'corruption:no-objective:aws.s3.versioning', 'az:no-objective:aws.s3.multi-az+aws.s3.replication.rtc', 'region:no-objective:aws.s3.replication.rtc', 'account:unprotected:'],
      ['shop/prod', 'billing', 'AWS::RDS::DBInstance', 'corruption:no-objective:aws.rds.pitr', 'az:no-objective:aws.rds.multi-az+aws.rds.pitr', 'region:no-objective:aws.rds.backup-replication', 'account:unprotected:'],
      ['shop/prod', 'ledger', 'AWS::RDS::DBCluster', 'corruption:no-objective:aws.rds.pitr', 'az:no-objective:aws.aurora.multi-az+aws.rds.pitr', 'region:no-objective:aws.aurora.global-database', 'account:unprotected:'],
      ['shop/prod', 'orders', 'AWS::DynamoDB::GlobalTable', 'corruption:no-objective:aws.dynamodb.pitr', 'az:no-objective:aws.dynamodb.multi-az', 'region:no-objective:aws.dynamodb.global-table', 'account:unprotected:'],
      ['shop/prod', 'sessions', 'AWS::DynamoDB::Table', 'corruption:no-objective:aws.backup.scheduled', 'az:no-objective:aws.dynamodb.multi-az+aws.backup.scheduled', 'region:no-objective:aws.backup.copy.region', 'account:no-objective:aws.backup.vault-lock'],
    ]);
    expect(summary(previewed)).toEqual(summary(exported));
    // The restore test of the vault covers the table the plan backs up.
    expect(byName(exported, 'sessions').recoveryTesting).toMatchObject({ scheduled: true, restoreTestingPlans: ['weekly_restore_test'] });
    expect(exported.toJson().stacks).toEqual([
      { stackName: 'shop/prod', region: 'us-east-1', account: '111122223333', templatePath: fixture('plain-protected.stack.json') },
      { stackName: 'shop/prod (us-west-2)', region: 'us-west-2', account: '111122223333', templatePath: fixture('plain-protected.stack.json') },
    ]);
  });

  test('an objective given to the report is judged on the Pulumi stack as on a template', () => {
    const objective = RecoveryObjective.of({
      name: 'gold', rpo: Period.minutes(30), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
    });
    const report = RecoveryReport.fromPath(fixture('plain-protected.stack.json'), { objective });
    // RTC replicates within 15 minutes, but a failover's detection and client switch have no bound
    // (unverified); the orders global table's replication has no published bound (unverified); the
    // archive bucket has no copy in another region; the sessions table's daily backup cannot meet a
    // 30-minute RPO. The objective's default point-in-time window (35 days) is longer than the
    // billing instance (7 days) and the ledger cluster (14 days) keep (issue 14, point 11).
    expect(row(byName(report, 'assets'), Disruption.REGION_OUTAGE).status).toBe(TargetStatus.UNVERIFIED);
    expect(row(byName(report, 'orders'), Disruption.REGION_OUTAGE).status).toBe(TargetStatus.UNVERIFIED);
    expect(row(byName(report, 'archive'), Disruption.REGION_OUTAGE).status).toBe(TargetStatus.UNPROTECTED);
    expect(row(byName(report, 'sessions'), Disruption.DATA_CORRUPTION).status).toBe(TargetStatus.NOT_MET);
    expect(report.gaps.map(g => `${g.logicalId}:${g.disruption}`)).toEqual(['archive:region', 'billing:corruption', 'ledger:corruption', 'sessions:corruption', 'sessions:region']);
    expect(report.gaps.find(g => g.logicalId === 'billing')).toMatchObject({
      problem: 'RDS DB instance billing-eedea9c: the point-in-time window is 7 days (RDS automated backups, BackupRetentionPeriod 7), but the objective asks for a point-in-time window of 35 days',
      fix: 'set BackupRetentionPeriod to 35',
    });
  });
});

describe('a Pulumi program built with drkit', () => {
  test('examples/pulumi/aws, run under mocks and exported: every stateful resource is protected against corruption; drkit components are named', async () => {
    jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
    const options = {
      project: 'drkit-example-aws',
      stack: 'prod',
      region: 'us-east-1',
      account: '111122223333',
      config: { 'drkit-example-aws:dbPassword': 'not-a-real-password' },
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const recorded = await record(() => require('../../../examples/pulumi/aws'), options);
    const report = RecoveryReport.fromPulumi(stackExport(recorded, options), { source: 'example' });
    expect(report.gaps).toEqual([]);
    const constructs = Object.fromEntries(report.resources.map(r => [r.logicalId, r.construct]));
    expect(constructs).toMatchObject({
      'sync-state-table': 'DynamoContinuousBackup',
      'user-files-bucket': 'CrossRegionReplicatedBucket',
      'sync-database-cluster': 'RdsPitrPolicy',
    });
    for (const r of report.resources) expect(row(r, Disruption.DATA_CORRUPTION).mechanisms.length).toBeGreaterThan(0);
    expect(row(byName(report, 'user-files-bucket'), Disruption.REGION_OUTAGE).mechanisms).toEqual(['aws.s3.replication.rtc']);
    expect(row(byName(report, 'sync-database-cluster'), Disruption.REGION_OUTAGE).mechanisms).toContain('aws.aurora.global-database');
  });
});
