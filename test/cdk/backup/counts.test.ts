import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { counts, stackIn } from './helpers';
import { ProtectedScope } from '../../../lib/cdk';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

const REGIONAL = RecoveryObjective.of({
  name: 'regional',
  rpo: Period.hours(4),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(14), daily: 14, monthly: 6 }),
});

function synth(tables: number): { primary: number; secondary: number; byType: { [t: string]: number } } {
  const app = testApp();
  const stack = stackIn(app);
  new ProtectedScope(stack, 'Protect', { objective: REGIONAL, secondaryRegion: 'us-west-2' });
  for (let i = 0; i < tables; i++) new dynamodb.Table(stack, `T${i}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const assembly = app.synth();
  const primary = assembly.getStackByName('Primary').template;
  const secondary = assembly.getStackByName((app.node.findChild('Primary-dr-us-west-2') as Stack).stackName).template;
  const n = (t: any) => Object.keys(t.Resources).length;
  return { primary: n(primary), secondary: n(secondary), byType: counts(primary) };
}

test('the backup overhead per objective is constant: N tables add N resources to the primary stack and none to the secondary', () => {
  const one = synth(1);
  const ten = synth(10);
  const hundred = synth(100);
  // printed for the closing note of the issue
  // eslint-disable-next-line no-console
  console.log(`resources (primary + secondary): 1 table ${one.primary} + ${one.secondary}; 10 tables ${ten.primary} + ${ten.secondary}; 100 tables ${hundred.primary} + ${hundred.secondary}`);
  expect(ten.primary - one.primary).toBe(9);
  expect(hundred.primary - one.primary).toBe(99);
  expect(new Set([one.secondary, ten.secondary, hundred.secondary]).size).toBe(1);
  for (const c of [one, ten, hundred]) {
    expect(c.byType['AWS::Backup::BackupVault']).toBe(1);
    expect(c.byType['AWS::Backup::BackupPlan']).toBe(1);
    expect(c.byType['AWS::Backup::BackupSelection']).toBe(1);
  }
});
