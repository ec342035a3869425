// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as s3 from '@pulumi/aws/s3';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { lifecycleRules, planLifecycle } from './lifecycle-tiering';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { LifecyclePlan, LifecyclePlanner, LifecycleScheduleProps } from '../../core/lifecycle';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { checkReplicaKmsKeyArn, checkS3BucketName, S3_REPLICATION_RULE_ID, S3Planner, S3ProtectionPlan, s3ReplicationRule } from '../../core/plan-s3';

/** An existing replication destination (possibly in another account). */
export interface ReplicationDestinationArgs {
  /** Name of the destination bucket (versioned). */
  readonly bucketName: pulumi.Input<string>;
  /** Region of the destination bucket. */
  readonly region: string;
  /**
   * Account that owns it; when not the source's, replicas are owned by it (owner override)
   * and its bucket and key policies must grant the replication role (see docs/s3.md).
   * @default - the source's account
   */
  readonly account?: string;
  /** ARN of the KMS key replicas are encrypted with. */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** Arguments of {@link CrossRegionReplicatedBucket}. */
export interface CrossRegionReplicatedBucketArgs {
  /** The recovery objective the bucket must meet. */
  readonly objective: RecoveryObjective;
  /** Region of the source bucket (planning needs it concrete: the replica must be elsewhere). */
  readonly region: string;
  /**
   * Region of the replica drkit creates. Required unless `destination` is given.
   * @default - the region of `destination`
   */
  readonly secondaryRegion?: string;
  /**
   * Account of the source bucket (to tell a cross-account destination).
   * @default - unknown
   */
  readonly account?: string;
  /**
   * Replicate to this existing bucket instead of creating one.
   * @default - drkit creates the replica bucket and its key in `secondaryRegion`
   */
  readonly destination?: ReplicationDestinationArgs;
  /**
   * S3 Replication Time Control (99.99% of objects within 15 minutes, SLA-backed) and replication metrics.
   * @default - on when the objective covers region outage
   */
  readonly replicationTimeControl?: boolean;
  /**
   * Replicate delete markers (a deletion then reaches the replica too).
   * @default false
   */
  readonly replicateDeleteMarkers?: boolean;
  /**
   * Object Lock mode of both buckets (`governance` or `compliance`; `none` for no lock).
   * @default - the objective's immutability
   */
  readonly objectLockMode?: Immutability;
  /**
   * Object Lock default retention of both buckets.
   * @default - the objective's point-in-time window
   */
  readonly objectLockRetention?: Period;
  /**
   * Share one replication role between several replicated buckets.
   * @default - a role for this bucket (auto-named, so names never collide)
   */
  readonly replicationRole?: iam.Role;
  /**
   * ARN of a topic for alarms and replication events (its policies must let S3 and CloudWatch publish).
   * @default - a topic encrypted with the source bucket's key
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Lifecycle (storage-class transitions and expirations) of the source bucket, checked against the objective's retention.
   * @default - abort incomplete multipart uploads after 7 days and remove expired delete markers only
   */
  readonly sourceLifecycle?: LifecycleScheduleProps;
  /**
   * Lifecycle of the replica drkit creates, checked against the objective's retention.
   * @default - derived from the objective, current versions tiered too (as the CDK construct)
   */
  readonly replicaLifecycle?: LifecycleScheduleProps;
}

/**
 * A versioned, KMS-encrypted, TLS-only, public-access-blocked bucket replicated to a bucket
 * in another region, planned by the same core as the CDK `CrossRegionReplicatedBucket`
 * (RTC when the objective covers region outage; an RPO below 15 minutes throws DRK010
 * before anything is registered). Stateful children are `retainOnDelete`.
 */
export class CrossRegionReplicatedBucket extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:CrossRegionReplicatedBucket';

  /** The neutral protection plan. */
  public readonly plan: S3ProtectionPlan;
  /** Lifecycle plan of the source. */
  public readonly sourceLifecyclePlan: LifecyclePlan;
  /** Lifecycle plan of the replica drkit creates. */
  public readonly replicaLifecyclePlan?: LifecyclePlan;
  /** The source bucket. */
  public readonly bucket: s3.Bucket;
  /** The source key. */
  public readonly key: kms.Key;
  /** The replica bucket, when drkit creates it. */
  public readonly replicaBucket?: s3.Bucket;
  /** The replica key, when drkit creates it. */
  public readonly replicaKey?: kms.Key;
  /** The replication role. */
  public readonly replicationRole: iam.Role;
  /** The replication configuration. */
  public readonly replication: s3.BucketReplicationConfig;
  /** ARN of the alarm topic. */
  public readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: CrossRegionReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything that can refuse runs before anything is registered.
    const planned = planBucket(name, args);
    super(CrossRegionReplicatedBucket.TYPE, name, {}, opts);
    const { plan, sourceLifecycle, replicaLifecycle } = planned;
    this.plan = plan;
    this.sourceLifecyclePlan = sourceLifecycle;
    this.replicaLifecyclePlan = replicaLifecycle;
    const replication = plan.replication!;
    const dest = args.destination;
    for (const advisory of plan.advisories) void pulumi.log.warn(`drkit: ${advisory}`, this);

    const lockRule = plan.objectLock !== Immutability.NONE ? {
      defaultRetention: { mode: plan.objectLock === Immutability.COMPLIANCE ? 'COMPLIANCE' : 'GOVERNANCE', days: plan.objectLockDays },
    } : undefined;

    // The source key also encrypts the alarm topic: S3 and CloudWatch must be able to publish to it.
    const publishers = args.alarmTopicArn === undefined ? ['s3.amazonaws.com', 'cloudwatch.amazonaws.com'] : [];
    const source = secureBucket(this, name, args.region, lockRule, sourceLifecycle, publishers);
    this.bucket = source.bucket;
    this.key = source.key;

    let destinationBucketArn: pulumi.Input<string>;
    let replicaKeyArn: pulumi.Input<string>;
    let replicaDependencies: pulumi.Resource[] = [];
    if (dest) {
      destinationBucketArn = pulumi.interpolate`arn:aws:s3:::${dest.bucketName}`;
      replicaKeyArn = dest.kmsKeyArn;
    } else {
      const replica = secureBucket(this, `${name}-replica`, replication.region, lockRule, replicaLifecycle!);
      this.replicaBucket = replica.bucket;
      this.replicaKey = replica.key;
      destinationBucketArn = replica.bucket.arn;
      replicaKeyArn = replica.key.arn;
      replicaDependencies = [replica.versioning];
    }

    this.replicationRole = args.replicationRole ?? new iam.Role(`${name}-replication-role`, {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      description: `drkit: S3 replication of ${name}`,
    }, { parent: this });
    new iam.RolePolicy(`${name}-replication-policy`, {
      role: this.replicationRole.id,
      policy: pulumi.all([this.bucket.arn, destinationBucketArn, this.key.arn, replicaKeyArn]).apply(([src, dst, key, replicaKey]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: src },
          {
            Effect: 'Allow',
            Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
            Resource: `${src}/*`,
          },
          {
            Effect: 'Allow',
            Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', ...(replication.ownerOverride ? ['s3:ObjectOwnerOverrideToBucketOwner'] : [])],
            Resource: `${dst}/*`,
          },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key },
          { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: replicaKey },
        ],
      })),
    }, { parent: this });

    const ruleId = S3_REPLICATION_RULE_ID;
    this.replication = new s3.BucketReplicationConfig(`${name}-replication`, {
      bucket: this.bucket.id,
      region: args.region,
      role: this.replicationRole.arn,
      rules: [s3ReplicationRule<pulumi.Input<string>>(replication, destinationBucketArn, replicaKeyArn)],
    }, { parent: this, dependsOn: [source.versioning, ...replicaDependencies] });

    // Alarms and replication events.
    let topicArn: pulumi.Input<string>;
    let topicPolicy: pulumi.Resource | undefined;
    if (args.alarmTopicArn !== undefined) {
      topicArn = args.alarmTopicArn;
    } else {
      const topic = new sns.Topic(`${name}-alarms`, {
        region: args.region,
        kmsMasterKeyId: this.key.arn,
        displayName: `drkit replication alarms for ${name}`,
      }, { parent: this });
      topicArn = topic.arn;
      topicPolicy = new sns.TopicPolicy(`${name}-alarms`, {
        region: args.region,
        arn: topic.arn,
        policy: pulumi.all([topic.arn, this.bucket.arn]).apply(([arn, bucketArn]) => JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish', Resource: arn, Condition: { ArnLike: { 'aws:SourceArn': bucketArn } } },
            { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: arn },
            { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          ],
        })),
      }, { parent: this });
    }
    this.alarmTopicArn = pulumi.output(topicArn);
    new s3.BucketNotification(`${name}-events`, {
      bucket: this.bucket.id,
      region: args.region,
      topics: [{
        topicArn,
        events: [
          's3:Replication:OperationFailedReplication',
          ...(replication.replicationTimeControl ? ['s3:Replication:OperationMissedThreshold'] : []),
        ],
      }],
    }, { parent: this, dependsOn: topicPolicy ? [topicPolicy] : [] });

    if (replication.replicationTimeControl) {
      const rpo = args.objective.covers(Disruption.REGION_OUTAGE)
        ? args.objective.targetFor(Disruption.REGION_OUTAGE).rpo
        : Period.minutes(Facts.S3_RTC_MINUTES);
      const destinationName = dest ? dest.bucketName : this.replicaBucket!.bucket;
      const dimensions = { SourceBucket: this.bucket.bucket, DestinationBucket: destinationName, RuleId: ruleId };
      new cloudwatch.MetricAlarm(`${name}-latency`, {
        region: args.region,
        alarmDescription: `drkit: replication of ${name} to ${replication.region} is later than the RPO (${rpo.toHuman()})`,
        namespace: 'AWS/S3',
        metricName: 'ReplicationLatency',
        dimensions,
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold: rpo.totalSeconds,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [topicArn],
      }, { parent: this });
      new cloudwatch.MetricAlarm(`${name}-failed`, {
        region: args.region,
        alarmDescription: `drkit: objects of ${name} failed to replicate to ${replication.region}`,
        namespace: 'AWS/S3',
        metricName: 'OperationsFailedReplication',
        dimensions,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [topicArn],
      }, { parent: this });
    }

    this.registerOutputs({
      bucketName: this.bucket.bucket,
      bucketArn: this.bucket.arn,
      replicaBucketArn: this.replicaBucket?.arn,
      alarmTopicArn: this.alarmTopicArn,
      plan: this.plan,
    });
  }
}

interface Planned {
  readonly plan: S3ProtectionPlan;
  readonly sourceLifecycle: LifecyclePlan;
  readonly replicaLifecycle?: LifecyclePlan;
}

function planBucket(name: string, args: CrossRegionReplicatedBucketArgs): Planned {
  if (!args || !args.objective || typeof (args.objective as any).toJson !== 'function') {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `CrossRegionReplicatedBucket ${name}: \`objective\` is required and must be a RecoveryObjective, for example RecoveryObjective.fromTier(RecoveryTier.GOLD)`);
  }
  if (!args.region) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `CrossRegionReplicatedBucket ${name}: \`region\` (the source bucket's region, for example "us-east-1") is required, so that drkit can check the replica is in another region`);
  }
  const dest = args.destination;
  if (dest && args.secondaryRegion && dest.region !== args.secondaryRegion) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `CrossRegionReplicatedBucket ${name} got \`secondaryRegion\` "${args.secondaryRegion}" and a \`destination\` in "${dest.region}": give one of them, or the same region`);
  }
  if (dest && args.replicaLifecycle) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `\`replicaLifecycle\` of CrossRegionReplicatedBucket ${name} applies only to a replica drkit creates, but \`destination\` is given: set its lifecycle where it is defined (LifecycleTiering)`);
  }
  const replicaRegion = dest?.region ?? args.secondaryRegion;
  if (!replicaRegion) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `CrossRegionReplicatedBucket ${name} needs a replica region: set \`secondaryRegion\` (for example "us-west-2") or \`destination.region\``);
  }
  if (dest) {
    checkS3BucketName('destination.bucketName', dest.bucketName, `CrossRegionReplicatedBucket ${name}`);
    checkReplicaKmsKeyArn('destination.kmsKeyArn', dest.kmsKeyArn, replicaRegion, `CrossRegionReplicatedBucket ${name}`);
  }
  const plan = S3Planner.bucket(args.objective, {
    resourceName: name,
    region: args.region,
    replicaRegion,
    account: args.account,
    replicaAccount: dest?.account,
    replicationTimeControl: args.replicationTimeControl,
    replicateDeleteMarkers: args.replicateDeleteMarkers,
    objectLockMode: args.objectLockMode,
    objectLockRetention: args.objectLockRetention,
  });
  const sourceLifecycle = planLifecycle(name, { ...(args.sourceLifecycle ?? {}), bucket: name, deriveFromObjective: false });
  const replicaLifecycle = dest ? undefined : planLifecycle(`${name}-replica`, {
    ...(args.replicaLifecycle ?? LifecyclePlanner.derive(args.objective, true)),
    bucket: `${name}-replica`,
    deriveFromObjective: false,
  });
  return { plan, sourceLifecycle, replicaLifecycle };
}

interface SecureBucket {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly versioning: s3.BucketVersioning;
}

/** A versioned, KMS-encrypted, TLS-only, private bucket with its key, both retained. */
function secureBucket(
  parent: pulumi.Resource, name: string, region: string, lockRule: any, lifecycle: LifecyclePlan, publishers: string[] = [],
): SecureBucket {
  const key = new kms.Key(`${name}-key`, {
    region,
    description: `drkit: encrypts bucket ${name}`,
    enableKeyRotation: true,
    ...(publishers.length ? {
      policy: getCallerIdentityOutput({}, { parent }).apply(id => JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id.accountId}:root` }, Action: 'kms:*', Resource: '*' },
          ...publishers.map(service => ({
            Sid: service.split('.')[0],
            Effect: 'Allow',
            Principal: { Service: service },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': id.accountId } },
          })),
        ],
      })),
    } : {}),
  }, { parent, retainOnDelete: true });
  const bucket = new s3.Bucket(`${name}-bucket`, {
    region,
    ...(lockRule ? { objectLockEnabled: true } : {}),
  }, { parent, retainOnDelete: true });
  const versioning = new s3.BucketVersioning(`${name}-versioning`, {
    bucket: bucket.id, region, versioningConfiguration: { status: 'Enabled' },
  }, { parent });
  new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
    bucket: bucket.id,
    region,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  }, { parent });
  new s3.BucketPublicAccessBlock(`${name}-public-access`, {
    bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, { parent });
  new s3.BucketOwnershipControls(`${name}-ownership`, {
    bucket: bucket.id, region, rule: { objectOwnership: 'BucketOwnerEnforced' },
  }, { parent });
  new s3.BucketPolicy(`${name}-tls-only`, {
    bucket: bucket.id,
    region,
    policy: bucket.arn.apply(arn => JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    })),
  }, { parent });
  if (lockRule) {
    new s3.BucketObjectLockConfiguration(`${name}-object-lock`, { bucket: bucket.id, region, rule: lockRule }, { parent, dependsOn: [versioning] });
  }
  new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
    bucket: bucket.id, region, rules: lifecycleRules(lifecycle),
  }, { parent, dependsOn: [versioning] });
  return { bucket, key, versioning };
}
