import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { CfnResource, isTrue, literal, num, refTarget, render, resolveRegion, sh } from './cfn';
import { FAILOVER_UNBOUNDED_BASIS, failoverRto, FamilyContext, FamilyEvaluator, FamilyResult } from './family';
import { GENERIC_EVALUATORS, storageEncryption } from './generic';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { KeptPoints } from './retention';

/**
 * RDS instances and Aurora / Multi-AZ DB clusters: what the generic evaluator finds (automated
 * backups, AWS Backup), plus what only RDS has: Multi-AZ, the Aurora cluster volume,
 * cross-region automated backup replication, cross-region read replicas, Aurora global
 * databases and backtrack, each with its runbook. Replicas and secondary clusters are copies
 * of their source: they are assessed as part of it, not on their own.
 */

const REGION_FIX = 'replicate automated backups to another region (AutomaticBackupReplicationRegion on the DB instance; drkit\'s RdsPitrPolicy with secondaryRegion), add a cross-region read replica or an Aurora global database (drkit\'s DrStandby), or copy AWS Backup recovery points to a vault in another region';

/** The region-outage fix, naming what is missing: a live replica when only copies are there, nothing when the global database is. */
function regionFix(present: string[] = []): string {
  if (present.includes(Mechanism.AURORA_GLOBAL_DATABASE.id)) return '';
  const copies = [Mechanism.RDS_BACKUP_REPLICATION, Mechanism.AWS_BACKUP_CROSS_REGION_COPY, Mechanism.RDS_READ_REPLICA]
    .some(m => present.includes(m.id));
  return copies
    ? 'add an Aurora global database (Aurora clusters: typically under a second of lag) or a cross-region read replica (drkit\'s DrStandby): copies of backups are minutes to hours behind'
    : REGION_FIX;
}

function coverage(disruption: Disruption, mechanism: Mechanism, basis: string,
  rpoSeconds?: number, rpoKind?: string, rtoSeconds?: number, rtoKind?: string): Coverage {
  return {
    disruption,
    mechanism: mechanism.id,
    rpoSeconds,
    rpoKind: rpoKind ?? BoundKind.NONE,
    rtoSeconds,
    rtoKind: rtoKind ?? BoundKind.NONE,
    basis,
  };
}

/** Encryption of an RDS instance or cluster's storage (and so of its automated backups, snapshots and replicas), for people. */
function rdsEncryption(p: any): string | undefined {
  return storageEncryption('AWS::RDS::DBCluster', p);
}

/** Instances of an Aurora cluster in the input (`DBClusterIdentifier` referring to it, or naming it). */
function clusterInstances(all: CfnResource[], r: CfnResource, id: string | undefined): CfnResource[] {
  return all.filter(x => {
    if (x.type !== 'AWS::RDS::DBInstance' || x.stackName !== r.stackName) return false;
    const v = x.properties?.DBClusterIdentifier;
    const t = refTarget(v);
    if (t) return t.logicalId === r.logicalId;
    const text = literal(v);
    return !!id && !!text && text.toLowerCase() === id;
  });
}

/** Aurora's AZ-outage coverage: the cluster volume spans three AZs; the RTO depends on a reader to promote. */
function auroraAz(all: CfnResource[], r: CfnResource, id: string | undefined): Coverage {
  const f = Facts.AURORA_STORAGE_MULTI_AZ;
  const fo = Facts.AURORA_READER_FAILOVER;
  const instances = clusterInstances(all, r, id);
  const azOf = (x: CfnResource) => literal(x.properties?.AvailabilityZone);
  const storage = `${f.statement} (${f.source})`;
  if (instances.length < 2) {
    const why = instances.length === 0 ? 'no DB instance of the cluster is in the input' : `the cluster has one instance (${instances[0].logicalId}) and no reader`;
    return coverage(Disruption.AZ_OUTAGE, Mechanism.AURORA_MULTI_AZ,
      `${storage}; failover: ${why}, so Aurora recreates the writer, in the same AZ (after an AZ outage, create an instance in another AZ by hand): no bound (${fo.source}); add a reader in another AZ (${fo.statement})`,
      0, BoundKind.DOCUMENTED);
  }
  const writerAz = azOf(instances[0]);
  const sameAz = writerAz !== undefined && instances.every(x => azOf(x) === writerAz);
  const names = instances.map(x => x.logicalId).join(', ');
  if (sameAz) {
    return coverage(Disruption.AZ_OUTAGE, Mechanism.AURORA_MULTI_AZ,
      `${storage}; failover: the cluster's instances (${names}) are all in ${writerAz}, so an outage of that AZ leaves no reader to promote: no bound; put a reader in another AZ (${fo.source})`,
      0, BoundKind.DOCUMENTED);
  }
  const azs = instances.map(azOf);
  const placement = azs.some(a => a === undefined)
    ? 'AvailabilityZone is not set on every instance, so RDS chooses; check that a reader is in another AZ than the writer'
    : `instances in ${[...new Set(azs)].sort().join(', ')}`;
  return coverage(Disruption.AZ_OUTAGE, Mechanism.AURORA_MULTI_AZ,
    `${storage}; failover: the cluster has ${instances.length} instances (${names}; ${placement}): ${fo.statement} (${fo.source})`,
    0, BoundKind.DOCUMENTED, fo.value!.totalSeconds, fo.kind);
}

function copyPoint(r: CfnResource, mechanism: Mechanism, description: string, region: string | undefined,
  retention: string, vault: string, periodicity: string): RestorePointSet {
  return {
    mechanism: mechanism.id,
    description,
    medium: 'rds',
    periodicity,
    intervalSeconds: 0,
    retention,
    region,
    account: r.account,
    vault,
    offRegion: region !== undefined && region !== r.region,
    offAccount: false,
    immutability: 'none',
    encryption: rdsEncryption(r.properties),
  };
}

/** The literal ARN a replica names its source by, for this instance or cluster. */
function arnOf(r: CfnResource, kind: 'db' | 'cluster', id: string | undefined): string | undefined {
  if (!id || !r.region || !r.account) return undefined;
  return `:rds:${r.region}:${r.account}:${kind}:${id}`;
}

function isReplicaOf(x: CfnResource, r: CfnResource, arnTail: string | undefined): boolean {
  const src = x.properties?.SourceDBInstanceIdentifier;
  const t = refTarget(src);
  if (t && t.logicalId === r.logicalId && x.stackName === r.stackName) return true;
  const text = literal(src) ?? literal(x.metadata?.['drkit:replica-of']);
  return !!arnTail && !!text && text.toLowerCase().endsWith(arnTail.toLowerCase());
}

interface Extra {
  coverages: Coverage[];
  points: RestorePointSet[];
  runbook: RunbookEntry[];
  findings: string[];
  kept: KeptPoints[];
}

function augment(base: FamilyResult, extra: Extra): FamilyResult {
  return {
    ...base,
    coverages: [...base.coverages, ...extra.coverages],
    restorePoints: [...base.restorePoints, ...extra.points],
    runbook: [...base.runbook, ...extra.runbook],
    findings: [...base.findings, ...extra.findings],
    kept: [...base.kept, ...extra.kept],
    fix: (d: Disruption, present?: string[]) => (d === Disruption.REGION_OUTAGE ? regionFix(present) : base.fix(d, present)),
  };
}

function common(r: CfnResource, findings: string[]): void {
  const p = r.properties ?? {};
  if (!isTrue(p.StorageEncrypted) && p.KmsKeyId === undefined) findings.push('storage is not encrypted (StorageEncrypted is not true): snapshots and replicas are unencrypted too');
  if (!isTrue(p.DeletionProtection)) findings.push('deletion protection is off (set DeletionProtection: true)');
}

const instance: FamilyEvaluator = (ctx: FamilyContext): FamilyResult | undefined => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  // A read replica is a copy of its source, assessed with it.
  if (p.SourceDBInstanceIdentifier !== undefined) return undefined;
  const base = GENERIC_EVALUATORS['AWS::RDS::DBInstance'](ctx);
  if (!base) return undefined;
  const id = literal(p.DBInstanceIdentifier)?.toLowerCase();
  const name = base.name;
  const out: Extra = { coverages: [], points: [], runbook: [], findings: [], kept: [] };
  common(r, out.findings);
  if (isTrue(p.MultiAZ)) {
    const f = Facts.RDS_MULTI_AZ_FAILOVER;
    out.coverages.push(coverage(Disruption.AZ_OUTAGE, Mechanism.RDS_MULTI_AZ, `${f.statement} (${f.source})`, 0, BoundKind.DOCUMENTED, f.value!.totalSeconds, f.kind));
  }
  const retention = num(p.BackupRetentionPeriod) ?? 1;
  const target = literal(p.AutomaticBackupReplicationRegion);
  if (target && retention > 0) {
    const f = Facts.RDS_BACKUP_REPLICATION_RPO;
    const days = num(p.AutomaticBackupReplicationRetentionPeriod) ?? 7;
    out.coverages.push(coverage(Disruption.REGION_OUTAGE, Mechanism.RDS_BACKUP_REPLICATION,
      `automated backups replicated to ${target} for ${days} days: ${f.statement} (${f.source}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`,
      f.value!.totalSeconds, f.kind));
    out.points.push(copyPoint(r, Mechanism.RDS_BACKUP_REPLICATION, `automated backups replicated to ${target}`, target, `${days} day(s)`,
      `${name} (replicated automated backups)`, 'continuous (logs every 5 minutes, plus copy time)'));
    out.kept.push({
      what: `RDS automated backups replicated to ${target}`,
      pointInTime: true,
      intervalSeconds: 0,
      days,
      setting: 'AutomaticBackupReplicationRetentionPeriod',
      maxDays: Facts.RDS_BACKUP_REPLICATION_MAX_DAYS,
    });
    out.runbook.push({
      title: `Restore in ${target} from the replicated automated backups`,
      commands: [
        `aws rds describe-db-instance-automated-backups --region ${sh(target)} --query "DBInstanceAutomatedBackups[?DBInstanceIdentifier=='${name}'].DBInstanceAutomatedBackupsArn" --output text`,
        `aws rds restore-db-instance-to-point-in-time --region ${sh(target)} --source-db-instance-automated-backups-arn <ARN from the previous command> --target-db-instance-identifier ${sh(id ? `${id}-dr` : '<new instance identifier>')} --use-latest-restorable-time`,
      ],
      note: 'for a time before the damage, replace --use-latest-restorable-time with --restore-time <UTC time>; then point clients at the new instance',
    });
  }
  for (const x of ctx.all) {
    if (x.type !== 'AWS::RDS::DBInstance' || x === r || !isReplicaOf(x, r, arnOf(r, 'db', id))) continue;
    const where = x.region ?? resolveRegion(render(x.properties?.SourceRegion), x.region);
    const f = Facts.RDS_READ_REPLICA_LAG;
    out.coverages.push(coverage(Disruption.REGION_OUTAGE, Mechanism.RDS_READ_REPLICA,
      `read replica ${x.logicalId} in ${where ?? 'another region'}: ${f.statement} (${f.source}); ${Facts.RDS_REPLICA_PROMOTION.statement}`));
    if (where && where !== r.region) {
      out.points.push(copyPoint(r, Mechanism.RDS_READ_REPLICA, `read replica in ${where}`, where, 'current data (deletes and corruption replicate)', `${x.stackName}/${x.logicalId}`, 'live replica'));
    }
    out.runbook.push({
      title: `Promote the read replica in ${where ?? 'the standby region'}`,
      commands: [
        `aws rds promote-read-replica --db-instance-identifier <identifier of ${x.logicalId} in stack ${x.stackName}> --region ${sh(where ?? '<standby region>')}`,
      ],
      note: 'promotion ends replication for good and takes minutes (no published bound; rehearse it); then point clients at the promoted instance and create a new replica',
    });
  }
  return augment(base, out);
};

const cluster: FamilyEvaluator = (ctx: FamilyContext): FamilyResult | undefined => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  // A secondary cluster of a global database is a copy of the primary, assessed with it.
  if (p.GlobalClusterIdentifier !== undefined && (r.metadata?.['drkit:replica-of'] !== undefined || p.MasterUsername === undefined && p.ManageMasterUserPassword === undefined
    && p.MasterUserSecret === undefined && p.SnapshotIdentifier === undefined && p.SourceDBClusterIdentifier === undefined)) {
    return undefined;
  }
  const base = GENERIC_EVALUATORS['AWS::RDS::DBCluster'](ctx);
  if (!base) return undefined;
  const engine = (literal(p.Engine) ?? '').toLowerCase();
  const aurora = engine.startsWith('aurora');
  const id = literal(p.DBClusterIdentifier)?.toLowerCase();
  const out: Extra = { coverages: [], points: [], runbook: [], findings: [], kept: [] };
  common(r, out.findings);
  if (aurora) out.coverages.push(auroraAz(ctx.all, r, id));
  const backtrack = num(p.BacktrackWindow) ?? 0;
  if (backtrack > 0) {
    out.coverages.push(coverage(Disruption.DATA_CORRUPTION, Mechanism.AURORA_BACKTRACK,
      `backtrack rewinds the cluster in place to any second of the last ${Math.round(backtrack / 3600)} hour(s) (${Facts.AURORA_BACKTRACK_SOURCE}); older damage needs point-in-time restore`,
      undefined, BoundKind.NONE));
    out.runbook.push({
      title: 'Backtrack the cluster in place',
      commands: [`aws rds backtrack-db-cluster --db-cluster-identifier ${sh(id ?? base.name)} --backtrack-to <UTC time before the damage> --region ${sh(r.region ?? '<region>')}`],
      note: `only within the backtrack window (${Math.round(backtrack / 3600)} hours); the whole cluster rewinds`,
    });
  }
  const tail = arnOf(r, 'cluster', id);
  for (const g of ctx.all) {
    if (g.type !== 'AWS::RDS::GlobalCluster') continue;
    const src = g.properties?.SourceDBClusterIdentifier;
    const t = refTarget(src);
    const text = literal(src);
    const byRef = !!t && t.logicalId === r.logicalId && g.stackName === r.stackName;
    const mine = byRef || (!!tail && !!text && text.toLowerCase().endsWith(tail.toLowerCase()));
    if (!mine) continue;
    const globalId = literal(g.properties?.GlobalClusterIdentifier);
    const secondaries = ctx.all.filter(x => x.type === 'AWS::RDS::DBCluster' && x !== r && globalId !== undefined && literal(x.properties?.GlobalClusterIdentifier) === globalId);
    for (const s of secondaries) {
      const f = Facts.AURORA_GLOBAL_DB_RPO;
      const fo = Facts.AURORA_GLOBAL_DB_FAILOVER;
      out.coverages.push({
        ...coverage(Disruption.REGION_OUTAGE, Mechanism.AURORA_GLOBAL_DATABASE,
          `secondary cluster ${s.logicalId} in ${s.region ?? 'another region'} of global database ${globalId}: ${f.statement} (${f.source}); ${fo.statement} (${fo.source}); ${FAILOVER_UNBOUNDED_BASIS}`,
          f.value!.totalSeconds, f.kind),
        ...failoverRto('promotion', fo.value!.totalSeconds, fo.kind),
      });
      out.points.push({
        ...copyPoint(r, Mechanism.AURORA_GLOBAL_DATABASE, `Aurora global database secondary in ${s.region ?? 'another region'}`, s.region,
          'current data (deletes and corruption replicate)', `${s.stackName}/${s.logicalId}`, 'live replica'),
        encryption: rdsEncryption(s.properties),
      });
      out.runbook.push({
        title: `Fail over the global database to ${s.region ?? 'the secondary region'}`,
        commands: [
          `aws rds failover-global-cluster --global-cluster-identifier ${sh(globalId!)} --target-db-cluster-identifier <ARN of ${s.logicalId} in stack ${s.stackName}> --region ${sh(s.region ?? '<secondary region>')}`,
        ],
        note: 'add --allow-data-loss when the primary region is unreachable (an unplanned failover); a pilot-light secondary has no instance: add one with aws rds create-db-instance --db-cluster-identifier <secondary> first',
      });
    }
  }
  return augment(base, out);
};

/** Evaluators of the RDS family (replace the generic ones for these types). */
export const RDS_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::RDS::DBInstance': instance,
  'AWS::RDS::DBCluster': cluster,
};
