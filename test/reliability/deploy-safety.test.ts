import { allResources, synthReference, SynthesizedStack } from './reference';

/**
 * Logical IDs are an API: CloudFormation REPLACES a resource whose logical ID changes (it
 * creates a new one and deletes the old one, or orphans it under RETAIN). For a table, bucket,
 * database, vault or key that means a new, empty resource. This test pins the logical ID of
 * every stateful resource of the reference stack (`examples/cdk/app.ts`).
 *
 * Updating the pin: when the reference stack gains resources (or a rename is intended and
 * nothing is deployed yet), run this test, read the "now" list in the failure, and update
 * PINNED below. Never update it to silence a rename of a resource users have deployed.
 */
const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
  'AWS::Backup::BackupVault',
  'AWS::KMS::Key',
];

/** (stack, type, logicalId) of every stateful resource of the reference stack. */
const PINNED: string[] = [
  'SyncService AWS::Backup::BackupVault DrkitBackupSyncServiceVault905BAC9A',
  'SyncService AWS::DynamoDB::GlobalTable SyncState04873ED7',
  'SyncService AWS::KMS::Key DatabaseKey7576F140',
  'SyncService AWS::KMS::Key DatabaseLogsKey6D671F66',
  'SyncService AWS::KMS::Key DrkitBackupSyncServiceKey9FF567DD',
  'SyncService AWS::KMS::Key DrkitBackupSyncServiceNotificationsKey6AD54035',
  'SyncService AWS::KMS::Key DrkitReplicationAlarmsKey0D912034',
  'SyncService AWS::KMS::Key StandbyAlarmTopicKey911511AD',
  'SyncService AWS::KMS::Key UserFilesKey825FCAB7',
  'SyncService AWS::KMS::Key VpcLogsKey1D112750',
  'SyncService AWS::RDS::DBCluster DatabaseB269D8BB',
  'SyncService AWS::RDS::DBInstance DatabaseReaderC663426B',
  'SyncService AWS::RDS::DBInstance DatabaseWriter7794273E',
  'SyncService AWS::S3::Bucket AccessLogs8B620ECA',
  'SyncService AWS::S3::Bucket UserFilesBucketA0D7EE59',
  'SyncService-us-east-1-dr-us-west-2 AWS::Backup::BackupVault DrkitBackupSyncServiceVault905BAC9A',
  'SyncService-us-east-1-dr-us-west-2 AWS::KMS::Key DrkitBackupSyncServiceKey9FF567DD',
  'SyncService-us-east-1-dr-us-west-2 AWS::KMS::Key DrkitReplicationAlarmsKey0D912034',
  'SyncService-us-east-1-dr-us-west-2 AWS::KMS::Key UserFilesKey825FCAB7',
  'SyncService-us-east-1-dr-us-west-2 AWS::S3::Bucket ReplicaAccessLogs376C6167',
  'SyncService-us-east-1-dr-us-west-2 AWS::S3::Bucket UserFilesBucketA0D7EE59',
  'SyncService-us-east-1-standby-us-west-2 AWS::KMS::Key SecondarySyncServiceDatabaseKeyEB806922',
  'SyncService-us-east-1-standby-us-west-2 AWS::KMS::Key StandbyDatabaseLogsKey35682302',
  'SyncService-us-east-1-standby-us-west-2 AWS::KMS::Key StandbyVpcLogsKey4652A48D',
  'SyncService-us-east-1-standby-us-west-2 AWS::KMS::Key SyncServiceStandbyAlarmTopicKeyD9167D31',
  'SyncService-us-east-1-standby-us-west-2 AWS::RDS::DBCluster SecondarySyncServiceDatabaseClusterDB6D28C4',
  'SyncService-us-east-1-standby-us-west-2 AWS::RDS::DBInstance SecondarySyncServiceDatabaseInstance19760F79A',
  'SyncService-us-east-1-standby-us-west-2 AWS::RDS::DBInstance SecondarySyncServiceDatabaseInstance24E664381',
];

let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthReference().stacks;
});

const stateful = () => allResources(stacks).filter(([, , r]) => STATEFUL_TYPES.includes(r.Type));

describe('deploy safety of the reference stack', () => {
  test('the logical IDs of stateful resources are pinned', () => {
    const now = stateful().map(([s, id, r]) => `${s} ${r.Type} ${id}`).sort();
    const missing = PINNED.filter(p => !now.includes(p));
    const added = now.filter(n => !PINNED.includes(n));
    if (missing.length || added.length) {
      throw new Error([
        missing.length ? `A refactor would REPLACE these stateful resources (their logical IDs are gone; CloudFormation would create new, empty ones and delete or orphan the old):\n  ${missing.join('\n  ')}` : '',
        added.length ? `New stateful resources not pinned yet:\n  ${added.join('\n  ')}` : '',
        `If (and only if) nothing is deployed with the old IDs, update PINNED in test/reliability/deploy-safety.test.ts to:\n  ${now.map(n => `'${n}',`).join('\n  ')}`,
      ].filter(Boolean).join('\n\n'));
    }
  });

  test('every stateful resource is retained on stack deletion and on replacement (DeletionPolicy and UpdateReplacePolicy Retain)', () => {
    const bad = stateful()
      .filter(([, , r]) => r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain')
      .map(([s, id, r]) => `${s}/${id} (${r.Type}): DeletionPolicy ${r.DeletionPolicy ?? 'Delete (default)'}, UpdateReplacePolicy ${r.UpdateReplacePolicy ?? 'Delete (default)'}`);
    expect(bad).toEqual([]);
  });

  test('deletion protection is on for tables and databases', () => {
    const bad: string[] = [];
    for (const [s, id, r] of stateful()) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::DynamoDB::Table' && p.DeletionProtectionEnabled !== true) bad.push(`${s}/${id}`);
      if (r.Type === 'AWS::DynamoDB::GlobalTable') {
        for (const replica of p.Replicas ?? []) if (replica.DeletionProtectionEnabled !== true) bad.push(`${s}/${id} replica ${replica.Region}`);
      }
      if ((r.Type === 'AWS::RDS::DBCluster' || (r.Type === 'AWS::RDS::DBInstance' && p.DBClusterIdentifier === undefined)) && p.DeletionProtection !== true) {
        bad.push(`${s}/${id}`);
      }
    }
    expect(bad).toEqual([]);
    expect(stateful().some(([, , r]) => r.Type.startsWith('AWS::DynamoDB::'))).toBe(true);
  });

  test('the KMS keys that encrypt backup vaults are retained', () => {
    const keysOfVaults: string[] = [];
    for (const s of stacks) {
      for (const r of Object.values<any>(s.template.Resources)) {
        if (r.Type !== 'AWS::Backup::BackupVault') continue;
        const ref = r.Properties?.EncryptionKeyArn?.['Fn::GetAtt']?.[0] ?? r.Properties?.EncryptionKeyArn?.Ref;
        expect(typeof ref).toBe('string'); // a key of the stack, not the AWS-managed default
        keysOfVaults.push(`${s.stackName}/${ref}`);
      }
    }
    expect(keysOfVaults.length).toBeGreaterThanOrEqual(2);
    for (const k of keysOfVaults) {
      const [stackName, id] = k.split('/');
      const key = stacks.find(s => s.stackName === stackName)!.template.Resources[id];
      expect({ key: k, type: key.Type, deletion: key.DeletionPolicy, replace: key.UpdateReplacePolicy })
        .toEqual({ key: k, type: 'AWS::KMS::Key', deletion: 'Retain', replace: 'Retain' });
    }
  });
});
