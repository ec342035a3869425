// What the drkit/pulumi/aws components share within one program: the AWS Backup foundation of
// an objective, the S3 replication role, the alarm topic and the bucket keys of a region. CDK
// shares them per stack (one construct found by id); a Pulumi program has no stack scope, so
// drkit keeps them per program run and per AWS provider, under names derived from what they
// serve (never from the order of registration), so a second run of the program gives the
// same URNs.
import * as crypto from 'crypto';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import { getPartitionOutput } from '@pulumi/aws/getPartition';
import * as pulumi from '@pulumi/pulumi';

/** One program run's shared resources: keyed by the engine connection (each `setMocks` in a test is a new one). */
const RUNS = new WeakMap<object, Map<string, unknown>>();
const NO_MONITOR = {};

/**
 * The shared object under `key` in this program run, created on first use.
 * @internal
 */
export function sharedInRun<T>(key: string, create: () => T): T {
  const monitor = (pulumi.runtime.getMonitor() as object | undefined) ?? NO_MONITOR;
  let items = RUNS.get(monitor);
  if (!items) {
    items = new Map();
    RUNS.set(monitor, items);
  }
  if (!items.has(key)) items.set(key, create());
  return items.get(key) as T;
}

/**
 * The AWS provider a component's children use: `provider` or `providers` of its options, else
 * its parent's. Read before the component registers, so that a refusal registers nothing.
 * @internal
 */
export function awsProviderOf(opts?: pulumi.ResourceOptions): pulumi.ProviderResource | undefined {
  if (!opts) return undefined;
  const pkg = (p: any): string | undefined => (typeof p?.getPackage === 'function' ? p.getPackage() : undefined);
  const o = opts as pulumi.ComponentResourceOptions & pulumi.CustomResourceOptions;
  if (o.provider && pkg(o.provider) === 'aws') return o.provider;
  const providers = o.providers;
  if (Array.isArray(providers)) {
    const found = providers.find(p => pkg(p) === 'aws');
    if (found) return found;
  } else if (providers && providers.aws) {
    return providers.aws;
  }
  return o.parent ? o.parent.getProvider('aws::') : undefined;
}

/**
 * A short, stable key of a provider: '' for the default provider, else its resource name
 * (unique in a program).
 * @internal
 */
export function providerKey(provider?: pulumi.ProviderResource): string {
  if (!provider) return '';
  const name = (provider as any).__name;
  return typeof name === 'string' && name.length > 0 ? name : 'provider';
}

/**
 * A resource name made of `parts` (letters, digits and '-'), stable across runs, at most `max`
 * characters (a hash of the whole keeps longer names unique).
 * @internal
 */
export function sharedName(parts: Array<string | undefined>, max = 100): string {
  const full = parts.filter((p): p is string => p !== undefined && p !== '')
    .map(p => p.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(p => p.length > 0)
    .join('-');
  if (full.length <= max) return full;
  const hash = crypto.createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, max - 9)}-${hash}`;
}

/** The account and partition the provider deploys to (one invoke each per provider and run). */
export interface AwsIdentity {
  /** The account id. */
  readonly accountId: pulumi.Output<string>;
  /** The partition: `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: pulumi.Output<string>;
  /** The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`), for service names such as `s3.<region>.<suffix>`. */
  readonly dnsSuffix: pulumi.Output<string>;
}

/**
 * Account and partition from `aws.getCallerIdentity` and `aws.getPartition`, so that ARNs are
 * built from parts instead of parsed from outputs that may be unknown (preview) or absent
 * (unit-test mocks).
 * @internal
 */
export function awsIdentity(provider?: pulumi.ProviderResource): AwsIdentity {
  return sharedInRun(`identity|${providerKey(provider)}`, () => {
    const invokeOpts = provider ? { provider } : {};
    const partition = getPartitionOutput({}, invokeOpts);
    return {
      accountId: getCallerIdentityOutput({}, invokeOpts).apply(id => String(id?.accountId ?? '')),
      partition: partition.apply(p => String(p?.partition ?? 'aws')),
      dnsSuffix: partition.apply(p => String(p?.dnsSuffix ?? 'amazonaws.com')),
    };
  });
}

/** The `provider` option of a shared resource (none for the default provider). @internal */
export function providerOpts(provider?: pulumi.ProviderResource): { provider?: pulumi.ProviderResource } {
  return provider ? { provider } : {};
}

/**
 * The region resources land in when none is given: the default provider's `aws:region`
 * configuration, read synchronously (undefined for an explicit provider, whose region is not
 * known before it registers). Components that omit `region` and components that give the
 * configured one then share one foundation.
 * @internal
 */
export function defaultRegion(provider?: pulumi.ProviderResource): string | undefined {
  if (provider) return undefined;
  try {
    return new pulumi.Config('aws').get('region') ?? undefined;
  } catch {
    return undefined;
  }
}
