import * as authorization from '@pulumi/azure-native/authorization';
import * as cosmosdb from '@pulumi/azure-native/cosmosdb';
import * as sql from '@pulumi/azure-native/sql';
import * as pulumi from '@pulumi/pulumi';
import { AzureDatabasePlanner, AzureSqlFailoverGroupPlan, CosmosAccountPlan } from '../../core/clouds/azure';
import { CloudReportEntry } from '../../core/clouds/common';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** Arguments of an Azure SQL failover group planned from an objective. */
export interface SqlFailoverGroupArgs {
  /** The recovery objective (its region-outage target). */
  readonly objective: RecoveryObjective;
  /** Resource group of the primary server. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Name of the primary server. */
  readonly serverName: pulumi.Input<string>;
  /** Resource id of the partner (secondary) server in another region. */
  readonly partnerServerId: pulumi.Input<string>;
  /** Resource ids of the databases in the group. */
  readonly databaseIds: pulumi.Input<string>[];
  /** Failover group name (also its DNS name). @default - Pulumi auto-naming */
  readonly failoverGroupName?: pulumi.Input<string>;
  /**
   * Use the Microsoft-managed failover policy (`Automatic`, 60-minute grace period). Microsoft
   * says "Do not rely on Microsoft managed failover".
   * @default false (customer-managed: `Manual`)
   */
  readonly microsoftManagedFailover?: boolean;
}

/**
 * An Azure SQL failover group with the customer-managed failover policy (`Manual`) that
 * Microsoft recommends: the RTO is your detection and decision, which no source bounds. The
 * Microsoft-managed policy (`Automatic`, at least the one-hour grace period, no upper bound)
 * only when asked. Microsoft publishes no bound on the data lost.
 */
export class SqlFailoverGroup extends pulumi.ComponentResource {
  /** The failover group. */
  public readonly failoverGroup: sql.FailoverGroup;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<AzureSqlFailoverGroupPlan>;
  /** The region-outage line: mechanism, RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: SqlFailoverGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `SqlFailoverGroup ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = AzureDatabasePlanner.sqlFailoverGroup(args.objective, {
      resourceName: name, microsoftManagedFailover: args.microsoftManagedFailover,
    });
    super('drkit:azure:SqlFailoverGroup', name, {}, opts);
    this.failoverGroup = new sql.FailoverGroup(`${name}-failover-group`, {
      resourceGroupName: args.resourceGroupName,
      serverName: args.serverName,
      failoverGroupName: args.failoverGroupName,
      partnerServers: [{ id: args.partnerServerId }],
      databases: args.databaseIds,
      readWriteEndpoint: plan.gracePeriodMinutes !== undefined
        ? { failoverPolicy: plan.failoverPolicy, failoverWithDataLossGracePeriodMinutes: plan.gracePeriodMinutes }
        : { failoverPolicy: plan.failoverPolicy },
    }, { parent: this });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}

/** Arguments of a Cosmos DB account with continuous backup. */
export interface CosmosDbAccountArgs {
  /** The recovery objective the account must meet. */
  readonly objective: RecoveryObjective;
  /** Resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region, for example `westeurope`. */
  readonly location: string;
  /** Account name. @default - Pulumi auto-naming */
  readonly accountName?: pulumi.Input<string>;
  /**
   * Put a `CanNotDelete` Resource Manager lock on the account.
   * @default true
   */
  readonly deletionLock?: boolean;
  /**
   * Subnets (resource ids) allowed to reach the account; every other network is then denied
   * (virtual network filter on).
   * @default - no network filter
   */
  readonly allowedSubnetIds?: pulumi.Input<string>[];
}

/**
 * A Cosmos DB (NoSQL) account with continuous backup (7 or 30 days) and zone redundancy;
 * key-based (local) authentication off, so only Entra ID identities reach the data.
 */
export class CosmosDbAccount extends pulumi.ComponentResource {
  /** The account. */
  public readonly account: cosmosdb.DatabaseAccount;
  /** The `CanNotDelete` lock on the account, unless `deletionLock` is false. */
  public readonly deletionLock?: authorization.ManagementLockByScope;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<CosmosAccountPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: CosmosDbAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `CosmosDbAccount ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = AzureDatabasePlanner.cosmosAccount(args.objective, { resourceName: name });
    super('drkit:azure:CosmosDbAccount', name, {}, opts);
    this.account = new cosmosdb.DatabaseAccount(`${name}-account`, {
      resourceGroupName: args.resourceGroupName,
      accountName: args.accountName,
      location: args.location,
      databaseAccountOfferType: 'Standard',
      kind: 'GlobalDocumentDB',
      createMode: 'Default',
      locations: [{ locationName: args.location, failoverPriority: 0, isZoneRedundant: plan.zoneRedundant }],
      backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: plan.continuousTier } },
      minimalTlsVersion: 'Tls12',
      disableKeyBasedMetadataWriteAccess: true,
      disableLocalAuth: true,
      ...(args.allowedSubnetIds !== undefined ? {
        isVirtualNetworkFilterEnabled: true,
        virtualNetworkRules: args.allowedSubnetIds.map(id => ({ id })),
      } : {}),
    }, { parent: this, retainOnDelete: true });
    if (args.deletionLock !== false) {
      this.deletionLock = new authorization.ManagementLockByScope(`${name}-lock`, {
        scope: this.account.id,
        level: 'CanNotDelete',
        notes: `drkit: protects Cosmos DB account for objective "${args.objective.name}" from deletion`,
      }, { parent: this });
    }
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
