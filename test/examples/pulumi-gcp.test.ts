import { Recorder, settle, valueOf } from '../pulumi/gcp/mocks';

const rec = new Recorder();
rec.install();
// The program runs when it is loaded, after the mocks (it imports 'drkit/pulumi/gcp', which jest maps to the source).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require('../../examples/pulumi/gcp');

describe('examples/pulumi/gcp', () => {
  beforeAll(async () => {
    await valueOf(program.documentsBucket);
    await valueOf(program.database.replica.urn);
    await valueOf(program.exportsArchive.plan);
    await settle();
  });

  test('registers the three components and exactly their children', () => {
    expect(rec.mocked.map(m => `${m.type}/${m.name}`).sort()).toEqual([
      'drkit:gcp:CrossRegionReplicatedBucket/orders-documents',
      'gcp:storage/bucket:Bucket/orders-documents-bucket',
      'drkit:gcp:CloudSqlInstance/orders-db',
      'gcp:sql/databaseInstance:DatabaseInstance/orders-db-instance',
      'gcp:sql/databaseInstance:DatabaseInstance/orders-db-replica',
      'drkit:gcp:LifecycleTiering/orders-exports',
      'gcp:storage/bucket:Bucket/orders-exports-bucket',
    ].sort());
  });

  test('the documents bucket is dual-region with turbo replication, versioning and 14-day soft delete', () => {
    expect(rec.input('gcp:storage/bucket:Bucket', 'orders-documents-bucket')).toEqual({
      // us-central1 + us-east1 is Google's predefined dual-region NAM4 (not a configurable pair).
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: 14 * 86400 },
      lifecycleRules: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 14, withState: 'ARCHIVED' } }],
      forceDestroy: false,
    });
  });

  test('the database keeps 14 days of logs, 30 backups in the US multi-region, and a replica in us-east1', () => {
    const primary = rec.input('gcp:sql/databaseInstance:DatabaseInstance', 'orders-db-instance');
    expect(primary.settings.backupConfiguration).toEqual({
      enabled: true,
      startTime: '05:00',
      location: 'us',
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 14,
      backupRetentionSettings: { retainedBackups: 30, retentionUnit: 'COUNT' },
    });
    expect(primary.settings).toMatchObject({ edition: 'ENTERPRISE_PLUS', availabilityType: 'REGIONAL', deletionProtectionEnabled: true, retainBackupsOnDelete: true });
    // No VPC network in this example: public IP, encrypted connections only, no authorized network.
    expect(primary.settings.ipConfiguration).toEqual({ ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' });
    expect(rec.input('gcp:sql/databaseInstance:DatabaseInstance', 'orders-db-replica')).toMatchObject({ region: 'us-east1', masterInstanceName: 'orders-db-instance' });
  });

  test('the exports bucket moves to Coldline at 30 days and Archive at 120, deleted after 7 years', () => {
    expect(rec.input('gcp:storage/bucket:Bucket', 'orders-exports-bucket').lifecycleRules).toEqual([
      { action: { type: 'SetStorageClass', storageClass: 'COLDLINE' }, condition: { age: 30, withState: 'LIVE' } },
      { action: { type: 'SetStorageClass', storageClass: 'ARCHIVE' }, condition: { age: 120, withState: 'LIVE' } },
      { action: { type: 'Delete' }, condition: { age: 2555, withState: 'LIVE' } },
    ]);
  });

  test('the report meets the objective per disruption', async () => {
    const docs = await valueOf(program.documents.report) as any[];
    expect(docs.map(r => [r.disruption, r.rpoSeconds, r.rpoKind])).toEqual([['corruption', 0, 'documented'], ['az', 0, 'documented'], ['region', 900, 'typical']]);
    const db = await valueOf(program.database.report) as any[];
    expect(db.map(r => [r.disruption, r.rpoSeconds, r.rpoKind])).toEqual([['corruption', 300, 'documented'], ['az', 0, 'documented'], ['region', 28 * 3600, 'estimated']]);
  });
});
