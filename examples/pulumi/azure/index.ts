/**
 * A media service on Azure, protected from one recovery objective:
 * - its blobs in a GZRS storage account (versioning, soft delete, change feed,
 *   point-in-time restore for 14 days), tiered to Cool and Cold, reachable with Entra ID
 *   only (no shared key), under a CanNotDelete lock;
 * - its SQL database in a failover group with a customer-managed (Manual) failover policy,
 *   as Microsoft recommends: Microsoft publishes no RPO or RTO for it, so the report says
 *   "none" and the failover must be drilled;
 * - its catalog in Cosmos DB with 30-day continuous backup, Entra ID only, under a
 *   CanNotDelete lock.
 */
import {
  AzureBlobTier, CosmosDbAccount, CrossRegionReplicatedBucket, Disruption, Period, RecoveryObjective, Retention, SqlFailoverGroup,
} from 'drkit/pulumi/azure';

export const objective = RecoveryObjective.of({
  name: 'media',
  rpo: Period.minutes(15),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(14), daily: 30 }),
});

export const resourceGroupName = 'media-rg';

export const media = new CrossRegionReplicatedBucket('media', {
  objective,
  resourceGroupName,
  location: 'westeurope',
  containers: ['originals', 'renditions'],
  tiering: {
    transitions: [{ tier: AzureBlobTier.COOL, afterDays: 30 }, { tier: AzureBlobTier.COLD, afterDays: 60 }],
    versionExpireAfterDays: 14,
  },
});

export const failoverGroup = new SqlFailoverGroup('media-sql', {
  objective,
  resourceGroupName,
  serverName: 'media-sql-weu',
  partnerServerId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${resourceGroupName}/providers/Microsoft.Sql/servers/media-sql-neu`,
  databaseIds: [`/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${resourceGroupName}/providers/Microsoft.Sql/servers/media-sql-weu/databases/media`],
});

// Continuous backup restores within the account's region: the catalog's objective covers
// corruption and zone loss, and says so.
export const catalog = new CosmosDbAccount('media-catalog', {
  objective: RecoveryObjective.of({
    name: 'media-catalog',
    rpo: Period.minutes(15),
    rto: Period.hours(4),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
    retention: Retention.of({ pointInTime: Period.days(30) }),
  }),
  resourceGroupName,
  location: 'westeurope',
});

export const report = {
  media: media.report,
  sql: failoverGroup.report,
  catalog: catalog.report,
};
