import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { ACCOUNT_FIX, backupContribution } from './backup';
import { CfnResource, isFalse, isTrue, literal, num, render, resolveRegion, sh, STACK_REGION, tagsOf, UNKNOWN } from './cfn';
import { FAILOVER_UNBOUNDED_BASIS, failoverRto, FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { KeptPoints, PitrLimit } from './retention';

const PITR_FIX = 'enable point-in-time recovery: set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled to true (CDK: pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, or drkit\'s DynamoContinuousBackup); PITR is the tightest DynamoDB mechanism (about 5 minutes)';
const REPLICA_FIX = 'add a replica in another region (AWS::DynamoDB::GlobalTable Replicas, drkit\'s DrStandby; about 1 second, no SLA)';
const COPY_FIX = 'copy AWS Backup recovery points to a vault in another region (BackupPlanRule CopyActions with DestinationBackupVaultArn arn:aws:backup:<other region>:<account>:backup-vault:<name>; drkit\'s DynamoContinuousBackup with a secondary region)';

/**
 * The fix for a table, naming what is missing: nothing when the tightest mechanism for the
 * disruption is already there (only the objective can move), and never a mechanism it has.
 */
function fix(d: Disruption, present: string[] = []): string {
  const has = (m: Mechanism) => present.includes(m.id);
  switch (d) {
    case Disruption.DATA_CORRUPTION:
      return has(Mechanism.DYNAMODB_PITR) ? '' : PITR_FIX;
    case Disruption.AZ_OUTAGE:
      return 'DynamoDB is multi-AZ by nature; nothing to add';
    case Disruption.REGION_OUTAGE:
      if (has(Mechanism.DYNAMODB_GLOBAL_TABLE)) return '';
      return has(Mechanism.AWS_BACKUP_CROSS_REGION_COPY) ? `${REPLICA_FIX}: a copy of a backup is at least its interval plus start window old` : `${REPLICA_FIX} or ${COPY_FIX}`;
    case Disruption.ACCOUNT_COMPROMISE:
      return ACCOUNT_FIX;
  }
}

function pitrCoverage(days: number, where: string): Coverage {
  return {
    disruption: Disruption.DATA_CORRUPTION,
    mechanism: Mechanism.DYNAMODB_PITR.id,
    rpoSeconds: Facts.DYNAMODB_PITR_RPO.value!.totalSeconds,
    rpoKind: Facts.DYNAMODB_PITR_RPO.kind,
    rtoKind: BoundKind.NONE,
    basis: `point-in-time recovery${where} over the last ${days} days: ${Facts.DYNAMODB_PITR_RPO.statement} (${Facts.DYNAMODB_PITR_RPO.source}); restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`,
  };
}

function multiAz(): Coverage {
  return {
    disruption: Disruption.AZ_OUTAGE,
    mechanism: Mechanism.DYNAMODB_MULTI_AZ.id,
    rpoSeconds: 0,
    rpoKind: Facts.DYNAMODB_MULTI_AZ.kind,
    rtoSeconds: 0,
    rtoKind: BoundKind.DOCUMENTED,
    basis: `${Facts.DYNAMODB_MULTI_AZ.statement} (${Facts.DYNAMODB_MULTI_AZ.source})`,
  };
}

function pitrRestorePoint(r: CfnResource, days: number, region: string | undefined, name: string, encryption: string): RestorePointSet {
  return {
    mechanism: Mechanism.DYNAMODB_PITR.id,
    description: `DynamoDB point-in-time recovery${region && region !== r.region ? ` (replica in ${region})` : ''}`,
    medium: 'dynamodb',
    periodicity: 'continuous',
    intervalSeconds: 0,
    retention: `${days} days`,
    region,
    account: r.account,
    vault: `${name} (PITR)`,
    offRegion: false,
    offAccount: false,
    inPlace: true,
    immutability: 'none',
    encryption,
  };
}

function pitrRunbook(name: string, region: string): RunbookEntry {
  return {
    title: 'Point-in-time restore to a new table',
    commands: [
      `aws dynamodb restore-table-to-point-in-time --source-table-name ${sh(name)} --target-table-name ${sh(name.startsWith('<') ? '<new table name>' : `${name}-restored`)} --use-latest-restorable-time --region ${sh(region)}`,
    ],
    note: 'for a time before the damage, replace --use-latest-restorable-time with --restore-date-time <UTC time, as YYYY-MM-DDThh:mm:ssZ>; then point clients at the new table (or copy the items back)',
  };
}

/** DynamoDB PITR keeps at most 35 days: a longer point-in-time window is impossible for a table. */
const PITR_LIMIT: PitrLimit = { what: 'DynamoDB point-in-time recovery', days: Facts.DYNAMODB_PITR_MAX_DAYS, source: Facts.DYNAMODB_PITR_PERIOD_SOURCE };

/** The PITR window of a table (or a replica), for the retention check. */
function pitrKept(days: number, where: string, setting: string): KeptPoints {
  return {
    what: `DynamoDB point-in-time recovery${where}`,
    pointInTime: true,
    intervalSeconds: 0,
    days,
    setting,
    maxDays: Facts.DYNAMODB_PITR_MAX_DAYS,
  };
}

const table: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const literalName = literal(p.TableName);
  const ph = namePlaceholder(r, 'table');
  const name = literalName ?? ph.name;
  const region = r.region ?? '<region>';
  const findings = policyFindings(r);
  const coverages: Coverage[] = [multiAz()];
  const sse = p.SSESpecification?.SSEEnabled;
  const encryption = isTrue(sse) ? (p.SSESpecification.KMSMasterKeyId ? 'KMS customer managed key' : 'KMS (AWS managed key)') : 'DynamoDB owned key (default)';
  const restorePoints: RestorePointSet[] = [liveCopy(r, 'the live table', 'dynamodb', name, encryption)];
  const runbook: RunbookEntry[] = [];

  const pitr = p.PointInTimeRecoverySpecification;
  const pitrOn = isTrue(pitr?.PointInTimeRecoveryEnabled);
  const days = pitrOn ? (num(pitr?.RecoveryPeriodInDays) ?? Facts.DYNAMODB_PITR_MAX_DAYS) : undefined;
  if (pitrOn) {
    coverages.push(pitrCoverage(days!, ''));
    restorePoints.push(pitrRestorePoint(r, days!, r.region, name, encryption));
    runbook.push(pitrRunbook(name, region));
  } else if (pitr && !isFalse(pitr.PointInTimeRecoveryEnabled) && pitr.PointInTimeRecoveryEnabled !== undefined) {
    findings.push('PointInTimeRecoveryEnabled is not a literal value: drkit cannot tell whether PITR is on, and counts it as off');
  }
  if (!isTrue(p.DeletionProtectionEnabled)) {
    findings.push('deletion protection is off: anyone allowed to delete the table can (set DeletionProtectionEnabled: true)');
  }

  const arn = `arn:aws:dynamodb:${r.region ?? UNKNOWN}:${r.account ?? UNKNOWN}:table/${literalName ?? UNKNOWN}`;
  const arnCommand = literalName
    ? `"$(aws dynamodb describe-table --table-name ${sh(literalName)} --region ${sh(region)} --query Table.TableArn --output text)"`
    : `<ARN of table ${r.logicalId}>`;
  const b = backupContribution(ctx.backup, r, arn, tagsOf(p.Tags), arnCommand);
  coverages.push(...b.coverages);
  restorePoints.push(...b.restorePoints);
  runbook.push(...b.runbook);
  findings.push(...b.findings);
  if (!literalName && runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note}; ${ph.note}` };

  return {
    content: 'DynamoDB table',
    name,
    restorePoints,
    coverages,
    runbook,
    findings,
    fix,
    kept: [...(pitrOn ? [pitrKept(days!, '', 'PointInTimeRecoverySpecification.RecoveryPeriodInDays')] : []), ...b.kept],
    pitrLimit: PITR_LIMIT,
    preconditions: b.preconditions,
  };
};

const globalTable: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const literalName = literal(p.TableName);
  const ph = namePlaceholder(r, 'table');
  const name = literalName ?? ph.name;
  const findings = policyFindings(r);
  const coverages: Coverage[] = [multiAz()];
  const restorePoints: RestorePointSet[] = [];
  const runbook: RunbookEntry[] = [];
  const replicas: any[] = Array.isArray(p.Replicas) ? p.Replicas : [];

  // Replica regions: `AWS::Region` is the stack's region.
  const regions: Array<{ region?: string; own: boolean; replica: any }> = replicas.map(rep => {
    const text = render(rep?.Region);
    return { region: resolveRegion(text, r.region), own: text === STACK_REGION || (r.region !== undefined && text === r.region), replica: rep };
  });
  const primary = regions.find(x => x.own) ?? regions[0];
  const distinct = new Set(regions.filter(x => x.own || x.region !== undefined).map(x => (x.own ? STACK_REGION : x.region)));
  const others = regions.filter(x => !x.own && x.region !== undefined && x !== primary);

  const encryption = isTrue(p.SSESpecification?.SSEEnabled) ? 'KMS' : 'DynamoDB owned key (default)';
  restorePoints.push(liveCopy(r, `the live table${primary?.region ? ` in ${primary.region}` : ''}`, 'dynamodb', name, encryption));
  const kept: KeptPoints[] = [];
  // The primary (the stack's region) first: its PITR is the one cited, restored from and listed first.
  for (const x of primary ? [primary, ...regions.filter(y => y !== primary)] : regions) {
    const spec = x.replica?.PointInTimeRecoverySpecification;
    const where = x.region ?? (x.own ? r.region : undefined);
    if (isTrue(spec?.PointInTimeRecoveryEnabled)) {
      const days = num(spec?.RecoveryPeriodInDays) ?? Facts.DYNAMODB_PITR_MAX_DAYS;
      kept.push(pitrKept(days, ` on the replica in ${where ?? 'the stack region'}`,
        `Replicas[].PointInTimeRecoverySpecification.RecoveryPeriodInDays of the replica in ${where ?? 'the stack region'}`));
      coverages.push(pitrCoverage(days, ` on the ${x === primary ? 'primary ' : ''}replica in ${where ?? 'the stack region'}`));
      restorePoints.push(pitrRestorePoint(r, days, where, name, encryption));
      runbook.push({ ...pitrRunbook(name, where ?? '<region>'), title: `Point-in-time restore to a new table (replica in ${where ?? 'the stack region'})` });
    } else if (x === primary) {
      findings.push(`point-in-time recovery is off on the replica in ${where ?? 'the stack region'}: PITR is set per replica`);
    }
    if (!isTrue(x.replica?.DeletionProtectionEnabled)) {
      findings.push(`deletion protection is off on the replica in ${where ?? 'the stack region'} (set Replicas[].DeletionProtectionEnabled: true)`);
    }
  }
  if (regions.length === 0) findings.push('the global table lists no replicas');

  if (distinct.size >= 2) {
    const list = others.map(x => x.region!).sort();
    coverages.push({
      disruption: Disruption.REGION_OUTAGE,
      mechanism: Mechanism.DYNAMODB_GLOBAL_TABLE.id,
      // Issue 12: "typically within a second" is typical and unbounded: no RPO figure, as for S3 replication without RTC.
      rpoSeconds: Facts.DYNAMODB_GLOBAL_TABLE_REPLICATION.value?.totalSeconds,
      rpoKind: Facts.DYNAMODB_GLOBAL_TABLE_REPLICATION.kind,
      ...failoverRto('nothing to promote', Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER.value!.totalSeconds, Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER.kind),
      basis: `replicas in ${list.join(', ') || 'several regions'}: ${Facts.DYNAMODB_GLOBAL_TABLE_REPLICATION.statement} (${Facts.DYNAMODB_GLOBAL_TABLE_REPLICATION.source}); recovery: ${Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER.statement} (${Facts.DYNAMODB_GLOBAL_TABLE_FAILOVER.source}); ${FAILOVER_UNBOUNDED_BASIS}`,
    });
    for (const x of others) {
      restorePoints.push({
        mechanism: Mechanism.DYNAMODB_GLOBAL_TABLE.id,
        description: `global table replica in ${x.region}`,
        medium: 'dynamodb',
        periodicity: 'live replica',
        intervalSeconds: 0,
        retention: 'current data (deletes and corruption replicate)',
        region: x.region,
        account: r.account,
        vault: name,
        offRegion: true,
        offAccount: false,
        immutability: 'none',
        encryption,
      });
      runbook.push({
        title: `Fail over to the replica in ${x.region}`,
        commands: [
          `aws dynamodb describe-table --table-name ${sh(name)} --region ${sh(x.region!)} --query 'Table.{Status:TableStatus,Replicas:Replicas}'`,
        ],
        note: `replicas are active-active: point the application's DynamoDB client at region ${x.region} (configuration or DNS change); check ReplicationLatency in CloudWatch for the data that may be missing`,
      });
    }
  }

  const arn = `arn:aws:dynamodb:${r.region ?? UNKNOWN}:${r.account ?? UNKNOWN}:table/${literalName ?? UNKNOWN}`;
  const region = primary?.region ?? r.region ?? '<region>';
  const arnCommand = literalName
    ? `"$(aws dynamodb describe-table --table-name ${sh(literalName)} --region ${sh(region)} --query Table.TableArn --output text)"`
    : `<ARN of table ${r.logicalId}>`;
  const tags = Object.assign({}, ...replicas.map(rep => tagsOf(rep?.Tags)));
  const b = backupContribution(ctx.backup, r, arn, tags, arnCommand);
  coverages.push(...b.coverages);
  restorePoints.push(...b.restorePoints);
  runbook.push(...b.runbook);
  findings.push(...b.findings);
  if (!literalName && runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note ?? ''}; ${ph.note}` };

  return {
    content: 'DynamoDB global table',
    name,
    restorePoints,
    coverages,
    runbook,
    findings,
    fix,
    kept: [...kept, ...b.kept],
    pitrLimit: PITR_LIMIT,
    preconditions: b.preconditions,
  };
};

/** Evaluators of the DynamoDB family. */
export const DYNAMODB_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': globalTable,
};
