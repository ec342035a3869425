import { planAwareFix } from './backup';
import { BoundKind, Fact, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { CfnResource, isTrue, literal, num, refTarget, sh } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { storageEncryption } from './generic';
import { Coverage, RunbookEntry } from './model';
import { awsBackup, cite, copyFixes, cover, figure, nativePoint, selectFix } from './native';
import { KeptPoints } from './retention';

/**
 * DocumentDB and Neptune clusters: continuous backups with point-in-time restore within
 * `BackupRetentionPeriod` (1-35 days, default 1) plus daily automatic snapshots, a cluster volume
 * that keeps a copy in each AZ, failover to a replica instance, and AWS Backup plans.
 */

interface Engine {
  readonly content: string;
  readonly cli: string;
  readonly instanceType: string;
  readonly pitr: Mechanism;
  readonly pitrFact: Fact;
  readonly multiAz: Mechanism;
  readonly storageFact: Fact;
  /** Failover to a replica (a figure for Neptune; none published for DocumentDB). */
  readonly failoverFact: Fact;
}

const ENGINES: { [type: string]: Engine } = {
  'AWS::DocDB::DBCluster': {
    content: 'DocumentDB cluster',
    cli: 'docdb',
    instanceType: 'AWS::DocDB::DBInstance',
    pitr: Mechanism.DOCDB_PITR,
    pitrFact: Facts.DOCDB_PITR,
    multiAz: Mechanism.DOCDB_MULTI_AZ,
    storageFact: Facts.DOCDB_STORAGE_MULTI_AZ,
    failoverFact: Facts.DOCDB_FAILOVER,
  },
  'AWS::Neptune::DBCluster': {
    content: 'Neptune cluster',
    cli: 'neptune',
    instanceType: 'AWS::Neptune::DBInstance',
    pitr: Mechanism.NEPTUNE_PITR,
    pitrFact: Facts.NEPTUNE_PITR,
    multiAz: Mechanism.NEPTUNE_MULTI_AZ,
    storageFact: Facts.NEPTUNE_STORAGE_MULTI_AZ,
    failoverFact: Facts.NEPTUNE_REPLICA_FAILOVER,
  },
};

/** Instances of a cluster in the input (`DBClusterIdentifier` referring to it, or naming it). */
function instancesOf(all: CfnResource[], r: CfnResource, type: string, id: string | undefined): CfnResource[] {
  return all.filter(x => {
    if (x.type !== type || x.stackName !== r.stackName) return false;
    const v = x.properties?.DBClusterIdentifier;
    const t = refTarget(v);
    if (t) return t.logicalId === r.logicalId;
    const text = literal(v);
    return !!id && !!text && text.toLowerCase() === id;
  });
}

function evaluator(type: string, engine: Engine): FamilyEvaluator {
  return (ctx: FamilyContext): FamilyResult => {
    const r = ctx.resource;
    const p = r.properties ?? {};
    const id = literal(p.DBClusterIdentifier)?.toLowerCase();
    const ph = namePlaceholder(r, 'cluster');
    const name = id ?? ph.name;
    const region = r.region ?? '<region>';
    const encryption = storageEncryption(type, p);
    const findings = policyFindings(r);
    const coverages: Coverage[] = [];
    const runbook: RunbookEntry[] = [];
    const restorePoints = [liveCopy(r, `the live ${engine.content}`, engine.cli, name, encryption)];

    const days = num(p.BackupRetentionPeriod) ?? 1;
    if (p.BackupRetentionPeriod === undefined) findings.push(`BackupRetentionPeriod is absent: ${engine.content}s keep automated backups for 1 day only`);
    else if (num(p.BackupRetentionPeriod) === undefined) findings.push('BackupRetentionPeriod is not a literal number: drkit assumes the 1-day default');
    const pitrBasis = `automated backups kept ${days} day(s): ${cite(engine.pitrFact)}; no figure is published for how far behind the latest restorable time is; restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
    for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE]) coverages.push(cover(d, engine.pitr, pitrBasis));
    restorePoints.push(nativePoint(r, engine.pitr, `${engine.content} continuous backup (point-in-time) and daily automatic snapshots`, engine.cli,
      'continuous', `${days} day(s)`, `${name} (automated backups)`, 0, encryption));
    const kept: KeptPoints[] = [{
      what: `${engine.content} automated backups, BackupRetentionPeriod ${days}${p.BackupRetentionPeriod === undefined ? ' by default' : ''}`,
      pointInTime: true,
      intervalSeconds: 0,
      days,
      setting: 'BackupRetentionPeriod',
      maxDays: Facts.DOCDB_NEPTUNE_PITR_MAX_DAYS,
    }];
    runbook.push({
      title: 'Point-in-time restore to a new cluster',
      commands: [
        `aws ${engine.cli} restore-db-cluster-to-point-in-time --source-db-cluster-identifier ${sh(name)} --db-cluster-identifier ${sh(id ? `${id}-restored` : '<new cluster identifier>')} --use-latest-restorable-time --region ${sh(region)}`,
        `aws ${engine.cli} create-db-instance --db-cluster-identifier ${sh(id ? `${id}-restored` : '<new cluster identifier>')} --db-instance-identifier <new instance identifier> --db-instance-class <instance class> --engine ${engine.cli === 'docdb' ? 'docdb' : 'neptune'} --region ${sh(region)}`,
      ],
      note: `for a time before the damage, replace --use-latest-restorable-time with --restore-to-time <UTC time, as YYYY-MM-DDThh:mm:ssZ>${id ? '' : `; ${ph.note}`}`,
    });

    const instances = instancesOf(ctx.all, r, engine.instanceType, id);
    const azOf = (x: CfnResource) => literal(x.properties?.AvailabilityZone);
    const allOneAz = instances.length >= 2 && azOf(instances[0]) !== undefined && instances.every(x => azOf(x) === azOf(instances[0]));
    const replica = instances.length >= 2 && !allOneAz;
    const storage = cite(engine.storageFact);
    const failover = replica
      ? `failover: ${instances.length} instances (${instances.map(x => x.logicalId).join(', ')}): ${cite(engine.failoverFact)}`
      : `failover: ${instances.length === 0 ? 'no instance of the cluster is in the input' : instances.length === 1 ? `one instance (${instances[0].logicalId}), no replica to promote` : `every instance is in ${azOf(instances[0])}`}, so the primary is recreated: no bound (${engine.failoverFact.source}); add a replica instance in another AZ`;
    coverages.push(cover(Disruption.AZ_OUTAGE, engine.multiAz, `${storage}; ${failover}`,
      figure(engine.storageFact), replica ? figure(engine.failoverFact) : { kind: BoundKind.NONE }));
    if (!replica) findings.push(`${failover.replace(/^failover: /, 'the cluster has no replica in another AZ: ')}`);
    if (!isTrue(p.DeletionProtection)) findings.push('deletion protection is off: anyone allowed to delete the cluster can (set DeletionProtection: true)');
    if (!isTrue(p.StorageEncrypted) && p.KmsKeyId === undefined) findings.push('storage is not encrypted (StorageEncrypted), and neither are its backups');

    const b = awsBackup(ctx, 'arn:aws:rds:{region}:{account}:cluster:{id}', id, 'Tags');
    coverages.push(...b.coverages);
    restorePoints.push(...b.restorePoints);
    runbook.push(...b.runbook);
    findings.push(...b.findings);

    const selectBy = `Fn::Sub "arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:\${${r.logicalId}}" (built from its Ref, the cluster identifier)`;
    const copies = copyFixes(selectBy);
    const fixes: { [d: string]: string } = {
      [Disruption.DATA_CORRUPTION]: `keep automated backups longer (BackupRetentionPeriod up to 35 days), or ${selectFix(selectBy)}`,
      [Disruption.AZ_OUTAGE]: `add a replica instance (${engine.instanceType}) in another AZ`,
      [Disruption.REGION_OUTAGE]: copies.region,
      [Disruption.ACCOUNT_COMPROMISE]: copies.account,
    };
    return {
      content: engine.content,
      name,
      restorePoints,
      coverages,
      runbook,
      findings,
      fix: planAwareFix(d => fixes[d]),
      kept: [...kept, ...b.kept],
      // AWS Backup has no continuous backup for these engines: the cluster's own window is the longest.
      pitrLimit: { what: `${engine.content} automated backups`, days: Facts.DOCDB_NEPTUNE_PITR_MAX_DAYS, source: engine.pitrFact.source },
    };
  };
}

/** Evaluators of the DocumentDB and Neptune families. */
export const DOCDB_NEPTUNE_EVALUATORS: { [type: string]: FamilyEvaluator } = Object.fromEntries(
  Object.entries(ENGINES).map(([type, engine]) => [type, evaluator(type, engine)]),
);
