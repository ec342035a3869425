import * as pubsub from '@pulumi/gcp/pubsub';
import * as storage from '@pulumi/gcp/storage';
import * as pulumi from '@pulumi/pulumi';
import { CloudReportEntry } from '../../core/clouds/common';
import { CrossCloudCopyPlan, CrossCloudCopyPlanner } from '../../core/clouds/gcp';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** A calendar date (UTC). */
export interface CalendarDate {
  /** Year. */
  readonly year: number;
  /** Month, 1-12. */
  readonly month: number;
  /** Day, 1-31. */
  readonly day: number;
}

/** Arguments of a Cloud Storage copy of an S3 bucket. */
export interface CrossCloudCopyArgs {
  /** The recovery objective the copy must meet (typically against account compromise). */
  readonly objective: RecoveryObjective;
  /** Name of the S3 bucket to copy. */
  readonly sourceBucket: pulumi.Input<string>;
  /** Prefix inside the S3 bucket. @default - the whole bucket */
  readonly sourcePath?: pulumi.Input<string>;
  /**
   * ARN of the AWS role Storage Transfer assumes with web identity federation. drkit does not
   * create it (it lives in AWS): trust the `awsTrustPolicy` output and allow s3:ListBucket and
   * s3:GetObject on the source.
   */
  readonly awsRoleArn: pulumi.Input<string>;
  /** Location of the destination bucket (region, dual-region or multi-region). */
  readonly location: pulumi.Input<string>;
  /** Destination bucket name. @default - Pulumi auto-naming */
  readonly destinationBucketName?: pulumi.Input<string>;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** First day of the schedule. @default 2024-01-01 (the job starts at its next run time) */
  readonly startDate?: CalendarDate;
  /**
   * Cloud KMS key for the destination bucket's default encryption (customer-managed); the
   * Cloud Storage service agent needs Encrypter/Decrypter on it.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
}

/**
 * A versioned Cloud Storage bucket kept as a copy of an S3 bucket by a Storage Transfer
 * Service job on the objective's schedule: an off-provider copy, for the disaster that takes a
 * whole AWS account. The AWS role is declared, not embedded; no AWS keys are stored.
 */
export class CrossCloudCopy extends pulumi.ComponentResource {
  /** The destination bucket. */
  public readonly bucket: storage.Bucket;
  /** Storage Legacy Bucket Writer for the project's Storage Transfer service agent on the destination. */
  public readonly writer: storage.BucketIAMMember;
  /** Object read (metadata, for the overwrite check) for the Storage Transfer service agent on the destination. */
  public readonly reader: storage.BucketIAMMember;
  /** Pub/Sub topic that receives failed and aborted transfer runs. */
  public readonly failureTopic: pubsub.Topic;
  /** Publish right on the topic for the Storage Transfer service agent. */
  public readonly failurePublisher: pubsub.TopicIAMMember;
  /** The transfer job. */
  public readonly job: storage.TransferJob;
  /** Trust policy (JSON) for the AWS role: Google's service account for this project, by subject id. */
  public readonly awsTrustPolicy: pulumi.Output<string>;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<CrossCloudCopyPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: CrossCloudCopyArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `CrossCloudCopy ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    if (!args.awsRoleArn) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `CrossCloudCopy ${name} needs \`awsRoleArn\`: the AWS role Storage Transfer assumes (drkit never stores AWS access keys); create it in AWS with the awsTrustPolicy output`);
    }
    const plan = CrossCloudCopyPlanner.fromS3(args.objective, { resourceName: name });
    super('drkit:gcp:CrossCloudCopy', name, {}, opts);
    const account = storage.getTransferProjectServiceAccountOutput({ project: args.project }, { parent: this });
    this.bucket = new storage.Bucket(`${name}-bucket`, {
      name: args.destinationBucketName,
      project: args.project,
      location: args.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: plan.softDeleteDays * 86400 },
      lifecycleRules: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: plan.noncurrentVersionDays, withState: 'ARCHIVED' } }],
      encryption: args.kmsKeyName !== undefined ? { defaultKmsKeyName: args.kmsKeyName } : undefined,
      forceDestroy: false,
    }, { parent: this, retainOnDelete: true });
    const agent = pulumi.interpolate`serviceAccount:${account.email}`;
    // The sink guide's least roles: bucket get, object list/create/delete, plus object read
    // for the overwrite check (overwriteWhen: DIFFERENT).
    this.writer = new storage.BucketIAMMember(`${name}-transfer-writer`, {
      bucket: this.bucket.name,
      role: 'roles/storage.legacyBucketWriter',
      member: agent,
    }, { parent: this });
    this.reader = new storage.BucketIAMMember(`${name}-transfer-reader`, {
      bucket: this.bucket.name,
      role: 'roles/storage.objectViewer',
      member: agent,
    }, { parent: this });
    this.failureTopic = new pubsub.Topic(`${name}-failures`, { project: args.project }, { parent: this });
    this.failurePublisher = new pubsub.TopicIAMMember(`${name}-failures-publisher`, {
      project: args.project,
      topic: this.failureTopic.name,
      role: 'roles/pubsub.publisher',
      member: agent,
    }, { parent: this });
    const start = args.startDate ?? { year: 2024, month: 1, day: 1 };
    this.job = new storage.TransferJob(`${name}-transfer`, {
      project: args.project,
      description: `drkit: copy of s3 bucket for objective "${args.objective.name}"`,
      status: 'ENABLED',
      transferSpec: {
        awsS3DataSource: {
          bucketName: args.sourceBucket,
          roleArn: args.awsRoleArn,
          ...(args.sourcePath !== undefined ? { path: args.sourcePath } : {}),
        },
        gcsDataSink: { bucketName: this.bucket.name },
        transferOptions: {
          overwriteWhen: 'DIFFERENT',
          deleteObjectsUniqueInSink: false,
          deleteObjectsFromSourceAfterTransfer: false,
        },
      },
      schedule: {
        scheduleStartDate: { year: start.year, month: start.month, day: start.day },
        startTimeOfDay: { hours: plan.startHourUtc, minutes: 0, seconds: 0, nanos: 0 },
        repeatInterval: `${plan.repeatIntervalHours * 3600}s`,
      },
      notificationConfig: {
        pubsubTopic: this.failureTopic.id,
        eventTypes: plan.notificationEventTypes,
        payloadFormat: 'JSON',
      },
    }, { parent: this, dependsOn: [this.writer, this.reader, this.failurePublisher] });
    this.awsTrustPolicy = account.subjectId.apply(sub => JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: 'accounts.google.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'accounts.google.com:sub': sub } },
      }],
    }));
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ awsTrustPolicy: this.awsTrustPolicy, failureTopic: this.failureTopic.id, plan: this.plan, report: this.report });
  }
}
