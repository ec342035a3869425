import * as pulumi from '@pulumi/pulumi';
import { Disruption, DrkitError, DrkitErrorCode, DrStrategy, Period, RecoveryObjective, Retention } from '../../lib/core';
import { withoutRedundantRules } from '../../lib/core/plan-backup';
import { ACCOUNT, DEFAULT_REGION, mockState, Recorder, Registration, settle, valueOf } from '../pulumi/aws/harness';

const PROJECT = 'drkit-example-aws';

/**
 * Mocks for the example: the shared harness's state, plus ARNs and identifiers for the RDS
 * types, the caller identity, and a recorder of every registration with its options.
 */
function installMocks(): Recorder {
  const recorder = new Recorder();
  const pending = new Map<string, Registration>();
  void pulumi.runtime.setMocks({
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      const reg = pending.get(`${args.type}::${args.name}`);
      if (reg) reg.inputs = args.inputs;
      const region = args.inputs.region ?? DEFAULT_REGION;
      const arns: { [type: string]: string } = {
        'aws:rds/cluster:Cluster': `arn:aws:rds:${region}:${ACCOUNT}:cluster:${args.inputs.clusterIdentifier ?? args.name}`,
        'aws:rds/globalCluster:GlobalCluster': `arn:aws:rds::${ACCOUNT}:global-cluster:${args.inputs.globalClusterIdentifier ?? args.name}`,
        'aws:s3/bucket:Bucket': `arn:aws:s3:::${args.name}-phys`,
      };
      const extra = arns[args.type] ? { arn: arns[args.type] } : {};
      const ids = args.type.startsWith('aws:rds/') ? { identifier: args.name, clusterIdentifier: args.inputs.clusterIdentifier ?? args.name } : {};
      const bucket = args.type === 'aws:s3/bucket:Bucket' ? { bucket: `${args.name}-phys` } : {};
      return { id: `${args.name}-id`, state: { ...mockState(args), ...extra, ...ids, ...bucket } };
    },
    call: (args: pulumi.runtime.MockCallArgs) => args.token === 'aws:index/getCallerIdentity:getCallerIdentity'
      ? { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: 'test' }
      : args.inputs,
  }, PROJECT, 'test', false);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const monitor = require('@pulumi/pulumi/runtime/settings').getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const type: string = req.getType();
    const name: string = req.getName();
    const reg: Registration = {
      type,
      name,
      urn: `urn:pulumi:test::${PROJECT}::${type}::${name}`,
      inputs: undefined,
      parent: req.getParent(),
      retainOnDelete: req.getRetainondelete() === true,
      protect: req.getProtect() === true,
      dependsOn: req.getDependenciesList(),
    };
    recorder.registrations.push(reg);
    pending.set(`${type}::${name}`, reg);
    return register(req, callback);
  };
  return recorder;
}

const rec = installMocks();
const FOUNDATION = 'drkit-backup-sync-service-us-east-1';
pulumi.runtime.setConfig(`${PROJECT}:dbPassword`, 'not-a-real-password');
// The components' advisories, recorded instead of printed (the program logs them when it loads).
const warnings: string[] = [];
jest.spyOn(pulumi.log, 'warn').mockImplementation(msg => {
  warnings.push(msg); return Promise.resolve();
});
jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
// The program runs when it is loaded, after the mocks (it imports 'drkit/pulumi/aws' and
// 'drkit/core', which jest maps to the source).
/* eslint-disable @typescript-eslint/no-require-imports */
const program = require('../../examples/pulumi/aws');
const { DrStandby, RdsPitrPolicy } = require('../../lib/pulumi/aws') as typeof import('../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

function one(type: string, name: string): Registration {
  const found = rec.registrations.filter(r => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}: ${rec.ofType(type).map(r => r.name).join(', ')}`);
  return found[0];
}

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent !== '' && r.parent.endsWith(`::${component.name}`) && r.parent.includes(component.type));
}

describe('examples/pulumi/aws: the reference sync service under mocks', () => {
  beforeAll(async () => {
    await valueOf(program.filesBucketName);
    await valueOf(program.tableArn);
    await valueOf(program.databaseArn);
    await valueOf(program.standby.secondaryClusters[0].arn);
    await settle();
  });

  test('the five components, once each (LifecycleTiering for the two access-log buckets), and the objective\'s shared backup foundation', () => {
    const components = rec.registrations.filter(r => r.type.startsWith('drkit:aws:')).map(r => `${r.type}/${r.name}`).sort();
    expect(components).toEqual([
      `drkit:aws:BackupFoundation/${FOUNDATION}`,
      'drkit:aws:CrossRegionReplicatedBucket/user-files',
      'drkit:aws:DrStandby/sync-standby',
      'drkit:aws:DynamoContinuousBackup/sync-state',
      'drkit:aws:LifecycleTiering/sync-access-logs-tiering',
      'drkit:aws:LifecycleTiering/sync-replica-access-logs-tiering',
      'drkit:aws:RdsPitrPolicy/sync-database',
    ]);
  });

  test('user files: RTC replication (15 minutes) to us-west-2, Object Lock governance 30 days, tiered source and replica', () => {
    const replication = one('aws:s3/bucketReplicationConfig:BucketReplicationConfig', 'user-files-replication').inputs;
    expect(replication.region).toBe('us-east-1');
    expect(replication.rules[0].destination).toMatchObject({
      bucket: 'arn:aws:s3:::user-files-replica-bucket-phys',
      replicationTime: { status: 'Enabled', time: { minutes: 15 } },
      metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
    });
    expect(one('aws:s3/bucket:Bucket', 'user-files-replica-bucket').inputs.region).toBe('us-west-2');
    expect(one('aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration', 'user-files-object-lock').inputs.rule)
      .toEqual({ defaultRetention: { mode: 'GOVERNANCE', days: 30 } });
    const tiering = (name: string) => one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', name).inputs.rules
      .find((r: any) => r.id === 'drkit-tiering');
    expect(tiering('user-files-lifecycle')).toMatchObject({
      noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: 'STANDARD_IA' }, { noncurrentDays: 90, storageClass: 'GLACIER' }],
      noncurrentVersionExpiration: { noncurrentDays: 372 },
    });
    expect(tiering('user-files-replica-lifecycle')).toMatchObject({
      transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 60, storageClass: 'GLACIER_IR' }],
      noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: 'STANDARD_IA' }, { noncurrentDays: 60, storageClass: 'GLACIER' }],
      noncurrentVersionExpiration: { noncurrentDays: 372 },
    });
    // Access logs of each bucket go to a log bucket in its region, expired by LifecycleTiering.
    expect(one('aws:s3/bucketLogging:BucketLogging', 'user-files-replica-logging').inputs).toMatchObject({
      region: 'us-west-2', bucket: 'user-files-replica-bucket-id', targetBucket: 'sync-replica-access-logs-id',
    });
    expect(one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'sync-access-logs-tiering-lifecycle').inputs.rules[0])
      .toMatchObject({ id: 'drkit-tiering', expiration: { days: 400 }, noncurrentVersionExpiration: { noncurrentDays: 30 } });
  });

  test('sync state: PITR 30 days and deletion protection on the table and its us-west-2 replica; 6-hourly, daily and monthly backups copied to us-west-2 in locked vaults', () => {
    const table = one('aws:dynamodb/table:Table', 'sync-state-table');
    expect(table.inputs).toMatchObject({
      region: 'us-east-1',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 30 },
      deletionProtectionEnabled: true,
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      replicas: [{ regionName: 'us-west-2', pointInTimeRecovery: true, deletionProtectionEnabled: true }],
    });
    // The table's plan in the objective's shared foundation, selecting it by the tag it carries.
    // No Daily rule (issue 11): it would repeat the 05:00 run of Every6h, kept 30 days too.
    const planName = `${FOUNDATION}-every6h-monthly`;
    expect(table.inputs.tags).toEqual({ 'drkit:backup-plan': planName, 'drkit:backup-objective': FOUNDATION });
    const rules = one('aws:backup/plan:Plan', planName).inputs.rules;
    expect(rules.map((r: any) => [r.ruleName, r.schedule, r.lifecycle.deleteAfter, r.copyActions.map((c: any) => c.destinationVaultArn)])).toEqual(
      withoutRedundantRules(program.tableProtection.plan.backupRules).map((r: any) => [r.name, r.scheduleExpression, r.deleteAfterDays,
        r.copies.map(() => `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:${FOUNDATION}-copy-vault-phys`)]),
    );
    // The objective's schedule: every 6 hours (which gives the daily 05:00 point) for 30 days, monthly for 12 months.
    expect(rules.map((r: any) => r.schedule)).toEqual(['cron(0 5,11,17,23 * * ? *)', 'cron(0 5 1 * ? *)']);
    expect(rules.map((r: any) => r.lifecycle.deleteAfter).sort((a: number, b: number) => a - b)).toEqual([30, 372]);
    for (const name of [`${FOUNDATION}-vault-lock`, `${FOUNDATION}-copy-vault-lock`]) {
      const lock = one('aws:backup/vaultLockConfiguration:VaultLockConfiguration', name).inputs;
      expect([lock.minRetentionDays, lock.maxRetentionDays, lock.changeableForDays]).toEqual([30, 372, undefined]);
    }
    expect(one('aws:backup/vault:Vault', `${FOUNDATION}-copy-vault`).inputs.region).toBe('us-west-2');
    // The standby shares the table's replica (no TableReplica) and alarms on its replication latency.
    expect(rec.ofType('aws:dynamodb/tableReplica:TableReplica')).toEqual([]);
    expect(one('aws:cloudwatch/metricAlarm:MetricAlarm', 'sync-standby-table0-replication-latency').inputs).toMatchObject({
      region: 'us-east-1', metricName: 'ReplicationLatency', dimensions: { TableName: 'sync-state-table-phys', ReceivingRegion: 'us-west-2' }, threshold: 30 * 60 * 1000,
    });
  });

  test('database: encrypted Aurora PostgreSQL, 30-day automated backups, monthly backups for a year in a locked vault', () => {
    const cluster = one('aws:rds/cluster:Cluster', 'sync-database-cluster').inputs;
    expect(cluster).toMatchObject({
      region: 'us-east-1',
      clusterIdentifier: 'sync-service-db',
      engine: 'aurora-postgresql',
      storageEncrypted: true,
      backupRetentionPeriod: 30,
      preferredBackupWindow: '03:00-03:30',
      deletionProtection: true,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      port: 5438,
    });
    // Its own plan in the shared foundation (its rules differ from the table's): monthly points,
    // also copied to us-west-2, as in the CDK app.
    const rules = one('aws:backup/plan:Plan', `${FOUNDATION}-monthly`).inputs.rules;
    expect(rules.map((r: any) => [r.ruleName, r.lifecycle.deleteAfter, r.copyActions.length])).toEqual([['Monthly', 372, 1]]);
    expect(cluster.tags).toEqual({ 'drkit:backup-plan': `${FOUNDATION}-monthly`, 'drkit:backup-objective': FOUNDATION });
    // One vault for the objective: the table's and the database's points.
    expect(rec.ofType('aws:backup/vault:Vault').map(v => v.name).sort()).toEqual([`${FOUNDATION}-copy-vault`, `${FOUNDATION}-vault`]);
    expect(rec.ofType('aws:rds/clusterInstance:ClusterInstance').filter(i => i.inputs.region === 'us-east-1')).toHaveLength(2);
  });

  test('hot standby: an Aurora global database with a two-instance secondary cluster in us-west-2, wired to the standby network', () => {
    expect(program.standby.plan.strategy.id).toBe('hot-standby');
    const global = one('aws:rds/globalCluster:GlobalCluster', 'sync-standby-cluster0-global').inputs;
    expect(global).toMatchObject({ sourceDbClusterIdentifier: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:sync-service-db`, deletionProtection: true });
    const secondary = one('aws:rds/cluster:Cluster', 'sync-standby-cluster0-secondary');
    expect(secondary.inputs).toMatchObject({
      region: 'us-west-2',
      engine: 'aurora-postgresql',
      engineVersion: '16.6',
      globalClusterIdentifier: 'sync-standby-cluster0-global-id',
      dbSubnetGroupName: 'sync-service-standby-db',
      storageEncrypted: true,
      deletionProtection: true,
      backupRetentionPeriod: 30,
      // From the example's transformation.
      clusterIdentifier: 'sync-service-db-standby',
      port: 5438,
      vpcSecurityGroupIds: ['sync-standby-db-sg-id'],
      iamDatabaseAuthenticationEnabled: true,
    });
    const instances = rec.ofType('aws:rds/clusterInstance:ClusterInstance').filter(i => i.inputs.region === 'us-west-2');
    expect(instances.map(i => [i.inputs.clusterIdentifier, i.inputs.instanceClass])).toEqual([
      ['sync-standby-cluster0-secondary-id', 'db.r6g.large'], ['sync-standby-cluster0-secondary-id', 'db.r6g.large'],
    ]);
    const lag = one('aws:cloudwatch/metricAlarm:MetricAlarm', 'sync-standby-cluster0-global-lag').inputs;
    // The RPO lag of the secondary (Aurora PostgreSQL publishes it there); two instances run, so silence is a breach.
    expect([lag.metricName, lag.threshold, lag.region, lag.treatMissingData]).toEqual(['AuroraGlobalDBRPOLag', 30 * 60 * 1000, 'us-west-2', 'breaching']);
  });

  test('every stateful resource drkit creates is retainOnDelete: data, vaults, and the keys that encrypt them', () => {
    const stateful = ['aws:s3/bucket:Bucket', 'aws:dynamodb/table:Table', 'aws:rds/cluster:Cluster', 'aws:rds/globalCluster:GlobalCluster',
      'aws:rds/clusterInstance:ClusterInstance', 'aws:backup/vault:Vault'];
    const components = rec.registrations.filter(r => r.type.startsWith('drkit:aws:'));
    // The keys that encrypt data at rest: of vaults, buckets and databases (not the keys of notification topics).
    const dataKeys = new Set([
      ...rec.ofType('aws:backup/vault:Vault').map(v => v.inputs.kmsKeyArn),
      ...rec.ofType('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').map(e => e.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId),
      ...rec.registrations.filter(r => r.type.startsWith('aws:rds/')).map(r => r.inputs?.kmsKeyId),
    ].filter(Boolean));
    const keys = rec.ofType('aws:kms/key:Key').filter(k => dataKeys.has(`arn:aws:kms:${k.inputs.region ?? 'us-east-1'}:${ACCOUNT}:key/${k.name}-id`));
    expect(keys.length).toBeGreaterThanOrEqual(5);
    const children = [...components.flatMap(childrenOf).filter(r => stateful.includes(r.type)), ...keys];
    // 2 buckets, the table, 2 clusters, 2 + 2 instances... the global cluster, 2 vaults, and their keys.
    expect(children.length).toBeGreaterThanOrEqual(15);
    expect(children.filter(r => !r.retainOnDelete).map(r => `${r.type}/${r.name}`)).toEqual([]);
    // The example's own stateful resources too.
    expect(rec.registrations.filter(r => r.parent.endsWith('::test') || r.parent === '' || r.parent.includes('pulumi:pulumi:Stack'))
      .filter(r => stateful.includes(r.type) && !r.retainOnDelete).map(r => r.name)).toEqual([]);
  });

  test('the report: every resource meets RPO 30 minutes / RTO 1 hour against each disruption, as the CDK example\'s report does', async () => {
    const report = await valueOf<any>(program.report);
    expect(report.resources.map((r: any) => r.resource)).toEqual(['user-files', 'sync-state', 'sync-database']);
    for (const r of report.resources) {
      expect(r.disruptions.map((d: any) => d.disruption)).toEqual([Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE]);
      for (const d of r.disruptions) {
        expect([r.resource, d.disruption, d.status]).toEqual([r.resource, d.disruption, expect.stringMatching(/^(met|unverified)$/)]);
        expect(d.rpoSeconds).toBeLessThanOrEqual(30 * 60);
        if (d.rtoSeconds !== undefined) expect(d.rtoSeconds).toBeLessThanOrEqual(60 * 60);
      }
    }
    const region = (resource: string) => report.resources.find((r: any) => r.resource === resource).disruptions
      .find((d: any) => d.disruption === Disruption.REGION_OUTAGE);
    // Against a region outage each resource counts on replication, not on backup copies.
    expect([region('user-files').rpoSeconds, region('user-files').mechanisms]).toEqual([15 * 60, expect.arrayContaining(['aws.s3.replication.rtc'])]);
    expect(region('user-files').rpoKind).toBe('documented');
    expect([region('sync-state').rpoSeconds, region('sync-state').rpoKind, region('sync-state').mechanisms])
      .toEqual([1, 'typical', expect.arrayContaining(['aws.dynamodb.global-table'])]);
    expect(region('sync-database').mechanisms).toEqual(['aws.aurora.global-database', 'aws.backup.copy.region']);
    // The failover is "in the order of minutes" (at least 1) plus unbounded detection: a lower bound, unverified.
    expect([region('sync-database').rpoSeconds, region('sync-database').rtoSeconds, region('sync-database').rtoKind]).toEqual([1, 60, 'estimated']);
    expect(region('sync-database').status).toBe('unverified');
    // The standby's own estimate fits the hour, with the unbounded terms said out loud.
    expect(report.standby.estimate.seconds).toBeLessThanOrEqual(3600);
    expect(warnings).toContain('drkit: the RTO estimate of sync-standby (hot standby) is at least 1m; detection and dns have no published bound: measure the real failover time with a drill or AWS Backup restore testing');
  });

  test('assess() applies the evaluator\'s rule: an RPO over the target is not met', () => {
    const tight = RecoveryObjective.of({ rpo: Period.minutes(10), rto: Period.hours(1), disruptions: [Disruption.REGION_OUTAGE] });
    const rows = program.assess(tight, program.files.plan.achieved.map((a: any) => ({ ...a, mechanismIds: a.mechanisms })));
    expect(rows.map((r: any) => [r.disruption, r.status])).toEqual([[Disruption.REGION_OUTAGE, 'not-met']]);
    expect(program.assess(tight, [])[0].status).toBe('unprotected');
  });

  test('the database counts on the Aurora global database for a region outage (`standbyRegion`); without it the objective is refused (DRK010)', () => {
    let error: unknown;
    try {
      new RdsPitrPolicy('refused', {
        objective: program.objective,
        secondaryRegion: 'us-west-2',
        database: { clusterArgs: { engine: 'aurora-postgresql', storageEncrypted: true, region: 'us-east-1' } },
      });
    } catch (e) {
      error = e;
    }
    expect(DrkitError.isDrkitError(error)).toBe(true);
    expect((error as DrkitError).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect((error as DrkitError).message).toContain('region outage');
    const region = program.databaseProtection.plan.achieved.find((a: any) => a.disruption === Disruption.REGION_OUTAGE);
    expect(region.rpoSeconds).toBeLessThanOrEqual(30 * 60);
  });

  test('a variant with RTO 5 minutes without a hot standby (pilot light) is refused with DRK011, naming the dominant term', () => {
    const fast = RecoveryObjective.of({ ...program.SYNC_OBJECTIVE_PROPS, rto: Period.minutes(5) });
    const before = rec.registrations.length;
    let error: unknown;
    try {
      new DrStandby('sync-standby-fast', {
        objective: fast,
        region: 'us-west-2',
        primaryRegion: 'us-east-1',
        strategy: DrStrategy.PILOT_LIGHT,
        databaseClusters: [program.databaseProtection.cluster],
        replicatedBuckets: [{ name: 'user-files', replicaRegion: 'us-west-2' }],
      });
    } catch (e) {
      error = e;
    }
    expect(DrkitError.isDrkitError(error)).toBe(true);
    expect((error as DrkitError).code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    const message = (error as DrkitError).message;
    expect(message).toContain('[DRK011] `rto` 5 minutes against region outage cannot be met by pilot light for sync-standby-fast (objective "sync-service"): '
      + 'the estimate is at least 1h 1m = detection unbounded + promotion 1m + activation 1h + dns unbounded; the dominant term is activation 1h (pilot light: ');
    expect(message).toMatch(/; use DrStrategy\.HOT_STANDBY \(estimate 1m\) or raise the region-outage rto to at least 1h 1m$/);
    expect(rec.registrations.length).toBe(before);
  });
});
