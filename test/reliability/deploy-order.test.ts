import { ORDER_APPS, ManifestStack, synthStacks } from './apps';

/**
 * Deploy order. `cdk deploy --all` deploys the stacks of the cloud assembly in the order of
 * their manifest `dependencies`, across regions. CloudFormation has no cross-region references,
 * so drkit names resources in other regions by their physical names, and nothing but those
 * dependencies makes a destination exist before its source:
 *
 * - S3 replication: the destination bucket (and the replica key's alias) before the source
 *   bucket's stack (S3 refuses a replication rule to a bucket that does not exist);
 * - AWS Backup copies: the destination vault before the plan that copies into it;
 * - RDS automated backup replication: the key in the destination region before the instance;
 * - RDS read replicas and Aurora secondary clusters: their source instance or global cluster
 *   before the standby stack;
 *
 * and the dependencies have no cycle. This test reads every stack's manifest entry of every app
 * of examples/ and of the reliability fixtures (`apps.ts`), finds each such reference by the
 * physical name it uses, and checks that the stack holding the named resource deploys first.
 */

/** A string for a template value: pseudo parameters filled in for `stack`, other references kept as `{ref:…}`. */
function render(v: any, stack: ManifestStack): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object') {
    if (typeof v.Ref === 'string') {
      const pseudo: Record<string, string> = { 'AWS::AccountId': '${account}', 'AWS::Partition': 'aws', 'AWS::Region': stack.region, 'AWS::URLSuffix': 'amazonaws.com' };
      return pseudo[v.Ref] ?? `{ref:${v.Ref}}`;
    }
    if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as any[]).map(x => render(x, stack)).join(v['Fn::Join'][0]);
  }
  return `{ref:${JSON.stringify(v)}}`;
}

interface Named {
  readonly stack: ManifestStack;
  readonly what: string;
  readonly name: string;
}

/** Physical names of the resources that other stacks reference by name. */
function provided(stacks: ManifestStack[]): Named[] {
  const out: Named[] = [];
  for (const stack of stacks) {
    for (const [id, r] of Object.entries<any>(stack.template.Resources ?? {})) {
      const p = r.Properties ?? {};
      const add = (v: any) => {
        const name = v === undefined ? undefined : render(v, stack);
        if (name && !name.includes('{ref:')) out.push({ stack, what: `${r.Type} ${id}`, name });
      };
      if (r.Type === 'AWS::S3::Bucket') add(p.BucketName);
      if (r.Type === 'AWS::Backup::BackupVault') add(p.BackupVaultName);
      if (r.Type === 'AWS::KMS::Alias') add(p.AliasName);
      if (r.Type === 'AWS::RDS::DBInstance') add(p.DBInstanceIdentifier);
      if (r.Type === 'AWS::RDS::DBCluster') add(p.DBClusterIdentifier);
      if (r.Type === 'AWS::RDS::GlobalCluster') add(p.GlobalClusterIdentifier);
    }
  }
  return out;
}

interface Reference {
  readonly stack: ManifestStack;
  readonly what: string;
  readonly value: string;
}

/** The values by which a stack names resources it needs to exist (possibly in another region). */
function references(stack: ManifestStack): Reference[] {
  const out: Reference[] = [];
  for (const [id, r] of Object.entries<any>(stack.template.Resources ?? {})) {
    const p = r.Properties ?? {};
    const add = (what: string, v: any) => {
      if (v !== undefined) out.push({ stack, what: `${r.Type} ${id} ${what}`, value: render(v, stack) });
    };
    if (r.Type === 'AWS::S3::Bucket') {
      for (const rule of p.ReplicationConfiguration?.Rules ?? []) {
        add('replication destination', rule.Destination?.Bucket);
        add('replica key', rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID);
      }
    }
    if (r.Type === 'AWS::Backup::BackupPlan') {
      for (const rule of p.BackupPlan?.BackupPlanRule ?? []) {
        for (const c of rule.CopyActions ?? []) add('copy destination', c.DestinationBackupVaultArn);
      }
    }
    if (r.Type === 'AWS::RDS::DBInstance') {
      add('replica source', p.SourceDBInstanceIdentifier);
      add('backup replication key', p.AutomaticBackupReplicationKmsKeyId);
    }
    if (r.Type === 'AWS::RDS::DBCluster') {
      add('global cluster', p.GlobalClusterIdentifier);
      add('replica source', p.ReplicationSourceIdentifier);
    }
  }
  return out;
}

/** Whether `value` names `n`: the name itself or an ARN ending in it, in `n`'s region when the ARN has one. */
function names(value: string, n: Named): boolean {
  if (value === n.name) return true;
  if (!value.startsWith('arn:') || !(value.endsWith(`:${n.name}`) || value.endsWith(`/${n.name}`))) return false;
  const region = value.split(':')[3];
  return !region || region === n.stack.region;
}

/** Whether `from` deploys after `to` (directly or through other stacks). */
function after(from: ManifestStack, to: ManifestStack, byId: Map<string, ManifestStack>): boolean {
  const seen = new Set<string>();
  const stack = [...from.dependencies];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to.id) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependencies ?? []));
  }
  return false;
}

/** A stack cycle, if the dependencies have one. */
function cycle(stacks: ManifestStack[]): string[] | undefined {
  const byId = new Map(stacks.map(s => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const d of byId.get(id)?.dependencies ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const s of stacks) {
    const c = visit(s.id);
    if (c) return c;
  }
  return undefined;
}

/** Order problems of an app's stacks, one line each. */
export function orderProblems(stacks: ManifestStack[]): { problems: string[]; checked: number } {
  const problems: string[] = [];
  const c = cycle(stacks);
  if (c) problems.push(`the stack dependencies have a cycle: ${c.join(' -> ')}`);
  const byId = new Map(stacks.map(s => [s.id, s]));
  const all = provided(stacks);
  let checked = 0;
  for (const s of stacks) {
    for (const ref of references(s)) {
      for (const n of all.filter(x => x.stack !== s && names(ref.value, x))) {
        checked++;
        if (!after(s, n.stack, byId)) {
          problems.push(`${s.stackName} (${s.region}): ${ref.what} names ${n.what} of ${n.stack.stackName} (${n.stack.region}), but ${s.stackName} does not deploy after it`);
        }
      }
    }
  }
  return { problems, checked };
}

describe('cdk deploy --all deploys each destination, copy vault and source before the stacks that name it', () => {
  test.each(ORDER_APPS.map(a => [a.name, a] as const))('%s', (_name, a) => {
    const stacks = synthStacks(a.build());
    const { problems, checked } = orderProblems(stacks);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(a.crossStackReferences ?? 1);
  });
});
