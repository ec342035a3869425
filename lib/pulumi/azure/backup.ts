import * as authorization from '@pulumi/azure-native/authorization';
import * as dataprotection from '@pulumi/azure-native/dataprotection';
import * as pulumi from '@pulumi/pulumi';
import { AzureBackupPlanner, AzureBackupVaultPlan, AzureImmutabilityState } from '../../core/clouds/azure';
import { CloudReportEntry } from '../../core/clouds/common';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** Arguments of an Azure Backup vault planned from an objective. */
export interface BackupVaultArgs {
  /** The recovery objective the vault's backups must meet. */
  readonly objective: RecoveryObjective;
  /** Resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region. @default - the resource group's region */
  readonly location?: pulumi.Input<string>;
  /** Vault name. @default - Pulumi auto-naming */
  readonly vaultName?: pulumi.Input<string>;
  /**
   * Lock the vault's immutability (irreversible): a second deployment, with
   * `deployedImmutability: AzureImmutabilityState.UNLOCKED`.
   * @default false
   */
  readonly lockImmutability?: boolean;
  /**
   * The vault's immutability state now, when the vault already exists.
   * @default - a new vault
   */
  readonly deployedImmutability?: AzureImmutabilityState;
  /**
   * The vault's storage redundancy now, when the vault already exists (fixed at creation).
   * @default - a new vault
   */
  readonly deployedStorageRedundancy?: string;
  /**
   * Put a `CanNotDelete` Resource Manager lock on the vault.
   * @default true
   */
  readonly deletionLock?: boolean;
}

const VAULT_STORE = { dataStoreType: 'VaultStore', objectType: 'DataStoreInfoBase' };

/**
 * A Data Protection Backup vault (storage redundancy, cross-region restore, immutability and
 * soft delete from the objective) and a daily vaulted-backup policy for blobs whose
 * retention rules follow the objective's schedule. Assign storage accounts to the policy with
 * backup instances.
 */
export class BackupVault extends pulumi.ComponentResource {
  /** The vault. */
  public readonly vault: dataprotection.BackupVault;
  /** The blob backup policy. */
  public readonly blobPolicy: dataprotection.BackupPolicy;
  /** The `CanNotDelete` lock on the vault, unless `deletionLock` is false. */
  public readonly deletionLock?: authorization.ManagementLockByScope;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<AzureBackupVaultPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `BackupVault ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = AzureBackupPlanner.backupVault(args.objective, {
      resourceName: name,
      lockImmutability: args.lockImmutability,
      deployedImmutability: args.deployedImmutability,
      deployedStorageRedundancy: args.deployedStorageRedundancy,
    });
    super('drkit:azure:BackupVault', name, {}, opts);
    this.vault = new dataprotection.BackupVault(`${name}-vault`, {
      resourceGroupName: args.resourceGroupName,
      vaultName: args.vaultName,
      location: args.location,
      identity: { type: 'SystemAssigned' },
      properties: {
        storageSettings: [{ datastoreType: 'VaultStore', type: plan.storageRedundancy }],
        featureSettings: { crossRegionRestoreSettings: { state: plan.crossRegionRestore } },
        securitySettings: {
          immutabilitySettings: { state: plan.immutabilityState },
          softDeleteSettings: { state: plan.softDeleteState, retentionDurationInDays: plan.softDeleteDays },
        },
      },
    }, { parent: this, retainOnDelete: true });
    if (args.deletionLock !== false) {
      this.deletionLock = new authorization.ManagementLockByScope(`${name}-lock`, {
        scope: this.vault.id,
        level: 'CanNotDelete',
        notes: `drkit: protects backup vault for objective "${args.objective.name}" from deletion`,
      }, { parent: this });
    }
    const tagged = plan.retentionRules.filter(r => r.absoluteCriteria !== undefined);
    this.blobPolicy = new dataprotection.BackupPolicy(`${name}-blob-policy`, {
      resourceGroupName: args.resourceGroupName,
      vaultName: this.vault.name,
      properties: {
        objectType: 'BackupPolicy',
        datasourceTypes: ['Microsoft.Storage/storageAccounts/blobServices'],
        policyRules: [
          {
            name: 'BackupDaily',
            objectType: 'AzureBackupRule',
            backupParameters: { objectType: 'AzureBackupParams', backupType: 'Discrete' },
            dataStore: VAULT_STORE,
            trigger: {
              objectType: 'ScheduleBasedTriggerContext',
              schedule: { repeatingTimeIntervals: [plan.schedule], timeZone: 'UTC' },
              taggingCriteria: [
                { isDefault: true, tagInfo: { tagName: 'Default' }, taggingPriority: 99 },
                ...tagged.map(r => ({
                  isDefault: false,
                  tagInfo: { tagName: r.name },
                  taggingPriority: r.taggingPriority,
                  criteria: [{ objectType: 'ScheduleBasedBackupCriteria' as const, absoluteCriteria: [r.absoluteCriteria!] }],
                })),
              ],
            },
          },
          ...plan.retentionRules.map(r => ({
            name: r.name,
            objectType: 'AzureRetentionRule' as const,
            isDefault: r.absoluteCriteria === undefined,
            lifecycles: [{ deleteAfter: { objectType: 'AbsoluteDeleteOption' as const, duration: r.deleteAfter }, sourceDataStore: VAULT_STORE }],
          })),
        ],
      },
    }, { parent: this });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
