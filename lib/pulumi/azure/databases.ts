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
}

/**
 * An Azure SQL failover group: RPO 5 seconds; Microsoft-managed failover (RTO 1 hour) when
 * the region-outage RTO allows it, customer-initiated failover (RTO 30 seconds) when tighter.
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
    const plan = AzureDatabasePlanner.sqlFailoverGroup(args.objective, { resourceName: name });
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
}

/** A Cosmos DB (NoSQL) account with continuous backup (7 or 30 days) and zone redundancy. */
export class CosmosDbAccount extends pulumi.ComponentResource {
  /** The account. */
  public readonly account: cosmosdb.DatabaseAccount;
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
    }, { parent: this, retainOnDelete: true });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
