import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CrossRegionReplicatedBucket, Disruption, DrStandby, DynamoContinuousBackup, Period, RdsPitrPolicy, RecoveryObjective } from '../../lib';
import { testApp } from '../util';

/** RPO 30 minutes against region outage: only a replica meets it (backup copies are hours old). */
const objective = () => RecoveryObjective.of({
  name: 'orders',
  rpo: Period.minutes(30),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
});
const env = { account: '111122223333', region: 'us-east-1' };

function build(order: 'backup-first' | 'standby-first'): { app: App; stack: Stack; standby: DrStandby } {
  const app = testApp();
  const stack = new Stack(app, 'Orders', { env });
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const o = objective();
  let standby: DrStandby | undefined;
  if (order === 'standby-first') standby = new DrStandby(stack, 'Standby', { objective: o, region: 'us-west-2', tables: [table] });
  new DynamoContinuousBackup(stack, 'Backup', { table, objective: o, secondaryRegion: 'us-west-2' });
  if (order === 'backup-first') standby = new DrStandby(stack, 'Standby', { objective: o, region: 'us-west-2', tables: [table] });
  return { app, stack, standby: standby! };
}

describe('issue 10 point 12: DrStandby and DynamoContinuousBackup compose in either order', () => {
  test('the default strategy, when the region-outage RPO needs replication, is the cheapest one that creates a replica', () => {
    const { standby } = build('backup-first');
    expect(standby.strategy.liveReplicas).toBe(true);
    expect(standby.strategy.title).toBe('pilot light');
  });

  test('DynamoContinuousBackup first, then DrStandby (the fix DRK010 names): synth passes with a replica that has PITR and deletion protection', () => {
    const { stack } = build('backup-first');
    const template = Template.fromStack(stack);
    const replicas = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['us-east-1', 'us-west-2']);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
      expect(r.DeletionProtectionEnabled).toBe(true);
    }
  });

  test('both orders synthesize the same template', () => {
    const a = Template.fromStack(build('backup-first').stack).toJSON();
    const b = Template.fromStack(build('standby-first').stack).toJSON();
    expect(a.Resources).toEqual(b.Resources);
  });

  test('without any replica, the refusal still comes, at synth, with its code and the fix', () => {
    const app = testApp();
    const stack = new Stack(app, 'Orders', { env });
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new DynamoContinuousBackup(stack, 'Backup', { table, objective: objective(), secondaryRegion: 'us-west-2' });
    expect(() => app.synth()).toThrow(/\[DRK010\] `rpo` 30 minutes against region outage cannot be met for table Orders\/Table .*add a replica in another region \(DynamoDB global table via DrStandby\)/);
  });
});

describe('issue 10 point 16: a stack without a region is refused when a construct protects against region outage', () => {
  const agnostic = () => {
    const app = testApp();
    return new Stack(app, 'Agnostic');
  };
  const message = (what: string) => `[DRK015] ${what} protects against region outage (objective "orders"), but stack Agnostic has no concrete region (an environment-agnostic stack): a copy or replica in another region is placed, referenced and reported against the primary region, so give the stack an \`env\`, for example new Stack(app, 'Agnostic', { env: { account: '123456789012', region: 'us-east-1' } }), or remove Disruption.REGION_OUTAGE from the objective`;

  test('CrossRegionReplicatedBucket (never reported "UNPROTECTED ... use CrossRegionReplicatedBucket")', () => {
    const stack = agnostic();
    expect(() => new CrossRegionReplicatedBucket(stack, 'Bucket', { objective: objective(), secondaryRegion: 'us-west-2' }))
      .toThrow(message('CrossRegionReplicatedBucket Agnostic/Bucket'));
  });

  test('DynamoContinuousBackup', () => {
    const stack = agnostic();
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => new DynamoContinuousBackup(stack, 'Backup', { table, objective: objective(), secondaryRegion: 'us-west-2' }))
      .toThrow(message('DynamoContinuousBackup Agnostic/Backup'));
  });

  test('RdsPitrPolicy', () => {
    const stack = agnostic();
    const db = new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true, masterUsername: 'u', manageMasterUserPassword: true });
    expect(() => new RdsPitrPolicy(stack, 'Pitr', { database: db, objective: objective(), secondaryRegion: 'us-west-2' }))
      .toThrow(message('RdsPitrPolicy Agnostic/Pitr'));
  });

  test('without region outage, an environment-agnostic stack is fine', () => {
    const stack = agnostic();
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const o = RecoveryObjective.of({ name: 'orders', rpo: Period.minutes(30), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });
    expect(() => new DynamoContinuousBackup(stack, 'Backup', { table, objective: o })).not.toThrow();
  });
});
