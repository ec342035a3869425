import { Mechanism } from '../catalog';
import { DrkitErrors } from '../errors';
import { ALL_DISRUPTIONS, Disruption, disruptionTitle, RecoveryObjective } from '../objective';
import { formatSeconds } from '../period';
import { BackupIndex } from './backup';
import { CfnResource, literal } from './cfn';
import { FamilyResult } from './family';
import {
  BackupModel, Coverage, DisruptionAssessment, ExcludedResource, NotAssessed, RecoveryTesting, ResourceAssessment, RestorePointSet,
  TargetStatus, ThreeTwoOne,
} from './model';
import { coveredByMetadata, EffectiveBackupPolicy, orgPlansSelecting, orgPolicyResources, orgPreconditions, resourceTags } from './org-policy';
import { evaluatorFor, notAssessedBeforeEvaluation, notAssessedReasonOf } from './registry';
import { retentionGaps } from './retention';
import { ORG_POLICY_TAG_KEY } from '../org-coverage';
import { ReportGap, StackTemplate } from '../report/types';
import { metadataWithObjective, OBJECTIVE_METADATA, OBJECTIVES_METADATA } from '../template/metadata';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /**
   * An objective applied to every stateful resource (overrides template metadata).
   * @default - objectives recorded in template metadata
   */
  readonly objective?: RecoveryObjective;
  /**
   * Region assumed for stacks whose region is unknown.
   * @default - unknown
   */
  readonly region?: string;
  /**
   * An AWS Organizations backup policy that backs up the stacks' resources it selects by tag:
   * its plans count as AWS Backup plans in each account and region of the stacks it covers.
   * @default - none: only the templates' own backup plans count
   */
  readonly organizationPolicy?: EffectiveBackupPolicy;
}

/** The result of evaluating a set of templates. */
export interface Evaluation {
  /** Stateful resources, by stack then logical id. */
  readonly resources: ResourceAssessment[];
  /** Resources of types drkit does not know. */
  readonly notAssessed: NotAssessed[];
  /** Gaps, with fixes. */
  readonly gaps: ReportGap[];
  /** Backup vaults, plans and selections. */
  readonly backup: BackupModel;
  /** Resources left out of protection on purpose, with the reason (`drkit:excluded` metadata). */
  readonly excluded: ExcludedResource[];
}

const KIND_RANK: { [k: string]: number } = { documented: 0, typical: 1, estimated: 2, none: 3 };

function better(a: Coverage, b: Coverage): number {
  // A mechanism that does not serve the disruption in this configuration ranks last.
  const sf = (a.shortfall ? 1 : 0) - (b.shortfall ? 1 : 0);
  if (sf !== 0) return sf;
  const ar = a.rpoSeconds ?? Infinity;
  const br = b.rpoSeconds ?? Infinity;
  if (ar !== br) return ar - br;
  const rlb = (a.rpoIsLowerBound ? 1 : 0) - (b.rpoIsLowerBound ? 1 : 0);
  if (rlb !== 0) return rlb;
  const k = (KIND_RANK[a.rpoKind] ?? 3) - (KIND_RANK[b.rpoKind] ?? 3);
  if (k !== 0) return k;
  const at = a.rtoSeconds ?? Infinity;
  const bt = b.rtoSeconds ?? Infinity;
  if (at !== bt) return at - bt;
  const lb = (a.rtoIsLowerBound ? 1 : 0) - (b.rtoIsLowerBound ? 1 : 0);
  if (lb !== 0) return lb;
  return a.mechanism < b.mechanism ? -1 : a.mechanism > b.mechanism ? 1 : 0;
}

const MECHANISM_TITLES: { [id: string]: string } = Object.fromEntries(
  Object.values(Mechanism).filter((m: any) => m instanceof Mechanism).map((m: Mechanism) => [m.id, m.title]),
);

/** Human title of a mechanism id. */
export function mechanismTitle(id: string): string {
  return MECHANISM_TITLES[id] ?? id;
}

/** Reads the stacks' resources. */
export function readResources(stacks: StackTemplate[], defaultRegion?: string): CfnResource[] {
  const out: CfnResource[] = [];
  for (const s of [...stacks].sort((a, b) => (a.stackName < b.stackName ? -1 : a.stackName > b.stackName ? 1 : 0))) {
    const resources = s.template?.Resources ?? {};
    for (const logicalId of Object.keys(resources).sort()) {
      const r = resources[logicalId] ?? {};
      out.push({
        stackName: s.stackName,
        logicalId,
        type: String(r.Type ?? ''),
        properties: r.Properties ?? {},
        metadata: metadataWithObjective(r, s.template),
        deletionPolicy: literal(r.DeletionPolicy),
        updateReplacePolicy: literal(r.UpdateReplacePolicy),
        region: s.region ?? defaultRegion,
        account: s.account,
      });
    }
  }
  return out;
}

/** Evaluates every stateful resource of the stacks. */
export function evaluateStacks(stacks: StackTemplate[], options: EvaluateOptions = {}): Evaluation {
  const all = readResources(stacks, options.region);
  const policy = options.organizationPolicy;
  const backup = new BackupIndex(policy ? [...all, ...orgPolicyResources(policy, stacks, options.region)] : all);
  const resources: ResourceAssessment[] = [];
  const notAssessed: NotAssessed[] = [];
  const gaps: ReportGap[] = [];
  const excluded: ExcludedResource[] = [];
  for (const s of [...stacks].sort((a, b) => (a.stackName < b.stackName ? -1 : a.stackName > b.stackName ? 1 : 0))) {
    for (const e of s.exclusions ?? []) excluded.push({ stackName: s.stackName, path: e.path, reason: exclusionReason(e.reason)! });
  }

  for (const r of all) {
    const reason = exclusionReason(r.metadata?.['drkit:excluded']);
    if (reason !== undefined) {
      // Left out on purpose, with a reason: listed, not assessed, not a gap.
      excluded.push({ stackName: r.stackName, logicalId: r.logicalId, resourceType: r.type, reason });
      continue;
    }
    const evaluate = evaluatorFor(r.type);
    const notAssessedReason = notAssessedBeforeEvaluation(r) ?? (evaluate ? undefined : notAssessedReasonOf(r));
    if (notAssessedReason !== undefined) {
      notAssessed.push({ stackName: r.stackName, logicalId: r.logicalId, resourceType: r.type, reason: notAssessedReason });
    }
    if (!evaluate || notAssessedReason !== undefined) continue;
    const findings: string[] = [];
    let objective = options.objective;
    let objectiveSource = objective ? 'options' : 'none';
    const meta = r.metadata?.[OBJECTIVE_METADATA];
    if (!objective && typeof meta === 'string') {
      findings.push(`${OBJECTIVE_METADATA} metadata names objective "${meta}", which the template's top-level Metadata["${OBJECTIVES_METADATA}"] does not hold: no objective is applied`);
    } else if (!objective && meta !== undefined) {
      try {
        objective = RecoveryObjective.fromJson(meta);
        objectiveSource = 'metadata';
      } catch (e: any) {
        findings.push(`drkit:objective metadata is not a valid objective (${DrkitErrors.isDrkitError(e) ? e.message : String(e)}): no objective is applied`);
      }
    }
    const result = evaluate({ resource: r, all, backup, objective });
    if (!result) continue;
    findings.push(...orgFindings(r, policy));
    const assessment = assess(r, result, objective, objectiveSource, [...findings, ...result.findings], backup.testingOf(r));
    if (policy && orgPlansSelecting(policy, r).length > 0) {
      for (const p of orgPreconditions(policy, orgPlansSelecting(policy, r))) {
        if (!assessment.preconditions.includes(p)) assessment.preconditions.push(p);
      }
    }
    resources.push(assessment);
    gaps.push(...gapsOf(r, result, assessment, objective));
  }
  return { resources, notAssessed, gaps, backup: backup.model, excluded };
}

/** What the report says about a resource in organization mode, or tagged for a policy, that no policy plan selects. */
function orgFindings(r: CfnResource, policy: EffectiveBackupPolicy | undefined): string[] {
  const meta = coveredByMetadata(r);
  if (!policy) {
    return meta !== undefined
      ? [`covered by an AWS Organizations backup policy${meta.policyName ? ` (${meta.policyName})` : ''} through tag ${meta.tagKey} = ${meta.tagValue} (drkit:covered-by): its backups are not in this template; run drkit report with --org-policy <policy.json | management cdk.out> to count them`]
      : [];
  }
  if (orgPlansSelecting(policy, r).length > 0) return [];
  const tags = resourceTags(r);
  const tagged = meta !== undefined || tags[ORG_POLICY_TAG_KEY] !== undefined;
  if (!tagged) return [];
  const tag = meta !== undefined ? `${meta.tagKey} = ${meta.tagValue}` : `${ORG_POLICY_TAG_KEY} = ${tags[ORG_POLICY_TAG_KEY]}`;
  const inRegion = policy.plans.filter(p => r.region === undefined || p.regions.includes(r.region));
  return [inRegion.length === 0
    ? `tagged ${tag} for the organization backup policy, but no plan of ${policy.source} covers region ${r.region}: add ${r.region} to a plan's regions`
    : `tagged ${tag} for the organization backup policy, but no plan of ${policy.source} selects that tag in ${r.region ?? 'its region'} (selections: ${inRegion.flatMap(p => p.selections.map(s => `${s.tagKey} = ${s.tagValues.join(' | ')}`)).join(', ') || 'none'}): add a tag selection for it, or fix the tag`];
}

/** The reason of a `drkit:excluded` metadata entry (a string, or `{ reason }`). */
function exclusionReason(v: any): string | undefined {
  if (v === undefined || v === null) return undefined;
  const text = literal(v) ?? literal(v?.reason);
  return text !== undefined && text.trim() !== '' ? text : 'excluded without a reason (drkit:excluded metadata)';
}

function assess(r: CfnResource, result: FamilyResult, objective: RecoveryObjective | undefined,
  objectiveSource: string, findings: string[], recoveryTesting: RecoveryTesting): ResourceAssessment {
  const disruptions: DisruptionAssessment[] = ALL_DISRUPTIONS.map(d => {
    const required = !!objective && objective.covers(d);
    const target = required ? objective!.targetFor(d) : undefined;
    const statusOfCoverage = (c: Coverage) => statusOf(c, objective, required, target?.rpo.totalSeconds, target?.rto.totalSeconds);
    // The row rests on the mechanism with the best status against the objective (met, then
    // unverified, then not met), and among equals on the best figures: a replica with no
    // published bound, which may meet the objective, is shown before a backup copy whose lower
    // bound is already above it.
    const ranked = result.coverages.filter(c => c.disruption === d).map(c => ({ c, rank: STATUS_RANK[statusOfCoverage(c)] ?? 9 }));
    const list = ranked.sort((a, b) => (a.rank - b.rank) || better(a.c, b.c)).map(x => x.c);
    const best = list[0];
    const mechanisms: string[] = [];
    for (const c of list) if (!mechanisms.includes(c.mechanism)) mechanisms.push(c.mechanism);
    const status = statusOf(best, objective, required, target?.rpo.totalSeconds, target?.rto.totalSeconds);
    const others = mechanisms.slice(1).map(mechanismTitle);
    const rpoIsLowerBound = best?.rpoIsLowerBound === true && best.rpoSeconds !== undefined;
    const rtoIsLowerBound = best?.rtoIsLowerBound === true && best.rtoSeconds !== undefined;
    return {
      disruption: d,
      title: disruptionTitle(d),
      required,
      objectiveRpoSeconds: target?.rpo.totalSeconds,
      objectiveRtoSeconds: target?.rto.totalSeconds,
      rpoSeconds: best?.rpoSeconds,
      rpoKind: best?.rpoKind ?? 'none',
      rpoIsLowerBound,
      rpoNote: rpoIsLowerBound ? best!.rpoNote : undefined,
      rtoSeconds: best?.rtoSeconds,
      rtoKind: best?.rtoKind ?? 'none',
      rtoIsLowerBound,
      rtoNote: rtoIsLowerBound ? best!.rtoNote : undefined,
      mechanisms,
      basis: best ? best.basis + (best.shortfall ? `; does not count: ${best.shortfall}` : '') + (others.length ? `; also: ${others.join(', ')}` : '') : 'no mechanism found in the template',
      status,
      verification: status === TargetStatus.UNVERIFIED ? verificationOf(best!) : undefined,
    };
  });
  return {
    stackName: r.stackName,
    logicalId: r.logicalId,
    resourceType: r.type,
    content: result.content,
    name: result.name,
    region: r.region,
    account: r.account,
    objectiveSource,
    objective: objective?.toJson(),
    construct: literal(r.metadata?.['drkit:construct']),
    restorePoints: result.restorePoints,
    disruptions,
    threeTwoOne: threeTwoOne(result.restorePoints),
    runbook: result.runbook,
    recoveryTesting,
    preconditions: [...(result.preconditions ?? [])],
    findings,
  };
}

/** Kinds of figure that count as established: published (documented or typical) or drkit's estimate from bounded parts. */
const ESTABLISHED = ['documented', 'typical', 'estimated'];

/** Order of statuses when several mechanisms cover a disruption: the best one decides the row. */
const STATUS_RANK: { [s: string]: number } = {
  [TargetStatus.MET]: 0,
  [TargetStatus.NO_OBJECTIVE]: 0,
  [TargetStatus.NOT_REQUIRED]: 0,
  [TargetStatus.UNVERIFIED]: 1,
  [TargetStatus.NOT_MET]: 2,
  [TargetStatus.UNPROTECTED]: 3,
};

/**
 * The status of the best coverage against the objective: `met` only when both the RPO and the
 * RTO are established figures (not lower bounds) within it; `unverified` when they are within
 * it as far as is known but one has no published bound or is only a lower bound; `not-met`
 * when a figure (or a lower bound) is above it, or when the mechanism does not serve the
 * disruption in this configuration.
 */
export function statusOf(best: Coverage | undefined, objective: RecoveryObjective | undefined, required: boolean,
  rpo?: number, rto?: number): string {
  // A disruption the objective does not ask for is not required, covered or not: it never counts as unprotected.
  if (objective && !required) return TargetStatus.NOT_REQUIRED;
  if (!best) return TargetStatus.UNPROTECTED;
  if (!objective) return TargetStatus.NO_OBJECTIVE;
  if (best.shortfall) return TargetStatus.NOT_MET;
  // A figure (or a lower bound) above the objective is not met. A figure with no published
  // bound at all can neither be shown to meet the objective nor to miss it: unverified below.
  if (best.rpoSeconds !== undefined && best.rpoSeconds > rpo!) return TargetStatus.NOT_MET;
  if (best.rtoSeconds !== undefined && best.rtoSeconds > rto!) return TargetStatus.NOT_MET;
  const established = !best.rpoIsLowerBound && ESTABLISHED.includes(best.rpoKind)
    && best.rtoSeconds !== undefined && !best.rtoIsLowerBound && ESTABLISHED.includes(best.rtoKind);
  return established ? TargetStatus.MET : TargetStatus.UNVERIFIED;
}

/** What would verify an unverified row: the evidence for each figure that is unbounded or a lower bound. */
function verificationOf(best: Coverage): string {
  const parts: string[] = [];
  if (best.rpoIsLowerBound) parts.push('measured copy or replication times (AWS Backup copy job durations, replication metrics) for the RPO');
  else if (best.rpoSeconds === undefined) parts.push('a measured bound on data loss for the RPO, which the provider does not publish (replication or backup lag metrics, a recovery drill)');
  else if (!ESTABLISHED.includes(best.rpoKind)) parts.push('measured data loss in a recovery drill for the RPO');
  if (best.rtoSeconds === undefined) parts.push('restore testing results (AWS Backup restore testing, or a timed restore) for the RTO');
  else if (best.rtoIsLowerBound) parts.push('a failover drill that times detection, promotion and the client switch for the RTO');
  else if (!ESTABLISHED.includes(best.rtoKind)) parts.push('a timed recovery drill for the RTO');
  return parts.join('; ');
}

/**
 * 3-2-1 by one rule for every resource type: a copy is a separate location that holds restore
 * points (the live resource, a backup vault, a replica, a copy in another region or account).
 * Restore points the service keeps in place with the resource (`inPlace`: S3 versions, DynamoDB
 * PITR, RDS/Aurora automated backups) are restore points, not separate copies. Immutable means
 * locked in compliance mode; governance mode can be removed and does not count.
 */
export function threeTwoOne(points: RestorePointSet[]): ThreeTwoOne {
  const copies = points.filter(p => !p.inPlace);
  const keys = new Set(copies.map(p => [p.medium, p.region ?? '?', p.account ?? '?', p.vault ?? ''].join('|')));
  const media = [...new Set(copies.map(p => p.medium))].sort();
  const offRegion = copies.some(p => p.offRegion);
  const offAccount = copies.some(p => p.offAccount);
  const immutable = points.some(p => p.immutability === 'compliance');
  const lock = immutable ? 'compliance' : points.some(p => p.immutability === 'governance') ? 'governance' : 'none';
  return {
    copies: keys.size,
    media,
    offRegion,
    offAccount,
    immutable,
    lock,
    satisfied: keys.size >= 3 && media.length >= 2 && (offRegion || offAccount),
  };
}

function gapsOf(r: CfnResource, result: FamilyResult, a: ResourceAssessment, objective?: RecoveryObjective): ReportGap[] {
  const out: ReportGap[] = [];
  const base = { stackName: r.stackName, logicalId: r.logicalId, resourceType: r.type };
  const what = `${result.content} ${result.name}`;
  // What the resource has against any disruption: a fix names what is missing, not what is there
  // (a resource in a backup plan that does not copy across regions is told to add a copy).
  const present = [...new Set(a.disruptions.flatMap(x => x.mechanisms))];
  for (const d of a.disruptions) {
    const dis = d.disruption as Disruption;
    if (d.status === TargetStatus.UNPROTECTED && (d.required || (!objective && dis === Disruption.DATA_CORRUPTION))) {
      out.push({
        ...base,
        disruption: dis,
        problem: d.required
          ? `no mechanism protects ${what} against ${d.title}, which objective "${objective!.name}" requires (RPO ${formatSeconds(d.objectiveRpoSeconds!)}, RTO ${formatSeconds(d.objectiveRtoSeconds!)})`
          : `${what} has no restore point: it is unprotected against ${d.title}`,
        fix: result.fix(dis, present),
      });
    } else if (d.status === TargetStatus.NOT_MET) {
      const target = formatSeconds(d.objectiveRpoSeconds!);
      const mech = mechanismTitle(d.mechanisms[0]);
      const best = result.coverages.filter(c => c.disruption === dis && c.mechanism === d.mechanisms[0]).sort(better)[0];
      let problem: string;
      let fix = result.fix(dis, present);
      if (best?.shortfall) {
        problem = `against ${d.title}, ${what} relies on ${mech}, which does not count: ${best.shortfall}`;
      } else if (d.rpoSeconds === undefined) {
        problem = `against ${d.title}, ${what} relies on ${mech}, which has no documented bound, so the objective's RPO ${target} cannot be shown to be met`;
      } else if (d.rpoSeconds > d.objectiveRpoSeconds!) {
        problem = d.rpoIsLowerBound
          ? `against ${d.title}, ${what} has an RPO of at least ${formatSeconds(d.rpoSeconds)} (${d.rpoKind}: ${d.rpoNote ?? 'a lower bound'}; ${mech}), above the objective's ${target}`
          : `against ${d.title}, ${what} achieves a worst-case RPO of ${formatSeconds(d.rpoSeconds)} (${d.rpoKind}, ${mech}), above the objective's ${target}`;
        // The fix names what is missing; when the tightest mechanism is already there, only the objective can move.
        const floor = `raise the ${d.title} RPO to at least ${formatSeconds(d.rpoSeconds)} (the ${mech} floor)`;
        fix = fix === '' ? floor : `${floor}; or ${fix}`;
      } else {
        problem = d.rtoIsLowerBound
          ? `against ${d.title}, ${what} needs an RTO of at least ${formatSeconds(d.rtoSeconds!)} (${d.rtoKind}: ${d.rtoNote ?? 'a lower bound'}; ${mech}), above the objective's ${formatSeconds(d.objectiveRtoSeconds!)}`
          : `against ${d.title}, ${what} achieves an RTO of ${formatSeconds(d.rtoSeconds!)} (${d.rtoKind}, ${mech}), above the objective's ${formatSeconds(d.objectiveRtoSeconds!)}`;
      }
      out.push({ ...base, disruption: dis, problem, fix });
    }
  }
  for (const g of [...result.extraGaps ?? [], ...retentionGaps(objective, result.kept, result.pitrLimit)]) {
    out.push({ ...base, disruption: g.disruption, problem: `${what}: ${g.problem}`, fix: g.fix });
  }
  return out;
}
