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

/**
 * CloudFormation's per-stack quotas (resources, template bytes), checked on a synthesized
 * template. drkit adds a few resources per stack and one or two per protected resource: an
 * app that protects hundreds of resources in one stack can cross them.
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
   */
  public static check(stackName: string, template: any, templateBytes?: number): StackLimitFinding[] {
    const out: StackLimitFinding[] = [];
    const resources = Object.keys(template?.Resources ?? {}).length;
    const bytes = templateBytes ?? Buffer.byteLength(JSON.stringify(template ?? {}), 'utf8');
    const split = 'split the protected resources over several stacks (one DynamoContinuousBackup / backup plan per stack is shared by every resource of that stack with the same objective)';
    const one = (count: number, max: number, what: string) => {
      if (count > max) {
        out.push({
          stackName,
          severity: 'error',
          message: `stack ${stackName} has ${count} ${what}, over CloudFormation's quota of ${max} per stack (${Facts.CFN_QUOTAS_SOURCE}): deployment will fail; ${split}`,
        });
      } else if (count >= Math.floor(max * StackLimits.WARNING_FRACTION)) {
        out.push({
          stackName,
          severity: 'warning',
          message: `stack ${stackName} has ${count} ${what}, ${Math.round((100 * count) / max)}% of CloudFormation's quota of ${max} per stack (${Facts.CFN_QUOTAS_SOURCE}); ${split} before it grows further`,
        });
      }
    };
    one(resources, StackLimits.MAX_RESOURCES, 'resources');
    one(bytes, StackLimits.MAX_TEMPLATE_BYTES, 'template bytes');
    return out;
  }

  private constructor() {}
}
