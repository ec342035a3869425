import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The README's TypeScript examples must compile against the current API, so the docs cannot rot.
 * Each ```ts block is type-checked as its own module, with `drkit` and `drkit/pulumi/*` mapped to the
 * source tree (as a user's program resolves them to the package).
 */
const ROOT = path.join(__dirname, '..');

function tsBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(markdown)) !== null) {
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return blocks;
}

describe('README examples', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = tsBlocks(readme);

  test('README has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  test('every TypeScript example compiles', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-readme-'));
    const files = blocks.map((b, i) => {
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
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: {
        'drkit': ['lib/index.ts'],
        'drkit/pulumi/*': ['lib/pulumi/*/index.ts'],
        '*': ['node_modules/*'],
      },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter(d => d.file && files.includes(path.normalize(d.file.fileName)))
      .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

/**
 * Compiling is not enough for the CDK examples: run each one and synthesize its app (with
 * CloudFormation validation as errors), so an example that drkit would refuse fails here.
 */
describe('README CDK examples run and synthesize', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const cdkBlocks = tsBlocks(readme).filter(b => b.code.includes("from 'aws-cdk-lib'"));
  const tmpDir = path.join(__dirname, '.readme-run');

  beforeAll(() => fs.mkdirSync(tmpDir, { recursive: true }));
  afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

  test.each(cdkBlocks.map(b => [b.line, b.code]))('the example at README.md line %i synthesizes', (line, code) => {
    const apps: any[] = [];
    (globalThis as any).__drkitReadmeApps = apps;
    const tracked = (code as string).replace(/new App\(\)/g,
      "(globalThis as any).__drkitReadmeApps[(globalThis as any).__drkitReadmeApps.push(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } })) - 1]");
    const file = path.join(tmpDir, `block-line${line}.ts`);
    fs.writeFileSync(file, `${tracked}\nexport {};\n`);
    const errors: string[] = [];
    const originalError = console.error;
    console.error = (...args: any[]) => { errors.push(args.join(' ')); };
    try {
      jest.isolateModules(() => {
        // The example file is written at run time: only a dynamic require can load it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(file);
      });
    } finally {
      console.error = originalError;
    }
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) expect(() => app.synth()).not.toThrow();
    // The refusal example prints the drkit error it caught; no other example prints errors.
    if ((code as string).includes('console.error')) {
      expect(errors.join('\n')).toMatch(/^\[DRK010\] `rpo` 1 minute against data corruption/);
    } else {
      expect(errors).toEqual([]);
    }
  }, 120_000);
});
