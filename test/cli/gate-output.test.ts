import * as path from 'path';
import { run } from './run';

/** Issue 14, point 10: a failing gate says why on stderr, one line per gap; a mistyped option gets a suggestion. */
const fx = (f: string) => path.join(__dirname, '..', 'fixtures', 'templates', f);

test('--fail-on-gap that exits 1 prints one line per gap on stderr, then a summary line', async () => {
  const r = await run('report', fx('table-no-pitr.template.json'), '--json', '--fail-on-gap');
  expect(r.code).toBe(1);
  const gaps: any[] = JSON.parse(r.out).gaps;
  expect(gaps.length).toBeGreaterThan(0);
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(gaps.length + 1);
  gaps.forEach((g, i) => {
    expect(lines[i]).toBe(`drkit: gap: ${g.stackName}/${g.logicalId} (${g.resourceType})${g.disruption ? ` [${g.disruption}]` : ''}: ${g.problem}; fix: ${g.fix}`);
  });
  expect(lines[gaps.length]).toBe(`drkit: ${gaps.length} gap${gaps.length === 1 ? '' : 's'}: exit 1 (--fail-on-gap)`);
});

test('--fail-on-unverified that exits 1 also lists the unverified rows', async () => {
  const r = await run('report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '15m', '--rto', '1h', '--disruptions', 'corruption,az,region', '--fail-on-unverified');
  expect(r.code).toBe(1);
  const lines = r.err.trimEnd().split('\n');
  expect(lines.filter(l => l.startsWith('drkit: unverified: '))).toHaveLength(2);
  expect(lines[lines.length - 1]).toBe('drkit: 0 gaps, 2 unverified: exit 1 (--fail-on-unverified)');
});

test('a passing gate prints nothing on stderr', async () => {
  const r = await run('report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '15m', '--rto', '1h', '--disruptions', 'corruption,az,region', '--fail-on-gap');
  expect([r.code, r.err]).toEqual([0, '']);
});

test.each([
  ['--fail-on-gaps', '--fail-on-gap'],
  ['--fail-on-unverfied', '--fail-on-unverified'],
  ['--jsn', '--json'],
  ['--regoin', '--region'],
  ['--retension', '--retention'],
  ['--fail', '--fail-on-gap'],
])('unknown option %s: did you mean %s?', async (typo, meant) => {
  const r = await run('report', fx('table-no-pitr.template.json'), typo);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toBe(`drkit: unknown option ${typo}: did you mean ${meant}? (see drkit report --help)\n`);
});

test('an option far from every known one gets no suggestion', async () => {
  const r = await run('report', fx('table-no-pitr.template.json'), '--frobnicate');
  expect(r.err).toBe('drkit: unknown option --frobnicate: see drkit report --help\n');
});
