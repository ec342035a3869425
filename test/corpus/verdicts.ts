import * as fs from 'fs';
import * as path from 'path';
import { Writable } from 'stream';

/**
 * The third-party corpus (test/corpus/corpus.json): public templates drkit's developers did not
 * write, each with the verdicts its documentation implies, and how to check a report against them.
 * Used by corpus.test.ts and by count-verdicts.ts (which counts verdicts for any drkit checkout).
 */

/** What the documentation implies for one resource (and disruption). */
export interface Verdict {
  readonly resource: string;
  /** `corruption`, `az`, `region`, `account` (for protected / unprotected). */
  readonly disruption?: string;
  /** `protected`, `unprotected`, `not-assessed` or `absent`. */
  readonly expect: string;
  /** The class of fix it exercises (0: none, 1-6: the points, 7: reading the input). */
  readonly class: number;
  readonly why: string;
  readonly doc: string;
  /** For `protected`: a mechanism that must be among those covering the disruption. */
  readonly by?: string;
  /** The resource type the report must show. */
  readonly type?: string;
}

/** One template of the corpus. */
export interface CorpusEntry {
  readonly file: string;
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
  readonly license: string;
  /** The region given with --region (null: none). */
  readonly region: string | null;
  /** The exit code of `drkit report --fail-on-gap`. */
  readonly exitCode: number;
  readonly exercises: string[];
  readonly verdicts: Verdict[];
}

export const CORPUS_DIR = __dirname;
export const TEMPLATES_DIR = path.join(__dirname, 'templates');

/** The corpus manifest. */
export function loadCorpus(): { description: string; templates: CorpusEntry[] } {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'corpus.json'), 'utf8'));
}

/** Whether a report agrees with a verdict, and what it shows instead. */
export function judge(v: Verdict, doc: any | undefined): { ok: boolean; actual: string } {
  if (!doc) return { ok: false, actual: 'no report (bad input)' };
  const res = (doc.resources ?? []).find((r: any) => r.logicalId === v.resource);
  const na = (doc.notAssessed ?? []).find((n: any) => n.logicalId === v.resource);
  if (v.expect === 'not-assessed') {
    const ok = !!na && (!v.type || na.resourceType === v.type);
    return { ok, actual: na ? `not assessed (${na.resourceType})` : res ? 'assessed' : 'absent' };
  }
  if (v.expect === 'absent') return { ok: !res && !na, actual: res ? 'assessed' : na ? `not assessed (${na.resourceType})` : 'absent' };
  if (!res) return { ok: false, actual: na ? `not assessed (${na.resourceType || 'empty type'})` : 'absent' };
  const row = res.disruptions.find((d: any) => d.disruption === v.disruption);
  const mechanisms: string[] = row?.mechanisms ?? [];
  const typeOk = !v.type || res.resourceType === v.type;
  const actual = mechanisms.length ? `protected by ${mechanisms.join(', ')}` : 'unprotected';
  if (v.expect === 'protected') return { ok: typeOk && mechanisms.length > 0 && (!v.by || mechanisms.includes(v.by)), actual };
  return { ok: typeOk && mechanisms.length === 0, actual };
}

class Capture extends Writable {
  public text = '';
  _write(chunk: any, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The `main` of a drkit CLI (lib/cli/main.ts of any checkout). */
export type CliMain = (argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }) => Promise<number>;

/** Runs `drkit report <file> --json --fail-on-gap [--region r]` and returns the exit code and document. */
export async function runReport(main: CliMain, file: string, region: string | null): Promise<{ code: number; doc?: any; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['report', file, '--json', '--fail-on-gap', ...(region ? ['--region', region] : [])], { stdout, stderr });
  return { code, doc: code === 2 ? undefined : JSON.parse(stdout.text), stderr: stderr.text };
}
