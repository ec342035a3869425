import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthReference } from './reference';

/**
 * Users snapshot-test templates and reports: synthesizing the same app twice must give
 * byte-identical templates and reports (no timestamps, random suffixes or unordered maps in
 * what drkit emits).
 */
describe('deterministic output', () => {
  const emitted = (name: string) => /\.template\.json$/.test(name) || /^drkit-report\./.test(name);

  test('the reference app synthesized twice into the same directory: identical templates and reports', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-det-'));
    const first = synthReference(outdir).files;
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.mkdirSync(outdir);
    const second = synthReference(outdir).files;
    const names = [...first.keys()].filter(emitted);
    expect(names.filter(n => n.endsWith('.template.json')).length).toBeGreaterThanOrEqual(2);
    expect(names).toEqual(expect.arrayContaining(['drkit-report.json', 'drkit-report.md']));
    expect([...second.keys()].filter(emitted)).toEqual(names);
    for (const n of names) {
      expect({ file: n, content: second.get(n) }).toEqual({ file: n, content: first.get(n) });
    }
  });

  test('into two different directories: byte-identical templates and reports (templates named relative to the assembly)', () => {
    const a = synthReference();
    const b = synthReference();
    expect(a.outdir).not.toEqual(b.outdir);
    const names = [...a.files.keys()].filter(emitted);
    expect(names).toEqual(expect.arrayContaining(['drkit-report.json', 'drkit-report.md']));
    expect([...b.files.keys()].filter(emitted)).toEqual(names);
    for (const n of names) {
      expect({ file: n, content: b.files.get(n) }).toEqual({ file: n, content: a.files.get(n) });
      if (/^drkit-report\./.test(n)) expect(a.files.get(n)).not.toContain(a.outdir);
    }
  });
});
