import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { CrossRegionReplicatedBucket, DrStandby, DynamoContinuousBackup } from '../../lib/cdk';
import { Disruption, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../lib/core';
import { synthRefusals, testApp } from '../util';

/**
 * Issue 14, point 7: one synth names every refusal. A planner's refusal (DRK010-DRK014) is a
 * validation error of the construct, so three resources with unmeetable objectives fail one
 * synth that lists the three, each with its code; malformed props still throw at once.
 */
const PK = { name: 'pk', type: dynamodb.AttributeType.STRING };
const ENV = { region: 'us-east-1', account: '111111111111' };

test('three resources with unmeetable objectives: one synth failure listing the three codes', () => {
  const app = testApp();
  const stack = new Stack(app, 'App', { env: ENV });
  const orders = new dynamodb.TableV2(stack, 'Orders', { partitionKey: PK });
  const sessions = new dynamodb.TableV2(stack, 'Sessions', { partitionKey: PK });
  // DRK010: DynamoDB PITR's floor is 5 minutes.
  const tight = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
  expect(() => new DynamoContinuousBackup(stack, 'ProtectOrders', { table: orders, objective: tight })).not.toThrow();
  // DRK014: point-in-time recovery keeps at most 35 days.
  const long = RecoveryObjective.of({
    name: 'long',
    rpo: Period.hours(1),
    rto: Period.hours(4),
    disruptions: [Disruption.DATA_CORRUPTION],
    retention: Retention.of({ pointInTime: Period.days(36) }),
  });
  expect(() => new DynamoContinuousBackup(stack, 'ProtectSessions', { table: sessions, objective: long })).not.toThrow();
  // DRK011: a pilot light cannot fail over in 5 minutes.
  const fast = RecoveryObjective.of({ name: 'fast', rpo: Period.minutes(5), rto: Period.minutes(5) });
  expect(() => new DrStandby(stack, 'Standby', { objective: fast, region: 'us-west-2', strategy: DrStrategy.PILOT_LIGHT, tables: [sessions] })).not.toThrow();

  const refusals = synthRefusals(app);
  expect(refusals.map(r => `${r.path} ${r.code}`)).toEqual([
    `App/ProtectOrders ${DrkitErrorCode.RPO_UNACHIEVABLE}`,
    `App/ProtectSessions ${DrkitErrorCode.RETENTION_UNACHIEVABLE}`,
    `App/Standby ${DrkitErrorCode.RTO_UNACHIEVABLE}`,
  ]);
  expect(refusals[0].message).toContain('[DRK010] `rpo` 1 minute against data corruption / accidental deletion cannot be met for table App/Orders (objective "tight")');
});

test('a refused bucket keeps its replica region (a DrStandby naming it still checks the region), and the synth lists its refusal', () => {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  const objective = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(5), rto: Period.hours(1) });
  const bucket = new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective, secondaryRegion: 'us-west-2' });
  expect(bucket.replicaRegion).toBe('us-west-2');
  expect(bucket.plan).toBeUndefined();
  expect(synthRefusals(app).map(r => `${r.path} ${r.code}`)).toEqual([`Files/UserFiles ${DrkitErrorCode.RPO_UNACHIEVABLE}`]);
});

test('malformed props still throw at once', () => {
  const app = testApp();
  const stack = new Stack(app, 'App', { env: ENV });
  const table = new dynamodb.TableV2(stack, 'T', { partitionKey: PK });
  const objective = RecoveryObjective.of({ name: 'ok', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });
  expect(() => new DynamoContinuousBackup(stack, 'P', { table, objective, secondaryRegion: 'not-a-region' })).toThrow(/DRK022/);
});
