import { Facts } from '../../core/catalog';

/** A stack that crosses, or comes close to, a CloudFormation quota. */
export interface StackLimitFinding {
  /** The stack. */
  readonly stackName: string;
  /** `error` when the quota is crossed (deployment would fail), `warning` when close to it. */
  readonly severity: string;
  /** The quota, the count and the fix. */
  readonly message: string;
}

/** What one drkit construct (or drkit's shared resources) puts in one stack, for the quota messages. */
export interface StackContribution {
  /**
   * The drkit construct (`drkit:construct` metadata of its resources: `CrossRegionReplicatedBucket`,
   * `CrossRegionReplicatedBucket.Replica`, `DynamoContinuousBackup`...), or the construct id of a
   * resource drkit shares per stack (`DrkitBackup<objective>`, `DrkitS3ReplicationRole`...).
   */
  readonly construct: string;
  /** True for resources drkit creates once per stack (or per stack and objective) and shares among the stack's items; a shared role's policy still grows with each item. */
  readonly shared: boolean;
  /** Protected items (construct instances); 1 for a shared group. */
  readonly items: number;
  /** Resources in all. */
  readonly resources: number;
  /** Template bytes in all (each resource's share of the template as written). */
  readonly bytes: number;
}

/**
 * CloudFormation's per-stack quotas (resources, template bytes), checked on a synthesized
 * template. drkit adds a few resources per stack and one or two per protected resource: an
 * app that protects hundreds of resources in one stack can cross them. The messages say what
 * each drkit construct puts in the stack (resources and bytes, per item and shared) and how to
 * split it (docs/scale.md).
 */
export class StackLimits {
  /** Resources one stack may declare (CloudFormation quota). */
  public static readonly MAX_RESOURCES = Facts.CFN_MAX_RESOURCES_PER_STACK;
  /** Bytes of one template body read from S3 (CloudFormation quota, 1 MB taken as 1,000,000 bytes). */
  public static readonly MAX_TEMPLATE_BYTES = Facts.CFN_MAX_TEMPLATE_BYTES;
  /** Share of a quota from which a warning is given. */
  public static readonly WARNING_FRACTION = 0.8;

  /**
   * Findings for one template.
   * @param stackName the stack's name, named in the messages
   * @param template the synthesized template
   * @param templateBytes the template's size in bytes as written to the cloud assembly (default: compact JSON length)
   * @param constructPaths construct path of each resource by logical ID, to group resources by the construct that made them
   * (default: the `aws:cdk:path` metadata of the resources, which the cdk CLI writes; without either, only the resources
   * that carry `drkit:construct` metadata are attributed)
   */
  public static check(stackName: string, template: any, templateBytes?: number,
    constructPaths?: { [logicalId: string]: string }): StackLimitFinding[] {
    const out: StackLimitFinding[] = [];
    const resources = Object.keys(template?.Resources ?? {}).length;
    const bytes = templateBytes ?? Buffer.byteLength(JSON.stringify(template ?? {}), 'utf8');
    let explained: string | undefined;
    const explain = () => explained ??= StackLimits.explain(StackLimits.contributions(template, templateBytes, constructPaths), resources, bytes);
    const one = (count: number, max: number, what: string, more = '') => {
      if (count > max) {
        out.push({
          stackName,
          severity: 'error',
          message: `stack ${stackName} has ${count} ${what}, over CloudFormation's quota of ${max} per stack (${Facts.CFN_QUOTAS_SOURCE}): deployment will fail. ${explain()}${more}`,
        });
      } else if (count >= Math.floor(max * StackLimits.WARNING_FRACTION)) {
        out.push({
          stackName,
          severity: 'warning',
          message: `stack ${stackName} has ${count} ${what}, ${Math.round((100 * count) / max)}% of CloudFormation's quota of ${max} per stack (${Facts.CFN_QUOTAS_SOURCE}). ${explain()}${more}`,
        });
      }
    };
    one(resources, StackLimits.MAX_RESOURCES, 'resources');
    // CDK indents templates by default: often a third or more of the bytes.
    const compact = Buffer.byteLength(JSON.stringify(template ?? {}), 'utf8');
    const unindented = compact < bytes * 0.9
      ? ` Without indentation (the stack's \`suppressTemplateIndentation\`, or the context \`@aws-cdk/core:suppressTemplateIndentation\`) the template is ${compact} bytes`
        + `${compact <= StackLimits.MAX_TEMPLATE_BYTES ? ', within the quota' : ''}.`
      : '';
    one(bytes, StackLimits.MAX_TEMPLATE_BYTES, 'template bytes', unindented);
    return out;
  }

  /**
   * What each drkit construct puts in one template: resources are grouped by the top-level
   * construct that holds them (the first part of their construct path under the stack); a group
   * is an item of the drkit construct named by the `drkit:construct` metadata of a resource in it,
   * shared when its id starts with `Drkit` (drkit's per-stack resources), and not drkit's otherwise
   * (left out of the list). Largest first.
   * @param template the synthesized template
   * @param templateBytes the template's size as written (default: its JSON with one-space indentation, as CDK writes it)
   * @param constructPaths construct path of each resource by logical ID (default: `aws:cdk:path` metadata)
   */
  public static contributions(template: any, templateBytes?: number, constructPaths?: { [logicalId: string]: string }): StackContribution[] {
    const resources: { [id: string]: any } = template?.Resources ?? {};
    const pretty = Buffer.byteLength(JSON.stringify(template ?? {}, undefined, 1), 'utf8');
    const scale = templateBytes !== undefined && pretty > 0 ? templateBytes / pretty : 1;
    // group: top-level construct id (or the logical id when no path is known)
    const groups = new Map<string, { ids: string[]; constructs: Set<string> }>();
    for (const id of Object.keys(resources).sort()) {
      const r = resources[id] ?? {};
      const p = constructPaths?.[id] ?? (typeof r.Metadata?.['aws:cdk:path'] === 'string' ? r.Metadata['aws:cdk:path'] : undefined);
      const key = p !== undefined ? p.split('/').slice(1, 2)[0] ?? id : `\u0000${id}`;
      const g = groups.get(key) ?? { ids: [], constructs: new Set<string>() };
      g.ids.push(id);
      const d = r.Metadata?.['drkit:construct'];
      if (typeof d === 'string') g.constructs.add(d);
      groups.set(key, g);
    }
    const byConstruct = new Map<string, { shared: boolean; items: number; resources: number; bytes: number }>();
    for (const [key, g] of groups) {
      const shared = !key.startsWith('\u0000') && key.startsWith('Drkit');
      if (!shared && g.constructs.size === 0) continue;
      const name = shared ? key : [...g.constructs].sort().join(' + ');
      const size = g.ids.reduce((n, id) => n + Buffer.byteLength(JSON.stringify({ Resources: { [id]: resources[id] } }, undefined, 1), 'utf8')
        - Buffer.byteLength(JSON.stringify({ Resources: {} }, undefined, 1), 'utf8'), 0);
      const c = byConstruct.get(name) ?? { shared, items: 0, resources: 0, bytes: 0 };
      c.items += 1;
      c.resources += g.ids.length;
      c.bytes += size * scale;
      byConstruct.set(name, c);
    }
    return [...byConstruct.entries()]
      .map(([construct, c]) => ({ construct, shared: c.shared, items: c.items, resources: c.resources, bytes: Math.round(c.bytes) }))
      .sort((a, b) => (b.bytes - a.bytes) || (a.construct < b.construct ? -1 : a.construct > b.construct ? 1 : 0));
  }

  /** The sentences that follow a quota finding: what drkit puts in the stack, and how to split it. */
  private static explain(list: StackContribution[], resources: number, bytes: number): string {
    const kb = (b: number) => `${(b / 1000).toFixed(1)} KB`;
    const each = (n: number, items: number) => (Number.isInteger(n / items) ? String(n / items) : (n / items).toFixed(1));
    const perItem = list.filter(c => !c.shared).map(c =>
      `${c.construct} x${c.items}: ${each(c.resources, c.items)} resource${c.resources === c.items ? '' : 's'}, ${kb(c.bytes / c.items)} each`
      + ` (${c.resources} resource${c.resources === 1 ? '' : 's'}, ${kb(c.bytes)} in all)`);
    const shared = list.filter(c => c.shared);
    const sharedText = shared.length
      ? `shared by the stack's items (once per stack, or per stack and objective; a shared role's policy grows with each item): ${shared.map(c => `${c.construct}: ${c.resources} resource${c.resources === 1 ? '' : 's'}, ${kb(c.bytes)}`).join('; ')}`
      : undefined;
    const drkitResources = list.reduce((n, c) => n + c.resources, 0);
    const drkitBytes = list.reduce((n, c) => n + c.bytes, 0);
    const parts = [...perItem, ...(sharedText ? [sharedText] : [])];
    const what = parts.length
      ? `What drkit puts in it: ${parts.join('; ')}; other resources: ${resources - drkitResources}, ${kb(Math.max(0, bytes - drkitBytes))}.`
      : 'No resource of it carries drkit metadata (drkit:construct).';
    return `${what} To split: move some of the protected resources (and their drkit constructs) to another stack, `
      + 'and give each stack a ProtectedScope (or the constructs) with the same objective: the per-item figures move with the items, '
      + 'each stack gets its own shared resources, and `drkit report cdk.out` reports every stack of the app (docs/scale.md).';
  }

  private constructor() {}
}
