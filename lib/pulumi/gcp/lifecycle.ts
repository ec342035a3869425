import * as storage from '@pulumi/gcp/storage';
import * as pulumi from '@pulumi/pulumi';
import { renderLifecycleRule } from './bucket';
import { Facts } from '../../core/catalog';
import { GcpPlanner, GcsLifecycleRulePlan, GcsStorageClass, GcsTieringProps } from '../../core/clouds/gcp';

/** Arguments of a bucket with storage-class tiering. */
export interface LifecycleTieringArgs extends GcsTieringProps {
  /** Bucket location (region, dual-region or multi-region code). */
  readonly location: pulumi.Input<string>;
  /** Bucket name. @default - Pulumi auto-naming from the component name */
  readonly bucketName?: pulumi.Input<string>;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /**
   * Cloud KMS key for the bucket's default encryption (customer-managed); the Cloud Storage
   * service agent needs Encrypter/Decrypter on it.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
}

/** One tiering step in the report. */
export interface TieringReportEntry {
  /** `SetStorageClass` or `Delete`. */
  readonly action: string;
  /**
   * Target class, for SetStorageClass.
   * @default - none (a Delete action)
   */
  readonly storageClass?: string;
  /** Applies to live objects or noncurrent versions. */
  readonly objects: string;
  /** Days after creation or after becoming noncurrent. */
  readonly afterDays: number;
  /**
   * The class's minimum storage duration (days), for SetStorageClass.
   * @default - none (a Delete action)
   */
  readonly minStorageDays?: number;
  /** Where the minimum is documented. */
  readonly source: string;
}

/**
 * A Cloud Storage bucket whose lifecycle rules move objects to Nearline / Coldline /
 * Archive and delete them, honouring each class's minimum storage duration (30 / 90 / 365
 * days) and, when an objective is given, its retention. Cloud Storage keeps lifecycle
 * rules on the bucket itself, so this component owns the bucket; to tier a dual-region
 * bucket, pass `tiering` to CrossRegionReplicatedBucket instead.
 */
export class LifecycleTiering extends pulumi.ComponentResource {
  /** The bucket. */
  public readonly bucket: storage.Bucket;
  /** The planned rules. */
  public readonly plan: pulumi.Output<GcsLifecycleRulePlan[]>;
  /** Each step with its minimum storage duration and source. */
  public readonly report: pulumi.Output<TieringReportEntry[]>;

  constructor(name: string, args: LifecycleTieringArgs, opts?: pulumi.ComponentResourceOptions) {
    const rules = GcpPlanner.lifecycleRules(args);
    super('drkit:gcp:LifecycleTiering', name, {}, opts);
    const noncurrent = rules.some(r => r.withState === 'ARCHIVED');
    this.bucket = new storage.Bucket(`${name}-bucket`, {
      name: args.bucketName,
      project: args.project,
      location: args.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: noncurrent },
      lifecycleRules: rules.map(renderLifecycleRule),
      encryption: args.kmsKeyName !== undefined ? { defaultKmsKeyName: args.kmsKeyName } : undefined,
      forceDestroy: false,
    }, { parent: this, retainOnDelete: true });
    const report: TieringReportEntry[] = rules.map(r => ({
      action: r.action,
      storageClass: r.storageClass,
      objects: r.withState === 'ARCHIVED' ? 'noncurrent versions' : 'live objects',
      afterDays: (r.age ?? r.daysSinceNoncurrentTime)!,
      minStorageDays: r.storageClass ? GcpPlanner.minStorageDays(r.storageClass as GcsStorageClass) : undefined,
      source: Facts.GCS_STORAGE_CLASSES_SOURCE,
    }));
    this.plan = pulumi.output(rules);
    this.report = pulumi.output(report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
