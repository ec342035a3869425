import * as storage from '@pulumi/azure-native/storage';
import type * as inputs from '@pulumi/azure-native/types/input';
import * as pulumi from '@pulumi/pulumi';
import { Facts } from '../../core/catalog';
import { AzureBlobTier, AzureLifecyclePlan, AzurePlanner, AzureTieringProps } from '../../core/clouds/azure';

/** Arguments of a lifecycle management policy on an existing storage account. */
export interface LifecycleTieringArgs extends AzureTieringProps {
  /** The storage account's name. */
  readonly accountName: pulumi.Input<string>;
  /** The account's resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
}

/** One tiering step in the report. */
export interface TieringReportEntry {
  /** `tierToCool`, `tierToCold`, `tierToArchive` or `delete`. */
  readonly action: string;
  /** `base blobs` or `previous versions`. */
  readonly objects: string;
  /** Days after modification (base blobs) or creation (versions). */
  readonly afterDays: number;
  /**
   * The tier's minimum storage duration (days), for tiering actions.
   * @default - none (a delete action)
   */
  readonly minStorageDays?: number;
  /** Where the minimum is documented. */
  readonly source: string;
}

/** The management-policy rule for a planned tiering. */
export function renderManagementRule(name: string, p: AzureLifecyclePlan): inputs.storage.ManagementPolicyRuleArgs {
  const mod = (d?: number) => (d === undefined ? undefined : { daysAfterModificationGreaterThan: d });
  const created = (d?: number) => (d === undefined ? undefined : { daysAfterCreationGreaterThan: d });
  const compact = <T extends object>(o: T): T | undefined => {
    const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    return Object.keys(kept).length ? kept : undefined;
  };
  const actions: inputs.storage.ManagementPolicyActionArgs = compact({
    baseBlob: compact({
      tierToCool: mod(p.tierToCoolAfterDays),
      tierToCold: mod(p.tierToColdAfterDays),
      tierToArchive: mod(p.tierToArchiveAfterDays),
      delete: mod(p.deleteAfterDays),
    }),
    version: compact({
      tierToCool: created(p.versionTierToCoolAfterDays),
      tierToCold: created(p.versionTierToColdAfterDays),
      tierToArchive: created(p.versionTierToArchiveAfterDays),
      delete: created(p.versionDeleteAfterDays),
    }),
  }) ?? {};
  return {
    name,
    enabled: true,
    type: 'Lifecycle',
    definition: {
      actions,
      filters: p.prefixes.length ? { blobTypes: ['blockBlob'], prefixMatch: p.prefixes } : { blobTypes: ['blockBlob'] },
    },
  };
}

/** Report lines for a planned tiering. */
export function tieringReport(p: AzureLifecyclePlan): TieringReportEntry[] {
  const rows: TieringReportEntry[] = [];
  const add = (action: string, objects: string, days: number | undefined, tier?: AzureBlobTier) => {
    if (days === undefined) return;
    rows.push({
      action,
      objects,
      afterDays: days,
      minStorageDays: tier ? AzurePlanner.minStorageDays(tier) : undefined,
      source: Facts.AZURE_ACCESS_TIERS_SOURCE,
    });
  };
  add('tierToCool', 'base blobs', p.tierToCoolAfterDays, AzureBlobTier.COOL);
  add('tierToCold', 'base blobs', p.tierToColdAfterDays, AzureBlobTier.COLD);
  add('tierToArchive', 'base blobs', p.tierToArchiveAfterDays, AzureBlobTier.ARCHIVE);
  add('delete', 'base blobs', p.deleteAfterDays);
  add('tierToCool', 'previous versions', p.versionTierToCoolAfterDays, AzureBlobTier.COOL);
  add('tierToCold', 'previous versions', p.versionTierToColdAfterDays, AzureBlobTier.COLD);
  add('tierToArchive', 'previous versions', p.versionTierToArchiveAfterDays, AzureBlobTier.ARCHIVE);
  add('delete', 'previous versions', p.versionDeleteAfterDays);
  return rows;
}

/**
 * A lifecycle management policy that moves blobs to Cool / Cold / Archive and deletes
 * them, honouring each tier's minimum storage duration (30 / 90 / 180 days) and, when an
 * objective is given, its retention.
 */
export class LifecycleTiering extends pulumi.ComponentResource {
  /** The account's management policy. */
  public readonly policy: storage.ManagementPolicy;
  /** The planned rule. */
  public readonly plan: pulumi.Output<AzureLifecyclePlan>;
  /** Each step with its minimum storage duration and source. */
  public readonly report: pulumi.Output<TieringReportEntry[]>;

  constructor(name: string, args: LifecycleTieringArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = AzurePlanner.lifecycle(args);
    super('drkit:azure:LifecycleTiering', name, {}, opts);
    this.policy = new storage.ManagementPolicy(`${name}-policy`, {
      accountName: args.accountName,
      resourceGroupName: args.resourceGroupName,
      managementPolicyName: 'default',
      policy: { rules: [renderManagementRule('drkit-tiering', plan)] },
    }, { parent: this });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(tieringReport(plan));
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
