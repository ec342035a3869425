/* eslint-disable @typescript-eslint/no-require-imports */
// Modules under test load with require inside jest.isolateModules.
import { requireProvider } from '../../../lib/pulumi/common/provider';

const AWS_INDEX = '../../../lib/pulumi/aws';

/** Node-module files in the current (isolated) module registry, relative to node_modules. */
function loadedPackages(): string[] {
  return Object.keys(require.cache)
    .filter(f => f.includes('/node_modules/'))
    .map(f => f.slice(f.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

describe('requireProvider', () => {
  test('a package that is not installed fails with DRK030 and the install command', () => {
    expect(() => requireProvider('@drkit-test/not-installed', 7, 'drkit/pulumi/aws')).toThrow(
      '[DRK030] drkit/pulumi/aws needs the Pulumi provider package @drkit-test/not-installed (major version 7 or later), which is not installed: run `npm install @drkit-test/not-installed@^7` in your Pulumi program');
  });

  test('the installed @pulumi/aws (7.x) passes; asking for a later major fails', () => {
    expect(() => requireProvider('@pulumi/aws', 7, 'drkit/pulumi/aws')).not.toThrow();
    expect(() => requireProvider('@pulumi/aws', 99, 'drkit/pulumi/aws')).toThrow(
      /^\[DRK030\] drkit\/pulumi\/aws needs @pulumi\/aws major version 99 or later, but found 7\.\d+\.\d+: run `npm install @pulumi\/aws@\^99` in your Pulumi program$/);
  });
});

describe('drkit/pulumi/aws module', () => {
  afterEach(() => jest.dontMock('@pulumi/aws/package.json'));

  test('GIVEN @pulumi/aws 6 WHEN drkit/pulumi/aws loads THEN it fails with one DRK030 line before loading @pulumi/aws', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/aws/package.json', () => ({ name: '@pulumi/aws', version: '6.83.0' }));
      let err: any;
      try {
        require(AWS_INDEX);
      } catch (e) {
        err = e;
      }
      expect(err?.code).toBe('DRK030');
      expect(err.message).toBe('[DRK030] drkit/pulumi/aws needs @pulumi/aws major version 7 or later, but found 6.83.0: run `npm install @pulumi/aws@^7` in your Pulumi program');
      expect(err.message).not.toContain('\n');
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/aws/') && !f.endsWith('package.json'))).toEqual([]);
    });
  });

  test('GIVEN no @pulumi/aws WHEN drkit/pulumi/aws loads THEN it fails with DRK030 saying what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/aws/package.json', () => {
        throw new Error("Cannot find module '@pulumi/aws/package.json'");
      });
      expect(() => require(AWS_INDEX)).toThrow(
        '[DRK030] drkit/pulumi/aws needs the Pulumi provider package @pulumi/aws (major version 7 or later), which is not installed: run `npm install @pulumi/aws@^7` in your Pulumi program');
    });
  });

  test('loading drkit/pulumi/aws loads the AWS services it uses and no other cloud\'s provider', () => {
    jest.isolateModules(() => {
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/'))).toEqual([]);
      const mod = require(AWS_INDEX);
      expect(typeof mod.DynamoContinuousBackup).toBe('function');
      const loaded = loadedPackages();
      // Positive control: the registry view sees what the module loaded.
      expect(loaded).toEqual(expect.arrayContaining(['@pulumi/aws/backup/index.js', '@pulumi/aws/dynamodb/index.js', '@pulumi/pulumi/index.js']));
      expect(loaded.filter(f => f.startsWith('@pulumi/gcp/') || f.startsWith('@pulumi/azure-native/'))).toEqual([]);
    });
  });
});
