import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPORT_SCHEMA_VERSION } from '../../lib/core/report/report';

/**
 * The `drkit` command as users run it: `node bin/drkit`, a real process, on the compiled
 * lib/cli/main.js (`npm test` compiles with jsii and tsc -p tsconfig.pulumi.json before jest).
 */
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'drkit');
const MAIN_JS = path.join(ROOT, 'lib', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'templates');

function drkit(...args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

describe('the drkit binary (node bin/drkit, spawned)', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN_JS)) {
      throw new Error(`${path.relative(ROOT, MAIN_JS)} is missing: bin/drkit runs the compiled CLI; compile first (npx jsii && npx tsc -p tsconfig.pulumi.json, as npm test does)`);
    }
  });

  test('a good template: exit 0, the Markdown report on stdout, nothing on stderr', () => {
    const r = drkit('report', path.join(FIXTURES, 'table-pitr-backup.template.json'), '--region', 'us-east-1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('# Recovery report\n')).toBe(true);
    expect(r.stdout).toContain('## Objective vs achieved');
    expect(r.stdout).toContain('## Runbook');
  });

  test('--json: a JSON document of the current schema version, the same bytes on every run', () => {
    const a = drkit('report', path.join(FIXTURES, 'assembly'), '--json');
    const b = drkit('report', path.join(FIXTURES, 'assembly'), '--json');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    // A mismatch here means lib/cli/main.js is stale: compile again.
    expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(doc.generator).toBe('drkit');
    expect(Array.isArray(doc.resources)).toBe(true);
  });

  test('--fail-on-gap on a table without PITR: exit 1, the report still printed', () => {
    const r = drkit('report', path.join(FIXTURES, 'table-no-pitr.template.json'), '--region', 'us-east-1', '--fail-on-gap');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('## Gaps');
    expect(r.stdout).toContain('Fix: enable point-in-time recovery');
    // Without the flag, the same input exits 0.
    expect(drkit('report', path.join(FIXTURES, 'table-no-pitr.template.json'), '--region', 'us-east-1').status).toBe(0);
  });

  test('a missing file: exit 2, nothing on stdout, exactly one "drkit:" line on stderr, no stack trace', () => {
    const missing = path.join(FIXTURES, 'no-such-template.json');
    const r = drkit('report', missing);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^drkit: /);
    expect(lines[0]).toContain(`${missing} does not exist`);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(r.stderr).not.toMatch(/Error:|DrkitError/);
  });
});
