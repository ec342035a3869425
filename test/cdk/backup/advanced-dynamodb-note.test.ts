import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DynamoContinuousBackup, RdsPitrPolicy } from '../../../lib/cdk';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

/**
 * Issue 14, point 8: the info note about advanced DynamoDB backup (cold storage and copies of
 * DynamoDB recovery points) appears only for a backup plan that backs up a DynamoDB table.
 */
const OBJECTIVE = RecoveryObjective.of({
  name: 'copied',
  rpo: Period.hours(24),
  rto: Period.hours(12),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7, monthly: 12 }),
});
const NOTE = Match.stringLikeRegexp('moves DynamoDB recovery points to cold storage or copies them');

function app(withTable: boolean, withCluster: boolean): Stack {
  const a = testApp();
  const stack = new Stack(a, 'App', { env: { region: 'us-east-1', account: '111111111111' } });
  if (withCluster) {
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const database = new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer'),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
    });
    new RdsPitrPolicy(stack, 'ClusterProtection', { database, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  }
  if (withTable) {
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new DynamoContinuousBackup(stack, 'TableProtection', { table, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  }
  return stack;
}

test('an app with only an Aurora cluster, copied to another region: no note about DynamoDB', () => {
  expect(Annotations.fromStack(app(false, true)).findInfo('*', NOTE)).toEqual([]);
});

test('a table added after the cluster to the same plan: the note, once', () => {
  expect(Annotations.fromStack(app(true, true)).findInfo('*', NOTE)).toHaveLength(1);
});

test('a table alone: the note, once', () => {
  expect(Annotations.fromStack(app(true, false)).findInfo('*', NOTE)).toHaveLength(1);
});
