import { Recorder, settle, valueOf } from './mocks';
import { Disruption, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { CloudSqlEdition } from '../../../lib/core/clouds/gcp';

const rec = new Recorder();
rec.install();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcp = require('../../../lib/pulumi/gcp') as typeof import('../../../lib/pulumi/gcp');

const SQL = 'gcp:sql/databaseInstance:DatabaseInstance';

beforeEach(() => {
  rec.mocked.length = 0;
  rec.seen.length = 0;
});

describe('gcp CloudSqlInstance', () => {
  test('primary with backups, PITR, HA, multi-region backups and protection; a replica in the other region', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      retention: Retention.of({ pointInTime: Period.days(14), daily: 30 }),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.days(2) }],
    });
    const c = new gcp.CloudSqlInstance('orders', {
      objective,
      databaseVersion: 'POSTGRES_16',
      tier: 'db-perf-optimized-N-2',
      region: 'us-central1',
      edition: CloudSqlEdition.ENTERPRISE_PLUS,
      replicaRegion: 'us-east1',
      instanceName: 'orders-db',
      project: 'p1',
    }, rec.opts());
    await valueOf(c.replica!.urn);
    await settle();
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual(['drkit:gcp:CloudSqlInstance/orders', `${SQL}/orders-instance`, `${SQL}/orders-replica`].sort());
    expect(rec.input(SQL, 'orders-instance')).toEqual({
      name: 'orders-db',
      project: 'p1',
      region: 'us-central1',
      databaseVersion: 'POSTGRES_16',
      deletionProtection: true,
      settings: {
        tier: 'db-perf-optimized-N-2',
        edition: 'ENTERPRISE_PLUS',
        availabilityType: 'REGIONAL',
        deletionProtectionEnabled: true,
        retainBackupsOnDelete: true,
        // No private network given: public IP stays on, but only encrypted connections (issue 13 #19).
        ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' },
        backupConfiguration: {
          enabled: true,
          startTime: '05:00',
          location: 'us',
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: 14,
          backupRetentionSettings: { retainedBackups: 30, retentionUnit: 'COUNT' },
        },
      },
    });
    expect(rec.input(SQL, 'orders-replica')).toEqual({
      project: 'p1',
      region: 'us-east1',
      databaseVersion: 'POSTGRES_16',
      masterInstanceName: 'orders-db',
      deletionProtection: true,
      settings: {
        tier: 'db-perf-optimized-N-2',
        edition: 'ENTERPRISE_PLUS',
        availabilityType: 'ZONAL',
        deletionProtectionEnabled: true,
        ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' },
      },
    });
    expect(rec.children('drkit:gcp:CloudSqlInstance').map(s => [s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([
      ['orders-instance', true, true], ['orders-replica', true, true],
    ]);
    expect((await valueOf(c.report)).map(r => r.disruption)).toEqual(['corruption', 'az', 'region']);
    expect((await valueOf(c.plan)).advisories.join(' ')).toContain('no `privateNetwork`: the instance keeps a public IP');
  });

  test('MySQL without a replica: binary logging, no replica child', async () => {
    const c = new gcp.CloudSqlInstance('small', {
      objective: RecoveryObjective.of({
        rpo: Period.hours(1),
        rto: Period.hours(8),
        disruptions: [Disruption.DATA_CORRUPTION],
        retention: Retention.of({ pointInTime: Period.days(7) }),
      }),
      databaseVersion: 'MYSQL_8_0',
      tier: 'db-custom-2-7680',
      region: 'europe-west1',
    }, rec.opts());
    await valueOf(c.instance.urn);
    await settle();
    expect(c.replica).toBeUndefined();
    expect(rec.input(SQL, 'small-instance').settings).toEqual({
      tier: 'db-custom-2-7680',
      edition: 'ENTERPRISE',
      availabilityType: 'ZONAL',
      deletionProtectionEnabled: true,
      retainBackupsOnDelete: true,
      ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' },
      backupConfiguration: {
        enabled: true,
        startTime: '05:00',
        binaryLogEnabled: true,
        transactionLogRetentionDays: 7,
        // Logs are purged once a day: one more backup than the days of logs (issue 13 #15).
        backupRetentionSettings: { retainedBackups: 8, retentionUnit: 'COUNT' },
      },
    });
  });

  test('issue 13 #19/#21: a private network turns public IP off; customer-managed keys on primary and replica', async () => {
    const c = new gcp.CloudSqlInstance('priv', {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(15),
        rto: Period.hours(4),
        retention: Retention.of({ pointInTime: Period.days(7) }),
        perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.days(2) }],
      }),
      databaseVersion: 'POSTGRES_16',
      tier: 'db-custom-2-7680',
      region: 'us-central1',
      replicaRegion: 'us-east1',
      privateNetwork: 'projects/p1/global/networks/vpc',
      encryptionKeyName: 'projects/p1/locations/us-central1/keyRings/r/cryptoKeys/sql',
      replicaEncryptionKeyName: 'projects/p1/locations/us-east1/keyRings/r/cryptoKeys/sql',
    }, rec.opts());
    await valueOf(c.replica!.urn);
    await settle();
    const primary = rec.input(SQL, 'priv-instance');
    expect(primary.encryptionKeyName).toBe('projects/p1/locations/us-central1/keyRings/r/cryptoKeys/sql');
    expect(primary.settings.ipConfiguration).toEqual({ ipv4Enabled: false, privateNetwork: 'projects/p1/global/networks/vpc', sslMode: 'ENCRYPTED_ONLY' });
    const replica = rec.input(SQL, 'priv-replica');
    expect(replica.encryptionKeyName).toBe('projects/p1/locations/us-east1/keyRings/r/cryptoKeys/sql');
    expect(replica.settings.ipConfiguration).toEqual({ ipv4Enabled: false, privateNetwork: 'projects/p1/global/networks/vpc', sslMode: 'ENCRYPTED_ONLY' });
    const plan = await valueOf(c.plan);
    expect(plan.advisories.join(' ')).not.toContain('privateNetwork');
  });

  test('issue 13 #21: a customer-managed primary key without a replica key is refused before registration', async () => {
    expect(() => new gcp.CloudSqlInstance('cmek', {
      objective: RecoveryObjective.of({
        rpo: Period.minutes(15),
        rto: Period.hours(4),
        retention: Retention.of({ pointInTime: Period.days(7) }),
        perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.days(2) }],
      }),
      databaseVersion: 'POSTGRES_16',
      tier: 't',
      region: 'us-central1',
      replicaRegion: 'us-east1',
      encryptionKeyName: 'projects/p1/locations/us-central1/keyRings/r/cryptoKeys/sql',
    })).toThrow(/^\[DRK020\] CloudSqlInstance cmek: `encryptionKeyName` encrypts the primary with a customer-managed key, so the replica in us-east1 needs one too/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });

  test('a log window past the edition limit fails with DRK014 and registers nothing', async () => {
    expect(() => new gcp.CloudSqlInstance('big', {
      objective: RecoveryObjective.of({
        rpo: Period.hours(1),
        rto: Period.hours(8),
        disruptions: [Disruption.DATA_CORRUPTION],
        retention: Retention.of({ pointInTime: Period.days(10) }),
      }),
      databaseVersion: 'POSTGRES_16',
      tier: 't',
      region: 'us-central1',
    })).toThrow(/^\[DRK014\] `retention.pointInTime` of 10 days cannot be met for Cloud SQL instance big/);
    await settle();
    expect(rec.mocked).toEqual([]);
  });
});

describe('gcp FirestoreDatabase', () => {
  test('a native-mode database with PITR and delete protection, retained on delete', async () => {
    const c = new gcp.FirestoreDatabase('app', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(7) }) }),
      locationId: 'nam5',
      databaseName: 'app-db',
      project: 'p1',
    }, rec.opts());
    await valueOf(c.database.urn);
    await settle();
    expect(rec.input('gcp:firestore/database:Database', 'app-database')).toEqual({
      name: 'app-db',
      project: 'p1',
      locationId: 'nam5',
      type: 'FIRESTORE_NATIVE',
      pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
      deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
    });
    expect(rec.children('drkit:gcp:FirestoreDatabase').map(s => [s.name, s.opts.retainOnDelete, s.parent === c])).toEqual([['app-database', true, true]]);
  });

  test('issue 13 #21: a customer-managed key goes to cmekConfig', async () => {
    const c = new gcp.FirestoreDatabase('keyed', {
      objective: RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(7) }) }),
      locationId: 'nam5',
      kmsKeyName: 'projects/p1/locations/us/keyRings/r/cryptoKeys/fs',
    }, rec.opts());
    await valueOf(c.database.urn);
    await settle();
    expect(rec.input('gcp:firestore/database:Database', 'keyed-database').cmekConfig).toEqual({ kmsKeyName: 'projects/p1/locations/us/keyRings/r/cryptoKeys/fs' });
  });

  test('a single-region location against region outage fails with DRK012', () => {
    let err: any;
    try {
      new gcp.FirestoreDatabase('app', { objective: RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1), retention: Retention.of({ pointInTime: Period.days(7) }) }), locationId: 'us-east1' });
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
  });
});
