/**
 * drkit's benchmarks. Run: `npx projen bench` (or `npx ts-node --prefer-ts-exts bench/run.ts`);
 * `--quick` measures N = 10 only; `--runs K` sets the repetitions (default 3); `--no-build`
 * skips compiling lib/ first; `--pulumi-only` measures the Pulumi section only and rewrites
 * that section of the results, keeping the others. Writes bench/RESULTS.md (or `--out FILE`).
 *
 * Every measurement runs in a fresh child process (bench/synth-child.ts,
 * bench/pulumi-child.ts, or `node -e` for cold start), drkit and plain interleaved so both
 * see the same machine load; medians are reported, ratios are drkit / plain.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProfileSummary, summarizeProfile } from './profile';

const ROOT = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PULUMI_ONLY = argv.includes('--pulumi-only');
const NO_BUILD = argv.includes('--no-build');
const RUNS = Math.max(1, parseInt(argValue('--runs') ?? (QUICK ? '1' : '3'), 10));
const OUT = argValue('--out') ?? path.join(__dirname, 'RESULTS.md');
const NS = QUICK ? [10] : [10, 100, 400];
const LIMIT_RESOURCES = 500;
const PULUMI_TIMEOUT_MS = 600_000;
/** A Pulumi measurement projected (linearly from the previous N) past this is not run. */
const PULUMI_BUDGET_MS = 360_000;
const LIMIT_BYTES = 1_000_000;
const notes: string[] = [];
const started = new Date();
const loadBefore = os.loadavg();

function argValue(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function log(msg: string): void {
  process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0)}s] ${msg}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

// ---------------------------------------------------------------- build
let useTs = false;
function build(): void {
  if (NO_BUILD) {
    log('--no-build: using the compiled lib/ as it is');
  } else {
    for (const cmd of ['npx jsii --silence-warnings=reserved-word', 'npx tsc -p tsconfig.pulumi.json']) {
      log(`build: ${cmd}`);
      const r = spawnSync(cmd, { cwd: ROOT, shell: true, encoding: 'utf8', timeout: 600_000 });
      if (r.status !== 0) {
        notes.push(`\`${cmd}\` failed (${(r.stdout + r.stderr).split('\n').find(l => /error/i.test(l)) ?? 'see its output'}); drkit was loaded from TypeScript sources through ts-node (transpile-only) instead of compiled JavaScript, so cold-start figures for drkit are not measured.`);
        useTs = true;
        break;
      }
    }
  }
  if (!useTs && !fs.existsSync(path.join(ROOT, 'lib', 'cdk', 'rules', 'index.js'))) {
    notes.push('lib/ was not compiled with the current sources (lib/cdk/rules/index.js missing); run without --no-build.');
  }
}

// ---------------------------------------------------------------- children
function child(script: string, args: string[], env: { [k: string]: string } = {}, timeoutMs = 600_000): any {
  const r = spawnSync(process.execPath, ['--max-old-space-size=6144', '-r', 'ts-node/register/transpile-only', path.join(__dirname, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...(useTs ? { DRKIT_BENCH_TS: '1' } : {}), ...env },
  });
  const line = (r.stdout ?? '').trim().split('\n').filter(l => l.startsWith('{')).pop();
  if (!line) return { error: r.error ? String(r.error.message) : `exit ${r.status}: ${(r.stderr ?? '').split('\n').slice(-3).join(' ')}` };
  return JSON.parse(line);
}

interface SynthResult {
  constructMs: number;
  totalMs: number;
  /** drkit: time in RecoveryReportPlugin.validate (the recovery report written at synth). */
  reportMs?: number;
  maxRssKb: number;
  stacks: Array<{ stackName: string; resources: number; bytes: number; types: { [type: string]: number } }>;
  error?: string;
}

function synth(variant: string, n: number, mix: string, validation: boolean): SynthResult {
  return child('synth-child.ts', [variant, String(n), mix], validation ? {} : { CDK_VALIDATION: 'false' });
}

const fits = (r: SynthResult) => !r.error && r.stacks.every(s => s.resources <= LIMIT_RESOURCES && s.bytes <= LIMIT_BYTES);

// ---------------------------------------------------------------- 1. synth
interface SynthRow { n: number; drkit: SynthResult[]; plain: SynthResult[] }

function synthBench(validation: boolean, ns: number[], runsFor: (n: number) => number): SynthRow[] {
  const rows: SynthRow[] = [];
  for (const n of ns) {
    const row: SynthRow = { n, drkit: [], plain: [] };
    for (let i = 0; i < runsFor(n); i++) {
      for (const v of ['drkit', 'plain'] as const) {
        log(`synth ${v} N=${n} run ${i + 1}${validation ? ' (CloudFormation validation on)' : ''}`);
        row[v].push(synth(v, n, 'all', validation));
      }
    }
    rows.push(row);
  }
  return rows;
}

function synthTable(rows: SynthRow[]): string[] {
  const out = [
    '| N | drkit synth (ms) | plain synth (ms) | ratio drkit/plain | of drkit\'s: the recovery report at synth (ms) | ratio without the report | drkit peak RSS (MB) | plain peak RSS (MB) | runs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ok = (xs: SynthResult[]) => xs.filter(x => !x.error);
    const d = median(ok(r.drkit).map(x => x.totalMs));
    const p = median(ok(r.plain).map(x => x.totalMs));
    const rep = median(ok(r.drkit).map(x => x.reportMs ?? 0));
    out.push(`| ${r.n} | ${fmt(d)} | ${fmt(p)} | ${ratio(d, p)} | ${fmt(rep)} | ${ratio(median(ok(r.drkit).map(x => x.totalMs - (x.reportMs ?? 0))), p)} | `
      + `${fmt(median(ok(r.drkit).map(x => x.maxRssKb)) / 1024)} | ${fmt(median(ok(r.plain).map(x => x.maxRssKb)) / 1024)} | ${r.drkit.length} |`);
    for (const x of [...r.drkit, ...r.plain].filter(y => y.error)) notes.push(`synth N=${r.n}: ${x.error}`);
  }
  return out;
}

function stacksTable(rows: SynthRow[]): string[] {
  const out = [
    '| N | variant | stack | resources | template bytes | fits one stack (<= 500 resources, <= 1,000,000 bytes) |',
    '|---:|---|---|---:|---:|---|',
  ];
  for (const r of rows) {
    for (const v of ['drkit', 'plain'] as const) {
      const x = r[v].find(y => !y.error);
      if (!x) continue;
      for (const s of x.stacks) {
        const over = [s.resources > LIMIT_RESOURCES ? 'resources' : '', s.bytes > LIMIT_BYTES ? 'bytes' : ''].filter(Boolean);
        out.push(`| ${r.n} | ${v} | ${s.stackName} | ${fmt(s.resources)} | ${fmt(s.bytes)} | ${over.length ? `**no** (${over.join(', ')})` : 'yes'} |`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- 2. scale limits
interface Limit { variant: string; mix: string; maxN: number; at: SynthResult; next: SynthResult }

function largestN(variant: string, mix: string): Limit {
  const cache = new Map<number, SynthResult>();
  const at = (n: number) => {
    if (!cache.has(n)) {
      log(`limit search ${variant} ${mix} N=${n}`);
      cache.set(n, synth(variant, n, mix, false));
    }
    return cache.get(n)!;
  };
  let lo = 1;
  let hi = 16;
  while (fits(at(hi)) && hi < 4096) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(at(mid))) lo = mid; else hi = mid;
  }
  return { variant, mix, maxN: lo, at: at(lo), next: at(lo + 1) };
}

function limitsTable(limits: Limit[]): string[] {
  const out = [
    '| protected per N | variant | largest N in one stack | largest stack at that N (resources / bytes) | at N+1 |',
    '|---|---|---:|---|---|',
  ];
  const worst = (r: SynthResult) => [...r.stacks].sort((a, b) => b.resources - a.resources)[0];
  for (const l of limits) {
    const a = worst(l.at);
    const b = l.next.error ? undefined : worst(l.next);
    const why = b ? `${b.stackName}: ${fmt(b.resources)} resources / ${fmt(b.bytes)} bytes` : l.next.error;
    out.push(`| ${l.mix === 'all' ? 'N tables + N buckets + N/10 databases' : 'N tables'} | ${l.variant} | **${l.maxN}** | ${a.stackName}: ${fmt(a.resources)} / ${fmt(a.bytes)} | ${why} |`);
  }
  return out;
}

/** Resources per type added by one more protected table / bucket (N = 10 -> 11), and the constant part, per variant. */
function perItem(mix: string): string[] {
  const out = [
    '| resource type | drkit: constant | drkit: per +1 N | plain: constant | plain: per +1 N |',
    '|---|---:|---:|---:|---:|',
  ];
  const counts: { [v: string]: Array<{ [t: string]: number }> } = {};
  for (const v of ['drkit', 'plain']) {
    counts[v] = [10, 11].map(n => {
      log(`per-item ${v} ${mix} N=${n}`);
      const r = synth(v, n, mix, false);
      const c: { [t: string]: number } = {};
      for (const st of r.stacks ?? []) for (const [t, k] of Object.entries(st.types ?? {})) c[t] = (c[t] ?? 0) + k;
      return c;
    });
  }
  const types = [...new Set(Object.values(counts).flatMap(x => x.flatMap(c => Object.keys(c))))].sort();
  const cell = (v: string, t: string) => {
    const [a, b] = [counts[v][0][t] ?? 0, counts[v][1][t] ?? 0];
    const per = b - a;
    return [a - 10 * per, per];
  };
  const totals = { drkit: [0, 0], plain: [0, 0] } as { [v: string]: number[] };
  for (const t of types) {
    const d = cell('drkit', t);
    const p = cell('plain', t);
    totals.drkit = [totals.drkit[0] + d[0], totals.drkit[1] + d[1]];
    totals.plain = [totals.plain[0] + p[0], totals.plain[1] + p[1]];
    out.push(`| ${t} | ${d[0]} | ${d[1]} | ${p[0]} | ${p[1]} |`);
  }
  out.push(`| **total** (all stacks) | **${totals.drkit[0]}** | **${totals.drkit[1]}** | **${totals.plain[0]}** | **${totals.plain[1]}** |`);
  return out;
}

// ---------------------------------------------------------------- 3. pulumi
interface PulumiRow { n: number; drkit: any[]; plain: any[] }

function pulumiBench(ns: number[], runsFor: (n: number) => number): PulumiRow[] {
  const rows: PulumiRow[] = [];
  for (const n of ns) {
    const row: PulumiRow = { n, drkit: [], plain: [] };
    const prev = rows[rows.length - 1];
    for (let i = 0; i < runsFor(n); i++) {
      for (const v of ['drkit', 'plain'] as const) {
        // Keep a full run within ~15 minutes: skip a measurement whose linear extrapolation
        // from the previous N exceeds the budget (it grows faster than linearly).
        const before = prev ? median(prev[v].filter(x => !x.error).map(x => x.totalMs)) : NaN;
        const projected = before * (n / (prev?.n ?? n));
        if (prev && (!Number.isFinite(before) || projected > PULUMI_BUDGET_MS)) {
          row[v].push({ variant: v, skipped: `not run: N=${prev.n} took ${fmt(before / 1000, 1)} s, so N=${n} projects to over ${fmt(projected / 1000)} s, past the ${PULUMI_BUDGET_MS / 1000} s budget of one measurement` });
          continue;
        }
        log(`pulumi ${v} N=${n} run ${i + 1}`);
        row[v].push(child('pulumi-child.ts', [v, String(n), 'all'], {}, PULUMI_TIMEOUT_MS));
      }
    }
    rows.push(row);
  }
  return rows;
}

function pulumiTable(rows: PulumiRow[]): string[] {
  const out = [
    '| N | drkit (ms) | plain (ms) | ratio | drkit registrations | plain registrations | ratio | drkit peak RSS (MB) | plain peak RSS (MB) | runs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ok = (xs: any[]) => xs.filter(x => !x.error && !x.skipped);
    const d = median(ok(r.drkit).map(x => x.totalMs));
    const p = median(ok(r.plain).map(x => x.totalMs));
    const dr = ok(r.drkit)[0]?.registrations ?? NaN;
    const pr = ok(r.plain)[0]?.registrations ?? NaN;
    const timedOut = (xs: any[]) => xs.length > 0 && ok(xs).length === 0 && xs.every(x => /ETIMEDOUT/.test(String(x.error)));
    const skipped = (xs: any[]) => xs.length > 0 && xs.every(x => x.skipped);
    const ms = (x: number, xs: any[]) => (timedOut(xs) ? `> ${PULUMI_TIMEOUT_MS / 1000} s (timed out)` : skipped(xs) ? 'not run (see notes)' : fmt(x));
    out.push(`| ${r.n} | ${ms(d, r.drkit)} | ${ms(p, r.plain)} | ${ratio(d, p)} | ${fmt(dr)} | ${fmt(pr)} | ${ratio(dr, pr)} | ${fmt(median(ok(r.drkit).map(x => x.maxRssKb)) / 1024)} | ${fmt(median(ok(r.plain).map(x => x.maxRssKb)) / 1024)} | ${r.drkit.length} |`);
    for (const x of [...r.drkit, ...r.plain].filter(y => y.skipped)) notes.push(`pulumi ${x.variant} N=${r.n}: ${x.skipped}.`);
    for (const x of [...r.drkit, ...r.plain].filter(y => y.error)) notes.push(`pulumi N=${r.n} ${x.variant ?? ''}: ${/ETIMEDOUT/.test(String(x.error)) ? `did not settle within ${PULUMI_TIMEOUT_MS / 1000} s` : x.error}`);
  }
  return out;
}

/** Registrations per type added by one more table and bucket (N = 10 -> 11, the database count stays 1), and the constant part. */
function pulumiPerItem(): string[] {
  const out = [
    '| registration type | drkit: constant | drkit: per +1 N | plain: constant | plain: per +1 N |',
    '|---|---:|---:|---:|---:|',
  ];
  const counts: { [v: string]: Array<{ [t: string]: number }> } = {};
  for (const v of ['drkit', 'plain']) {
    counts[v] = [10, 11].map(n => {
      log(`pulumi per-item ${v} N=${n}`);
      const r = child('pulumi-child.ts', [v, String(n), 'all'], {}, PULUMI_TIMEOUT_MS);
      if (r.error) notes.push(`pulumi per-item ${v} N=${n}: ${r.error}`);
      return r.byType ?? {};
    });
  }
  const types = [...new Set(Object.values(counts).flatMap(x => x.flatMap(c => Object.keys(c))))].sort();
  const totals: { [v: string]: number[] } = { drkit: [0, 0], plain: [0, 0] };
  for (const t of types) {
    const cells = ['drkit', 'plain'].map(v => {
      const [a, b] = [counts[v][0][t] ?? 0, counts[v][1][t] ?? 0];
      const per = b - a;
      totals[v] = [totals[v][0] + a - 10 * per, totals[v][1] + per];
      return [a - 10 * per, per];
    });
    out.push(`| ${t} | ${cells[0][0]} | ${cells[0][1]} | ${cells[1][0]} | ${cells[1][1]} |`);
  }
  out.push(`| **total** | **${totals.drkit[0]}** | **${totals.drkit[1]}** | **${totals.plain[0]}** | **${totals.plain[1]}** |`);
  return out;
}

/** The figures of the last run before the components shared their foundation (bench/RESULTS.md at ab60c1b). */
const PULUMI_BEFORE = [
  '| N | drkit (ms) | plain (ms) | time ratio | drkit registrations | plain registrations | registration ratio |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  '| 10 | 3,293 | 1,174 | 2.81x | 395 | 149 | 2.65x |',
  '| 100 | 30,183 | 10,117 | 2.98x | 3,950 | 1,418 | 2.79x |',
  '| 400 | not run (projected past the budget) | 47,333 | n/a | n/a | 5,648 | n/a |',
];

/** The Pulumi section of RESULTS.md (its notes included, so that `--pulumi-only` can replace it alone). */
function pulumiSection(rows: PulumiRow[], perItemRows: string[], sectionNotes: string[]): string[] {
  return [
    '## Pulumi under mocks',
    '',
    'The same workload as Pulumi components (`drkit/pulumi/aws`) against plain @pulumi/aws resources (the same protection by hand),',
    'under `pulumi.runtime.setMocks`: time from constructing the first resource until every registration settled, and the registrations',
    '(components included). The program sets `aws:region` as a stack does; bench/pulumi-child.ts.',
    '',
    ...pulumiTable(rows),
    '',
    'Per protected item (from N = 10 and N = 11, one more table and one more bucket; the database count stays 1):',
    '',
    ...perItemRows,
    '',
    'What drkit shares, as the CDK constructs share it per stack: one backup foundation per objective, region and provider (vault, copy',
    'vault, keys, role, one plan per set of rules with one selection by tag, restore tests, audit framework, notifications, dashboard),',
    'one replication role per region and 6 buckets (IAM\'s 10,240 characters of inline policy per role), one alarm topic per region, one replication latency alarm per source region, replica region and RPO,',
    'one KMS key per objective and region for the buckets (and one for their replicas). A table adds its component and the table; a',
    'bucket adds its component and 13 registrations (with the role policy for the keys), as the plain program does (drkit adds the',
    'lifecycles and the replication events where the plain program has a key per bucket and a public access block, which S3 applies',
    'to new buckets by default).',
    '',
    'Before (the last run before the foundation was shared, bench/RESULTS.md at commit ab60c1b):',
    '',
    ...PULUMI_BEFORE,
    ...(sectionNotes.length ? ['', ...sectionNotes.map(n => `- ${n}`)] : []),
  ];
}

/** The results without the `- pulumi ...` lines of the final Notes section. */
function dropPulumiNotes(md: string): string {
  const at = md.lastIndexOf('\n## Notes');
  if (at < 0) return md;
  const kept = md.slice(at).split('\n').filter(l => !l.startsWith('- pulumi '));
  if (!kept.some(l => l.startsWith('- '))) kept.splice(kept.length - 1, 0, '- none');
  return md.slice(0, at) + kept.join('\n');
}

/** Measures the Pulumi section only and replaces it in the existing results. */
function mainPulumiOnly(): void {
  const rows = pulumiBench(QUICK ? [10] : [10, 100, 400], n => (n <= 100 ? RUNS : 1));
  const perItemRows = pulumiPerItem();
  const loadAfter = os.loadavg();
  const minutes = ((Date.now() - started.getTime()) / 60000).toFixed(1);
  const header = `measured by \`npx ts-node --prefer-ts-exts bench/run.ts ${argv.join(' ')}\` on ${started.toISOString()} (${minutes} min; `
    + `load average ${loadBefore.map(x => x.toFixed(1)).join(' / ')} at start, ${loadAfter.map(x => x.toFixed(1)).join(' / ')} at end; `
    + `node ${process.version}, @pulumi/pulumi ${pkgVersion('@pulumi/pulumi')}, @pulumi/aws ${pkgVersion('@pulumi/aws')}; `
    + `drkit from ${useTs ? 'TypeScript sources' : 'compiled JavaScript'}); the other sections are from the run described above.`;
  const section = pulumiSection(rows, perItemRows, [header, ...notes]);
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '# drkit benchmarks\n';
  const start = old.indexOf('## Pulumi under mocks');
  const end = start >= 0 ? old.indexOf('\n## ', start + 1) : -1;
  const replaced = start >= 0
    ? `${old.slice(0, start)}${section.join('\n')}\n${end >= 0 ? old.slice(end) : ''}`
    : `${old.trimEnd()}\n\n${section.join('\n')}\n`;
  // The full run's notes about the Pulumi section are stale once the section is replaced.
  fs.writeFileSync(OUT, dropPulumiNotes(replaced));
  log(`wrote the Pulumi section of ${OUT} in ${minutes} min`);
}

// ---------------------------------------------------------------- 4. cold start
/** Package specifiers (`aws-cdk-lib/aws-backup`, `@pulumi/aws/s3`) required by compiled files under `dirs`. */
function providerModules(dirs: string[], prefix: RegExp): string[] {
  const found = new Set<string>();
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) {walk(p);} else if (f.endsWith('.js')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/require\("([^"]+)"\)/g)) if (prefix.test(m[1])) found.add(m[1]);
      }
    }
  };
  dirs.forEach(d => walk(path.join(ROOT, d)));
  return [...found].sort();
}

function requireMs(modules: string[]): number {
  const code = `const t=process.hrtime.bigint();for(const m of ${JSON.stringify(modules)})require(m);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? parseFloat(r.stdout) : NaN;
}

function coldStart(): string[] {
  const runs = QUICK ? 3 : 5;
  const entries: Array<[string, string, string[], RegExp]> = [
    ['drkit', 'lib/index.js', ['lib/cdk', 'lib/core'], /^(aws-cdk-lib|constructs)(\/|$)/],
    ['drkit/pulumi/aws', 'lib/pulumi/aws/index.js', ['lib/pulumi/aws', 'lib/pulumi/common'], /^@pulumi\//],
    ['drkit/pulumi/gcp', 'lib/pulumi/gcp/index.js', ['lib/pulumi/gcp', 'lib/pulumi/common'], /^@pulumi\//],
    ['drkit/pulumi/azure', 'lib/pulumi/azure/index.js', ['lib/pulumi/azure', 'lib/pulumi/common'], /^@pulumi\//],
  ];
  const out = [
    '| entry point | require drkit (ms) | require the provider modules it uses (ms) | ratio | provider modules |',
    '|---|---:|---:|---:|---|',
  ];
  for (const [name, file, dirs, prefix] of entries) {
    const abs = path.join(ROOT, file);
    if (useTs || !fs.existsSync(abs)) {
      out.push(`| ${name} | not compiled | | | |`);
      continue;
    }
    const mods = providerModules(dirs, prefix);
    const d: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`cold start ${name} run ${i + 1}`);
      d.push(requireMs([abs]));
      p.push(requireMs(mods));
    }
    out.push(`| \`${name}\` | ${fmt(median(d))} | ${fmt(median(p))} | ${ratio(median(d), median(p))} | ${mods.map(m => `\`${m}\``).join(', ')} |`);
  }
  out.push('', `Median of ${runs} fresh \`node -e\` processes each, timing only the \`require\` calls.`);
  return out;
}

// ---------------------------------------------------------------- synth profile
/** Profiles of one synth per variant (validation off), summarized by bench/profile.ts. */
function profileRun(variant: string, n: number): ProfileSummary | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-prof-'));
  try {
    log(`profile ${variant} N=${n}`);
    spawnSync(process.execPath, ['--max-old-space-size=6144', '--cpu-prof', '--cpu-prof-dir', dir, '-r', 'ts-node/register/transpile-only',
      path.join(__dirname, 'synth-child.ts'), variant, String(n), 'all'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CDK_VALIDATION: 'false', ...(useTs ? { DRKIT_BENCH_TS: '1' } : {}) },
    });
    const file = fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'));
    return file ? summarizeProfile(path.join(dir, file), 10) : undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The "before" profiles: bench/profile-before.json, made with bench/profile.ts from the same
 * synth at the commit named in it (before issue 16's changes), kept so that each run can compare.
 */
function profileSection(ns: number[]): string[] {
  const beforeFile = path.join(__dirname, 'profile-before.json');
  const before: { commit: string; profiles: { [n: string]: ProfileSummary } } | undefined = fs.existsSync(beforeFile)
    ? JSON.parse(fs.readFileSync(beforeFile, 'utf8')) : undefined;
  const frames = (s: ProfileSummary | undefined, key: 'self' | 'drkit') => (s ? s[key].map(f => `${fmt(f.ms)} ms (${f.percent}%) \`${f.frame}\``) : []);
  const out: string[] = [
    'One synth per variant with `node --cpu-prof` (validation off), summarized by bench/profile.ts: time sampled under the synth child\'s code',
    '(ts-node start-up left out); "drkit frames" are drkit\'s own functions by inclusive time (with everything they call), "self" the',
    `functions with the most self time. "Before" is bench/profile-before.json${before ? ` (commit ${before.commit})` : ' (missing)'}; profiling slows a run, so compare shares and ratios.`,
    '',
  ];
  for (const n of ns) {
    const drkit = profileRun('drkit', n);
    const plain = profileRun('plain', n);
    const old = before?.profiles[String(n)];
    out.push(`### N = ${n}`, '',
      `Sampled synth time: drkit ${fmt(drkit?.totalMs ?? NaN)} ms, plain ${fmt(plain?.totalMs ?? NaN)} ms (${ratio(drkit?.totalMs ?? NaN, plain?.totalMs ?? NaN)})`
        + (old ? `; before: drkit ${fmt(old.totalMs)} ms.` : '.'), '');
    const rows = Math.max(drkit?.drkit.length ?? 0, old?.drkit.length ?? 0);
    out.push('| # | drkit frames before (inclusive) | drkit frames now (inclusive) |', '|---:|---|---|');
    const b = frames(old, 'drkit');
    const a = frames(drkit, 'drkit');
    for (let i = 0; i < rows; i++) out.push(`| ${i + 1} | ${b[i] ?? ''} | ${a[i] ?? ''} |`);
    out.push('', '| # | self before | self now |', '|---:|---|---|');
    const bs = frames(old, 'self');
    const as = frames(drkit, 'self');
    for (let i = 0; i < Math.max(bs.length, as.length); i++) out.push(`| ${i + 1} | ${bs[i] ?? ''} | ${as[i] ?? ''} |`);
    out.push('');
  }
  return out;
}

/** The Markdown of bench/template-bytes.ts, run as a child like the other measurements. */
function templateBytesPerItem(): string[] {
  log('template bytes per item (bench/template-bytes.ts)');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'template-bytes.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_VALIDATION: 'false', ...(useTs ? { DRKIT_BENCH_TS: '1' } : {}) },
  });
  if (r.status !== 0) return [`(bench/template-bytes.ts failed: ${(r.stderr ?? '').split('\n').filter(l => l.trim()).slice(-1)[0] ?? `exit ${r.status}`})`];
  return r.stdout.trimEnd().split('\n');
}

// ---------------------------------------------------------------- targets
/** Issue 16's targets against this run's figures: met, or by how much missed (the reasons are in the sections named). */
function targetsSection(fast: SynthRow[], validated: SynthRow[], bytesLines: string[], limits: Limit[]): string[] {
  const med = (xs: SynthResult[]) => median(xs.filter(x => !x.error).map(x => x.totalMs));
  const synthRatio = (rows: SynthRow[], n: number) => {
    const r = rows.find(x => x.n === n);
    return r ? med(r.drkit) / med(r.plain) : NaN;
  };
  const bytesMatch = bytesLines.join('\n').match(/drkit: ([\d,]+) bytes .*plain aws-cdk-lib: ([\d,]+) bytes/);
  const bytesRatio = bytesMatch ? parseInt(bytesMatch[1].replace(/,/g, ''), 10) / parseInt(bytesMatch[2].replace(/,/g, ''), 10) : NaN;
  const cap = (v: string) => limits.find(l => l.variant === v && l.mix === 'all')?.maxN;
  const rows: string[] = [
    '| target (issue 16) | measured in this run | met? | why (from this run) |',
    '|---|---|---|---|',
  ];
  const like = bytesLines.join('\n').match(/drkit without what the plain buckets have not \(([^)]*)\): ([\d,]+) bytes, \*\*([\d.]+)x\*\*/);
  const bytesWhy = like
    ? `drkit's items carry what plain's have not (${like[1]}); without it drkit's item is ${like[2]} bytes, ${like[3]}x plain's (section "Template bytes per protected item")`
    : 'see "Template bytes per protected item"';
  const synthWhy = (rows2: SynthRow[], n: number) => {
    const r = rows2.find(x => x.n === n);
    if (!r) return '';
    const ok = r.drkit.filter(x => !x.error);
    const rep = median(ok.map(x => x.reportMs ?? 0));
    const without = median(ok.map(x => x.totalMs - (x.reportMs ?? 0))) / med(r.plain);
    return `${fmt(rep)} ms of drkit's ${fmt(med(r.drkit))} ms is the recovery report written at synth (plain writes none); without it ${without.toFixed(2)}x. `
      + 'The rest is what drkit builds that plain does not (backup plans per rule set, restore testing, notifications, alarms, a key-ARN reader per database) and its checks';
  };
  const verdict = (value: number, target: number) => (Number.isNaN(value) ? 'not measured'
    : value <= target ? 'met' : `**missed** by ${((value / target - 1) * 100).toFixed(0)}%`);
  rows.push(`| template bytes per protected item <= 1.3x plain | ${Number.isNaN(bytesRatio) ? 'n/a' : `${bytesRatio.toFixed(2)}x`} | ${verdict(bytesRatio, 1.3)} | ${bytesWhy} |`);
  for (const n of NS.filter(x => x >= 100)) {
    rows.push(`| synth time, validation off, N = ${n}: <= 1.2x plain | ${synthRatio(fast, n).toFixed(2)}x | ${verdict(synthRatio(fast, n), 1.2)} | ${synthWhy(fast, n)} |`);
  }
  for (const r of validated.filter(x => x.n >= 100)) {
    rows.push(`| synth time, validation on, N = ${r.n}: <= 1.15x plain | ${synthRatio(validated, r.n).toFixed(2)}x | ${verdict(synthRatio(validated, r.n), 1.15)} | ${synthWhy(validated, r.n)} |`);
  }
  const d = cap('drkit');
  const p = cap('plain');
  const u = cap('plain-ungranted');
  if (d !== undefined && p !== undefined) {
    const primary = (l: Limit | undefined) => (l ? [...l.at.stacks].sort((a, b) => b.resources - a.resources)[0] : undefined);
    const ds = primary(limits.find(l => l.variant === 'drkit' && l.mix === 'all'));
    const ps = primary(limits.find(l => l.variant === 'plain' && l.mix === 'all'));
    const count = (st: typeof ds, type: string) => st?.types[type] ?? 0;
    const onlyDrkit = ds ? Object.entries(ds.types).filter(([t]) => ps && !(t in ps.types)).reduce((a, [, c]) => a + c, 0) : 0;
    const capWhy = ds && ps
      ? `at N = ${d}, drkit's stack has ${fmt(ds.resources)} resources: ${count(ds, 'Custom::AWS')} key-ARN readers (Custom::AWS, one per database, each with an IAM policy) and `
        + `${onlyDrkit} resources of types plain's stack has none of (restore testing, notifications, alarms, the audit framework, the dashboard, the readers); `
        + `plain's stack at N = ${p} has ${count(ps, 'AWS::IAM::ManagedPolicy')} managed policies on its one replication role, past IAM's default of 10 (deployable after a quota increase; aws-cdk-lib warns), `
        + `drkit's ${count(ds, 'AWS::IAM::ManagedPolicy')} over ${count(ds, 'AWS::IAM::Role')} roles (its replication roles hold at most 10 each)`
      : '';
    rows.push(`| largest N (tables + buckets + databases) in one stack >= plain's | drkit ${d}, plain ${p}${u !== undefined ? ` (plain without replication grants: ${u})` : ''} | `
      + `${d >= p ? 'met' : `**missed** by ${p - d} (${((1 - d / p) * 100).toFixed(0)}%)`}${u !== undefined && d < u ? `; ${u - d} short of the ungranted baseline` : ''} | ${capWhy} |`);
  }
  rows.push('| `drkit report` on 1,000 resources < 1 s, linear in resources | see "Report speed" (bench/report-speed.ts) | see there | |');
  return rows;
}

// ---------------------------------------------------------------- main
function main(): void {
  build();
  if (PULUMI_ONLY) {
    mainPulumiOnly();
    return;
  }
  const fast = synthBench(false, NS, () => RUNS);
  const validated = synthBench(true, QUICK ? [10] : [10, 100], n => (n <= 10 ? RUNS : 1));
  const perTables = perItem('tables');
  const perAll = perItem('all');
  const bytesPerItem = templateBytesPerItem();
  const limits = QUICK ? [] : [
    largestN('drkit', 'tables'), largestN('plain', 'tables'), largestN('drkit', 'all'), largestN('plain', 'all'), largestN('plain-ungranted', 'all'),
  ];
  const pulumi = pulumiBench(QUICK ? [10] : [10, 100, 400], n => (n <= 100 ? RUNS : 1));
  const pulumiPerItemRows = pulumiPerItem();
  const cold = coldStart();
  const profiles = profileSection(QUICK ? [10] : [100, 400]);
  const loadAfter = os.loadavg();
  const minutes = ((Date.now() - started.getTime()) / 60000).toFixed(1);

  const md: string[] = [
    '# drkit benchmarks',
    '',
    `Generated by \`bench/run.ts\` (${QUICK ? '`--quick`' : 'full run'}); do not edit by hand: re-run \`npx projen bench\`.`,
    '',
    '## Targets',
    '',
    ...targetsSection(fast, validated, bytesPerItem, limits),
    '',
    'The sections below break each figure down (the bytes and resources of one more item by category, type and property; the',
    'profile frames of synth; the stack at the limit). The plain baseline grants its shared replication role what',
    'replication needs (`Bucket.grantReplicationPermission`); the baseline measured before this run did not, so its buckets could not',
    'replicate. Its capacity is shown as "plain without replication grants".',
    '',
    '## Machine and run',
    '',
    `- date: ${started.toISOString()} (run took ${minutes} min)`,
    `- command: \`npx ts-node --prefer-ts-exts bench/run.ts ${argv.join(' ')}\`.trim()`.replace(/`\.trim\(\)$/, '`').replace(/ `$/, '`'),
    `- machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB memory, ${os.type()} ${os.release()}`,
    `- node ${process.version}; aws-cdk-lib ${pkgVersion('aws-cdk-lib')}, @pulumi/pulumi ${pkgVersion('@pulumi/pulumi')}, @pulumi/aws ${pkgVersion('@pulumi/aws')}`,
    `- load average (1/5/15 min) at start ${loadBefore.map(x => x.toFixed(1)).join(' / ')}, at end ${loadAfter.map(x => x.toFixed(1)).join(' / ')}: `
      + 'the machine is shared, so absolute times are noisy; drkit and plain runs are interleaved, so the ratios are the figures to quote.',
    `- drkit loaded from ${useTs ? 'TypeScript sources (ts-node, transpile-only)' : 'compiled JavaScript (lib/**/*.js)'}; children run with \`node -r ts-node/register/transpile-only\` (bench scripts only).`,
    '',
    '## Workload',
    '',
    'One app protecting **N DynamoDB tables, N cross-region replicated S3 buckets and N/10 RDS PostgreSQL instances** with one objective',
    '(RPO 30 min, 7 h against a region outage; RTO 4 h; 35 days PITR; 6-hourly backups; 30 daily, 12 monthly; copies to us-west-2).',
    '',
    '- **drkit**: `DynamoContinuousBackup`, `CrossRegionReplicatedBucket`, `RdsPitrPolicy` on each resource (bench/workload.ts).',
    '- **plain aws-cdk-lib**: the same protection by hand: PITR 35 days, deletion protection and RETAIN on every table; one KMS-encrypted vault, one plan',
    '  (6-hourly + monthly, copies to a vault in us-west-2) and one selection; per bucket a versioned, KMS-encrypted, TLS-only, public-access-blocked',
    '  bucket with a replication rule (RTC, metrics) to a replica with its own key in us-west-2, one shared replication role granted what each',
    '  bucket\'s replication needs (`grantReplicationPermission`; aws-cdk-lib splits its policy into managed policies as it grows); backup retention 35 days',
    '  and deletion protection on each database. It has none of what drkit adds on top: failed-job notifications, replication alarms, restore testing,',
    '  the Backup Audit Manager framework, the dashboard, the recovery report.',
    '',
    '## CDK synth time and memory',
    '',
    'Construct tree + `app.synth()` in one fresh process per run, median of the runs; peak RSS is the child\'s `process.resourceUsage().maxRSS`.',
    'CloudFormation validation off (`CDK_VALIDATION=false`): this isolates what the constructs cost.',
    '',
    ...synthTable(fast),
    '',
    'The same with aws-cdk-lib\'s built-in CloudFormation validation on (the default of `cdk synth` in aws-cdk-lib 2.276; it dominates the time):',
    '',
    ...synthTable(validated),
    '',
    '## Synth profile',
    '',
    ...profiles,
    '## Resources and template bytes per stack',
    '',
    ...stacksTable(fast),
    '',
    '## Resources per protected item',
    '',
    'From synthesizing N = 10 and N = 11 (every stack of the app): what one more protected item adds, and the constant part.',
    '',
    'N tables:',
    '',
    ...perTables,
    '',
    'N tables + N buckets + N/10 databases (one more table and one more bucket; the database count stays 1):',
    '',
    ...perAll,
    '',
    '## Template bytes per protected item',
    '',
    'From `bench/template-bytes.ts` (mix `all`, every stack): where the bytes of one more table and bucket go. Both roles hold each bucket\'s',
    'read, replicate and KMS grants: plain aws-cdk-lib\'s unconditioned, drkit\'s conditioned on `kms:ViaService` and the encryption context.',
    'drkit\'s buckets also carry what the plain ones have not: the lifecycle rules (tiering, and noncurrent versions kept as long as the',
    'objective\'s retention), the replication events, `BucketOwnerEnforced`, the report\'s metadata and the cdk-nag suppressions of the replicas.',
    '',
    ...bytesPerItem,
    '',
    '## Scale limits: largest N that fits one stack',
    '',
    'CloudFormation allows 500 resources and 1 MB (CDK: 1,000,000 bytes) per template. Found by bisection over N, synthesizing each N.',
    '',
    ...(limits.length ? limitsTable(limits) : ['(not measured with --quick)']),
    '',
    'drkit\'s overhead is constant per stack for tables (one shared vault, plan, selection, role, notifications, restore testing, audit framework',
    'per objective) and one resource per table, as for plain aws-cdk-lib (see "Resources per protected item").',
    '',
    'What stops a stack that is too big: aws-cdk-lib 2.276 itself throws at synth past 500 resources (`TooManyResourcesInStack`; this benchmark',
    'lifts that check with `@aws-cdk/core:stackResourceLimit: 0` to measure) and only warns past 1,000,000 template bytes. drkit\'s',
    'recovery report plugin, which every drkit app registers (and `DrkitRulesPlugin`, rule `stack-limits`), warns at 80% of either quota',
    'and fails synth past it, naming the stack and the count, what each drkit construct puts in it (per item and shared) and how to split it',
    '(docs/scale.md; a warning only when the app lifts aws-cdk-lib\'s limit, as this benchmark does).',
    '',
    ...pulumiSection(pulumi, pulumiPerItemRows, []),
    '',
    '## Cold start',
    '',
    ...cold,
    '',
    '## Notes',
    '',
    ...(notes.length ? notes.map(n => `- ${n}`) : ['- none']),
    '',
  ];
  fs.writeFileSync(OUT, md.join('\n'));
  log(`wrote ${OUT} in ${minutes} min`);
}

function pkgVersion(name: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

main();
