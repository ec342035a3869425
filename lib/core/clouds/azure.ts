import { BoundKind, Facts, Mechanism } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';
import { Disruption, disruptionTitle, Immutability, RecoveryObjective } from '../objective';
import { achievedBy, checkExpiryAgainstObjective, checkTierChain, CloudReportEntry, notCovered, refuseRpo, reportFrom, requireName, TierStep } from './common';
import { AchievedTarget } from '../plan';

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
  /**
   * SKU of the account the rule applies to (for example `Standard_LRS`). Required when a
   * transition goes to Archive: the Archive tier is not supported on ZRS, GZRS or RA-GZRS accounts.
   * @default - not checked (refused when a transition goes to Archive)
   */
  readonly accountSkuName?: string;
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
   * Lock the account's version-level immutability policy (irreversible). Azure creates the
   * policy Unlocked and refuses to create it Locked: set this in a second deployment, together
   * with `deployedImmutability: AzureImmutabilityState.UNLOCKED`.
   * @default false
   */
  readonly lockImmutability?: boolean;
  /**
   * The immutability state the account has now, when it already exists. drkit checks the
   * transition to the state the objective asks for against the transitions Azure allows.
   * @default - a new account (first deployment)
   */
  readonly deployedImmutability?: AzureImmutabilityState;
  /**
   * Whether blobs are also copied by object replication to an account in another region.
   * @default false
   */
  readonly objectReplication?: boolean;
  /**
   * Whether a Backup vault protects the account with vaulted blob backup (which uses object
   * replication, so the account cannot be failed over by you).
   * @default false
   */
  readonly vaultedBackup?: boolean;
  /**
   * The tiering rule applied to the account (checked against its redundancy and qualified in
   * the corruption line: point-in-time restore restores only hot and cool blobs).
   * @default - none
   */
  readonly tiering?: AzureTieringProps;
}

/** The state of an account's (or vault's) immutability policy as deployed. */
export enum AzureImmutabilityState {
  /** The account exists without version-level immutability (it can no longer be turned on). */
  NONE = 'None',
  /** A policy exists, Disabled. */
  DISABLED = 'Disabled',
  /** A policy exists, Unlocked: it can be Locked. */
  UNLOCKED = 'Unlocked',
  /** A policy exists, Locked: it cannot be reverted. */
  LOCKED = 'Locked',
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
   * Version-level immutability state: `Disabled`, `Unlocked` or `Locked`.
   * @default - no immutability policy
   */
  readonly immutabilityState?: string;
  /** Whether the account can be failed over by the customer (no WORM policy, no object replication). */
  readonly customerManagedFailover: boolean;
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
  Mechanism.AZURE_GEO_ZONE_REDUNDANT, Mechanism.AZURE_GEO_MANAGED_FAILOVER, Mechanism.AZURE_ZONE_REDUNDANT, Mechanism.AZURE_BLOB_PITR,
  Mechanism.AZURE_BLOB_VERSIONS, Mechanism.AZURE_BLOB_IMMUTABILITY, Mechanism.AZURE_OBJECT_REPLICATION,
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
    const readAccess = context.readAccessInSecondary === true;
    const skuName = readAccess ? 'Standard_RAGZRS' : 'Standard_GZRS';
    const tiers = AzurePlanner.tiersUsed(context.tiering);
    if (tiers.includes(AzureBlobTier.ARCHIVE)) {
      throw new DrkitError(DrkitErrorCode.TIER_UNSUPPORTED,
        `\`tiering\` of ${resource} moves blobs to Archive, but the account is ${skuName}: ${Facts.AZURE_ARCHIVE_REDUNDANCY.statement} (${Facts.AZURE_ARCHIVE_REDUNDANCY.source}); tier to Cold instead, or keep archives in a separate LRS or GRS account with LifecycleTiering`);
    }

    // Immutability: the state asked for, checked against the state deployed (Azure allows
    // only some transitions, and the account setting exists only from creation).
    const lockMode = objective.immutability;
    if (context.lockImmutability === true && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`lockImmutability\` is set for ${resource}, but objective "${objective.name}" has \`immutability\` ${lockMode}: only Immutability.COMPLIANCE locks the policy; set it, or drop lockImmutability`);
    }
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: an account owner can delete blobs and versions unless a locked immutability policy forbids it (${Facts.AZURE_IMMUTABILITY_SOURCE}); set immutability to Immutability.COMPLIANCE, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    const wanted = lockMode === Immutability.NONE ? undefined : (context.lockImmutability === true ? 'Locked' : 'Unlocked');
    const immutabilityState = AzurePlanner.immutabilityTransition(resource, context.deployedImmutability, wanted);
    const immutabilityDays = immutabilityState === undefined ? undefined : pit;
    const worm = immutabilityState === 'Unlocked' || immutabilityState === 'Locked';
    const locked = immutabilityState === 'Locked';
    if (lockMode === Immutability.COMPLIANCE && !locked) {
      advisories.push(`the version-level immutability policy is created Unlocked, as Azure requires (${Facts.AZURE_IMMUTABILITY_STATES.statement}, ${Facts.AZURE_IMMUTABILITY_STATES.source}); once this deployment is done and retention is right, lock it as a second, explicit step: redeploy with \`deployedImmutability: AzureImmutabilityState.UNLOCKED\` and \`lockImmutability: true\` (irreversible). Until then it does not survive account compromise`);
    }

    // Region outage: customer-managed failover, unless the account cannot be failed over.
    const noCustomerFailover: string[] = [];
    if (immutabilityState !== undefined) noCustomerFailover.push('it has version-level immutability (WORM)');
    if (context.objectReplication === true) noCustomerFailover.push('it is the source of an object replication policy');
    if (context.vaultedBackup === true) noCustomerFailover.push('vaulted blob backup protects it (which uses object replication)');
    const failoverBlocked = noCustomerFailover.length > 0;
    const region = objective.covers(Disruption.REGION_OUTAGE) ? objective.targetFor(Disruption.REGION_OUTAGE) : undefined;
    const failover = Facts.AZURE_STORAGE_FAILOVER_RTO.value!;
    if (region) {
      if (context.requireSlaBackedRpo) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${region.rpo.toHuman()} against region outage cannot be met with an SLA-backed bound for ${resource} (objective "${objective.name}"): ${Facts.AZURE_GEO_REPLICATION_RPO.statement} (${Facts.AZURE_GEO_REPLICATION_RPO.source}), and object replication has no SLA either (${Facts.AZURE_OBJECT_REPLICATION_RPO.source}); accept the typical figure (drop \`requireSlaBackedRpo\`) or keep this data on a service whose replication is SLA-backed`);
      }
      if (region.rpo.isShorterThan(Facts.AZURE_GEO_REPLICATION_RPO.value!)) {
        refuseRpo(region.rpo, Disruption.REGION_OUTAGE, Mechanism.AZURE_GEO_ZONE_REDUNDANT, resource, objective,
          '; object replication is asynchronous with no bound at all');
      }
      if (region.rto.isShorterThan(failover) && !readAccess) {
        throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE, failoverBlocked
          ? `\`rto\` ${region.rto.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}"): the account cannot be failed over by you because ${noCustomerFailover.join(' and ')} (${Facts.AZURE_STORAGE_FAILOVER_UNSUPPORTED.statement}, ${Facts.AZURE_STORAGE_FAILOVER_UNSUPPORTED.source}), and ${Facts.AZURE_STORAGE_MANAGED_FAILOVER_RTO.statement}; set \`readAccessInSecondary: true\` (RA-GZRS) if reading from the secondary is enough, or raise the region-outage rto and accept that no bound is published`
          : `\`rto\` ${region.rto.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}"): ${Facts.AZURE_STORAGE_FAILOVER_RTO.statement} (${Facts.AZURE_STORAGE_FAILOVER_RTO.source}); set \`readAccessInSecondary: true\` (RA-GZRS) if reading from the secondary is enough until failover, or raise the region-outage rto to at least ${failover.toHuman()}`);
      }
      if (failoverBlocked) {
        advisories.push(`the account cannot be failed over by you because ${noCustomerFailover.join(' and ')} (${Facts.AZURE_STORAGE_FAILOVER_UNSUPPORTED.source}): after a region outage writes resume only when Microsoft fails the region over, at a time Microsoft does not publish${readAccess ? '; RA-GZRS keeps serving reads from the secondary' : ''}`);
      } else if (readAccess && region.rto.isShorterThan(failover)) {
        advisories.push(`RA-GZRS serves reads from the secondary endpoint at once; writes resume only after a failover: ${Facts.AZURE_STORAGE_FAILOVER_RTO.statement}`);
      }
    }

    const coldTiers = tiers.filter(t => t !== AzureBlobTier.COOL);
    const pitrNotes: string[] = [];
    if (coldTiers.length) pitrNotes.push(`blobs moved to ${coldTiers.join(' or ')} by the tiering rule are not restored (${Facts.AZURE_BLOB_PITR.statement}); copy their previous versions back by hand`);
    if (!failoverBlocked) pitrNotes.push(`${Facts.AZURE_BLOB_PITR_FAILOVER_RESET.statement} (${Facts.AZURE_BLOB_PITR_FAILOVER_RESET.source})`);

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      switch (t.disruption) {
        case Disruption.DATA_CORRUPTION:
          achieved.push(worm
            ? achievedBy(t.disruption, Mechanism.AZURE_BLOB_VERSIONS,
              `prior versions, copied back by hand: with an immutability policy point-in-time restore cannot be relied on (${Facts.AZURE_BLOB_PITR_IMMUTABLE.statement}, ${Facts.AZURE_BLOB_PITR_IMMUTABLE.source}); ${Facts.AZURE_BLOB_VERSIONING.statement} (${Facts.AZURE_BLOB_VERSIONING.source}); versions younger than ${pit} days cannot be deleted. Restore time: ${Mechanism.AZURE_BLOB_VERSIONS.rto.statement}`)
            : achievedBy(t.disruption, Mechanism.AZURE_BLOB_PITR,
              `point-in-time restore window ${pit} days, blob and container soft delete ${softDelete} days, versioning and change feed on: ${Facts.AZURE_BLOB_PITR.statement} (${Facts.AZURE_BLOB_PITR.source})${pitrNotes.length ? `; ${pitrNotes.join('; ')}` : ''}; restore time: ${Mechanism.AZURE_BLOB_PITR.rto.statement}`));
          break;
        case Disruption.AZ_OUTAGE:
          achieved.push(achievedBy(t.disruption, Mechanism.AZURE_ZONE_REDUNDANT));
          break;
        case Disruption.REGION_OUTAGE: {
          const mechanism = failoverBlocked ? Mechanism.AZURE_GEO_MANAGED_FAILOVER : Mechanism.AZURE_GEO_ZONE_REDUNDANT;
          const base = achievedBy(t.disruption, mechanism);
          const reads = readAccess && (failoverBlocked || t.rto.isShorterThan(failover));
          const writes = failoverBlocked
            ? `the account cannot be failed over by you because ${noCustomerFailover.join(' and ')} (${Facts.AZURE_STORAGE_FAILOVER_UNSUPPORTED.statement}): ${Facts.AZURE_STORAGE_MANAGED_FAILOVER_RTO.statement}`
            : Facts.AZURE_STORAGE_FAILOVER_RTO.statement;
          achieved.push({
            ...base,
            rtoSeconds: reads ? 0 : base.rtoSeconds,
            rtoKind: reads ? BoundKind.DOCUMENTED : base.rtoKind,
            mechanisms: context.objectReplication ? [mechanism.id, Mechanism.AZURE_OBJECT_REPLICATION.id] : base.mechanisms,
            basis: `${readAccess ? 'RA-GZRS' : 'GZRS'}: ${Facts.AZURE_GEO_REPLICATION_RPO.statement} (${Facts.AZURE_GEO_REPLICATION_RPO.source}); ${reads ? 'reads are served from the secondary endpoint at once; writes: ' : ''}${writes}${context.objectReplication ? `; plus object replication: ${Facts.AZURE_OBJECT_REPLICATION_RPO.statement}` : ''}`,
          });
          break;
        }
        case Disruption.ACCOUNT_COMPROMISE:
          achieved.push(locked
            ? achievedBy(t.disruption, Mechanism.AZURE_BLOB_IMMUTABILITY, `versions younger than ${pit} days only: the locked version-level immutability policy keeps each blob version from deletion or change until it is ${pit} days old; older versions can be deleted by an account owner (${Mechanism.AZURE_BLOB_IMMUTABILITY.rpo.statement}, ${Facts.AZURE_IMMUTABILITY_SOURCE}). Set retention.pointInTime to the data's lifetime to protect every version`)
            : notCovered(t.disruption, `not yet covered: the immutability policy is Unlocked (Azure creates it so: ${Facts.AZURE_IMMUTABILITY_STATES.statement}); lock it in a second deployment with deployedImmutability: UNLOCKED and lockImmutability: true (${Facts.AZURE_IMMUTABILITY_STATES.source})`));
          break;
      }
    }

    return {
      cloud: 'azure',
      resourceName: name,
      skuName,
      versioning: true,
      blobSoftDeleteDays: softDelete,
      containerSoftDeleteDays: softDelete,
      changeFeedRetentionDays: softDelete,
      restoreDays: pit,
      immutabilityDays,
      immutabilityState,
      customerManagedFailover: !failoverBlocked,
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
    if ([...live, ...old].some(st => st.tier === AzureBlobTier.ARCHIVE)) {
      const sku = props.accountSkuName;
      if (sku === undefined) {
        throw new DrkitError(DrkitErrorCode.TIER_UNSUPPORTED,
          `a transition moves blobs to Archive, but \`accountSkuName\` is not given: ${Facts.AZURE_ARCHIVE_REDUNDANCY.statement} (${Facts.AZURE_ARCHIVE_REDUNDANCY.source}); give the account's SKU (for example Standard_LRS) so drkit can check it`);
      }
      if (/ZRS$/i.test(String(sku))) {
        throw new DrkitError(DrkitErrorCode.TIER_UNSUPPORTED,
          `a transition moves blobs to Archive on a ${sku} account: ${Facts.AZURE_ARCHIVE_REDUNDANCY.statement} (${Facts.AZURE_ARCHIVE_REDUNDANCY.source}); tier to Cold instead, or keep archives in an LRS or GRS account`);
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

  /**
   * The immutability state to deploy, from the state deployed and the state wanted; refuses
   * the transitions Azure refuses (the policy is created only Disabled or Unlocked, only an
   * Unlocked policy can be Locked, a Locked policy cannot be reverted, and version-level
   * immutability can be turned on only when the account is created).
   */
  private static immutabilityTransition(
    resource: string, deployed: AzureImmutabilityState | undefined, wanted: string | undefined): string | undefined {
    const states = Facts.AZURE_IMMUTABILITY_STATES;
    const secondStep = 'deploy it Unlocked first, then lock it in a second deployment with `deployedImmutability: AzureImmutabilityState.UNLOCKED` and `lockImmutability: true`';
    if (deployed === undefined) {
      if (wanted === 'Locked') {
        throw new DrkitError(DrkitErrorCode.IMMUTABILITY_TRANSITION,
          `\`lockImmutability\` asks ${resource} to be created with a Locked immutability policy, which Azure refuses: ${states.statement} (${states.source}); ${secondStep}. If the account already exists, say how with \`deployedImmutability\``);
      }
      return wanted;
    }
    if (deployed === AzureImmutabilityState.NONE) {
      if (wanted !== undefined) {
        throw new DrkitError(DrkitErrorCode.CREATION_ONLY_SETTING,
          `${resource} exists without version-level immutability (\`deployedImmutability\` NONE), and it cannot be added: ${Facts.AZURE_IMMUTABLE_STORAGE_AT_CREATION.statement} (${Facts.AZURE_IMMUTABLE_STORAGE_AT_CREATION.source}); create a new account for the immutable data, or set the objective's immutability to NONE`);
      }
      return undefined;
    }
    if (deployed === AzureImmutabilityState.LOCKED) {
      if (wanted !== 'Locked') {
        throw new DrkitError(DrkitErrorCode.IMMUTABILITY_TRANSITION,
          `${resource} has a Locked immutability policy, and the objective now asks for ${wanted ?? 'none'}: ${states.statement} (${states.source}); keep Immutability.COMPLIANCE with \`lockImmutability: true\``);
      }
      return 'Locked';
    }
    if (deployed === AzureImmutabilityState.DISABLED && wanted === 'Locked') {
      throw new DrkitError(DrkitErrorCode.IMMUTABILITY_TRANSITION,
        `${resource} has a Disabled immutability policy, which cannot be Locked directly: ${states.statement} (${states.source}); deploy it Unlocked first (drop lockImmutability), then lock it with \`deployedImmutability: AzureImmutabilityState.UNLOCKED\``);
    }
    if (deployed !== AzureImmutabilityState.DISABLED && deployed !== AzureImmutabilityState.UNLOCKED) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`deployedImmutability\` "${deployed}" of ${resource} is not a state: use AzureImmutabilityState.NONE, DISABLED, UNLOCKED or LOCKED`);
    }
    // The account setting stays on once created: without immutability the policy is Disabled.
    return wanted ?? 'Disabled';
  }

  /** The access tiers a tiering rule moves blobs or versions to. */
  private static tiersUsed(tiering?: AzureTieringProps): AzureBlobTier[] {
    const all = [...(tiering?.transitions ?? []), ...(tiering?.versionTransitions ?? [])].map(t => t.tier);
    return [AzureBlobTier.COOL, AzureBlobTier.COLD, AzureBlobTier.ARCHIVE].filter(t => all.includes(t));
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
  /**
   * Use the Microsoft-managed failover policy (`Automatic`, 60-minute grace period). Microsoft
   * says "Do not rely on Microsoft managed failover": the default is customer-managed (`Manual`).
   * @default false
   */
  readonly microsoftManagedFailover?: boolean;
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
   * Plans a failover group for the region-outage target: customer-managed failover (`Manual`)
   * by default, whose RTO is your detection and decision (none published); Microsoft-managed
   * failover (`Automatic`, RTO at least the one-hour grace period, no upper bound) only when
   * asked. Microsoft publishes no bound on the data lost (RPO).
   */
  public static sqlFailoverGroup(objective: RecoveryObjective, context: AzureSqlFailoverGroupContext): AzureSqlFailoverGroupPlan {
    const name = requireName(context.resourceName);
    const resource = `failover group ${name}`;
    if (!objective.covers(Disruption.REGION_OUTAGE)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `${resource} protects against region outage, which is not among the disruptions of objective "${objective.name}" (${objective.disruptions.join(', ')}): add Disruption.REGION_OUTAGE, or do not create a failover group`);
    }
    const t = objective.targetFor(Disruption.REGION_OUTAGE);
    const managed = context.microsoftManagedFailover === true;
    const advisories: string[] = [
      `${Facts.AZURE_SQL_GEO_REPLICATION_RPO.statement} (${Facts.AZURE_SQL_GEO_REPLICATION_RPO.source})`,
    ];
    if (managed) {
      const floor = Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.value!;
      if (t.rto.isShorterThan(floor)) {
        throw new DrkitError(DrkitErrorCode.RTO_UNACHIEVABLE,
          `\`rto\` ${t.rto.toHuman()} against region outage cannot be met for ${resource} (objective "${objective.name}") with Microsoft-managed failover: ${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.statement} (${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.source}); use the customer-managed policy (the default: drop \`microsoftManagedFailover\`) and drill the failover, or raise the region-outage rto`);
      }
      advisories.push(`Microsoft-managed failover: ${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.statement}; keep a runbook for \`az sql failover-group set-primary --allow-data-loss\` (${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.source})`);
    } else {
      advisories.push(`the failover policy is Manual (customer-managed, as Microsoft recommends): your on-call must detect the outage and run \`az sql failover-group set-primary --allow-data-loss\`; ${Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.statement}. Drill it to measure the RTO`);
    }
    const mechanism = managed ? Mechanism.AZURE_SQL_FAILOVER_GROUP_MANAGED : Mechanism.AZURE_SQL_FAILOVER_GROUP_MANUAL;
    const base = achievedBy(Disruption.REGION_OUTAGE, mechanism);
    const achieved: AchievedTarget[] = [managed
      ? { ...base, rtoIsLowerBound: true, basis: `Microsoft-managed failover: at least the ${Facts.AZURE_SQL_MIN_GRACE_MINUTES}-minute grace period, no upper bound (${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.statement}, ${Facts.AZURE_SQL_MANAGED_FAILOVER_RTO.source}); data loss: ${Facts.AZURE_SQL_GEO_REPLICATION_RPO.statement}` }
      : { ...base, basis: `customer-managed failover: ${Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.statement} (${Facts.AZURE_SQL_MANUAL_FAILOVER_RTO.source}); data loss: ${Facts.AZURE_SQL_GEO_REPLICATION_RPO.statement}` }];
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
   * Lock the vault's immutability (irreversible). drkit locks only as a second deployment,
   * together with `deployedImmutability: AzureImmutabilityState.UNLOCKED`.
   * @default false
   */
  readonly lockImmutability?: boolean;
  /**
   * The vault's immutability state now, when the vault already exists.
   * @default - a new vault
   */
  readonly deployedImmutability?: AzureImmutabilityState;
  /**
   * The vault's storage redundancy now (`GeoRedundant`, `ZoneRedundant` or `LocallyRedundant`),
   * when the vault already exists: it is fixed at creation.
   * @default - a new vault
   */
  readonly deployedStorageRedundancy?: string;
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
    const region = objective.covers(Disruption.REGION_OUTAGE);
    const zone = objective.covers(Disruption.AZ_OUTAGE);

    // Storage redundancy is fixed when the vault is created: keep what is deployed when it
    // still serves the objective, refuse when the objective needs what it cannot give.
    const needed = region ? 'GeoRedundant' : (zone ? 'ZoneRedundant' : 'LocallyRedundant');
    const deployed = context.deployedStorageRedundancy;
    if (deployed !== undefined && !['GeoRedundant', 'ZoneRedundant', 'LocallyRedundant'].includes(deployed)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`deployedStorageRedundancy\` "${deployed}" of ${resource} is not a Backup vault redundancy: use GeoRedundant, ZoneRedundant or LocallyRedundant`);
    }
    let storageRedundancy = needed;
    if (deployed !== undefined && deployed !== needed) {
      const serves = deployed === 'GeoRedundant' || (deployed === 'ZoneRedundant' && needed === 'LocallyRedundant');
      if (!serves) {
        throw new DrkitError(DrkitErrorCode.CREATION_ONLY_SETTING,
          `${resource} was created ${deployed}, and objective "${objective.name}" needs ${needed} (${region ? 'region outage' : 'zone outage'} is in scope): ${Facts.AZURE_BACKUP_REDUNDANCY_AT_CREATION.statement} (${Facts.AZURE_BACKUP_REDUNDANCY_AT_CREATION.source}); create a new vault for this objective and move the backup instances to it, or remove the disruption`);
      }
      storageRedundancy = deployed;
      advisories.push(`the vault keeps its ${deployed} storage, fixed when it was created (${Facts.AZURE_BACKUP_REDUNDANCY_AT_CREATION.source})`);
    }
    const geo = storageRedundancy === 'GeoRedundant';
    const zoneRedundant = storageRedundancy === 'ZoneRedundant';
    // Zone outage: only zone-redundant backup data survives it in the region; geo-redundant
    // backup data is nonzonal, but can be restored in the paired region.
    const mechanismFor = (d: Disruption): Mechanism => {
      if (d === Disruption.REGION_OUTAGE) return Mechanism.AZURE_BACKUP_CROSS_REGION;
      if (d === Disruption.ACCOUNT_COMPROMISE) return Mechanism.AZURE_BACKUP_IMMUTABLE;
      if (d === Disruption.AZ_OUTAGE && !zoneRedundant) return Mechanism.AZURE_BACKUP_CROSS_REGION;
      return Mechanism.AZURE_BACKUP_VAULTED;
    };
    for (const t of objective.targets) {
      const m = mechanismFor(t.disruption);
      if (t.rpo.isShorterThan(m.rpo.value!)) {
        throw new DrkitError(DrkitErrorCode.RPO_UNACHIEVABLE,
          `\`rpo\` ${t.rpo.toHuman()} against ${disruptionTitle(t.disruption)} cannot be met for ${resource} (objective "${objective.name}"): ${m.title} gives ${m.rpo.statement}, so its worst case is ${m.rpo.value!.toHuman()} (${m.rpo.source}); cover tighter RPOs with the resource's own mechanisms (for example blob point-in-time restore) and give the vault an objective with an rpo of at least ${m.rpo.value!.toHuman()}`);
      }
    }
    if (zone && geo) {
      advisories.push(`zone outage: the vault's storage is geo-redundant, not zone-redundant, so ${Facts.AZURE_BACKUP_NONZONAL.statement} (${Facts.AZURE_BACKUP_NONZONAL.source}); drkit counts cross-region restore from the paired region for it. A Backup vault has one redundancy: for zone outage in the region, use a second, zone-redundant vault`);
    }

    const lockMode = objective.immutability;
    if (objective.covers(Disruption.ACCOUNT_COMPROMISE) && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
        `account compromise is among the disruptions for ${resource} (objective "${objective.name}"), but \`immutability\` is ${lockMode}: only a vault with locked immutability keeps recovery points from early deletion (${Facts.AZURE_BACKUP_VAULT_SOURCE}); set immutability to Immutability.COMPLIANCE, or remove Disruption.ACCOUNT_COMPROMISE`);
    }
    if (context.lockImmutability === true && lockMode !== Immutability.COMPLIANCE) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`lockImmutability\` is set for ${resource}, but objective "${objective.name}" has \`immutability\` ${lockMode}: only Immutability.COMPLIANCE locks the vault; set it, or drop lockImmutability`);
    }
    const wanted = lockMode === Immutability.NONE ? 'Disabled' : (context.lockImmutability === true ? 'Locked' : 'Unlocked');
    const was = context.deployedImmutability;
    if (was === AzureImmutabilityState.LOCKED && wanted !== 'Locked') {
      throw new DrkitError(DrkitErrorCode.IMMUTABILITY_TRANSITION,
        `${resource} has Locked immutability, and the objective now asks for ${wanted}: ${Facts.AZURE_BACKUP_IMMUTABLE_LOCK.statement} (${Facts.AZURE_BACKUP_IMMUTABLE_LOCK.source}); keep Immutability.COMPLIANCE with \`lockImmutability: true\``);
    }
    if (wanted === 'Locked' && was !== AzureImmutabilityState.UNLOCKED && was !== AzureImmutabilityState.LOCKED) {
      throw new DrkitError(DrkitErrorCode.IMMUTABILITY_TRANSITION,
        `\`lockImmutability\` would lock ${resource} in the same deployment that ${was === undefined ? 'creates it' : `finds its immutability ${was}`}: ${Facts.AZURE_BACKUP_IMMUTABLE_LOCK.statement} (${Facts.AZURE_BACKUP_IMMUTABLE_LOCK.source}), so drkit locks only as a separate, explicit second step. Deploy it Unlocked first, then redeploy with \`deployedImmutability: AzureImmutabilityState.UNLOCKED\` and \`lockImmutability: true\``);
    }
    const locked = wanted === 'Locked';
    if (lockMode === Immutability.COMPLIANCE && !locked) {
      advisories.push(`vault immutability starts Unlocked (${Facts.AZURE_BACKUP_VAULT_SOURCE}); once retention is right, lock it as a second step: redeploy with \`deployedImmutability: AzureImmutabilityState.UNLOCKED\` and \`lockImmutability: true\` (irreversible). Until then it does not survive account compromise`);
    }
    // Cross-region restore cannot be turned off once on.
    const crossRegionRestore = geo ? 'Enabled' : 'Disabled';
    const days = Math.max(1, r.daily, r.pointInTimeDays);
    const retentionRules: AzureRetentionRulePlan[] = [{ name: 'Default', deleteAfter: `P${days}D`, taggingPriority: 99 }];
    if (r.weekly > 0) retentionRules.push({ name: 'Weekly', deleteAfter: `P${r.weekly}W`, absoluteCriteria: 'FirstOfWeek', taggingPriority: 20 });
    if (r.monthly > 0) retentionRules.push({ name: 'Monthly', deleteAfter: `P${r.monthly}M`, absoluteCriteria: 'FirstOfMonth', taggingPriority: 15 });
    if (r.yearly > 0) retentionRules.push({ name: 'Yearly', deleteAfter: `P${r.yearly}Y`, absoluteCriteria: 'FirstOfYear', taggingPriority: 10 });

    const achieved: AchievedTarget[] = [];
    for (const t of objective.targets) {
      const m = mechanismFor(t.disruption);
      if (t.disruption === Disruption.ACCOUNT_COMPROMISE) {
        achieved.push(locked ? achievedBy(t.disruption, m)
          : notCovered(t.disruption, `not yet covered: vault immutability is Unlocked; lock it in a second deployment with deployedImmutability: UNLOCKED and lockImmutability: true (${Facts.AZURE_BACKUP_VAULT_SOURCE})`));
      } else if (t.disruption === Disruption.AZ_OUTAGE) {
        achieved.push(zoneRedundant
          ? { ...achievedBy(t.disruption, m, `zone-redundant backup storage: ${Facts.AZURE_BACKUP_ZONE_REDUNDANT.statement} (${Facts.AZURE_BACKUP_ZONE_REDUNDANT.source}); the newest backup is up to a day old (${m.rpo.statement})`) }
          : achievedBy(t.disruption, m, `cross-region restore, not zone redundancy: ${Facts.AZURE_BACKUP_NONZONAL.statement} (${Facts.AZURE_BACKUP_NONZONAL.source}); backups restored from the paired region: ${m.rpo.statement} (${m.rpo.source})`));
      } else {
        achieved.push(achievedBy(t.disruption, m));
      }
    }
    return {
      cloud: 'azure',
      resourceName: name,
      storageRedundancy,
      crossRegionRestore,
      immutabilityState: wanted,
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
