/**
 * One synth measurement in a fresh process: `node -r ts-node/register/transpile-only
 * bench/synth-child.ts <drkit|plain> <N> <tables|all>`. Prints one JSON line: construct and
 * synth time, peak RSS, and per stack the resources and template bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appOf, Mix, Variant } from './workload';

const [variant, nText, mixText] = process.argv.slice(2);
const n = parseInt(nText, 10);
const mix = (mixText ?? 'all') as Mix;
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-bench-'));
// The share of the synth that is drkit's recovery report (written into the assembly at synth by
// RecoveryReportPlugin.validate): timed around the plugin, for the drkit variant.
let reportMs = 0;
if (variant === 'drkit') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plugin = require(process.env.DRKIT_BENCH_TS === '1' ? '../lib/cdk/report-plugin.ts' : path.join(__dirname, '..', 'lib', 'cdk', 'report-plugin.js')).RecoveryReportPlugin;
  const validate = plugin.prototype.validate;
  plugin.prototype.validate = function timed(this: any, ...args: any[]) {
    const s = process.hrtime.bigint();
    try {
      return validate.apply(this, args);
    } finally {
      reportMs += Number(process.hrtime.bigint() - s) / 1e6;
    }
  };
}
const t0 = process.hrtime.bigint();
let error: string | undefined;
let stacks: Array<{ stackName: string; resources: number; bytes: number; types: { [type: string]: number } }> = [];
let constructMs = 0;
try {
  const app = appOf(variant as Variant, n, mix, outdir);
  constructMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const asm = app.synth();
  stacks = asm.stacks.map(s => ({
    stackName: s.stackName,
    resources: Object.keys(s.template.Resources ?? {}).length,
    bytes: fs.statSync(path.join(asm.directory, s.templateFile)).size,
    types: Object.values<any>(s.template.Resources ?? {}).reduce((acc: { [type: string]: number }, r: any) => {
      acc[r.Type] = (acc[r.Type] ?? 0) + 1;
      return acc;
    }, {}),
  })).sort((a, b) => a.stackName.localeCompare(b.stackName));
} catch (e: any) {
  error = String(e?.message ?? e).split('\n')[0].slice(0, 300);
}
const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({
  variant, n, mix, constructMs, totalMs, reportMs, maxRssKb: process.resourceUsage().maxRSS, stacks, error,
}) + '\n');
