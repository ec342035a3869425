import {
  ANY_OTHER, conditionsIn, conditionValue, evaluateCondition, intrinsicOf, isLiteral, parametersIn, resolveKey, ResolveScope, resolveValue,
} from './intrinsics';
import { expandForEach, FOR_EACH, hasForEach, transformsOf, UNEXPANDED_LOOP_TYPE } from './language-extensions';
import { ASSUMPTIONS_METADATA, NESTED_STACK_METADATA, NOT_ASSESSED_METADATA } from './metadata';
import { translateSam } from './sam';
import { StackTemplate } from '../report/types';

/**
 * Turning a template as written into the templates CloudFormation would deploy, the way a
 * reviewer reads it: language extensions expanded, SAM's stateful types translated, parameters
 * at their defaults, conditions decided, and, where a condition depends on something only the
 * deployment knows (a parameter with no default, the region of a bare template), each branch.
 */

const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const SERVERLESS = 'AWS::Serverless-2016-10-31';

/** At most this many branch combinations are assessed in full; beyond, each input is varied on its own. */
export const MAX_BRANCHES = 32;

/** How a parameter was treated, for people and for the report. */
export interface ParameterTreatment {
  readonly name: string;
  /** `default` (its default was used), `each-value` (each value was assessed) or `unknown` (left unresolved). */
  readonly treatment: string;
  /** The value used, when one value was used. */
  readonly value?: string;
  /** The values assessed, when each was. */
  readonly values?: string[];
}

/** A condition and its value, for the report. */
export interface ConditionTreatment {
  readonly name: string;
  /** `true`, `false`, or `each branch`. */
  readonly value: string;
  /** Why, for people. */
  readonly because: string;
}

/** A resource the assessed branches never create. */
export interface OmittedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly reason: string;
}

/** What the preparation of one stack did, for the report (`stacks[]` of the JSON document). */
export interface StackPreparation {
  readonly transforms: string[];
  readonly parameters: ParameterTreatment[];
  readonly conditions: ConditionTreatment[];
  readonly omitted: OmittedResource[];
  readonly notes: string[];
}

/** An input a branch decides: a parameter with no default (or a pseudo parameter not known) and its candidate values. */
interface BranchInput {
  readonly name: string;
  readonly values: string[];
  /** Label of the value standing for "any other value". */
  readonly otherLabel?: string;
}

/** One stack, expanded and translated, before conditions are decided. */
interface StaticStack {
  readonly stack: StackTemplate;
  readonly template: any;
  readonly known: Map<string, any>;
  readonly paramDefs: any;
  readonly inputs: BranchInput[];
  readonly usedConditions: Set<string>;
  readonly transforms: string[];
  readonly notes: string[];
  /** True when nothing needs resolving: the template is used as written. */
  readonly asWritten: boolean;
  /** The stack's region, or the default region given for stacks without one. */
  readonly region?: string;
}

/** A branch: a value for each input of each stack. */
export type Branch = Map<string, Map<string, string>>;

/** A stack decided for one branch, with what the resolution assumed per resource. */
export interface BranchStack {
  readonly stack: StackTemplate;
  /** Sentences per logical id (conditions decided, parameter values used, policies). */
  readonly assumptions: Map<string, string[]>;
  /** Relevant inputs per logical id (the branch inputs its conditions and references depend on). */
  readonly inputsOf: Map<string, string[]>;
  readonly omitted: OmittedResource[];
}

/** The preparation of a set of stacks: the branches to assess and how to build each. */
export class Preparation {
  /** The branches to assess; the first is the defaults-first one. */
  public readonly branches: Branch[];
  private readonly statics: StaticStack[];

  /**
   * @param stacks the stacks as given
   * @param defaultRegion the region of stacks whose region is unknown (`drkit report --region`)
   */
  constructor(stacks: StackTemplate[], defaultRegion?: string) {
    const marked = markNestedStacks(stacks);
    this.statics = marked.map(s => prepareStatic(s, defaultRegion));
    this.branches = enumerateBranches(this.statics);
  }

  /** True when some stack has more than one branch. */
  public get branching(): boolean {
    return this.branches.length > 1;
  }

  /** The inputs of a stack (its undecided parameters), with their candidate values. */
  public inputsOf(stackName: string): Array<{ name: string; values: string[] }> {
    return this.statics.find(s => s.stack.stackName === stackName)?.inputs.map(i => ({ name: i.name, values: i.values })) ?? [];
  }

  /** The label of an input's value, for people (`prod`, or `a value other than prod, dev`). */
  public label(stackName: string, input: string, value: string): string {
    const i = this.statics.find(s => s.stack.stackName === stackName)?.inputs.find(x => x.name === input);
    return value === OTHER && i?.otherLabel ? i.otherLabel : JSON.stringify(value);
  }

  /** The stacks of one branch. */
  public build(branch: Branch): BranchStack[] {
    return this.statics.map(s => decide(s, branch.get(s.stack.stackName) ?? new Map()));
  }

  /** What the preparation did to each stack, for the report. */
  public describe(branches: Branch[]): Map<string, StackPreparation> {
    const out = new Map<string, StackPreparation>();
    for (const s of this.statics) {
      if (s.asWritten) continue;
      const assignments = branches.map(b => b.get(s.stack.stackName) ?? new Map<string, string>());
      const first = decide(s, assignments[0]);
      const omittedEverywhere = first.omitted.filter(o => assignments.every(a => decide(s, a).omitted.some(x => x.logicalId === o.logicalId)));
      out.set(s.stack.stackName, {
        transforms: s.transforms,
        parameters: parameterTreatments(s),
        conditions: conditionTreatments(s, assignments),
        omitted: omittedEverywhere,
        notes: s.notes,
      });
    }
    return out;
  }
}

/** Stands for "a value other than those the template compares the input with". */
const OTHER = ANY_OTHER;

function clone(v: any): any {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Marks each `AWS::CloudFormation::Stack` whose template is in the input with the nested stack's name. */
function markNestedStacks(stacks: StackTemplate[]): StackTemplate[] {
  const children = stacks.filter(s => s.parentStackName !== undefined && s.parentLogicalId !== undefined);
  if (children.length === 0) return stacks;
  return stacks.map(s => {
    const mine = children.filter(c => c.parentStackName === s.stackName);
    if (mine.length === 0) return s;
    const template = clone(s.template);
    for (const c of mine) {
      const r = template?.Resources?.[c.parentLogicalId!];
      if (r && typeof r === 'object') r.Metadata = { ...(r.Metadata ?? {}), [NESTED_STACK_METADATA]: c.stackName };
    }
    return { ...s, template };
  });
}

const LIST_TYPE = /^(CommaDelimitedList|List<.*>)$/;

/** Known parameter values: defaults, except SSM parameter types (whose default is a parameter name, not a value). */
function knownParameters(paramDefs: any): Map<string, any> {
  const out = new Map<string, any>();
  for (const [name, def] of Object.entries<any>(paramDefs ?? {})) {
    if (!def || typeof def !== 'object' || def.Default === undefined) continue;
    const type = String(def.Type ?? 'String');
    if (type.startsWith('AWS::SSM::Parameter::Value<')) continue;
    out.set(name, LIST_TYPE.test(type) && typeof def.Default === 'string' ? def.Default.split(',').map((x: string) => x.trim()) : def.Default);
  }
  return out;
}

function scopeOf(s: { template: any; known: Map<string, any>; stack: StackTemplate; region?: string },
  assignment: Map<string, string>): ResolveScope {
  const parameters = new Map(s.known);
  const pseudo = new Map<string, string>([['AWS::Partition', 'aws'], ['AWS::URLSuffix', 'amazonaws.com']]);
  const region = s.region ?? s.stack.region;
  if (region) pseudo.set('AWS::Region', region);
  if (s.stack.account) pseudo.set('AWS::AccountId', s.stack.account);
  for (const [k, v] of assignment) {
    if (k.startsWith('AWS::')) pseudo.set(k, v);
    else parameters.set(k, v);
  }
  return { parameters, mappings: s.template?.Mappings ?? {}, conditions: new Map(), conditionDefs: s.template?.Conditions ?? {}, pseudo };
}

/** True when a template needs no resolution: no transform, condition, mapping, usable parameter, loop or SAM type. */
function asWritten(template: any, known: Map<string, any>): boolean {
  if (transformsOf(template).length) return false;
  if (template?.Conditions && Object.keys(template.Conditions).length) return false;
  if (template?.Mappings && Object.keys(template.Mappings).length) return false;
  const params = Object.values<any>(template?.Parameters ?? {});
  if (known.size > 0 || params.some(p => Array.isArray(p?.AllowedValues))) return false;
  const resources = template?.Resources ?? {};
  if (Object.keys(resources).some(k => k.startsWith(FOR_EACH))) return false;
  for (const r of Object.values<any>(resources)) {
    if (r?.Type === 'AWS::Serverless::SimpleTable') return false;
    if ((r?.DeletionPolicy !== undefined && typeof r.DeletionPolicy !== 'string') || (r?.UpdateReplacePolicy !== undefined && typeof r.UpdateReplacePolicy !== 'string')) return false;
  }
  return true;
}

function addAssumption(resource: any, sentence: string): void {
  const m = resource.Metadata && typeof resource.Metadata === 'object' ? resource.Metadata : {};
  const list = Array.isArray(m[ASSUMPTIONS_METADATA]) ? m[ASSUMPTIONS_METADATA] : [];
  resource.Metadata = { ...m, [ASSUMPTIONS_METADATA]: [...list, sentence] };
}

function prepareStatic(stack: StackTemplate, defaultRegion?: string): StaticStack {
  const original = stack.template ?? {};
  const paramDefs = original.Parameters ?? {};
  const known = knownParameters(paramDefs);
  if (asWritten(original, known)) {
    const region = stack.region ?? defaultRegion;
    return { stack, template: original, known, paramDefs, inputs: [], usedConditions: new Set(), transforms: [], notes: [], asWritten: true, region };
  }
  const template = clone(original);
  const transforms = transformsOf(template);
  const notes: string[] = [];
  for (const t of transforms) {
    if (t !== LANGUAGE_EXTENSIONS && t !== SERVERLESS) {
      notes.push(`the template uses the macro ${t}, which drkit does not run: resources it adds or changes are not in this report; assess the processed template (aws cloudformation get-template --template-stage Processed)`);
    }
  }
  const regionOf = { ...stack, region: stack.region ?? defaultRegion };
  const baseScope = scopeOf({ template, known, stack: regionOf }, new Map());

  // AWS::LanguageExtensions: loops in Resources, Conditions and Outputs (and inside properties).
  if (transforms.includes(LANGUAGE_EXTENSIONS)) {
    for (const section of ['Conditions', 'Outputs']) {
      if (template[section]) template[section] = expandForEach(template[section], baseScope).value;
    }
    const e = expandForEach(template.Resources ?? {}, baseScope);
    template.Resources = e.value;
    for (const [id, sentences] of e.notes) {
      const r = template.Resources[id];
      if (r && typeof r === 'object') for (const s of sentences) addAssumption(r, s);
    }
  }
  // Loops left: malformed, or without the transform. CloudFormation rejects both: listed as not assessed.
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (!id.startsWith(FOR_EACH) && !(r && typeof r === 'object' && hasForEach(r.Properties) && !transforms.includes(LANGUAGE_EXTENSIONS))) continue;
    const reason = !transforms.includes(LANGUAGE_EXTENSIONS)
      ? `${id.startsWith(FOR_EACH) ? id : `${id} uses Fn::ForEach, which`} needs Transform: ${LANGUAGE_EXTENSIONS}: CloudFormation rejects the template as written, so drkit does not expand it; add the transform`
      : `${id} is not a loop CloudFormation accepts (Fn::ForEach::<name>: [Identifier, Collection, {OutputKey: OutputValue}]), so drkit cannot expand it: check the template with cfn-lint`;
    template.Resources[id] = { Type: id.startsWith(FOR_EACH) ? UNEXPANDED_LOOP_TYPE : r?.Type, Metadata: { [NOT_ASSESSED_METADATA]: reason } };
  }
  // AWS SAM: the types that hold data, as SAM deploys them.
  const sam = translateSam(template);
  template.Resources = sam.resources;

  const usedConditions = usedConditionsOf(template);
  const inputs = branchInputs(template, known, paramDefs, usedConditions, regionOf);
  return { stack, template, known, paramDefs, inputs, usedConditions, transforms, notes, asWritten: false, region: regionOf.region };
}

/** Conditions the resources depend on (their `Condition`, `Fn::If` inside them), with the conditions those refer to. */
function usedConditionsOf(template: any): Set<string> {
  const used = new Set<string>();
  for (const r of Object.values<any>(template.Resources ?? {})) {
    if (!r || typeof r !== 'object') continue;
    if (typeof r.Condition === 'string') used.add(r.Condition);
    conditionsIn([r.Properties, r.DeletionPolicy, r.UpdateReplacePolicy], used);
  }
  const defs = template.Conditions ?? {};
  const queue = [...used];
  while (queue.length) {
    const c = queue.pop()!;
    for (const d of conditionsIn(defs[c])) {
      if (!used.has(d)) {
        used.add(d);
        queue.push(d);
      }
    }
  }
  return used;
}

/** Literals an input is compared with in `Fn::Equals` (in the given condition definitions). */
function comparedLiterals(defs: any[], input: string): string[] {
  const out = new Set<string>();
  const isInput = (x: any) => (intrinsicOf(x) === 'Ref' && x.Ref === input);
  const walk = (v: any) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (intrinsicOf(v) === 'Fn::Equals' && Array.isArray(v['Fn::Equals']) && v['Fn::Equals'].length === 2) {
      const [a, b] = v['Fn::Equals'];
      if (isInput(a) && (typeof b === 'string' || typeof b === 'number' || typeof b === 'boolean')) out.add(String(b));
      if (isInput(b) && (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean')) out.add(String(a));
    }
    Object.values(v).forEach(walk);
  };
  defs.forEach(walk);
  return [...out].sort();
}

function branchInputs(template: any, known: Map<string, any>, paramDefs: any, used: Set<string>, stack: StackTemplate): BranchInput[] {
  const defs = [...used].sort().map(c => template.Conditions?.[c]);
  const unknownParams = new Set(Object.keys(paramDefs ?? {}).filter(p => !known.has(p)));
  const pseudo = new Set<string>();
  if (!stack.region) pseudo.add('AWS::Region');
  if (!stack.account) pseudo.add('AWS::AccountId');
  const names = new Set<string>([...unknownParams, ...pseudo]);
  const inConditions = parametersIn(defs, names);
  // A parameter with no default but a closed list of values, referenced by a resource, is an input too.
  const inResources = new Set<string>();
  for (const r of Object.values<any>(template.Resources ?? {})) {
    if (!r || typeof r !== 'object') continue;
    parametersIn([r.Properties, r.DeletionPolicy, r.UpdateReplacePolicy], unknownParams, inResources);
  }
  const out: BranchInput[] = [];
  for (const name of [...new Set([...inConditions, ...inResources])].sort()) {
    const allowed = paramDefs?.[name]?.AllowedValues;
    if (Array.isArray(allowed) && allowed.length > 0 && allowed.length <= 8 && allowed.every((x: any) => typeof x !== 'object')) {
      out.push({ name, values: allowed.map((x: any) => String(x)) });
      continue;
    }
    if (!inConditions.has(name)) continue; // referenced only as a value: left unresolved
    const literals = comparedLiterals(defs, name);
    out.push({
      name,
      values: [...literals, OTHER],
      otherLabel: literals.length ? `a value other than ${literals.map(l => JSON.stringify(l)).join(', ')}` : 'any value',
    });
  }
  return out;
}

/** The branches: every combination of inputs when few, else each input varied on its own. */
function enumerateBranches(statics: StaticStack[]): Branch[] {
  const all: Array<{ stack: string; input: BranchInput }> = [];
  for (const s of statics) for (const i of s.inputs) all.push({ stack: s.stack.stackName, input: i });
  const base = (): Branch => {
    const b: Branch = new Map();
    for (const s of statics) b.set(s.stack.stackName, new Map(s.inputs.map(i => [i.name, i.values[0]])));
    return b;
  };
  const total = all.reduce((n, x) => n * x.input.values.length, 1);
  if (total <= MAX_BRANCHES) {
    let branches: Branch[] = [base()];
    for (const { stack, input } of all) {
      const next: Branch[] = [];
      for (const b of branches) {
        for (const v of input.values) {
          const copy: Branch = new Map([...b].map(([k, m]) => [k, new Map(m)]));
          copy.get(stack)!.set(input.name, v);
          next.push(copy);
        }
      }
      branches = next;
    }
    return branches;
  }
  const branches: Branch[] = [base()];
  for (const { stack, input } of all) {
    for (const v of input.values.slice(1)) {
      const b = base();
      b.get(stack)!.set(input.name, v);
      branches.push(b);
    }
  }
  return branches;
}

function describeInputs(s: StaticStack, names: Iterable<string>, assignment: Map<string, string>, scope: ResolveScope): string {
  const parts: string[] = [];
  for (const n of [...names].sort()) {
    if (assignment.has(n)) {
      const v = assignment.get(n)!;
      const input = s.inputs.find(i => i.name === n);
      parts.push(`${n} = ${v === OTHER ? input?.otherLabel ?? 'another value' : JSON.stringify(v)}`);
    } else if (scope.parameters.has(n)) {
      parts.push(`${n} = ${JSON.stringify(scope.parameters.get(n))} (default)`);
    } else if (scope.pseudo.has(n)) {
      parts.push(`${n} = ${JSON.stringify(scope.pseudo.get(n))}`);
    }
  }
  return parts.join(', ');
}

/** Inputs (parameters and pseudo parameters) a condition depends on, through the conditions it refers to. */
function inputsOfCondition(s: StaticStack, name: string, seen: Set<string> = new Set()): Set<string> {
  const out = new Set<string>();
  if (seen.has(name)) return out;
  seen.add(name);
  const def = s.template.Conditions?.[name];
  const names = new Set<string>([...Object.keys(s.paramDefs ?? {}), 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix']);
  for (const p of parametersIn(def, names)) out.add(p);
  for (const c of conditionsIn(def)) for (const p of inputsOfCondition(s, c, seen)) out.add(p);
  return out;
}

function conditionSentence(s: StaticStack, name: string, value: boolean | undefined, assignment: Map<string, string>, scope: ResolveScope,
  whenUnknown: string): string {
  const inputs = inputsOfCondition(s, name);
  const varied = [...inputs].filter(i => assignment.has(i));
  const why = describeInputs(s, inputs, assignment, scope);
  if (value === undefined) return `condition ${name} depends on something drkit cannot know${why ? ` (${why})` : ''}: ${whenUnknown}`;
  if (varied.length === 0) return `condition ${name} is ${value}${why ? ` with ${why}` : ''}`;
  return `condition ${name} is ${value} in this branch (${why}); ${undecided(varied)}, so each branch was assessed`;
}

/** Why inputs were varied, for people: parameters with no default, or the stack's unknown region or account. */
export function undecided(inputs: string[]): string {
  const params = inputs.filter(i => !i.startsWith('AWS::'));
  const pseudo = inputs.filter(i => i.startsWith('AWS::'));
  const parts: string[] = [];
  if (params.length) parts.push(`${params.join(', ')} ${params.length === 1 ? 'has' : 'have'} no default`);
  if (pseudo.includes('AWS::Region')) parts.push('the stack\'s region is not known (give it with drkit report --region)');
  if (pseudo.includes('AWS::AccountId')) parts.push('the stack\'s account is not known');
  return parts.join(' and ');
}

/** Decides a stack's conditions and resolves its resources for one assignment of its inputs. */
function decide(s: StaticStack, assignment: Map<string, string>): BranchStack {
  const assumptions = new Map<string, string[]>();
  const inputsOf = new Map<string, string[]>();
  if (s.asWritten) return { stack: s.stack, assumptions, inputsOf, omitted: [] };
  const scope = scopeOf(s, assignment);
  const resources: any = {};
  const omitted: OmittedResource[] = [];
  const paramNames = new Set(Object.keys(s.paramDefs ?? {}));
  for (const id of Object.keys(s.template.Resources ?? {}).sort()) {
    const r = s.template.Resources[id];
    if (!r || typeof r !== 'object') {
      resources[id] = r;
      continue;
    }
    const notes: string[] = [];
    const relevant = new Set<string>();
    const staticNotes = Array.isArray(r.Metadata?.[ASSUMPTIONS_METADATA]) ? r.Metadata[ASSUMPTIONS_METADATA] : [];
    if (typeof r.Condition === 'string') {
      const v = conditionValue(r.Condition, scope);
      for (const i of inputsOfCondition(s, r.Condition)) relevant.add(i);
      if (v === false) {
        omitted.push({ logicalId: id, resourceType: String(r.Type ?? ''), reason: `not created: ${conditionSentence(s, r.Condition, v, assignment, scope, '')}` });
        continue;
      }
      notes.push(`created because ${conditionSentence(s, r.Condition, v, assignment, scope, 'assessed as created')}`);
    }
    for (const c of [...conditionsIn([r.Properties, r.DeletionPolicy, r.UpdateReplacePolicy])].sort()) {
      for (const i of inputsOfCondition(s, c)) relevant.add(i);
      notes.push(`Fn::If: ${conditionSentence(s, c, conditionValue(c, scope), assignment, scope, 'the Fn::If is left unresolved and read as not set')}`);
    }
    const used = parametersIn([r.Properties, r.DeletionPolicy, r.UpdateReplacePolicy], paramNames);
    for (const p of used) if (assignment.has(p)) relevant.add(p);
    const defaults = [...used].filter(p => !assignment.has(p) && scope.parameters.has(p)).sort();
    if (defaults.length) notes.push(`parameter defaults used: ${defaults.map(p => `${p} = ${JSON.stringify(scope.parameters.get(p))}`).join(', ')}`);
    const branchValues = [...used].filter(p => assignment.has(p)).sort();
    if (branchValues.length) notes.push(`assessed with ${describeInputs(s, branchValues, assignment, scope)} (${undecided(branchValues)}: each value was assessed)`);

    const out: any = { ...r };
    if (r.Properties !== undefined) out.Properties = resolveValue(r.Properties, scope) ?? {};
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      if (r[policy] === undefined || typeof r[policy] === 'string') continue;
      const v = resolveValue(r[policy], scope);
      if (typeof v === 'string') {
        out[policy] = v;
        notes.push(`${policy} ${JSON.stringify(v)}, from ${JSON.stringify(r[policy])}`);
      } else {
        delete out[policy];
        notes.push(`${policy} is ${JSON.stringify(r[policy])}, which drkit cannot resolve: read as absent (CloudFormation's default applies)`);
      }
    }
    const all = [...staticNotes, ...notes];
    if (all.length) assumptions.set(id, all);
    if (relevant.size) inputsOf.set(id, [...relevant].filter(i => assignment.has(i)).sort());
    resources[id] = out;
  }
  const template = { ...s.template, Resources: resources };
  return { stack: { ...s.stack, template }, assumptions, inputsOf, omitted };
}

function parameterTreatments(s: StaticStack): ParameterTreatment[] {
  const referenced = new Set<string>();
  const names = new Set(Object.keys(s.paramDefs ?? {}));
  for (const c of s.usedConditions) parametersIn(s.template.Conditions?.[c], names, referenced);
  for (const r of Object.values<any>(s.template.Resources ?? {})) {
    if (r && typeof r === 'object') parametersIn([r.Properties, r.DeletionPolicy, r.UpdateReplacePolicy], names, referenced);
  }
  return [...referenced].sort().map(name => {
    const input = s.inputs.find(i => i.name === name);
    if (input) return { name, treatment: 'each-value', values: input.values.map(v => (v === OTHER ? input.otherLabel ?? 'another value' : v)) };
    if (s.known.has(name)) {
      const v = s.known.get(name);
      return { name, treatment: 'default', value: Array.isArray(v) ? v.join(',') : String(v) };
    }
    return { name, treatment: 'unknown' };
  });
}

function conditionTreatments(s: StaticStack, assignments: Array<Map<string, string>>): ConditionTreatment[] {
  const out: ConditionTreatment[] = [];
  for (const name of [...s.usedConditions].sort()) {
    const values = new Set(assignments.map(a => {
      const v = conditionValue(name, scopeOf(s, a));
      return v === undefined ? 'unknown' : String(v);
    }));
    const scope = scopeOf(s, assignments[0]);
    const inputs = inputsOfCondition(s, name);
    if (values.size === 1) {
      const v = [...values][0];
      const why = describeInputs(s, inputs, assignments[0], scope);
      out.push({ name, value: v, because: v === 'unknown' ? `it depends on something drkit cannot know${why ? ` (${why})` : ''}` : why ? `with ${why}` : 'as written' });
    } else {
      const varied = [...inputs].filter(i => assignments[0].has(i)).sort();
      out.push({ name, value: 'each branch', because: `${undecided(varied)}: each value was assessed` });
    }
  }
  return out;
}

/** Re-exported for tests: evaluates one condition expression with parameter values. */
export function evaluateConditionWith(expr: any, conditionDefs: any, parameters: { [name: string]: any },
  pseudo: { [name: string]: string } = {}): boolean | undefined {
  const scope: ResolveScope = {
    parameters: new Map(Object.entries(parameters)), mappings: {}, conditions: new Map(), conditionDefs, pseudo: new Map(Object.entries(pseudo)),
  };
  return evaluateCondition(expr, scope);
}

/** Re-exported for tests: resolves a value with parameter values and mappings. */
export function resolveWith(v: any, parameters: { [name: string]: any }, mappings: any = {}, conditions: { [name: string]: boolean } = {}): any {
  const scope: ResolveScope = {
    parameters: new Map(Object.entries(parameters)), mappings, conditions: new Map(Object.entries(conditions)), conditionDefs: {}, pseudo: new Map(),
  };
  return isLiteral(v) ? v : resolveValue(v, scope) ?? resolveKey(v, scope);
}
