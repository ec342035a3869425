/**
 * An order service on Google Cloud, protected from one recovery objective:
 * - its documents in a dual-region Cloud Storage bucket (us-central1 + us-east1, which is
 *   Google's predefined dual-region NAM4; turbo replication, because the region-outage RPO
 *   of 1 hour is below default replication's 12-hour target);
 * - its database in Cloud SQL (point-in-time recovery, HA, backups in the US multi-region
 *   and a standby replica in us-east1; encrypted connections only. Give `privateNetwork`,
 *   a VPC network with private services access, to drop the public IP);
 * - exports tiered to Coldline and Archive, honouring the minimum storage durations.
 */
import {
  CloudSqlEdition, CloudSqlInstance, CrossRegionReplicatedBucket, Disruption, GcsStorageClass, LifecycleTiering, Period, RecoveryObjective, Retention,
} from 'drkit/pulumi/gcp';

export const objective = RecoveryObjective.of({
  name: 'orders',
  rpo: Period.minutes(15),
  rto: Period.hours(4),
  retention: Retention.of({ pointInTime: Period.days(14), daily: 30 }),
  perDisruption: [
    { disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(1) },
  ],
});

export const documents = new CrossRegionReplicatedBucket('orders-documents', {
  objective,
  primaryRegion: 'us-central1',
  secondaryRegion: 'us-east1',
});

// Cloud SQL keeps only daily backups across regions (its replica's lag has no published
// bound), so the database states its own, longer, region-outage RPO.
export const databaseObjective = RecoveryObjective.of({
  name: 'orders-db',
  rpo: Period.minutes(15),
  rto: Period.hours(4),
  retention: Retention.of({ pointInTime: Period.days(14), daily: 30 }),
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(28) }],
});

export const database = new CloudSqlInstance('orders-db', {
  objective: databaseObjective,
  databaseVersion: 'POSTGRES_16',
  tier: 'db-perf-optimized-N-2',
  edition: CloudSqlEdition.ENTERPRISE_PLUS,
  region: 'us-central1',
  replicaRegion: 'us-east1',
});

export const exportsArchive = new LifecycleTiering('orders-exports', {
  location: 'US',
  transitions: [
    { storageClass: GcsStorageClass.COLDLINE, afterDays: 30 },
    { storageClass: GcsStorageClass.ARCHIVE, afterDays: 120 },
  ],
  expireAfterDays: 7 * 365,
});

export const documentsBucket = documents.bucketName;
export const report = {
  documents: documents.report,
  database: database.report,
  exports: exportsArchive.report,
};
