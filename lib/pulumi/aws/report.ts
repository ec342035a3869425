// The `report` outputs of the drkit/pulumi/aws components, built as the GCP and Azure
// components build theirs: from the core planner's achieved targets (what the component
// rendered from its plan), with the mechanisms' figures and sources from drkit's catalog.
import { Mechanism } from '../../core/catalog';
import { CloudReportEntry, reportFrom } from '../../core/clouds/common';
import { LifecyclePlan, StorageClass } from '../../core/lifecycle';
import { Disruption } from '../../core/objective';
import { AchievedTarget } from '../../core/plan';
import { StandbyData, StandbyDataKind, StandbyPlan } from '../../core/standby';

export { CloudReportEntry } from '../../core/clouds/common';

/** drkit's AWS mechanisms (the catalog's members whose cloud is `aws`). */
function awsMechanisms(): Mechanism[] {
  return Object.values(Mechanism).filter((m): m is Mechanism => m instanceof Mechanism && m.cloud === 'aws');
}

/** Report lines from a plan's achieved targets: per disruption, the mechanisms, RPO and RTO with their kind, and sources. @internal */
export function awsReport(achieved: AchievedTarget[]): CloudReportEntry[] {
  return reportFrom(achieved, awsMechanisms());
}

/** The mechanism that keeps one kind of standby data. */
function standbyMechanism(kind: StandbyDataKind): Mechanism {
  switch (kind) {
    case StandbyDataKind.DYNAMODB_GLOBAL_TABLE: return Mechanism.DYNAMODB_GLOBAL_TABLE;
    case StandbyDataKind.RDS_READ_REPLICA: return Mechanism.RDS_READ_REPLICA;
    case StandbyDataKind.AURORA_GLOBAL_DATABASE: return Mechanism.AURORA_GLOBAL_DATABASE;
    default: return Mechanism.S3_REPLICATION_RTC;
  }
}

/** One line of a standby's report: the data it keeps in the standby region. */
export interface StandbyReportEntry extends CloudReportEntry {
  /** The data (table, database, bucket) the line is about. */
  readonly data: string;
}

/**
 * A standby's report: per data item, region outage covered by its replication mechanism
 * (the catalog's RPO), with the strategy's whole-failover estimate as RTO (detection,
 * promotion, activation, DNS), as the core's `StandbyPlanner` estimated it. @internal
 */
export function standbyReport(plan: StandbyPlan, data: StandbyData[]): StandbyReportEntry[] {
  const e = plan.estimate;
  return data.map(d => {
    const m = standbyMechanism(d.kind);
    const achieved: AchievedTarget = {
      disruption: Disruption.REGION_OUTAGE,
      rpoSeconds: m.rpo.value?.totalSeconds,
      rpoKind: m.rpo.kind,
      rtoSeconds: e.complete ? e.seconds : undefined,
      rtoKind: e.kind,
      mechanisms: [m.id],
      basis: `${plan.strategy.title}: ${m.rpo.statement} (${m.rpo.source}); failover ${e.complete ? '' : 'at least '}${e.seconds} s (${e.kind}), dominated by ${e.dominant}`,
    };
    return { data: d.name, ...reportFrom([achieved], awsMechanisms())[0] };
  });
}

/** One step of a bucket's lifecycle in a report. */
export interface TieringReportEntry {
  /** A storage class (`STANDARD_IA`, `GLACIER`, ...) or `delete`. */
  readonly action: string;
  /** `current versions` or `previous versions`. */
  readonly objects: string;
  /** Days after creation (current versions) or after becoming noncurrent (previous versions). */
  readonly afterDays: number;
  /**
   * The class's minimum storage duration (days), for transitions.
   * @default - none (expirations have no minimum storage duration)
   */
  readonly minStorageDays?: number;
  /** Where the figure is documented. */
  readonly source: string;
}

/** A lifecycle plan as report lines (the same shape as the Azure `LifecycleTiering` report). @internal */
export function tieringReport(plan: LifecyclePlan, source: string): TieringReportEntry[] {
  const out: TieringReportEntry[] = [];
  const min = (id: string) => StorageClass.all().find(c => c.id === id)?.minStorageDays;
  for (const t of plan.transitions) out.push({ action: t.storageClass, objects: 'current versions', afterDays: t.days, minStorageDays: min(t.storageClass), source });
  if (plan.expirationDays !== undefined) out.push({ action: 'delete', objects: 'current versions', afterDays: plan.expirationDays, source });
  for (const t of plan.noncurrentTransitions) out.push({ action: t.storageClass, objects: 'previous versions', afterDays: t.days, minStorageDays: min(t.storageClass), source });
  if (plan.noncurrentExpirationDays !== undefined) out.push({ action: 'delete', objects: 'previous versions', afterDays: plan.noncurrentExpirationDays, source });
  return out;
}
