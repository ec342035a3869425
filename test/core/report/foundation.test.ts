import * as fs from 'fs';
import * as path from 'path';
import { Size, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { validate } from './json-schema';
import { ProtectedScope } from '../../../lib/cdk';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { RecoveryReport } from '../../../lib/core/report';
import { testApp } from '../../util';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'report-schema.json'), 'utf8'));
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };

const OBJECTIVE = RecoveryObjective.of({
  name: 'orders',
  rpo: Period.hours(3),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7 }),
});

/**
 * One synthesis of what the backup foundation builds: a ProtectedScope over a table, a bucket
 * and an EBS volume, with a cross-region copy and a logically air-gapped vault, a cache table
 * excluded with a reason and an imported table excluded with a reason.
 */
function foundation(): { report: RecoveryReport; json: any; md: string; primary: Stack } {
  const app = testApp();
  const primary = new Stack(app, 'Primary', { env: { region: 'us-east-1', account: '111111111111' } });
  new dynamodb.Table(primary, 'Orders', { partitionKey: PK });
  new s3.Bucket(primary, 'Files', { enforceSSL: true });
  new ec2.Volume(primary, 'Disk', { availabilityZone: 'us-east-1a', size: Size.gibibytes(10), encrypted: true });
  const cache = new dynamodb.Table(primary, 'Cache', { partitionKey: PK });
  const legacy = dynamodb.Table.fromTableName(primary, 'Legacy', 'legacy-orders');
  new ProtectedScope(primary, 'Protect', {
    objective: OBJECTIVE,
    secondaryRegion: 'us-west-2',
    airGappedVault: true,
    exclude: [
      { resource: cache, reason: 'cache, rebuilt from Orders' },
      { resource: legacy, reason: 'owned and backed up by the legacy team' },
    ],
  });
  const assembly = app.synth();
  const report = RecoveryReport.fromCloudAssembly(assembly.directory);
  return { report, json: report.toJson(), md: report.toMarkdown(), primary };
}

let built: ReturnType<typeof foundation>;
beforeAll(() => {
  built = foundation();
}, 120_000);

function resource(json: any, prefix: string): any {
  const r = json.resources.find((x: any) => x.stackName === 'Primary' && x.logicalId.startsWith(prefix));
  if (!r) throw new Error(`no resource ${prefix} in ${json.resources.map((x: any) => x.logicalId).join(', ')}`);
  return r;
}

describe('the report on what the backup foundation builds', () => {
  test('the document validates against docs/report-schema.json', () => {
    expect(validate(SCHEMA, built.json)).toEqual([]);
  });

  test('an EBS volume selected by an ARN built from its Ref is protected, not a gap', () => {
    const disk = resource(built.json, 'Disk');
    const sel = built.json.backup.selections[0];
    expect(sel.resources).toContain(`arn:aws:ec2:us-east-1:111111111111:volume/\${${disk.logicalId}}`);
    const corruption = disk.disruptions.find((d: any) => d.disruption === 'corruption');
    expect(corruption.mechanisms).toContain('aws.backup.scheduled');
    expect(corruption.status).toBe('unverified');
    expect(disk.disruptions.find((d: any) => d.disruption === 'region').mechanisms).toEqual(['aws.backup.copy.region']);
    expect(built.json.gaps.filter((g: any) => g.logicalId === disk.logicalId)).toEqual([]);
  });

  test('the logically air-gapped vault is in the stack\'s region and account, locked in compliance mode, and its copies are immutable and cover account compromise', () => {
    const lag = built.json.backup.vaults.find((v: any) => v.airGapped);
    expect(lag).toMatchObject({ stackName: 'Primary', region: 'us-east-1', account: '111111111111', lock: 'compliance', minRetentionDays: 7, airGapped: true, encryptionKey: 'AWS owned key (logically air-gapped vault)' });
    expect(lag.maxRetentionDays).toBeGreaterThanOrEqual(7);
    const copies = built.json.backup.plans[0].rules.flatMap((r: any) => r.copies);
    const toLag = copies.filter((c: any) => c.airGapped);
    expect(toLag.length).toBe(built.json.backup.plans[0].rules.length);
    for (const c of toLag) expect(c).toMatchObject({ destination: lag.name, region: 'us-east-1', account: '111111111111', offRegion: false, offAccount: false, lock: 'compliance' });

    const orders = resource(built.json, 'Orders');
    const points = orders.restorePoints.filter((p: any) => p.mechanism === 'aws.backup.copy.air-gapped');
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) expect(p).toMatchObject({ region: 'us-east-1', account: '111111111111', vault: lag.name, immutability: 'compliance' });
    expect(orders.threeTwoOne.immutable).toBe(true);
    const account = orders.disruptions.find((d: any) => d.disruption === 'account');
    expect(account.mechanisms).toContain('aws.backup.copy.air-gapped');
    expect(account.basis).toContain('can be restored even when the vault-owning account is inaccessible');
    expect(account.basis).toContain('https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html');
    expect(orders.runbook.map((e: any) => e.title)).toContain(`Restore from the logically air-gapped vault ${lag.name} (when this account is lost)`);
    expect(built.md).not.toMatch(/region unknown \/ account unknown \/ <unresolved>/);
    expect(built.md).toContain('| compliance (logically air-gapped) |');
  });

  test('restore testing: the plan, its selections per protected type, and per resource how recovery is tested', () => {
    const [plan] = built.json.backup.restoreTestingPlans;
    expect(plan).toMatchObject({ stackName: 'Primary', schedule: 'cron(0 9 ? * WED *)', frequency: 'weekly', intervalSeconds: 7 * 86400, startWindowHours: 24, algorithm: 'LATEST_WITHIN_WINDOW', selectionWindowDays: 1, recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'] });
    const vault = built.json.backup.vaults.find((v: any) => !v.airGapped && v.stackName === 'Primary');
    expect(plan.vaults).toEqual([vault.name]);
    expect(plan.selections.map((s: any) => s.resourceType).sort()).toEqual(['DynamoDB', 'EBS', 'S3']);
    for (const s of plan.selections) expect(s).toMatchObject({ resources: ['*'], validationWindowHours: 1 });
    for (const prefix of ['Orders', 'Files', 'Disk']) {
      const t = resource(built.json, prefix).recoveryTesting;
      expect(t.scheduled).toBe(true);
      expect(t.restoreTestingPlans).toEqual([plan.name]);
      expect(t.intervalSeconds).toBe(7 * 86400);
      expect(t.summary).toMatch(new RegExp(`^restore test scheduled weekly by ${plan.name} \\(cron\\(0 9 \\? \\* WED \\*\\); latest recovery point within 1 day\\(s\\) from vault ${vault.name}, selection drkit_\\w+, kept 1h for validation\\)`));
    }
    expect(built.json.summary.restoreTestsScheduled).toBe(3);
    expect(built.md).toContain(`Recovery testing: ${resource(built.json, 'Disk').recoveryTesting.summary}.`);
    expect(built.md).toMatch(/\| EBS \| 1 \| yes \| \S+ \| at least every 7d \|/);
  });

  test('the audit framework: controls with their parameters, compared with the objective', () => {
    const [f] = built.json.backup.frameworks;
    const control = (n: string) => f.controls.find((c: any) => c.name === n);
    // What the plan's schedule guarantees (time between jobs plus the next job's start and completion windows), not the interval.
    expect(control('BACKUP_LAST_RECOVERY_POINT_CREATED').parameters).toEqual([
      { name: 'recoveryPointAgeUnit', value: 'hours' }, { name: 'recoveryPointAgeValue', value: '5' },
    ]);
    expect([...control('BACKUP_LAST_RECOVERY_POINT_CREATED').resourceTypes].sort()).toEqual(['DynamoDB', 'EBS', 'S3']);
    expect(control('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET')).toMatchObject({
      parameters: [{ name: 'maxRestoreTime', value: '480' }],
      checks: 'the latest restore (restore tests included) took at most 480 minutes (compare with the RTO)',
    });
    expect(control('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION').parameters).toEqual([{ name: 'crossRegionList', value: 'us-west-2' }]);
    expect(built.md).toContain('| BACKUP_LAST_RECOVERY_POINT_CREATED | recoveryPointAgeUnit=hours, recoveryPointAgeValue=5 |');
    expect(built.md).toContain('age 5h looser than the RPO 3h: the control cannot see a miss between the two');
    expect(built.md).toContain('restore time 8h equals the RTO 8h');
  });

  test('notifications: EventBridge rules on AWS Backup job states targeting the SNS topic', () => {
    const n = built.json.backup.notifications;
    expect(n.map((x: any) => x.detailTypes[0]).sort()).toEqual(['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change']);
    for (const x of n) expect(x.targets).toEqual([expect.stringMatching(/^SNS topic /)]);
    expect(n.find((x: any) => x.detailTypes[0] === 'Backup Job State Change').states).toEqual(['FAILED', 'EXPIRED', 'ABORTED']);
  });

  test('excluded resources are listed with their reason, not assessed and not gaps', () => {
    const cache = built.json.excluded.find((x: any) => x.logicalId?.startsWith('Cache'));
    expect(cache).toEqual({ stackName: 'Primary', logicalId: cache.logicalId, resourceType: 'AWS::DynamoDB::Table', reason: 'cache, rebuilt from Orders' });
    expect(built.json.excluded).toContainEqual({ stackName: 'Primary', path: 'Primary/Legacy', reason: 'owned and backed up by the legacy team' });
    expect(built.json.summary.excluded).toBe(2);
    expect(built.json.resources.some((r: any) => r.logicalId === cache.logicalId)).toBe(false);
    expect(built.json.gaps.some((g: any) => g.logicalId === cache.logicalId)).toBe(false);
    expect(built.md).toContain(`| Primary/${cache.logicalId} | AWS::DynamoDB::Table | cache, rebuilt from Orders |`);
    expect(built.md).toContain('| Primary/Legacy (stack Primary) | imported resource | owned and backed up by the legacy team |');
  });

  test('the same input gives the same document and Markdown', () => {
    const again = JSON.stringify(built.report.toJson());
    const first = JSON.stringify(built.json);
    const at = [...first].findIndex((c, i) => again[i] !== c);
    expect(at === -1 ? 'same' : `differs at ${at}: ${first.slice(at - 80, at + 80)} / ${again.slice(at - 80, at + 80)}`).toBe('same');
    expect(built.report.toMarkdown() === built.md).toBe(true);
  });
});
