import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { ACCOUNT_FIX, backupContribution, PLAN_REGION_COPY_FIX, rdsPitrFact } from './backup';
import { CfnResource, isFalse, isTrue, literal, num, refTarget, sh, tagsOf, UNKNOWN } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { Coverage, RunbookEntry } from './model';
import { KeptPoints, PitrLimit } from './retention';

/**
 * Other stateful types: what AWS Backup gives them, plus (for RDS) the native automated
 * backups' point-in-time window. RDS gets a full evaluator of its own later; a new family
 * is a new file exporting a map of evaluators, added to the registry.
 */

interface Kind {
  readonly content: string;
  /** What to call its physical name in placeholders (`<instance name of Db>`). */
  readonly noun: string;
  readonly medium: string;
  /** ARN with `{region}`, `{account}`, `{id}`. */
  readonly arn: string;
  /** Property holding a literal identifier, when the ARN uses it. */
  readonly idProperty?: string;
  /** CloudFormation's default deletion policy for the type. */
  readonly defaultPolicy?: string;
  readonly tagsProperty?: string;
}

const KINDS: { [type: string]: Kind } = {
  'AWS::RDS::DBInstance': { content: 'RDS DB instance', noun: 'instance', medium: 'rds', arn: 'arn:aws:rds:{region}:{account}:db:{id}', idProperty: 'DBInstanceIdentifier', defaultPolicy: 'Snapshot' },
  'AWS::RDS::DBCluster': { content: 'RDS/Aurora DB cluster', noun: 'cluster', medium: 'rds', arn: 'arn:aws:rds:{region}:{account}:cluster:{id}', idProperty: 'DBClusterIdentifier', defaultPolicy: 'Snapshot' },
  'AWS::EFS::FileSystem': { content: 'EFS file system', noun: 'file system', medium: 'efs', arn: 'arn:aws:elasticfilesystem:{region}:{account}:file-system/{id}', tagsProperty: 'FileSystemTags' },
  'AWS::EC2::Volume': { content: 'EBS volume', noun: 'volume', medium: 'ebs', arn: 'arn:aws:ec2:{region}:{account}:volume/{id}', defaultPolicy: 'Delete' },
  'AWS::EC2::Instance': { content: 'EC2 instance (EBS volumes)', noun: 'instance', medium: 'ebs', arn: 'arn:aws:ec2:{region}:{account}:instance/{id}' },
  'AWS::FSx::FileSystem': { content: 'FSx file system', noun: 'file system', medium: 'fsx', arn: 'arn:aws:fsx:{region}:{account}:file-system/{id}' },
  'AWS::DocDB::DBCluster': { content: 'DocumentDB cluster', noun: 'cluster', medium: 'docdb', arn: 'arn:aws:rds:{region}:{account}:cluster:{id}', idProperty: 'DBClusterIdentifier', defaultPolicy: 'Snapshot' },
  'AWS::Neptune::DBCluster': { content: 'Neptune cluster', noun: 'cluster', medium: 'neptune', arn: 'arn:aws:rds:{region}:{account}:cluster:{id}', idProperty: 'DBClusterIdentifier', defaultPolicy: 'Snapshot' },
  'AWS::Redshift::Cluster': { content: 'Redshift cluster', noun: 'cluster', medium: 'redshift', arn: 'arn:aws:redshift:{region}:{account}:cluster:{id}', idProperty: 'ClusterIdentifier', defaultPolicy: 'Snapshot' },
};

/**
 * How a backup selection names a resource of each type: its ARN attribute, or (types whose
 * CloudFormation resource has no ARN attribute) an ARN built from its `Ref`.
 */
const SELECT_BY: { [type: string]: string } = {
  'AWS::RDS::DBInstance': 'Fn::GetAtt [<logical id>, DBInstanceArn]',
  'AWS::RDS::DBCluster': 'Fn::GetAtt [<logical id>, DBClusterArn]',
  'AWS::EFS::FileSystem': 'Fn::GetAtt [<logical id>, Arn]',
  'AWS::EC2::Volume': 'Fn::Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/${<logical id>}" (a volume has no ARN attribute: build it from its Ref, the volume id)',
  'AWS::EC2::Instance': 'Fn::Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/${<logical id>}" (an instance has no ARN attribute: build it from its Ref, the instance id)',
  'AWS::FSx::FileSystem': 'Fn::GetAtt [<logical id>, ResourceARN]',
  'AWS::DocDB::DBCluster': 'Fn::Sub "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${<logical id>}" (built from its Ref, the cluster identifier)',
  'AWS::Neptune::DBCluster': 'Fn::Sub "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${<logical id>}" (built from its Ref, the cluster identifier)',
  'AWS::Redshift::Cluster': 'Fn::Sub "arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:cluster:${<logical id>}" (built from its Ref, the cluster identifier)',
};

/** Property stating a type's storage encryption, and its KMS key property. */
const ENCRYPTION_PROPS: { [type: string]: [string, string] } = {
  'AWS::RDS::DBInstance': ['StorageEncrypted', 'KmsKeyId'],
  'AWS::RDS::DBCluster': ['StorageEncrypted', 'KmsKeyId'],
  'AWS::DocDB::DBCluster': ['StorageEncrypted', 'KmsKeyId'],
  'AWS::Neptune::DBCluster': ['StorageEncrypted', 'KmsKeyId'],
  'AWS::EFS::FileSystem': ['Encrypted', 'KmsKeyId'],
  'AWS::EC2::Volume': ['Encrypted', 'KmsKeyId'],
  'AWS::Redshift::Cluster': ['Encrypted', 'KmsKeyId'],
};

/** Storage encryption of a resource as the template states it, for people (undefined: the template does not say). */
export function storageEncryption(type: string, p: any): string | undefined {
  const props = ENCRYPTION_PROPS[type];
  if (!props) return undefined;
  const [flag, keyProp] = props;
  const key = p?.[keyProp];
  if (!isTrue(p?.[flag]) && key === undefined) return isFalse(p?.[flag]) || p?.[flag] === undefined ? 'not encrypted' : undefined;
  const ref = refTarget(key);
  if (ref) return `KMS key ${ref.logicalId}`;
  return key !== undefined ? 'KMS customer managed key' : 'KMS (AWS managed key)';
}

/**
 * The fix for a resource AWS Backup protects, naming what is missing: a resource already in a
 * plan is told what to add to its rules (a copy), not to select it in a plan.
 */
function fixFor(type: string, inPlan: boolean): (d: Disruption, present?: string[]) => string {
  const select = `select the resource in an AWS Backup plan (AWS::Backup::BackupSelection listing ${SELECT_BY[type] ?? 'its ARN'}, or a tag it carries)`;
  return (d: Disruption, present: string[] = []) => {
    const backedUp = inPlan || present.some(id => id.startsWith('aws.backup.'));
    switch (d) {
      case Disruption.DATA_CORRUPTION:
        return backedUp ? '' : select;
      case Disruption.AZ_OUTAGE:
        return backedUp ? '' : `${select}; for databases also run Multi-AZ`;
      case Disruption.REGION_OUTAGE:
        if (present.includes(Mechanism.AWS_BACKUP_CROSS_REGION_COPY.id)) return '';
        return backedUp
          ? PLAN_REGION_COPY_FIX
          : `${select} whose rules copy recovery points to a vault in another region (CopyActions)`;
      case Disruption.ACCOUNT_COMPROMISE:
        return backedUp ? ACCOUNT_FIX : `${select}, then ${ACCOUNT_FIX}`;
    }
  };
}

interface NativeBackups {
  readonly coverages: Coverage[];
  readonly runbook: RunbookEntry[];
  readonly findings: string[];
  readonly kept: KeptPoints[];
}

/**
 * RDS and Aurora keep at most 35 days of point-in-time recovery, whether in automated backups or
 * in AWS Backup continuous backup: a longer window is impossible for a database.
 */
export const RDS_PITR_LIMIT: PitrLimit = {
  what: 'RDS automated backups and AWS Backup continuous backup',
  days: Facts.RDS_BACKUP_MAX_DAYS,
  source: Facts.RDS_BACKUP_SOURCE,
};

function rdsNative(r: CfnResource, id: string | undefined, region: string): NativeBackups {
  const p = r.properties ?? {};
  const days = num(p.BackupRetentionPeriod) ?? 1;
  const findings: string[] = [];
  if (days === 0) {
    findings.push('automated backups are off (BackupRetentionPeriod 0): no point-in-time restore');
    return { coverages: [], runbook: [], findings, kept: [] };
  }
  if (p.BackupRetentionPeriod === undefined) findings.push('BackupRetentionPeriod is absent: RDS keeps automated backups for 1 day only');
  const pitr = rdsPitrFact(r);
  const basis = `automated backups kept ${days} day(s): ${pitr.statement} (${pitr.source}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
  const coverages = [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE].map(d => ({
    disruption: d,
    mechanism: Mechanism.RDS_PITR.id,
    rpoSeconds: pitr.value!.totalSeconds,
    rpoKind: pitr.kind,
    rtoKind: BoundKind.NONE,
    basis,
  }));
  const name = id ?? `<identifier of ${r.logicalId}>`;
  const cluster = r.type !== 'AWS::RDS::DBInstance';
  const runbook: RunbookEntry[] = [{
    title: 'Point-in-time restore to a new database',
    commands: [cluster
      ? `aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier ${sh(name)} --db-cluster-identifier ${sh(id ? `${id}-restored` : '<new cluster identifier>')} --use-latest-restorable-time --region ${sh(region)}`
      : `aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier ${sh(name)} --target-db-instance-identifier ${sh(id ? `${id}-restored` : '<new instance identifier>')} --use-latest-restorable-time --region ${sh(region)}`],
    note: `for a time before the damage, replace --use-latest-restorable-time with --restore-time <UTC time, as YYYY-MM-DDThh:mm:ssZ>${cluster ? '; then add an instance to the restored cluster with aws rds create-db-instance' : ''}`,
  }];
  const kept: KeptPoints[] = [{
    what: `RDS automated backups, BackupRetentionPeriod ${days}${p.BackupRetentionPeriod === undefined ? ' by default' : ''}`,
    pointInTime: true,
    intervalSeconds: 0,
    days,
    setting: 'BackupRetentionPeriod',
    maxDays: Facts.RDS_BACKUP_MAX_DAYS,
  }];
  return { coverages, runbook, findings, kept };
}

function evaluator(type: string, kind: Kind): FamilyEvaluator {
  return (ctx: FamilyContext): FamilyResult | undefined => {
    const r = ctx.resource;
    const p = r.properties ?? {};
    // An Aurora member instance keeps no data of its own: the cluster is assessed.
    if (type === 'AWS::RDS::DBInstance' && p.DBClusterIdentifier !== undefined) return undefined;
    const id = kind.idProperty ? literal(p[kind.idProperty]) : undefined;
    const ph = namePlaceholder(r, kind.noun);
    const name = id ?? ph.name;
    const region = r.region ?? '<region>';
    const findings = policyFindings(r, kind.defaultPolicy);
    const coverages: Coverage[] = [];
    const runbook: RunbookEntry[] = [];
    const kept: KeptPoints[] = [];
    const isRds = type === 'AWS::RDS::DBInstance' || type === 'AWS::RDS::DBCluster';
    if (isRds) {
      const native = rdsNative(r, id?.toLowerCase(), region);
      coverages.push(...native.coverages);
      runbook.push(...native.runbook);
      findings.push(...native.findings);
      kept.push(...native.kept);
    }
    const encryption = storageEncryption(type, p);
    const restorePoints = [liveCopy(r, `the live ${kind.content}`, kind.medium, name, encryption)];
    if (isRds && coverages.length) {
      restorePoints.push({
        mechanism: Mechanism.RDS_PITR.id,
        description: 'RDS automated backups (point-in-time)',
        medium: kind.medium,
        periodicity: 'continuous (logs every 5 minutes)',
        intervalSeconds: 0,
        retention: `${num(p.BackupRetentionPeriod) ?? 1} day(s)`,
        region: r.region,
        account: r.account,
        vault: `${name} (automated backups)`,
        offRegion: false,
        offAccount: false,
        inPlace: true,
        immutability: 'none',
        encryption,
      });
    }
    const arn = kind.arn
      .replace('{region}', r.region ?? UNKNOWN)
      .replace('{account}', r.account ?? UNKNOWN)
      .replace('{id}', id?.toLowerCase() ?? UNKNOWN);
    const b = backupContribution(ctx.backup, r, arn, tagsOf(p[kind.tagsProperty ?? 'Tags']), `<ARN of ${r.logicalId}>`);
    coverages.push(...b.coverages);
    restorePoints.push(...b.restorePoints);
    runbook.push(...b.runbook);
    findings.push(...b.findings);
    if (!id && runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note ?? ''}; ${ph.note}` };
    if (coverages.length === 0) findings.push('no backup of any kind was found for this resource in the input');
    const fix = fixFor(type, b.restorePoints.length > 0);
    return {
      content: kind.content,
      name,
      restorePoints,
      coverages,
      runbook,
      findings,
      fix: (d: Disruption, present?: string[]) => fix(d, present).split('<logical id>').join(r.logicalId),
      kept: [...kept, ...b.kept],
      pitrLimit: isRds ? RDS_PITR_LIMIT : undefined,
      preconditions: b.preconditions,
    };
  };
}

/** Evaluators for stateful types covered through AWS Backup (and RDS's native backups). */
export const GENERIC_EVALUATORS: { [type: string]: FamilyEvaluator } = Object.fromEntries(
  Object.entries(KINDS).map(([type, kind]) => [type, evaluator(type, kind)]),
);
