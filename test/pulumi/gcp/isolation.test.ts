/* eslint-disable @typescript-eslint/no-require-imports */
const INDEX = '../../../lib/pulumi/gcp';

/** Node-module files in the current (isolated) module registry, relative to node_modules. */
function loadedPackages(): string[] {
  return Object.keys(require.cache)
    .filter(f => f.includes('/node_modules/'))
    .map(f => f.slice(f.lastIndexOf('/node_modules/') + '/node_modules/'.length));
}

describe('drkit/pulumi/gcp module', () => {
  afterEach(() => jest.dontMock('@pulumi/gcp/package.json'));

  test('loading it loads the @pulumi/gcp services it uses and no other cloud\'s provider', () => {
    jest.isolateModules(() => {
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/'))).toEqual([]);
      const mod = require(INDEX);
      expect(typeof mod.CrossRegionReplicatedBucket).toBe('function');
      expect(typeof mod.LifecycleTiering).toBe('function');
      const loaded = loadedPackages();
      // Positive control: the registry view sees what the module loaded.
      expect(loaded).toEqual(expect.arrayContaining(['@pulumi/gcp/storage/index.js', '@pulumi/gcp/storage/bucket.js', '@pulumi/pulumi/index.js']));
      expect(loaded.filter(f => f.startsWith('@pulumi/aws/') || f.startsWith('@pulumi/azure-native/'))).toEqual([]);
      // Nor the CDK half of drkit.
      expect(loaded.filter(f => f.startsWith('aws-cdk-lib/') || f.startsWith('constructs/'))).toEqual([]);
      // Deep imports: not the provider's root index, which loads every service.
      expect(loaded).not.toContain('@pulumi/gcp/index.js');
    });
  });

  test('GIVEN @pulumi/gcp 7.38.0 WHEN it loads THEN one DRK030 line, before the provider is loaded', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/gcp/package.json', () => ({ name: '@pulumi/gcp', version: '7.38.0' }));
      let err: any;
      try {
        require(INDEX);
      } catch (e) {
        err = e;
      }
      expect(err?.code).toBe('DRK030');
      expect(err.message).toBe('[DRK030] drkit/pulumi/gcp needs @pulumi/gcp major version 8 or later, but found 7.38.0: run `npm install @pulumi/gcp@^8` in your Pulumi program');
      expect(loadedPackages().filter(f => f.startsWith('@pulumi/gcp/') && !f.endsWith('package.json'))).toEqual([]);
    });
  });

  test('GIVEN no @pulumi/gcp WHEN it loads THEN DRK030 says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/gcp/package.json', () => {
        throw new Error("Cannot find module '@pulumi/gcp/package.json'");
      });
      expect(() => require(INDEX)).toThrow(
        '[DRK030] drkit/pulumi/gcp needs the Pulumi provider package @pulumi/gcp (major version 8 or later), which is not installed: run `npm install @pulumi/gcp@^8` in your Pulumi program');
    });
  });
});
