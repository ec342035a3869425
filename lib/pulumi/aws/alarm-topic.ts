// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as kms from '@pulumi/aws/kms';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { publisherKeyPolicy, publisherTopicPolicy } from './backup-foundation';
import { awsIdentity, providerKey, providerOpts, sharedInRun, sharedName } from './shared';

/** The services that publish to the shared alarm topic: CloudWatch alarms and S3 replication events. */
export const ALARM_TOPIC_PUBLISHERS = ['cloudwatch.amazonaws.com', 's3.amazonaws.com'];

/** The alarm topic of one region, shared by every drkit component that alarms there. */
export interface SharedAlarmTopic {
  /** The key that encrypts the topic; its policy lets the publishers of this account use it. */
  readonly key: kms.Key;
  /** The topic. */
  readonly topic: sns.Topic;
  /** Its policy: TLS only; CloudWatch and S3 of this account may publish. Point alarms and notifications at the topic after it. */
  readonly policy: sns.TopicPolicy;
}

/**
 * The KMS-encrypted SNS topic that receives the replication alarms and S3 replication events
 * of every drkit component in `region` (per AWS provider), created on first use, as the CDK
 * constructs share one per stack. Its topic policy replaces SNS's default policy, so it names
 * each publisher (CloudWatch, S3) scoped to this account (`aws:SourceAccount`, and for
 * CloudWatch its alarms in the region, `aws:SourceArn`), and its key
 * lets them encrypt: without both, the alarms change state and notify nobody.
 * @internal
 */
export function sharedAlarmTopic(region: string | undefined, provider?: pulumi.ProviderResource): SharedAlarmTopic {
  return sharedInRun(`alarm-topic|${providerKey(provider)}|${region ?? ''}`, () => {
    const name = sharedName(['drkit-alarms', region, providerKey(provider)]);
    const id = awsIdentity(provider);
    const regionInput = region !== undefined ? { region } : {};
    const opts = providerOpts(provider);
    const key = new kms.Key(`${name}-key`, {
      ...regionInput,
      description: `drkit: encrypts the alarm topic${region ? ` in ${region}` : ''}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([id.partition, id.accountId])
        .apply(([partition, account]) => JSON.stringify(publisherKeyPolicy(partition, account, ALARM_TOPIC_PUBLISHERS))),
    }, opts);
    const topic = new sns.Topic(name, {
      ...regionInput,
      displayName: 'drkit alarms',
      kmsMasterKeyId: key.arn,
    }, opts);
    const policy = new sns.TopicPolicy(`${name}-policy`, {
      ...regionInput,
      arn: topic.arn,
      policy: pulumi.all([topic.arn, id.accountId, id.partition])
        .apply(([arn, account, partition]) => JSON.stringify(alarmTopicPolicy(arn, account, partition, region))),
    }, opts);
    return { key, topic, policy };
  });
}

/**
 * The shared alarm topic's policy: TLS only; S3 events of this account (`aws:SourceAccount`:
 * a bucket's notification configuration waits for this policy, so the bucket cannot scope it);
 * CloudWatch alarms of this account in the topic's region (`aws:SourceAccount` and
 * `aws:SourceArn`, in the topic's region when the component names it, else any region of the
 * account: an ARN is never parsed, since it is unknown during a preview). @internal
 */
export function alarmTopicPolicy(topicArn: string, account: string, partition: string, region?: string) {
  const policy = publisherTopicPolicy(topicArn, account, ALARM_TOPIC_PUBLISHERS.filter(p => p !== 'cloudwatch.amazonaws.com'));
  return {
    ...policy,
    Statement: [
      ...policy.Statement,
      {
        Sid: 'AllowCloudWatchAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region ?? '*'}:${account}:alarm:*` },
        },
      },
    ],
  };
}
