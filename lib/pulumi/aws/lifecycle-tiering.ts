// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as s3 from '@pulumi/aws/s3';
import * as pulumi from '@pulumi/pulumi';
import { TieringReportEntry, tieringReport } from './report';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { LifecyclePlan, LifecyclePlanner, LifecycleScheduleProps } from '../../core/lifecycle';

/** Arguments of {@link LifecycleTiering}. */
export interface LifecycleTieringArgs extends LifecycleScheduleProps {
  /**
   * Name of the bucket. S3 keeps one lifecycle configuration per bucket: this component
   * owns it, so do not add another `BucketLifecycleConfiguration` for the same bucket.
   */
  readonly bucket: pulumi.Input<string>;
  /**
   * Region of the bucket (the per-resource `region` of @pulumi/aws v7).
   * @default - the provider's region
   */
  readonly region?: pulumi.Input<string>;
  /**
   * Derive the schedule from `objective` when no transitions or expirations are given
   * (as the CDK construct does).
   * @default true
   */
  readonly deriveFromObjective?: boolean;
  /**
   * When deriving from the objective, move current versions to colder classes too (as for a replica).
   * @default false
   */
  readonly tierCurrentVersions?: boolean;
}

/**
 * Storage-class transitions and expirations for a bucket's current and noncurrent versions,
 * abort of incomplete multipart uploads and removal of expired delete markers, validated by
 * drkit's lifecycle planner (same rules and errors as the CDK `LifecycleTiering`).
 */
export class LifecycleTiering extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:LifecycleTiering';

  /** The validated plan (plain JSON, known at construction). */
  public readonly plan: LifecyclePlan;
  /** The transitions and expirations, each with its class's minimum storage duration and source. */
  public readonly report: pulumi.Output<TieringReportEntry[]>;
  /** The bucket's lifecycle configuration. */
  public readonly configuration: s3.BucketLifecycleConfiguration;

  constructor(name: string, args: LifecycleTieringArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validation runs before anything is registered, so a refused schedule registers nothing.
    const plan = planLifecycle(name, args);
    super(LifecycleTiering.TYPE, name, {}, opts);
    this.plan = plan;
    for (const advisory of plan.advisories) void pulumi.log.warn(`drkit: ${advisory}`, this);
    this.configuration = new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: args.bucket,
      ...(args.region !== undefined ? { region: args.region } : {}),
      rules: lifecycleRules(plan),
    }, { parent: this });
    this.report = pulumi.output(tieringReport(plan, Facts.S3_LIFECYCLE_SOURCE));
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}

/** Validates (and derives, when asked) the schedule of a LifecycleTiering. */
export function planLifecycle(name: string, args: LifecycleTieringArgs): LifecyclePlan {
  if (!args || args.bucket === undefined) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `LifecycleTiering ${name}: \`bucket\` (the bucket's name) is required`);
  }
  const given = args.transitions !== undefined || args.noncurrentTransitions !== undefined
    || args.expiration !== undefined || args.noncurrentExpiration !== undefined;
  let schedule: LifecycleScheduleProps = args;
  if (!given && args.objective && (args.deriveFromObjective ?? true)) {
    schedule = { ...args, ...LifecyclePlanner.derive(args.objective, args.tierCurrentVersions ?? false) };
  }
  return LifecyclePlanner.plan(name, schedule);
}

/** The plan as @pulumi/aws lifecycle rules: `drkit-tiering` (when any) and `drkit-cleanup`, as the CDK construct renders them. */
export function lifecycleRules(plan: LifecyclePlan): s3.BucketLifecycleConfigurationArgs['rules'] {
  const rules: any[] = [];
  const filter = { prefix: plan.prefix ?? '' };
  const tiering = plan.transitions.length > 0 || plan.noncurrentTransitions.length > 0
    || plan.expirationDays !== undefined || plan.noncurrentExpirationDays !== undefined;
  if (tiering) {
    rules.push({
      id: 'drkit-tiering',
      status: 'Enabled',
      filter,
      ...(plan.transitions.length ? { transitions: plan.transitions.map(t => ({ days: t.days, storageClass: t.storageClass })) } : {}),
      ...(plan.expirationDays !== undefined ? { expiration: { days: plan.expirationDays } } : {}),
      ...(plan.noncurrentTransitions.length ? {
        noncurrentVersionTransitions: plan.noncurrentTransitions.map(t => ({ noncurrentDays: t.days, storageClass: t.storageClass })),
      } : {}),
      ...(plan.noncurrentExpirationDays !== undefined ? {
        noncurrentVersionExpiration: {
          noncurrentDays: plan.noncurrentExpirationDays,
          ...(plan.noncurrentVersionsToRetain !== undefined ? { newerNoncurrentVersions: plan.noncurrentVersionsToRetain } : {}),
        },
      } : {}),
    });
  }
  if (plan.abortIncompleteMultipartUploadDays !== undefined || plan.expiredObjectDeleteMarker) {
    rules.push({
      id: 'drkit-cleanup',
      status: 'Enabled',
      filter,
      ...(plan.abortIncompleteMultipartUploadDays !== undefined
        ? { abortIncompleteMultipartUpload: { daysAfterInitiation: plan.abortIncompleteMultipartUploadDays } } : {}),
      ...(plan.expiredObjectDeleteMarker ? { expiration: { expiredObjectDeleteMarker: true } } : {}),
    });
  }
  return rules;
}
