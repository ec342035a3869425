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

  test('into two different directories: templates identical; reports identical once the assembly path is blanked', () => {
    const a = synthReference();
    const b = synthReference();
    for (const [n, content] of a.files) {
      if (n.endsWith('.template.json')) expect({ file: n, content: b.files.get(n) }).toEqual({ file: n, content });
      if (/^drkit-report\./.test(n)) {
        // The report names each template by its path in the cloud assembly: the only
        // difference allowed between two output directories.
        const blank = (text: string, dir: string) => text.split(dir).join('<cdk.out>');
        expect(blank(b.files.get(n)!, b.outdir)).toEqual(blank(content, a.outdir));
      }
    }
  });
});
