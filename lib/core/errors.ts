/**
 * Stable error codes. A code never changes meaning once released: tests, pipelines and
 * users match on it. Messages may be improved; codes may not be reused.
 */
export enum DrkitErrorCode {
  /** A duration could not be parsed or is out of range. */
  INVALID_DURATION = 'DRK001',
  /** A recovery objective is internally inconsistent (for example RPO <= 0). */
  INVALID_OBJECTIVE = 'DRK002',
  /** A retention schedule is invalid (negative counts, window out of range). */
  INVALID_RETENTION = 'DRK003',
  /**
   * A duration or count is an unresolved token (a value known only at deployment, such as a
   * CloudFormation parameter): drkit plans and checks objectives at synth, with concrete values.
   */
  UNRESOLVED_VALUE = 'DRK004',
  /**
   * A construct protects against region outage in a stack without a concrete region (an
   * environment-agnostic stack): the copies, replicas and the report need the primary region.
   */
  REGION_REQUIRED = 'DRK015',
  /** The objective asks for an RPO below the documented floor of every mechanism that covers the disruption. */
  RPO_UNACHIEVABLE = 'DRK010',
  /** The objective asks for an RTO below what the mechanisms can give. */
  RTO_UNACHIEVABLE = 'DRK011',
  /** A disruption is not covered by any mechanism available for the resource. */
  DISRUPTION_NOT_COVERED = 'DRK012',
  /** The requested backup interval cannot meet the RPO. */
  SCHEDULE_EXCEEDS_RPO = 'DRK013',
  /** The retention asked for cannot be met by the mechanism (for example PITR over 35 days). */
  RETENTION_UNACHIEVABLE = 'DRK014',
  /** A construct prop is invalid. */
  INVALID_PROPS = 'DRK020',
  /** A resource given to a construct is not of a supported kind. */
  UNSUPPORTED_RESOURCE = 'DRK021',
  /** A region was missing, unresolved where it must be concrete, or equal to the primary. */
  INVALID_REGION = 'DRK022',
  /** A Pulumi provider package is missing or too old. */
  PROVIDER_MISSING = 'DRK030',
  /** Input to the report command is not usable. */
  REPORT_INPUT = 'DRK040',
  /** Resources in scope are left unprotected against the objective. */
  UNPROTECTED_RESOURCES = 'DRK050',
  /** A lifecycle or storage-tiering rule breaks a documented rule. */
  INVALID_LIFECYCLE = 'DRK060',
  /** A lifecycle transition moves objects before the current class's documented minimum (storage duration, or 30 days before an IA class). */
  LIFECYCLE_MIN_STORAGE_DURATION = 'DRK061',
  /** A lifecycle expiration deletes objects or versions sooner than the objective's retention. */
  LIFECYCLE_RETENTION_TOO_SHORT = 'DRK062',
  /** The objective cannot be expressed as a runtime check: an AWS Backup Audit Manager control or restore-testing parameter derived from it is outside its documented range. */
  EVIDENCE_UNEXPRESSIBLE = 'DRK070',
  /**
   * Organization mode (`OrganizationProtection`) is turned on too late (after constructs were
   * added to the scope), with a bad context value, or for an objective whose name cannot be a tag value.
   */
  ORGANIZATION_MODE = 'DRK071',
  /**
   * The organization backup policy given to the report (`--org-policy`) cannot be read: not a
   * backup policy, an effective policy or a cloud assembly holding one, or malformed JSON.
   */
  ORG_POLICY_INPUT = 'DRK107',
  /** The organization backup policy breaks the documented backup policy syntax (a rule without a vault, a bad schedule, an unknown operator). */
  ORG_POLICY_MALFORMED = 'DRK108',
  /** The resource's engine or deployment does not support the asked mechanism (for example backtrack on PostgreSQL). */
  UNSUPPORTED_MECHANISM = 'DRK023',
  /** A resource that must be encrypted (a database, a replica) is not. */
  ENCRYPTION_REQUIRED = 'DRK024',
  /**
   * A resource whose AWS Backup copies keep its own key (RDS, Aurora, EBS) is encrypted with an
   * AWS managed key, which cannot be shared with the backup account its copies go to.
   */
  SOURCE_KEY_NOT_SHAREABLE = 'DRK120',
  /** A Pulumi stack export, checkpoint or preview cannot be read (unsupported version, malformed resources). */
  PULUMI_INPUT = 'DRK110',
  /** A Pulumi stack export, checkpoint or preview holds no AWS resource for the report to assess. */
  PULUMI_NO_AWS_RESOURCES = 'DRK111',
  /** The drkit policy pack (drkit/pulumi/policy) is given options it cannot use. */
  POLICY_OPTIONS = 'DRK112',
  /** An immutability or lock state change the provider refuses (for example creating a policy Locked, or unlocking a locked one). */
  IMMUTABILITY_TRANSITION = 'DRK090',
  /** A setting the provider fixes when the resource is created is asked to change (for example a Backup vault's storage redundancy). */
  CREATION_ONLY_SETTING = 'DRK091',
  /** A storage tier the account's redundancy does not support (for example Archive on a zone-redundant account). */
  TIER_UNSUPPORTED = 'DRK092',
  /** A backup rule outside the provider's documented limits (window, frequency, retention). */
  BACKUP_RULE_OUT_OF_RANGE = 'DRK093',
  /** A template given to the report is neither valid JSON nor valid YAML (with CloudFormation's short-form tags). */
  TEMPLATE_SYNTAX = 'DRK041',
  /** A cloud assembly's nested stack template (named by the parent's asset manifest or `aws:asset:path` metadata) is missing or unreadable. */
  NESTED_TEMPLATE_MISSING = 'DRK042',
  /** A resource's backup rules keep recovery points outside the Vault Lock of the vault it shares with its objective (Pulumi). */
  VAULT_LOCK_MISMATCH = 'DRK031',
  /** A standby and the component protecting the same DynamoDB table disagree on its replicas (Pulumi). */
  STANDBY_REPLICA_CONFLICT = 'DRK032',
  /**
   * A disaster-recovery name (secondary or standby stack, replica bucket, key alias, copy vault)
   * needs the primary stack's region, but it is an unresolved token (an env-agnostic stack):
   * without it, deployments of the same stack from two regions would collide in the DR region.
   */
  DR_NAME_NEEDS_PRIMARY_REGION = 'DRK130',
  /**
   * A KMS key is given by alias where AWS needs its key ARN: a replica key in another account
   * (S3 resolves an alias in the requester's account), or the key of replicated RDS automated
   * backups (RDS asks for the key's ARN in the destination region).
   */
  KEY_ARN_REQUIRED = 'DRK131',
  /**
   * An AWS Organizations backup policy document is larger than the documented maximum size of a
   * backup policy (10,000 characters): split the objectives over several policies.
   */
  ORG_POLICY_TOO_LARGE = 'DRK100',
  /**
   * A name in an organization backup policy breaks the documented rule for it: policy name (ASCII),
   * backup plan name, rule name, vault name, IAM role name, tag key.
   */
  ORG_POLICY_NAME = 'DRK101',
  /**
   * A rule of an organization backup policy breaks a documented lifecycle or window rule: cold
   * storage shorter than 90 days before deletion, continuous backup kept past 35 days or moved to
   * cold storage, a start window under 60 minutes.
   */
  ORG_POLICY_LIFECYCLE = 'DRK102',
  /**
   * An organization backup policy's structure or inputs break the documented syntax: a missing
   * required element (regions, rules, selections, IAM role), a copy action keyed by something other
   * than its vault ARN, `$region` where the syntax does not accept it, a copy into the region it is
   * taken in, a region outage or account compromise without a copy target.
   */
  ORG_POLICY_SYNTAX = 'DRK103',
  /**
   * An organization target is not an AWS Organizations id: policy targets (root `r-`, OU `ou-`,
   * 12-digit account) and StackSet deployment targets (root or OU ids only, with service-managed
   * permissions).
   */
  ORG_TARGET = 'DRK104',
  /**
   * The member template of an organization StackSet is larger than a StackSet `TemplateBody`
   * accepts (51,200 bytes).
   */
  ORG_STACKSET_TEMPLATE_TOO_LARGE = 'DRK105',
  /** An organization StackSet's operation preferences break the documented rules (both count and percentage, out of range). */
  ORG_STACKSET_OPTIONS = 'DRK106',
  /** A principal given to read a replica (`readers`) cannot be granted (for example an imported principal with no account). */
  INVALID_REPLICA_READER = 'DRK132',
}

const MARKER = Symbol.for('drkit.DrkitError');

/**
 * Recognizes drkit's errors, for languages other than TypeScript (jsii cannot expose a
 * subclass of `Error`).
 */
export class DrkitErrors {
  /** Whether `err` is a drkit error (works across copies of the module). */
  public static isDrkitError(err: any): boolean {
    return err !== null && typeof err === 'object' && err[MARKER] === true;
  }

  /** The stable code of a drkit error, or undefined for any other value. */
  public static codeOf(err: any): string | undefined {
    return DrkitErrors.isDrkitError(err) ? err.code : undefined;
  }

  private constructor() {}
}

/**
 * The one error drkit throws for bad input or an objective that cannot be met.
 *
 * The message names the input, the rule, the value given and the fix.
 * (TypeScript-only: other jsii languages see the message and use `DrkitErrors`.)
 *
 * @jsii ignore
 */
export class DrkitError extends Error {
  /** Whether `err` is a DrkitError (works across copies of the module). */
  public static isDrkitError(err: any): err is DrkitError {
    return DrkitErrors.isDrkitError(err);
  }

  /** The stable code. */
  public readonly code: DrkitErrorCode;

  constructor(code: DrkitErrorCode, message: string) {
    super(`[${code}] ${message}`);
    this.code = code;
    this.name = 'DrkitError';
    Object.defineProperty(this, MARKER, { value: true });
    Object.setPrototypeOf(this, DrkitError.prototype);
  }
}
