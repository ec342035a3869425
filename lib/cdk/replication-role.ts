import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The IAM roles S3 assumes to replicate the drkit-replicated buckets of a stack: one per 40
 * buckets (`DrkitS3ReplicationRole`, then `DrkitS3ReplicationRole2`...), so that no role's
 * policy needs more than the 10 managed policies IAM attaches to a role. They have no physical
 * name: CloudFormation gives each a unique one, so two stacks (or apps) in one account never
 * collide, whatever the app's feature flags (plain aws-cdk-lib names its replication role
 * `CDKReplicationRole` unless `@aws-cdk/aws-s3:setUniqueReplicationRoleName` is set).
 *
 * Each replicated bucket adds its resources (its source, its destination, its keys) to its
 * role's statements; buckets share statements, 20 (read, replicate) or 8 (keys) to one.
 */
export class S3ReplicationRole {
  /** Construct id of the role in its stack (part of its logical ID). */
  public static readonly ID = 'DrkitS3ReplicationRole';

  /** Buckets one replication role replicates before the stack's next role takes over. */
  public static readonly BUCKETS_PER_ROLE = 40;

  /** The (first) replication role of `scope`'s stack, created on first use. */
  public static of(scope: Construct): iam.Role {
    return S3ReplicationRole.nth(Stack.of(scope), 1);
  }

  /**
   * The role that replicates the next bucket of `scope`'s stack: the stack's first role for its
   * first 40 buckets, then a second (`DrkitS3ReplicationRole2`), and so on. One role's policy
   * grows with each bucket; aws-cdk-lib moves what exceeds the role's inline policy into
   * overflow managed policies, and IAM attaches at most 10 managed policies to a role (20 with
   * a quota increase). 40 buckets keep a role well inside both (issue 16: at 100 buckets one
   * role needed 22 managed policies and could not be deployed).
   *
   * @internal
   */
  public static _forNextBucket(scope: Construct): iam.Role {
    const stack = Stack.of(scope);
    const count = (BUCKETS.get(stack) ?? 0) + 1;
    BUCKETS.set(stack, count);
    return S3ReplicationRole.nth(stack, Math.ceil(count / S3ReplicationRole.BUCKETS_PER_ROLE));
  }

  /**
   * Statements that differ between buckets only by resource share one statement per
   * 20 buckets: N buckets add N resources, not N statements (issue 16:
   * each statement repeated its actions for every bucket). A statement holds a bounded number
   * of resources so that aws-cdk-lib can still move whole statements into overflow managed
   * policies (at most 6,144 characters each) as the role's policy grows.
   *
   * @internal
   */
  public static _addShared(role: iam.Role, actions: string[], resource: string): void {
    let groups = SHARED.get(role);
    if (!groups) SHARED.set(role, groups = new Map());
    const key = actions.join(',');
    const current = groups.get(key);
    if (current && current.count < RESOURCES_PER_STATEMENT) {
      current.statement.addResources(resource);
      current.count += 1;
      return;
    }
    const statement = new iam.PolicyStatement({ actions, resources: [resource] });
    groups.set(key, { statement, count: 1 });
    role.addToPrincipalPolicy(statement);
  }

  /**
   * A KMS grant of the replication role that is conditioned like AWS's "Replicating encrypted
   * objects" shows: `actions` on `key`, only through S3 in `region` (`kms:ViaService`) and only
   * with one of `contextArns` as the `aws:s3:arn` encryption context (and, for a key granted
   * by alias, with `aliasName` among the key's aliases).
   *
   * Grants that differ only by key, bucket and alias share a statement (issue 16: one statement
   * per bucket and key cost 1.5 KB of policy each, which pushed the role past its inline policy
   * into one overflow managed policy per five buckets). Within a statement any of its keys may
   * be used for any of its buckets' objects, still only through S3 in that region: the keys are
   * those of the stack's replicated buckets and replicas, each of which S3 uses only for the
   * bucket configured with it.
   *
   * The first 4 buckets' grants of a role are in the role's own policy. The later ones are in
   * managed policies of the role's own, 8 buckets each (`KeyGrants<n>`), not left to aws-cdk-lib's
   * overflow: aws-cdk-lib sizes a statement by its unresolved form, in which a bucket ARN in a
   * condition counts about 20 characters and deploys as up to 80, so a policy of such statements
   * could pass IAM's 6,144 characters. 8 buckets' grants are at most about 4,800 characters with the
   * longest names (`test/cdk/replication-role.test.ts` resolves them).
   *
   * @internal
   */
  public static _addKeyGrant(role: iam.Role, grant: KeyGrant): void {
    const kind = `${grant.actions.join(',')}|${grant.region}|${grant.aliasName === undefined ? 'arn' : 'alias'}`;
    let counts = GRANT_COUNTS.get(role);
    if (!counts) GRANT_COUNTS.set(role, counts = new Map());
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    // The first buckets' grants in the role's own policy (a stack with a few buckets keeps one
    // policy); later buckets' grants in managed policies of 8 buckets each.
    const holder = n <= INLINE_GRANT_BUCKETS ? 0 : Math.ceil((n - INLINE_GRANT_BUCKETS) / GRANTS_PER_MANAGED_POLICY);
    let groups = KEY_GRANTS.get(role);
    if (!groups) KEY_GRANTS.set(role, groups = new Map());
    const key = `${kind}|${holder}`;
    let group = groups.get(key);
    if (!group) {
      group = { statement: new iam.PolicyStatement({ actions: grant.actions }), contexts: [], aliases: [] };
      group.statement.addCondition('StringEquals', { 'kms:ViaService': `s3.${grant.region}.amazonaws.com` });
      groups.set(key, group);
      if (holder === 0) role.addToPrincipalPolicy(group.statement);
      else keyGrantPolicy(role, holder).addStatements(group.statement);
    }
    const g = group;
    // A statement's resources are a set: a replica key granted by alias (`key/*`) is listed once.
    g.statement.addResources(grant.key);
    g.contexts.push(...grant.contextArns);
    g.statement.addCondition('StringLike', { 'kms:EncryptionContext:aws:s3:arn': [...g.contexts] });
    if (grant.aliasName !== undefined) {
      g.aliases.push(grant.aliasName);
      g.statement.addCondition('ForAnyValue:StringEquals', { 'kms:ResourceAliases': g.aliases.length === 1 ? g.aliases[0] : [...g.aliases] });
    }
  }

  private static nth(stack: Stack, n: number): iam.Role {
    const id = n === 1 ? S3ReplicationRole.ID : `${S3ReplicationRole.ID}${n}`;
    const existing = stack.node.tryFindChild(id);
    if (existing) return existing as iam.Role;
    return new iam.Role(stack, id, {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: n === 1
        ? 'drkit: S3 replication for the replicated buckets of this stack'
        : `drkit: S3 replication for replicated buckets ${(n - 1) * S3ReplicationRole.BUCKETS_PER_ROLE + 1}-${n * S3ReplicationRole.BUCKETS_PER_ROLE} of this stack`,
    });
  }

  private constructor() {}
}

/** @internal A conditioned KMS grant of the replication role (see `S3ReplicationRole._addKeyGrant`). */
export interface KeyGrant {
  readonly actions: string[];
  /** The key's ARN, or `key/*` of its region when granted by alias. */
  readonly key: string;
  /** The region of S3 that may use the key (`kms:ViaService`). */
  readonly region: string;
  /** Encryption contexts (`aws:s3:arn`) the key may be used with: the bucket and its objects. */
  readonly contextArns: string[];
  /** The key's alias, when the grant is by alias (`kms:ResourceAliases`). */
  readonly aliasName?: string;
}

/** Buckets whose resources share one statement of the role's policy. */
const RESOURCES_PER_STATEMENT = 20;
/** Buckets of a role whose key grants are in the role's own policy. */
const INLINE_GRANT_BUCKETS = 4;
/** Buckets whose key grants share one managed policy (one statement per key use and region). */
const GRANTS_PER_MANAGED_POLICY = 8;
const GRANT_COUNTS = new WeakMap<iam.Role, Map<string, number>>();

/** The `n`th managed policy of the role's key grants, created on first use. */
function keyGrantPolicy(role: iam.Role, n: number): iam.ManagedPolicy {
  const id = `KeyGrants${n}`;
  const existing = role.node.tryFindChild(id);
  if (existing) return existing as iam.ManagedPolicy;
  const policy = new iam.ManagedPolicy(role, id, {
    roles: [role],
    description: `drkit: KMS grants of S3 replication (buckets ${INLINE_GRANT_BUCKETS + (n - 1) * GRANTS_PER_MANAGED_POLICY + 1}-${INLINE_GRANT_BUCKETS + n * GRANTS_PER_MANAGED_POLICY} of the role)`,
  });
  (policy.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
    rules_to_suppress: [{
      id: 'AwsSolutions-IAM5',
      reason: 'a replica key drkit creates is granted through its fixed alias (key/* with a kms:ResourceAliases condition), since its ARN cannot cross regions',
    }],
  });
  return policy;
}
const BUCKETS = new WeakMap<Stack, number>();
const KEY_GRANTS = new WeakMap<iam.Role, Map<string, {
  statement: iam.PolicyStatement; contexts: string[]; aliases: string[];
}>>();
const SHARED = new WeakMap<iam.Role, Map<string, { statement: iam.PolicyStatement; count: number }>>();
