/**
 * Static evaluation of CloudFormation's pure intrinsic functions: what a reviewer does by hand
 * when reading a template with its parameter defaults. A value that depends on something only
 * the deployment knows (a parameter with no default, a resource attribute, an import) is left as
 * written, so the evaluators downstream see it as unknown and never guess.
 */

/** Marker for `AWS::NoValue`: the property or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Values known for one evaluation of a template. */
export interface ResolveScope {
  /** Parameter values (a string, or a list for list types); a parameter absent here is unknown. */
  readonly parameters: Map<string, any>;
  /** The template's `Mappings`. */
  readonly mappings: any;
  /** Condition values decided so far; a condition absent here is evaluated on demand. */
  readonly conditions: Map<string, boolean | undefined>;
  /** The template's `Conditions` definitions. */
  readonly conditionDefs: any;
  /** Pseudo parameters known (`AWS::Region`, `AWS::AccountId`, `AWS::Partition`...). */
  readonly pseudo: Map<string, string>;
}

const INTRINSIC_KEYS = new Set([
  'Ref', 'Condition', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Fn::FindInMap', 'Fn::Select', 'Fn::Split',
  'Fn::Base64', 'Fn::Cidr', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not',
  'Fn::Length', 'Fn::ToJsonString', 'Fn::Transform',
]);

/** The intrinsic function of `v` (`Ref`, `Fn::If`...), when `v` is a one-key object naming one. */
export function intrinsicOf(v: any): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  return INTRINSIC_KEYS.has(keys[0]) ? keys[0] : undefined;
}

/** True when `v` holds no intrinsic function anywhere (a literal string, number, boolean, list or map). */
export function isLiteral(v: any): boolean {
  if (v === null || typeof v !== 'object') return v !== undefined;
  if (Array.isArray(v)) return v.every(isLiteral);
  if (intrinsicOf(v)) return false;
  return Object.values(v).every(isLiteral);
}

function scalar(v: any): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * A branch value standing for "a value other than those the template compares the parameter
 * with": unequal to every literal in conditions, and never written into a property.
 */
export const ANY_OTHER = '\u0000other';

/** The value of a parameter or pseudo parameter; pseudo parameters (and ANY_OTHER) only for conditions and keys. */
function refValue(name: string, scope: ResolveScope, withPseudo: boolean): any {
  if (scope.parameters.has(name)) {
    const v = scope.parameters.get(name);
    return v === ANY_OTHER && !withPseudo ? undefined : v;
  }
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (withPseudo && scope.pseudo.has(name)) return scope.pseudo.get(name);
  return undefined;
}

/**
 * Evaluates a condition expression: true, false, or undefined when it depends on something
 * unknown. `Fn::Equals` of two identical unresolved expressions is true.
 */
export function evaluateCondition(expr: any, scope: ResolveScope, seen: string[] = []): boolean | undefined {
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'string' && (expr === 'true' || expr === 'false')) return expr === 'true';
  const fn = intrinsicOf(expr);
  if (fn === 'Condition') return conditionValue(String(expr.Condition), scope, seen);
  const args = fn ? expr[fn] : undefined;
  if (fn === 'Fn::Equals' && Array.isArray(args) && args.length === 2) {
    const a = resolveKey(args[0], scope);
    const b = resolveKey(args[1], scope);
    const sa = scalar(a);
    const sb = scalar(b);
    if (sa !== undefined && sb !== undefined) return sa === sb;
    if (isLiteral(a) && isLiteral(b)) return JSON.stringify(a) === JSON.stringify(b);
    if (JSON.stringify(a) === JSON.stringify(b)) return true;
    return undefined;
  }
  if (fn === 'Fn::Not' && Array.isArray(args) && args.length === 1) {
    const x = evaluateCondition(args[0], scope, seen);
    return x === undefined ? undefined : !x;
  }
  if ((fn === 'Fn::And' || fn === 'Fn::Or') && Array.isArray(args)) {
    const vals = args.map(a => evaluateCondition(a, scope, seen));
    if (fn === 'Fn::And') {
      if (vals.some(x => x === false)) return false;
      return vals.every(x => x === true) ? true : undefined;
    }
    if (vals.some(x => x === true)) return true;
    return vals.every(x => x === false) ? false : undefined;
  }
  return undefined;
}

/** The value of a named condition (undefined: unknown, or not defined). */
export function conditionValue(name: string, scope: ResolveScope, seen: string[] = []): boolean | undefined {
  if (scope.conditions.has(name)) return scope.conditions.get(name);
  if (seen.includes(name)) return undefined; // a cycle: CloudFormation rejects it; drkit does not guess
  const def = scope.conditionDefs?.[name];
  if (def === undefined) return undefined;
  const v = evaluateCondition(def, scope, [...seen, name]);
  scope.conditions.set(name, v);
  return v;
}

/**
 * Resolves a value used as a key, an index or an operand (of `Fn::Equals`, `Fn::FindInMap`,
 * `Fn::Select`, `Fn::ForEach`'s collection): like `resolveValue`, with pseudo parameters known.
 */
export function resolveKey(v: any, scope: ResolveScope): any {
  return resolve(v, scope, true);
}

/**
 * Resolves the pure intrinsic functions of a value: `Ref` to a parameter whose value is known,
 * `Fn::If` on a decided condition, `Fn::FindInMap` (with the language extensions' `DefaultValue`),
 * `Fn::Select`, `Fn::Join`, `Fn::Split`, `Fn::Sub` over known names, `Fn::Length` and
 * `Fn::ToJsonString`. `AWS::NoValue` removes the property or list item. Pseudo parameters stay as
 * written (the evaluators know the stack's region and account).
 */
export function resolveValue(v: any, scope: ResolveScope): any {
  const out = resolve(v, scope, false);
  return out === NO_VALUE ? undefined : out;
}

function resolve(v: any, scope: ResolveScope, withPseudo: boolean): any {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    return v.map(x => resolve(x, scope, withPseudo)).filter(x => x !== NO_VALUE);
  }
  const fn = intrinsicOf(v);
  if (!fn) {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) {
      const r = resolve(x, scope, withPseudo);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }
  const args = v[fn];
  switch (fn) {
    case 'Ref': {
      const target = typeof args === 'string' ? args : scalar(resolve(args, scope, true));
      if (target === undefined) return { Ref: resolve(args, scope, withPseudo) };
      const value = refValue(target, scope, withPseudo);
      return value !== undefined ? value : { Ref: target };
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3) return v;
      const c = conditionValue(String(args[0]), scope);
      if (c === true) return resolve(args[1], scope, withPseudo);
      if (c === false) return resolve(args[2], scope, withPseudo);
      return { 'Fn::If': [args[0], resolve(args[1], scope, withPseudo), resolve(args[2], scope, withPseudo)] };
    }
    case 'Fn::FindInMap': return findInMap(v, args, scope, withPseudo);
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) return v;
      const index = resolve(args[0], scope, true);
      const list = resolve(args[1], scope, true);
      const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? parseInt(index, 10) : undefined;
      if (i !== undefined && Array.isArray(list) && i < list.length) return list[i];
      return { 'Fn::Select': [index, resolve(args[1], scope, withPseudo)] };
    }
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') return v;
      const parts = resolve(args[1], scope, withPseudo);
      if (Array.isArray(parts) && parts.every(p => scalar(p) !== undefined)) return parts.map(p => scalar(p)).join(args[0]);
      return { 'Fn::Join': [args[0], parts] };
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') return v;
      const text = resolve(args[1], scope, withPseudo);
      if (typeof text === 'string') return text.split(args[0]);
      return { 'Fn::Split': [args[0], text] };
    }
    case 'Fn::Sub': return sub(args, scope, withPseudo);
    case 'Fn::Length': {
      const list = resolve(args, scope, true);
      if (Array.isArray(list)) return list.length;
      return { 'Fn::Length': list };
    }
    case 'Fn::ToJsonString': {
      const x = resolve(args, scope, withPseudo);
      return isLiteral(x) ? JSON.stringify(x) : { 'Fn::ToJsonString': x };
    }
    case 'Fn::GetAtt': {
      if (Array.isArray(args)) {
        const parts = args.map(a => (typeof a === 'string' ? a : resolve(a, scope, true)));
        return { 'Fn::GetAtt': parts.map(p => scalar(p) ?? p) };
      }
      return v;
    }
    default: {
      // Conditions, imports, Base64, Cidr, GetAZs, Transform: resolve what is inside, keep the function.
      return { [fn]: resolve(args, scope, withPseudo) };
    }
  }
}

function findInMap(v: any, args: any, scope: ResolveScope, withPseudo: boolean): any {
  if (!Array.isArray(args) || args.length < 3) return v;
  const keys = args.slice(0, 3).map(a => resolve(a, scope, true));
  const options = args[3] && typeof args[3] === 'object' && !Array.isArray(args[3]) ? args[3] : undefined;
  const hasDefault = !!options && Object.prototype.hasOwnProperty.call(options, 'DefaultValue');
  const names = keys.map(scalar);
  if (names.every(n => n !== undefined)) {
    const top = scope.mappings?.[names[0]!]?.[names[1]!];
    const found = top && typeof top === 'object' && Object.prototype.hasOwnProperty.call(top, names[2]!) ? top[names[2]!] : undefined;
    if (found !== undefined) return resolve(found, scope, withPseudo);
    if (hasDefault) return resolve(options!.DefaultValue, scope, withPseudo);
  }
  const out = [...keys];
  if (options) out.push(resolve(options, scope, withPseudo));
  return { 'Fn::FindInMap': out };
}

/** `Fn::Sub` with every `${Name}` whose value is known replaced; literal when nothing unknown is left. */
function sub(args: any, scope: ResolveScope, withPseudo: boolean): any {
  const text: string | undefined = typeof args === 'string' ? args : Array.isArray(args) && typeof args[0] === 'string' ? args[0] : undefined;
  if (text === undefined) return { 'Fn::Sub': resolve(args, scope, withPseudo) };
  const varsIn = Array.isArray(args) && args[1] && typeof args[1] === 'object' ? args[1] : undefined;
  const vars: any = {};
  for (const [k, x] of Object.entries(varsIn ?? {})) vars[k] = resolve(x, scope, withPseudo);
  let unknown = false;
  const replaced = text.replace(/\$\{([^}]*)\}/g, (m0, name: string) => {
    if (name.startsWith('!')) return m0; // `${!Literal}` escape: kept as written
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      const s = scalar(vars[name]);
      if (s !== undefined) return s;
      unknown = true;
      return m0;
    }
    if (!name.includes('.')) {
      const s = scalar(refValue(name, scope, withPseudo));
      if (s !== undefined) return s;
    }
    unknown = true;
    return m0;
  });
  if (!unknown) return replaced.replace(/\$\{!/g, '${');
  const leftVars: any = {};
  for (const [k, x] of Object.entries(vars)) if (replaced.includes(`\${${k}}`)) leftVars[k] = x;
  return Object.keys(leftVars).length ? { 'Fn::Sub': [replaced, leftVars] } : { 'Fn::Sub': replaced };
}

/** Parameters referenced in a value (`Ref` and `${Name}` in `Fn::Sub`), among `names`. */
export function parametersIn(v: any, names: Set<string>, out: Set<string> = new Set()): Set<string> {
  if (v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    v.forEach(x => parametersIn(x, names, out));
    return out;
  }
  const fn = intrinsicOf(v);
  if (fn === 'Ref' && typeof v.Ref === 'string') {
    if (names.has(v.Ref)) out.add(v.Ref);
    return out;
  }
  if (fn === 'Fn::Sub') {
    const args = v['Fn::Sub'];
    const text = typeof args === 'string' ? args : Array.isArray(args) ? args[0] : undefined;
    const vars = Array.isArray(args) && args[1] && typeof args[1] === 'object' ? args[1] : {};
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) if (names.has(m[1]) && !(m[1] in vars)) out.add(m[1]);
    }
    parametersIn(vars, names, out);
    return out;
  }
  for (const x of Object.values(v)) parametersIn(x, names, out);
  return out;
}

/** Conditions referenced in a value (`Fn::If` and `Condition`). */
export function conditionsIn(v: any, out: Set<string> = new Set()): Set<string> {
  if (v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    v.forEach(x => conditionsIn(x, out));
    return out;
  }
  const fn = intrinsicOf(v);
  if (fn === 'Fn::If' && Array.isArray(v['Fn::If']) && typeof v['Fn::If'][0] === 'string') out.add(v['Fn::If'][0]);
  if (fn === 'Condition' && typeof v.Condition === 'string') out.add(v.Condition);
  for (const x of Object.values(v)) conditionsIn(x, out);
  return out;
}
