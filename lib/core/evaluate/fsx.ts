import { planAwareFix } from './backup';
import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { literal, num, sh } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { Coverage, RunbookEntry } from './model';
import { awsBackup, cite, copyFixes, cover, nativePoint, selectFix } from './native';
import { KeptPoints } from './retention';

/**
 * FSx file systems (Windows File Server, Lustre, ONTAP, OpenZFS): automatic daily backups kept
 * `AutomaticBackupRetentionDays` (0 turns them off), taken in a 30-minute window from
 * `DailyAutomaticBackupStartTime`; Multi-AZ deployment types; AWS Backup plans. Lustre scratch
 * file systems have no backups at all.
 */

interface Flavour {
  readonly content: string;
  readonly configuration: string;
  /** `AutomaticBackupRetentionDays` when absent. */
  readonly defaultDays: number;
  readonly defaultDaysSource: string;
  /** Deployment types that keep the file system available through an AZ outage. */
  readonly multiAz: string[];
  /** The deployment type when absent. */
  readonly defaultDeployment?: string;
}

const FLAVOURS: { [type: string]: Flavour } = {
  WINDOWS: {
    content: 'FSx for Windows File Server file system',
    configuration: 'WindowsConfiguration',
    defaultDays: Facts.FSX_DEFAULT_RETENTION_DAYS,
    defaultDaysSource: Facts.FSX_AUTOMATIC_BACKUPS.source,
    multiAz: ['MULTI_AZ_1'],
    defaultDeployment: 'SINGLE_AZ_1',
  },
  LUSTRE: {
    content: 'FSx for Lustre file system',
    configuration: 'LustreConfiguration',
    defaultDays: 0,
    defaultDaysSource: Facts.FSX_LUSTRE_DEFAULT_RETENTION.source,
    multiAz: [],
    defaultDeployment: 'SCRATCH_1',
  },
  ONTAP: {
    content: 'FSx for NetApp ONTAP file system',
    configuration: 'OntapConfiguration',
    defaultDays: Facts.FSX_DEFAULT_RETENTION_DAYS,
    defaultDaysSource: Facts.FSX_AUTOMATIC_BACKUPS.source,
    multiAz: ['MULTI_AZ_1', 'MULTI_AZ_2'],
  },
  OPENZFS: {
    content: 'FSx for OpenZFS file system',
    configuration: 'OpenZFSConfiguration',
    defaultDays: Facts.FSX_DEFAULT_RETENTION_DAYS,
    defaultDaysSource: Facts.FSX_AUTOMATIC_BACKUPS.source,
    multiAz: ['MULTI_AZ_1'],
  },
};

const SELECT_BY = 'Fn::GetAtt [<logical id>, ResourceARN]';

const fileSystem: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const type = (literal(p.FileSystemType) ?? '').toUpperCase();
  const flavour = FLAVOURS[type] ?? { content: 'FSx file system', configuration: '', defaultDays: 0, defaultDaysSource: Facts.FSX_AUTOMATIC_BACKUPS.source, multiAz: [] };
  const conf = flavour.configuration ? p[flavour.configuration] ?? {} : {};
  const ph = namePlaceholder(r, 'file system');
  const name = ph.name;
  const region = r.region ?? '<region>';
  const encryption = p.KmsKeyId !== undefined ? 'KMS customer managed key' : 'KMS (AWS managed key, always on)';
  const findings = policyFindings(r);
  const coverages: Coverage[] = [];
  const runbook: RunbookEntry[] = [];
  const deployment = literal(conf.DeploymentType)?.toUpperCase() ?? flavour.defaultDeployment;
  const restorePoints = [liveCopy(r, `the live ${flavour.content}${deployment ? ` (${deployment})` : ''}`, 'fsx', name, encryption)];
  if (!FLAVOURS[type]) findings.push(`FileSystemType ${JSON.stringify(p.FileSystemType)} is not one drkit reads: only AWS Backup plans are assessed`);

  const scratch = type === 'LUSTRE' && /^SCRATCH/.test(deployment ?? '');
  const rawDays = conf.AutomaticBackupRetentionDays;
  const days = scratch ? 0 : num(rawDays) ?? (rawDays === undefined ? flavour.defaultDays : 0);
  if (scratch) {
    findings.push(`a Lustre ${deployment} file system: ${cite(Facts.FSX_SCRATCH_NO_BACKUP)}; use a PERSISTENT deployment type with AutomaticBackupRetentionDays, or keep the data in a linked S3 bucket`);
  } else if (rawDays === undefined && FLAVOURS[type]) {
    findings.push(`${flavour.configuration}.AutomaticBackupRetentionDays is absent: AWS's default is ${flavour.defaultDays} (${flavour.defaultDaysSource})${flavour.defaultDays === 0 ? ', so automatic backups are off' : ''}; set it explicitly`);
  } else if (rawDays !== undefined && num(rawDays) === undefined) {
    findings.push(`${flavour.configuration}.AutomaticBackupRetentionDays is not a literal number: drkit counts automatic backups as off`);
  }
  const kept: KeptPoints[] = [];
  if (days > 0) {
    kept.push({
      what: `FSx automatic daily backups kept ${days} days`,
      pointInTime: false,
      intervalSeconds: 86400,
      days,
      setting: `${flavour.configuration || '<type>Configuration'}.AutomaticBackupRetentionDays`,
      maxDays: Facts.FSX_AUTOMATIC_BACKUP_MAX_DAYS,
    });
    const start = literal(conf.DailyAutomaticBackupStartTime);
    const rpo = Mechanism.FSX_AUTOMATIC_BACKUP.rpo.value!.totalSeconds;
    const basis = `automatic daily backups kept ${days} day(s)${start ? `, starting at ${start} UTC` : ' (DailyAutomaticBackupStartTime absent: FSx chooses the time)'}: a backup every 24h within a 30-minute window, worst case 24h30m (${cite(Facts.FSX_BACKUP_WINDOW)}); ${cite(Facts.FSX_AUTOMATIC_BACKUPS)}; restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
    for (const d of [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE]) {
      coverages.push(cover(d, Mechanism.FSX_AUTOMATIC_BACKUP, basis, { seconds: rpo, kind: BoundKind.ESTIMATED }));
    }
    restorePoints.push(nativePoint(r, Mechanism.FSX_AUTOMATIC_BACKUP, 'FSx automatic daily backups', 'fsx-backup',
      'daily', `${days} day(s)`, `${name} (automatic backups)`, 86400, encryption));
    runbook.push({
      title: 'Restore an automatic backup to a new file system',
      commands: [
        `aws fsx describe-backups --filters Name=file-system-id,Values=<file system id> Name=backup-type,Values=AUTOMATIC --region ${sh(region)}`,
        `aws fsx create-file-system-from-backup --backup-id <backup id from the previous command> --subnet-ids <subnet ids> --region ${sh(region)}`,
      ],
      note: `the restore creates a new file system; point clients at it once validated; ${ph.note}`,
    });
  } else if (!scratch && FLAVOURS[type]) {
    findings.push(`automatic backups are off (AutomaticBackupRetentionDays ${days}): set ${flavour.configuration}.AutomaticBackupRetentionDays (1-90)`);
  }

  if (deployment && flavour.multiAz.includes(deployment)) {
    coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.FSX_MULTI_AZ, `${deployment}: ${cite(Facts.FSX_MULTI_AZ)}; AWS publishes no bound on data loss or failover time`));
  } else if (FLAVOURS[type] && deployment !== undefined) {
    findings.push(`a single-AZ deployment (${deployment}): the file system does not survive the loss of its AZ; its backups do`);
  }

  const b = awsBackup(ctx, 'arn:aws:fsx:{region}:{account}:file-system/{id}', undefined, 'Tags');
  coverages.push(...b.coverages);
  restorePoints.push(...b.restorePoints);
  runbook.push(...b.runbook);
  findings.push(...b.findings);
  if (!coverages.some(c => c.disruption === Disruption.DATA_CORRUPTION)) findings.push('no backup of any kind was found for this resource in the input');

  const select = selectFix(SELECT_BY.replace('<logical id>', r.logicalId));
  const copies = copyFixes(SELECT_BY.replace('<logical id>', r.logicalId));
  const keep = scratch
    ? `use a PERSISTENT Lustre deployment type with LustreConfiguration.AutomaticBackupRetentionDays (scratch file systems have no backups), or ${select}`
    : `set ${flavour.configuration || '<type>Configuration'}.AutomaticBackupRetentionDays (1-90 days of daily backups), or ${select}`;
  const fixes: { [d: string]: string } = {
    [Disruption.DATA_CORRUPTION]: keep,
    [Disruption.AZ_OUTAGE]: flavour.multiAz.length ? `use a Multi-AZ deployment type (${flavour.multiAz.join(', ')}), or ${keep}` : keep,
    [Disruption.REGION_OUTAGE]: copies.region,
    [Disruption.ACCOUNT_COMPROMISE]: copies.account,
  };
  const all = [...kept, ...b.kept];
  return { content: flavour.content, name, restorePoints, coverages, runbook, findings, fix: planAwareFix(d => fixes[d]), kept: all };
};

/** Evaluators of the FSx family. */
export const FSX_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::FSx::FileSystem': fileSystem,
};
