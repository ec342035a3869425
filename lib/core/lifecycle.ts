import { Facts } from './catalog';
import { DrkitError, DrkitErrorCode } from './errors';
import { RecoveryObjective } from './objective';
import { checkConcreteNumber, Period } from './period';

/** Properties of a storage class. */
export interface StorageClassProps {
  /** The S3 API name, for example `STANDARD_IA`. */
  readonly id: string;
  /** Human title, for messages and reports. */
  readonly title: string;
  /** Minimum storage duration in days (deleting or moving sooner is charged as if stored that long). */
  readonly minStorageDays: number;
  /**
   * Position in S3's lifecycle "waterfall": a transition may only go to a class with a higher position.
   */
  readonly coldness: number;
  /**
   * Days an object must be stored before a lifecycle transition to this class is allowed.
   * @default 0
   */
  readonly minDaysBeforeTransition?: number;
  /**
   * Whether objects in this class can be read at once (no restore request first).
   * @default true
   */
  readonly instantRetrieval?: boolean;
}

/**
 * An S3 storage class that lifecycle rules can move objects to, with its documented
 * minimum storage duration. Enum-like: use a static member, or construct your own for a
 * class drkit does not know yet.
 */
export class StorageClass {
  /** S3 Standard-IA: 30 days minimum, transitions only after 30 days. */
  public static readonly STANDARD_IA = new StorageClass({
    id: 'STANDARD_IA',
    title: 'S3 Standard-IA',
    coldness: 1,
    minStorageDays: Facts.S3_STANDARD_IA_MIN_DAYS,
    minDaysBeforeTransition: Facts.S3_IA_MIN_DAYS_BEFORE_TRANSITION,
  });

  /** S3 Intelligent-Tiering: no minimum storage duration. */
  public static readonly INTELLIGENT_TIERING = new StorageClass({
    id: 'INTELLIGENT_TIERING',
    title: 'S3 Intelligent-Tiering',
    coldness: 2,
    minStorageDays: Facts.S3_INTELLIGENT_TIERING_MIN_DAYS,
  });

  /** S3 One Zone-IA: 30 days minimum, transitions only after 30 days; one AZ only. */
  public static readonly ONEZONE_IA = new StorageClass({
    id: 'ONEZONE_IA',
    title: 'S3 One Zone-IA',
    coldness: 3,
    minStorageDays: Facts.S3_ONEZONE_IA_MIN_DAYS,
    minDaysBeforeTransition: Facts.S3_IA_MIN_DAYS_BEFORE_TRANSITION,
  });

  /** S3 Glacier Instant Retrieval: 90 days minimum. */
  public static readonly GLACIER_IR = new StorageClass({
    id: 'GLACIER_IR',
    title: 'S3 Glacier Instant Retrieval',
    coldness: 4,
    minStorageDays: Facts.S3_GLACIER_IR_MIN_DAYS,
  });

  /** S3 Glacier Flexible Retrieval: 90 days minimum; objects must be restored before reading. */
  public static readonly GLACIER = new StorageClass({
    id: 'GLACIER',
    title: 'S3 Glacier Flexible Retrieval',
    coldness: 5,
    minStorageDays: Facts.S3_GLACIER_MIN_DAYS,
    instantRetrieval: false,
  });

  /** S3 Glacier Deep Archive: 180 days minimum; objects must be restored before reading. */
  public static readonly DEEP_ARCHIVE = new StorageClass({
    id: 'DEEP_ARCHIVE',
    title: 'S3 Glacier Deep Archive',
    coldness: 6,
    minStorageDays: Facts.S3_DEEP_ARCHIVE_MIN_DAYS,
    instantRetrieval: false,
  });

  /** Every class drkit knows, warmest first. */
  public static all(): StorageClass[] {
    return [StorageClass.STANDARD_IA, StorageClass.INTELLIGENT_TIERING, StorageClass.ONEZONE_IA,
      StorageClass.GLACIER_IR, StorageClass.GLACIER, StorageClass.DEEP_ARCHIVE];
  }

  /** The S3 API name. */
  public readonly id: string;
  /** Human title. */
  public readonly title: string;
  /** Minimum storage duration in days. */
  public readonly minStorageDays: number;
  /** Position in the lifecycle waterfall (higher is colder). */
  public readonly coldness: number;
  /** Days an object must be stored before a transition to this class. */
  public readonly minDaysBeforeTransition: number;
  /** Whether objects can be read without a restore request. */
  public readonly instantRetrieval: boolean;

  constructor(props: StorageClassProps) {
    this.id = props.id;
    this.title = props.title;
    this.minStorageDays = props.minStorageDays;
    this.coldness = props.coldness;
    this.minDaysBeforeTransition = props.minDaysBeforeTransition ?? 0;
    this.instantRetrieval = props.instantRetrieval ?? true;
  }
}

/** A move to a storage class, a number of days after creation (or after becoming noncurrent). */
export interface LifecycleTransition {
  /** The class objects move to. */
  readonly storageClass: StorageClass;
  /** When, counted from creation (current versions) or from becoming noncurrent (noncurrent versions); whole days. */
  readonly after: Period;
}

/** A retention schedule for the objects of a bucket: transitions, expirations and clean-up. */
export interface LifecycleScheduleProps {
  /**
   * The objective whose retention the schedule must honour: no expiration may delete an
   * object or a prior version sooner than `objective.retention.longestDays`. When no
   * transitions and expirations are given, prior versions are derived from it (see
   * `LifecyclePlanner.derive`).
   * @default - no retention check, and nothing derived
   */
  readonly objective?: RecoveryObjective;
  /**
   * Storage-class transitions of current versions, counted from object creation.
   * @default - none (or derived from `objective`)
   */
  readonly transitions?: LifecycleTransition[];
  /**
   * Expire current versions this long after creation (on a versioned bucket this adds a delete marker).
   * @default - never
   */
  readonly expiration?: Period;
  /**
   * Storage-class transitions of noncurrent (prior) versions, counted from becoming noncurrent.
   * @default - none (or derived from `objective`)
   */
  readonly noncurrentTransitions?: LifecycleTransition[];
  /**
   * Permanently delete noncurrent versions this long after they become noncurrent.
   * @default - never (or the objective's retention when derived from `objective`)
   */
  readonly noncurrentExpiration?: Period;
  /**
   * Keep this many newest noncurrent versions regardless of `noncurrentExpiration` (1 to 100).
   * @default - none
   */
  readonly noncurrentVersionsToRetain?: number;
  /**
   * Abort incomplete multipart uploads this long after they start.
   * @default Period.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Period;
  /**
   * Remove delete markers that have no noncurrent versions left.
   * @default true
   */
  readonly removeExpiredDeleteMarkers?: boolean;
  /**
   * Apply the transitions and expirations only to keys with this prefix.
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/** A planned transition, in the units S3 takes. */
export interface PlannedTransition {
  /** S3 storage class name. */
  readonly storageClass: string;
  /** Days after creation (or after becoming noncurrent). */
  readonly days: number;
}

/** A validated lifecycle schedule, from which both engines render lifecycle rules. */
export interface LifecyclePlan {
  /** The bucket the plan is for. */
  readonly resourceName: string;
  /**
   * Key prefix of the tiering rule.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /** Transitions of current versions, in order. */
  readonly transitions: PlannedTransition[];
  /**
   * Days after creation when current versions expire.
   * @default - current versions never expire
   */
  readonly expirationDays?: number;
  /** Transitions of noncurrent versions, in order. */
  readonly noncurrentTransitions: PlannedTransition[];
  /**
   * Days after becoming noncurrent when noncurrent versions are deleted.
   * @default - noncurrent versions are never deleted
   */
  readonly noncurrentExpirationDays?: number;
  /**
   * Newest noncurrent versions always kept.
   * @default - no count of newest noncurrent versions is kept regardless of age
   */
  readonly noncurrentVersionsToRetain?: number;
  /**
   * Days after which incomplete multipart uploads are aborted.
   * @default - incomplete multipart uploads are not aborted
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /** Whether expired object delete markers are removed. */
  readonly expiredObjectDeleteMarker: boolean;
  /**
   * Days an object or prior version is kept at least (undefined: forever).
   * @default - kept forever
   */
  readonly retentionDays?: number;
  /** Advice that does not block synthesis. */
  readonly advisories: string[];
}

const DEFAULT_ABORT_DAYS = 7;

/**
 * Validates lifecycle schedules against S3's documented rules and derives schedules from
 * objectives. Pure; both engines render its plans.
 */
export class LifecyclePlanner {
  /**
   * Validates `schedule` for bucket `resourceName` and returns the plan.
   *
   * Refuses (DRK060-DRK062) what S3 rejects or silently charges for: a transition to an
   * IA class before 30 days, a move out of a class before its minimum storage duration, a
   * transition to a warmer class, an expiration before the last transition (plus its
   * minimum duration), an expiration shorter than the objective's retention.
   */
  public static plan(resourceName: string, schedule: LifecycleScheduleProps = {}): LifecyclePlan {
    const advisories: string[] = [];
    const current = checkChain(resourceName, 'transitions', 'after creation', schedule.transitions ?? []);
    const noncurrent = checkChain(resourceName, 'noncurrentTransitions', 'after becoming noncurrent', schedule.noncurrentTransitions ?? []);
    const expirationDays = checkExpiration(resourceName, 'expiration', 'after creation', schedule.expiration, current);
    const noncurrentExpirationDays = checkExpiration(resourceName, 'noncurrentExpiration', 'after becoming noncurrent', schedule.noncurrentExpiration, noncurrent);
    const transitions = current.map(s => ({ storageClass: s.cls.id, days: s.days }));
    const noncurrentTransitions = noncurrent.map(s => ({ storageClass: s.cls.id, days: s.days }));

    const keep = schedule.noncurrentVersionsToRetain;
    if (keep !== undefined) {
      checkConcreteNumber('noncurrentVersionsToRetain', keep, `bucket ${resourceName}`);
      if (!Number.isInteger(keep) || keep < 1 || keep > 100) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`noncurrentVersionsToRetain\` for bucket ${resourceName} must be a whole number from 1 to 100 (S3 NewerNoncurrentVersions), but got ${keep}`);
      }
      if (noncurrentExpirationDays === undefined) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`noncurrentVersionsToRetain\` ${keep} for bucket ${resourceName} has no effect without \`noncurrentExpiration\`: S3 applies NewerNoncurrentVersions to the noncurrent-version expiration; set \`noncurrentExpiration\` or remove it`);
      }
    }

    let abortDays: number | undefined = DEFAULT_ABORT_DAYS;
    if (schedule.abortIncompleteMultipartUploadAfter !== undefined) {
      abortDays = wholeDays(resourceName, 'abortIncompleteMultipartUploadAfter', schedule.abortIncompleteMultipartUploadAfter, 1);
    }

    const objective = schedule.objective;
    if (objective) {
      const need = objective.retention.longestDays;
      for (const [name, days, what] of [
        ['expiration', expirationDays, 'current objects'],
        ['noncurrentExpiration', noncurrentExpirationDays, 'prior versions'],
      ] as Array<[string, number | undefined, string]>) {
        if (days !== undefined && days < need) {
          throw new DrkitError(DrkitErrorCode.LIFECYCLE_RETENTION_TOO_SHORT,
            `\`${name}\` of ${days} days for bucket ${resourceName} deletes ${what} before the retention of objective "${objective.name}" (${objective.retention.toString()}: the oldest restore point is kept ${need} days); set \`${name}\` to at least ${need} days, or shorten the objective's retention`);
        }
      }
    }
    if (expirationDays !== undefined && noncurrentExpirationDays === undefined) {
      advisories.push(`bucket ${resourceName}: current versions expire after ${expirationDays} days but noncurrent versions are never deleted; on a versioned bucket the data stays (and is billed) as prior versions: set \`noncurrentExpiration\``);
    }
    const retentionDays = noncurrentExpirationDays !== undefined
      ? (expirationDays ?? 0) + noncurrentExpirationDays
      : undefined;

    return {
      resourceName,
      prefix: schedule.prefix,
      transitions,
      expirationDays,
      noncurrentTransitions,
      noncurrentExpirationDays,
      noncurrentVersionsToRetain: keep,
      abortIncompleteMultipartUploadDays: abortDays,
      expiredObjectDeleteMarker: schedule.removeExpiredDeleteMarkers ?? true,
      retentionDays,
      advisories,
    };
  }

  /**
   * The coldest chain of transitions that fits in `retainDays` (each class kept at least
   * its minimum storage duration before the next move or the expiration): Standard-IA at
   * 30 days, then Glacier Instant Retrieval (or, when `instantRetrievalOnly` is false,
   * Glacier Flexible Retrieval) at 90 days, then (archives only) Deep Archive at 180 days.
   *
   * @param retainDays days the objects are kept; 0 means forever
   * @param instantRetrievalOnly use only classes readable without a restore request
   */
  public static archiveChain(retainDays: number, instantRetrievalOnly: boolean): LifecycleTransition[] {
    const steps: Array<[StorageClass, number]> = [
      [StorageClass.STANDARD_IA, Facts.S3_IA_MIN_DAYS_BEFORE_TRANSITION],
      [instantRetrievalOnly ? StorageClass.GLACIER_IR : StorageClass.GLACIER, 90],
    ];
    if (!instantRetrievalOnly) steps.push([StorageClass.DEEP_ARCHIVE, 180]);
    const chain: LifecycleTransition[] = [];
    for (const [cls, day] of steps) {
      // Each step keeps the class its minimum duration before the next step (30 -> 90 -> 180);
      // the last one stays until the expiration, which must leave it its minimum duration too.
      if (retainDays > 0 && day + cls.minStorageDays > retainDays) break;
      chain.push({ storageClass: cls, after: Period.days(day) });
    }
    return chain;
  }

  /**
   * A schedule derived from an objective: prior versions are kept for the objective's
   * retention (`retention.longestDays`) and move through the classes that fit in it;
   * current versions move to colder classes only when `tierCurrentVersions` is true (as
   * for a replica, which is read only after a failover). Only classes readable without a
   * restore request are used, so a restore or a failover never waits for an archive
   * retrieval.
   */
  public static derive(objective: RecoveryObjective, tierCurrentVersions: boolean): LifecycleScheduleProps {
    const keep = objective.retention.longestDays;
    return {
      objective,
      transitions: tierCurrentVersions ? LifecyclePlanner.archiveChain(0, true) : [],
      noncurrentTransitions: LifecyclePlanner.archiveChain(keep, true),
      noncurrentExpiration: Period.days(keep),
    };
  }

  private constructor() {}
}

function wholeDays(resource: string, name: string, p: Period, min: number): number {
  const days = p.toDays();
  if (!Number.isInteger(days) || days < min) {
    throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
      `\`${name}\` for bucket ${resource} must be a whole number of days, at least ${min} (S3 lifecycle rules count in days), but got ${p.toHuman()}`);
  }
  return days;
}

interface Step { readonly cls: StorageClass; readonly days: number }

function checkChain(resource: string, name: string, from: string, list: LifecycleTransition[]): Step[] {
  const out: Step[] = [];
  let prev: { cls: StorageClass; days: number } | undefined;
  for (const t of list) {
    if (!t || !(t.storageClass instanceof StorageClass) || !(t.after instanceof Period)) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${name}\` for bucket ${resource} has an entry without a StorageClass and a Period \`after\`: use { storageClass: StorageClass.GLACIER, after: Period.days(90) }`);
    }
    const cls = t.storageClass;
    const days = wholeDays(resource, `${name}` + ` (${cls.id})`, t.after, 0);
    if (days < cls.minDaysBeforeTransition) {
      throw new DrkitError(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION,
        `\`${name}\` for bucket ${resource} moves objects to ${cls.title} ${days} days ${from}, but S3 requires objects to be stored at least ${cls.minDaysBeforeTransition} days before a transition to ${cls.title} (${Facts.S3_LIFECYCLE_SOURCE}); move them at ${cls.minDaysBeforeTransition} days or later`);
    }
    if (prev) {
      if (days <= prev.days) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`${name}\` for bucket ${resource} are not in order: ${cls.title} at ${days} days comes after ${prev.cls.title} at ${prev.days} days; list transitions by increasing days, each on a different day`);
      }
      if (cls.coldness <= prev.cls.coldness) {
        throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
          `\`${name}\` for bucket ${resource} go "warmer": ${prev.cls.title} at ${prev.days} days, then ${cls.title} at ${days} days; S3 lifecycle only moves objects to colder classes (Standard-IA, Intelligent-Tiering, One Zone-IA, Glacier Instant Retrieval, Glacier Flexible Retrieval, Deep Archive, in that order; ${Facts.S3_LIFECYCLE_SOURCE}); reorder or remove the transition`);
      }
      const stay = days - prev.days;
      if (stay < prev.cls.minStorageDays) {
        throw new DrkitError(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION,
          `\`${name}\` for bucket ${resource} move objects from ${prev.cls.title} (day ${prev.days}) to ${cls.title} at day ${days}, after ${stay} days: ${prev.cls.title} has a minimum storage duration of ${prev.cls.minStorageDays} days, and moving sooner is charged as if stored that long (${Facts.S3_LIFECYCLE_SOURCE}); move to ${cls.title} at day ${prev.days + prev.cls.minStorageDays} or later`);
      }
    }
    prev = { cls, days };
    out.push(prev);
  }
  return out;
}

function checkExpiration(resource: string, name: string, from: string, p: Period | undefined, chain: Step[]): number | undefined {
  if (p === undefined) return undefined;
  const days = wholeDays(resource, name, p, 1);
  const last = chain[chain.length - 1];
  if (last) {
    const cls = last.cls;
    if (days <= last.days) {
      throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
        `\`${name}\` of ${days} days ${from} for bucket ${resource} comes before (or on the day of) the last transition, to ${cls.title} at ${last.days} days; expire after the last transition plus its minimum storage duration, or remove the transition`);
    }
    const min = cls.minStorageDays;
    if (days - last.days < min) {
      throw new DrkitError(DrkitErrorCode.LIFECYCLE_MIN_STORAGE_DURATION,
        `\`${name}\` of ${days} days ${from} for bucket ${resource} deletes objects ${days - last.days} days after they moved to ${cls.title} (day ${last.days}): ${cls.title} has a minimum storage duration of ${min} days, and deleting sooner is charged as if stored that long (${Facts.S3_LIFECYCLE_SOURCE}); expire at ${last.days + min} days or later, or remove the transition`);
    }
  }
  return days;
}
