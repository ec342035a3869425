import {
  BoundKind, Disruption, DrkitError, DrkitErrorCode, Immutability, Mechanism, Period, RdsPlanner, RecoveryObjective, ResourceKind, Retention,
} from '../../lib/core';

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e as DrkitError;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

const INSTANCE = { resourceName: 'App/Db', kind: ResourceKind.RDS_INSTANCE, engine: 'postgres', storageEncrypted: true, region: 'us-east-1', secondaryRegion: 'us-west-2' };
const CLUSTER = { resourceName: 'App/Cluster', kind: ResourceKind.RDS_CLUSTER, engine: 'aurora-mysql', storageEncrypted: true, region: 'us-east-1', secondaryRegion: 'us-west-2' };

const REFERENCE = RecoveryObjective.of({
  name: 'sync-service',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
  backupInterval: Period.hours(6),
});

describe('RdsPlanner: instances', () => {
  test('the reference objective: 30-day automated backups replicated to us-west-2, monthly points in AWS Backup copied there too', () => {
    const plan = RdsPlanner.plan(REFERENCE, INSTANCE);
    expect(plan.backupRetentionDays).toBe(30);
    expect(plan.preferredBackupWindow).toBe('03:00-03:30');
    expect([plan.deletionProtection, plan.copyTagsToSnapshot, plan.deleteAutomatedBackups, plan.storageEncrypted]).toEqual([true, true, false, true]);
    expect(plan.automatedBackupReplicationRegion).toBe('us-west-2');
    expect(plan.automatedBackupReplicationRetentionDays).toBe(30);
    const rules = plan.backupRules.map(r => [
      r.name, r.scheduleExpression, r.deleteAfterDays, r.moveToColdStorageAfterDays, r.copies.map(c => c.region),
    ]);
    expect(rules).toEqual([
      ['Monthly', 'cron(0 5 1 * ? *)', 372, 30, ['us-west-2']],
    ]);
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    // AWS Prescriptive Guidance gives cross-region automated backups an RPO of 5-30 minutes: the upper end counts.
    expect(region.rpoSeconds).toBe(1800);
    expect(region.rpoKind).toBe(BoundKind.TYPICAL);
    expect(region.mechanisms).toEqual([Mechanism.RDS_BACKUP_REPLICATION.id, Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id]);
    const corruption = plan.achieved.find(a => a.disruption === Disruption.DATA_CORRUPTION)!;
    expect([corruption.rpoSeconds, corruption.rpoKind, corruption.rtoKind]).toEqual([300, BoundKind.DOCUMENTED, BoundKind.NONE]);
  });

  test('restore points that fit in 35 days need no backup plan: the automated window grows to cover them', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(7), daily: 14, weekly: 4 }),
    });
    const on = RdsPlanner.plan(o, INSTANCE);
    expect(on.backupRetentionDays).toBe(7);
    expect(on.backupRules.map(r => r.name)).toEqual(['Daily', 'Weekly']);
    const off = RdsPlanner.plan(o, { ...INSTANCE, backupPlan: false });
    expect(off.backupRetentionDays).toBe(28);
    expect(off.backupRules).toEqual([]);
  });

  test('refuses retention over 35 days from automated backups alone when the backup plan is disabled', () => {
    const e = refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, backupPlan: false }));
    expect(e.code).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
    expect(e.message).toBe('[DRK014] the retention of database instance App/Db (30d point-in-time, 30 daily, 12 monthly) keeps restore points for 372 days, but the backup plan is disabled and RDS automated backups keep at most 35 days (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html); enable the backup plan (`backupPlan: true`, the default) so AWS Backup keeps the older restore points, or keep restore points for 35 days or less');
  });

  test('refuses a point-in-time window over 35 days', () => {
    const o = RecoveryObjective.of({
      rpo: Period.hours(1),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      retention: Retention.of({ pointInTime: Period.days(40) }),
    });
    expect(refusal(() => RdsPlanner.plan(o, INSTANCE)).code).toBe(DrkitErrorCode.RETENTION_UNACHIEVABLE);
  });

  test('refuses an unencrypted database', () => {
    const e = refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, storageEncrypted: false }));
    expect(e.code).toBe(DrkitErrorCode.ENCRYPTION_REQUIRED);
    expect(e.message).toContain('database instance App/Db has unencrypted storage (StorageEncrypted false)');
    expect(e.message).toContain('set `storageEncrypted: true`');
  });

  test('refuses an RPO below the 5-minute log cadence, naming the floor and its source', () => {
    const o = RecoveryObjective.of({ name: 'strict', rpo: Period.minutes(1), rto: Period.hours(1), disruptions: [Disruption.DATA_CORRUPTION] });
    const e = refusal(() => RdsPlanner.plan(o, INSTANCE));
    expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(e.message).toBe('[DRK010] `rpo` 1 minute against data corruption / accidental deletion cannot be met for database instance App/Db (objective "strict"): \"RDS uploads transaction logs for DB instances to Amazon S3 every five minutes\" (LatestRestorableTime), so the floor of automated backups is 5 minutes (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html); automated backups restore to any second up to LatestRestorableTime. Raise the rpo for data corruption / accidental deletion to at least 5 minutes');
  });

  test('refuses backtrack on PostgreSQL, and a policy on an Aurora instance', () => {
    const e = refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, backtrackWindow: Period.hours(24) }));
    expect(e.code).toBe(DrkitErrorCode.UNSUPPORTED_MECHANISM);
    expect(e.message).toContain('backtrack exists only for Aurora MySQL clusters');
    const a = refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, engine: 'aurora-postgresql' }));
    expect(a.code).toBe(DrkitErrorCode.UNSUPPORTED_RESOURCE);
    expect(a.message).toContain('apply the policy to the DB cluster instead');
  });

  test('a Multi-AZ instance survives an AZ outage with a synchronous standby', () => {
    const plan = RdsPlanner.plan(REFERENCE, { ...INSTANCE, multiAz: true });
    const az = plan.achieved.find(a => a.disruption === Disruption.AZ_OUTAGE)!;
    expect([az.rpoSeconds, az.rtoSeconds, az.rtoKind, az.mechanisms]).toEqual([0, 120, BoundKind.TYPICAL, [Mechanism.RDS_MULTI_AZ.id]]);
  });

  test('backup window: at least 30 minutes, and never over the maintenance window', () => {
    expect(refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, preferredBackupWindow: '03:00-03:20' })).message)
      .toContain('lasts 20 minutes, but RDS needs at least 30');
    expect(refusal(() => RdsPlanner.plan(REFERENCE, { ...INSTANCE, preferredMaintenanceWindow: 'sun:03:15-sun:04:00' })).message)
      .toContain('overlaps its maintenance window "sun:03:15-sun:04:00"');
    expect(RdsPlanner.plan(REFERENCE, { ...INSTANCE, preferredMaintenanceWindow: 'sun:23:45-mon:00:15' }).preferredBackupWindow).toBe('03:00-03:30');
  });
});

describe('RdsPlanner: clusters', () => {
  test('Aurora MySQL: backtrack, AWS Backup copies against a region outage (no automated backup replication), advisory on creation', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
      retention: Retention.of({ pointInTime: Period.days(14), daily: 14 }),
    });
    const plan = RdsPlanner.plan(o, { ...CLUSTER, backtrackWindow: Period.hours(24) });
    expect(plan.backtrackWindowSeconds).toBe(86400);
    expect(plan.automatedBackupReplicationRegion).toBeUndefined();
    expect(plan.backupRules.map(r => [r.name, r.intervalHours, r.deleteAfterDays, r.copies.map(c => c.region)])).toEqual([['Every6h', 6, 14, ['us-west-2']]]);
    expect(plan.copyRegion).toBe('us-west-2');
    expect(plan.advisories.join('\n')).toContain('can only be enabled when the cluster is created');
    const az = plan.achieved.find(a => a.disruption === Disruption.AZ_OUTAGE)!;
    expect(az.mechanisms).toEqual([Mechanism.AURORA_MULTI_AZ.id]);
  });

  test('a cluster with a global-database secondary reaches about one second against a region outage', () => {
    const plan = RdsPlanner.plan(REFERENCE, { ...CLUSTER, standbyRegions: ['us-west-2'] });
    const region = plan.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!;
    expect([region.rpoSeconds, region.rpoKind, region.rtoSeconds]).toEqual([1, BoundKind.TYPICAL, 60]);
  });

  test('refuses a cluster region outage with the backup plan disabled and no standby', () => {
    const e = refusal(() => RdsPlanner.plan(REFERENCE, { ...CLUSTER, backupPlan: false }));
    expect(e.code).toBe(DrkitErrorCode.DISRUPTION_NOT_COVERED);
    expect(e.message).toContain('automated backup replication is for DB instances only');
  });

  test('refuses backtrack over 72 hours', () => {
    const e = refusal(() => RdsPlanner.plan(REFERENCE, { ...CLUSTER, standbyRegions: ['us-west-2'], backtrackWindow: Period.hours(73) }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(e.message).toContain('at most 3 days, but got 73 hours');
  });

  test('continuous backup and a compliance lock: a continuous rule of the point-in-time window, vault lock from the rules', () => {
    const o = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION],
      immutability: Immutability.COMPLIANCE,
      retention: Retention.of({ pointInTime: Period.days(35), monthly: 12 }),
    });
    const plan = RdsPlanner.plan(o, { ...CLUSTER, continuousBackup: true });
    expect(plan.backupRules.map(r => [r.name, r.enableContinuousBackup, r.deleteAfterDays, r.moveToColdStorageAfterDays])).toEqual([
      ['Continuous', true, 35, undefined],
      ['Monthly', false, 372, 30],
    ]);
    expect(plan.vault).toEqual({ lock: Immutability.COMPLIANCE, minRetentionDays: 35, maxRetentionDays: 372, changeableForDays: 3 });
  });
});

describe('RdsPlanner: an RTO no mechanism can be shown to meet (issue 10, point 3)', () => {
  test('every mechanism that could serve the region outage documents a lower bound above the RTO: DRK011', () => {
    const o = RecoveryObjective.of({
      name: 'fast-region',
      rpo: Period.minutes(30),
      rto: Period.hours(1),
      perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rto: Period.seconds(30) }],
    });
    // The Aurora global database is the only way out of the region (no backup plan, no copies).
    const e = refusal(() => RdsPlanner.plan(o, { ...CLUSTER, standbyRegions: ['us-west-2'], backupPlan: false }));
    expect(e.code).toBe(DrkitErrorCode.RTO_UNACHIEVABLE);
    expect(e.message).toBe('[DRK011] `rto` 30 seconds against region outage cannot be met for database cluster App/Cluster (objective "fast-region"): Aurora global database takes at least 1m ("For an Aurora global database, RTO can be in the order of minutes" (drkit counts at least 1 minute; measure it with a failover drill) (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html); detecting the outage and switching clients have no published bound). Raise the rto for region outage to at least 1m with `perDisruption`, or add a mechanism that recovers faster');
    // Within the bound, no refusal: the failover is a lower bound, so the report marks it unverified.
    const ok = RdsPlanner.plan(RecoveryObjective.of({ rpo: Period.minutes(30), rto: Period.minutes(5), disruptions: [Disruption.REGION_OUTAGE] }),
      { ...CLUSTER, standbyRegions: ['us-west-2'], backupPlan: false });
    expect(ok.achieved[0]).toMatchObject({ rtoSeconds: 60, rtoKind: BoundKind.ESTIMATED, rtoIsLowerBound: true });
  });

  test('a restore with no published time against corruption: an advisory', () => {
    const o = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.minutes(1), disruptions: [Disruption.DATA_CORRUPTION] });
    const plan = RdsPlanner.plan(o, INSTANCE);
    expect(plan.advisories).toEqual([expect.stringContaining('the rto 1 minute against data corruption / accidental deletion of database instance App/Db cannot be shown to be met: RDS automated backups (PITR) documents no recovery time')]);
  });

  test('cross-region automated backup replication cannot meet a region-outage RPO under its 30-minute floor', () => {
    const o = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(10), rto: Period.hours(4), disruptions: [Disruption.REGION_OUTAGE] });
    const e = refusal(() => RdsPlanner.plan(o, INSTANCE));
    expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(e.message).toContain('ranging 5–30 minutes');
    expect(e.message).toContain('A cross-region read replica (DrStandby) replicates continuously; or raise the rpo for region outage to at least 30 minutes');
  });
});

