import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The one IAM role per stack that S3 assumes to replicate every drkit-replicated bucket of
 * the stack. It has no physical name: CloudFormation gives it a unique one, so two stacks
 * (or apps) in one account never collide, whatever the app's feature flags (plain
 * aws-cdk-lib names its replication role `CDKReplicationRole` unless
 * `@aws-cdk/aws-s3:setUniqueReplicationRoleName` is set).
 *
 * Each replicated bucket adds its own statements (read on its source, replicate on its
 * destination, its keys) to the role's policy.
 */
export class S3ReplicationRole {
  /** Construct id of the role in its stack (part of its logical ID). */
  public static readonly ID = 'DrkitS3ReplicationRole';

  /** The replication role of `scope`'s stack, created on first use. */
  public static of(scope: Construct): iam.Role {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(S3ReplicationRole.ID);
    if (existing) return existing as iam.Role;
    return new iam.Role(stack, S3ReplicationRole.ID, {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: 'drkit: S3 replication for the replicated buckets of this stack',
    });
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
  public static _addShared(scope: Construct, actions: string[], resource: string): void {
    const role = S3ReplicationRole.of(scope);
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

  private constructor() {}
}

/** Buckets whose resources share one statement of the role's policy. */
const RESOURCES_PER_STATEMENT = 20;
const SHARED = new WeakMap<iam.Role, Map<string, { statement: iam.PolicyStatement; count: number }>>();
