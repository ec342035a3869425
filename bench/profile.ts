/**
 * Where synth time goes (issue 16 point 3): reads a V8 CPU profile of one bench synth
 * (`node --cpu-prof ... bench/synth-child.ts <variant> <N> all`) and summarizes it.
 *
 * - `self`: the functions with the most self time, all code (aws-cdk-lib, Node, drkit).
 * - `drkit`: drkit's own functions (lib/**) by inclusive time: what each drkit function costs with
 *   everything it calls, the place to cut.
 *
 * Only the samples under the synth child's own code count (`bench/synth-child.ts` and below):
 * ts-node's start-up is left out. Frames are named `function file` without line numbers, so a
 * summary from another commit can be compared.
 *
 * `npx ts-node bench/profile.ts <file.cpuprofile> [--out summary.json]` prints (or writes) the summary.
 */
import * as fs from 'fs';

export interface ProfileFrame {
  readonly frame: string;
  readonly ms: number;
  /** Share of the synth child's sampled time, in percent. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Sampled time under the synth child's code, ms. */
  readonly totalMs: number;
  readonly self: ProfileFrame[];
  readonly drkit: ProfileFrame[];
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

function frameName(n: Node): string {
  const file = n.callFrame.url.replace(/^file:\/\//, '');
  // drkit's files by their path in the repository (lib/..., bench/...), wherever the checkout is.
  const url = file.includes('/node_modules/') ? file.replace(/.*\/node_modules\//, '') : file.replace(/^\/.*?\/(lib|bench)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url || '(native)'}`;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map<number, Node>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const chain: string[] = [];
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) chain.push(frameName(byId.get(c)!));
    if (!chain.some(f => f.endsWith('bench/synth-child.ts'))) continue; // ts-node start-up, idle
    total += us;
    self.set(chain[0], (self.get(chain[0]) ?? 0) + us);
    for (const f of new Set(chain.filter(x => / lib\/(cdk|core|pulumi|index)/.test(x)))) inclusive.set(f, (inclusive.get(f) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) => [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, us]) => ({ frame, ms: Math.round(us / 1000), percent: Math.round((1000 * us) / Math.max(total, 1)) / 10 }));
  return { totalMs: Math.round(total / 1000), self: rank(self), drkit: rank(inclusive) };
}

if (require.main === module) {
  const [file] = process.argv.slice(2);
  const outIx = process.argv.indexOf('--out');
  const summary = summarizeProfile(file);
  const text = JSON.stringify(summary, undefined, 2) + '\n';
  if (outIx > 0) fs.writeFileSync(process.argv[outIx + 1], text);
  else process.stdout.write(text);
}
