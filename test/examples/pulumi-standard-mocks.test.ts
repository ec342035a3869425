/**
 * Every Pulumi example under the mocks exactly as Pulumi's unit-testing guide writes them
 * (`newResource` returns `{ id: args.inputs.name + '_id', state: args.inputs }`; `call` returns
 * `args.inputs`), and under preview mocks (`isPreview` true) whose computed outputs are unknown,
 * as they are during `pulumi preview` of a new stack. The programs must register their resources
 * without an error: drkit never parses a value that is absent (standard mocks) or unknown
 * (preview), it builds ARNs from parts or works inside `apply`.
 *
 * @see https://www.pulumi.com/docs/iac/guides/testing/unit/
 */
import * as path from 'path';
import type * as Pulumi from '@pulumi/pulumi';

const EXAMPLES = ['aws', 'gcp', 'azure'];

/** Outputs the engine computes for a new resource (unknown at preview when not given as inputs). */
const COMPUTED = [
  'id', 'arn', 'name', 'bucket', 'identifier', 'clusterIdentifier', 'keyId', 'endpoint', 'address', 'streamArn', 'tagsAll',
  'dashboardArn', 'selfLink', 'url', 'primaryEndpoints', 'connectionName', 'uid', 'etag',
];

interface Run {
  readonly registrations: Array<{ type: string; name: string }>;
  readonly errors: string[];
  readonly unknownOutputs: number;
  readonly exported: { [name: string]: unknown };
  /** Warnings the program logged (recorded, not printed). */
  readonly warnings: string[];
}

/** Loads one example in a fresh module registry under the given mocks and waits for every registration. */
async function runExample(cloud: string, preview: boolean): Promise<Run> {
  const registrations: Array<{ type: string; name: string }> = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const onRejection = (e: any) => errors.push(String(e?.message ?? e));
  process.on('unhandledRejection', onRejection);
  let unknownOutputs = 0;
  let exported: { [name: string]: unknown } = {};
  try {
    await jest.isolateModulesAsync(async () => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const pulumi = require('@pulumi/pulumi') as typeof Pulumi;
      const rpc = require('@pulumi/pulumi/runtime/rpc');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const standard: Pulumi.runtime.Mocks = {
        newResource: (args: Pulumi.runtime.MockResourceArgs): { id: string; state: any } => {
          registrations.push({ type: args.type, name: args.name });
          return { id: args.inputs.name + '_id', state: args.inputs };
        },
        call: (args: Pulumi.runtime.MockCallArgs) => args.inputs,
      };
      const unknown: Pulumi.runtime.Mocks = {
        newResource: (args: Pulumi.runtime.MockResourceArgs): { id: string; state: any } => {
          registrations.push({ type: args.type, name: args.name });
          const state: any = { ...args.inputs };
          for (const k of COMPUTED) if (state[k] === undefined) state[k] = rpc.unknownValue;
          return { id: undefined as any, state };
        },
        call: (args: Pulumi.runtime.MockCallArgs) => args.inputs,
      };
      void pulumi.runtime.setMocks(preview ? unknown : standard, 'project', 'stack', preview);
      pulumi.runtime.setConfig('project:dbPassword', 'not-a-real-password');
      const log = jest.spyOn(pulumi.log, 'error').mockImplementation(msg => {
        errors.push(String(msg)); return Promise.resolve();
      });
      jest.spyOn(pulumi.log, 'warn').mockImplementation(msg => {
        warnings.push(String(msg)); return Promise.resolve();
      });
      jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        exported = require(path.join(__dirname, '..', '..', 'examples', 'pulumi', cloud));
      } catch (e: any) {
        errors.push(String(e?.message ?? e));
      }
      // Every exported Output settles (known or, at preview, unknown) without an error.
      for (const value of Object.values(exported)) {
        if (pulumi.Output.isInstance(value)) {
          try {
            if (!(await (value as any).isKnown)) unknownOutputs++;
            await (value as any).promise();
          } catch (e: any) {
            errors.push(String(e?.message ?? e));
          }
        }
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await require('@pulumi/pulumi/runtime/settings').waitForRPCs().catch((e: any) => errors.push(String(e?.message ?? e)));
      await new Promise(r => setTimeout(r, 20));
      log.mockRestore();
    });
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return { registrations, errors, unknownOutputs, exported, warnings };
}

/** The warnings of each example under the standard mocks, to compare with its preview run. */
const standardWarnings = new Map<string, string[]>();

describe.each(EXAMPLES)('examples/pulumi/%s', cloud => {
  test('GIVEN Pulumi\'s documented standard mocks WHEN the program runs THEN every resource registers and nothing throws', async () => {
    const run = await runExample(cloud, false);
    expect(run.errors).toEqual([]);
    // Recorded, not printed: drkit's own advisories only (no warning of Pulumi's about the program).
    expect(run.warnings.filter(w => !w.startsWith('drkit: '))).toEqual([]);
    standardWarnings.set(cloud, run.warnings);
    expect(run.registrations.length).toBeGreaterThan(0);
    expect(run.registrations.some(r => r.type.startsWith('drkit:'))).toBe(true);
  }, 120_000);

  test('GIVEN preview mocks whose computed outputs are unknown WHEN the program runs THEN every resource registers and nothing throws', async () => {
    const run = await runExample(cloud, true);
    expect(run.errors).toEqual([]);
    // Unknown outputs change no advice: the same warnings as under the standard mocks.
    if (standardWarnings.has(cloud)) expect([...run.warnings].sort()).toEqual([...standardWarnings.get(cloud)!].sort());
    expect(run.registrations.length).toBeGreaterThan(0);
    if (cloud === 'aws') {
      // The outputs really were unknown (the table's ARN, for one), and drkit parsed none of them.
      expect(run.unknownOutputs).toBeGreaterThan(0);
    }
  }, 120_000);
});
