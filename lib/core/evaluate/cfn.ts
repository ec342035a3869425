/**
 * Reading CloudFormation templates as synthesized: literal values, intrinsic functions that
 * can be resolved statically, tags and ARNs. Nothing here guesses: a value that cannot be
 * known from the template is reported as unknown.
 */

/** Marker left in a rendered string for a value only known at deploy time. */
export const UNKNOWN = '\u0000?';
/** Marker for the stack's own region (`AWS::Region`). */
export const STACK_REGION = '\u0000region';
/** Marker for the stack's own account (`AWS::AccountId`). */
export const STACK_ACCOUNT = '\u0000account';

/** A resource of a template with its logical id and the stack it is in. */
export interface CfnResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  readonly metadata: any;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly region?: string;
  readonly account?: string;
}

/** The string value of `v` when it is a literal string (or number/boolean), else undefined. */
export function literal(v: any): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** True when `v` is literally true (`true` or `"true"`). */
export function isTrue(v: any): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** True when `v` is literally false. */
export function isFalse(v: any): boolean {
  return v === false || (typeof v === 'string' && v.toLowerCase() === 'false');
}

/** A literal number, or undefined. */
export function num(v: any): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return parseFloat(v);
  return undefined;
}

/** The logical id an intrinsic refers to (`Ref X`, `Fn::GetAtt [X, attr]`, `Fn::GetAtt "X.attr"`). */
export function refTarget(v: any): { logicalId: string; attribute?: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) return { logicalId: v.Ref };
  const g = v['Fn::GetAtt'];
  if (Array.isArray(g) && typeof g[0] === 'string') return { logicalId: g[0], attribute: literal(g[1]) };
  if (typeof g === 'string' && g.includes('.')) {
    const i = g.indexOf('.');
    return { logicalId: g.slice(0, i), attribute: g.slice(i + 1) };
  }
  return undefined;
}

/**
 * Renders a value to a string, resolving what can be resolved statically: literals,
 * `Fn::Join`, `Fn::Sub`, and the pseudo parameters for region, account and partition.
 * Anything else becomes the UNKNOWN marker.
 */
export function render(v: any): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return UNKNOWN;
  if (typeof v.Ref === 'string') return pseudo(v.Ref);
  const join = v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(render).join(join[0]);
  }
  const sub = v['Fn::Sub'];
  if (typeof sub === 'string' || (Array.isArray(sub) && typeof sub[0] === 'string')) {
    const text: string = typeof sub === 'string' ? sub : sub[0];
    const vars: any = Array.isArray(sub) && sub[1] && typeof sub[1] === 'object' ? sub[1] : {};
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) =>
      name in vars ? render(vars[name]) : pseudo(name));
  }
  return UNKNOWN;
}

function pseudo(name: string): string {
  switch (name) {
    case 'AWS::Region': return STACK_REGION;
    case 'AWS::AccountId': return STACK_ACCOUNT;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return UNKNOWN;
  }
}

/** True when a rendered string has no unknown part. */
export function isKnown(s: string): boolean {
  return !s.includes('\u0000');
}

/** Resolves the region marker in a rendered part against the stack's region. */
export function resolveRegion(part: string, stackRegion?: string): string | undefined {
  if (part === STACK_REGION) return stackRegion;
  return isKnown(part) && part !== '' ? part : undefined;
}

/** Resolves the account marker in a rendered part against the stack's account. */
export function resolveAccount(part: string, stackAccount?: string): string | undefined {
  if (part === STACK_ACCOUNT) return stackAccount;
  return isKnown(part) && part !== '' ? part : undefined;
}

/** Where a rendered location stands relative to the stack. */
export interface Location {
  /** Region when known. */
  readonly region?: string;
  /** Account when known. */
  readonly account?: string;
  /** True when the template says it is the stack's own region (`AWS::Region`). */
  readonly sameRegion: boolean;
  /** True when the template says it is the stack's own account (`AWS::AccountId`). */
  readonly sameAccount: boolean;
}

/** Parses a backup vault ARN (`arn:<partition>:backup:<region>:<account>:backup-vault:<name>`). */
export function parseVaultArn(v: any, stackRegion?: string, stackAccount?: string): (Location & { name?: string; text: string }) | undefined {
  const s = render(v);
  const m = /^arn:[^:]*:backup:([^:]*):([^:]*):backup-vault:(.*)$/.exec(s);
  if (!m) return undefined;
  return {
    region: resolveRegion(m[1], stackRegion),
    account: resolveAccount(m[2], stackAccount),
    sameRegion: m[1] === STACK_REGION || (stackRegion !== undefined && m[1] === stackRegion),
    sameAccount: m[2] === STACK_ACCOUNT || (stackAccount !== undefined && m[2] === stackAccount),
    name: isKnown(m[3]) ? m[3] : undefined,
    text: display(s),
  };
}

/** A rendered string for people: markers become `${AWS::Region}` etc. */
export function display(s: string): string {
  return s
    .split(STACK_REGION).join('${AWS::Region}')
    .split(STACK_ACCOUNT).join('${AWS::AccountId}')
    .split(UNKNOWN).join('<unresolved>');
}

/**
 * A rendered string for people, placed in a stack: the stack's region and account markers
 * become the stack's region and account when known, else `<region>` and `<account>`
 * placeholders (what a runbook reader substitutes); other unknown parts become `<unresolved>`.
 */
export function placed(s: string, region?: string, account?: string): string {
  return s
    .split(STACK_REGION).join(region ?? '<region>')
    .split(STACK_ACCOUNT).join(account ?? '<account>')
    .split(UNKNOWN).join('<unresolved>');
}

/** Tags of a resource as a map (list of `{Key, Value}` or a plain map). */
export function tagsOf(v: any): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      const k = literal(t?.Key);
      const val = literal(t?.Value);
      if (k !== undefined && val !== undefined) out[k] = val;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) {
      const l = literal(val);
      if (l !== undefined) out[k] = l;
    }
  }
  return out;
}

/** Matches `text` against a pattern with `*` wildcards (AWS Backup selection style). */
export function wildcardMatch(pattern: string, text: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(text);
}

/** Shell-quotes a value for a runbook command when it needs it. */
export function sh(value: string): string {
  if (value.startsWith('<') || value.startsWith('"$(')) return value;
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replace(/'/g, '\'"\'"\'')}'`;
}

/**
 * Logical ids referenced anywhere inside a value: `Ref X`, `Fn::GetAtt [X, attr]` and `${X}` /
 * `${X.attr}` in `Fn::Sub` (pseudo parameters and Sub variables excluded). An ARN built with
 * `Fn::Join`/`Fn::Sub` around a resource's `Ref` (an EBS volume has no ARN attribute) names
 * that resource this way.
 */
export function refsIn(v: any): string[] {
  const out: string[] = [];
  const add = (id: string) => {
    if (id && !id.startsWith('AWS::') && !out.includes(id)) out.push(id);
  };
  const walk = (x: any, vars: string[]) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      x.forEach(e => walk(e, vars));
      return;
    }
    const t = refTarget(x);
    if (t) {
      add(t.logicalId);
      return;
    }
    const sub = x['Fn::Sub'];
    if (typeof sub === 'string' || (Array.isArray(sub) && typeof sub[0] === 'string')) {
      const text: string = typeof sub === 'string' ? sub : sub[0];
      const subVars: any = Array.isArray(sub) && sub[1] && typeof sub[1] === 'object' ? sub[1] : {};
      for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1].split('.')[0];
        if (!(m[1] in subVars)) add(name);
      }
      for (const val of Object.values(subVars)) walk(val, vars);
      return;
    }
    for (const val of Object.values(x)) walk(val, vars);
  };
  walk(v, []);
  return out;
}

/** A value for people: like `render` then `display`, but references to resources show as `${LogicalId}` / `${LogicalId.Attr}`. */
export function shown(v: any): string {
  const go = (x: any): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (!x || typeof x !== 'object' || Array.isArray(x)) return UNKNOWN;
    const t = refTarget(x);
    if (t) return t.attribute ? `\${${t.logicalId}.${t.attribute}}` : `\${${t.logicalId}}`;
    if (typeof x.Ref === 'string') return pseudo(x.Ref);
    const join = x['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map(go).join(join[0]);
    const sub = x['Fn::Sub'];
    if (typeof sub === 'string' || (Array.isArray(sub) && typeof sub[0] === 'string')) {
      const text: string = typeof sub === 'string' ? sub : sub[0];
      const vars: any = Array.isArray(sub) && sub[1] && typeof sub[1] === 'object' ? sub[1] : {};
      return text.replace(/\$\{([^}!][^}]*)\}/g, (m0, name: string) =>
        name in vars ? go(vars[name]) : name.startsWith('AWS::') ? pseudo(name) : m0);
    }
    return UNKNOWN;
  };
  return display(go(v));
}
