import { planAwareFix } from './backup';
import { Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { formatSeconds } from '../period';
import { CfnResource, isFalse, literal, num, tagsOf } from './cfn';
import { FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { storageEncryption } from './generic';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { awsBackup, cite, copyFixes, atLeastInterval, cover, selectFix } from './native';
import { KeptPoints } from './retention';

/**
 * EC2 instances and EBS volumes. An EBS volume lives in one AZ and keeps no copy of its own:
 * what protects it is an AWS Backup plan that selects it, or a Data Lifecycle Manager policy
 * whose target tags it carries. When neither does, the report says plainly that nothing does.
 */

/** A Data Lifecycle Manager policy that snapshots a resource, and what it gives. */
export interface DlmMatch {
  readonly logicalId: string;
  readonly stackName: string;
  /** Hours between snapshots of each schedule (undefined: a cron expression or an unreadable schedule). */
  readonly schedules: Array<{ name: string; hours?: number; retain: string; copyRegions: string[]; retainDays?: number | 'forever' }>;
}

/**
 * The DLM policies of `resources` that snapshot a resource of `kind` (`VOLUME` or `INSTANCE`)
 * carrying `tags`: enabled, of that resource type, and whose target tags the resource all carries.
 * drkit's `stateful-resource-protected` rule uses the same test.
 */
export function dlmPoliciesCovering(resources: Array<{ logicalId: string; stackName: string; type: string; properties: any }>,
  kind: string, tags: { [key: string]: string }): DlmMatch[] {
  const out: DlmMatch[] = [];
  for (const r of resources) {
    if (r.type !== 'AWS::DLM::LifecyclePolicy') continue;
    const props = r.properties ?? {};
    if (literal(props.State) === 'DISABLED') continue;
    const details = props.PolicyDetails ?? {};
    const types: any[] = Array.isArray(details.ResourceTypes) ? details.ResourceTypes : [];
    if (!types.includes(kind)) continue;
    const target = tagsOf(details.TargetTags);
    const keys = Object.keys(target);
    if (keys.length === 0 || !keys.every(k => tags[k] === target[k])) continue;
    const schedules = (Array.isArray(details.Schedules) ? details.Schedules : []).map((s: any, i: number) => {
      const create = s?.CreateRule ?? {};
      const interval = num(create.Interval);
      const hours = interval !== undefined && (literal(create.IntervalUnit) ?? 'HOURS') === 'HOURS' ? interval : undefined;
      const count = num(s?.RetainRule?.Count);
      const keep = num(s?.RetainRule?.Interval);
      const unit = (literal(s?.RetainRule?.IntervalUnit) ?? 'DAYS').toUpperCase();
      const retain = count !== undefined ? `${count} snapshot(s)` : keep !== undefined ? `${keep} ${unit.toLowerCase()}` : 'until deleted';
      // Days a snapshot is kept: count x interval, or the interval in days (a month 31, a year 366, as the retention check counts them).
      const unitDays: { [u: string]: number } = { DAYS: 1, WEEKS: 7, MONTHS: 31, YEARS: 366 };
      const retainDays: number | 'forever' | undefined = count !== undefined ? (hours !== undefined ? (count * hours) / 24 : undefined)
        : keep !== undefined ? (unitDays[unit] !== undefined ? keep * unitDays[unit] : undefined) : 'forever';
      const copyRegions = (Array.isArray(s?.CrossRegionCopyRules) ? s.CrossRegionCopyRules : [])
        .map((c: any) => literal(c?.TargetRegion) ?? literal(c?.Target)).filter((x: any): x is string => x !== undefined);
      return { name: literal(s?.Name) ?? `schedule ${i + 1}`, hours, retain, copyRegions, retainDays };
    });
    out.push({ logicalId: r.logicalId, stackName: r.stackName, schedules });
  }
  return out;
}

/** DLM's contribution to one resource. */
function dlmPart(r: CfnResource, matches: DlmMatch[], what: string):
{ coverages: Coverage[]; restorePoints: RestorePointSet[]; runbook: RunbookEntry[]; kept: KeptPoints[] } {
  const kept: KeptPoints[] = [];
  const coverages: Coverage[] = [];
  const restorePoints: RestorePointSet[] = [];
  const runbook: RunbookEntry[] = [];
  for (const m of matches) {
    for (const s of m.schedules) {
      const every = s.hours !== undefined ? `every ${formatSeconds(s.hours * 3600)}` : 'on a cron schedule';
      const basis = `Data Lifecycle Manager policy ${m.logicalId} (${s.name}) snapshots ${what} ${every}, kept ${s.retain}: ${cite(Facts.DLM_SCHEDULE)}; DLM publishes no bound on when a snapshot starts or completes, so the RPO is at least the interval, with no upper bound; restore time: ${Facts.RESTORE_TIME_UNPUBLISHED.statement}`;
      const rpo = atLeastInterval(s.hours !== undefined ? s.hours * 3600 : undefined);
      coverages.push(cover(Disruption.DATA_CORRUPTION, Mechanism.DLM_SNAPSHOTS, basis, rpo));
      coverages.push(cover(Disruption.AZ_OUTAGE, Mechanism.DLM_SNAPSHOTS, `${basis}; snapshots are regional, so a new volume can be created from them in another AZ`, rpo));
      if (s.retainDays !== undefined) {
        kept.push({
          what: `EBS snapshots of DLM policy ${m.logicalId} (${s.name}), kept ${s.retain}`,
          pointInTime: false,
          intervalSeconds: s.hours !== undefined ? s.hours * 3600 : undefined,
          days: s.retainDays === 'forever' ? undefined : s.retainDays,
          setting: `RetainRule of DLM policy ${m.logicalId} (${s.name}), in days (Interval and IntervalUnit)`,
        });
      }
      restorePoints.push({
        mechanism: Mechanism.DLM_SNAPSHOTS.id,
        description: `EBS snapshots: DLM policy ${m.logicalId} (${s.name})`,
        medium: 'ebs-snapshot',
        periodicity: every,
        intervalSeconds: s.hours !== undefined ? s.hours * 3600 : undefined,
        retention: s.retain,
        region: r.region,
        account: r.account,
        vault: `DLM ${m.logicalId}`,
        offRegion: false,
        offAccount: false,
        immutability: 'none',
      });
      for (const region of s.copyRegions) {
        const off = region !== r.region;
        if (off) coverages.push(cover(Disruption.REGION_OUTAGE, Mechanism.DLM_SNAPSHOTS, `${basis}; copied to ${region} (CrossRegionCopyRules), copy time not published`, rpo));
        restorePoints.push({
          mechanism: Mechanism.DLM_SNAPSHOTS.id,
          description: `EBS snapshot copies in ${region}: DLM policy ${m.logicalId} (${s.name})`,
          medium: 'ebs-snapshot',
          periodicity: every,
          intervalSeconds: s.hours !== undefined ? s.hours * 3600 : undefined,
          retention: s.retain,
          region,
          account: r.account,
          vault: `DLM ${m.logicalId}`,
          offRegion: off,
          offAccount: false,
          immutability: 'none',
        });
      }
    }
  }
  if (matches.length) {
    runbook.push({
      title: 'Create a volume from a DLM snapshot',
      commands: [
        `aws ec2 describe-snapshots --owner-ids self --filters Name=tag:aws:dlm:lifecycle-policy-id,Values=<policy id> --region ${r.region ?? '<region>'}`,
        `aws ec2 create-volume --snapshot-id <snapshot id from the previous command> --availability-zone <an AZ of the region> --region ${r.region ?? '<region>'}`,
      ],
      note: 'attach the new volume in place of the damaged one (aws ec2 attach-volume); find the policy id with aws dlm get-lifecycle-policies',
    });
  }
  return { coverages, restorePoints, runbook, kept };
}

const NOTHING = (what: string) => `nothing protects this ${what}: no AWS Backup selection and no Data Lifecycle Manager policy in the input picks it, and an EBS volume lives in one Availability Zone (${cite(Facts.EBS_SINGLE_AZ)})`;

function fixesFor(r: CfnResource, kind: 'volume' | 'instance'): { [d: string]: string } {
  const selectBy = `Fn::Sub "arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${kind}/\${${r.logicalId}}" (${kind === 'volume' ? 'a volume' : 'an instance'} has no ARN attribute: build it from its Ref, the ${kind} id)`;
  const dlm = `, or tag it with the target tags of a Data Lifecycle Manager snapshot policy (AWS::DLM::LifecyclePolicy, ResourceTypes ${kind === 'volume' ? 'VOLUME' : 'INSTANCE'})`;
  const copies = copyFixes(selectBy);
  return {
    [Disruption.DATA_CORRUPTION]: `${selectFix(selectBy)}${dlm}`,
    [Disruption.AZ_OUTAGE]: `${selectFix(selectBy)}${dlm}`,
    [Disruption.REGION_OUTAGE]: `${copies.region}, or add CrossRegionCopyRules to a DLM policy that targets it`,
    [Disruption.ACCOUNT_COMPROMISE]: copies.account,
  };
}

const volume: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const ph = namePlaceholder(r, 'volume');
  const encryption = storageEncryption(r.type, p);
  const findings = policyFindings(r);
  const restorePoints: RestorePointSet[] = [liveCopy(r, `the live EBS volume${literal(p.AvailabilityZone) ? ` (${literal(p.AvailabilityZone)})` : ''}`, 'ebs', ph.name, encryption)];
  const b = awsBackup(ctx, 'arn:aws:ec2:{region}:{account}:volume/{id}', undefined, 'Tags');
  const dlm = dlmPart(r, dlmPoliciesCovering(ctx.all.filter(x => x.region === r.region && x.account === r.account), 'VOLUME', tagsOf(p.Tags)), 'the volume');
  const coverages = [...dlm.coverages, ...b.coverages];
  restorePoints.push(...dlm.restorePoints, ...b.restorePoints);
  findings.push(...b.findings);
  if (coverages.length === 0) {
    findings.push('no backup of any kind was found for this resource in the input');
    findings.push(NOTHING('EBS volume'));
  }
  const runbook = [...dlm.runbook, ...b.runbook];
  if (runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note ?? ''}; ${ph.note}` };
  const fixes = fixesFor(r, 'volume');
  return { content: 'EBS volume', name: ph.name, restorePoints, coverages, runbook, findings, fix: planAwareFix(d => fixes[d]), kept: [...dlm.kept, ...b.kept] };
};

const instance: FamilyEvaluator = (ctx: FamilyContext): FamilyResult => {
  const r = ctx.resource;
  const p = r.properties ?? {};
  const ph = namePlaceholder(r, 'instance');
  const findings: string[] = [];
  const mappings: any[] = Array.isArray(p.BlockDeviceMappings) ? p.BlockDeviceMappings : [];
  const ebs = mappings.filter(m => m?.Ebs);
  const ephemeral = mappings.filter(m => typeof m?.VirtualName === 'string' && /^ephemeral/.test(m.VirtualName));
  const deleted = ebs.filter(m => !isFalse(m.Ebs.DeleteOnTermination)).map(m => literal(m.DeviceName) ?? '<device>');
  if (deleted.length) findings.push(`EBS volumes ${deleted.join(', ')} are deleted when the instance terminates (DeleteOnTermination absent or true), and the root volume from the AMI is too unless its mapping says otherwise`);
  else if (ebs.length === 0) findings.push('the root EBS volume comes from the AMI and is deleted when the instance terminates (DeleteOnTermination is true by default)');
  if (ephemeral.length) findings.push(`instance store volumes (${ephemeral.map(m => literal(m.DeviceName) ?? m.VirtualName).join(', ')}) lose their data when the instance stops or terminates: nothing can back them up`);
  const encrypted = ebs.length > 0 && ebs.every(m => m.Ebs.Encrypted === true || literal(m.Ebs.Encrypted) === 'true');
  const restorePoints: RestorePointSet[] = [liveCopy(r, `the instance's EBS volumes${literal(p.AvailabilityZone) ? ` (${literal(p.AvailabilityZone)})` : ''}`, 'ebs', ph.name, encrypted ? 'encrypted (every EBS mapping)' : undefined)];
  const b = awsBackup(ctx, 'arn:aws:ec2:{region}:{account}:instance/{id}', undefined, 'Tags');
  const dlm = dlmPart(r, dlmPoliciesCovering(ctx.all.filter(x => x.region === r.region && x.account === r.account), 'INSTANCE', tagsOf(p.Tags)), 'the instance\'s volumes');
  const coverages = [...dlm.coverages, ...b.coverages];
  restorePoints.push(...dlm.restorePoints, ...b.restorePoints);
  findings.push(...policyFindings(r), ...b.findings);
  if (coverages.length === 0) {
    findings.push('no backup of any kind was found for this resource in the input');
    findings.push(NOTHING('instance\'s EBS volumes'));
  }
  const runbook = [...dlm.runbook, ...b.runbook];
  if (runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note ?? ''}; ${ph.note}` };
  const fixes = fixesFor(r, 'instance');
  return { content: 'EC2 instance (EBS volumes)', name: ph.name, restorePoints, coverages, runbook, findings, fix: planAwareFix(d => fixes[d]), kept: [...dlm.kept, ...b.kept] };
};

/** Evaluators of the EC2 family. */
export const EC2_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::EC2::Volume': volume,
  'AWS::EC2::Instance': instance,
};
