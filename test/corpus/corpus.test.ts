import * as fs from 'fs';
import * as path from 'path';
import { judge, loadCorpus, runReport, TEMPLATES_DIR } from './verdicts';
import { main } from '../../lib/cli/main';
import { validate } from '../core/report/json-schema';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'report-schema.json'), 'utf8'));
const corpus = loadCorpus();

describe('the third-party corpus', () => {
  test('at least 30 public templates, each pinned to a commit, with a license, a source in NOTICE, and documented verdicts', () => {
    expect(corpus.templates.length).toBeGreaterThanOrEqual(30);
    const notice = fs.readFileSync(path.join(__dirname, 'NOTICE'), 'utf8');
    expect(fs.readdirSync(TEMPLATES_DIR).sort()).toEqual(corpus.templates.map(t => t.file).sort());
    for (const t of corpus.templates) {
      expect(t.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(['Apache-2.0', 'MIT-0']).toContain(t.license);
      expect(notice).toContain(`${t.repository} @ ${t.commit}`);
      expect(t.verdicts.length).toBeGreaterThan(0);
      for (const v of t.verdicts) {
        expect(v.doc).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
        expect(v.why.length).toBeGreaterThan(15);
      }
    }
    // Each kind of input the issue names is in the corpus.
    const exercised = new Set(corpus.templates.flatMap(t => t.exercises));
    for (const x of ['language-extensions', 'conditions', 'sam', 'nested-stacks', 'efs', 'docdb', 'neptune', 'fsx', 'elasticache', 'memorydb', 'ec2', 'yaml']) {
      expect([x, exercised.has(x)]).toEqual([x, true]);
    }
  });

  test.each(corpus.templates.map(t => [t.file, t] as const))('%s: drkit report --fail-on-gap exits as documented and every verdict holds', async (_f, t) => {
    const r = await runReport(main, path.join(TEMPLATES_DIR, t.file), t.region);
    // A failing gate lists each gap on stderr, one line each, then a summary line (issue 14, point 10).
    const gapLines = r.code === 1 ? [...r.doc.gaps.map(() => expect.stringMatching(/^drkit: gap: /)), expect.stringMatching(/^drkit: \d+ gaps?: exit 1/)] : [];
    expect([t.file, r.code, r.stderr.split('\n').filter((l: string) => l !== '')]).toEqual([t.file, t.exitCode, gapLines]);
    const wrong = t.verdicts.map(v => ({ v, j: judge(v, r.doc) })).filter(x => !x.j.ok)
      .map(x => `${x.v.resource} ${x.v.disruption ?? ''}: expected ${x.v.expect}${x.v.by ? ` by ${x.v.by}` : ''}, got ${x.j.actual}`);
    expect(wrong).toEqual([]);
    expect(validate(SCHEMA, r.doc)).toEqual([]);
    // Never a crash, never an empty type: every resource listed has its CloudFormation type.
    for (const n of r.doc.notAssessed) expect(n.resourceType).not.toBe('');
  });
});
