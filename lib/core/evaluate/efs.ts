import { planAwareFix } from './backup';
import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { isTrue, literal, render, resolveRegion, sh, STACK_REGION } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { storageEncryption } from './generic';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { awsBackup, cite, copyFixes, atLeastInterval, cover, figure, nativePoint, selectFix } from './native';
import { KeptPoints } from './retention';

/**
 * EFS file systems: Regional storage across AZs (One Zone: one AZ), automatic backups
 * (`BackupPolicy`), replication, and AWS Backup plans. `efsNativeProtection` is the one judgement
 * of `BackupPolicy` that both this evaluator and drkit's `stateful-resource-protected` rule use.
 */

/** What an EFS file system's own properties give it, read from the template. */
export interface EfsNativeProtection {
  /** A One Zone file system (`AvailabilityZoneName` set): its data is in one AZ. */
  readonly oneZone: boolean;
  /** Automatic backups are on: `BackupPolicy.Status` is `ENABLED`, or absent on a One Zone file system (AWS's default). */
  readonly automaticBackups: boolean;
  /** How automatic backups were decided, for people. */
  readonly automaticBackupsBasis: string;
  /** `BackupPolicy.Status` is not a literal value: drkit counts automatic backups as off. */
  readonly automaticBackupsUnknown: boolean;
  /** Replication destinations (`ReplicationConfiguration.Destinations`). */
  readonly replicationDestinations: any[];
}

/**
 * The one judgement of an EFS file system's own protection. `BackupPolicy: ENABLED` turns on
 * daily AWS Backup backups kept 35 days; when `BackupPolicy` is absent, AWS turns them on for
 * One Zone file systems only (file systems created through the API, as CloudFormation does).
 */
export function efsNativeProtection(properties: any): EfsNativeProtection {
  const p = properties ?? {};
  const oneZone = p.AvailabilityZoneName !== undefined;
  const status = p.BackupPolicy?.Status;
  const text = literal(status)?.toUpperCase();
  const unknown = status !== undefined && text === undefined;
  let automaticBackups: boolean;
  let basis: string;
  if (text === 'ENABLED') {
    automaticBackups = true;
    basis = 'BackupPolicy ENABLED';
  } else if (text !== undefined) {
    automaticBackups = false;
    basis = `BackupPolicy ${text}`;
  } else if (unknown) {
    automaticBackups = false;
    basis = 'BackupPolicy.Status is not a literal value: drkit cannot tell whether automatic backups are on, and counts them as off';
  } else {
    automaticBackups = oneZone;
    basis = oneZone
      ? 'BackupPolicy absent on a One Zone file system: AWS turns automatic backups on by default'
      : 'BackupPolicy absent on a Regional file system: AWS leaves automatic backups off';
  }
  const destinations = Array.isArray(p.ReplicationConfiguration?.Destinations) ? p.ReplicationConfiguration.Destinations : [];
  return { oneZone, automaticBackups, automaticBackupsBasis: basis, automaticBackupsUnknown: unknown, replicationDestinations: destinations };
}

const SELECT_BY = 'Fn::GetAtt [<logical id>, Arn]';
const BACKUP_FIX = 'turn on automatic backups: BackupPolicy: { Status: ENABLED } (daily, kept 35 days; CDK: enableAutomaticBackups: true)';

function fixes(id: string, oneZone: boolean): { [d: string]: string } {
  const select = selectFix(SELECT_BY.replace('<logical id>', id));
  const copies = copyFixes(SELECT_BY.replace('<logical id>', id));
  return {
    [Disruption.DATA_CORRUPTION]: `${BACKUP_FIX}, or ${select}`,
    [Disruption.AZ_OUTAGE]: oneZone
      ? `use a Regional file system (remove AvailabilityZoneName: data is then stored across AZs), or ${BACKUP_FIX}`
      : `${BACKUP_FIX}, or ${select}`,
    [Disruption.REGION_OUTAGE]: `replicate the file system to another region (ReplicationConfiguration.Destinations with a Region; no published bound on its lag), or ${copies.region}`,
    [Disruption.ACCOUNT_COMPROMISE]: copies.account,
  };
}

const fileSystem: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const ph = namePlaceholder(r, 'file system');
  const name = ph.name;
  const region = r.region ?? '<region>';
  const encryption = storageEncryption(r.type, p);
  const native = efsNativeProtection(p);
  const findings = policyFindings(r);
  const coverages: Coverage[] = [];
  const runbook: RunbookEntry[] = [];
  const restorePoints: RestorePointSet[] = [liveCopy(r, native.oneZone ? `the live file system (One Zone, ${literal(p.AvailabilityZoneName) ?? 'one AZ'})` : 'the live file system (Regional)', 'efs', name, encryption)];

  if (native.oneZone) {
    findings.push(`a One Zone file system: ${cite(Facts.EFS_ONE_ZONE)}`);
  } else {
    coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.EFS_MULTI_AZ, cite(Facts.EFS_REGIONAL_MULTI_AZ),
      figure(Facts.EFS_REGIONAL_MULTI_AZ), { seconds: 0, kind: BoundKind.DOCUMENTED }));
  }

  const kept: KeptPoints[] = [];
  if (native.automaticBackups) {
    kept.push({
      what: `EFS automatic daily backups kept ${Facts.EFS_AUTOMATIC_BACKUP_RETENTION_DAYS} days`,
      pointInTime: false,
      intervalSeconds: 86400,
      days: Facts.EFS_AUTOMATIC_BACKUP_RETENTION_DAYS,
      setting: `the retention of AWS Backup's automatic EFS backup plan (in vault ${Facts.EFS_AUTOMATIC_BACKUP_VAULT}, set outside the template), or a rule of your own plan`,
    });
    const basis = `${native.automaticBackupsBasis}: ${cite(Facts.EFS_AUTOMATIC_BACKUPS)}; EFS publishes no start window for the daily backup, so the RPO is at least a day, with no upper bound; restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
    for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE]) {
      coverages.push(cover(d, Mechanism.EFS_AUTOMATIC_BACKUP, basis, atLeastInterval(86400)));
    }
    restorePoints.push(nativePoint(r, Mechanism.EFS_AUTOMATIC_BACKUP, 'EFS automatic backups (AWS Backup default EFS plan)', 'aws-backup-vault',
      'daily', `${Facts.EFS_AUTOMATIC_BACKUP_RETENTION_DAYS} days`, Facts.EFS_AUTOMATIC_BACKUP_VAULT, 86400, encryption));
    runbook.push({
      title: `Restore from the EFS automatic backups (vault ${Facts.EFS_AUTOMATIC_BACKUP_VAULT})`,
      commands: [
        `aws backup list-recovery-points-by-backup-vault --backup-vault-name ${Facts.EFS_AUTOMATIC_BACKUP_VAULT} --by-resource-type EFS --region ${sh(region)}`,
        `aws backup start-restore-job --recovery-point-arn <recovery point ARN from the previous command> --iam-role-arn <ARN of a role AWS Backup can assume to restore> --metadata 'file-system-id=<file system id>,newFileSystem=true,CreationToken=<new token>,Encrypted=${isTrue(p.Encrypted) ? 'true' : 'false'},PerformanceMode=${literal(p.PerformanceMode) ?? 'generalPurpose'}' --region ${sh(region)}`,
      ],
      note: `a restore to a new file system; then mount it in place of the damaged one; ${ph.note}`,
    });
  } else {
    findings.push(`automatic backups are off (${native.automaticBackupsBasis}): ${BACKUP_FIX}`);
  }

  native.replicationDestinations.forEach((dest: any, i: number) => {
    const text = render(dest?.Region);
    const destRegion = resolveRegion(text, r.region);
    const same = dest?.Region === undefined || text === STACK_REGION || (destRegion !== undefined && destRegion === r.region);
    const offRegion = !same && destRegion !== undefined && (r.region === undefined || destRegion !== r.region);
    const where = dest?.Region === undefined ? 'the same region' : destRegion ?? 'a region drkit cannot read';
    const basis = `replication to a file system in ${where}: ${cite(Facts.EFS_REPLICATION_RPO)}; failover: ${cite(Facts.EFS_REPLICATION_FAILOVER)}, no published duration`;
    coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.EFS_REPLICATION, basis));
    if (offRegion) coverages.push(cover(Disruption.REGION_OUTAGE, Mechanism.EFS_REPLICATION, basis));
    else if (!same) findings.push(`replication destination ${i + 1}: the region (${where}) cannot be compared with the stack's: give the region (drkit report --region <region>)`);
    restorePoints.push({
      mechanism: Mechanism.EFS_REPLICATION.id,
      description: `EFS replica (read-only) in ${where}`,
      medium: 'efs-replica',
      periodicity: 'live replica (no published bound)',
      intervalSeconds: 0,
      retention: 'current data (deletes and corruption replicate)',
      region: offRegion ? destRegion : r.region,
      account: r.account,
      vault: literal(dest?.FileSystemId) ?? `<replica of ${r.logicalId}>`,
      offRegion,
      offAccount: false,
      immutability: 'none',
      encryption,
    });
    runbook.push({
      title: `Fail over to the EFS replica in ${where}`,
      commands: [
        `aws efs describe-replication-configurations --file-system-id <file system id> --region ${sh(region)}`,
        `aws efs delete-replication-configuration --source-file-system-id <file system id> --region ${sh(region)}`,
      ],
      note: 'deleting the replication configuration makes the destination writable; check LastReplicatedTimestamp first (changes after it may be missing), then mount the destination',
    });
  });

  const b = awsBackup(ctx, 'arn:aws:elasticfilesystem:{region}:{account}:file-system/{id}', undefined, 'FileSystemTags');
  coverages.push(...b.coverages);
  restorePoints.push(...b.restorePoints);
  runbook.push(...b.runbook);
  findings.push(...b.findings);
  if (coverages.filter(c => c.disruption === Disruption.DATA_CORRUPTION).length === 0) {
    findings.push('no backup of any kind was found for this resource in the input');
  }
  const f = fixes(r.logicalId, native.oneZone);
  return { content: 'EFS file system', name, restorePoints, coverages, runbook, findings, fix: planAwareFix(d => f[d]), kept: [...kept, ...b.kept] };
};

/** Evaluators of the EFS family. */
export const EFS_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::EFS::FileSystem': fileSystem,
};
