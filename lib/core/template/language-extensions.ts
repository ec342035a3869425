import { intrinsicOf, resolveKey, ResolveScope } from './intrinsics';

/**
 * The `AWS::LanguageExtensions` transform, as CloudFormation documents it
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html):
 * `Fn::ForEach::<Loop>: [Identifier, Collection, { OutputKey: OutputValue }]` in `Resources`,
 * `Conditions`, `Outputs` and resource properties, nested loops included. Every `${Identifier}`
 * and `&{Identifier}` (non-alphanumeric characters removed) in the output keys and values becomes
 * the collection's item, and `Ref: Identifier` becomes the item. The other functions of the
 * transform (`Fn::Length`, `Fn::ToJsonString`, `Fn::FindInMap` with `DefaultValue`, intrinsic
 * functions in `DeletionPolicy` and `UpdateReplacePolicy`) are resolved with the rest of the
 * template (see intrinsics.ts).
 */

/** Prefix of a loop's key. */
export const FOR_EACH = 'Fn::ForEach::';

/** Type given to a loop drkit cannot expand, so the report lists it as not assessed. */
export const UNEXPANDED_LOOP_TYPE = 'Fn::ForEach';

/** The result of expanding the loops of one section. */
export interface Expansion {
  /** The section with its loops expanded. */
  readonly value: any;
  /** Sentences on keys that came from loops whose collection drkit could not list, by output key. */
  readonly notes: Map<string, string[]>;
}

/** The value of a loop's identifier while expanding: a known item, or an item only the deployment knows. */
interface Binding {
  readonly name: string;
  /** The item, when known. */
  readonly value?: string;
  /** What the collection is, for people, when its items are unknown. */
  readonly unknownCollection?: string;
}

/** Keeps letters and digits only (`&{Identifier}`). */
function alnum(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '');
}

/** Replaces `${Name}` and `&{Name}` of the bindings in a string; unknown items become `<Name>`. */
function substitute(s: string, bindings: Binding[], forKey: boolean): string {
  let out = s;
  for (const b of bindings) {
    const plain = b.value ?? (forKey ? `<${b.name}>` : undefined);
    const stripped = b.value !== undefined ? alnum(b.value) : (forKey ? `<${b.name}>` : undefined);
    if (plain !== undefined) out = out.split(`\${${b.name}}`).join(plain);
    if (stripped !== undefined) out = out.split(`&{${b.name}}`).join(stripped);
  }
  return out;
}

/** Applies the loop bindings to a fragment: strings, `Ref: Identifier`, `Fn::Sub` texts, nested keys. */
function bind(v: any, bindings: Binding[]): any {
  if (bindings.length === 0) return v;
  if (typeof v === 'string') return substitute(v, bindings, false);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(x => bind(x, bindings));
  if (intrinsicOf(v) === 'Ref' && typeof v.Ref === 'string') {
    const b = bindings.find(x => x.name === v.Ref);
    if (b) return b.value !== undefined ? b.value : v;
  }
  const out: any = {};
  for (const [k, x] of Object.entries(v)) {
    // A nested loop keeps its own key: its identifier may shadow ours, and its output keys are bound when it is expanded.
    const inner = bindings.filter(b => !(k.startsWith(FOR_EACH) && Array.isArray(x) && x[0] === b.name));
    out[k.startsWith(FOR_EACH) ? k : substitute(k, bindings, true)] = bind(x, inner);
  }
  return out;
}

/** A description of a collection, for people (`parameter Tables`, `[a, b]`...). */
function describeCollection(raw: any): string {
  if (raw && typeof raw === 'object' && typeof raw.Ref === 'string') return `parameter ${raw.Ref}`;
  if (raw && typeof raw === 'object') return JSON.stringify(raw).slice(0, 120);
  return String(raw);
}

/** The items of a loop's collection, or undefined when they are not known statically. */
function itemsOf(raw: any, scope: ResolveScope, outer: Binding[]): string[] | undefined {
  const bound = bind(raw, outer);
  let v = resolveKey(bound, scope);
  if (typeof v === 'string' && scope.parameters.has(v)) v = scope.parameters.get(v);
  if (typeof v === 'string' && v.includes(',')) v = v.split(',').map(x => x.trim());
  if (!Array.isArray(v)) return undefined;
  const items = v.map(x => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined));
  return items.every(x => x !== undefined) ? items as string[] : undefined;
}

/**
 * Expands every `Fn::ForEach::` key of an object (a template section or a resource's properties),
 * recursively. A loop whose collection drkit cannot list (a parameter with no default, an import)
 * is expanded once with its items unknown: output keys read `<Identifier>` and `Ref: Identifier`
 * stays unresolved, so what the loop creates is assessed once for every item. A loop that is not
 * a three-item list is left under its own key, for the caller to report.
 */
export function expandForEach(section: any, scope: ResolveScope, outer: Binding[] = []): Expansion {
  const notes = new Map<string, string[]>();
  const value = expandObject(section, scope, outer, notes, []);
  return { value, notes };
}

function expandObject(v: any, scope: ResolveScope, outer: Binding[], notes: Map<string, string[]>, inherited: string[]): any {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(x => expandObject(x, scope, outer, notes, inherited));
  const out: any = {};
  for (const [k, x] of Object.entries(v)) {
    if (!k.startsWith(FOR_EACH)) {
      const child = expandObject(x, scope, outer, new Map(), inherited);
      out[k] = child;
      continue;
    }
    if (!Array.isArray(x) || x.length !== 3 || typeof x[0] !== 'string' || !x[2] || typeof x[2] !== 'object' || Array.isArray(x[2])) {
      out[k] = x; // malformed: CloudFormation rejects it; the caller lists it as not assessed
      continue;
    }
    const [name, collection, fragment] = x;
    const items = itemsOf(collection, scope, outer);
    const runs: Binding[] = items
      ? items.map(value => ({ name, value }))
      : [{ name, unknownCollection: describeCollection(collection) }];
    for (const b of runs) {
      const bindings = [...outer.filter(o => o.name !== name), b];
      const note = b.unknownCollection !== undefined
        ? [`created by ${k} once per item of ${b.unknownCollection}, whose items drkit cannot list (no default value): assessed once, for every item`]
        : [`created by ${k} with ${name} = ${JSON.stringify(b.value)}`];
      const boundFragment = bind(fragment, bindings);
      const expanded = expandObject(boundFragment, scope, bindings, notes, [...inherited, ...note]);
      for (const [ok, ov] of Object.entries(expanded)) {
        out[ok] = ov;
        // A nested loop has already noted its own keys, with ours inherited.
        if (!notes.has(ok) && (inherited.length || note.length)) notes.set(ok, [...inherited, ...note]);
      }
    }
  }
  return out;
}

/** True when a value has a `Fn::ForEach::` key anywhere. */
export function hasForEach(v: any): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasForEach);
  return Object.entries(v).some(([k, x]) => k.startsWith(FOR_EACH) || hasForEach(x));
}

/** The transforms a template declares (`Transform`: a string or a list). */
export function transformsOf(template: any): string[] {
  const t = template?.Transform;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.map(x => (typeof x === 'string' ? x : typeof x?.Name === 'string' ? x.Name : JSON.stringify(x)));
  if (t && typeof t === 'object' && typeof t.Name === 'string') return [t.Name];
  return [];
}
