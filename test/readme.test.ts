import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { isCdkApp, isTestFile, noCredentialsEnv, PENDING_TEST_FILES, pooled, readmeBlocks, ROOT, run, titleOf } from './readme-blocks';

/**
 * The README's examples are run, not only read: every TypeScript block compiles against the current
 * API, every CDK app synthesizes with the real `cdk` CLI on a machine without AWS credentials, and
 * every test file ("Testing your protection") passes under jest, as a user would run each.
 */
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = readmeBlocks(README);
const TS_BLOCKS = BLOCKS.filter(b => b.language === 'ts');
const RUN_DIR = path.join(__dirname, '.readme-run');
const CDK_CLI = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

beforeAll(() => fs.mkdirSync(RUN_DIR, { recursive: true }));
afterAll(() => fs.rmSync(RUN_DIR, { recursive: true, force: true }));

describe('README examples', () => {
  test('README has TypeScript examples, CDK apps and test files', () => {
    expect(TS_BLOCKS.length).toBeGreaterThanOrEqual(3);
    expect(TS_BLOCKS.filter(isCdkApp).length).toBeGreaterThanOrEqual(3);
    expect(TS_BLOCKS.filter(isTestFile).map(titleOf)).toEqual([
      'Testing your protection / CDK: a snapshot and fine-grained assertions',
      'Testing your protection / Pulumi: unit tests with mocks',
    ]);
  });

  test('every TypeScript example compiles', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-readme-'));
    const files = TS_BLOCKS.map((b, i) => {
      const file = path.join(dir, `block${i}-line${b.line}.ts`);
      // Each block is a module of its own.
      fs.writeFileSync(file, `${b.code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      esModuleInterop: true,
      skipLibCheck: true,
      // Test files use jest's globals, as in a project with @types/jest.
      types: ['node', 'jest'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: {
        'drkit': ['lib/index.ts'],
        'drkit/core': ['lib/core/index.ts'],
        'drkit/pulumi/*': ['lib/pulumi/*/index.ts'],
        '*': ['node_modules/*'],
      },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter(d => d.file && files.includes(path.normalize(d.file.fileName)))
      .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

/**
 * Each CDK app goes through `cdk synth --app`, the path a user takes: the CLI runs the app, and
 * answers its context lookups (availability zones of a concrete account, for example) from
 * cdk.context.json or, failing that, from AWS, which needs credentials. Here there are none, so an
 * example that needs a lookup fails. CloudFormation validation runs as errors, as in every test app.
 * One CLI run per app, two at a time.
 */
describe('README CDK apps synthesize with the cdk CLI, without AWS credentials', () => {
  const apps = TS_BLOCKS.filter(isCdkApp);
  const dirOf = (line: number) => path.join(RUN_DIR, `cdk-line${line}`);
  let results: Array<{ status: number | null; stdout: string; stderr: string }> = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      throw new Error('the README apps import the compiled package (`drkit` resolves to lib/index.js): run `npx projen compile` first');
    }
    results = await pooled(apps.map(b => () => {
      const dir = dirOf(b.line);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'app.ts'), b.code);
      fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }));
      // `drkit` resolves to this package (its name and exports), as `npm install drkit` makes it resolve.
      const app = `"${process.execPath}" -r ts-node/register/transpile-only app.ts`;
      return run(process.execPath, [CDK_CLI, 'synth', '--quiet', '--no-notices', '--app', app, '--output', 'cdk.out'], dir);
    }), 2);
  }, 900_000);

  test.each(apps.map((b, i) => [b.line, titleOf(b), i] as const))('README.md line %i (%s)', (line, _title, i) => {
    const { status, stdout, stderr } = results[i];
    const output = `${stdout}\n${stderr}`;
    if (apps[i].code.includes('`cdk synth` fails once')) {
      // The refusal example: one synth lists both refusals, each with its construct and code.
      expect(status).not.toBe(0);
      expect(stderr).toMatch(/^\s*\[Strict\/OrdersProtection\] \[DRK010\] `rpo` 1 minute against data corruption/m);
      expect(stderr).toMatch(/^\s*\[Strict\/LedgerProtection\] \[DRK014\] /m);
      return;
    }
    if (status !== 0) throw new Error(`cdk synth exited ${status}:\n${output.slice(-4000)}`);
    expect(fs.existsSync(path.join(dirOf(line), 'cdk.out', 'manifest.json'))).toBe(true);
    expect(output).not.toMatch(/\[DRK\d+\]|ERROR|Error:/);
  });
});

/**
 * `npm run example` prints what README.md says it prints: the report `drkit report` computes from
 * the assembly, which is drkit-report.md (written at synth) plus the line naming the input.
 */
describe('README: what `npm run example` prints', () => {
  test('the example task ends with `node bin/drkit report examples/cdk/cdk.out`, as README.md says', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    const steps: Array<{ exec?: string }> = tasks.example.steps;
    expect(steps[steps.length - 1].exec).toBe('node bin/drkit report examples/cdk/cdk.out');
    expect(README).toContain('then prints the report of that\nassembly with `node bin/drkit report examples/cdk/cdk.out`: the same Markdown as\n`drkit-report.md`, with one more line naming the input.');
  });

  test('`drkit report <cdk.out>` prints drkit-report.md of that assembly, with one more line naming the input', () => {
    const dynamo = TS_BLOCKS.filter(isCdkApp).find(b => b.section === 'CDK: protect a DynamoDB table')!;
    const out = path.join(RUN_DIR, `cdk-line${dynamo.line}`, 'cdk.out');
    expect(fs.existsSync(path.join(out, 'drkit-report.md'))).toBe(true);
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'drkit'), 'report', out], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const written = fs.readFileSync(path.join(out, 'drkit-report.md'), 'utf8');
    const inputLine = / Input: `[^`]+`\.$/m;
    expect(cli.stdout).toMatch(inputLine);
    expect(cli.stdout.replace(inputLine, '').trimEnd()).toBe(written.trimEnd());
  }, 60_000);
});

/**
 * The test files of "Testing your protection" run under jest (ts-jest), `drkit` mapped to the source
 * tree as in this project's jest config. Twice: the first run writes the snapshot, as on a user's
 * first run; the second, with --ci, must match it (the template is deterministic, so a snapshot test
 * does not flake).
 */
describe('README test files pass under jest', () => {
  const testFiles = TS_BLOCKS.filter(isTestFile);
  const dir = path.join(RUN_DIR, 'jest');
  // Not *.test.ts: this project's own jest run must never collect them.
  const fileOf = (b: { section: string; subsection: string }) => `${slug(titleOf(b))}.readme.ts`;

  /** Runs jest on some of the files: the result per file (none when jest crashed) and its output. */
  function runJest(files: string[], ci: boolean): { results: Map<string, { passed: boolean; failures: string }>; output: string } {
    const resultFile = path.join(dir, `result-${ci}-${files.length}.json`);
    fs.rmSync(resultFile, { force: true });
    const jest = spawnSync(process.execPath, [JEST, '--config', path.join(dir, 'jest.config.json'), `--ci=${ci}`, '--json', `--outputFile=${resultFile}`, '--maxWorkers=1', ...files], {
      cwd: dir, env: noCredentialsEnv(), encoding: 'utf8', timeout: 300_000,
    });
    const output = `${jest.stdout}\n${jest.stderr}`;
    if (!fs.existsSync(resultFile)) return { results: new Map(), output };
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    return {
      output,
      results: new Map(result.testResults.map((r: any) => [path.basename(r.name), {
        passed: r.status === 'passed' && r.assertionResults.length > 0,
        failures: `${r.message}`.slice(0, 4000),
      }])),
    };
  }

  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    for (const b of testFiles) fs.writeFileSync(path.join(dir, fileOf(b)), b.code);
    const mapper: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).jest.moduleNameMapper;
    fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify({
      rootDir: dir,
      testMatch: ['<rootDir>/*.readme.ts'],
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: path.join(ROOT, 'test', 'tsconfig.json') }] },
      moduleNameMapper: Object.fromEntries(Object.entries(mapper).map(([k, v]) => [k, v.replace('<rootDir>', ROOT)])),
    }));
  });

  test('the pending list names README test files that exist', () => {
    expect(Object.keys(PENDING_TEST_FILES).filter(t => !testFiles.some(b => titleOf(b) === t))).toEqual([]);
  });

  test('each passes on the first run (snapshot written) and again with --ci (snapshot matched)', () => {
    const passing = testFiles.filter(b => !PENDING_TEST_FILES[titleOf(b)]).map(fileOf);
    const first = runJest(passing, false).results;
    const second = runJest(passing, true).results;
    expect(fs.readdirSync(path.join(dir, '__snapshots__'))).toEqual(
      testFiles.filter(b => b.code.includes('toMatchSnapshot')).map(b => `${fileOf(b)}.snap`));
    for (const [runName, results] of [['first run', first], ['--ci', second]] as const) {
      for (const file of passing) {
        const result = results.get(file);
        expect({ file, run: runName, passed: result?.passed, failures: result?.passed ? '' : result?.failures ?? 'jest crashed' })
          .toEqual({ file, run: runName, passed: true, failures: '' });
      }
    }
  }, 600_000);

  test('the pending ones still fail, with the error PENDING_TEST_FILES gives (remove the entry once it passes)', () => {
    for (const b of testFiles.filter(t => PENDING_TEST_FILES[titleOf(t)])) {
      // Alone: a crash (an unhandled rejection ends jest) must not hide the other files' results.
      const { results, output } = runJest([fileOf(b)], false);
      expect({ file: titleOf(b), passed: results.get(fileOf(b))?.passed ?? false }).toEqual({ file: titleOf(b), passed: false });
      expect(output).toContain(PENDING_TEST_FILES[titleOf(b)]);
    }
  }, 300_000);
});
