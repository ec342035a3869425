import { BoundKind, Facts, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../objective';
import { AchievedTarget } from '../plan';
import { achievedBy, checkExpiryAgainstObjective, checkTierChain, CloudReportEntry, refuseRpo, reportFrom, requireName, TierStep } from './common';

/** Azure Blob access tiers a management policy can move blobs to. */
export enum AzureBlobTier {
  /** Cool: minimum storage duration 30 days. */
  COOL = 'Cool',
  /** Cold: minimum storage duration 90 days. */
  COLD = 'Cold',
  /** Archive: minimum storage duration 180 days (offline; rehydrate before reading). */
  ARCHIVE = 'Archive',
}

/** A move to a colder access tier. */
export interface AzureTransition {
  /** The tier to move to. */
  readonly tier: AzureBlobTier;
  /** Days after last modification (base blobs) or after creation of the version (previous versions). */
  readonly afterDays: number;
}

/** Access-tier tiering and deletion for the blobs of a storage account. */
export interface AzureTieringProps {
  /**
   * Moves of current blobs to colder tiers, by days since last modification.
   * @default - none
   */
  readonly transitions?: AzureTransition[];
  /**
   * Delete current blobs this many days after last modification.
   * @default - never
   */
  readonly expireAfterDays?: number;
  /**
   * Moves of previous versions to colder tiers, by days since the version was created.
   * @default - none
   */
  readonly versionTransitions?: AzureTransition[];
  /**
   * Delete previous versions this many days after they were created.
   * @default - never
   */
  readonly versionExpireAfterDays?: number;
  /**
   * Blob name prefixes (`container/path`) the rule applies to.
   * @default - every block blob
   */
  readonly prefixes?: string[];
  /**
   * The objective whose retention the deletions must honour.
   * @default - no retention check
   */
  readonly objective?: RecoveryObjective;
}

/** A management-policy rule in neutral form: days per action (undefined: no action). */
export interface AzureLifecyclePlan {
  /**
   * Base blobs: tier to Cool after this many days since modification.
   * @default - none
   */
  readonly tierToCoolAfterDays?: number;
  /**
   * Base blobs: tier to Cold.
   * @default - none
   */
  readonly tierToColdAfterDays?: number;
  /**
   * Base blobs: tier to Archive.
   * @default - none
   */
  readonly tierToArchiveAfterDays?: number;
  /**
   * Base blobs: delete.
   * @default - none
   */
  readonly deleteAfterDays?: number;
  /**
   * Previous versions: tier to Cool after this many days since creation.
   * @default - none
   */
  readonly versionTierToCoolAfterDays?: number;
  /**
   * Previous versions: tier to Cold.
   * @default - none
   */
  readonly versionTierToColdAfterDays?: number;
  /**
   * Previous versions: tier to Archive.
   * @default - none
   */
  readonly versionTierToArchiveAfterDays?: number;
  /**
   * Previous versions: delete.
   * @default - none
   */
  readonly versionDeleteAfterDays?: number;
  /** Prefix filter (empty: every block blob). */
  readonly prefixes: string[];
}

/** Where and how a geo-redundant storage account is deployed. */
export interface AzureStorageContext {
  /** Name of the account, for messages and reports. */
  readonly resourceName: string;
  /**
   * Serve reads from the secondary region before failover (RA-GZRS).
   * @default - false (GZRS)
   */
  readonly readAccessInSecondary?: boolean;
  /**
   * Refuse any region-outage RPO that only a typical figure (no SLA) supports.
   * @default false
   */
  readonly requireSlaBackedRpo?: boolean;
  /**
   * Lock the account's version-level immutability policy (irreversible). Azure creates
   * the policy Unlocked; set this on a later deployment, once retention is right.
   * @default false
   */
  readonly lockImmutability?: boolean;
  /**
   * Whether blobs are also copied by object replication to an account in another region.
   * @default false
   */
  readonly objectReplication?: boolean;
}

/** A neutral plan for a geo-zone-redundant storage account. */
export interface AzureStoragePlan {
  /** Always `azure`. */
  readonly cloud: string;
  /** Account name. */
  readonly resourceName: string;
  /** SKU: `Standard_GZRS` or `Standard_RAGZRS`. */
  readonly skuName: string;
  /** Blob versioning on. */
  readonly versioning: boolean;
  /** Blob soft-delete retention (days). */
  readonly blobSoftDeleteDays: number;
  /** Container soft-delete retention (days). */
  readonly containerSoftDeleteDays: number;
  /** Change feed retention (days). */
  readonly changeFeedRetentionDays: number;
  /** Point-in-time restore window (days), shorter than the soft-delete retention. */
  readonly restoreDays: number;
  /**
   * Version-level immutability period (days).
   * @default - no immutability policy
   */
  readonly immutabilityDays?: number;
  /**
   * Version-level immutability state: `Unlocked` or `Locked`.
   * @default - no immutability policy
   */
  readonly immutabilityState?: string;
  /** Object replication to another account. */
  readonly objectReplication: boolean;
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines, one per disruption in scope. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

const AZURE_MECHANISMS = (): Mechanism[] => [
  Mechanism.AZURE_GEO_ZONE_REDUNDANT, Mechanism.AZURE_ZONE_REDUNDANT, Mechanism.AZURE_BLOB_PITR,
  Mechanism.AZURE_BLOB_IMMUTABILITY, Mechanism.AZURE_OBJECT_REPLICATION,
];

/**
 * Plans Azure protection from a recovery objective. Pure: the Pulumi components in
 * `drkit/pulumi/azure` render its plans.
 */
export class AzurePlanner {
  /**
   * Plans a storage account with geo-zone-redundant replication, blob versioning, soft
   * delete, change feed and point-in-time restore.
   */
  public static storageAccount(objective: RecoveryObjective, context: AzureStorageContext): AzureStoragePlan {
    const name = requireName(context.resourceName);
    const resource = `storage account ${name}`;
    const advisories: string[] = [];
    const pit = objective.retention.pointInTimeDays;
    const softDelete = pit + 1;
    if (softDelete > Facts.AZURE_SOFT_DELETE_MAX_DAYS) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${pit} days cannot be met for ${resource}: point-in-time restore needs a restore window shorter than the blob soft-delete retention, which is at most ${Facts.AZURE_SOFT_DELETE_MAX_DAYS} days (${Facts.AZURE_SOFT_DELETE_SOURCE}, ${Facts.AZURE_BLOB_PITR.source}); set pointInTime to ${Facts.AZURE_SOFT_DELETE_MAX_DAYS - 1} days or less and keep older restore points in a backup vault`);
    }

    let readAccess = context.readAccessInSecondary === true;
    const region = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;
    if (region) {
      if (context.requireSlaBackedRpo) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${region.rpo.toHuman()} against region outage cannot be met with an SLA-backed bound for ${resource} (objective "${objective.name}"): ${Facts.AZURE_GEO_REPLICATION_RPO.statement} (${Facts.AZURE_GEO_REPLICATION_RPO.source}), and object replication has no SLA either (${Facts.AZURE_OBJECT_REPLICATION_RPO.source}); accept the typical figure (drop \`requireSlaBackedRpo\`) or keep this data on a service whose replication is SLA-backed`);
      }
      if (region.rpo.isShorterThan(Facts.AZURE_GEO_REPLICATION_RPO.value!)) {
        refuseRpo(region.rpo, Disruption.REGION_OUTAGE, Mechanism.AZURE_GEO_ZONE_REDUNDANT, resource, objective,
          '; object replication is asynchronous with no bound at all');
      }
      const failover = Facts.AZURE_STORAGE_FAILOVER_RTO.value!;
      if (region.rto.isShorterThan(failover) && !readAccess) {
        throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
          `\`rto\` ${region.rto.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}"): ${Facts.AZURE_STORAGE_FAILOVER_RTO.statement} (${Facts.AZURE_STORAGE_FAILOVER_RTO.source}); set \`readAccessInSecondary: true\` (RA-GZRS) if reading from the secondary is enough until failover, or raise the region-outage rto to at least ${failover.toHuman()}`);
      }
      if (readAccess && region.rto.isShorterThan(failover)) {
        advisories.push(`RA-GZRS serves reads from the secondary endpoint at once; writes resume only after a failover, which ${Facts.AZURE_STORAGE_FAILOVER_RTO.statement}`);
      }
    }

    const lockMode = objective.immutability;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: an account owner can delete blobs and versions unless a locked immutability policy forbids it (${Facts.AZURE_IMMUTABILITY_SOURCE}); set immutability to Immutability.COMPLIANCE, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    const immutabilityDays = lockMode === Immutability.NONE ? undefined : pit;
    const locked = lockMode === Immutability.COMPLIANCE && context.lockImmutability === true;
    const immutabilityState = immutabilityDays === undefined ? undefined : (locked ? 'Locked' : 'Unlocked');
    if (lockMode === Immutability.COMPLIANCE && !locked) {
      advisories.push(`the version-level immutability policy is created Unlocked, as Azure requires (${Facts.AZURE_IMMUTABILITY_SOURCE}); once retention is right, redeploy with \`lockImmutability: true\` to lock it (irreversible): until then it does not survive account compromise`);
    }

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION:
          achieved.push(achievedBy(t.disruption, Mechanism.AZURE_BLOB_PITR,
            `point-in-time restore window ${pit} days, blob and container soft delete ${softDelete} days, versioning and change feed on: ${Facts.AZURE_BLOB_PITR.statement} (${Facts.AZURE_BLOB_PITR.source}); restore time: ${Mechanism.AZURE_BLOB_PITR.rto.statement}`));
          break;
        case Disruption.AZ_OUTAGE:
          achieved.push(achievedBy(t.disruption, Mechanism.AZURE_ZONE_REDUNDANT));
          break;
        case Disruption.REGION_OUTAGE: {
          const base = achievedBy(t.disruption, Mechanism.AZURE_GEO_ZONE_REDUNDANT);
          const reads = readAccess && t.rto.isShorterThan(Facts.AZURE_STORAGE_FAILOVER_RTO.value!);
          achieved.push({
            ...base,
            rtoSeconds: reads ? 0 : base.rtoSeconds,
            rtoKind: reads ? BoundKind.DOCUMENTED : base.rtoKind,
            mechanisms: context.objectReplication ? [Mechanism.AZURE_GEO_ZONE_REDUNDANT.id, Mechanism.AZURE_OBJECT_REPLICATION.id] : base.mechanisms,
            basis: `${readAccess ? 'RA-GZRS' : 'GZRS'}: ${Facts.AZURE_GEO_REPLICATION_RPO.statement} (${Facts.AZURE_GEO_REPLICATION_RPO.source}); ${reads ? 'reads are served from the secondary endpoint at once, writes after a failover that ' : ''}${Facts.AZURE_STORAGE_FAILOVER_RTO.statement}${context.objectReplication ? `; plus object replication: ${Facts.AZURE_OBJECT_REPLICATION_RPO.statement}` : ''}`,
          });
          break;
        }
        case Disruption.ACCOUNT_COMPROMISE:
          achieved.push(locked
            ? achievedBy(t.disruption, Mechanism.AZURE_BLOB_IMMUTABILITY, `locked version-level immutability of ${pit} days: ${Mechanism.AZURE_BLOB_IMMUTABILITY.rpo.statement} (${Facts.AZURE_IMMUTABILITY_SOURCE})`)
            : {
              disruption: t.disruption,
              rpoKind: BoundKind.NONE,
              rtoKind: BoundKind.NONE,
              mechanisms: [],
              basis: `not yet covered: the immutability policy is Unlocked (Azure creates it so); redeploy with lockImmutability: true (${Facts.AZURE_IMMUTABILITY_SOURCE})`,
            });
          break;
      }
    }

    return {
      cloud: 'azure',
      resourceName: name,
      skuName: readAccess ? 'Standard_RAGZRS' : 'Standard_GZRS',
      versioning: true,
      blobSoftDeleteDays: softDelete,
      containerSoftDeleteDays: softDelete,
      changeFeedRetentionDays: softDelete,
      restoreDays: pit,
      immutabilityDays,
      immutabilityState,
      objectReplication: context.objectReplication === true,
      achieved,
      report: reportFrom(achieved, AZURE_MECHANISMS()),
      advisories,
    };
  }

  /**
   * A management-policy rule for access-tier tiering, checked against each tier's minimum
   * storage duration and, when an objective is given, against its retention.
   */
  public static lifecycle(props: AzureTieringProps): AzureLifecyclePlan {
    const live = (props.transitions ?? []).map(t => AzurePlanner.step(t));
    const old = (props.versionTransitions ?? []).map(t => AzurePlanner.step(t));
    checkTierChain('transitions', live, props.expireAfterDays, Facts.AZURE_ACCESS_TIERS_SOURCE);
    checkTierChain('versionTransitions', old, props.versionExpireAfterDays, Facts.AZURE_ACCESS_TIERS_SOURCE);
    for (const [input, list] of [['transitions', live], ['versionTransitions', old]] as Array<[string, TierStep[]]>) {
      const seen = new Set<string>();
      for (const s of list) {
        if (seen.has(s.tier)) {
          throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
            `\`${input}\` moves blobs to ${s.tier} twice: a management policy rule has one action per tier; keep one transition per tier`);
        }
        seen.add(s.tier);
      }
    }
    const o = props.objective;
    if (o) {
      checkExpiryAgainstObjective('expireAfterDays', props.expireAfterDays, o.retention.longestDays, 'restore points (its longest retention tier)', o);
      checkExpiryAgainstObjective('versionExpireAfterDays', props.versionExpireAfterDays, o.retention.pointInTimeDays, 'prior versions (retention.pointInTime)', o);
    }
    const at = (list: TierStep[], tier: AzureBlobTier) => list.find(s => s.tier === tier)?.afterDays;
    return {
      tierToCoolAfterDays: at(live, AzureBlobTier.COOL),
      tierToColdAfterDays: at(live, AzureBlobTier.COLD),
      tierToArchiveAfterDays: at(live, AzureBlobTier.ARCHIVE),
      deleteAfterDays: props.expireAfterDays,
      versionTierToCoolAfterDays: at(old, AzureBlobTier.COOL),
      versionTierToColdAfterDays: at(old, AzureBlobTier.COLD),
      versionTierToArchiveAfterDays: at(old, AzureBlobTier.ARCHIVE),
      versionDeleteAfterDays: props.versionExpireAfterDays,
      prefixes: [...(props.prefixes ?? [])],
    };
  }

  /** Minimum storage duration of a tier, in days. */
  public static minStorageDays(tier: AzureBlobTier): number {
    switch (tier) {
      case AzureBlobTier.COOL: return Facts.AZURE_COOL_MIN_DAYS;
      case AzureBlobTier.COLD: return Facts.AZURE_COLD_MIN_DAYS;
      case AzureBlobTier.ARCHIVE: return Facts.AZURE_ARCHIVE_MIN_DAYS;
    }
    throw new DrkitError(DrkitErrorCode.INVALID_LIFECYCLE,
      `access tier "${tier}" is not one drkit tiers to: use AzureBlobTier.COOL, COLD or ARCHIVE`);
  }

  private static step(t: AzureTransition): TierStep {
    const order = [AzureBlobTier.COOL, AzureBlobTier.COLD, AzureBlobTier.ARCHIVE];
    return { tier: t.tier, afterDays: t.afterDays, minDays: AzurePlanner.minStorageDays(t.tier), rank: order.indexOf(t.tier) };
  }

  private constructor() {}
}

/** An Azure SQL failover group, as far as planning needs. */
export interface AzureSqlFailoverGroupContext {
  /** Failover group name, for messages and reports. */
  readonly resourceName: string;
}

/** A neutral plan for an Azure SQL failover group. */
export interface AzureSqlFailoverGroupPlan {
  /** Always `azure`. */
  readonly cloud: string;
  /** Failover group name. */
  readonly resourceName: string;
  /** `readWriteEndpoint.failoverPolicy`: `Automatic` (Microsoft-managed) or `Manual`. */
  readonly failoverPolicy: string;
  /**
   * `readWriteEndpoint.failoverWithDataLossGracePeriodMinutes` (Automatic only).
   * @default - none (Manual)
   */
  readonly gracePeriodMinutes?: number;
  /** Achieved RPO/RTO for region outage. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** A Cosmos DB account, as far as planning needs. */
export interface CosmosAccountContext {
  /** Account name, for messages and reports. */
  readonly resourceName: string;
}

/** A neutral plan for a Cosmos DB account's backup. */
export interface CosmosAccountPlan {
  /** Always `azure`. */
  readonly cloud: string;
  /** Account name. */
  readonly resourceName: string;
  /** `backupPolicy.continuousModeProperties.tier`: `Continuous7Days` or `Continuous30Days`. */
  readonly continuousTier: string;
  /** Whether the location is zone redundant. */
  readonly zoneRedundant: boolean;
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** Plans Azure database protection. Pure. */
export class AzureDatabasePlanner {
  /**
   * Plans a failover group for the region-outage target: RPO 5 seconds; Microsoft-managed
   * failover (RTO 1 hour) when the RTO allows it, customer-initiated failover (RTO 30
   * seconds after the decision) when it is tighter.
   */
  public static sqlFailoverGroup(objective: RecoveryObjective, context: AzureSqlFailoverGroupContext): AzureSqlFailoverGroupPlan {
    const name = requireName(context.resourceName);
    const resource = `failover group ${name}`;
    if (!objective.covers(Disruption.REGION_OUTAGE)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${resource} protects against region outage, which is not among the disruptions of objective "${objective.name}" (${objective.disruptions.join(', ')}): add Disruption.REGION_OUTAGE, or do not create a failover group`);
    }
    const t = objective.targetFor(Disruption.REGION_OUTAGE);
    if (t.rpo.isShorterThan(Facts.AZURE_SQL_GEO_REPLICATION_RPO.value!)) {
      refuseRpo(t.rpo, Disruption.REGION_OUTAGE, Mechanism.AZURE_SQL_FAILOVER_GROUP_MANUAL, resource, objective, '');
    }
    const manualRto = Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.value!;
    if (t.rto.isShorterThan(manualRto)) {
      throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
        `\`rto\` ${t.rto.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}"): ${Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.statement} (${Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.source}); raise the region-outage rto to at least ${manualRto.toHuman()}`);
    }
    const managed = !t.rto.isShorterThan(Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.value!);
    const mechanism = managed ? Mechanism.AZURE_SQL_FAILOVER_GROUP_MANAGED : Mechanism.AZURE_SQL_FAILOVER_GROUP_MANUAL;
    const advisories = managed ? [] : [
      `the rto ${t.rto.toHuman()} is below the 1-hour Microsoft-managed failover, so the failover policy is Manual: your on-call must detect the outage and run \`az sql failover-group set-primary\`; the 30-second RTO counts from that decision`,
    ];
    const achieved = [achievedBy(Disruption.REGION_OUTAGE, mechanism)];
    return {
      cloud: 'azure',
      resourceName: name,
      failoverPolicy: managed ? 'Automatic' : 'Manual',
      gracePeriodMinutes: managed ? Facts.AZURE_SQL_MIN_GRACE_MINUTES : undefined,
      achieved,
      report: reportFrom(achieved, [mechanism]),
      advisories,
    };
  }

  /**
   * Plans a Cosmos DB account's continuous backup: the 7-day tier when the point-in-time
   * window fits, else the 30-day tier; more than 30 days is refused.
   */
  public static cosmosAccount(objective: RecoveryObjective, context: CosmosAccountContext): CosmosAccountPlan {
    const name = requireName(context.resourceName);
    const resource = `Cosmos DB account ${name}`;
    const pit = objective.retention.pointInTimeDays;
    if (pit > 30) {
      throw new DrkitError(DrkitErrorCode.RETENTION_UNACHIEVABLE,
        `\`retention.pointInTime\` of ${pit} days cannot be met for ${resource}: Cosmos DB continuous backup keeps 7 or 30 days (${Facts.COSMOS_CONTINUOUS_SOURCE}); set pointInTime to 30 days or less`);
    }
    const corruption = objective.covers(Disruption.DATA_CORRUPTION) ? objective.targetFor(Disruption.DATA_CORRUPTION) : undefined;
    if (corruption && corruption.rpo.isShorterThan(Facts.COSMOS_CONTINUOUS_RPO.value!)) {
      refuseRpo(corruption.rpo, Disruption.DATA_CORRUPTION, Mechanism.COSMOS_CONTINUOUS_BACKUP, resource, objective, '');
    }
    for (const d of [Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE]) {
      if (objective.covers(d)) {
        throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
          `${d === Disruption.REGION_OUTAGE ? 'region outage' : 'account compromise'} is among the disruptions for ${resource} (objective "${objective.name}"), but this component plans only continuous backup, which restores within the account's own region and subscription; drkit has no catalog figure yet for Cosmos DB multi-region replication: remove the disruption from this objective and protect it separately`);
      }
    }
    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      if (t.disruption === Disruption.DATA_CORRUPTION) {
        achieved.push(achievedBy(t.disruption, Mechanism.COSMOS_CONTINUOUS_BACKUP, `continuous backup, ${pit <= 7 ? 7 : 30}-day tier: ${Facts.COSMOS_CONTINUOUS_RPO.statement} (${Facts.COSMOS_CONTINUOUS_SOURCE})`));
      } else if (t.disruption === Disruption.AZ_OUTAGE) {
        achieved.push(achievedBy(t.disruption, Mechanism.COSMOS_ZONE_REDUNDANCY));
      }
    }
    return {
      cloud: 'azure',
      resourceName: name,
      continuousTier: pit <= 7 ? 'Continuous7Days' : 'Continuous30Days',
      zoneRedundant: objective.covers(Disruption.AZ_OUTAGE),
      achieved,
      report: reportFrom(achieved, [Mechanism.COSMOS_CONTINUOUS_BACKUP, Mechanism.COSMOS_ZONE_REDUNDANCY]),
      advisories: [],
    };
  }

  private constructor() {}
}

/** What an Azure Backup vault protects. */
export interface AzureBackupVaultContext {
  /** Vault name, for messages and reports. */
  readonly resourceName: string;
  /**
   * Lock the vault's immutability (irreversible); Azure starts it Unlocked.
   * @default false
   */
  readonly lockImmutability?: boolean;
}

/** A retention rule of a backup policy: a tag and how long its points are kept. */
export interface AzureRetentionRulePlan {
  /** Rule (and tag) name: `Default`, `Weekly`, `Monthly` or `Yearly`. */
  readonly name: string;
  /** ISO 8601 duration, for example `P30D`. */
  readonly deleteAfter: string;
  /**
   * Which point of the period gets the tag (`FirstOfWeek`, `FirstOfMonth`, `FirstOfYear`).
   * @default - none (the default rule)
   */
  readonly absoluteCriteria?: string;
  /** Tagging priority (lower wins). */
  readonly taggingPriority: number;
}

/** A neutral plan for a Data Protection backup vault and a blob backup policy. */
export interface AzureBackupVaultPlan {
  /** Always `azure`. */
  readonly cloud: string;
  /** Vault name. */
  readonly resourceName: string;
  /** `storageSettings[0].type`: `GeoRedundant`, `ZoneRedundant` or `LocallyRedundant`. */
  readonly storageRedundancy: string;
  /** `featureSettings.crossRegionRestoreSettings.state`. */
  readonly crossRegionRestore: string;
  /** `securitySettings.immutabilitySettings.state`: `Disabled`, `Unlocked` or `Locked`. */
  readonly immutabilityState: string;
  /** `securitySettings.softDeleteSettings.state`: `On` or `AlwaysOn`. */
  readonly softDeleteState: string;
  /** `securitySettings.softDeleteSettings.retentionDurationInDays`. */
  readonly softDeleteDays: number;
  /** Backup schedule (ISO 8601 repeating interval, UTC). */
  readonly schedule: string;
  /** Retention rules. */
  readonly retentionRules: AzureRetentionRulePlan[];
  /** Achieved RPO/RTO per disruption in scope. */
  readonly achieved: AchievedTarget[];
  /** Report lines. */
  readonly report: CloudReportEntry[];
  /** Advice that does not block deployment. */
  readonly advisories: string[];
}

/** Plans Azure Backup (Data Protection) vaults. Pure. */
export class AzureBackupPlanner {
  /**
   * Plans a Backup vault and a daily vaulted-backup policy: geo-redundant storage with
   * cross-region restore against region outage, immutability and always-on soft delete
   * against account compromise, retention rules from the objective's schedule.
   */
  public static backupVault(objective: RecoveryObjective, context: AzureBackupVaultContext): AzureBackupVaultPlan {
    const name = requireName(context.resourceName);
    const resource = `backup vault ${name}`;
    const advisories: string[] = [];
    const r = objective.retention;
    for (const t of objective.targets) {
      const m = t.disruption === Disruption.REGION_OUTAGE ? Mechanism.AZURE_BACKUP_CROSS_REGION
        : t.disruption === Disruption.ACCOUNT_COMPROMISE ? Mechanism.AZURE_BACKUP_IMMUTABLE : Mechanism.AZURE_BACKUP_VAULTED;
      if (t.rpo.isShorterThan(m.rpo.value!)) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${resource} (objective "${objective.name}"): ${m.title} takes ${m.rpo.statement}, so its worst case is ${m.rpo.value!.toHuman()} (${m.rpo.source}); cover tighter RPOs with the resource's own mechanisms (for example blob point-in-time restore) and give the vault an objective with an rpo of at least ${m.rpo.value!.toHuman()}`);
      }
    }
    const lockMode = objective.immutability;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: only a vault with locked immutability keeps recovery points from early deletion (${Facts.AZURE_BACKUP_VAULT_SOURCE}); set immutability to Immutability.COMPLIANCE, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    const locked = lockMode === Immutability.COMPLIANCE && context.lockImmutability === true;
    const immutabilityState = lockMode === Immutability.NONE ? 'Disabled' : (locked ? 'Locked' : 'Unlocked');
    if (lockMode === Immutability.COMPLIANCE && !locked) {
      advisories.push(`vault immutability starts Unlocked (${Facts.AZURE_BACKUP_VAULT_SOURCE}); once retention is right, redeploy with \`lockImmutability: true\` to lock it (irreversible): until then it does not survive account compromise`);
    }
    const region = objective.covers(Disruption.REGION_OUTAGE);
    const storageRedundancy = region ? 'GeoRedundant' : (objective.covers(Disruption.AZ_OUTAGE) ? 'ZoneRedundant' : 'LocallyRedundant');
    const days = Math.max(1, r.daily, r.pointInTimeDays);
    const retentionRules: AzureRetentionRulePlan[] = [{ name: 'Default', deleteAfter: `P${days}D`, taggingPriority: 99 }];
    if (r.weekly > 0) retentionRules.push({ name: 'Weekly', deleteAfter: `P${r.weekly}W`, absoluteCriteria: 'FirstOfWeek', taggingPriority: 20 });
    if (r.monthly > 0) retentionRules.push({ name: 'Monthly', deleteAfter: `P${r.monthly}M`, absoluteCriteria: 'FirstOfMonth', taggingPriority: 15 });
    if (r.yearly > 0) retentionRules.push({ name: 'Yearly', deleteAfter: `P${r.yearly}Y`, absoluteCriteria: 'FirstOfYear', taggingPriority: 10 });

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      if (t.disruption === Disruption.REGION_OUTAGE) {
        achieved.push(achievedBy(t.disruption, Mechanism.AZURE_BACKUP_CROSS_REGION));
      } else if (t.disruption === Disruption.ACCOUNT_COMPROMISE) {
        achieved.push(locked ? achievedBy(t.disruption, Mechanism.AZURE_BACKUP_IMMUTABLE) : {
          disruption: t.disruption,
          rpoKind: BoundKind.NONE,
          rtoKind: BoundKind.NONE,
          mechanisms: [],
          basis: `not yet covered: vault immutability is Unlocked; redeploy with lockImmutability: true (${Facts.AZURE_BACKUP_VAULT_SOURCE})`,
        });
      } else {
        achieved.push(achievedBy(t.disruption, Mechanism.AZURE_BACKUP_VAULTED));
      }
    }
    return {
      cloud: 'azure',
      resourceName: name,
      storageRedundancy,
      crossRegionRestore: region ? 'Enabled' : 'Disabled',
      immutabilityState,
      softDeleteState: lockMode === Immutability.COMPLIANCE ? 'AlwaysOn' : 'On',
      softDeleteDays: Facts.AZURE_BACKUP_SOFT_DELETE_MIN_DAYS,
      schedule: 'R/2024-01-01T05:00:00+00:00/P1D',
      retentionRules,
      achieved,
      report: reportFrom(achieved, [Mechanism.AZURE_BACKUP_VAULTED, Mechanism.AZURE_BACKUP_CROSS_REGION, Mechanism.AZURE_BACKUP_IMMUTABLE]),
      advisories,
    };
  }

  private constructor() {}
}
