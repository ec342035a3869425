import { BoundKind, Fact, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { backupContribution, BackupContribution } from './backup';
import { CfnResource, tagsOf, UNKNOWN } from './cfn';
import { FamilyContext } from './family';
import { Coverage, RestorePointSet } from './model';

/**
 * Shared parts of the evaluators of services with native backups of their own (EFS, DocumentDB,
 * Neptune, FSx, ElastiCache, MemoryDB, EC2): a coverage from a catalog fact, the AWS Backup part,
 * and the fixes that name AWS Backup.
 */

/** A fact for people, with its source. */
export function cite(f: Fact): string {
  return `${f.statement} (${f.source})`;
}

/** One mechanism's contribution against one disruption. */
export function cover(disruption: Disruption, mechanism: Mechanism, basis: string,
  rpo?: { seconds?: number; kind: string; lowerBound?: boolean }, rto?: { seconds?: number; kind: string }): Coverage {
  return {
    disruption,
    mechanism: mechanism.id,
    rpoSeconds: rpo?.seconds,
    rpoKind: rpo?.kind ?? BoundKind.NONE,
    rpoIsLowerBound: rpo?.lowerBound === true && rpo.seconds !== undefined ? true : undefined,
    rtoSeconds: rto?.seconds,
    rtoKind: rto?.kind ?? BoundKind.NONE,
    basis,
  };
}

/**
 * The RPO of a periodic backup whose start is not bounded: at least the interval between two
 * backups (a lower bound), since the provider publishes no bound on when a backup starts or
 * completes.
 */
export function atLeastInterval(seconds: number | undefined): { seconds?: number; kind: string; lowerBound?: boolean } {
  return seconds === undefined ? { kind: BoundKind.NONE } : { seconds, kind: BoundKind.ESTIMATED, lowerBound: true };
}

/** A fact's figure as an RPO or RTO (no figure: no bound). */
export function figure(f: Fact): { seconds?: number; kind: string } {
  return { seconds: f.value?.totalSeconds, kind: f.value === undefined ? BoundKind.NONE : f.kind };
}

/** A restore point set kept by the service itself in the resource's region and account. */
export function nativePoint(r: CfnResource, mechanism: Mechanism, description: string, medium: string, periodicity: string,
  retention: string, vault: string, intervalSeconds?: number, encryption?: string): RestorePointSet {
  return {
    mechanism: mechanism.id,
    description,
    medium,
    periodicity,
    intervalSeconds,
    retention,
    region: r.region,
    account: r.account,
    vault,
    offRegion: false,
    offAccount: false,
    immutability: 'none',
    encryption,
  };
}

/**
 * What AWS Backup plans give the resource.
 *
 * @param arn the resource's ARN with `{region}`, `{account}` and `{id}` placeholders
 * @param id the literal identifier in the ARN, when known
 */
export function awsBackup(ctx: FamilyContext, arn: string, id: string | undefined, tagsProperty: string): BackupContribution {
  const r = ctx.resource;
  const full = arn.replace('{region}', r.region ?? UNKNOWN).replace('{account}', r.account ?? UNKNOWN).replace('{id}', id ?? UNKNOWN);
  return backupContribution(ctx.backup, r, full, tagsOf(r.properties?.[tagsProperty]), `<ARN of ${r.logicalId}>`);
}

/** The fix that selects a resource in an AWS Backup plan. */
export function selectFix(selectBy: string): string {
  return `select the resource in an AWS Backup plan (AWS::Backup::BackupSelection listing ${selectBy}, or a tag it carries)`;
}

/** Fixes for region outage and account compromise, through AWS Backup copies. */
export function copyFixes(selectBy: string): { region: string; account: string } {
  return {
    region: `${selectFix(selectBy)} whose rules copy recovery points to a vault in another region (CopyActions)`,
    account: `${selectFix(selectBy)} whose rules copy recovery points to a vault in another account or a logically air-gapped vault, or store them in a vault locked in compliance mode`,
  };
}
