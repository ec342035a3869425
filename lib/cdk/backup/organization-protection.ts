import { CfnResource, TagManager, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, RecoveryObjective } from '../../core/objective';
import { ORG_POLICY_TAG_KEY, ORG_POLICY_METADATA, OrgCoverageMetadata } from '../../core/org-coverage';

/** Options of `OrganizationProtection.apply`. */
export interface OrganizationProtectionOptions {
  /**
   * Name of the AWS Organizations backup policy that selects the resources (for people: it is
   * written to the resources' `drkit:covered-by` metadata and shown by the report).
   * @default - not named
   */
  readonly policyName?: string;
}

/**
 * Organization mode: resources under a scope are backed up by an AWS Organizations backup
 * policy (for example drkit's `OrganizationBackupPolicy`, deployed from the management account),
 * not by a vault and plan of their own stack.
 *
 * Under such a scope, `DynamoContinuousBackup`, `RdsPitrPolicy`, `CrossRegionReplicatedBucket`
 * and `ProtectedScope` still set what lives on the resource (point-in-time recovery, deletion
 * protection, RETAIN, versioning, automated-backup retention and replication, S3 replication),
 * tag the resource `drkit:objective` = the objective's name (what the policy's tag selection
 * matches), and write `drkit:covered-by` metadata so that the report knows the policy covers it;
 * they create no vault, backup plan, selection, restore testing, audit framework, notifications
 * or dashboard (`ObjectiveBackup`).
 *
 * What the policy alone must provide (copies to another region or account, retention past the
 * point-in-time window) is not refused at synthesis: the policy is not part of the app. Check it
 * with `drkit report <cdk.out> --org-policy <policy>`, which assesses the resources against the
 * policy's rules.
 *
 * Turn it on for a stack (or any scope) before adding constructs to it, or for the whole app
 * with the context key `drkit:coveredBy` = `organization-policy` (in cdk.json or
 * `new App({ context })`).
 */
export class OrganizationProtection {
  /** The context key that turns organization mode on for a scope and everything under it. */
  public static readonly CONTEXT_KEY = 'drkit:coveredBy';
  /** The context value of organization mode. */
  public static readonly ORGANIZATION_POLICY = 'organization-policy';
  /** The context key of the policy's name (optional). */
  public static readonly POLICY_NAME_CONTEXT_KEY = 'drkit:organizationPolicyName';
  /** The tag key the resources carry (the value is the objective's name), for the policy's `selections.tags`. */
  public static readonly TAG_KEY = ORG_POLICY_TAG_KEY;

  /**
   * Turns organization mode on for `scope` and everything under it. Call it before adding
   * children to `scope` (CDK sets context only then): right after creating the stack.
   */
  public static apply(scope: IConstruct, options: OrganizationProtectionOptions = {}): void {
    if (options.policyName !== undefined && (Token.isUnresolved(options.policyName) || options.policyName.trim() === '')) {
      throw new DrkitError(DrkitErrorCode.ORGANIZATION_MODE,
        `\`policyName\` of OrganizationProtection on ${scope.node.path || 'the app'} must be a concrete, non-empty name, but got ${Token.isUnresolved(options.policyName) ? 'an unresolved token' : JSON.stringify(options.policyName)}`);
    }
    if (scope.node.children.length > 0) {
      throw new DrkitError(DrkitErrorCode.ORGANIZATION_MODE,
        `OrganizationProtection.apply on ${scope.node.path || 'the app'} comes after ${scope.node.children.length} construct(s) were added to it (${scope.node.children.slice(0, 3).map(c => c.node.id).join(', ')}): constructs read the mode when they are created, so call it right after creating the scope, or set the context key ${OrganizationProtection.CONTEXT_KEY} = ${OrganizationProtection.ORGANIZATION_POLICY} for the whole app`);
    }
    scope.node.setContext(OrganizationProtection.CONTEXT_KEY, OrganizationProtection.ORGANIZATION_POLICY);
    if (options.policyName !== undefined) scope.node.setContext(OrganizationProtection.POLICY_NAME_CONTEXT_KEY, options.policyName);
  }

  /** Whether resources under `scope` are backed up by an organization backup policy (organization mode). */
  public static isCovered(scope: IConstruct): boolean {
    const v = scope.node.tryGetContext(OrganizationProtection.CONTEXT_KEY);
    if (v === undefined || v === null || v === 'stack') return false;
    if (v === OrganizationProtection.ORGANIZATION_POLICY) return true;
    throw new DrkitError(DrkitErrorCode.ORGANIZATION_MODE,
      `context ${OrganizationProtection.CONTEXT_KEY} is ${JSON.stringify(v)} at ${scope.node.path || 'the app'}: the only values are "${OrganizationProtection.ORGANIZATION_POLICY}" (backed up by an AWS Organizations backup policy) and "stack" (the default: drkit's own vault and plan)`);
  }

  /**
   * Marks a protected resource as covered by the organization policy: the `drkit:objective` tag
   * (objective name) and `drkit:covered-by` metadata.
   *
   * @internal
   */
  public static _markCovered(resource: CfnResource, objective: RecoveryObjective, construct: string): void {
    const name = objective.name;
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u.test(name)) {
      throw new DrkitError(DrkitErrorCode.ORGANIZATION_MODE,
        `objective name ${JSON.stringify(name)} cannot be the value of tag ${ORG_POLICY_TAG_KEY} on ${resource.node.path} (${construct}, organization mode): a tag value has at most 256 letters, digits, spaces and _ . : / = + - @ (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html); give the objective a \`name\` such as "gold"`);
    }
    if (TagManager.isTaggable(resource)) {
      resource.tags.setTag(ORG_POLICY_TAG_KEY, name, 100);
    } else if (TagManager.isTaggableV2(resource)) {
      resource.cdkTagManager.setTag(ORG_POLICY_TAG_KEY, name, 100);
    }
    const meta: OrgCoverageMetadata = {
      coveredBy: 'organization-policy',
      tagKey: ORG_POLICY_TAG_KEY,
      tagValue: name,
      ...(policyName(resource) !== undefined ? { policyName: policyName(resource) } : {}),
    };
    resource.addMetadata(ORG_POLICY_METADATA, meta);
  }

  private constructor() {}
}

function policyName(scope: IConstruct): string | undefined {
  const v = scope.node.tryGetContext(OrganizationProtection.POLICY_NAME_CONTEXT_KEY);
  return typeof v === 'string' ? v : undefined;
}

/**
 * The part of an objective a resource meets by itself in organization mode: the policy's copies
 * carry account compromise, and region outage unless the construct replicates to `secondaryRegion`
 * itself (`keepRegion`). Undefined when nothing is left (the resource then gets only deletion
 * protection and its tag).
 */
export function localObjective(objective: RecoveryObjective, keepRegion: boolean): RecoveryObjective | undefined {
  const json = objective.toJson();
  const keep = (d: string) => d === Disruption.DATA_CORRUPTION || d === Disruption.AZ_OUTAGE || (keepRegion && d === Disruption.REGION_OUTAGE);
  const disruptions = (json.disruptions as any[]).filter(d => keep(d.disruption));
  if (disruptions.length === 0) return undefined;
  return RecoveryObjective.fromJson({ ...json, disruptions });
}
