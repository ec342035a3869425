// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as s3 from '@pulumi/aws/s3';
import * as pulumi from '@pulumi/pulumi';
import { sharedAlarmTopic } from './alarm-topic';
import { accountAdministers } from './backup-foundation';
import { lifecycleRules, planLifecycle } from './lifecycle-tiering';
import { sharedReplicationWatch } from './replication-alarms';
import { awsReport, CloudReportEntry } from './report';
import { awsIdentity, awsProviderOf, providerKey, providerOpts, sharedInRun, sharedName } from './shared';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { LifecyclePlan, LifecyclePlanner, LifecycleScheduleProps } from '../../core/lifecycle';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { checkCrossAccountReplicaKey, checkReplicaKmsKeyArn, checkS3BucketName, S3_REPLICATION_RULE_ID, S3Planner, S3ProtectionPlan, s3ReplicationRule } from '../../core/plan-s3';

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
   * A replication role of your own; drkit grants it what this bucket's replication needs with
   * an IAM policy.
   * @default - the role drkit shares between the replicated buckets of the source region
   */
  readonly replicationRole?: iam.Role;
  /**
   * ARN of a topic for alarms and replication events (its policies must let S3 and CloudWatch publish).
   * @default - the KMS-encrypted alarm topic drkit shares between its components in the source region
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Also declare the four S3 Block Public Access settings of both buckets as
   * `aws.s3.BucketPublicAccessBlock` resources, so that `pulumi up` restores them if someone
   * turns one off (two more resources per bucket pair).
   * @default false - S3's default for new buckets: "By default, new buckets, access points,
   * and objects do not allow public access", and ACLs are disabled (bucket owner enforced)
   */
  readonly blockPublicAccess?: boolean;
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
 * A versioned, KMS-encrypted, TLS-only bucket replicated to a bucket in another region,
 * planned by the same core as the CDK `CrossRegionReplicatedBucket` (RTC when the objective
 * covers region outage; an RPO below 15 minutes throws DRK010 before anything is registered).
 *
 * What the buckets of a program share, as the CDK constructs share them per stack: one
 * replication role per AWS provider and source region, one alarm topic per region, and one
 * KMS key per objective and region for the sources (and one for their replicas). The role's
 * bucket permissions are granted where the buckets are: each bucket's policy lets the role read
 * (source) or replicate into (replica) that bucket. The shared keys are used only through IAM:
 * each bucket adds one role policy that lets the role decrypt the source key and encrypt with
 * the replica key, each only through S3 in its region and only for that bucket pair (the
 * `kms:EncryptionContext:aws:s3:arn` condition AWS's replication documentation shows).
 * Public access is blocked and ACLs are disabled by S3's defaults for new buckets; drkit
 * does not restate them. Buckets and keys are `retainOnDelete`.
 */
export class CrossRegionReplicatedBucket extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:CrossRegionReplicatedBucket';

  /** The neutral protection plan (plain JSON, known at construction). */
  public readonly plan: S3ProtectionPlan;
  /**
   * Per disruption in the objective: the mechanisms, the RPO and RTO with how each is
   * established, and their sources, from the plan's achieved targets.
   */
  public readonly report: pulumi.Output<CloudReportEntry[]>;
  /** Lifecycle plan of the source. */
  public readonly sourceLifecyclePlan: LifecyclePlan;
  /** Lifecycle plan of the replica drkit creates. */
  public readonly replicaLifecyclePlan?: LifecyclePlan;
  /** The source bucket. */
  public readonly bucket: s3.Bucket;
  /** The source key (shared by the sources of the objective in the region). */
  public readonly key: kms.Key;
  /** The replica bucket, when drkit creates it. */
  public readonly replicaBucket?: s3.Bucket;
  /** The replica key, when drkit creates the replica (shared by the replicas of the objective in that region). */
  public readonly replicaKey?: kms.Key;
  /** The replication role (shared per AWS provider and source region, unless given). */
  public readonly replicationRole: iam.Role;
  /** The replication configuration. */
  public readonly replication: s3.BucketReplicationConfig;
  /**
   * The Metrics Insights alarm on replication later than the RPO (with Replication Time
   * Control), in the replica's region, shared by every bucket of this Pulumi stack with the same
   * regions and RPO (per provider).
   */
  public readonly latencyAlarm?: cloudwatch.MetricAlarm;
  /** ARN of the topic the latency alarm notifies: the replica region's shared alarm topic (an alarm notifies topics of its own region). */
  public readonly latencyAlarmTopicArn?: pulumi.Output<string>;
  /** ID of the bucket's replication rule (`drkit-replicate-<hash>` with RTC: the latency alarm's query selects it). */
  public readonly replicationRuleId: string;
  /** ARN of the alarm topic. */
  public readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: CrossRegionReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything that can refuse runs before anything is registered.
    const planned = planBucket(name, args);
    super(CrossRegionReplicatedBucket.TYPE, name, {}, opts);
    const provider = awsProviderOf(opts);
    const { plan, sourceLifecycle, replicaLifecycle } = planned;
    this.plan = plan;
    this.report = pulumi.output(awsReport(plan.achieved));
    this.sourceLifecyclePlan = sourceLifecycle;
    this.replicaLifecyclePlan = replicaLifecycle;
    const replication = plan.replication!;
    const dest = args.destination;
    for (const advisory of plan.advisories) void pulumi.log.warn(`drkit: ${advisory}`, this);
    const id = awsIdentity(provider);

    const lockRule = plan.objectLock !== Immutability.NONE ? {
      defaultRetention: { mode: plan.objectLock === Immutability.COMPLIANCE ? 'COMPLIANCE' : 'GOVERNANCE', days: plan.objectLockDays },
    } : undefined;

    // The shared role replicates; with a role of your own, drkit grants it by an IAM policy.
    const ownRole = args.replicationRole;
    const sharedRole = sharedReplicationRole(args.region, provider, ownRole === undefined);
    if (ownRole !== undefined) warnPastInlineBudget(ownRole, name);
    this.replicationRole = ownRole ?? sharedRole;
    // Resource policies grant the shared role only where drkit owns both sides in this account.
    const grantByResource = ownRole === undefined && dest === undefined;

    this.key = sharedBucketKey(args.objective, args.region, args.region, 'source', provider);
    const blockPublicAccess = args.blockPublicAccess === true;
    const source = secureBucket(this, name, args.region, lockRule, sourceLifecycle, this.key, blockPublicAccess, grantByResource ? {
      role: sharedRole,
      actions: (arn: string) => [
        { actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [arn] },
        { actions: REPLICATION_READ_ACTIONS, resources: [`${arn}/*`] },
      ],
    } : undefined);
    this.bucket = source.bucket;

    let destinationBucketArn: pulumi.Input<string>;
    let replicaKeyArn: pulumi.Input<string>;
    let replicaDependencies: pulumi.Resource[] = [];
    if (dest) {
      destinationBucketArn = pulumi.interpolate`arn:${id.partition}:s3:::${dest.bucketName}`;
      replicaKeyArn = dest.kmsKeyArn;
    } else {
      this.replicaKey = sharedBucketKey(args.objective, args.region, replication.region, 'replica', provider);
      const replica = secureBucket(this, `${name}-replica`, replication.region, lockRule, replicaLifecycle!, this.replicaKey, blockPublicAccess, grantByResource ? {
        role: sharedRole,
        actions: (arn: string) => [{ actions: replicateActions(replication.ownerOverride), resources: [`${arn}/*`] }],
      } : undefined);
      this.replicaBucket = replica.bucket;
      destinationBucketArn = replica.bucket.arn;
      replicaKeyArn = this.replicaKey.arn;
      replicaDependencies = [replica.versioning, ...(replica.policy ? [replica.policy] : [])];
    }

    let rolePolicy: iam.RolePolicy | undefined;
    if (!grantByResource) {
      // A destination of yours (perhaps in another account) or a role of yours: the role needs
      // an IAM policy (cross-account access needs both the identity and the resource side).
      rolePolicy = new iam.RolePolicy(`${name}-replication-policy`, {
        role: this.replicationRole.id,
        policy: pulumi.all([this.bucket.arn, destinationBucketArn, this.key.arn, replicaKeyArn, id.dnsSuffix])
          .apply(([src, dst, key, replicaKey, suffix]) => JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: src },
              { Effect: 'Allow', Action: REPLICATION_READ_ACTIONS, Resource: `${src}/*` },
              { Effect: 'Allow', Action: replicateActions(replication.ownerOverride), Resource: `${dst}/*` },
              ...replicationKeyStatements(src, key, args.region, dst, replicaKey, replication.region, suffix),
            ],
          })),
      }, { parent: this });
    } else {
      // The shared keys' policies leave their use to IAM: this bucket's role policy lets the role
      // use them only through S3 in each region and only for this bucket pair.
      rolePolicy = new iam.RolePolicy(`${name}-replication-keys`, {
        role: this.replicationRole.id,
        policy: pulumi.all([this.bucket.arn, destinationBucketArn, this.key.arn, replicaKeyArn, id.dnsSuffix])
          .apply(([src, dst, key, replicaKey, suffix]) => JSON.stringify({
            Version: '2012-10-17',
            Statement: replicationKeyStatements(src, key, args.region, dst, replicaKey, replication.region, suffix),
          })),
      }, { parent: this });
    }

    // With RTC, the stack's shared latency alarm (in the replica's region, where S3 publishes
    // ReplicationLatency) watches this rule by its rule ID: one alarm per source region, replica
    // region and RPO, whatever the number of buckets. For a destination in another account the
    // documentation does not say which account receives the metric: no latency alarm there (the
    // missed-threshold and failure events still notify), as in CDK.
    let ruleId = S3_REPLICATION_RULE_ID;
    if (replication.replicationTimeControl && replication.account === undefined) {
      const rpo = args.objective.covers(Disruption.REGION_OUTAGE)
        ? args.objective.targetFor(Disruption.REGION_OUTAGE).rpo
        : Period.minutes(Facts.S3_RTC_MINUTES);
      const watch = sharedReplicationWatch(args.region, replication.region, rpo.totalSeconds, provider, this);
      ruleId = watch.ruleId;
      this.latencyAlarm = watch.latencyAlarm;
      this.latencyAlarmTopicArn = watch.topicArn;
      if (args.alarmTopicArn !== undefined) {
        void pulumi.log.warn(`drkit: the replication latency of ${name} is alarmed in ${replication.region}, where S3 publishes ReplicationLatency `
          + `(${Facts.S3_REPLICATION_METRIC_REGIONS.source}), and an alarm notifies topics of its own region, so it goes to the shared topic `
          + `drkit-alarms-${replication.region}, not to \`alarmTopicArn\`: subscribe to it too (output latencyAlarmTopicArn)`, this);
      }
    }
    this.replicationRuleId = ruleId;
    this.replication = new s3.BucketReplicationConfig(`${name}-replication`, {
      bucket: this.bucket.id,
      region: args.region,
      role: this.replicationRole.arn,
      rules: [s3ReplicationRule<pulumi.Input<string>>(replication, destinationBucketArn, replicaKeyArn, ruleId)],
    }, {
      parent: this,
      dependsOn: [source.versioning, ...(source.policy ? [source.policy] : []), ...replicaDependencies, ...(rolePolicy ? [rolePolicy] : [])],
    });

    // Replication events: to your topic, or to the region's shared one.
    let topicArn: pulumi.Input<string>;
    let topicPolicy: pulumi.Resource | undefined;
    if (args.alarmTopicArn !== undefined) {
      topicArn = args.alarmTopicArn;
    } else {
      const topic = sharedAlarmTopic(args.region, provider);
      topicArn = topic.topic.arn;
      topicPolicy = topic.policy;
    }
    this.alarmTopicArn = pulumi.output(topicArn);
    // A failed replication is reported per object by S3 (s3:Replication:OperationFailedReplication),
    // so no alarm on OperationsFailedReplication restates it.
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

    this.registerOutputs({
      bucketName: this.bucket.bucket,
      bucketArn: this.bucket.arn,
      replicaBucketArn: this.replicaBucket?.arn,
      alarmTopicArn: this.alarmTopicArn,
      plan: this.plan,
      report: this.report,
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
    checkCrossAccountReplicaKey('destination.kmsKeyArn', dest.kmsKeyArn, args.account, dest.account, `CrossRegionReplicatedBucket ${name}`);
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

/**
 * The replication role's use of the keys, as AWS's "Replicating encrypted objects" shows:
 * kms:Decrypt on the source key and kms:Encrypt on the replica key, each only through S3 in its
 * bucket's region and only for its bucket's objects (the bucket ARN is the encryption context
 * with S3 Bucket Keys; an object's ARN without).
 */
function replicationKeyStatements(
  src: string, key: string, region: string, dst: string, replicaKey: string, replicaRegion: string, suffix: string,
): object[] {
  const conditions = (r: string, bucketArn: string) => ({
    StringEquals: { 'kms:ViaService': `s3.${r}.${suffix}` },
    StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] },
  });
  return [
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: conditions(region, src) },
    { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: replicaKey, Condition: conditions(replicaRegion, dst) },
  ];
}

interface SecureBucket {
  readonly bucket: s3.Bucket;
  readonly versioning: s3.BucketVersioning;
  readonly policy: s3.BucketPolicy;
}

/** Statements a bucket's policy grants the replication role. */
interface RoleGrant {
  readonly role: iam.Role;
  readonly actions: (bucketArn: string) => Array<{ actions: string[]; resources: string[] }>;
}

/** The actions of S3 replication on the source's object versions. */
const REPLICATION_READ_ACTIONS = [
  's3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold',
];

function replicateActions(ownerOverride?: boolean): string[] {
  return ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', ...(ownerOverride ? ['s3:ObjectOwnerOverrideToBucketOwner'] : [])];
}

/**
 * A versioned, KMS-encrypted (with a bucket key), TLS-only bucket, retained, whose policy
 * grants the replication role what replication needs on it. New buckets block public access
 * and disable ACLs by S3's defaults (since April 2023), which drkit does not restate.
 */
function secureBucket(
  parent: pulumi.Resource, name: string, region: string, lockRule: any, lifecycle: LifecyclePlan, key: kms.Key,
  blockPublicAccess: boolean, grant?: RoleGrant,
): SecureBucket {
  const opts = { parent };
  const bucket = new s3.Bucket(`${name}-bucket`, {
    region,
    ...(lockRule ? { objectLockEnabled: true } : {}),
  }, { parent, retainOnDelete: true });
  const versioning = new s3.BucketVersioning(`${name}-versioning`, {
    bucket: bucket.id, region, versioningConfiguration: { status: 'Enabled' },
  }, opts);
  new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
    bucket: bucket.id,
    region,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  }, opts);
  if (blockPublicAccess) {
    new s3.BucketPublicAccessBlock(`${name}-public-access`, {
      bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
  }
  const policy = new s3.BucketPolicy(`${name}-tls-only`, {
    bucket: bucket.id,
    region,
    policy: pulumi.all([bucket.arn, grant ? grant.role.arn : '']).apply(([arn, roleArn]) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...(grant ? grant.actions(arn).map((a, i) => ({
          Sid: `DrkitReplication${i}`,
          Effect: 'Allow',
          Principal: { AWS: roleArn },
          Action: a.actions,
          Resource: a.resources.length === 1 ? a.resources[0] : a.resources,
        })) : []),
      ],
    })),
  }, opts);
  if (lockRule) {
    new s3.BucketObjectLockConfiguration(`${name}-object-lock`, { bucket: bucket.id, region, rule: lockRule }, { parent, dependsOn: [versioning] });
  }
  new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
    bucket: bucket.id, region, rules: lifecycleRules(lifecycle),
  }, { parent, dependsOn: [versioning] });
  return { bucket, versioning, policy };
}

/**
 * Buckets one shared replication role serves. Each bucket puts an inline policy on the role
 * (about 760 characters for the key grants, 1,270 with the S3 grants, more with long bucket
 * names), and IAM limits a role's inline policies to 10,240 characters in all ("IAM and AWS STS
 * quotas": "Role policy size"): one role for every bucket of a region failed at about the
 * twelfth bucket (issue 16). Six buckets stay inside it with 1,700 characters each.
 */
const BUCKETS_PER_REPLICATION_ROLE = 6;

/**
 * The role S3 assumes to replicate the next drkit bucket of `region` (per AWS provider),
 * created on first use, as the CDK constructs share one per stack: the first six buckets of the
 * region share the first role, the next six a second (`...-2`), and so on. Its name is derived
 * from the region and its number, so a second run gives the same URNs; its permissions are in
 * the buckets' and keys' policies. `count` is false for a bucket that uses a role of its own.
 */
function sharedReplicationRole(region: string, provider: pulumi.ProviderResource | undefined, count: boolean): iam.Role {
  const counter = sharedInRun(`replication-role-count|${providerKey(provider)}|${region}`, () => ({ buckets: 0 }));
  if (count) counter.buckets += 1;
  const n = Math.max(1, Math.ceil(counter.buckets / BUCKETS_PER_REPLICATION_ROLE));
  return sharedInRun(`replication-role|${providerKey(provider)}|${region}|${n}`, () => new iam.Role(
    sharedName(['drkit-s3-replication', region, providerKey(provider), n === 1 ? undefined : String(n)]), {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      description: n === 1
        ? `drkit: S3 replication of the replicated buckets in ${region}`
        : `drkit: S3 replication of replicated buckets ${(n - 1) * BUCKETS_PER_REPLICATION_ROLE + 1}-${n * BUCKETS_PER_REPLICATION_ROLE} in ${region}`,
    }, providerOpts(provider)));
}

/** Buckets given each role of the user's own (`replicationRole`). */
const OWN_ROLE_BUCKETS = new WeakMap<iam.Role, number>();

/** A role of the user's own gets an inline policy per bucket: past six buckets IAM's 10,240 characters may not hold them. */
function warnPastInlineBudget(role: iam.Role, name: string): void {
  const n = (OWN_ROLE_BUCKETS.get(role) ?? 0) + 1;
  OWN_ROLE_BUCKETS.set(role, n);
  if (n === BUCKETS_PER_REPLICATION_ROLE + 1) {
    void pulumi.log.warn(`drkit: bucket ${name} is the ${n}th bucket given the same replicationRole; each adds an inline policy of about `
      + `1,300 characters to it, and IAM allows ${Facts.IAM_ROLE_INLINE_POLICY_CHARS.toLocaleString('en-US')} characters of inline policies per role (${Facts.IAM_QUOTAS_SOURCE}), so the deployment may fail with `
      + `LimitExceeded. Give each ${BUCKETS_PER_REPLICATION_ROLE} buckets a role of their own, or leave replicationRole out (drkit then shares a role per ${BUCKETS_PER_REPLICATION_ROLE} buckets).`);
  }
}

/**
 * The key of the sources (or the replicas) of one objective in one region (per source region
 * and AWS provider), created on first use and retained. The account administers it, so IAM
 * decides its use: each bucket's role policy lets the shared replication role decrypt (sources)
 * or encrypt (replicas) with it through S3 in its region, for that bucket only.
 */
function sharedBucketKey(
  objective: RecoveryObjective, sourceRegion: string, keyRegion: string, side: 'source' | 'replica', provider?: pulumi.ProviderResource,
): kms.Key {
  const key = `bucket-key|${providerKey(provider)}|${side}|${sharedName([objective.name])}|${sourceRegion}|${keyRegion}`;
  return sharedInRun(key, () => {
    const id = awsIdentity(provider);
    const name = side === 'source'
      ? sharedName(['drkit-bucket-key', objective.name, sourceRegion, providerKey(provider)])
      : sharedName(['drkit-replica-key', objective.name, sourceRegion, 'to', keyRegion, providerKey(provider)]);
    return new kms.Key(name, {
      region: keyRegion,
      description: side === 'source'
        ? `drkit: encrypts the replicated buckets of objective "${objective.name}" in ${sourceRegion}`
        : `drkit: encrypts the replicas in ${keyRegion} of the buckets of objective "${objective.name}" in ${sourceRegion}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // The account administers the key, so IAM policies decide its use: each bucket's role
      // policy grants the replication role the key for that bucket only (a key policy shared
      // by the buckets could not name each bucket's encryption context).
      policy: pulumi.all([id.partition, id.accountId]).apply(([partition, account]) => JSON.stringify({
        Version: '2012-10-17',
        Statement: [accountAdministers(partition, account)],
      })),
    }, { retainOnDelete: true, ...providerOpts(provider) });
  });
}
