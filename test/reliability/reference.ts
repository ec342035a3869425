import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from './reference-app';
import { testApp } from '../util';

/** One synthesized stack of the reference app. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: any;
}

/**
 * Synthesizes the reference stack (`examples/cdk/app.ts`, without the cdk-nag aspects) into
 * `outdir` and returns its stacks and every file of the cloud assembly (name -> content).
 */
export function synthReference(outdir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-ref-'))): { stacks: SynthesizedStack[]; files: Map<string, string>; outdir: string } {
  const { app } = buildApp(testApp({ outdir }), { nag: false });
  const asm = app.synth();
  const stacks = asm.stacks
    .map(s => ({ stackName: s.stackName, template: s.template }))
    .sort((a, b) => a.stackName.localeCompare(b.stackName));
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else files.set(path.relative(outdir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(outdir);
  return { stacks, files, outdir };
}

/** `[stack, logicalId, resource]` for every resource of the stacks. */
export function allResources(stacks: SynthesizedStack[]): Array<[string, string, any]> {
  const out: Array<[string, string, any]> = [];
  for (const s of stacks) {
    for (const id of Object.keys(s.template.Resources ?? {}).sort()) out.push([s.stackName, id, s.template.Resources[id]]);
  }
  return out;
}
