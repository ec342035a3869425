import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { Mechanism } from '../../../lib/core/catalog';
import { CloudSqlEdition, GcpDatabasePlanner } from '../../../lib/core/clouds/gcp';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return DrkitError.isDrkitError(e) ? e.code : 'not a DrkitError';
  }
  return undefined;
}

const sqlCtx = { resourceName: 'orders', databaseVersion: 'POSTGRES_16', region: 'us-central1', privateNetwork: true };

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
      sslMode: 'ENCRYPTED_ONLY',
      ipv4Enabled: false,
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
    expect(long.advisories).toEqual([
      'Cloud SQL automated backups are daily only, so the weekly, monthly and yearly restore points are not kept by this instance. A Backup and DR backup plan can keep them, but associating the instance with one switches it to enhanced backups: "Although instances can\'t use multiple backup options simultaneously, Cloud SQL lets you switch between these backup options as needed"; enhanced backups (a Backup and DR backup plan) have no multi-region backups, no cross-region backup and restore and no CMEK support, which standard backups have (https://cloud.google.com/sql/docs/postgres/backup-recovery/backup-options). The instance would lose the automated backups in a multi-region location that drkit counts against region outage, and customer-managed encryption keys for backups; alternatively export to a bucket in another region with a retention policy',
    ]);
  });
});

describe('GcpDatabasePlanner.firestore', () => {
  test('PITR and delete protection; multi-region covers region outage', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(7) }) });
    const plan = GcpDatabasePlanner.firestore(o, { resourceName: 'app', locationId: 'nam5' });
    expect(plan).toMatchObject({ pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED', deleteProtectionState: 'DELETE_PROTECTION_ENABLED', multiRegion: true });
    expect(plan.report.map(r => [r.disruption, r.mechanismIds, r.rpoSeconds, r.rpoKind, r.rtoSeconds, r.rtoKind])).toEqual([
      ['corruption', ['gcp.firestore.pitr'], 60, 'documented', undefined, 'none'],
      ['az', ['gcp.firestore.replication'], undefined, 'none', 0, 'documented'],
      ['region', ['gcp.firestore.replication'], undefined, 'none', 0, 'documented'],
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
      '[DRK012] region outage is among the disruptions for Firestore database app, but its location "us-east1" is a single region: in a multi-region location (for example nam5, eur3), "By replicating the data between multiple regions, data can continue to be served even with the loss of an entire region" (https://cloud.google.com/firestore/docs/locations); use a multi-region location such as nam5 or eur3 (set at creation), or remove Disruption.REGION_OUTAGE');
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ retention: Retention.of({ pointInTime: Period.days(8) }) }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ rpo: Period.seconds(30) }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(codeOf(() => GcpDatabasePlanner.firestore(o({ disruptions: [Disruption.ACCOUNT_COMPROMISE] }), { resourceName: 'app', locationId: 'nam5' }))).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
  });
});

describe('issue 13 #15: Cloud SQL keeps one more backup than days of logs', () => {
  test('retainedBackups = max(daily, pointInTime + 1), because logs are purged once a day', () => {
    const plan = (pit: number, daily: number) => GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(pit), daily }),
    }), { ...sqlCtx, edition: CloudSqlEdition.ENTERPRISE_PLUS });
    expect(plan(7, 7).retainedBackups).toBe(8);
    expect(plan(14, 3).retainedBackups).toBe(15);
    expect(plan(3, 30).retainedBackups).toBe(30);
    expect(plan(7, 7).report[0].basis).toContain('"Logs are purged once daily, not continuously.');
  });
});

describe('issue 13 #17: Cloud SQL PITR figures in the source\'s own words and kinds', () => {
  test('the corruption line counts the documented upload cadence, not the "typically" figure for an unavailable instance', () => {
    const plan = GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION], retention: Retention.of({ pointInTime: Period.days(7) }),
    }), sqlCtx);
    expect(plan.report[0]).toMatchObject({ rpoSeconds: 300, rpoKind: 'documented' });
    expect(plan.report[0].basis).toContain('"Cloud SQL uploads logs every five minutes or less"');
    expect(plan.report[0].basis).not.toContain('typically no more than');
  });

  test('the region line quotes the 4-hour backup window from the Cloud SQL backups page', () => {
    const plan = GcpDatabasePlanner.cloudSql(RecoveryObjective.of({
      rpo: Period.hours(28), rto: Period.days(1), disruptions: [Disruption.REGION_OUTAGE], retention: Retention.of({ pointInTime: Period.days(7) }),
    }), sqlCtx);
    expect(plan.report[0]).toMatchObject({ rpoSeconds: 28 * 3600, rpoKind: 'estimated', sources: expect.arrayContaining(['https://cloud.google.com/sql/docs/postgres/backup-recovery/backups']) });
    expect(Mechanism.CLOUD_SQL_MULTI_REGION_BACKUPS.rpo.statement).toContain('"Automated backups use a 4-hour backup window. The backup starts during the backup window"');
  });

  test('Firestore\'s zone and region lines claim no data-loss bound the locations page does not state', () => {
    const plan = GcpDatabasePlanner.firestore(RecoveryObjective.of({
      rpo: Period.minutes(5),
      rto: Period.hours(1),
      retention: Retention.of({ pointInTime: Period.days(7) }),
    }),
    { resourceName: 'app', locationId: 'eur3' });
    for (const line of plan.report.slice(1)) {
      expect(line.basis).not.toContain('synchronously');
      expect(line.rpoKind).toBe('none');
    }
  });
});

describe('issue 13 #19: Cloud SQL private networking and encrypted connections', () => {
  const o = RecoveryObjective.of({
    rpo: Period.hours(1),
    rto: Period.hours(4),
    disruptions: [Disruption.DATA_CORRUPTION],
    retention: Retention.of({ pointInTime: Period.days(7) }),
  });
  test('sslMode ENCRYPTED_ONLY always; the public IP off when a private network is given', () => {
    expect(GcpDatabasePlanner.cloudSql(o, sqlCtx)).toMatchObject({ sslMode: 'ENCRYPTED_ONLY', ipv4Enabled: false });
    const open = GcpDatabasePlanner.cloudSql(o, { ...sqlCtx, privateNetwork: undefined });
    expect(open).toMatchObject({ sslMode: 'ENCRYPTED_ONLY', ipv4Enabled: true });
    expect(open.advisories[0]).toContain('no `privateNetwork`: the instance keeps a public IP');
  });
});
