import { SOURCE_TYPE_METADATA } from './metadata';
import { Branch, BranchStack, Preparation, StackPreparation, undecided } from './prepare';
import { EvaluateOptions, Evaluation, evaluateStacks } from '../evaluate/evaluator';
import { BackupModel, NotAssessed, ResourceAssessment, TargetStatus } from '../evaluate/model';
import { disruptionTitle } from '../objective';
import { ReportGap, StackTemplate } from '../report/types';

/**
 * Assessing templates as written: each stack is prepared (language extensions, SAM, parameter
 * defaults, conditions), every branch the unknown inputs open is evaluated, and each resource is
 * reported in its least protected branch, with what was assumed. A stateful resource protected
 * in only some branches gets a finding naming the branch that leaves it unprotected.
 */

/** A resource's assessment with what the preparation assumed to reach it. */
export interface AssumingAssessment extends ResourceAssessment {
  /**
   * What drkit assumed to assess the resource: conditions decided, parameter values used, the
   * branch shown when several were assessed, loops and SAM types.
   * @default - nothing was assumed
   */
  readonly assumptions?: string[];
}

/** The evaluation of templates as written. */
export interface TemplateEvaluation extends Evaluation {
  /** What the preparation did to each stack (only stacks it changed). */
  readonly preparations: Map<string, StackPreparation>;
}

interface Run {
  readonly branch: Branch;
  readonly built: BranchStack[];
  readonly evaluation: Evaluation;
}

const key = (stackName: string, logicalId: string) => `${stackName}\u0000${logicalId}`;

function compareKeys(a: string, b: string): number {
  const [as, al] = a.split('\u0000');
  const [bs, bl] = b.split('\u0000');
  if (as !== bs) return as < bs ? -1 : 1;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/** How badly a resource is protected in one run: more gaps, more unprotected rows, fewer mechanisms is worse. */
function badness(r: ResourceAssessment, gaps: ReportGap[]): number[] {
  const unprotected = r.disruptions.filter(d => d.status === TargetStatus.UNPROTECTED || d.mechanisms.length === 0).length;
  const notMet = r.disruptions.filter(d => d.status === TargetStatus.NOT_MET).length;
  const mechanisms = r.disruptions.reduce((n, d) => n + d.mechanisms.length, 0);
  return [gaps.length, unprotected, notMet, -mechanisms, -r.restorePoints.length, r.findings.length];
}

function worse(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** What a resource's protection looks like, to tell branches apart. */
function signature(r: ResourceAssessment): string {
  return JSON.stringify(r.disruptions.map(d => [d.disruption, d.status, d.mechanisms, d.rpoSeconds, d.rtoSeconds]));
}

function summary(r: ResourceAssessment): string {
  return r.disruptions.map(d => `${d.title}: ${d.mechanisms.length ? d.mechanisms.join(' + ') : 'nothing'}`).join('; ');
}

function mergeBackup(models: BackupModel[]): BackupModel {
  const merge = <T extends { stackName: string; logicalId: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const x of list) if (!seen.has(key(x.stackName, x.logicalId))) seen.set(key(x.stackName, x.logicalId), x);
    return [...seen.entries()].sort((a, b) => compareKeys(a[0], b[0])).map(([, v]) => v);
  };
  if (models.length === 1) return models[0];
  return {
    vaults: merge(models.map(m => m.vaults)),
    plans: merge(models.map(m => m.plans)),
    selections: merge(models.map(m => m.selections)),
    restoreTestingPlans: merge(models.map(m => m.restoreTestingPlans)),
    frameworks: merge(models.map(m => m.frameworks)),
    notifications: merge(models.map(m => m.notifications)),
  };
}

/** The inputs whose values differ between two branches, for one stack. */
function differing(a: Branch, b: Branch, stackName: string): string[] {
  const x = a.get(stackName) ?? new Map();
  const y = b.get(stackName) ?? new Map();
  return [...new Set([...x.keys(), ...y.keys()])].filter(k => x.get(k) !== y.get(k)).sort();
}

function describeBranch(prep: Preparation, branch: Branch, stackName: string, inputs: string[]): string {
  const a = branch.get(stackName) ?? new Map();
  return inputs.filter(i => a.has(i)).map(i => `${i} = ${prep.label(stackName, i, a.get(i)!)}`).join(', ');
}

/** Evaluates templates as written (see the file comment). */
export function evaluateTemplates(stacks: StackTemplate[], options: EvaluateOptions = {}): TemplateEvaluation {
  const prep = new Preparation(stacks, options.region);
  const runs: Run[] = prep.branches.map(branch => {
    const built = prep.build(branch);
    return { branch, built, evaluation: evaluateStacks(built.map(b => b.stack), options) };
  });
  const preparations = prep.describe(prep.branches);

  const keys = new Set<string>();
  for (const run of runs) for (const r of run.evaluation.resources) keys.add(key(r.stackName, r.logicalId));
  // Indexes per run, so that the report takes linear time in the resources (issue 16, point 6).
  const byKey = runs.map(run => {
    const resourcesOf = new Map<string, ResourceAssessment>();
    for (const r of run.evaluation.resources) if (!resourcesOf.has(key(r.stackName, r.logicalId))) resourcesOf.set(key(r.stackName, r.logicalId), r);
    const gapsOf = new Map<string, ReportGap[]>();
    for (const g of run.evaluation.gaps) {
      const k = key(g.stackName, g.logicalId);
      const list = gapsOf.get(k);
      if (list) list.push(g);
      else gapsOf.set(k, [g]);
    }
    return { resourcesOf, gapsOf };
  });
  const resources: AssumingAssessment[] = [];
  const gaps: ReportGap[] = [];
  for (const k of [...keys].sort(compareKeys)) {
    const [stackName, logicalId] = k.split('\u0000');
    const candidates = runs.map((run, i) => {
      const r = byKey[i].resourcesOf.get(k);
      return r ? { run, r, gaps: byKey[i].gapsOf.get(k) ?? [] } : undefined;
    }).filter((x): x is { run: Run; r: ResourceAssessment; gaps: ReportGap[] } => x !== undefined);
    let chosen = candidates[0];
    for (const c of candidates.slice(1)) if (worse(badness(c.r, c.gaps), badness(chosen.r, chosen.gaps))) chosen = c;

    const built = chosen.run.built.find(b => b.stack.stackName === stackName);
    const assumptions = [...(built?.assumptions.get(logicalId) ?? [])];
    const findings = [...chosen.r.findings];
    const chosenSignature = candidates.length > 1 ? signature(chosen.r) : '';
    const others = candidates.length > 1 ? candidates.filter(c => signature(c.r) !== chosenSignature) : [];
    if (others.length) {
      const inputs = [...new Set(others.flatMap(o => differing(o.run.branch, chosen.run.branch, stackName)))].sort();
      const shown = describeBranch(prep, chosen.run.branch, stackName, inputs);
      assumptions.push(`${undecided(inputs)}, and ${inputs.length === 1 ? 'it changes' : 'they change'} how this resource is protected: each branch was assessed and this report shows the least protected one (${shown})`);
      const seen = new Set<string>();
      for (const o of others) {
        const text = describeBranch(prep, o.run.branch, stackName, inputs);
        if (seen.has(text)) continue;
        seen.add(text);
        assumptions.push(`with ${text}: ${summary(o.r)}`);
        for (const d of chosen.r.disruptions) {
          const there = o.r.disruptions.find(x => x.disruption === d.disruption);
          if (d.mechanisms.length === 0 && there && there.mechanisms.length > 0) {
            findings.push(`protected against ${disruptionTitle(d.disruption as any)} only in some branches: with ${text} by ${there.mechanisms.join(', ')}, but with ${shown} nothing protects it; make the protection unconditional`);
          }
        }
      }
    }
    const sourceType = built?.stack.template?.Resources?.[logicalId]?.Metadata?.[SOURCE_TYPE_METADATA];
    const resourceType = typeof sourceType === 'string' ? sourceType : chosen.r.resourceType;
    const out: AssumingAssessment = {
      ...chosen.r,
      resourceType,
      findings,
      ...(assumptions.length ? { assumptions } : {}),
    };
    resources.push(out);
    gaps.push(...chosen.gaps.map(g => ({ ...g, resourceType })));
  }

  const notAssessed = new Map<string, NotAssessed>();
  for (const run of runs) {
    for (const n of run.evaluation.notAssessed) {
      const k = key(n.stackName, n.logicalId);
      if (!notAssessed.has(k)) notAssessed.set(k, n);
    }
  }
  const excluded = new Map<string, any>();
  for (const run of runs) for (const e of run.evaluation.excluded) excluded.set(JSON.stringify(e), e);

  return {
    resources,
    gaps,
    notAssessed: [...notAssessed.entries()].sort((a, b) => compareKeys(a[0], b[0])).map(([, v]) => v),
    backup: mergeBackup(runs.map(r => r.evaluation.backup)),
    excluded: runs.length === 1 ? runs[0].evaluation.excluded : [...excluded.values()],
    preparations,
  };
}
