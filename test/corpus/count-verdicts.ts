/* eslint-disable no-console */
/**
 * Counts how many corpus verdicts a drkit checkout gets right, per class of fix, and compares two
 * counts. Used to measure what each class of issue 12's fixes changed:
 *
 *   TS="npx ts-node --transpile-only -O {\"module\":\"commonjs\",\"moduleResolution\":\"node\",\"ignoreDeprecations\":\"6.0\"}"
 *   $TS test/corpus/count-verdicts.ts --root <checkout before the fixes> --yaml-as-json --out before.json
 *   $TS test/corpus/count-verdicts.ts --out after.json
 *   $TS test/corpus/count-verdicts.ts --compare before.json after.json
 *
 * `--yaml-as-json` converts YAML templates to JSON with this checkout's reader first, so that a
 * checkout that cannot read YAML is measured on what it judges, not on what it cannot read (the
 * YAML class is counted separately: the exit-2 runs without the flag).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliMain, judge, loadCorpus, runReport, TEMPLATES_DIR } from './verdicts';
import { parseTemplateText } from '../../lib/core/template/yaml';

interface Result {
  readonly file: string;
  readonly exitCode: number;
  readonly expectedExitCode: number;
  readonly verdicts: Array<{ key: string; class: number; ok: boolean; actual: string }>;
}

const CLASSES: { [c: number]: string } = {
  0: 'unchanged ground truth',
  1: 'language extensions',
  2: 'conditions and parameters',
  3: 'SAM',
  4: 'nested stacks',
  5: 'native backups of more services',
  6: 'global tables',
  7: 'reading the input',
};

async function count(root: string, yamlAsJson: boolean): Promise<Result[]> {
  // The checkout to measure is chosen at run time: its main is loaded by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main: CliMain = require(path.join(root, 'lib', 'cli', 'main.ts')).main;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-corpus-'));
  const out: Result[] = [];
  for (const t of loadCorpus().templates) {
    let file = path.join(TEMPLATES_DIR, t.file);
    if (yamlAsJson && !/\.json$/.test(t.file)) {
      const json = path.join(tmp, `${t.file}.json`);
      fs.writeFileSync(json, JSON.stringify(parseTemplateText(fs.readFileSync(file, 'utf8'), t.file)));
      file = json;
    }
    const r = await runReport(main, file, t.region);
    out.push({
      file: t.file,
      exitCode: r.code,
      expectedExitCode: t.exitCode,
      verdicts: t.verdicts.map(v => ({ key: `${v.resource} ${v.disruption ?? ''} ${v.expect}`.trim(), class: v.class, ...judge(v, r.doc) })),
    });
  }
  return out;
}

function summary(results: Result[]): void {
  const byClass = new Map<number, { ok: number; all: number }>();
  for (const r of results) {
    for (const v of r.verdicts) {
      const c = byClass.get(v.class) ?? { ok: 0, all: 0 };
      c.all += 1;
      if (v.ok) c.ok += 1;
      byClass.set(v.class, c);
    }
  }
  console.log(`templates: ${results.length}; exit codes as documented: ${results.filter(r => r.exitCode === r.expectedExitCode).length}; bad input (exit 2): ${results.filter(r => r.exitCode === 2).length}`);
  for (const [c, n] of [...byClass.entries()].sort((a, b) => a[0] - b[0])) console.log(`class ${c} (${CLASSES[c]}): ${n.ok} of ${n.all} verdicts right`);
}

function compare(before: Result[], after: Result[]): void {
  const changed = new Map<number, { fixed: number; broken: number }>();
  for (const a of after) {
    const b = before.find(x => x.file === a.file);
    for (const v of a.verdicts) {
      const was = b?.verdicts.find(x => x.key === v.key);
      if (!was || was.ok === v.ok) continue;
      const c = changed.get(v.class) ?? { fixed: 0, broken: 0 };
      if (v.ok) c.fixed += 1;
      else c.broken += 1;
      changed.set(v.class, c);
      console.log(`${v.ok ? 'fixed ' : 'BROKEN'} class ${v.class} ${a.file}: ${v.key} (was: ${was.actual}; now: ${v.actual})`);
    }
  }
  for (const [c, n] of [...changed.entries()].sort((x, y) => x[0] - y[0])) console.log(`class ${c} (${CLASSES[c]}): ${n.fixed} verdicts fixed, ${n.broken} broken`);
  const exits = after.filter(a => (before.find(x => x.file === a.file)?.exitCode === a.expectedExitCode) !== (a.exitCode === a.expectedExitCode));
  console.log(`exit codes that changed to or from the documented one: ${exits.map(a => `${a.file} ${before.find(x => x.file === a.file)?.exitCode}->${a.exitCode}`).join(', ') || 'none'}`);
}

async function run(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--compare')) {
    const i = argv.indexOf('--compare');
    compare(JSON.parse(fs.readFileSync(argv[i + 1], 'utf8')), JSON.parse(fs.readFileSync(argv[i + 2], 'utf8')));
    return;
  }
  const results = await count(path.resolve(arg('--root') ?? path.join(__dirname, '..', '..')), argv.includes('--yaml-as-json'));
  summary(results);
  const out = arg('--out');
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
}

run(process.argv.slice(2)).catch(e => {
  console.error(e);
  process.exitCode = 1;
});
