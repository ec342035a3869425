import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { DrStandby } from '../../lib/cdk/dr-standby';
import { RdsPitrPolicy } from '../../lib/cdk/rds-pitr-policy';
import { SecondaryRegionStack } from '../../lib/cdk/secondary-region';
import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, Retention } from '../../lib/core';
import { testApp } from '../util';

const ACCOUNT = '111111111111';
const OBJECTIVE = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  backupInterval: Period.hours(6),
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
});

/** The same app, deployed from `region` to us-west-2: a replicated bucket, an RDS instance with replicated backups and copies, a standby stack. */
function syncService(region: string) {
  const app = testApp();
  const stack = new Stack(app, 'SyncService', { env: { account: ACCOUNT, region } });
  new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const db = new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    storageEncrypted: true,
  });
  new RdsPitrPolicy(stack, 'DbPolicy', { database: db, objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
  const secondary = SecondaryRegionStack.of(stack, 'us-west-2');
  const standby = DrStandby.standbyStackOf(stack, 'us-west-2');
  new CfnWaitConditionHandle(standby, 'Placeholder');
  return { app, stack, secondary, standby };
}

/** Every physical name in `stack`'s template that must be unique in its account and region (or globally). */
function physicalNames(stack: Stack): string[] {
  const resources = Template.fromStack(stack).toJSON().Resources as { [id: string]: any };
  const out: string[] = [];
  for (const r of Object.values(resources)) {
    const p = r.Properties ?? {};
    const name = r.Type === 'AWS::S3::Bucket' ? p.BucketName
      : r.Type === 'AWS::KMS::Alias' ? p.AliasName
        : r.Type === 'AWS::Backup::BackupVault' ? p.BackupVaultName
          : r.Type === 'AWS::SSM::Parameter' ? p.Name
            : undefined;
    if (name !== undefined) out.push(`${r.Type} ${JSON.stringify(name)}`);
  }
  return out.sort();
}

describe('DR names carry the primary region (issue 11, point 4)', () => {
  test('SyncService from us-east-1 and from eu-west-1, both to us-west-2: distinct stack names, bucket names, aliases, copy vaults and parameters', () => {
    const east = syncService('us-east-1');
    const west = syncService('eu-west-1');
    expect([east.secondary.stackName, east.standby.stackName]).toEqual(['SyncService-us-east-1-dr-us-west-2', 'SyncService-us-east-1-standby-us-west-2']);
    expect([west.secondary.stackName, west.standby.stackName]).toEqual(['SyncService-eu-west-1-dr-us-west-2', 'SyncService-eu-west-1-standby-us-west-2']);
    // Construct ids (and so `findChild` and logical IDs) do not move.
    expect(east.secondary.node.id).toBe('SyncService-dr-us-west-2');
    const a = physicalNames(east.secondary);
    const b = physicalNames(west.secondary);
    // What the DR region holds for each deployment: the replica bucket, its alias, the RDS key's
    // alias and parameter, the copy vault.
    expect(a.map(n => n.split(' ')[0])).toEqual([
      'AWS::Backup::BackupVault', 'AWS::KMS::Alias', 'AWS::KMS::Alias', 'AWS::S3::Bucket', 'AWS::SSM::Parameter',
    ]);
    expect(a.filter(n => b.includes(n))).toEqual([]);
    expect(a).toContain('AWS::Backup::BackupVault "SyncService-us-east-1-SyncService-copies"');
    expect(b).toContain('AWS::Backup::BackupVault "SyncService-eu-west-1-SyncService-copies"');
    // The replica's alias and name on the source's replication rule agree with the replica.
    const rule = (s: Stack) => JSON.stringify(Object.values<any>(Template.fromStack(s).findResources('AWS::S3::Bucket'))
      .find(r => r.Properties.ReplicationConfiguration).Properties.ReplicationConfiguration.Rules[0].Destination);
    const alias = (names: string[]) => JSON.parse(names.find(n => n.includes('alias/drkit/replica-'))!.replace(/^\S+ /, '')) as string;
    expect(rule(east.stack)).toContain(alias(a));
    expect(rule(west.stack)).toContain(alias(b));
    expect(alias(a)).not.toBe(alias(b));
  });

  test('an env-agnostic primary stack cannot name its DR resources: DRK130 names the stack and the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    let error: unknown;
    try {
      // Without region outage (DRK015 refuses that first): the replica is still named after the primary region.
      const corruptionOnly = RecoveryObjective.of({ name: 'files', rpo: Period.minutes(30), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
      new CrossRegionReplicatedBucket(stack, 'Files', { objective: corruptionOnly, secondaryRegion: 'us-west-2' });
    } catch (e) {
      error = e;
    }
    expect(DrkitError.isDrkitError(error)).toBe(true);
    expect((error as DrkitError).code).toBe(DrkitErrorCode.DR_NAME_NEEDS_PRIMARY_REGION);
    expect((error as DrkitError).message).toBe('[DRK130] stack Agnostic has no concrete region (env-agnostic), but its secondary-region stack in us-west-2 is named after the primary region, '
      + 'so that the same stack deployed from two regions does not collide in the DR region: give the stack `env: { region: \'us-east-1\' }` (or its Stage an env), '
      + 'for example `env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }`');
  });
});
