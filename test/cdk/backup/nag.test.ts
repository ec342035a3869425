import { Aspects, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { stackIn } from './helpers';
import { ProtectedScope } from '../../../lib/cdk';
import { Disruption, Period, RecoveryObjective, Retention } from '../../../lib/core';
import { testApp } from '../../util';

const OBJECTIVE = RecoveryObjective.of({
  name: 'nag',
  rpo: Period.hours(3),
  rto: Period.hours(8),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE],
  retention: Retention.of({ pointInTime: Period.days(7), daily: 7 }),
});

const IN_BACKUP_PLAN = /(NIST\.800\.53\.R5|HIPAA\.Security)-(DynamoDB|EC2EBS|EFS|RDS)InBackupPlan/;

function protectedStack(protect: boolean): Stack {
  const app = testApp();
  const stack: Stack = stackIn(app);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new dynamodb.TableV2(stack, 'Sessions', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new efs.FileSystem(stack, 'Shared', { vpc });
  new ec2.Volume(stack, 'Disk', { availabilityZone: 'us-east-1a', size: Size.gibibytes(10), encrypted: true });
  new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    backupRetention: Duration.days(1),
  });
  if (protect) new ProtectedScope(stack, 'Protect', { objective: OBJECTIVE, airGappedVault: true });
  Aspects.of(app).add(new NIST80053R5Checks());
  Aspects.of(app).add(new HIPAASecurityChecks());
  Aspects.of(app).add(new AwsSolutionsChecks());
  return stack;
}

function findings(protect: boolean): string[] {
  return Annotations.fromStack(protectedStack(protect)).findError('*', Match.stringLikeRegexp('InBackupPlan'))
    .map(m => `${m.id}: ${String(m.entry.data).split(':')[0]}`)
    .filter(s => IN_BACKUP_PLAN.test(s));
}

test('cdk-nag NIST 800-53 R5 and HIPAA "in backup plan" rules: every resource flagged without ProtectedScope, none with it', () => {
  const without = findings(false);
  // the Table, the file system, the volume and the instance, in both packs (the rule does not look at TableV2's CfnGlobalTable)
  expect(without.length).toBe(8);
  expect(findings(true)).toEqual([]);
});

test('cdk-nag (AWS Solutions, NIST 800-53 R5, HIPAA) finds no error or warning in what drkit adds (vault, plan, evidence, air-gapped vault)', () => {
  const stack = protectedStack(true);
  const ours = (m: { id: string }) => m.id.startsWith('/Primary/DrkitBackup') || m.id.startsWith('/Primary/Protect');
  const errors = Annotations.fromStack(stack).findError('*', Match.anyValue()).filter(ours);
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('(AwsSolutions|NIST|HIPAA).*')).filter(ours);
  expect([...errors, ...warnings].map(m => `${m.id}: ${String(m.entry.data).split(':')[0]}`)).toEqual([]);
});
