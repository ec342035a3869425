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

  private constructor() {}
}
