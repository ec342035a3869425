/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';

/**
 * What each entry point of the package loads. A Pulumi program has no aws-cdk-lib (an optional
 * peer), so `drkit/core` and `drkit/pulumi/*` must never load it, nor constructs; `drkit` (the CDK
 * entry point) does. The entry points are read from package.json `exports`, so a new subpath is
 * checked the day it is added.
 */
const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The source file an exports entry is compiled from (./lib/x/index.js -> lib/x/index.ts). */
function sourceOf(target: { default: string }): string {
  return path.join(ROOT, target.default.replace(/\.js$/, '.ts'));
}

/** Node-module files in the current (isolated) module registry, relative to node_modules. */
function loadedPackages(): string[] {
  return Object.keys(require.cache)
    .filter(f => f.includes('/node_modules/'))
    .map(f => f.slice(f.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

const codeEntries = Object.entries<any>(manifest.exports).filter(([, t]) => typeof t === 'object' && t.types);
const cdkFree = codeEntries.filter(([subpath]) => subpath !== '.');

describe('package entry points', () => {
  test('exports has the CDK entry point, drkit/core and the three Pulumi clouds', () => {
    expect(codeEntries.map(([subpath]) => subpath)).toEqual(expect.arrayContaining(['.', './core', './pulumi/aws', './pulumi/gcp', './pulumi/azure']));
  });

  test.each(cdkFree.map(([subpath, target]) => [`drkit${subpath.slice(1)}`, target]))('%s loads neither aws-cdk-lib nor constructs', (_name, target) => {
    jest.isolateModules(() => {
      expect(loadedPackages().filter(f => f.startsWith('aws-cdk-lib/') || f.startsWith('constructs/'))).toEqual([]);
      const mod = require(sourceOf(target));
      expect(Object.keys(mod).length).toBeGreaterThan(0);
      expect(loadedPackages().filter(f => f.startsWith('aws-cdk-lib/') || f.startsWith('constructs/'))).toEqual([]);
    });
  });

  test('drkit (the CDK entry point) does load aws-cdk-lib and constructs: the check above sees them', () => {
    jest.isolateModules(() => {
      require(sourceOf(manifest.exports['.']));
      const loaded = loadedPackages();
      expect(loaded).toEqual(expect.arrayContaining(['aws-cdk-lib/index.js', 'constructs/lib/index.js']));
    });
  });

  test('aws-cdk-lib and constructs are optional peers, so npm does not install them into a Pulumi program', () => {
    expect(manifest.peerDependencies).toEqual({ 'aws-cdk-lib': expect.any(String), 'constructs': expect.any(String) });
    expect(manifest.peerDependenciesMeta).toEqual({ 'aws-cdk-lib': { optional: true }, 'constructs': { optional: true } });
  });

  test('typesVersions sends every subpath of exports to the same declaration file (node10 resolution)', () => {
    const expected = Object.fromEntries(cdkFree.map(([subpath, target]) => [subpath.slice(2), [target.types.replace(/^\.\//, '')]]));
    expect(manifest.typesVersions).toEqual({ '*': expected });
  });

  test('engines says the Node versions drkit is tested on, as README.md does', () => {
    expect(manifest.engines).toEqual({ node: '>= 20.0.0' });
    // This run is the test: the Node it runs on is within the range.
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('- **Node.js 20 or later** (`engines`: `>= 20.0.0`).');
  });

  test('the devDependencies jsii compiles against are the peer minimums (no JSII6 warning)', () => {
    for (const [name, range] of Object.entries<string>(manifest.peerDependencies)) {
      expect({ name, dev: manifest.devDependencies[name] }).toEqual({ name, dev: range.replace(/^\^/, '') });
    }
  });
});
