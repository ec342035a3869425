import * as path from 'path';
import { stack } from './fixtures';
import { windowSeconds } from '../../../lib/core/evaluate/elasticache';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { RecoveryReport } from '../../../lib/core/report/report';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson();
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);
const ENV = { region: 'us-east-1', account: '111111111111' };

describe('ElastiCache and MemoryDB', () => {
  test('a replication group without SnapshotRetentionLimit (corpus): no snapshot (the documented default 0), no Multi-AZ without MultiAZEnabled', () => {
    const doc = corpus('cfn-templates_Elasticache-snapshot.json');
    const g = doc.resources[0];
    expect(g.content).toBe('ElastiCache replication group');
    expect(g.disruptions.every((d: any) => d.mechanisms.length === 0)).toBe(true);
    expect(g.findings.join('\n')).toContain('SnapshotRetentionLimit is absent: The number of days for which ElastiCache retains automatic snapshots before deleting them. [...] Default: 0');
    expect(g.findings.join('\n')).toContain('Multi-AZ is off');
  });

  test('snapshots within a literal window: worst case 24h plus the window (estimated); Multi-AZ with replicas covers an AZ outage with no bound', () => {
    const e = evaluateStacks([stack({
      G: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { SnapshotRetentionLimit: 7, SnapshotWindow: '05:00-06:30', MultiAZEnabled: true, AutomaticFailoverEnabled: true, NumCacheClusters: 2, AtRestEncryptionEnabled: true } },
    }, ENV)]);
    const g = e.resources[0];
    expect(row(g, 'corruption')).toMatchObject({ mechanisms: ['aws.elasticache.snapshots'], rpoSeconds: 86400 + 5400, rpoKind: 'estimated' });
    expect(row(g, 'az').mechanisms).toEqual(['aws.elasticache.snapshots', 'aws.elasticache.multi-az']);
    expect(windowSeconds('23:30-00:30')).toBe(3600);
    expect(windowSeconds({ Ref: 'W' })).toBeUndefined();
  });

  test('a Memcached cluster is not assessed, with the reason; a Redis cluster is', () => {
    const e = evaluateStacks([stack({
      M: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { Engine: 'memcached', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1 } },
      R: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { Engine: 'redis', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1, SnapshotRetentionLimit: 3 } },
    }, ENV)]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['R']);
    expect(row(e.resources[0], 'corruption')).toMatchObject({ rpoSeconds: 86400, rpoKind: 'estimated', rpoIsLowerBound: true });
    expect(e.notAssessed).toEqual([{ stackName: 'Test', logicalId: 'M', resourceType: 'AWS::ElastiCache::CacheCluster', reason: expect.stringMatching(/^a Memcached cluster keeps its data in memory only/) }]);
  });

  test('MemoryDB (corpus): the Multi-AZ transaction log covers an AZ outage (RPO 0, documented); no snapshot retention set, so corruption is unprotected', () => {
    const m = corpus('serverless-patterns_apigw-lambda-memorydb.yaml').resources[0];
    expect(m.content).toBe('MemoryDB cluster');
    expect(row(m, 'az')).toMatchObject({ mechanisms: ['aws.memorydb.multi-az'], rpoSeconds: 0, rpoKind: 'documented', rtoKind: 'none' });
    expect(row(m, 'corruption').status).toBe('unprotected');
    expect(m.findings).toContain('SnapshotRetentionLimit is absent and AWS documents no default for it: drkit counts automatic snapshots as off; set it explicitly (1-35 days)');
  });
});
