import { RuleContext } from './rule';
import { isKnown, literal, num, refTarget, render, STACK_ACCOUNT, STACK_REGION, tagsOf, wildcardMatch } from '../../core/evaluate/cfn';
import { recordedObjective } from '../../core/template/metadata';

/**
 * Template lookups shared by drkit's rules. Pure functions of the template: nothing is
 * guessed; a value that cannot be read statically never makes a resource compliant.
 */

/** Stateful resource types drkit's rules check. */
export const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
  'AWS::EC2::Volume',
];

/** `[logicalId, resource]` of every resource of `type` in the template, in logical-id order. */
export function resourcesOfType(template: any, type: string): Array<[string, any]> {
  const resources = template?.Resources ?? {};
  return Object.keys(resources).sort().filter(id => resources[id]?.Type === type).map(id => [id, resources[id]]);
}

/**
 * The objective drkit recorded on the resource (`drkit:objective` metadata: inline, or by key in
 * the template's top-level `Metadata['drkit:objectives']`), if any.
 */
export function objectiveOf(resource: any, template: any): any | undefined {
  const o = recordedObjective(resource, template);
  return o && typeof o === 'object' && typeof o.rpoSeconds === 'number' ? o : undefined;
}

/** The RPO (seconds) the objective asks for one disruption, or undefined when it does not cover it. */
export function objectiveRpoSeconds(objective: any, disruption: string): number | undefined {
  const list: any[] = Array.isArray(objective?.disruptions) ? objective.disruptions : [];
  const d = list.find(x => (x?.disruption ?? x) === disruption);
  if (!d) return undefined;
  return typeof d.rpoSeconds === 'number' ? d.rpoSeconds : objective.rpoSeconds;
}

/** Literal tags of a resource (per type: `Tags`, `FileSystemTags`, global table replica tags). */
export function resourceTags(resource: any): { [key: string]: string } {
  const p = resource?.Properties ?? {};
  if (resource?.Type === 'AWS::EFS::FileSystem') return tagsOf(p.FileSystemTags);
  if (resource?.Type === 'AWS::DynamoDB::GlobalTable') {
    const out: { [key: string]: string } = {};
    for (const r of Array.isArray(p.Replicas) ? p.Replicas : []) Object.assign(out, tagsOf(r?.Tags));
    return out;
  }
  return tagsOf(p.Tags);
}

const UNKNOWN_PART = '\u0001';
const STACK_REGION_MARK = '\u0002';
const STACK_ACCOUNT_MARK = '\u0003';

/** The resource's ARN as far as the template tells it; unknown parts are a marker no literal matches. */
export function resourceArn(ctx: RuleContext): string | undefined {
  const p = ctx.resource?.Properties ?? {};
  // The stack's own region/account when unknown: the same markers as `\${AWS::Region}` in a pattern.
  const region = ctx.region ?? STACK_REGION_MARK;
  const account = ctx.account ?? STACK_ACCOUNT_MARK;
  const name = (v: any) => literal(v) ?? UNKNOWN_PART;
  switch (ctx.resource?.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return `arn:aws:dynamodb:${region}:${account}:table/${name(p.TableName)}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name(p.BucketName)}`;
    case 'AWS::RDS::DBInstance':
      return `arn:aws:rds:${region}:${account}:db:${name(p.DBInstanceIdentifier).toLowerCase()}`;
    case 'AWS::RDS::DBCluster':
      return `arn:aws:rds:${region}:${account}:cluster:${name(p.DBClusterIdentifier).toLowerCase()}`;
    case 'AWS::EFS::FileSystem':
      return `arn:aws:elasticfilesystem:${region}:${account}:file-system/${UNKNOWN_PART}`;
    case 'AWS::EC2::Volume':
      return `arn:aws:ec2:${region}:${account}:volume/${UNKNOWN_PART}`;
    default:
      return undefined;
  }
}

/** Logical ids of the AWS Backup selections of the template that select the resource. */
export function selectionsCovering(ctx: RuleContext): string[] {
  const arn = resourceArn(ctx);
  const tags = resourceTags(ctx.resource);
  const out: string[] = [];
  for (const [id, sel] of resourcesOfType(ctx.template, 'AWS::Backup::BackupSelection')) {
    if (selects(sel?.Properties?.BackupSelection ?? {}, ctx, arn, tags)) out.push(id);
  }
  return out;
}

function selects(sel: any, ctx: RuleContext, arn: string | undefined, tags: { [key: string]: string }): boolean {
  const pattern = (v: any) => render(v)
    .split(STACK_REGION).join(ctx.region ?? STACK_REGION_MARK)
    .split(STACK_ACCOUNT).join(ctx.account ?? STACK_ACCOUNT_MARK);
  const matchesArn = (v: any) => {
    if (arn === undefined) return false;
    const p = pattern(v);
    return isKnown(p) && wildcardMatch(p, arn);
  };
  const items: any[] = Array.isArray(sel.Resources) ? sel.Resources : [];
  const byRef = items.some(i => refTarget(i)?.logicalId === ctx.logicalId);
  const byArn = items.some(i => !refTarget(i) && matchesArn(i));
  const listOfTags: any[] = Array.isArray(sel.ListOfTags) ? sel.ListOfTags : [];
  const byTag = listOfTags.some(t => {
    const k = literal(t?.ConditionKey);
    return k !== undefined && tags[k] !== undefined && tags[k] === literal(t?.ConditionValue);
  });
  if (!(byRef || byArn || byTag)) return false;
  const notItems: any[] = Array.isArray(sel.NotResources) ? sel.NotResources : [];
  if (notItems.some(i => refTarget(i)?.logicalId === ctx.logicalId || matchesArn(i))) return false;
  const cond = sel.Conditions ?? {};
  for (const op of ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike']) {
    for (const c of Array.isArray(cond[op]) ? cond[op] : []) {
      const key = (literal(c?.ConditionKey) ?? '').replace(/^aws:ResourceTag\//, '');
      const value = literal(c?.ConditionValue);
      if (value === undefined) return false;
      const v = tags[key];
      const ok = op === 'StringEquals' ? v === value
        : op === 'StringNotEquals' ? v !== value
          : op === 'StringLike' ? v !== undefined && wildcardMatch(value, v)
            : v === undefined || !wildcardMatch(value, v);
      if (!ok) return false;
    }
  }
  return true;
}

/** The vaults (logical id, or the literal name when the vault is not in the template) that the selection's plan writes to. */
export function vaultsOfSelection(template: any, selectionId: string): Array<{ logicalId?: string; name: string }> {
  const resources = template?.Resources ?? {};
  const planId = refTarget(resources[selectionId]?.Properties?.BackupPlanId)?.logicalId;
  const plan = planId ? resources[planId] : undefined;
  if (!plan || plan.Type !== 'AWS::Backup::BackupPlan') return [];
  const rules: any[] = Array.isArray(plan.Properties?.BackupPlan?.BackupPlanRule) ? plan.Properties.BackupPlan.BackupPlanRule : [];
  const out: Array<{ logicalId?: string; name: string }> = [];
  for (const rule of rules) {
    const target = rule?.TargetBackupVault;
    const ref = refTarget(target);
    let entry: { logicalId?: string; name: string };
    if (ref && resources[ref.logicalId]?.Type === 'AWS::Backup::BackupVault') {
      entry = { logicalId: ref.logicalId, name: literal(resources[ref.logicalId].Properties?.BackupVaultName) ?? ref.logicalId };
    } else {
      const name = literal(target) ?? render(target);
      const found = resourcesOfType(template, 'AWS::Backup::BackupVault').find(([, v]) => literal(v?.Properties?.BackupVaultName) === name);
      entry = found ? { logicalId: found[0], name } : { name: isKnown(name) ? name : '<unresolved vault>' };
    }
    if (!out.some(o => o.logicalId === entry.logicalId && o.name === entry.name)) out.push(entry);
  }
  return out;
}

/** True when a DLM lifecycle policy of the template snapshots a volume with these tags. */
export function dlmCoversVolume(template: any, tags: { [key: string]: string }): boolean {
  return resourcesOfType(template, 'AWS::DLM::LifecyclePolicy').some(([, p]) => {
    const props = p?.Properties ?? {};
    if (literal(props.State) === 'DISABLED') return false;
    const details = props.PolicyDetails ?? {};
    const types: any[] = Array.isArray(details.ResourceTypes) ? details.ResourceTypes : [];
    if (!types.includes('VOLUME') && !types.includes('INSTANCE')) return false;
    const target = tagsOf(details.TargetTags);
    const keys = Object.keys(target);
    return keys.length > 0 && keys.every(k => tags[k] === target[k]);
  });
}

/** A literal non-negative number, or undefined. */
export function literalNumber(v: any): number | undefined {
  return num(v);
}
