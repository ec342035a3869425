import { planAwareFix } from './backup';
import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { CfnResource, isTrue, literal, num, sh } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { Coverage, RunbookEntry } from './model';
import { cite, atLeastInterval, cover, nativePoint } from './native';
import { KeptPoints } from './retention';

/**
 * ElastiCache (Valkey / Redis OSS) clusters, replication groups and serverless caches, and
 * MemoryDB clusters: automatic snapshots (`SnapshotRetentionLimit` days, within `SnapshotWindow`),
 * or none; Multi-AZ failover; MemoryDB's Multi-AZ transaction log. A Memcached cluster keeps no
 * durable data and has no snapshots: it is listed as not assessed, with that reason.
 */

/** Why a Memcached cluster is not assessed. */
export const MEMCACHED_REASON = 'a Memcached cluster keeps its data in memory only, and ElastiCache offers no snapshot or backup for node-based Memcached clusters: drkit does not assess it as data; if the application cannot rebuild its contents, use Valkey or Redis OSS with snapshots (SnapshotRetentionLimit)';

/** The length of a `hh:mm-hh:mm` window, in seconds (undefined when not a literal window). */
export function windowSeconds(v: any): number | undefined {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(literal(v) ?? '');
  if (!m) return undefined;
  const start = parseInt(m[1], 10) * 60 + parseInt(m[2], 10);
  const end = parseInt(m[3], 10) * 60 + parseInt(m[4], 10);
  return ((end - start + 1440) % 1440) * 60;
}

interface Kind {
  readonly content: string;
  readonly engine: 'elasticache' | 'memorydb';
  readonly nameProperty?: string;
  /** Property with the daily snapshot time or window. */
  readonly windowProperty: string;
  /** SnapshotRetentionLimit when absent (undefined: AWS documents no default). */
  readonly defaultDays?: number;
}

const KINDS: { [type: string]: Kind } = {
  'AWS::ElastiCache::CacheCluster': { content: 'ElastiCache cluster', engine: 'elasticache', nameProperty: 'ClusterName', windowProperty: 'SnapshotWindow', defaultDays: 0 },
  'AWS::ElastiCache::ReplicationGroup': { content: 'ElastiCache replication group', engine: 'elasticache', nameProperty: 'ReplicationGroupId', windowProperty: 'SnapshotWindow', defaultDays: 0 },
  'AWS::ElastiCache::ServerlessCache': { content: 'ElastiCache serverless cache', engine: 'elasticache', nameProperty: 'ServerlessCacheName', windowProperty: 'DailySnapshotTime', defaultDays: 0 },
  'AWS::MemoryDB::Cluster': { content: 'MemoryDB cluster', engine: 'memorydb', nameProperty: 'ClusterName', windowProperty: 'SnapshotWindow' },
};

function replicas(r: CfnResource): number {
  const p = r.properties ?? {};
  if (r.type === 'AWS::ElastiCache::ReplicationGroup') {
    const perGroup = num(p.ReplicasPerNodeGroup);
    if (perGroup !== undefined) return perGroup;
    const clusters = num(p.NumCacheClusters);
    if (clusters !== undefined) return clusters - 1;
    return Array.isArray(p.NodeGroupConfiguration) ? Math.min(...p.NodeGroupConfiguration.map((g: any) => num(g?.ReplicaCount) ?? 0)) : 0;
  }
  if (r.type === 'AWS::MemoryDB::Cluster') return num(p.NumReplicasPerShard) ?? 1;
  return 0;
}

function evaluator(type: string, kind: Kind): FamilyEvaluator {
  return (ctx: FamilyContext): FamilyResult => {
    const r = ctx.resource;
    const p = r.properties ?? {};
    const literalName = kind.nameProperty ? literal(p[kind.nameProperty])?.toLowerCase() : undefined;
    const ph = namePlaceholder(r, kind.engine === 'memorydb' ? 'cluster' : type === 'AWS::ElastiCache::ReplicationGroup' ? 'replication group' : 'cache');
    const name = literalName ?? ph.name;
    const region = r.region ?? '<region>';
    const encryption = isTrue(p.AtRestEncryptionEnabled) || kind.engine === 'memorydb' || type === 'AWS::ElastiCache::ServerlessCache'
      ? (p.KmsKeyId !== undefined ? 'KMS customer managed key' : 'encrypted at rest') : 'not encrypted at rest (AtRestEncryptionEnabled)';
    const findings = policyFindings(r);
    const coverages: Coverage[] = [];
    const runbook: RunbookEntry[] = [];
    const restorePoints = [liveCopy(r, `the live ${kind.content}`, kind.engine, name, encryption)];
    const fact = kind.engine === 'memorydb' ? Facts.MEMORYDB_SNAPSHOTS : Facts.ELASTICACHE_SNAPSHOTS;
    const mechanism = kind.engine === 'memorydb' ? Mechanism.MEMORYDB_SNAPSHOTS : Mechanism.ELASTICACHE_SNAPSHOTS;

    const raw = p.SnapshotRetentionLimit;
    const days = num(raw) ?? (raw === undefined ? kind.defaultDays ?? 0 : 0);
    if (raw === undefined) {
      findings.push(kind.defaultDays !== undefined
        ? `SnapshotRetentionLimit is absent: ${cite(fact)}, so automatic snapshots are off`
        : 'SnapshotRetentionLimit is absent and AWS documents no default for it: drkit counts automatic snapshots as off; set it explicitly (1-35 days)');
    } else if (num(raw) === undefined) {
      findings.push('SnapshotRetentionLimit is not a literal number: drkit counts automatic snapshots as off');
    }
    const kept: KeptPoints[] = days > 0 ? [{
      what: `automatic daily snapshots kept ${days} days`,
      pointInTime: false,
      intervalSeconds: 86400,
      days,
      setting: 'SnapshotRetentionLimit',
      maxDays: Facts.SNAPSHOT_RETENTION_LIMIT_MAX_DAYS,
    }] : [];
    if (days > 0) {
      const window = windowSeconds(p[kind.windowProperty]);
      const rpo = window !== undefined ? { seconds: 86400 + window, kind: BoundKind.ESTIMATED } : atLeastInterval(86400);
      const windowText = window !== undefined
        ? `a daily snapshot that starts within the ${literal(p[kind.windowProperty])} window: worst case 24h plus the window`
        : `${kind.windowProperty} ${p[kind.windowProperty] === undefined ? 'is absent: AWS assigns the window' : 'is not a literal window'}, and publishes no bound on when the daily snapshot starts: at least 24h, no upper bound`;
      const basis = `automatic snapshots kept ${days} day(s): ${windowText} (${cite(fact)}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
      coverages.push(cover(Disruption.DATA_CORRUPTION, mechanism, basis, rpo));
      if (kind.engine !== 'memorydb') coverages.push(cover(Disruption.AZ_OUTAGE, mechanism, basis, rpo));
      restorePoints.push(nativePoint(r, mechanism, `${kind.engine === 'memorydb' ? 'MemoryDB' : 'ElastiCache'} automatic snapshots`, `${kind.engine}-snapshot`,
        'daily', `${days} day(s)`, `${name} (automatic snapshots)`, 86400, encryption));
      runbook.push(kind.engine === 'memorydb' ? {
        title: 'Restore a snapshot to a new MemoryDB cluster',
        commands: [
          `aws memorydb describe-snapshots --cluster-name ${sh(name)} --source system --region ${sh(region)}`,
          `aws memorydb create-cluster --cluster-name <new cluster name> --snapshot-name <snapshot name from the previous command> --node-type <node type> --acl-name <ACL name> --region ${sh(region)}`,
        ],
        note: literalName ? undefined : ph.note,
      } : {
        title: 'Restore a snapshot to a new cache',
        commands: [
          `aws elasticache describe-snapshots --snapshot-source system --region ${sh(region)}`,
          `aws elasticache create-replication-group --replication-group-id <new group id> --replication-group-description restored --snapshot-name <snapshot name from the previous command> --cache-node-type <node type> --region ${sh(region)}`,
        ],
        note: `restores create a new cache; point clients at its endpoint${literalName ? '' : `; ${ph.note}`}`,
      });
    } else {
      findings.push(`no automatic snapshot: if this ${kind.content} holds data the application cannot rebuild, set SnapshotRetentionLimit (1-35 days)`);
    }

    if (kind.engine === 'memorydb') {
      const rto = replicas(r) > 0 ? 'a replica is promoted after MemoryDB ensures it is consistent with the failed primary; no failover time is published' : 'no replica per shard (NumReplicasPerShard 0): the primary is replaced; no time is published';
      coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.MEMORYDB_MULTI_AZ, `${cite(Facts.MEMORYDB_MULTI_AZ_LOG)}; ${rto}`, { seconds: 0, kind: BoundKind.DOCUMENTED }));
    } else if (type === 'AWS::ElastiCache::ReplicationGroup') {
      const multiAz = isTrue(p.MultiAZEnabled) && isTrue(p.AutomaticFailoverEnabled) && replicas(r) > 0;
      if (multiAz) coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.ELASTICACHE_MULTI_AZ, `MultiAZEnabled with ${replicas(r)} replica(s) per shard: ${cite(Facts.ELASTICACHE_MULTI_AZ)}; replicas are updated asynchronously and AWS publishes no bound on what a failover loses`));
      else findings.push('Multi-AZ is off (MultiAZEnabled with AutomaticFailoverEnabled and at least one replica): the loss of the primary\'s AZ loses the data not in a snapshot');
    }

    const fixes: { [d: string]: string } = {
      [Disruption.DATA_CORRUPTION]: `set SnapshotRetentionLimit (1-35 days of daily snapshots) and ${kind.windowProperty}`,
      [Disruption.AZ_OUTAGE]: kind.engine === 'memorydb' ? 'MemoryDB keeps a Multi-AZ transaction log; nothing to add'
        : type === 'AWS::ElastiCache::ReplicationGroup' ? 'enable MultiAZEnabled and AutomaticFailoverEnabled with at least one replica, or set SnapshotRetentionLimit'
          : 'use a replication group with MultiAZEnabled and a replica in another AZ, or set SnapshotRetentionLimit',
      [Disruption.REGION_OUTAGE]: kind.engine === 'memorydb'
        ? 'copy snapshots to another region (aws memorydb copy-snapshot, then export), or use a MemoryDB multi-Region cluster'
        : 'add the replication group to a Global Datastore (AWS::ElastiCache::GlobalReplicationGroup) with a member in another region, or copy snapshots to another region',
      [Disruption.ACCOUNT_COMPROMISE]: kind.engine === 'memorydb' ? 'export snapshots to an S3 bucket that another account controls (aws memorydb export-snapshot)' : 'export snapshots to an S3 bucket that another account controls (aws elasticache copy-snapshot --target-bucket)',
    };
    return { content: kind.content, name, restorePoints, coverages, runbook, findings, fix: planAwareFix(d => fixes[d]), kept };
  };
}

/** Evaluators of the ElastiCache and MemoryDB families. */
export const ELASTICACHE_EVALUATORS: { [type: string]: FamilyEvaluator } = Object.fromEntries(
  Object.entries(KINDS).map(([type, kind]) => [type, evaluator(type, kind)]),
);
