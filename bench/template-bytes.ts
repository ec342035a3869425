/**
 * Where the template bytes go, per protected item: `npx ts-node --prefer-ts-exts bench/template-bytes.ts`
 * (`--json` prints the figures as JSON). Synthesizes bench/workload.ts (mix `all`) with drkit and with
 * plain aws-cdk-lib at N = 10 and N = 11, so one more table and one more replicated bucket (the database
 * count stays 1), and attributes the bytes that item adds, over every stack of the app, to
 *
 * - categories, each the bytes the template loses when that part is taken out (taken out one after the
 *   other in the order listed, so a byte counts once): per-resource metadata by key, the template's
 *   top-level `Metadata`, alarms, policy documents, tags, then the characters of logical IDs in what is left, the rest;
 * - resource types (each resource's share of the template as written).
 *
 * Bytes are those of the template as CDK writes it (`JSON.stringify(template, undefined, 1)`).
 * drkit is loaded as bench/workload.ts loads it (compiled lib/, or the TypeScript sources with DRKIT_BENCH_TS=1).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appOf, Variant } from './workload';

type Template = { [key: string]: any };

const POLICY_PROPERTIES = ['PolicyDocument', 'KeyPolicy', 'AssumeRolePolicyDocument', 'Policies', 'ManagedPolicyArns'];

const size = (t: Template) => Buffer.byteLength(JSON.stringify(t, undefined, 1));

/** Every step takes one part out of the template (in place). */
const STEPS: Array<{ category: string; remove: (t: Template) => void }> = [
  { category: 'metadata drkit:objective', remove: t => dropMetadata(t, k => k === 'drkit:objective' || k === 'drkit:objective-ref') },
  { category: 'metadata drkit:* (other keys)', remove: t => dropMetadata(t, k => k.startsWith('drkit:')) },
  { category: 'metadata cdk_nag', remove: t => dropMetadata(t, k => k === 'cdk_nag') },
  { category: 'metadata aws:cdk:path', remove: t => dropMetadata(t, k => k === 'aws:cdk:path') },
  { category: 'metadata (other keys)', remove: t => dropMetadata(t, () => true) },
  { category: 'template top-level Metadata', remove: t => { delete t.Metadata; } },
  {
    category: 'alarms (AWS::CloudWatch::Alarm)',
    remove: t => {
      for (const [id, r] of Object.entries<any>(t.Resources ?? {})) if (r.Type === 'AWS::CloudWatch::Alarm') delete t.Resources[id];
    },
  },
  {
    category: 'policy documents (IAM, KMS, S3, SNS)',
    remove: t => {
      for (const r of Object.values<any>(t.Resources ?? {})) for (const p of POLICY_PROPERTIES) if (r.Properties) delete r.Properties[p];
    },
  },
  { category: 'tags', remove: t => { for (const r of Object.values<any>(t.Resources ?? {})) if (r.Properties) delete r.Properties.Tags; } },
];

function dropMetadata(t: Template, which: (key: string) => boolean): void {
  for (const r of Object.values<any>(t.Resources ?? {})) {
    if (!r.Metadata) continue;
    for (const k of Object.keys(r.Metadata)) if (which(k)) delete r.Metadata[k];
    if (Object.keys(r.Metadata).length === 0) delete r.Metadata;
  }
}

/** The characters of every logical ID, as a key of `Resources` and wherever it occurs as a whole string (Ref, GetAtt, DependsOn). */
function logicalIdBytes(t: Template): number {
  const ids = new Set(Object.keys(t.Resources ?? {}));
  let bytes = 0;
  const walk = (v: any): void => {
    if (typeof v === 'string') {
      if (ids.has(v)) bytes += Buffer.byteLength(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  for (const id of ids) bytes += Buffer.byteLength(id);
  walk(t);
  return bytes;
}

interface Measure {
  bytes: number;
  resources: number;
  categories: { [category: string]: number };
  types: { [type: string]: number };
  /** Per `Type.Property` (and `Type.Metadata.key`): each one's share of the template as written. */
  properties: { [typeProperty: string]: number };
  stacks: { [stack: string]: number };
}

function measure(variant: Variant, n: number): Measure {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-bytes-'));
  try {
    const app = appOf(variant, n, 'all', outdir);
    const asm = app.synth();
    const m: Measure = { bytes: 0, resources: 0, categories: {}, types: {}, properties: {}, stacks: {} };
    for (const s of asm.stacks) {
      const written = fs.statSync(path.join(asm.directory, s.templateFile)).size;
      const t: Template = JSON.parse(JSON.stringify(s.template));
      if (size(t) !== written) throw new Error(`${s.stackName}: the template as re-serialized (${size(t)} bytes) is not the file CDK wrote (${written} bytes)`);
      m.bytes += written;
      m.stacks[s.stackName.replace(/-us-east-1/, '')] = written;
      m.resources += Object.keys(t.Resources ?? {}).length;
      for (const r of Object.values<any>(t.Resources ?? {})) {
        // a resource's share: the bytes the template loses without it
        const one = JSON.stringify({ x: r }, undefined, 1).length - JSON.stringify({ x: {} }, undefined, 1).length;
        m.types[r.Type] = (m.types[r.Type] ?? 0) + one;
        for (const section of ['Properties', 'Metadata']) {
          for (const [k, v] of Object.entries<any>(r[section] ?? {})) {
            const key = `${r.Type} ${section === 'Metadata' ? 'Metadata.' : ''}${k}`;
            const share = JSON.stringify({ a: { b: { c: { [k]: v } } } }, undefined, 1).length
              - JSON.stringify({ a: { b: { c: {} } } }, undefined, 1).length;
            m.properties[key] = (m.properties[key] ?? 0) + share;
          }
        }
      }
      let before = written;
      for (const step of STEPS) {
        step.remove(t);
        const after = size(t);
        m.categories[step.category] = (m.categories[step.category] ?? 0) + before - after;
        before = after;
      }
      const ids = logicalIdBytes(t);
      m.categories['logical IDs'] = (m.categories['logical IDs'] ?? 0) + ids;
      m.categories['everything else'] = (m.categories['everything else'] ?? 0) + before - ids;
    }
    return m;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const diff = (a: { [k: string]: number }, b: { [k: string]: number }) =>
  Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map(k => [k, (b[k] ?? 0) - (a[k] ?? 0)]));

const fmt = (x: number) => x.toLocaleString('en-US');

/** N before and after: 20 more items, a whole group of the replication role's shared statements (20 buckets each). */
export const FROM_N = 20;
export const TO_N = 40;
const VARIANTS: Variant[] = ['drkit', 'plain', 'plain-ungranted'];

const perN = (a: { [k: string]: number }, b: { [k: string]: number }) =>
  Object.fromEntries(Object.entries(diff(a, b)).map(([k, v]) => [k, Math.round(v / (TO_N - FROM_N))]));

/** What drkit's items carry and the plain ones have not: properties of the buckets, and drkit's and cdk-nag's metadata. */
const EXTRA_PROPERTIES = ['AWS::S3::Bucket LifecycleConfiguration', 'AWS::S3::Bucket NotificationConfiguration', 'AWS::S3::Bucket OwnershipControls'];
const EXTRA_CATEGORIES = ['metadata drkit:objective', 'metadata drkit:* (other keys)', 'metadata cdk_nag'];
const EXTRAS = ['lifecycle rules', 'replication events', 'ownership controls', 'drkit and cdk-nag metadata'];
const extras = (m: Measure) => EXTRA_PROPERTIES.reduce((a, k) => a + (m.properties[k] ?? 0), 0)
  + EXTRA_CATEGORIES.reduce((a, k) => a + (m.categories[k] ?? 0), 0);

function main(): void {
  const result: { [v: string]: { from: Measure; to: Measure; perItem: Measure } } = {};
  for (const v of VARIANTS) {
    const from = measure(v, FROM_N);
    const to = measure(v, TO_N);
    const items = TO_N - FROM_N;
    result[v] = {
      from,
      to,
      perItem: {
        bytes: Math.round((to.bytes - from.bytes) / items),
        resources: (to.resources - from.resources) / items,
        categories: perN(from.categories, to.categories),
        types: perN(from.types, to.types),
        properties: perN(from.properties, to.properties),
        stacks: perN(from.stacks, to.stacks),
      },
    };
  }
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result, undefined, 2) + '\n');
    return;
  }
  const d = result.drkit.perItem;
  const p = result.plain.perItem;
  const u = result['plain-ungranted'].perItem;
  const row = (label: string, f: (m: Measure) => number) => `| ${label} | ${fmt(f(d))} | ${fmt(f(p))} | ${fmt(f(u))} |`;
  const header = (first: string) => [`| ${first} | drkit per item | plain per item | plain without replication grants, per item |`, '|---|---:|---:|---:|'];
  const lines = [
    `Template bytes one more protected item adds: N = ${FROM_N} -> ${TO_N}, every stack, divided by ${TO_N - FROM_N} (one table, one replicated bucket and a`,
    'tenth of a database each; 20 items so that the replication role\'s shared statements, 20 buckets each, are counted whole):',
    '',
    `- drkit: ${fmt(d.bytes)} bytes (${d.resources} resources); plain aws-cdk-lib: ${fmt(p.bytes)} bytes (${p.resources} resources); ratio **${(d.bytes / p.bytes).toFixed(2)}x**`,
    `- plain without replication grants (the baseline before; its buckets could not replicate): ${fmt(u.bytes)} bytes (${u.resources} resources); drkit ${(d.bytes / u.bytes).toFixed(2)}x that`,
    `- drkit without what the plain buckets have not (${EXTRAS.join(', ')}): ${fmt(d.bytes - extras(d))} bytes, `
      + `**${((d.bytes - extras(d)) / p.bytes).toFixed(2)}x** plain: the rest of the difference`,
    ...Object.keys(d.stacks).map(s => `  - drkit stack ${s}: ${fmt(d.stacks[s])} bytes per item`),
    ...Object.keys(p.stacks).map(s => `  - plain stack ${s}: ${fmt(p.stacks[s])} bytes per item`),
    `- at N = ${FROM_N}: drkit ${fmt(result.drkit.from.bytes)} bytes, plain ${fmt(result.plain.from.bytes)} bytes (all stacks)`,
    '',
    ...header('category'),
    ...Object.keys(d.categories).map(c => row(c, m => m.categories[c] ?? 0)),
    `| **total** | **${fmt(d.bytes)}** | **${fmt(p.bytes)}** | **${fmt(u.bytes)}** |`,
    '',
    ...header('resource type'),
    ...[...new Set([...Object.keys(d.types), ...Object.keys(p.types), ...Object.keys(u.types)])]
      .filter(k => [d, p, u].some(m => (m.types[k] ?? 0) !== 0)).sort()
      .map(k => row(k, m => m.types[k] ?? 0)),
    '',
    'The largest properties and metadata keys one more item adds (each one\'s share of the template):',
    '',
    ...header('resource type, property'),
    ...[...new Set([...Object.keys(d.properties), ...Object.keys(p.properties)])]
      .sort((a, b) => Math.max(d.properties[b] ?? 0, p.properties[b] ?? 0) - Math.max(d.properties[a] ?? 0, p.properties[a] ?? 0) || (a < b ? -1 : 1))
      .slice(0, 25)
      .map(k => row(k, m => m.properties[k] ?? 0)),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) main();
