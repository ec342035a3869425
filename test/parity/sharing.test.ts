/**
 * Parity of what the components share: the S3 replication role (CDK: one per stack; Pulumi: one
 * per AWS provider and source region) and a DynamoDB table's standby replica (one replica, shared
 * by `DynamoContinuousBackup` and `DrStandby`, with its `ReplicationLatency` alarm). Each engine's
 * output is normalized to one shape, read only from what it rendered, and compared.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  CrossRegionReplicatedBucket as CdkBucket, DrStandby as CdkDrStandby, DynamoContinuousBackup as CdkDynamoContinuousBackup,
} from '../../lib/cdk';
import { Disruption, DrStrategy, Period, RecoveryObjective, Retention } from '../../lib/core';
import { ACCOUNT, installMocks, Recorder, recordPulumiLogs, Registration, settle } from '../pulumi/aws/harness';
import { testApp } from '../util';

let rec: Recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiAws = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */
recordPulumiLogs();

const PRIMARY = 'us-east-1';
const STANDBY = 'us-west-2';

function fail(msg: string): never {
  throw new Error(`normalizer: ${msg}`);
}

// ---------------------------------------------------------------------------------------
// The replication role

/** What replication needs, per bucket, and who is granted it. */
interface NormalizedReplication {
  /** Distinct roles the buckets' replication rules name. */
  readonly roles: number;
  /** Per bucket (in order): the grants of the one role, as `<action> on <source|source/*|replica/*>`, sorted. */
  readonly grants: string[][];
}

const REPLICATION_ACTIONS = [
  's3:GetReplicationConfiguration', 's3:ListBucket', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging',
  's3:GetObjectRetention', 's3:GetObjectLegalHold', 's3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags',
];

/** A CloudFormation value as text, references as `{Ref X}` / `{X.Attr}`. */
function render(x: any): string {
  if (typeof x === 'string') return x;
  if (x?.Ref) return `{Ref ${x.Ref}}`;
  if (x?.['Fn::GetAtt']) return `{${x['Fn::GetAtt'].join('.')}}`;
  if (x?.['Fn::Join']) return (x['Fn::Join'][1] as any[]).map(render).join(x['Fn::Join'][0]);
  return fail(`cannot render ${JSON.stringify(x)}`);
}

function cdkReplication(stack: Stack, buckets: CdkBucket[]): NormalizedReplication {
  const resources: { [id: string]: any } = Template.fromStack(stack).toJSON().Resources;
  const idOf = (b: CdkBucket) => stack.getLogicalId(b.bucket.node.defaultChild as any);
  const roleIds = new Set(buckets.map(b => resources[idOf(b)].Properties.ReplicationConfiguration.Role['Fn::GetAtt'][0]));
  if (roleIds.size !== 1) fail(`CDK buckets replicate with ${roleIds.size} roles`);
  const roleId = [...roleIds][0];
  const statements = Object.values(resources)
    .filter((r: any) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const grants = buckets.map(b => {
    const source = `{${idOf(b)}.Arn}`;
    // The role's policy writes the replica's ARN out when the stack's account is known (issue 16).
    const replica = `arn:aws:s3:::${render(stack.resolve(b.replicaBucketName)).replace('{Ref AWS::AccountId}', stack.account)}/*`;
    const out: string[] = [];
    for (const s of statements) {
      for (const action of [].concat(s.Action) as string[]) {
        if (!REPLICATION_ACTIONS.includes(action)) continue;
        for (const r of ([] as any[]).concat(s.Resource).map(render)) {
          if (r === source) out.push(`${action} on source`);
          else if (r === `${source}/*`) out.push(`${action} on source/*`);
          else if (r === replica) out.push(`${action} on replica/*`);
        }
      }
    }
    return out.sort();
  });
  return { roles: roleIds.size, grants };
}

function pulumiReplication(regs: Registration[], names: string[]): NormalizedReplication {
  const named = (n: string) => regs.find(r => r.name === n) ?? fail(`no registration ${n}`);
  const roles = new Set(names.map(n => named(`${n}-replication`).inputs.role));
  if (roles.size !== 1) fail(`Pulumi buckets replicate with ${roles.size} roles`);
  const roleArn = [...roles][0];
  const grants = names.map(n => {
    const out: string[] = [];
    const source = `arn:aws:s3:::${n}-bucket-phys`;
    const replica = `arn:aws:s3:::${n}-replica-bucket-phys`;
    for (const policyName of [`${n}-tls-only`, `${n}-replica-tls-only`]) {
      for (const s of JSON.parse(named(policyName).inputs.policy).Statement) {
        if (s.Effect !== 'Allow' || s.Principal?.AWS !== roleArn) continue;
        for (const action of [].concat(s.Action)) {
          for (const r of [].concat(s.Resource) as string[]) {
            out.push(`${action} on ${r === source ? 'source' : r === `${source}/*` ? 'source/*' : r === `${replica}/*` ? 'replica/*' : fail(`unexpected resource ${r}`)}`);
          }
        }
      }
    }
    return out.sort();
  });
  return { roles: roles.size, grants };
}

// ---------------------------------------------------------------------------------------
// The table's standby replica

interface NormalizedStandbyTable {
  /** Per region of the table: point-in-time recovery on, deletion protection on. */
  readonly regions: { [region: string]: { pitr: boolean; deletionProtection: boolean } };
  /** The ReplicationLatency alarms of the table. */
  readonly alarms: Array<{
    namespace: string;
    metric: string;
    receivingRegion: string;
    threshold: number;
    statistic: string;
    period: number;
    comparison: string;
    missing: string;
  }>;
  /** The mechanisms the table's plan counts against a region outage. */
  readonly regionOutage: string[];
}

function cdkStandbyTable(stack: Stack, plan: { achieved: Array<{ disruption: string; mechanisms: string[] }> }): NormalizedStandbyTable {
  const resources: { [id: string]: any } = Template.fromStack(stack).toJSON().Resources;
  const tables = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable');
  if (tables.length !== 1) fail(`expected one global table, found ${tables.length}`);
  const [tableId, table] = tables[0];
  const regions: NormalizedStandbyTable['regions'] = {};
  for (const r of table.Properties.Replicas) {
    const region = typeof r.Region === 'string' ? r.Region : PRIMARY;
    regions[region] = {
      pitr: r.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true, deletionProtection: r.DeletionProtectionEnabled === true,
    };
  }
  const alarms = Object.values(resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'ReplicationLatency'
    && r.Properties.Dimensions.some((d: any) => d.Name === 'TableName' && d.Value?.Ref === tableId))
    .map((r: any) => ({
      namespace: r.Properties.Namespace,
      metric: r.Properties.MetricName,
      receivingRegion: r.Properties.Dimensions.find((d: any) => d.Name === 'ReceivingRegion').Value,
      threshold: r.Properties.Threshold,
      statistic: r.Properties.Statistic,
      period: r.Properties.Period,
      comparison: r.Properties.ComparisonOperator,
      missing: r.Properties.TreatMissingData,
    }));
  return { regions, alarms, regionOutage: plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!.mechanisms };
}

function pulumiStandbyTable(
  regs: Registration[], tableName: string, plan: { achieved: Array<{ disruption: string; mechanisms: string[] }> },
): NormalizedStandbyTable {
  const table = regs.find(r => r.name === tableName) ?? fail(`no table ${tableName}`);
  const regions: NormalizedStandbyTable['regions'] = {
    [table.inputs.region]: {
      pitr: table.inputs.pointInTimeRecovery?.enabled === true, deletionProtection: table.inputs.deletionProtectionEnabled === true,
    },
  };
  for (const r of table.inputs.replicas ?? []) {
    regions[r.regionName] = { pitr: r.pointInTimeRecovery === true, deletionProtection: r.deletionProtectionEnabled === true };
  }
  for (const r of regs.filter(x => x.type === 'aws:dynamodb/tableReplica:TableReplica')) {
    regions[r.inputs.region] = { pitr: r.inputs.pointInTimeRecovery === true, deletionProtection: r.inputs.deletionProtectionEnabled === true };
  }
  const physical = `${tableName}-phys`;
  const alarms = regs.filter(r => r.type === 'aws:cloudwatch/metricAlarm:MetricAlarm' && r.inputs.metricName === 'ReplicationLatency' && r.inputs.dimensions?.TableName === physical)
    .map(r => ({
      namespace: r.inputs.namespace,
      metric: r.inputs.metricName,
      receivingRegion: r.inputs.dimensions.ReceivingRegion,
      threshold: r.inputs.threshold,
      statistic: r.inputs.statistic,
      period: r.inputs.period,
      comparison: r.inputs.comparisonOperator,
      missing: r.inputs.treatMissingData,
    }));
  return { regions, alarms, regionOutage: plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!.mechanisms };
}

// ---------------------------------------------------------------------------------------

const SYNC = RecoveryObjective.of({
  name: 'sync',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
});
const FILES = RecoveryObjective.of({ name: 'files', rpo: Period.minutes(30), rto: Period.hours(4) });

describe('what the components share: CDK and Pulumi', () => {
  test('GIVEN three replicated buckets in one stack / one region WHEN rendered THEN one replication role, granted what each bucket\'s replication needs', async () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: { account: ACCOUNT, region: PRIMARY } });
    const cdkBuckets = ['a', 'b', 'c'].map(n => new CdkBucket(stack, n, { objective: FILES, secondaryRegion: STANDBY }));
    const cdk = cdkReplication(stack, cdkBuckets);

    rec = installMocks();
    for (const n of ['a', 'b', 'c']) new pulumiAws.CrossRegionReplicatedBucket(n, { objective: FILES, region: PRIMARY, secondaryRegion: STANDBY });
    await settle();
    const pulumi = pulumiReplication(rec.registrations, ['a', 'b', 'c']);

    expect(pulumi).toEqual(cdk);
    expect(cdk.roles).toBe(1);
    // Each bucket's grants: read on its source, replicate into its replica, nothing on the others'.
    expect(cdk.grants[0]).toEqual([
      's3:GetObjectLegalHold on source/*', 's3:GetObjectRetention on source/*', 's3:GetObjectVersionAcl on source/*',
      's3:GetObjectVersionForReplication on source/*', 's3:GetObjectVersionTagging on source/*', 's3:GetReplicationConfiguration on source',
      's3:ListBucket on source', 's3:ReplicateDelete on replica/*', 's3:ReplicateObject on replica/*', 's3:ReplicateTags on replica/*',
    ]);
    // Pulumi: one role per provider and region (CDK: per stack).
    expect(rec.ofType('aws:iam/role:Role').map(r => r.name)).toEqual([`drkit-s3-replication-${PRIMARY}`]);
  });

  test('GIVEN a table with a standby replica WHEN DynamoContinuousBackup and DrStandby protect it THEN one replica, PITR and deletion protection in both regions, and its ReplicationLatency alarm', async () => {
    const app = testApp();
    const stack = new Stack(app, 'Sync', { env: { account: ACCOUNT, region: PRIMARY } });
    const table = new dynamodb.TableV2(stack, 'State', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    // CDK: the standby adds the replica to the table; the backup then plans with it.
    new CdkDrStandby(stack, 'Standby', { objective: SYNC, region: STANDBY, strategy: DrStrategy.HOT_STANDBY, tables: [table] });
    const cdkBackup = new CdkDynamoContinuousBackup(stack, 'Backup', { table, objective: SYNC, secondaryRegion: STANDBY });
    const cdk = cdkStandbyTable(stack, cdkBackup.plan);

    // Pulumi: the table declares the replica; the standby shares it.
    rec = installMocks();
    const state = new pulumiAws.DynamoContinuousBackup('state', {
      objective: SYNC,
      region: PRIMARY,
      secondaryRegion: STANDBY,
      table: { args: { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST', streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES', replicas: [{ regionName: STANDBY }] } },
    });
    new pulumiAws.DrStandby('standby', { objective: SYNC, region: STANDBY, primaryRegion: PRIMARY, strategy: DrStrategy.HOT_STANDBY, tables: [state] });
    await settle();
    const pulumi = pulumiStandbyTable(rec.registrations, 'state-table', state.plan);

    expect(pulumi).toEqual(cdk);
    expect(cdk.regions).toEqual({ [PRIMARY]: { pitr: true, deletionProtection: true }, [STANDBY]: { pitr: true, deletionProtection: true } });
    expect(cdk.alarms).toEqual([{
      namespace: 'AWS/DynamoDB',
      metric: 'ReplicationLatency',
      receivingRegion: STANDBY,
      threshold: 1800000,
      statistic: 'Maximum',
      period: 60,
      comparison: 'GreaterThanThreshold',
      missing: 'notBreaching',
    }]);
    expect(cdk.regionOutage).toContain('aws.dynamodb.global-table');
    expect(rec.ofType('aws:dynamodb/tableReplica:TableReplica')).toEqual([]);
  });
});
