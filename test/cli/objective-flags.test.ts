import * as path from 'path';
import { run } from './run';

/**
 * Issue 14, point 11: the objective on the command line means what it means in the constructs.
 * `--pitr` is the point-in-time window (retention.pointInTime), met only by point-in-time
 * mechanisms; `--keep` the kept restore points (daily/weekly/monthly/yearly). The fixture table
 * has PITR for 35 days, daily AWS Backup points kept 30 days and monthly ones kept 372 days.
 */
const TABLE = path.join(__dirname, '..', 'fixtures', 'templates', 'table-pitr-backup.template.json');

async function report(...flags: string[]): Promise<{ code: number; gaps: string[]; err: string; doc: any }> {
  const { code, out, err } = await run('report', TABLE, '--json', '--region', 'us-east-1', '--rpo', '30m', '--rto', '2h', '--disruptions', 'corruption', ...flags);
  const doc = code === 2 ? undefined : JSON.parse(out);
  return { code, gaps: (doc?.gaps ?? []).map((g: any) => g.problem), err, doc };
}

test('--pitr 36d fails the gate as pointInTime: Period.days(36) is refused in the constructs (PITR keeps at most 35 days)', async () => {
  const r = await report('--pitr', '36d', '--fail-on-gap');
  expect(r.code).toBe(1);
  expect(r.gaps).toEqual(['DynamoDB table orders: point-in-time recovery goes back 35 days, but the objective asks for a point-in-time window of 36 days']);
  expect(r.doc.gaps[0].fix).toMatch(/^PITR keeps at most 35 days \(https:.*\): ask for a point-in-time window of 35 days or less, and keep older restore points/);
});

test('--pitr 30d --keep daily=30,yearly=2: the window is met, the yearly points are not kept', async () => {
  const r = await report('--pitr', '30d', '--keep', 'daily=30,yearly=2', '--fail-on-gap');
  expect(r.code).toBe(1);
  expect(r.gaps).toEqual(['DynamoDB table orders: restore points go back 372 days, but the objective keeps restore points (daily=30,yearly=2) for 732 days']);
  expect(r.doc.objectives[0].objective.retention).toEqual(expect.objectContaining({ pointInTimeDays: 30, daily: 30, yearly: 2 }));
});

test('--pitr 30d --keep daily=30,monthly=12: met (monthly points kept 372 days)', async () => {
  const r = await report('--pitr', '30d', '--keep', 'daily=30,monthly=12', '--fail-on-gap');
  expect([r.code, r.gaps]).toEqual([0, []]);
});

test('--retention gives a migration error naming --pitr and --keep', async () => {
  const r = await report('--retention', '36d');
  expect(r.code).toBe(2);
  expect(r.err).toBe('drkit: --retention is replaced by --pitr and --keep, which mean what retention.pointInTime and the restore-point counts mean in the constructs: '
    + 'for a point-in-time window use --pitr 36d; for restore points kept by backups use --keep (for example daily=30,monthly=12)\n');
});

test('--keep with an unknown period is refused', async () => {
  const r = await report('--keep', 'hourly=3');
  expect(r.code).toBe(2);
  expect(r.err).toBe('drkit: --keep takes counts of restore points such as daily=30,monthly=12 (daily, weekly, monthly, yearly), but got "hourly=3"\n');
});

test('drkit report --help documents --pitr and --keep', async () => {
  const { out } = await run('report', '--help');
  expect(out).toMatch(/--pitr <duration> +point-in-time window/);
  expect(out).toMatch(/--keep <counts> +restore points kept/);
});
