import { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from '@pulumi/policy';
// The policy SDK's own proxy: reading a value unknown during preview through it throws, as in `pulumi preview`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require('@pulumi/policy/proxy');

/**
 * Policy arguments shaped as the Pulumi engine passes them to a policy pack (see
 * @pulumi/policy's server.js: `makeAnalyzeRpcFun` and `makeAnalyzeStackRpcFun`), built from the
 * ResourceV3 records of a stack export or a preview (test/fixtures/pulumi/record.ts).
 */

/** The ResourceV3 records of a stack export or a preview document. */
export function stateOf(doc: any): any[] {
  return doc.deployment ? doc.deployment.resources : doc.steps.map((s: any) => s.newState);
}

function providerOf(r: any, all: any[], props: 'inputs' | 'outputs'): any {
  if (!r.provider) return undefined;
  const urn = r.provider.slice(0, r.provider.lastIndexOf('::'));
  const p = all.find(x => x.urn === urn);
  return p ? { type: p.type, urn: p.urn, name: p.urn.split('::').pop(), props: unknownCheckingProxy(p[props] ?? {}) } : undefined;
}

function options(r: any): any {
  return {
    protect: r.protect === true,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason}`);
};

/** The arguments of a resource policy for the resource named `name` (its inputs). */
export function resourceArgs(doc: any, name: string): ResourceValidationArgs {
  const all = stateOf(doc);
  const r = all.find((x: any) => x.urn.endsWith(`::${name}`) && x.custom);
  if (!r) throw new Error(`no custom resource ${name}`);
  const props = unknownCheckingProxy(r.inputs ?? {});
  return {
    type: r.type,
    props,
    urn: r.urn,
    name,
    opts: options(r),
    provider: providerOf(r, all, 'inputs'),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({}) as any,
    notApplicable,
  } as ResourceValidationArgs;
}

/** The arguments of a stack policy: every resource of the stack with its state (outputs). */
export function stackArgs(doc: any): StackValidationArgs {
  const all = stateOf(doc);
  const resources: PolicyResource[] = all.map((r: any) => ({
    type: r.type,
    props: unknownCheckingProxy(r.outputs ?? {}),
    urn: r.urn,
    name: r.urn.split('::').pop(),
    opts: options(r),
    provider: providerOf(r, all, 'outputs'),
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }) as any);
  const byUrn = new Map(resources.map(r => [r.urn, r]));
  all.forEach((r: any, i: number) => {
    const p = resources[i] as any;
    if (r.parent && byUrn.has(r.parent)) p.parent = byUrn.get(r.parent);
    p.dependencies = (r.dependencies ?? []).map((u: string) => byUrn.get(u)).filter((x: any) => x);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      p.propertyDependencies[k] = (urns as string[]).map(u => byUrn.get(u)).filter(x => x);
    }
  });
  return { resources, stackTags: new Map(), getConfig: () => ({}) as any, notApplicable };
}

/** The violations a policy reports: `[message, urn]`. */
export class Violations {
  public readonly list: Array<[string, string | undefined]> = [];
  public readonly report: ReportViolation = (message: string, urn?: string) => {
    this.list.push([message, urn]);
  };
}
