import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';

/**
 * The one SNS topic per stack that receives the replication alarms and S3 replication events of
 * every drkit-replicated bucket of the stack that is not given its own `alarmTopic`, and, in a
 * replica region's stack, the replication latency alarms (S3 publishes `ReplicationLatency` in the
 * destination's region). Sharing it keeps drkit's per-bucket overhead to nothing: not a topic, a
 * topic policy and key statements per bucket. (Internal: not exported from the package.) Encrypted with its own customer-managed key (rotation on)
 * that S3 and CloudWatch may use to publish; TLS-only.
 */
export class ReplicationAlarmTopic {
  /** Construct id of the topic in its stack (part of its logical ID). */
  public static readonly ID = 'DrkitReplicationAlarms';

  /**
   * The shared topic of `scope`'s stack, created on first use, and the topic policy that must
   * exist before S3 is told to publish to it (S3 sends a test message when the notification
   * configuration is set). `publishers` are the services its policy lets publish when this call
   * creates it: S3 events and CloudWatch alarms by default; a replica region's stack, which has
   * only the replication latency alarms, lets only CloudWatch publish.
   */
  public static of(
    scope: Construct, publishers: TopicPublisher[] = [TopicPublisher.S3, TopicPublisher.CLOUDWATCH],
  ): { readonly topic: sns.ITopic; readonly policy: IDependable } {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ReplicationAlarmTopic.ID) as sns.Topic | undefined;
    const topic = existing ?? ReplicationAlarmTopic.create(stack, publishers);
    const policy = topic.node.tryFindChild('Policy') as IDependable;
    return { topic, policy };
  }

  private static create(stack: Stack, publishers: TopicPublisher[]): sns.Topic {
    const key = new kms.Key(stack, `${ReplicationAlarmTopic.ID}Key`, {
      description: 'drkit: encrypts the replication alarm topic of this stack',
      enableKeyRotation: true,
    });
    const topic = new sns.Topic(stack, ReplicationAlarmTopic.ID, {
      displayName: 'drkit replication alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // S3 replication events (of any bucket of this account: a bucket's ARN cannot scope the
    // policy the bucket's notification configuration waits for) and the replication alarms.
    for (const publisher of publishers) allowTopicPublisher(topic, publisher);
    return topic;
  }

  private constructor() {}
}

/** The AWS services drkit points at SNS topics. (Internal.) */
export enum TopicPublisher {
  /** CloudWatch alarm actions. */
  CLOUDWATCH = 'cloudwatch.amazonaws.com',
  /** EventBridge rule targets. */
  EVENTS = 'events.amazonaws.com',
  /** S3 event notifications. */
  S3 = 's3.amazonaws.com',
}

const SIDS: Record<TopicPublisher, string> = {
  [TopicPublisher.CLOUDWATCH]: 'AllowCloudWatchAlarmsToPublish',
  [TopicPublisher.EVENTS]: 'AllowEventBridgeRulesToPublish',
  [TopicPublisher.S3]: 'AllowS3EventNotificationsToPublish',
};

interface Grant {
  readonly statement: iam.PolicyStatement;
  readonly sourceArns: string[];
}

const TOPIC_GRANTS = new WeakMap<sns.ITopic, Map<TopicPublisher, Grant>>();
const KEY_GRANTS = new WeakMap<kms.IKey, Set<TopicPublisher>>();

/** What `allowTopicPublisher` could set. (Internal.) */
export interface TopicPublisherGrant {
  /** The topic policy (undefined for an imported topic, whose policy drkit cannot set). */
  readonly topicPolicy?: IDependable;
  /** False when the topic is imported: its owner must allow the publisher. */
  readonly topicPolicySet: boolean;
  /** False when the topic is encrypted with a key drkit cannot change (imported) or cannot see. */
  readonly keyPolicySet: boolean;
}

/**
 * Lets `publisher` publish to `topic` (internal): an `AWS::SNS::TopicPolicy` replaces the
 * topic's default policy, so a service that is not named there is refused ("not authorized to
 * perform: SNS:Publish") and the alarm or event notifies nobody. The statement is scoped to this
 * account (`aws:SourceAccount`) and, when given, to the publishing resources (`aws:SourceArn`:
 * CloudWatch alarms of this account and region by default, the rules' ARNs for EventBridge).
 * When the topic is encrypted with a key of this app, the key lets the service generate and
 * decrypt data keys (SNS "Enable compatibility between event sources from AWS services and
 * encrypted topics"). Calls for the same topic and publisher share one statement.
 */
export function allowTopicPublisher(topic: sns.ITopic, publisher: TopicPublisher, sourceArns?: string[]): TopicPublisherGrant {
  let grants = TOPIC_GRANTS.get(topic);
  if (!grants) TOPIC_GRANTS.set(topic, grants = new Map());
  let grant = grants.get(publisher);
  let topicPolicySet = true;
  if (!grant) {
    const statement = new iam.PolicyStatement({
      sid: SIDS[publisher],
      principals: [new iam.ServicePrincipal(publisher)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    });
    topicPolicySet = topic.addToResourcePolicy(statement).statementAdded;
    grant = { statement, sourceArns: [] };
    grants.set(publisher, grant);
    if (publisher === TopicPublisher.CLOUDWATCH && sourceArns === undefined) {
      // Every alarm of this account in the topic's region (alarms notify topics in their own region).
      sourceArns = [`arn:${Aws.PARTITION}:cloudwatch:${Stack.of(topic).region}:${Aws.ACCOUNT_ID}:alarm:*`];
    }
  } else {
    topicPolicySet = topic.node.tryFindChild('Policy') !== undefined;
  }
  for (const arn of sourceArns ?? []) if (!grant.sourceArns.includes(arn)) grant.sourceArns.push(arn);
  if (grant.sourceArns.length > 0) grant.statement.addCondition('ArnLike', { 'aws:SourceArn': [...grant.sourceArns] });

  let keyPolicySet = true;
  const key = topic.masterKey;
  if (key) {
    let done = KEY_GRANTS.get(key);
    if (!done) KEY_GRANTS.set(key, done = new Set());
    if (!done.has(publisher)) {
      done.add(publisher);
      keyPolicySet = key.addToResourcePolicy(new iam.PolicyStatement({
        sid: `${SIDS[publisher]}Encrypted`,
        principals: [new iam.ServicePrincipal(publisher)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // A key policy's resource is always the key itself ("*" means this key).
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      })).statementAdded;
    }
  } else if (!(topic instanceof sns.Topic)) {
    // An imported topic: its key (if any) is unknown to drkit.
    keyPolicySet = false;
  }
  return { topicPolicy: topic.node.tryFindChild('Policy') as IDependable | undefined, topicPolicySet, keyPolicySet };
}
