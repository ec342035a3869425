import { Annotations, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { LifecyclePlan, LifecyclePlanner, LifecycleScheduleProps, PlannedTransition } from '../core/lifecycle';

/** Properties of a LifecycleTiering. */
export interface LifecycleTieringProps extends LifecycleScheduleProps {
  /**
   * The bucket whose lifecycle rules are set: an `s3.Bucket` defined in this app
   * (lifecycle rules are part of the bucket's CloudFormation resource, so an imported
   * bucket is refused).
   */
  readonly bucket: s3.IBucket;
  /**
   * Derive the schedule from `objective` when no transitions or expirations are given:
   * prior versions move to Standard-IA at 30 days and Glacier Instant Retrieval at 90 days
   * (as far as the retention allows) and are deleted after the objective's retention; with
   * `tierCurrentVersions`, current versions follow the same chain.
   * @default true
   */
  readonly deriveFromObjective?: boolean;
  /**
   * When deriving from the objective, move current versions to colder classes too (as
   * for a replica, which is read only after a failover).
   * @default false
   */
  readonly tierCurrentVersions?: boolean;
}

/**
 * Storage-class transitions and expirations for a bucket's current and noncurrent versions,
 * abort of incomplete multipart uploads and removal of expired delete markers, validated
 * against S3's documented rules (minimum storage durations, 30 days before an IA class,
 * colder-only transitions, expiration after the last transition) and against the
 * objective's retention.
 *
 * Adds two lifecycle rules to the bucket: `drkit-tiering` (transitions and expirations,
 * only when there are any) and `drkit-cleanup` (multipart uploads and delete markers: S3
 * does not accept `ExpiredObjectDeleteMarker` in a rule with an expiration in days). A
 * second LifecycleTiering on the same bucket (for another `prefix`) suffixes its rule ids
 * with `-2`, and so on.
 *
 * On a versioned bucket, a schedule that never expires noncurrent versions (none given, none
 * derived) keeps every overwritten or deleted version for good: synth warns once per bucket
 * (`drkit:noncurrent-versions-kept`) with the cost consequence. Give the `objective` (the
 * expiration is then derived from its retention) or a `noncurrentExpiration`.
 */
export class LifecycleTiering extends Construct {
  /** The validated plan the construct rendered. */
  public readonly plan: LifecyclePlan;

  constructor(scope: Construct, id: string, props: LifecycleTieringProps) {
    super(scope, id);
    if (!props || !props.bucket) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `\`bucket\` is required for LifecycleTiering ${this.node.path}`);
    }
    const bucket = props.bucket;
    const cfn = bucket.node.defaultChild;
    const kind = cfn && CfnResource.isCfnResource(cfn) ? cfn.cfnResourceType : undefined;
    if (kind !== 'AWS::S3::Bucket' || typeof (bucket as any).addLifecycleRule !== 'function') {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `LifecycleTiering ${this.node.path} needs an s3.Bucket defined in this app, but \`bucket\` ${bucket.node.path} ${kind ? `is a ${kind}` : 'has no CloudFormation resource (an imported bucket)'}: lifecycle rules are part of the bucket's own resource, so add LifecycleTiering in the app that defines the bucket (or set the rules there with \`addLifecycleRule\`)`);
    }

    const given = props.transitions !== undefined || props.noncurrentTransitions !== undefined
      || props.expiration !== undefined || props.noncurrentExpiration !== undefined;
    let schedule: LifecycleScheduleProps = props;
    if (!given && props.objective && (props.deriveFromObjective ?? true)) {
      schedule = { ...props, ...LifecyclePlanner.derive(props.objective, props.tierCurrentVersions ?? false) };
    }
    this.plan = LifecyclePlanner.plan(bucket.node.path, schedule);
    const plan = this.plan;
    const target = bucket as s3.Bucket;
    // S3 needs unique rule ids: the first LifecycleTiering of a bucket uses the plain ids.
    const n = (ATTACHED.get(target) ?? 0) + 1;
    ATTACHED.set(target, n);
    const suffix = n === 1 ? '' : `-${n}`;

    const tiering = plan.transitions.length > 0 || plan.noncurrentTransitions.length > 0
      || plan.expirationDays !== undefined || plan.noncurrentExpirationDays !== undefined;
    if (tiering) {
      target.addLifecycleRule({
        id: `drkit-tiering${suffix}`,
        prefix: plan.prefix,
        transitions: plan.transitions.length ? plan.transitions.map(t => ({
          storageClass: storageClass(t),
          transitionAfter: Duration.days(t.days),
        })) : undefined,
        expiration: plan.expirationDays !== undefined ? Duration.days(plan.expirationDays) : undefined,
        noncurrentVersionTransitions: plan.noncurrentTransitions.length ? plan.noncurrentTransitions.map(t => ({
          storageClass: storageClass(t),
          transitionAfter: Duration.days(t.days),
        })) : undefined,
        noncurrentVersionExpiration: plan.noncurrentExpirationDays !== undefined ? Duration.days(plan.noncurrentExpirationDays) : undefined,
        noncurrentVersionsToRetain: plan.noncurrentVersionsToRetain,
      });
    }
    if (plan.abortIncompleteMultipartUploadDays !== undefined || plan.expiredObjectDeleteMarker) {
      target.addLifecycleRule({
        id: `drkit-cleanup${suffix}`,
        prefix: plan.prefix,
        abortIncompleteMultipartUploadAfter: plan.abortIncompleteMultipartUploadDays !== undefined
          ? Duration.days(plan.abortIncompleteMultipartUploadDays) : undefined,
        expiredObjectDeleteMarker: plan.expiredObjectDeleteMarker ? true : undefined,
      });
    }
    if (plan.noncurrentExpirationDays === undefined && isVersioned(cfn as s3.CfnBucket) && !KEPT_WARNED.has(target)) {
      KEPT_WARNED.add(target);
      Annotations.of(bucket).addWarningV2('drkit:noncurrent-versions-kept',
        `bucket ${bucket.node.path} is versioned and LifecycleTiering ${this.node.path} never expires its noncurrent versions${plan.prefix ? ` (prefix "${plan.prefix}")` : ''}: `
        + 'every overwrite and delete keeps the prior version, billed at its storage class\'s rate for as long as the bucket exists, so storage cost grows with every write and never falls. '
        + 'If that is on purpose, accept it; otherwise give `objective` (noncurrent versions then expire after its retention) or `noncurrentExpiration`');
    }
    // No metadata restates the plan: the bucket's LifecycleConfiguration is what the report reads
    // (the `drkit:lifecycle` metadata it replaced was read by nothing and cost 300-450 bytes per bucket, issue 16).
  }
}

const ATTACHED = new WeakMap<s3.Bucket, number>();
/** Buckets already warned about noncurrent versions kept for good (one warning per bucket). */
const KEPT_WARNED = new WeakSet<s3.Bucket>();

/** Whether the bucket's versioning is Enabled (as far as it resolves at synth). */
function isVersioned(cfn: s3.CfnBucket): boolean {
  const v = Stack.of(cfn).resolve(cfn.versioningConfiguration);
  return v?.status === 'Enabled' || v?.Status === 'Enabled';
}

function storageClass(t: PlannedTransition): s3.StorageClass {
  return new s3.StorageClass(t.storageClass);
}
