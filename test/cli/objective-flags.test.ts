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
  expect(r.gaps).toEqual(['DynamoDB table orders: the point-in-time window is 35 days (DynamoDB point-in-time recovery), but the objective asks for a point-in-time window of 36 days, '
    + 'more than DynamoDB point-in-time recovery can keep (at most 35 days)']);
  expect(r.doc.gaps[0].fix).toMatch(/^point-in-time recovery goes back at most 35 days with DynamoDB point-in-time recovery \(https:.*\): ask for a point-in-time window of 35 days or less \(retention.pointInTime, drkit report --pitr\), and keep older restore points/);
});

test('--pitr 30d --keep daily=30,yearly=2: the window is met, the yearly points are not kept', async () => {
  const r = await report('--pitr', '30d', '--keep', 'daily=30,yearly=2', '--fail-on-gap');
  expect(r.code).toBe(1);
  // Monthly points are taken more often than yearly ones, so they count, but are kept 372 days, not 2 x 366.
  expect(r.gaps).toEqual(['DynamoDB table orders: yearly restore points go back 372 days (AWS Backup recovery points of plan orders-plan rule Monthly), '
    + 'but the objective keeps yearly=2 (yearly restore points for 732 days)']);
  expect(r.doc.gaps[0].fix).toBe('set Lifecycle.DeleteAfterDays of rule Monthly (plan orders-plan) to 732');
  expect(r.doc.objectives[0].objective.retention).toEqual(expect.objectContaining({ pointInTimeDays: 30, daily: 30, yearly: 2 }));
});

test('--pitr 30d --keep daily=30,monthly=12: met (monthly points kept 372 days)', async () => {
  const r = await report('--pitr', '30d', '--keep', 'daily=30,monthly=12', '--fail-on-gap');
  expect([r.code, r.gaps]).toEqual([0, []]);
});

/**
 * The same flags against RDS (issue 14, point 11): `Billing` keeps 7 days of automated backups,
 * `Reports` none; both are in a plan whose only rule is monthly, kept 372 days.
 */
const RDS = path.join(__dirname, '..', 'fixtures', 'templates', 'rds-monthly-plan.template.json');

async function rdsReport(...flags: string[]): Promise<{ code: number; gaps: Array<{ id: string; problem: string; fix: string }> }> {
  const { code, out } = await run('report', RDS, '--json', '--region', 'us-east-1', '--rpo', '32d', '--rto', '1d', '--disruptions', 'corruption', ...flags);
  return { code, gaps: JSON.parse(out).gaps.map((g: any) => ({ id: g.logicalId, problem: g.problem, fix: g.fix })) };
}

test('--pitr 30d against an RDS instance that keeps 7 days of automated backups is a gap, fixed by BackupRetentionPeriod', async () => {
  const r = await rdsReport('--pitr', '30d', '--keep', 'daily=0,monthly=12', '--fail-on-gap');
  expect(r.code).toBe(1);
  expect(r.gaps).toEqual([{
    id: 'Billing',
    problem: 'RDS DB instance billing: the point-in-time window is 7 days (RDS automated backups, BackupRetentionPeriod 7), but the objective asks for a point-in-time window of 30 days',
    fix: 'set BackupRetentionPeriod to 30',
  }]);
  // Kept for 7 days, the window is met; the monthly points are kept 12 x 31 days.
  expect((await rdsReport('--pitr', '7d', '--keep', 'daily=0,monthly=12', '--fail-on-gap')).gaps).toEqual([]);
});

test('--pitr 36d against RDS is impossible for the mechanism (automated backups and continuous backup keep at most 35 days), as the constructs refuse it', async () => {
  const r = await rdsReport('--pitr', '36d', '--keep', 'daily=0,monthly=12');
  const more = 'more than RDS automated backups and AWS Backup continuous backup can keep (at most 35 days)';
  expect(r.gaps.map(g => `${g.id}: ${g.problem}`)).toEqual([
    `Billing: RDS DB instance billing: the point-in-time window is 7 days (RDS automated backups, BackupRetentionPeriod 7), but the objective asks for a point-in-time window of 36 days, ${more}`,
    // Without automated backups, the monthly points stand in for a window, but not for one no RDS mechanism keeps.
    `Reports: RDS DB instance reports: restore points go back 372 days (AWS Backup recovery points of plan db-plan rule Monthly), but the objective asks for a point-in-time window of 36 days, ${more}`,
  ]);
  for (const g of r.gaps) {
    expect(g.fix).toMatch(/^point-in-time recovery goes back at most 35 days with RDS automated backups and AWS Backup continuous backup \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/.*\): ask for a point-in-time window of 35 days or less/);
  }
});

test('--pitr 10000d flags the DynamoDB table and the RDS instance alike: both keep at most 35 days', async () => {
  const table = await report('--pitr', '10000d');
  expect(table.gaps).toEqual([expect.stringMatching(/^DynamoDB table orders: .* point-in-time window of 10000 days, more than DynamoDB point-in-time recovery can keep \(at most 35 days\)$/)]);
  const rds = await rdsReport('--pitr', '10000d', '--keep', 'daily=0');
  expect(rds.gaps.find(g => g.id === 'Billing')?.problem)
    .toMatch(/^RDS DB instance billing: .* point-in-time window of 10000 days, more than RDS automated backups and AWS Backup continuous backup can keep \(at most 35 days\)$/);
});

test('--keep is matched per frequency: monthly rules do not keep daily points', async () => {
  const r = await rdsReport('--pitr', '7d', '--keep', 'daily=30,monthly=12', '--fail-on-gap');
  expect(r.code).toBe(1);
  expect(r.gaps).toEqual([
    {
      id: 'Billing',
      problem: 'RDS DB instance billing: daily restore points go back 7 days (RDS automated backups, BackupRetentionPeriod 7), but the objective keeps daily=30 (daily restore points for 30 days)',
      fix: 'set BackupRetentionPeriod to 30',
    },
    {
      id: 'Reports',
      problem: 'RDS DB instance reports: no restore point is taken at least daily (AWS Backup recovery points of plan db-plan rule Monthly every 31d), but the objective keeps daily=30 (daily restore points for 30 days)',
      fix: 'add an AWS Backup rule that runs at least daily and keeps its recovery points 30 days (Lifecycle.DeleteAfterDays 30)',
    },
  ]);
});

test('--keep monthly=13 needs the monthly rule kept 13 x 31 days; weekly points are not kept by a monthly rule either', async () => {
  const r = await rdsReport('--pitr', '7d', '--keep', 'daily=7,weekly=4,monthly=13');
  expect(r.gaps.filter(g => g.id === 'Billing')).toEqual([
    {
      id: 'Billing',
      problem: 'RDS DB instance billing: weekly restore points go back 7 days (RDS automated backups, BackupRetentionPeriod 7), but the objective keeps weekly=4 (weekly restore points for 28 days)',
      fix: 'set BackupRetentionPeriod to 28',
    },
    {
      id: 'Billing',
      problem: 'RDS DB instance billing: monthly restore points go back 372 days (AWS Backup recovery points of plan db-plan rule Monthly), but the objective keeps monthly=13 (monthly restore points for 403 days)',
      fix: 'set Lifecycle.DeleteAfterDays of rule Monthly (plan db-plan) to 403',
    },
  ]);
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
  // Both are checked against every mechanism, RDS and per-frequency matching included.
  const text = out.replace(/\s+/g, ' ');
  expect(text).toContain('RDS and Aurora automated backups (BackupRetentionPeriod), AWS Backup continuous backup');
  expect(text).toContain('More than 35 days is impossible for DynamoDB, RDS/Aurora, DocumentDB and Neptune');
  expect(text).toContain('Each count is matched per frequency: daily=30 needs restore points taken at least daily and kept 30 days');
  expect(text).toContain('A plan with only monthly rules does not keep daily points');
  expect(out).not.toContain('not checked yet');
});
