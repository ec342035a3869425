// @pulumi/policy is a devDependency of drkit (jsii accepts no other kind); a user's policy pack
// provides it, and index.ts checks its version when the module loads.
import { PolicyResource, ResourceValidationArgs, Secret } from '@pulumi/policy';
import { PulumiResource } from '../../core/evaluate/pulumi';

/** The policy SDK's accessor of the object behind its unknown-checking and secret proxies. */
const PROXY_TARGET = '__getSpecialProxyTarget';

/**
 * A policy argument's value as plain JSON. The policy SDK wraps `props` in proxies that throw
 * when a value unknown during preview is read (and keep secrets in `Secret` boxes); drkit reads
 * the objects behind them, so that an unknown value is seen as unknown (the engine's sentinel
 * string) instead of aborting the whole policy.
 */
export function plainValue(v: any): any {
  let x = v;
  for (let i = 0; i < 8 && x !== null && typeof x === 'object'; i++) {
    const target = x[PROXY_TARGET];
    if (target === undefined || target === x) break;
    x = target;
  }
  if (x instanceof Secret) return plainValue(x.value);
  if (Array.isArray(x)) return x.map(plainValue);
  if (x !== null && typeof x === 'object') {
    const out: any = {};
    for (const k of Object.keys(x)) out[k] = plainValue(x[k]);
    return out;
  }
  return x;
}

/** A provider, as the policy SDK describes a resource's provider, as a provider resource of the state. */
function providerResource(p: { type: string; urn: string; props: any }): PulumiResource {
  return { urn: p.urn, type: p.type, custom: true, inputs: plainValue(p.props), outputs: plainValue(p.props) };
}

/** A provider reference (`<urn>::<id>`) for a resource's provider; the id is not given to policies. */
function providerRef(p: { urn: string } | undefined): string | undefined {
  return p ? `${p.urn}::policy` : undefined;
}

/** The one resource a resource policy validates (its inputs), with its provider, as resources of the state. */
export function fromResourceArgs(args: ResourceValidationArgs): PulumiResource[] {
  const props = plainValue(args.props);
  const out: PulumiResource[] = [{
    urn: args.urn,
    type: args.type,
    inputs: props,
    outputs: {},
    parent: args.opts?.parent,
    provider: providerRef(args.provider),
    protect: args.opts?.protect === true,
  }];
  if (args.provider) out.push(providerResource(args.provider));
  return out;
}

/** The resources a stack policy validates (their state), with their providers, as resources of the state. */
export function fromStackResources(resources: PolicyResource[]): PulumiResource[] {
  const out = new Map<string, PulumiResource>();
  for (const r of resources) {
    const props = plainValue(r.props);
    const propertyDependencies: { [k: string]: string[] } = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[k] = (deps ?? []).map(d => d.urn);
    out.set(r.urn, {
      urn: r.urn,
      type: r.type,
      custom: r.type.startsWith('drkit:') || r.type === 'pulumi:pulumi:Stack' ? false : undefined,
      inputs: props,
      outputs: props,
      parent: r.parent?.urn ?? r.opts?.parent,
      provider: providerRef(r.provider),
      protect: r.opts?.protect === true,
      propertyDependencies,
    });
  }
  // Providers the stack's resources name, when the engine does not list them as resources.
  for (const r of resources) if (r.provider && !out.has(r.provider.urn)) out.set(r.provider.urn, providerResource(r.provider));
  return [...out.values()];
}
