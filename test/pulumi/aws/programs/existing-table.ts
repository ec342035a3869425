// A Pulumi program under mocks, run in its own process by dynamo-continuous-backup.test.ts:
// an existing table that fails drkit's check makes the program fail with an unhandled
// rejection (as `pulumi up` would report it), which jest would attribute to the test itself.
// One scenario per argument; prints one JSON line: per scenario, the table ARN output
// (or its rejection code), the registrations and the errors the program failed with.
import { installMocks, settle, valueOf } from '../harness';

const errors: Array<{ code?: string; message: string }> = [];
process.on('unhandledRejection', (e: any) => {
  errors.push({ code: e?.code, message: String(e?.message ?? e) });
});

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const dynamodb = require('@pulumi/aws/dynamodb');
const { Disruption, Period, RecoveryObjective, Retention } = require('../../../../lib/core');
const { DynamoContinuousBackup } = require('../../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

const objective = RecoveryObjective.of({
  name: 'existing',
  rpo: Period.hours(24),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 7 }),
});
const SETTINGS: { [scenario: string]: any } = {
  'pitr-off': { pointInTimeRecovery: { enabled: false } },
  'pitr-short': { pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 7 }, deletionProtectionEnabled: true },
  'other-region': { region: 'eu-west-1', pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 }, deletionProtectionEnabled: true },
};

void (async () => {
  const result: { [scenario: string]: any } = {};
  for (const scenario of process.argv.slice(2)) {
    recorder.clear();
    errors.length = 0;
    const table = new dynamodb.Table(`${scenario}-users`, { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], ...SETTINGS[scenario] });
    const c = new DynamoContinuousBackup(`${scenario}-backup`, { objective, table: { existing: table } });
    const tableArn = await valueOf(c.tableArn).then(v => v, (e: any) => `rejected ${e?.code}`);
    await settle().catch(() => undefined);
    await new Promise(r => setTimeout(r, 50));
    // The same error reaches the program through each output that depends on the check.
    const unique = errors.filter((e, i) => errors.findIndex(x => x.message === e.message) === i);
    result[scenario] = { tableArn, names: recorder.names(), errors: unique };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
})();
