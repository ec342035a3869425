/* eslint-disable @typescript-eslint/no-require-imports */
const INDEX = '../../../lib/pulumi/azure';

/** Node-module files in the current (isolated) module registry, relative to node_modules. */
function loadedPackages(): string[] {
  return Object.keys(require.cache)
    .filter(f => f.includes('/node_modules/'))
    .map(f => f.slice(f.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

describe('drkit/pulumi/azure module', () => {
  afterEach(() => jest.dontMock('@pulumi/azure-native/package.json'));

  test('loading it loads the @pulumi/azure-native services it uses and no other cloud\'s provider', () => {
    jest.isolateModules(() => {
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/'))).toEqual([]);
      const mod = require(INDEX);
      expect(typeof mod.CrossRegionReplicatedBucket).toBe('function');
      expect(typeof mod.LifecycleTiering).toBe('function');
      const loaded = loadedPackages();
      // Positive control: the registry view sees what the module loaded.
      expect(loaded).toEqual(expect.arrayContaining(['@pulumi/azure-native/storage/index.js', '@pulumi/pulumi/index.js']));
      expect(loaded.filter(f => f.startsWith('@pulumi/aws/') || f.startsWith('@pulumi/gcp/'))).toEqual([]);
      // Nor the CDK half of drkit.
      expect(loaded.filter(f => f.startsWith('aws-cdk-lib/') || f.startsWith('constructs/'))).toEqual([]);
      // Deep imports: not the provider's root index, which loads every service.
      expect(loaded).not.toContain('@pulumi/azure-native/index.js');
    });
  });

  test('GIVEN @pulumi/azure-native 2.90.0 WHEN it loads THEN one DRK030 line, before the provider is loaded', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/azure-native/package.json', () => ({ name: '@pulumi/azure-native', version: '2.90.0' }));
      let err: any;
      try {
        require(INDEX);
      } catch (e) {
        err = e;
      }
      expect(err?.code).toBe('DRK030');
      expect(err.message).toBe('[DRK030] drkit/pulumi/azure needs @pulumi/azure-native major version 3 or later, but found 2.90.0: run `npm install @pulumi/azure-native@^3` in your Pulumi program');
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/azure-native/') && !f.endsWith('package.json'))).toEqual([]);
    });
  });

  test('GIVEN no @pulumi/azure-native WHEN it loads THEN DRK030 says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/azure-native/package.json', () => {
        throw new Error("Cannot find module '@pulumi/azure-native/package.json'");
      });
      expect(() => require(INDEX)).toThrow(
        '[DRK030] drkit/pulumi/azure needs the Pulumi provider package @pulumi/azure-native (major version 3 or later), which is not installed: run `npm install @pulumi/azure-native@^3` in your Pulumi program');
    });
  });
});
