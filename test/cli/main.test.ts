import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './run';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');
const fx = (f: string) => path.join(FIXTURES, f);

/** A bad-input run: exit 2, nothing on stdout, exactly one `drkit: ` line on stderr, no stack trace. */
async function expectBadInput(argv: string[], message: RegExp): Promise<void> {
  const r = await run(...argv);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^drkit: /);
  expect(r.err).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(r.err).toMatch(message);
}

describe('drkit report', () => {
  test('prints Markdown for a template; a table without PITR is reported unprotected against corruption', async () => {
    const r = await run('report', fx('table-no-pitr.template.json'), '--region', 'us-east-1');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('# Recovery report\n')).toBe(true);
    expect(r.out).toContain('| data corruption / accidental deletion | - | - | - | **UNPROTECTED** |');
    expect(r.out).toContain('Fix: enable point-in-time recovery');
  });

  test('--json prints the versioned document, the same bytes on every run', async () => {
    const a = await run('report', path.join(FIXTURES, 'assembly'), '--json');
    const b = await run('report', path.join(FIXTURES, 'assembly'), '--json');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const doc = JSON.parse(a.out);
    expect(doc.schemaVersion).toBe('2.0');
    expect(doc.stacks.map((s: any) => s.stackName)).toEqual(['Agnostic', 'Replica', 'primary-stack']);
  });

  test('--rpo/--rto/--disruptions/--pitr apply an objective to every stateful resource', async () => {
    const r = await run('report', fx('table-pitr-backup.template.json'), '--json', '--rpo', '30m', '--rto=2h', '--disruptions', 'corruption,account', '--pitr', '7d', '--region', 'us-east-1');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.objectives).toEqual([expect.objectContaining({
      source: 'options',
      objective: expect.objectContaining({ rpoSeconds: 1800, rtoSeconds: 7200, retention: expect.objectContaining({ pointInTimeDays: 7 }) }),
    })]);
    const table = doc.resources[0];
    expect(table.disruptions.map((d: any) => `${d.disruption}:${d.status}`)).toEqual([
      'corruption:unverified', 'az:not-required', 'region:not-required', 'account:not-met',
    ]);
    // The vault is locked in compliance mode, but in this account with this account's key: it does not count.
    expect(table.disruptions[3].basis).toContain('does not count: vault orders-vault is locked in compliance mode, but it is in this account');
  });

  test('--fail-on-gap exits 1 when an objective is not met, 0 when there is no gap', async () => {
    const failing = await run('report', fx('table-no-pitr.template.json'), '--fail-on-gap');
    expect(failing.code).toBe(1);
    expect(failing.out).toContain('## Gaps');
    const passing = await run('report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '15m', '--rto', '1h', '--disruptions', 'corruption,az,region', '--fail-on-gap');
    expect(passing.err).toBe('');
    expect(passing.code).toBe(0);
    const notMet = await run('report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '5m', '--rto', '1h', '--disruptions', 'region', '--fail-on-gap');
    expect(notMet.code).toBe(1);
    expect(notMet.out).toContain('**NOT MET**');
  });

  test('--fail-on-gap passes unverified rows; --fail-on-unverified fails on them, and on gaps', async () => {
    // Versions and the RTC replica meet 15m / 1h as far as is known, but no restore time is published
    // and the failover to the replica is a lower bound: unverified rows, no gap.
    const args = ['report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '15m', '--rto', '1h', '--disruptions', 'corruption,az,region'];
    const gapOnly = await run(...args, '--json', '--fail-on-gap');
    expect(gapOnly.code).toBe(0);
    const doc = JSON.parse(gapOnly.out);
    expect(doc.summary.gaps).toBe(0);
    expect(doc.summary.unverified).toBe(2);
    expect((await run(...args, '--fail-on-unverified')).code).toBe(1);
    // Everything met (AZ only: multi-AZ storage, documented): --fail-on-unverified passes.
    expect((await run('report', fx('bucket-versioned-rtc.template.json'), '--region', 'us-east-1', '--rpo', '15m', '--rto', '1h', '--disruptions', 'az', '--fail-on-unverified')).code).toBe(0);
    expect((await run('report', fx('table-no-pitr.template.json'), '--fail-on-unverified')).code).toBe(1);
  });

  test('help', async () => {
    const main1 = await run('--help');
    expect(main1.code).toBe(0);
    expect(main1.out).toContain('drkit report <cdk.out dir | template file>');
    const report = await run('report', '--help');
    expect(report.code).toBe(0);
    expect(report.out).toContain('--fail-on-gap');
    expect(report.out).toContain('--fail-on-unverified');
    expect(report.out).toContain('--disruptions <list>');
  });

  describe('bad input: one line on stderr, exit code 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-cli-'));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"Resources": ');
    fs.writeFileSync(path.join(dir, 'notemplate.json'), '{"Parameters": {}}');

    const cases: Array<[string[], RegExp]> = [
      [['report', path.join(dir, 'missing.json')], /^drkit: \[DRK040\] .*missing\.json does not exist/],
      [['report', path.join(dir, 'broken.json')], /^drkit: \[DRK040\] .*broken\.json is not valid JSON/],
      [['report', path.join(dir, 'notemplate.json')], /notemplate\.json is not a CloudFormation template: it has no `Resources` object/],
      [['report', dir], /has no manifest\.json, so it is not a cloud assembly/],
      [['report', fx('table-no-pitr.template.json'), '--frobnicate'], /^drkit: unknown option --frobnicate: see drkit report --help/],
      [['report', fx('table-no-pitr.template.json'), '-x'], /^drkit: unknown option -x/],
      [['report', fx('table-no-pitr.template.json'), '--rpo', 'soon', '--rto', '1h'], /^drkit: \[DRK001\] `soon` is not a duration/],
      [['report', fx('table-no-pitr.template.json'), '--rpo', '15m'], /^drkit: an objective needs both --rpo and --rto \(got --rpo 15m and no --rto\)/],
      [['report', fx('table-no-pitr.template.json'), '--rpo', '15m', '--rto', '1h', '--disruptions', 'meteor'], /^drkit: \[DRK002\] `disruptions` has an unknown value "meteor"/],
      [['report', fx('table-no-pitr.template.json'), '--rpo'], /^drkit: --rpo needs a value/],
      [['report', fx('table-no-pitr.template.json'), '--region', 'us-wset-2'], /^drkit: \[DRK022\] `--region` is "us-wset-2", which is not an AWS region \(drkit checks region names against the 47 regions of aws-cdk-lib's region-info\): did you mean "us-west-2"\?\n$/],
      [['report', fx('table-no-pitr.template.json'), fx('bucket-unversioned.template.json')], /^drkit: one input only/],
      [['report'], /^drkit: drkit report needs an input/],
      [['deploy'], /^drkit: unknown command "deploy"/],
      [[], /^drkit: no command given/],
    ];
    test.each(cases.map(([argv, message]) => [argv.map(a => path.basename(a)).join(' '), argv, message] as const))('drkit %s', async (_title, argv, message) => {
      await expectBadInput(argv, message);
    });
  });
});
