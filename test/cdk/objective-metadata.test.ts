import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { DynamoContinuousBackup } from '../../lib/cdk/dynamo-continuous-backup';
import { objectiveOf } from '../../lib/cdk/rules/lookups';
import { replicationTimeControl } from '../../lib/cdk/rules/replication-time-control';
import { RuleCompliance } from '../../lib/cdk/rules/rule';
import { Disruption, Period, RecoveryObjective, Retention } from '../../lib/core';
import { run } from '../cli/run';
import { testApp } from '../util';

/**
 * Issue 16, point 2: a protected resource's `drkit:objective` metadata is a key; the objective's
 * JSON is written once per template, in its top-level `Metadata['drkit:objectives']`. The report
 * and the rules read it from the template alone, and still read the inline JSON of older templates.
 */

const ENV = { region: 'us-east-1', account: '111111111111' };
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
/** An objective the constructs can meet without a replica: 6-hourly backups, copies 7 hours behind at worst. */
const objectiveOf_ = (name: string, rpoMinutes: number) => RecoveryObjective.of({
  name,
  rpo: Period.minutes(rpoMinutes),
  rto: Period.hours(4),
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(14), daily: 7 }),
});
const objective = objectiveOf_('orders', 30);
const json = (o: RecoveryObjective) => JSON.parse(JSON.stringify(o.toJson()));

/** Synthesizes a stack with two tables and a replicated bucket of `objectives` (one each, cycling) and returns the primary template's path. */
function synth(objectives: RecoveryObjective[]): { template: any; file: string; dir: string } {
  const app = testApp();
  const stack = new Stack(app, 'Shop', { env: ENV });
  ['Orders', 'Carts'].forEach((id, i) => {
    const table = new dynamodb.Table(stack, id, { partitionKey: PK });
    new DynamoContinuousBackup(stack, `${id}Protection`, { table, objective: objectives[i % objectives.length], secondaryRegion: 'us-west-2' });
  });
  new CrossRegionReplicatedBucket(stack, 'Files', { objective: objectives[2 % objectives.length], secondaryRegion: 'us-west-2' });
  const assembly = app.synth();
  const artifact = assembly.getStackByName('Shop');
  const file = path.join(assembly.directory, artifact.templateFile);
  return { template: JSON.parse(fs.readFileSync(file, 'utf8')), file, dir: assembly.directory };
}

/** The same template with every objective inline on its resources, as drkit wrote it before. */
function inlined(template: any): any {
  const t = JSON.parse(JSON.stringify(template));
  const table = t.Metadata['drkit:objectives'];
  for (const r of Object.values<any>(t.Resources)) if (typeof r.Metadata?.['drkit:objective'] === 'string') r.Metadata['drkit:objective'] = table[r.Metadata['drkit:objective']];
  delete t.Metadata['drkit:objectives'];
  if (Object.keys(t.Metadata).length === 0) delete t.Metadata;
  return t;
}

async function reportOf(template: any): Promise<any> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-objective-')), 'Shop.template.json');
  fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
  const r = await run('report', file, '--json');
  expect(r.err).toBe('');
  const report = JSON.parse(r.out);
  return { ...report, source: undefined, stacks: report.stacks.map((s: any) => ({ ...s, templatePath: undefined })) };
}

describe('objective metadata: once per template, by key', () => {
  test('GIVEN three resources of one objective WHEN synthesized THEN the JSON is in the top-level Metadata once and each resource names it', () => {
    const { template } = synth([objective]);
    expect(template.Metadata['drkit:objectives']).toEqual({ orders: json(objective) });
    const protectedIds = Object.keys(template.Resources).filter(id => template.Resources[id].Metadata?.['drkit:objective'] !== undefined).sort();
    expect(protectedIds.map(id => [template.Resources[id].Type, template.Resources[id].Metadata['drkit:objective']])).toEqual([
      ['AWS::DynamoDB::Table', 'orders'],
      ['AWS::S3::Bucket', 'orders'],
      ['AWS::DynamoDB::Table', 'orders'],
    ]);
    // The objective's JSON occurs once in the whole template.
    const text = JSON.stringify(template);
    expect(text.split(JSON.stringify(json(objective))).length - 1).toBe(1);
    // Logical IDs are those of the constructs, as before (no resource was added or renamed).
    expect(protectedIds).toEqual(['CartsEE95721F', 'FilesBucket7C17EE2E', 'OrdersA9B65338']);
  });

  test('GIVEN two different objectives with one name THEN each gets a key of the name and a hash; a distinct name stays the key', () => {
    const other = objectiveOf_('orders', 60);
    const third = objectiveOf_('files', 30);
    // tables share a vault and plan per objective name (two objectives of one name are refused there), a replicated bucket does not
    const { template } = synth([objective, third, other]);
    const table = template.Metadata['drkit:objectives'];
    const keys = Object.keys(table);
    expect(keys).toHaveLength(3);
    expect(keys).toContain('files');
    const hashed = keys.filter(k => k !== 'files');
    for (const k of hashed) expect(k).toMatch(/^orders#[0-9a-f]{8}$/);
    expect(new Set(hashed).size).toBe(2);
    // each resource's key names its own objective
    expect(table[template.Resources.OrdersA9B65338.Metadata['drkit:objective']]).toEqual(json(objective));
    expect(table[template.Resources.CartsEE95721F.Metadata['drkit:objective']]).toEqual(json(third));
    expect(template.Resources.CartsEE95721F.Metadata['drkit:objective']).toBe('files');
    expect(table[template.Resources.FilesBucket7C17EE2E.Metadata['drkit:objective']]).toEqual(json(other));
  });

  test('GIVEN one template file THEN drkit report applies the objective from it alone, and the old inline form gives the same report', async () => {
    const { template } = synth([objective]);
    const byKey = await reportOf(template);
    expect(byKey.resources.map((r: any) => [r.logicalId, r.objectiveSource, r.objective?.name])).toEqual([
      ['CartsEE95721F', 'metadata', 'orders'],
      ['FilesBucket7C17EE2E', 'metadata', 'orders'],
      ['OrdersA9B65338', 'metadata', 'orders'],
    ]);
    expect(byKey.objectives).toEqual([{ source: 'metadata', objective: json(objective), resources: ['Shop/CartsEE95721F', 'Shop/FilesBucket7C17EE2E', 'Shop/OrdersA9B65338'] }]);
    const inline = inlined(template);
    expect(inline.Metadata).toBeUndefined();
    expect(inline.Resources.OrdersA9B65338.Metadata['drkit:objective']).toEqual(json(objective));
    expect(await reportOf(inline)).toEqual(byKey);
  });

  test('GIVEN a key the template does not hold THEN no objective is applied and the resource says why', async () => {
    const { template } = synth([objective]);
    template.Resources.OrdersA9B65338.Metadata['drkit:objective'] = 'missing';
    const report = await reportOf(template);
    const orders = report.resources.find((r: any) => r.logicalId === 'OrdersA9B65338');
    expect(orders.objectiveSource).toBe('none');
    expect(orders.findings).toContain('drkit:objective metadata names objective "missing", which the template\'s top-level Metadata["drkit:objectives"] does not hold: no objective is applied');
  });

  test('rules read the objective by key and inline', () => {
    const { template } = synth([objective]);
    const bucket = template.Resources.FilesBucket7C17EE2E;
    expect(objectiveOf(bucket, template)).toEqual(json(objective));
    expect(objectiveOf(inlined(template).Resources.FilesBucket7C17EE2E, {})).toEqual(json(objective));
    expect(objectiveOf(bucket, {})).toBeUndefined();
    // replication-time-control sees the region-outage RPO through the key: RTC with metrics is compliant
    const ctx = { stackName: 'Shop', logicalId: 'FilesBucket7C17EE2E', resource: bucket, template, region: ENV.region, account: ENV.account };
    expect(replicationTimeControl(ctx).compliance).toBe(RuleCompliance.COMPLIANT);
    // without its objective the rule does not apply: the key is what made it compliant above
    expect(replicationTimeControl({ ...ctx, template: {} }).compliance).toBe(RuleCompliance.NOT_APPLICABLE);
  });
});
