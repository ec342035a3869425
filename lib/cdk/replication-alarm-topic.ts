import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';

/**
 * The one SNS topic per stack that receives the replication alarms and S3 replication events of
 * every drkit-replicated bucket of the stack that is not given its own `alarmTopic`. Sharing it
 * keeps drkit's per-bucket overhead to what each bucket needs (its alarms), not a topic, a topic
 * policy and key statements per bucket. (Internal: not exported from the package.) Encrypted with its own customer-managed key (rotation on)
 * that S3 and CloudWatch may use to publish; TLS-only.
 */
export class ReplicationAlarmTopic {
  /** Construct id of the topic in its stack (part of its logical ID). */
  public static readonly ID = 'DrkitReplicationAlarms';

  /**
   * The shared topic of `scope`'s stack, created on first use, and the topic policy that must
   * exist before S3 is told to publish to it (S3 sends a test message when the notification
   * configuration is set).
   */
  public static of(scope: Construct): { readonly topic: sns.ITopic; readonly policy: IDependable } {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ReplicationAlarmTopic.ID) as sns.Topic | undefined;
    const topic = existing ?? ReplicationAlarmTopic.create(stack);
    const policy = topic.node.tryFindChild('Policy') as IDependable;
    return { topic, policy };
  }

  private static create(stack: Stack): sns.Topic {
    const key = new kms.Key(stack, `${ReplicationAlarmTopic.ID}Key`, {
      description: 'drkit: encrypts the replication alarm topic of this stack',
      enableKeyRotation: true,
    });
    for (const service of ['s3.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        // A key policy's resource is always the key itself ("*" means this key).
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }));
    }
    const topic = new sns.Topic(stack, ReplicationAlarmTopic.ID, {
      displayName: 'drkit replication alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
    return topic;
  }

  private constructor() {}
}
