/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from '@pulumi/pulumi';
import { record, stackExport } from '../fixtures/pulumi/record';
import { resourceArgs, stackArgs, stateOf, Violations } from '../pulumi/policy/harness';

/**
 * examples/pulumi/policy, the policy pack folder the README runs with
 * `pulumi preview --policy-pack`: loaded as Pulumi loads it (its PolicyPack captured instead of
 * serving the engine), and its policies run on examples/pulumi/aws under mocks, with the
 * arguments the engine passes.
 */

const packs: Array<{ name: string; args: any }> = [];
jest.mock('@pulumi/policy', () => ({
  ...jest.requireActual('@pulumi/policy'),
  PolicyPack: class {
    constructor(name: string, args: any) {
      packs.push({ name, args });
    }
  },
}));

describe('examples/pulumi/policy', () => {
  test('builds one mandatory pack of drkit\'s five policies with the sync-service objective', () => {
    const example = require('../../examples/pulumi/policy');
    expect(packs.map(p => p.name)).toEqual(['drkit-dr']);
    expect(packs[0].args.enforcementLevel).toBe('mandatory');
    expect(packs[0].args.policies.map((p: any) => p.name)).toEqual(['stateful-resource-protected', 'global-table-replica-pitr', 'vault-lock-for-immutability', 'replication-time-control', 'report-gaps']);
    expect(example.objective.toJson()).toMatchObject({ name: 'sync-service', rpoSeconds: 1800, rtoSeconds: 3600, immutability: 'governance' });
  });

  test('run on examples/pulumi/aws: the drkit-protected data passes; the two access-log buckets are reported until tagged drkit:excluded', async () => {
    // The program's advisories are recorded, not printed (examples/pulumi-aws.test.ts asserts them); nothing else is expected.
    const warnings: string[] = [];
    jest.spyOn(pulumi.log, 'warn').mockImplementation(msg => {
      warnings.push(String(msg)); return Promise.resolve();
    });
    jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
    const options = {
      project: 'drkit-example-aws',
      stack: 'prod',
      region: 'us-east-1',
      account: '111122223333',
      config: { 'drkit-example-aws:dbPassword': 'not-a-real-password' },
    };
    const doc = stackExport(await record(() => require('../../examples/pulumi/aws'), options), options);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.filter(w => !w.startsWith('drkit: '))).toEqual([]);
    const run = async (d: any) => {
      const found: Array<[string, string | undefined]> = [];
      for (const policy of packs[0].args.policies) {
        const v = new Violations();
        if (policy.validateStack) await policy.validateStack(stackArgs(d), v.report);
        for (const r of stateOf(d).filter((x: any) => x.custom && x.type.startsWith('aws:'))) {
          if (policy.validateResource) await policy.validateResource(resourceArgs(d, r.urn.split('::').pop()), v.report);
        }
        found.push(...v.list.map(([, u]) => [policy.name, u] as [string, string | undefined]));
      }
      return found;
    };
    const logs = ['sync-access-logs', 'sync-replica-access-logs'].map(n => `urn:pulumi:prod::drkit-example-aws::aws:s3/bucket:Bucket::${n}`);
    expect(await run(doc)).toEqual(['stateful-resource-protected', 'vault-lock-for-immutability', 'report-gaps'].flatMap(p => logs.map(u => [p, u])));
    // The README's fix: tag them drkit:excluded with the reason.
    for (const r of stateOf(doc).filter((x: any) => logs.includes(x.urn))) {
      r.outputs.tags = { ...(r.outputs.tags ?? {}), 'drkit:excluded': 'server access logs: not restored after a disaster' };
    }
    expect(await run(doc)).toEqual([]);
  });
});
