import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MODULES, renderApiDocs } from '../../projenrc/api-docs';

/**
 * The API reference in docs/api (projenrc/api-docs.ts, the `docgen:api` task of post-compile):
 * the committed files are what TypeDoc gives for today's sources, the rendering is deterministic,
 * and it covers every component's type token, arguments with their defaults, and outputs.
 */

const ROOT = path.join(__dirname, '..', '..');
const MODEL = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-api-')), 'model.json');
let check: { status: number | null; stdout: string; stderr: string };
let model: any;

beforeAll(() => {
  // TypeDoc is an ES module jest cannot load: the generator runs as the task runs it.
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--prefer-ts-exts', 'projenrc/api-docs.ts', '--check', '--model', MODEL],
    { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, CI: '' } });
  check = { status: r.status, stdout: r.stdout, stderr: r.stderr };
  model = JSON.parse(fs.readFileSync(MODEL, 'utf8'));
}, 600_000);

describe('docs/api', () => {
  test('the committed reference is what the sources give today (npx projen docgen:api regenerates it)', () => {
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('docs/api is up to date (6 files)');
  });

  test('deterministic: the same model renders the same bytes, with no date and no absolute path', () => {
    const a = renderApiDocs(model, ROOT);
    const b = renderApiDocs(JSON.parse(JSON.stringify(model)), ROOT);
    expect(a).toEqual(b);
    expect(a.problems).toEqual([]);
    expect(Object.keys(a.files).sort()).toEqual(['README.md', ...MODULES.map(m => m.file)].sort());
    for (const [file, text] of Object.entries(a.files)) {
      expect(`${file}: ${text}`).not.toContain(ROOT);
      // No generation date (dates in the sources' own comments, such as examples, are content).
      expect(text).not.toContain(new Date().toISOString().slice(0, 10));
      expect(fs.readFileSync(path.join(ROOT, 'docs', 'api', file), 'utf8')).toBe(text);
    }
  });

  test('every Pulumi component: its type token, its constructor, its arguments with defaults, its outputs', () => {
    const { files } = renderApiDocs(model, ROOT);
    const expected: { [file: string]: string[] } = {
      'pulumi-aws.md': ['BackupFoundation', 'CrossRegionReplicatedBucket', 'DrStandby', 'DynamoContinuousBackup', 'LifecycleTiering', 'RdsPitrPolicy'],
      'pulumi-gcp.md': ['BackupAndDrPlan', 'CloudSqlInstance', 'CrossCloudCopy', 'CrossRegionReplicatedBucket', 'FirestoreDatabase', 'LifecycleTiering'],
      'pulumi-azure.md': ['BackupVault', 'CosmosDbAccount', 'CrossRegionReplicatedBucket', 'LifecycleTiering', 'SqlFailoverGroup'],
    };
    for (const [file, components] of Object.entries(expected)) {
      const text = files[file];
      const cloud = file.replace(/^pulumi-|\.md$/g, '');
      for (const c of components) {
        expect(text).toContain(`| [${c}](#${c.toLowerCase()}) | \`drkit:${cloud}:${c}\` |`);
        const start = text.indexOf(`### ${c}\n`);
        const next = text.indexOf('\n### ', start + 1);
        const section = text.slice(start, next > 0 ? next : undefined);
        expect(section).toContain(`Component resource \`drkit:${cloud}:${c}\``);
        expect(section).toMatch(new RegExp(`new ${c}\\(name: string, args\\??: \\w+, opts\\?: pulumi\\.ComponentResourceOptions\\)`));
        expect(section).toContain('| Name | Type | Required | Default | Description |');
        expect(section).toContain('#### Outputs');
      }
    }
    // The example: the Pulumi CrossRegionReplicatedBucket requires `region`.
    expect(files['pulumi-aws.md']).toContain('| `region` | `string` | yes |  | Region of the source bucket');
    expect(files['pulumi-aws.md']).toMatch(/\| `secondaryRegion` \| `string` \| no \| the region of `destination` \|/);
    expect(files['pulumi-policy.md']).toContain('| `enforcementLevel` | `policy.EnforcementLevel` | no | `"mandatory"` |');
    expect(files['README.md']).toContain('[`drkit/pulumi/aws`](pulumi-aws.md)');
  });

  test('a public declaration without a doc comment, or an optional property without @default, is a problem that fails the run', () => {
    const broken = JSON.parse(JSON.stringify(model));
    const aws = broken.children.find((m: any) => m.sources?.[0]?.fileName === 'lib/pulumi/aws/index.ts' || m.name === 'lib/pulumi/aws');
    const args = aws.children.find((c: any) => c.name === 'DynamoContinuousBackupArgs');
    const secondary = args.children.find((c: any) => c.name === 'secondaryRegion');
    secondary.comment.blockTags = [];
    const objective = args.children.find((c: any) => c.name === 'objective');
    delete objective.comment;
    expect(renderApiDocs(broken, ROOT).problems).toEqual([
      'drkit/pulumi/aws.DynamoContinuousBackupArgs.objective: no doc comment',
      'drkit/pulumi/aws.DynamoContinuousBackupArgs.secondaryRegion: an optional property without `@default`',
    ]);
  });
});
