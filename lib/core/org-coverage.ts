/**
 * What organization mode writes on a resource that an AWS Organizations backup policy backs up
 * (CDK `OrganizationProtection`), and what the report reads.
 */

/** The tag key of the objective's name, which the policy's tag selection matches. */
export const ORG_POLICY_TAG_KEY = 'drkit:objective';

/** The metadata key saying the resource is covered by an organization backup policy. */
export const ORG_POLICY_METADATA = 'drkit:covered-by';

/** The `drkit:covered-by` metadata. */
export interface OrgCoverageMetadata {
  /** Always `organization-policy`. */
  readonly coveredBy: string;
  /** The key of the tag the policy selects on. */
  readonly tagKey: string;
  /** Its value (the objective's name). */
  readonly tagValue: string;
  /**
   * The policy's name.
   * @default - not named
   */
  readonly policyName?: string;
}
