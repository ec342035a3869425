#!/usr/bin/env node
// `npm pack` and `npm publish` run this first (package.json "prepack", set in .projenrc.ts).
//
// The tarball ships the compiled lib/ (jsii compiles lib/core and lib/cdk, tsc compiles
// lib/pulumi and lib/cli) and the jsii assembly .jsii; none of them is in git. So: build them
// when they are missing or older than what they are built from, then check that every file
// package.json points to (main, types, exports, typesVersions, bin) is there. A pack never
// ships a package without its code, and never fails without saying why.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const rel = f => path.relative(ROOT, f);

function fail(message) {
  process.stderr.write(`drkit prepack: ${message}\n`);
  process.exit(1);
}

function sources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

const mtime = f => fs.statSync(f).mtimeMs;

/** Why the build is out of date, or undefined when lib/ and .jsii are newer than their inputs. */
function staleReason() {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assembly)) return '.jsii is missing';
  const assemblyTime = mtime(assembly);
  // The assembly embeds the package's name, version, dependencies and README.
  for (const input of ['package.json', 'README.md', 'tsconfig.json']) {
    const file = path.join(ROOT, input);
    if (fs.existsSync(file) && mtime(file) > assemblyTime) return `.jsii is older than ${input}`;
  }
  for (const src of sources(path.join(ROOT, 'lib'))) {
    const js = src.replace(/\.ts$/, '.js');
    if (!fs.existsSync(js)) return `${rel(js)} is missing`;
    if (mtime(js) < mtime(src)) return `${rel(js)} is older than ${rel(src)}`;
    const byJsii = !/^lib[\\/](pulumi|cli)[\\/]/.test(rel(src));
    if (byJsii && assemblyTime < mtime(src)) return `.jsii is older than ${rel(src)}`;
  }
  return undefined;
}

/** Every file package.json sends a consumer to. */
function entryPoints(manifest) {
  const files = new Set();
  const add = f => { if (typeof f === 'string') files.add(path.normalize(f)); };
  add(manifest.main);
  add(manifest.types);
  for (const target of Object.values(manifest.bin ?? {})) add(target);
  const walk = v => {
    if (typeof v === 'string') add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.typesVersions);
  return [...files];
}

const reason = staleReason();
if (reason) {
  const projen = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'projen.cmd' : 'projen');
  if (!fs.existsSync(projen)) {
    fail(`the package is built from lib/ by jsii and tsc, and ${reason}, but the build tools are not installed: run \`npm ci\`, then pack again`);
  }
  process.stderr.write(`drkit prepack: ${reason}: building (npx projen compile)\n`);
  const build = spawnSync(projen, ['compile'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) fail('`npx projen compile` failed (see above): nothing was packed');
} else {
  process.stderr.write('drkit prepack: lib/ and .jsii are up to date with their sources\n');
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const missing = entryPoints(manifest).filter(f => !fs.existsSync(path.join(ROOT, f)));
if (missing.length > 0) {
  fail(`package.json points to files the build did not produce: ${missing.join(', ')}`);
}
