import { Annotations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { JobFailurePattern, jobFailurePatterns } from '../../core/plan-backup';
import { allowTopicPublisher, TopicPublisher } from '../replication-alarm-topic';

/** Properties of `BackupNotifications`. */
export interface BackupNotificationsProps {
  /**
   * The topic to notify. drkit adds the statements EventBridge and CloudWatch need to its
   * policy when it is a `Topic` of this app; for an imported topic, set them yourself.
   * @default - a new topic encrypted with `masterKey`, TLS-only
   */
  readonly topic?: sns.ITopic;
  /**
   * The customer-managed key that encrypts the new topic (only without `topic`).
   * @default - a new key with rotation on
   */
  readonly masterKey?: kms.IKey;
  /**
   * Only jobs of this vault: backup jobs into it and copy jobs out of it. (Failed restore job
   * events carry no vault, so restore failures are reported for every vault.)
   * @default - jobs of every vault in the account and region
   */
  readonly vault?: backup.IBackupVault;
}

/**
 * Failed, expired and aborted AWS Backup jobs, sent to an encrypted SNS topic.
 *
 * Three EventBridge rules (source `aws.backup`) match the states AWS Backup documents as
 * failures for each job kind:
 *
 * - `Backup Job State Change` with `detail.state` FAILED, EXPIRED or ABORTED;
 * - `Copy Job State Change` with `detail.state` FAILED (copy jobs have no expired or aborted state);
 * - `Restore Job State Change` with `detail.status` FAILED or ABORTED (restore events report
 *   `status`, not `state`).
 *
 * The new topic is encrypted with a customer-managed KMS key (rotation on) whose policy lets
 * EventBridge and CloudWatch alarms use it. Its topic policy (which replaces SNS's default
 * policy) allows EventBridge for these three rules (`aws:SourceArn`) and CloudWatch for the
 * alarms of this account and region, both only for this account (`aws:SourceAccount`), and
 * denies publishing without TLS (`aws:SecureTransport`). A given topic of this app gets the
 * same statements (and its key, when it is a key of this app).
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html
 */
export class BackupNotifications extends Construct {
  /** The topic notified. */
  public readonly topic: sns.ITopic;
  /** The key of the topic drkit created (undefined for a given topic). */
  public readonly key?: kms.IKey;
  /** The rule for backup jobs. */
  public readonly backupJobRule: events.Rule;
  /** The rule for copy jobs. */
  public readonly copyJobRule: events.Rule;
  /** The rule for restore jobs (restore tests included). */
  public readonly restoreJobRule: events.Rule;

  constructor(scope: Construct, id: string, props: BackupNotificationsProps = {}) {
    super(scope, id);
    if (props.topic && props.masterKey) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupNotifications ${this.node.path}: \`masterKey\` only applies to the topic drkit creates, but \`topic\` is given too: encrypt your topic with the key yourself, or drop \`topic\``);
    }

    if (props.topic) {
      this.topic = props.topic;
      const added = this.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'DenyPublishWithoutTls',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      if (!added.statementAdded) {
        Annotations.of(this).addWarningV2('drkit:notifications-imported-topic',
          `the topic ${this.topic.topicArn} is imported, so drkit cannot set its policy: allow events.amazonaws.com and cloudwatch.amazonaws.com to publish (scoped with aws:SourceAccount and aws:SourceArn), and to use its KMS key, and deny sns:Publish when aws:SecureTransport is false`);
      }
    } else {
      const key = props.masterKey ?? new kms.Key(this, 'Key', {
        description: 'drkit: encrypts the AWS Backup notifications topic',
        enableKeyRotation: true,
      });
      this.key = key;
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'drkit backup notifications',
        masterKey: key,
        enforceSSL: true,
      });
    }

    // The topic's policy replaces SNS's default one, so it names each publisher: the three rules
    // below (EventBridge, by rule ARN) and the CloudWatch alarms of this account and region
    // (`alarmAction`), each with aws:SourceAccount; its key lets both encrypt. (aws-cdk-lib's
    // SnsTopic target would add an unscoped events.amazonaws.com statement instead.)
    allowTopicPublisher(this.topic, TopicPublisher.CLOUDWATCH);
    const topic = this.topic;
    const target: events.IRuleTarget = { bind: () => ({ arn: topic.topicArn, targetResource: topic }) };
    const vault = props.vault;
    const [backupJobs, copyJobs, restoreJobs] = jobFailurePatterns(vault ? { name: vault.backupVaultName, arn: vault.backupVaultArn } : undefined);
    const rule = (ruleId: string, p: JobFailurePattern): events.Rule => {
      const r = new events.Rule(this, ruleId, {
        description: p.description,
        eventPattern: { source: p.pattern.source, detailType: p.pattern['detail-type'], detail: p.pattern.detail },
        targets: [target],
      });
      allowTopicPublisher(topic, TopicPublisher.EVENTS, [r.ruleArn]);
      return r;
    };
    this.backupJobRule = rule('BackupJobFailed', backupJobs);
    this.copyJobRule = rule('CopyJobFailed', copyJobs);
    this.restoreJobRule = rule('RestoreJobFailed', restoreJobs);
  }

  /** An alarm action that notifies the topic. */
  public get alarmAction(): cloudwatch.IAlarmAction {
    return new cwActions.SnsAction(this.topic);
  }
}
