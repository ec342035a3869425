import * as storage from '@pulumi/gcp/storage';
import type * as inputs from '@pulumi/gcp/types/input';
import * as pulumi from '@pulumi/pulumi';
import { CloudReportEntry } from '../../core/clouds/common';
import { GcpPlanner, GcsBucketPlan, GcsLifecycleRulePlan, GcsTieringProps } from '../../core/clouds/gcp';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** Arguments of a Cloud Storage dual-region bucket planned from an objective. */
export interface CrossRegionReplicatedBucketArgs {
  /** The recovery objective the bucket must meet. */
  readonly objective: RecoveryObjective;
  /** First region of the dual-region, for example `us-central1`. */
  readonly primaryRegion: string;
  /** Second region of the dual-region, for example `us-east1`. */
  readonly secondaryRegion: string;
  /**
   * Bucket location: the predefined dual-region the pair forms (`NAM4`, `EUR4`...) or the
   * configurable dual-region's location code (`US`, `EU`, `DE`...), checked against Cloud
   * Storage's documented table.
   * @default - derived from the regions
   */
  readonly location?: string;
  /** Bucket name. @default - Pulumi auto-naming from the component name */
  readonly bucketName?: pulumi.Input<string>;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /** Cloud KMS key for default encryption. @default - Google-managed encryption */
  readonly kmsKeyName?: pulumi.Input<string>;
  /** Storage-class tiering (checked against minimum storage durations and the objective's retention). @default - none */
  readonly tiering?: Omit<GcsTieringProps, 'objective'>;
  /** Labels. @default - none */
  readonly labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** The bucket's `lifecycleRules` input for a planned rule. */
export function renderLifecycleRule(r: GcsLifecycleRulePlan): inputs.storage.BucketLifecycleRule {
  return {
    action: r.storageClass !== undefined ? { type: r.action, storageClass: r.storageClass } : { type: r.action },
    condition: {
      ...(r.age !== undefined ? { age: r.age } : {}),
      ...(r.daysSinceNoncurrentTime !== undefined ? { daysSinceNoncurrentTime: r.daysSinceNoncurrentTime } : {}),
      withState: r.withState,
    },
  };
}

/**
 * A dual-region Cloud Storage bucket that meets a recovery objective: turbo replication
 * when the region-outage RPO needs the 15-minute bound, versioning and soft delete (or a
 * retention policy, locked for compliance), noncurrent-version expiry from the objective.
 */
export class CrossRegionReplicatedBucket extends pulumi.ComponentResource {
  /** The bucket. */
  public readonly bucket: storage.Bucket;
  /** Bucket name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<GcsBucketPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: CrossRegionReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `CrossRegionReplicatedBucket ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = GcpPlanner.storageBucket(args.objective, {
      resourceName: name,
      primaryRegion: args.primaryRegion,
      secondaryRegion: args.secondaryRegion,
      location: args.location,
      tiering: args.tiering,
    });
    // Planned before registration: a refused objective leaves nothing half-registered.
    super('drkit:gcp:CrossRegionReplicatedBucket', name, {}, opts);
    const bucketArgs: storage.BucketArgs = {
      name: args.bucketName,
      project: args.project,
      location: plan.location,
      customPlacementConfig: plan.dataLocations.length ? { dataLocations: plan.dataLocations } : undefined,
      rpo: plan.replication,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: plan.versioning },
      softDeletePolicy: { retentionDurationSeconds: plan.softDeleteDays * 86400 },
      retentionPolicy: plan.retentionPolicyDays !== undefined
        ? { retentionPeriod: String(plan.retentionPolicyDays * 86400), isLocked: plan.retentionPolicyLocked }
        : undefined,
      lifecycleRules: plan.lifecycleRules.map(renderLifecycleRule),
      encryption: args.kmsKeyName !== undefined ? { defaultKmsKeyName: args.kmsKeyName } : undefined,
      labels: args.labels,
      forceDestroy: false,
    };
    this.bucket = new storage.Bucket(`${name}-bucket`, bucketArgs, { parent: this, retainOnDelete: true });
    this.bucketName = this.bucket.name;
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ bucketName: this.bucketName, plan: this.plan, report: this.report });
  }
}
