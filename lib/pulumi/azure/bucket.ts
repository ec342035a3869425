import * as authorization from '@pulumi/azure-native/authorization';
import * as storage from '@pulumi/azure-native/storage';
import * as pulumi from '@pulumi/pulumi';
import { renderManagementRule } from './lifecycle';
import { Facts } from '../../core/catalog';
import { AzureImmutabilityState, AzurePlanner, AzureStoragePlan, AzureTieringProps } from '../../core/clouds/azure';
import { CloudReportEntry } from '../../core/clouds/common';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** An account in another region that receives blobs by object replication. */
export interface ObjectReplicationTarget {
  /** Resource id of the destination storage account (versioning must be on there). */
  readonly accountId: pulumi.Input<string>;
  /** Name of the destination account. */
  readonly accountName: pulumi.Input<string>;
  /** Resource group of the destination account. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Destination container for each source container (by name). @default - same names */
  readonly containerMap?: { [source: string]: string };
  /**
   * The destination containers already exist (object replication rules need both containers
   * to exist). When false, drkit creates them in the destination account.
   * @default false
   */
  readonly containersExist?: boolean;
}

/** Arguments of a geo-zone-redundant storage account planned from an objective. */
export interface CrossRegionReplicatedBucketArgs {
  /** The recovery objective the account must meet. */
  readonly objective: RecoveryObjective;
  /** Resource group of the account. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region. @default - the resource group's region */
  readonly location?: pulumi.Input<string>;
  /** Account name (3-24 lower-case letters and digits). @default - Pulumi auto-naming */
  readonly accountName?: pulumi.Input<string>;
  /** Blob containers to create (retained on delete). @default - none */
  readonly containers?: string[];
  /** Serve reads from the secondary region before failover (RA-GZRS). @default false */
  readonly readAccessInSecondary?: boolean;
  /** Refuse region-outage RPOs backed only by a typical figure (no SLA). @default false */
  readonly requireSlaBackedRpo?: boolean;
  /**
   * Lock the version-level immutability policy (irreversible). Azure creates the policy
   * Unlocked and refuses to create it Locked: set this in a second deployment, with
   * `deployedImmutability: AzureImmutabilityState.UNLOCKED`.
   * @default false
   */
  readonly lockImmutability?: boolean;
  /**
   * The account's immutability state now, when it already exists (checked against the
   * transitions Azure allows).
   * @default - a new account
   */
  readonly deployedImmutability?: AzureImmutabilityState;
  /**
   * A Backup vault protects the account with vaulted blob backup (object replication is then
   * in place, and the account cannot be failed over by you).
   * @default false
   */
  readonly vaultedBackup?: boolean;
  /**
   * Put a `CanNotDelete` Resource Manager lock on the account, as Microsoft recommends.
   * @default true
   */
  readonly deletionLock?: boolean;
  /**
   * Subnets (resource ids) allowed to reach the account through service endpoints; the
   * network rules then deny every other network (public internet access off).
   * @default - no network rule: reachable from any network, with Entra ID or SAS only
   */
  readonly allowedSubnetIds?: pulumi.Input<string>[];
  /** Copy blobs to an account in another region by object replication. @default - none */
  readonly replicateTo?: ObjectReplicationTarget;
  /** Access-tier tiering (checked against minimum storage durations and the objective's retention). @default - none */
  readonly tiering?: Omit<AzureTieringProps, 'objective'>;
  /** Tags. @default - none */
  readonly tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/**
 * A StorageV2 account with geo-zone-redundant replication (GZRS, or RA-GZRS for reads from
 * the secondary), blob versioning, soft delete, change feed and point-in-time restore
 * within the soft-delete window, from a recovery objective.
 */
export class CrossRegionReplicatedBucket extends pulumi.ComponentResource {
  /** The storage account. */
  public readonly account: storage.StorageAccount;
  /** Blob service settings (versioning, soft delete, change feed, restore policy). */
  public readonly blobService: storage.BlobServiceProperties;
  /** Containers, by name. */
  public readonly containers: { [name: string]: storage.BlobContainer };
  /** Management policy, when tiering is given. */
  public readonly managementPolicy?: storage.ManagementPolicy;
  /** Object replication policy on the destination account, when replicateTo is given. */
  public readonly destinationReplicationPolicy?: storage.ObjectReplicationPolicy;
  /** Object replication policy on this account, when replicateTo is given. */
  public readonly replicationPolicy?: storage.ObjectReplicationPolicy;
  /** Destination containers drkit created, by name, when replicateTo is given. */
  public readonly destinationContainers: { [name: string]: storage.BlobContainer };
  /** The `CanNotDelete` lock on the account, unless `deletionLock` is false. */
  public readonly deletionLock?: authorization.ManagementLockByScope;
  /** Account name. */
  public readonly accountName: pulumi.Output<string>;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<AzureStoragePlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: CrossRegionReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `CrossRegionReplicatedBucket ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const containers = args.containers ?? [];
    if (args.replicateTo && containers.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `CrossRegionReplicatedBucket ${name}: \`replicateTo\` needs at least one container in \`containers\`: object replication copies container to container`);
    }
    const plan = AzurePlanner.storageAccount(args.objective, {
      resourceName: name,
      readAccessInSecondary: args.readAccessInSecondary,
      requireSlaBackedRpo: args.requireSlaBackedRpo,
      lockImmutability: args.lockImmutability,
      deployedImmutability: args.deployedImmutability,
      objectReplication: args.replicateTo !== undefined,
      vaultedBackup: args.vaultedBackup,
      tiering: args.tiering,
    });
    const tiering = args.tiering ? AzurePlanner.lifecycle({ ...args.tiering, objective: args.objective, accountSkuName: plan.skuName }) : undefined;
    // Planned before registration: a refused objective leaves nothing half-registered.
    super('drkit:azure:CrossRegionReplicatedBucket', name, {}, opts);
    const stateful = { parent: this, retainOnDelete: true };

    this.account = new storage.StorageAccount(`${name}-account`, {
      resourceGroupName: args.resourceGroupName,
      accountName: args.accountName,
      location: args.location,
      kind: 'StorageV2',
      sku: { name: plan.skuName },
      accessTier: 'Hot',
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      isHnsEnabled: false,
      ...(args.allowedSubnetIds !== undefined ? {
        networkRuleSet: {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          virtualNetworkRules: args.allowedSubnetIds.map(id => ({ virtualNetworkResourceId: id })),
        },
      } : {}),
      immutableStorageWithVersioning: plan.immutabilityDays !== undefined
        ? {
          enabled: true,
          immutabilityPolicy: {
            immutabilityPeriodSinceCreationInDays: plan.immutabilityDays,
            state: plan.immutabilityState!,
            allowProtectedAppendWrites: false,
          },
        }
        : undefined,
      tags: args.tags,
    }, stateful);
    this.accountName = this.account.name;
    if (args.deletionLock !== false) {
      this.deletionLock = new authorization.ManagementLockByScope(`${name}-lock`, {
        scope: this.account.id,
        level: 'CanNotDelete',
        notes: `drkit: protects storage account for objective "${args.objective.name}" from deletion (${Facts.AZURE_STORAGE_LOCK_SOURCE})`,
      }, { parent: this });
    }

    this.blobService = new storage.BlobServiceProperties(`${name}-blob-service`, {
      accountName: this.account.name,
      resourceGroupName: args.resourceGroupName,
      blobServicesName: 'default',
      isVersioningEnabled: plan.versioning,
      deleteRetentionPolicy: { enabled: true, days: plan.blobSoftDeleteDays },
      containerDeleteRetentionPolicy: { enabled: true, days: plan.containerSoftDeleteDays },
      changeFeed: { enabled: true, retentionInDays: plan.changeFeedRetentionDays },
      restorePolicy: { enabled: true, days: plan.restoreDays },
    }, stateful);

    this.containers = {};
    for (const c of containers) {
      this.containers[c] = new storage.BlobContainer(`${name}-${c}`, {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        containerName: c,
        publicAccess: 'None',
      }, { ...stateful, dependsOn: [this.blobService] });
    }

    if (tiering) {
      this.managementPolicy = new storage.ManagementPolicy(`${name}-lifecycle`, {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        managementPolicyName: 'default',
        policy: { rules: [renderManagementRule('drkit-tiering', tiering)] },
      }, { parent: this, dependsOn: [this.blobService] });
    }

    const target = args.replicateTo;
    this.destinationContainers = {};
    if (target) {
      const rules = containers.map(c => ({ sourceContainer: c, destinationContainer: target.containerMap?.[c] ?? c }));
      // "The source and destination containers must both exist before you can specify them in a rule."
      if (target.containersExist !== true) {
        for (const r of rules) {
          this.destinationContainers[r.destinationContainer] = new storage.BlobContainer(`${name}-replica-${r.destinationContainer}`, {
            accountName: target.accountName,
            resourceGroupName: target.resourceGroupName,
            containerName: r.destinationContainer,
            publicAccess: 'None',
          }, stateful);
        }
      }
      this.destinationReplicationPolicy = new storage.ObjectReplicationPolicy(`${name}-replication-destination`, {
        accountName: target.accountName,
        resourceGroupName: target.resourceGroupName,
        objectReplicationPolicyId: 'default',
        sourceAccount: this.account.id,
        destinationAccount: target.accountId,
        rules,
      }, { parent: this, dependsOn: [...Object.values(this.containers), ...Object.values(this.destinationContainers)] });
      const dest = this.destinationReplicationPolicy;
      this.replicationPolicy = new storage.ObjectReplicationPolicy(`${name}-replication`, {
        accountName: this.account.name,
        resourceGroupName: args.resourceGroupName,
        objectReplicationPolicyId: dest.policyId,
        sourceAccount: this.account.id,
        destinationAccount: target.accountId,
        rules: dest.rules.apply(rs => (rs ?? []).map(r => ({
          ruleId: r.ruleId,
          sourceContainer: r.sourceContainer,
          destinationContainer: r.destinationContainer,
        }))),
      }, { parent: this, dependsOn: [dest] });
    }

    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ accountName: this.accountName, plan: this.plan, report: this.report });
  }
}
