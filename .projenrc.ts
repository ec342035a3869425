import { awscdk, javascript, JsonFile } from 'projen';

/**
 * drkit: backup and disaster recovery as code.
 *
 * One npm package. jsii compiles the engine-neutral core (`lib/core`) and the CDK
 * constructs (`lib/cdk`); the Pulumi components (`lib/pulumi/<cloud>`) and the
 * command line (`lib/cli`) use types jsii cannot express, so they are excluded from
 * jsii and compiled in place by a second `tsc` step (`tsconfig.pulumi.json`).
 */
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'drkit',
  description: 'Backup and disaster recovery as code: declare RPO/RTO once, get the native AWS, GCP and Azure mechanisms that meet them, and a recovery report that proves it.',
  author: 'drkit developers',
  authorAddress: 'drkit@example.com',
  repositoryUrl: 'https://github.com/drkit/drkit.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk', 'pulumi', 'backup', 'disaster-recovery', 'rpo', 'rto', 'aws-backup'],

  // The oldest aws-cdk-lib drkit is built and tested with; jsii compiles against exactly it (a
  // devDependency pinned at the peer minimum). On 2.262 the recovery report plugin is refused in
  // apps with more than one environment ("validation plugin modified the cloud assembly"; aws-cdk
  // #38619 fixed the check); README.md "Supported versions".
  cdkVersion: '2.276.0',
  cdkVersionPinning: false,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',


  srcdir: 'lib',
  libdir: 'lib',
  // Pulumi types (Input<T>, Output<T>) and the CLI cannot be part of a jsii API.
  excludeTypescript: ['lib/pulumi/**', 'lib/cli/**'],

  bin: { drkit: 'bin/drkit' },

  devDeps: [
    'aws-cdk@^2.1000.0',
    '@pulumi/pulumi@~3.270.0',
    '@pulumi/aws@~7.48.0',
    '@pulumi/gcp@~9.37.0',
    '@pulumi/azure-native@~3.28.0',
    'cdk-nag@^2.37.0',
    'fast-check@^4.10.0',
    'ts-node',
    'typescript@~6.0.3',
    '@types/node@^20',
    // Policy pack (drkit/pulumi/policy): a user's policy-pack program provides @pulumi/policy.
    '@pulumi/policy@^1.21.0',
    // Reference documentation of the tsc-compiled parts (Pulumi components, core).
    'typedoc@~0.28.20',
    '@types/js-yaml@^4.0.9',
  ],
  // drkit report reads YAML templates (CloudFormation short-form tags): bundled, as jsii
  // accepts non-jsii runtime dependencies only when they are bundled.
  bundledDeps: ['js-yaml@^4.1.0'],

  // bench/ is code users run: lint it like the tests.
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'build-tools', 'projenrc', 'bench'] },
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  sampleCode: false,

  jestOptions: {
    // Snapshots are assertions: CI must fail on a changed template, not rewrite it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
      // Expected console output (aws-cdk-lib's validation reports) is captured for assertions, not printed.
      setupFilesAfterEnv: ['<rootDir>/test/setup/console.ts'],
      // Coverage on CDK-heavy tests doubles the run time; `npx jest --coverage` gives it on demand.
      collectCoverage: false,
      // jsii compiles into lib/ beside the sources: resolve .ts before .js so tests never run stale output.
      moduleFileExtensions: ['ts', 'tsx', 'js', 'json', 'node'],
      // Examples import 'drkit' as users do; in tests that is the source tree.
      moduleNameMapper: {
        '^drkit$': '<rootDir>/lib/index.ts',
        '^drkit/pulumi/(aws|gcp|azure|policy)$': '<rootDir>/lib/pulumi/$1/index.ts',
        '^drkit/core$': '<rootDir>/lib/core/index.ts',
      },
    },
  },

  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/test/', '/.ci/', 'cdk.out/'] },
  gitignore: ['cdk.out/', '*.drkit-report.*', '/examples/**/*.js', '/examples/**/*.d.ts', '/bench/**/*.js', '/bench/**/*.d.ts', '/bench/out/', '.readme-run/'],
});

// The packed tarball must let `require('drkit/pulumi/aws')` etc. resolve.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './pulumi/aws': { types: './lib/pulumi/aws/index.d.ts', default: './lib/pulumi/aws/index.js' },
  './pulumi/gcp': { types: './lib/pulumi/gcp/index.d.ts', default: './lib/pulumi/gcp/index.js' },
  './pulumi/azure': { types: './lib/pulumi/azure/index.d.ts', default: './lib/pulumi/azure/index.js' },
  // The CrossGuard policy pack: a policy pack program provides @pulumi/policy.
  './pulumi/policy': { types: './lib/pulumi/policy/index.d.ts', default: './lib/pulumi/policy/index.js' },
  './core': { types: './lib/core/index.d.ts', default: './lib/core/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'bin/', '.jsii', 'API.md', 'README.md', 'docs/']);

// The registry here lacks some optional platform packages that newer unrs-resolver releases
// reference; 1.12.2 has all of its bindings, so `npm ci` accepts the lock.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// @pulumi/* are devDependencies on purpose (jsii refuses non-jsii peers): a user's Pulumi program
// provides them, and lib/pulumi/<cloud>/index.ts checks the provider's version when it loads.
project.eslint?.addOverride({
  files: ['lib/pulumi/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': 'off' },
});

// Second compile step: the Pulumi components and the CLI, in place, with plain tsc.
new JsonFile(project, 'tsconfig.pulumi.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { rootDir: 'lib', outDir: 'lib', noEmit: false },
    include: ['lib/pulumi/**/*.ts', 'lib/cli/**/*.ts'],
    // Without an explicit exclude, tsc excludes its own outDir (lib) and finds no input.
    exclude: ['node_modules'],
  },
});
project.compileTask.exec('tsc -p tsconfig.pulumi.json');

// eslint's project service picks the nearest tsconfig.json: give the tsc-compiled folders
// one that extends the second compile step, so they are linted with the options they build with.
for (const dir of ['lib/pulumi', 'lib/cli']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../../tsconfig.pulumi.json', compilerOptions: { noEmit: true } },
  });
}

// bench/ runs with ts-node: its own tsconfig, so eslint's project service finds one.
new JsonFile(project, 'bench/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['**/*.ts', '../lib/**/*.ts'], exclude: ['out'] },
});

// API reference of the tsc-compiled modules (drkit/pulumi/*) and drkit/core: TypeDoc's model of the
// sources rendered as Markdown in docs/api (next to API.md, which jsii-docgen writes for the jsii
// part). Regenerated after every compile; with CI set (or --check) it fails when the committed
// docs differ from a fresh generation instead of writing them, and always when a public
// declaration lacks a doc comment or an optional property its @default.
const apiDocs = project.addTask('docgen:api', {
  description: 'API reference of drkit/pulumi/* and drkit/core in docs/api (TypeDoc); checks instead of writing when CI is set',
  exec: 'ts-node --prefer-ts-exts projenrc/api-docs.ts',
});
project.postCompileTask.spawn(apiDocs);
project.addTask('docgen:api:check', {
  description: 'Fail when docs/api differs from a fresh generation',
  exec: 'ts-node --prefer-ts-exts projenrc/api-docs.ts --check',
});

// Tests run against the sources, but the CLI tests also run the built `drkit` binary and the
// jsii build must pass: compile (jsii, tsc, API.md) before jest.
project.testTask.prependSpawn(project.tasks.tryFind('post-compile')!);
project.testTask.prependSpawn(project.compileTask);

// The main job: synthesize the reference example with the real cdk CLI and print its report.
const example = project.addTask('example', {
  description: 'Synthesize examples/cdk with the cdk CLI and print its recovery report',
});
// The example imports 'drkit' by name: the package's self-reference resolves to the compiled lib/.
example.spawn(project.compileTask);
example.exec('npx cdk synth --quiet --no-notices --app "npx ts-node --prefer-ts-exts main.ts" --output cdk.out', { cwd: 'examples/cdk' });
example.exec('node bin/drkit report examples/cdk/cdk.out');

project.addTask('bench', {
  description: 'Benchmarks: synth time and size against plain aws-cdk-lib, Pulumi mock time',
  exec: 'ts-node --prefer-ts-exts bench/run.ts',
});

// ---- Packaging: what `npm pack` ships and what a consumer's install and compiler see ----

// `npm pack` and `npm publish` build lib/ and .jsii first when they are missing or older than their
// sources, and fail with one line (not a tarball without code) when the build tools are missing.
project.package.setScript('prepack', 'node build-tools/prepack.js');

// Tested on Node 20 (the oldest line aws-cdk-lib and jsii support); README.md "Node.js versions".
project.package.addEngine('node', '>= 20.0.0');

// A Pulumi program installs drkit without the CDK: aws-cdk-lib (161 MB unpacked) and constructs are
// optional peers, which npm does not install on its own. `drkit` (the CDK entry point) needs them;
// `drkit/core` and `drkit/pulumi/*` never load them (test/packaging, test/core/isolation.test.ts).
project.package.addField('peerDependenciesMeta', {
  'aws-cdk-lib': { optional: true },
  'constructs': { optional: true },
});

/**
 * `"moduleResolution": "node"` (node10) ignores `exports`: `typesVersions` sends each subpath to the
 * same declaration file as its `exports` entry. Derived from the final exports map, so a subpath
 * added there (with a `types` condition) is covered here too.
 */
function typesVersionsOf(exportsMap: Record<string, unknown>): Record<string, Record<string, string[]>> {
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(exportsMap)) {
    const types = typeof target === 'object' && target !== null ? (target as { types?: unknown }).types : undefined;
    if (subpath === '.' || typeof types !== 'string') continue;
    paths[subpath.replace(/^\.\//, '')] = [types.replace(/^\.\//, '')];
  }
  return { '*': paths };
}
// Rendered when package.json is written, after every addField('exports', ...) above has run.
// eslint-disable-next-line @typescript-eslint/no-deprecated
project.package.addField('typesVersions', () => typesVersionsOf(project.package.manifest.exports));

project.synth();
