import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { CloudSqlEdition, GcpDatabasePlanner } from '../../../lib/core/clouds/gcp';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

const sqlCtx = { resourceName: 'orders', databaseVersion: 'POSTGRES_16', region: 'us-central1' };

describe('GcpDatabasePlanner.cloudSql', () => {
  test('PITR with the window as log retention, HA, multi-region backups, protection on', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(7), daily: 14 }),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(28) }],
    });
    const plan = GcpDatabasePlanner.cloudSql(o, { ...sqlCtx, replicaRegion: 'us-east1' });
    expect(plan).toMatchObject({
      edition: 'ENTERPRISE',
      pointInTimeRecoveryEnabled: true,
      binaryLogEnabled: false,
      transactionLogRetentionDays: 7,
      retainedBackups: 14,
      backupStartTime: '05:00',
      backupLocation: 'us',
      availabilityType: 'REGIONAL',
      deletionProtection: true,
      retainBackupsOnDelete: true,
      replicaRegion: 'us-east1',
      advisories: [],
    });
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind])).toEqual([
      ['corruption', ['gcp.sql.pitr'], 300, 'documented'],
      ['az', ['gcp.sql.ha'], 0, 'documented'],
      ['region', ['gcp.sql.backups.multi-region', 'gcp.sql.cross-region-replica'], 28 * 3600, 'estimated'],
    ]);
  });

  test('MySQL uses binary logging; zonal when AZ outage is not in scope', () => {
    const plan = GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(3) }),
    }),
    { ...sqlCtx, databaseVersion: 'MYSQL_8_0' });
    expect(plan).toMatchObject({ pointInTimeRecoveryEnabled: false, binaryLogEnabled: true, availabilityType: 'ZONAL', backupLocation: undefined, retainedBackups: 7 });
  });

  test('log retention past the edition limit is refused; Enterprise Plus allows 35 days', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(14) }),
    });
    expect(() => GcpDatabasePlanner.cloudSql(o, sqlCtx)).toThrow(
      '[DRK014] `retention.pointInTime` of 14 days cannot be met for Cloud SQL instance orders: Cloud SQL ENTERPRISE keeps transaction logs for point-in-time recovery at most 7 days (https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr); set pointInTime to 7 days or less, or use CloudSqlEdition.ENTERPRISE_PLUS (up to 35 days), and keep older restore points with daily backups');
    expect(GcpDatabasePlanner.cloudSql(o, { ...sqlCtx, edition: CloudSqlEdition.ENTERPRISE_PLUS }).transactionLogRetentionDays).toBe(14);
  });

  test('a region RPO below a day plus the backup window is refused (replica lag has no bound)', () => {
    const o = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), retention: Retention.of({ pointInTime: Period.days(7) }), name: 'g' });
    expect(() => GcpDatabasePlanner.cloudSql(o, { ...sqlCtx, replicaRegion: 'us-east1' })).toThrow(
      '[DRK010] `rpo` 1 hour against region outage cannot be met for Cloud SQL instance orders (objective "g"): a cross-region read replica replicates asynchronously; Google publishes no bound on replication lag (https://cloud.google.com/sql/docs/postgres/replication/cross-region-replicas), so drkit counts only the daily backups kept in the us multi-region, which may be 28 hours old (a day plus the 4 hours backup window, https://cloud.google.com/sql/docs/postgres/backup-recovery/backups). Raise the region-outage rpo to at least 28 hours with `perDisruption`');
  });

  test('other refusals', () => {
    const base = {
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(7) }),
    };
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of({ ...base, rpo: Period.minutes(1) }),
      sqlCtx))).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of({ ...base, disruptions: [Disruption.ACCOUNT_COMPROMISE] }),
      sqlCtx))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of(base), { ...sqlCtx, databaseVersion: 'ORACLE_19' }))).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of(base), { ...sqlCtx, replicaRegion: 'us-central1' }))).toBe(DrkitErrorCode.INVALID_REGION);
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      ...base,
      retention: Retention.of({
        pointInTime: Period.days(7),
        daily: 400,
      }),
    }), sqlCtx))).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.cloudSql(RecoveryObjective.of({ ...base, rpo: Period.hours(30), disruptions: [Disruption.REGION_OUTAGE] }), { ...sqlCtx, region: 'me-central1' }))).toBe(DrkitErrorCode.INVALID_REGION);
    const long = GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      ...base,
      retention: Retention.of({
        pointInTime: Period.days(7),
        monthly: 12,
      }),
    }), sqlCtx);
    expect(long.advisories).toEqual(['Cloud SQL automated backups are daily only: keep the weekly, monthly and yearly restore points in a Backup and DR backup plan (https://cloud.google.com/sql/docs/postgres/backup-recovery/backups)']);
  });
});

describe('GcpDatabasePlanner.firestore', () => {
  test('PITR and delete protection; multi-region covers region outage', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(7) }) });
    const plan = GcpDatabasePlanner.firestore(o, { resourceName: 'app', locationId: 'nam5' });
    expect(plan).toMatchObject({ pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED', deleteProtectionState: 'DELETE_PROTECTION_ENABLED', multiRegion: true });
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rtoSeconds])).toEqual([
      ['corruption', ['gcp.firestore.pitr'], 60, undefined],
      ['az', ['gcp.firestore.replication'], 0, 0],
      ['region', ['gcp.firestore.replication'], 0, 0],
    ]);
  });

  test('refusals: a single region against region outage, a window over 7 days, an RPO under a minute', () => {
    const o = (p: object) => RecoveryObjective.of({
      rpo: Period.minutes(5),
      rto: Period.hours(1),
      retention: Retention.of({ pointInTime: Period.days(7) }),
      ...p,
    });
    expect(() => GcpDatabasePlanner.firestore(o({}), { resourceName: 'app', locationId: 'us-east1' })).toThrow(
      '[DRK012] region outage is among the disruptions for Firestore database app, but its location "us-east1" is a single region: a Firestore database in a multi-region location (for example nam5, eur3) replicates data synchronously across regions and stays available when one region is lost (https://cloud.google.com/firestore/docs/locations); use a multi-region location such as nam5 or eur3 (set at creation), or remove Disruption.REGION_OUTAGE');
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ retention: Retention.of({ pointInTime: Period.days(8) }) }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ rpo: Period.seconds(30) }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ disruptions: [Disruption.ACCOUNT_COMPROMISE] }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
  });
});
