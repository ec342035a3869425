import { installMocks, recordPulumiLogs, settle, valueOf } from './harness';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { RdsPitrPolicy } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Issue 11, point 2 (Pulumi): RDS, Aurora and EBS recovery points keep the resource's own key,
 * not the vault's, so a copy to a backup account needs that key shared: the foundation says so.
 */
const logs = recordPulumiLogs();

beforeEach(() => {
  installMocks();
});

const ACCOUNT_COPIES = RecoveryObjective.of({
  name: 'account copies',
  rpo: Period.hours(1),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.ACCOUNT_COMPROMISE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 14 }),
  perDisruption: [{ disruption: Disruption.ACCOUNT_COMPROMISE, rpo: Period.hours(26) }],
});

test('GIVEN an RDS instance copied to a backup account THEN a warning names the key policy statement its own key needs', async () => {
  const p = new RdsPitrPolicy('db', {
    objective: ACCOUNT_COPIES,
    database: { instanceArgs: { engine: 'postgres', instanceClass: 'db.t4g.micro', allocatedStorage: 20, storageEncrypted: true, multiAz: true, region: 'us-east-1' } },
    backupAccount: '210987654321',
  });
  await valueOf(p.databaseArn);
  await settle();
  const warnings = logs.warn().mock.calls.map(c => String(c[0])).filter(m => m.includes('keep the resource\'s own KMS key'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('is copied to backup account 210987654321');
  expect(warnings[0]).toContain('policy allows account 210987654321 kms:DescribeKey, kms:Encrypt, kms:Decrypt');
});
