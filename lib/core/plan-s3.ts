import { checkAwsRegion } from './aws-regions';
import { BoundKind, Facts, Mechanism } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from './objective';
import { Period } from './period';
import { AchievedTarget, checkRto, failoverCandidate, ResourceKind, rtoCandidate } from './plan';

/** Where a bucket is and where it replicates to, as far as planning needs. */
export interface S3PlanContext {
  /** Name of the bucket (construct path or physical name), for messages and reports. */
  readonly resourceName: string;
  /**
   * Region of the source bucket.
   * @default - unknown (environment-agnostic stack)
   */
  readonly region?: string;
  /**
   * Region of the replica bucket.
   * @default - no replication (refused when the objective covers region outage)
   */
  readonly replicaRegion?: string;
  /**
   * Account of the source bucket.
   * @default - unknown
   */
  readonly account?: string;
  /**
   * Account of the replica bucket, when it is another account.
   * @default - the source account
   */
  readonly replicaAccount?: string;
  /**
   * Turn S3 Replication Time Control (and its metrics) on or off.
   * @default - on when the objective covers region outage (its RPO needs the 15-minute bound), else off
   */
  readonly replicationTimeControl?: boolean;
  /**
   * Replicate delete markers. Off by default so that a deletion in the source does not
   * hide the object in the replica.
   * @default false
   */
  readonly replicateDeleteMarkers?: boolean;
  /**
   * Object Lock mode for the bucket (and its replica).
   * @default - the objective's `immutability`
   */
  readonly objectLockMode?: Immutability;
  /**
   * Object Lock default retention.
   * @default - the objective's point-in-time window (`retention.pointInTimeDays`)
   */
  readonly objectLockRetention?: Period;
}

/** Replication settings of a plan. */
export interface S3ReplicationPlan {
  /** Destination region. */
  readonly region: string;
  /**
   * Destination account, when different from the source.
   * @default - the source account
   */
  readonly account?: string;
  /** Replication Time Control and replication metrics. */
  readonly replicationTimeControl: boolean;
  /**
   * RTC time and metrics threshold in minutes (only 15 is accepted), when RTC is on.
   * @default - RTC off
   */
  readonly thresholdMinutes?: number;
  /** Whether delete markers replicate. */
  readonly replicateDeleteMarkers: boolean;
  /** Whether replica modifications (metadata changes on replicas) sync back. */
  readonly replicaModifications: boolean;
  /** Whether SSE-KMS encrypted objects replicate (always: drkit encrypts with KMS). */
  readonly sseKmsEncryptedObjects: boolean;
  /** Whether the replica's owner becomes the destination account (cross-account only). */
  readonly ownerOverride: boolean;
}

/** A neutral protection plan for an S3 bucket. */
export interface S3ProtectionPlan {
  /** Resource kind (always `aws.s3.bucket`). */
  readonly kind: ResourceKind;
  /** Bucket name. */
  readonly resourceName: string;
  /** Versioning (always on: replication and restore of prior versions need it). */
  readonly versioning: boolean;
  /**
   * Replication, when the bucket has a replica.
   * @default - no replica
   */
  readonly replication?: S3ReplicationPlan;
  /** Object Lock mode (`none`, `governance`, `compliance`). */
  readonly objectLock: Immutability;
  /**
   * Object Lock default retention in days, when locked.
   * @default - no default retention (Object Lock off)
   */
  readonly objectLockDays?: number;
  /** Days prior versions must be kept to honour the objective's retention. */
  readonly noncurrentRetentionDays: number;
  /** Achieved targets per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

/**
 * Plans protection for an S3 bucket: versioning, replication (with or without RTC),
 * delete-marker policy, Object Lock, and the RPO achieved per disruption. Pure.
 */
export class S3Planner {
  /** Plans a bucket's protection against `objective`. */
  public static bucket(objective: RecoveryObjective, context: S3PlanContext): S3ProtectionPlan {
    if (!context || !context.resourceName) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, 'the S3 plan context needs a `resourceName`');
    }
    const name = context.resourceName;
    checkAwsRegion('region', context.region, `bucket ${name}`);
    checkAwsRegion('replicaRegion', context.replicaRegion, `bucket ${name}`);
    const advisories: string[] = [];
    const regionTarget = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;

    // Replication.
    let replication: S3ReplicationPlan | undefined;
    const dest = context.replicaRegion;
    if (regionTarget && !dest) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `region outage is among the disruptions for bucket ${name} (objective "${objective.name}"), but no replica region is given: set the secondary region (for example "us-west-2") or remove Disruption.REGION_OUTAGE`);
    }
    if (dest && context.region && dest === context.region && !context.replicaAccount) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `the replica region "${dest}" of bucket ${name} is the bucket's own region: a replica in the same region does not survive a region outage; choose another region`);
    }
    let rtc = false;
    if (dest) {
      rtc = context.replicationTimeControl ?? regionTarget !== undefined;
      if (regionTarget && rtc) {
        const floor = Facts.S3_RTC_RPO.value!;
        if (regionTarget.rpo.isShorterThan(floor)) {
          throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
            `\`rpo\` ${regionTarget.rpo.toHuman()} against region outage cannot be met for bucket ${name} (objective "${objective.name}"): ${Mechanism.S3_REPLICATION_RTC.title} is the tightest mechanism for it and ${Facts.S3_RTC_RPO.statement}, so its floor is ${floor.toHuman()} (${Facts.S3_RTC_RPO.source}). Raise the rpo for region outage to at least ${floor.toHuman()}`);
        }
      }
      if (regionTarget && !rtc) {
        advisories.push(`bucket ${name}: Replication Time Control is off, so the RPO against region outage has no documented bound (${Facts.S3_CRR_RPO.statement}; ${Facts.S3_CRR_RPO.source}); turn RTC on to get the 15-minute bound`);
      }
      const crossAccount = !!context.replicaAccount && context.replicaAccount !== context.account;
      replication = {
        region: dest,
        account: crossAccount ? context.replicaAccount : undefined,
        replicationTimeControl: rtc,
        thresholdMinutes: rtc ? Facts.S3_RTC_MINUTES : undefined,
        replicateDeleteMarkers: context.replicateDeleteMarkers ?? false,
        replicaModifications: true,
        sseKmsEncryptedObjects: true,
        ownerOverride: crossAccount,
      };
      if (replication.replicateDeleteMarkers) {
        advisories.push(`bucket ${name}: delete markers replicate, so a deletion in the source also hides the object in the replica (prior versions stay)`);
      }
    }

    // Object Lock.
    const lock = context.objectLockMode ?? objective.immutability;
    let lockDays: number | undefined;
    if (lock !== Immutability.NONE) {
      const p = context.objectLockRetention ?? Period.days(objective.retention.pointInTimeDays);
      lockDays = p.toDays();
      if (!Number.isInteger(lockDays) || lockDays < 1) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`objectLockRetention\` for bucket ${name} must be a whole number of days, at least 1 (Object Lock default retention; ${Facts.S3_OBJECT_LOCK_SOURCE}), but got ${p.toHuman()}`);
      }
      if (lock === Immutability.GOVERNANCE && objective.covers(Disruption.ACCOUNT_COMPROMISE)) {
        advisories.push(`bucket ${name}: Object Lock in governance mode can be bypassed by a principal with s3:BypassGovernanceRetention; use compliance mode against account compromise`);
      }
    }

    // Account compromise: an off-account replica or compliance-locked versions.
    const offAccount = replication?.account !== undefined;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && !offAccount && lock !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for bucket ${name} (objective "${objective.name}"), but the bucket has neither a replica in another account nor Object Lock in compliance mode: versions in the same account can be deleted by whoever controls it; replicate to a bucket in another account (\`destination\` with \`account\`) or set Object Lock to compliance mode`);
    }

    // The RTO: what the mechanisms that serve each disruption document about recovering.
    const what = `bucket ${name}`;
    const replica = replication ? [failoverCandidate(replication.replicationTimeControl ? Mechanism.S3_REPLICATION_RTC : Mechanism.S3_REPLICATION,
      (replication.replicationTimeControl ? Mechanism.S3_REPLICATION_RTC : Mechanism.S3_REPLICATION).rto)] : [];
    checkRto(objective, Disruption.DATA_CORRUPTION, [rtoCandidate(Mechanism.S3_VERSIONING)], what, advisories);
    checkRto(objective, Disruption.REGION_OUTAGE, replica, what, advisories);
    checkRto(objective, Disruption.ACCOUNT_COMPROMISE, offAccount ? replica : [rtoCandidate(Mechanism.S3_OBJECT_LOCK)], what, advisories);

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      achieved.push(S3Planner.achievedFor(t.disruption, replication, lock));
    }

    return {
      kind: ResourceKind.S3_BUCKET,
      resourceName: name,
      versioning: true,
      replication,
      objectLock: lock,
      objectLockDays: lockDays,
      noncurrentRetentionDays: objective.retention.longestDays,
      achieved,
      advisories,
    };
  }

  private static achievedFor(d: Disruption, replication: S3ReplicationPlan | undefined, lock: Immutability): AchievedTarget {
    const replicaTarget = (): AchievedTarget => {
      if (!replication) {
        return { disruption: d, rpoKind: BoundKind.NONE, rtoKind: BoundKind.NONE, mechanisms: [], basis: `no replica: nothing protects the bucket against ${disruptionTitle(d)}` };
      }
      const m = replication.replicationTimeControl ? Mechanism.S3_REPLICATION_RTC : Mechanism.S3_REPLICATION;
      const where = `${replication.region}${replication.account ? ` (account ${replication.account})` : ''}`;
      return {
        disruption: d,
        rpoSeconds: m.rpo.value?.totalSeconds,
        rpoKind: m.rpo.value ? m.rpo.kind : BoundKind.NONE,
        rtoSeconds: m.rto.value?.totalSeconds,
        rtoKind: m.rto.value ? BoundKind.ESTIMATED : BoundKind.NONE,
        rtoIsLowerBound: m.rto.value ? true : undefined,
        mechanisms: [m.id],
        basis: replication.replicationTimeControl
          ? `replica in ${where}: ${m.rpo.statement} (${m.rpo.source}); ${m.rto.statement}; detecting the outage and switching clients have no published bound`
          : `replica in ${where}, no documented bound: ${m.rpo.statement} (${m.rpo.source})`,
      };
    };
    switch (d) {
      case Disruption.DATA_CORRUPTION:
        return {
          disruption: d,
          rpoSeconds: 0,
          rpoKind: BoundKind.DOCUMENTED,
          rtoKind: BoundKind.NONE,
          mechanisms: lock === Immutability.NONE ? [Mechanism.S3_VERSIONING.id] : [Mechanism.S3_VERSIONING.id, Mechanism.S3_OBJECT_LOCK.id],
          basis: `${Facts.S3_VERSIONING.statement} (${Facts.S3_VERSIONING.source}); restore time per object, no published bound`,
        };
      case Disruption.AZ_OUTAGE:
        return {
          disruption: d,
          rpoSeconds: 0,
          rpoKind: BoundKind.DOCUMENTED,
          rtoSeconds: 0,
          rtoKind: BoundKind.DOCUMENTED,
          mechanisms: [Mechanism.S3_MULTI_AZ.id],
          basis: `${Facts.S3_MULTI_AZ.statement} (${Facts.S3_MULTI_AZ.source})`,
        };
      case Disruption.REGION_OUTAGE: {
        const t = replicaTarget();
        return replication ? { ...t, basis: `${t.basis}; ${replicaReadersBasis(undefined, replication.replicateDeleteMarkers)}` } : t;
      }
      case Disruption.ACCOUNT_COMPROMISE:
        if (replication?.account) return replicaTarget();
        return {
          disruption: d,
          rpoSeconds: 0,
          rpoKind: BoundKind.DOCUMENTED,
          rtoKind: BoundKind.NONE,
          mechanisms: [Mechanism.S3_OBJECT_LOCK.id],
          basis: `Object Lock in compliance mode: no one, including the root user, can delete a locked version before its retention ends (${Facts.S3_OBJECT_LOCK_SOURCE})`,
        };
    }
  }

  private constructor() {}
}

/** The id of drkit's replication rule (also the `RuleId` dimension of its replication metrics). @internal */
export const S3_REPLICATION_RULE_ID = 'drkit-replicate';

/**
 * The replication rule of a plan, in the casing the CloudFormation L1 (`AWS::S3::Bucket`
 * `ReplicationConfiguration`) and Pulumi (`aws.s3.BucketReplicationConfig`) inputs share:
 * every object (empty prefix), SSE-KMS encrypted objects re-encrypted with the replica key,
 * replica modifications synced back, delete markers as planned, the destination account and
 * owner override when cross-account, Replication Time Control and metrics when on. `T` is the
 * engine's string input (a token or a Pulumi input). `ruleId` is `drkit-replicate`, or with
 * Replication Time Control in CDK the stack's rule ID that its replication alarms select
 * (`lib/core/replication-alarms.ts`).
 *
 * @internal
 */
export function s3ReplicationRule<T>(
  replication: S3ReplicationPlan, destinationBucketArn: T, replicaKmsKeyId: T, ruleId: string = S3_REPLICATION_RULE_ID,
) {
  return {
    id: ruleId,
    status: 'Enabled',
    priority: 0,
    filter: { prefix: '' },
    deleteMarkerReplication: { status: replication.replicateDeleteMarkers ? 'Enabled' : 'Disabled' },
    sourceSelectionCriteria: {
      sseKmsEncryptedObjects: { status: 'Enabled' },
      replicaModifications: { status: replication.replicaModifications ? 'Enabled' : 'Disabled' },
    },
    destination: {
      bucket: destinationBucketArn,
      ...(replication.account !== undefined ? { account: replication.account } : {}),
      ...(replication.ownerOverride ? { accessControlTranslation: { owner: 'Destination' } } : {}),
      encryptionConfiguration: { replicaKmsKeyId },
      ...(replication.replicationTimeControl ? {
        replicationTime: { status: 'Enabled', time: { minutes: replication.thresholdMinutes! } },
        metrics: { status: 'Enabled', eventThreshold: { minutes: replication.thresholdMinutes! } },
      } : {}),
    },
  };
}

/**
 * Refuses a bucket name S3 would reject: 3-63 characters of lowercase letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no two adjacent dots, not an IP address,
 * no reserved prefix or suffix. `name` is skipped when it is not a plain string (a token or an
 * engine's output). @internal
 */
export function checkS3BucketName(input: string, name: unknown, where: string): void {
  if (typeof name !== 'string' || name.includes('${Token[') || name.includes('${')) return;
  const problem =
    name.length < 3 || name.length > 63 ? `it has ${name.length} characters (3 to 63 allowed)`
      : !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) ? 'it may only hold lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit'
        : name.includes('..') ? 'it has two adjacent dots'
          : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? 'it is formatted as an IP address'
            : /^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name) ? 'it uses a prefix or suffix S3 reserves'
              : undefined;
  if (problem) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `\`${input}\` of ${where} is "${name}", which S3 rejects as a bucket name: ${problem} (${Facts.S3_BUCKET_NAMING_SOURCE}); choose a valid name`);
  }
}

/**
 * Refuses a KMS key reference for replicas that is not a key or alias ARN in the replica's
 * region (S3 encrypts replicas with a key in the destination bucket's region). Skipped for
 * tokens and engine outputs. @internal
 */
export function checkReplicaKmsKeyArn(input: string, arn: unknown, region: string, where: string): void {
  if (typeof arn !== 'string' || arn.includes('${')) return;
  const m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})|alias\/[A-Za-z0-9/_-]+)$/.exec(arn);
  if (!m) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `\`${input}\` of ${where} is "${arn}", which is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id> or :alias/<name>): S3 needs the ARN of the key that encrypts replicas; give the full ARN`);
  }
  if (m[1] !== region) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `\`${input}\` of ${where} is a key in ${m[1]}, but the replica is in ${region}: S3 encrypts replicas with a key in the destination bucket's region; give a key in ${region}`);
  }
}

/**
 * Refuses a replica key given by alias when the destination is in another account: S3 resolves
 * an alias in the requester's account (the replication role's), so replicas would be encrypted
 * with a key of the source account, or not at all. A key ARN names the key wherever it is.
 *
 * @param input the input's name, for the message
 * @param keyId the key ARN, alias ARN or `alias/<name>` (tokens and non-strings are skipped)
 * @param sourceAccount the source bucket's account, when known
 * @param replicaAccount the destination's account, when given and different from the source
 */
export function checkCrossAccountReplicaKey(
  input: string, keyId: unknown, sourceAccount: string | undefined, replicaAccount: string | undefined, where: string,
): void {
  if (typeof keyId !== 'string' || keyId.includes('${')) return;
  const alias = /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):)?alias\//.exec(keyId);
  if (!alias) return;
  const keyAccount = alias[1];
  const otherAccount = (replicaAccount !== undefined && replicaAccount !== sourceAccount) ? replicaAccount
    : (keyAccount !== undefined && sourceAccount !== undefined && keyAccount !== sourceAccount) ? keyAccount : undefined;
  if (otherAccount === undefined) return;
  throw new DrkitError(DrkitErrorCode.KEY_ARN_REQUIRED,
    `\`${input}\` of ${where} is the alias "${keyId}", but the destination is in account ${otherAccount}${sourceAccount ? `, not the source's ${sourceAccount}` : ''}: ${Facts.S3_REPLICA_KEY_ALIAS.statement} (${Facts.S3_REPLICA_KEY_ALIAS.source}); give the key's full ARN (arn:aws:kms:<region>:${otherAccount}:key/<key id>)`);
}

/**
 * What a failover to a replica also needs, for the region-outage basis: readers who may read
 * the replica and decrypt it with its key (drkit records how many it granted in
 * `drkit:replica-readers`), and what deletes do to the replica.
 */
export function replicaReadersBasis(readers: unknown, deleteMarkersReplicate: boolean): string {
  const n = typeof readers === 'number' ? readers : undefined;
  const who = n === undefined
    ? 'the RTO holds only for readers allowed to read the replica bucket and to decrypt it with the replica\'s KMS key in its region (s3:GetObject and kms:Decrypt): grant them (CrossRegionReplicatedBucket `readers`, grantReplicaRead, RecoveryAccess.grantReplicaRead)'
    : n === 0
      ? 'the RTO holds only for readers allowed to read the replica bucket and to decrypt it with the replica\'s KMS key, and drkit granted none: pass the failover readers as `readers` (or call grantReplicaRead / RecoveryAccess.grantReplicaRead), or grant them s3:GetObject and kms:Decrypt on the replica yourself'
      : `the RTO holds for the ${n} reader${n === 1 ? '' : 's'} drkit granted s3:GetObject on the replica and kms:Decrypt on its key (\`readers\`); any other reader needs the same grants`;
  const deletes = deleteMarkersReplicate
    ? 'delete markers replicate: a delete in the source hides the object in the replica too'
    : `delete markers are not replicated: ${Facts.S3_DELETE_MARKERS_NOT_REPLICATED.statement} (${Facts.S3_DELETE_MARKERS_NOT_REPLICATED.source})`;
  return `${who}; ${deletes}`;
}
