import { BoundKind, Facts, Mechanism } from '../catalog';
import { Disruption } from '../objective';
import { replicaReadersBasis } from '../plan-s3';
import { ACCOUNT_FIX, backupContribution } from './backup';
import { CfnResource, literal, placed, num, refTarget, render, sh, STACK_ACCOUNT, STACK_REGION, tagsOf, UNKNOWN } from './cfn';
import { FAILOVER_UNBOUNDED_BASIS, failoverRto, FamilyContext, FamilyEvaluator, FamilyResult, liveCopy, namePlaceholder, policyFindings } from './family';
import { Coverage, RestorePointSet, RunbookEntry } from './model';
import { KeptPoints } from './retention';

const VERSIONING_FIX = 'enable versioning (VersioningConfiguration: { Status: Enabled }) with a lifecycle rule whose NoncurrentVersionExpiration keeps prior versions as long as the retention asks';
const RTC_FIX = 'replicate to a bucket in another region with Replication Time Control (a ReplicationConfiguration rule with Destination.ReplicationTime { Status: Enabled, Time: { Minutes: 15 } } and Metrics; 15 minutes for the SLA\'s percentile of objects) - drkit\'s CrossRegionReplicatedBucket does this; replication without RTC has no documented bound';

/** The fix for a bucket, naming what is missing (never a mechanism it already has). */
function fix(d: Disruption, present: string[] = []): string {
  const has = (m: Mechanism) => present.includes(m.id);
  const backedUp = present.some(id => id.startsWith('aws.backup.'));
  switch (d) {
    case Disruption.DATA_CORRUPTION:
      if (has(Mechanism.S3_VERSIONING)) return '';
      return backedUp ? VERSIONING_FIX : `${VERSIONING_FIX}, or select the bucket in an AWS Backup plan`;
    case Disruption.AZ_OUTAGE:
      return 'S3 Standard stores data across at least three AZs; keep data that must survive an AZ loss out of One Zone-IA';
    case Disruption.REGION_OUTAGE:
      if (has(Mechanism.S3_REPLICATION_RTC)) return '';
      if (has(Mechanism.S3_REPLICATION)) return 'turn on Replication Time Control on the replication rule (Destination.ReplicationTime { Status: Enabled, Time: { Minutes: 15 } } and Metrics { Status: Enabled, EventThreshold: { Minutes: 15 } }): replication without RTC has no documented bound';
      return RTC_FIX;
    case Disruption.ACCOUNT_COMPROMISE:
      return `replicate to a bucket in another account (Destination.Account with AccessControlTranslation { Owner: Destination }), enable Object Lock in compliance mode (ObjectLockConfiguration.Rule.DefaultRetention.Mode COMPLIANCE) with a key this account cannot destroy (SSE-S3, or a KMS key in another account), or ${ACCOUNT_FIX}`;
  }
}

function isEnabled(v: any): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'enabled');
}

function isWholeBucket(rule: any): boolean {
  const f = rule?.Filter;
  const prefix = rule?.Prefix ?? f?.Prefix;
  if (prefix !== undefined && prefix !== '') return false;
  if (f?.TagFilter || f?.And || f?.TagFilters) return false;
  return !rule?.TagFilters && !rule?.ObjectSizeGreaterThan && !rule?.ObjectSizeLessThan;
}

interface Destination {
  readonly text: string;
  readonly name?: string;
  readonly region?: string;
  readonly account?: string;
  readonly offRegion: boolean;
  readonly offAccount: boolean;
  readonly how: string;
  /** `stack/logicalId` of the destination when it is in the input. */
  readonly where?: string;
  /** The destination bucket, when it is in the input. */
  readonly bucket?: CfnResource;
}

/** Encryption of a bucket's objects as its template states it, for people. */
function bucketEncryption(p: any): string {
  const rules = p?.BucketEncryption?.ServerSideEncryptionConfiguration;
  const rule = Array.isArray(rules) ? rules[0] : undefined;
  const algo = literal(rule?.ServerSideEncryptionByDefault?.SSEAlgorithm);
  return algo ? (algo === 'AES256' ? 'SSE-S3' : algo.startsWith('aws:kms') ? `SSE-KMS (${algo})` : algo) : 'SSE-S3 (S3 default since January 2023)';
}

/**
 * Whether a bucket's objects stay readable when its account destroys its own KMS keys: SSE-S3
 * (S3-owned keys), or SSE-KMS with a key ARN of another (known) account.
 */
function bucketKeyOutsideAccount(p: any, account?: string): boolean {
  const rules = p?.BucketEncryption?.ServerSideEncryptionConfiguration;
  const rule = Array.isArray(rules) ? rules[0] : undefined;
  const byDefault = rule?.ServerSideEncryptionByDefault;
  const algo = literal(byDefault?.SSEAlgorithm);
  if (byDefault?.SSEAlgorithm === undefined || algo === 'AES256') return true;
  const key = byDefault?.KMSMasterKeyID;
  if (key === undefined || refTarget(key)) return false;
  const m = /^arn:[^:]*:kms:[^:]*:([^:]*):/.exec(render(key));
  return !!m && m[1] !== STACK_ACCOUNT && !m[1].includes(UNKNOWN) && account !== undefined && m[1] !== account;
}

/** Object Lock of a bucket: `none`, `governance` or `compliance` (its default retention mode), and its days. */
function bucketLock(p: any): { mode: string; days?: number; enabledWithoutDefault: boolean } {
  const lockCfg = p?.ObjectLockConfiguration;
  const lockOn = isEnabled(p?.ObjectLockEnabled) || isEnabled(lockCfg?.ObjectLockEnabled);
  const dr = lockCfg?.Rule?.DefaultRetention;
  const m = lockOn && dr ? (literal(dr.Mode) ?? '').toUpperCase() : '';
  const days = dr ? (num(dr.Days) ?? (num(dr.Years) !== undefined ? num(dr.Years)! * 365 : undefined)) : undefined;
  return { mode: m === 'COMPLIANCE' ? 'compliance' : m === 'GOVERNANCE' ? 'governance' : 'none', days, enabledWithoutDefault: lockOn && !dr };
}

/**
 * A rendered bucket name with the stack's region and account filled in where known (the
 * markers stay when unknown: two stacks of one environment-agnostic app share them).
 */
function canonicalName(name: string, region?: string, account?: string): string {
  return name.split(STACK_REGION).join(region ?? STACK_REGION).split(STACK_ACCOUNT).join(account ?? STACK_ACCOUNT);
}

/** The bucket of the input named by a destination ARN such as `arn:aws:s3:::name-${AWS::AccountId}-us-west-2` (the name for people: `<account>` where unknown). */
/**
 * The buckets of an input indexed once (by canonical name, by stack and logical ID, and which are
 * replication destinations), so that assessing B buckets takes time linear in B, not B squared.
 */
interface BucketIndex {
  readonly byName: Map<string, CfnResource[]>;
  readonly byId: Map<string, CfnResource>;
  readonly destinations: Set<CfnResource>;
}
const INDEXES = new WeakMap<CfnResource[], BucketIndex>();

function indexOf(all: CfnResource[]): BucketIndex {
  let index = INDEXES.get(all);
  if (index) return index;
  const byName = new Map<string, CfnResource[]>();
  const byId = new Map<string, CfnResource>();
  for (const x of all) {
    const id = `${x.stackName}\u0000${x.logicalId}`;
    if (!byId.has(id)) byId.set(id, x);
    if (x.type !== 'AWS::S3::Bucket' || x.properties?.BucketName === undefined) continue;
    const name = canonicalName(render(x.properties.BucketName), x.region, x.account);
    const list = byName.get(name);
    if (list) list.push(x);
    else byName.set(name, [x]);
  }
  index = { byName, byId, destinations: new Set() };
  INDEXES.set(all, index);
  for (const x of all) {
    if (x.type !== 'AWS::S3::Bucket') continue;
    for (const rule of Array.isArray(x.properties?.ReplicationConfiguration?.Rules) ? x.properties.ReplicationConfiguration.Rules : []) {
      const t = refTarget(rule?.Destination?.Bucket);
      const target = t ? byId.get(`${x.stackName}\u0000${t.logicalId}`) : bucketByArn(all, x, rule?.Destination?.Bucket).bucket;
      if (target && target !== x && target.type === 'AWS::S3::Bucket') index.destinations.add(target);
    }
  }
  return index;
}

function bucketByArn(all: CfnResource[], source: CfnResource, arnValue: any): { bucket?: CfnResource; name?: string } {
  const m = /^arn:[^:]*:s3:::([^/]+)$/.exec(render(arnValue));
  if (!m || m[1].includes(UNKNOWN)) return {};
  const wanted = canonicalName(m[1], source.region, source.account);
  const bucket = (indexOf(all).byName.get(wanted) ?? []).find(x => x !== source);
  return { bucket, name: placed(wanted) };
}

/** True when another bucket of the input replicates into `r` (a replica is assessed as part of its source). */
function isReplicaBucket(ctx: FamilyContext): boolean {
  const r = ctx.resource;
  if (Array.isArray(r.properties?.ReplicationConfiguration?.Rules) && r.properties.ReplicationConfiguration.Rules.length > 0) return false;
  return indexOf(ctx.all).destinations.has(r);
}

function destination(ctx: FamilyContext, d: any): Destination {
  const r = ctx.resource;
  const declaredAccount = literal(d?.Account);
  const offAcct = (acct?: string) => acct !== undefined && r.account !== undefined && acct !== r.account;
  const t = refTarget(d?.Bucket);
  if (t) {
    const target = indexOf(ctx.all).byId.get(`${r.stackName}\u0000${t.logicalId}`);
    const account = declaredAccount ?? r.account;
    return {
      text: `bucket ${t.logicalId} (same stack)`,
      name: literal(target?.properties?.BucketName),
      bucket: target,
      region: r.region,
      account,
      offRegion: false,
      offAccount: offAcct(declaredAccount),
      how: 'the destination is in the same stack, so in the same region',
    };
  }
  const s = render(d?.Bucket);
  const byArn = bucketByArn(ctx.all, r, d?.Bucket);
  const name = byArn.name !== undefined && !byArn.name.includes('<') ? byArn.name : undefined;
  const found = byArn.bucket;
  const meta = literal(r.metadata?.['drkit:replica-region']);
  let region: string | undefined;
  let how: string;
  let offRegion = false;
  if (found && found.region !== undefined) {
    region = found.region;
    offRegion = r.region !== undefined && region !== r.region;
    how = `bucket ${name ?? byArn.name} is in stack ${found.stackName} (${region})`;
  } else if (meta) {
    region = meta;
    offRegion = r.region === undefined || meta !== r.region;
    how = `drkit:replica-region metadata names ${meta}`;
  } else {
    how = 'the destination bucket\'s region cannot be known from the template (an S3 ARN has no region): include its stack in the input, or add drkit:replica-region metadata';
  }
  // Without Destination.Account, a destination named with the source stack's own account is in that account.
  const sameAccount = declaredAccount === undefined && /^arn:[^:]*:s3:::/.test(s) && s.includes(STACK_ACCOUNT);
  const account = declaredAccount ?? found?.account ?? (sameAccount ? r.account : undefined);
  return {
    text: name ? `arn:aws:s3:::${name}` : byArn.name !== undefined ? `arn:aws:s3:::${byArn.name}` : s.includes('\u0000') ? '<destination bucket>' : s,
    name,
    region,
    account,
    offRegion,
    offAccount: offAcct(account),
    how,
    where: found ? `${found.stackName}/${found.logicalId}` : undefined,
    bucket: found,
  };
}

function noncurrentDays(lifecycle: any): { whole?: number; partial: string[] } {
  let whole: number | undefined;
  const partial: string[] = [];
  for (const rule of Array.isArray(lifecycle?.Rules) ? lifecycle.Rules : []) {
    if (!isEnabled(rule?.Status)) continue;
    const days = num(rule?.NoncurrentVersionExpiration?.NoncurrentDays) ?? num(rule?.NoncurrentVersionExpirationInDays);
    if (days === undefined) continue;
    if (isWholeBucket(rule)) whole = whole === undefined ? days : Math.min(whole, days);
    else partial.push(`${days} days for objects matching rule ${literal(rule?.Id) ?? '(unnamed)'}`);
  }
  return { whole, partial };
}

/** Lock and encryption of a replica bucket: its own template's when it is in the input, else what the rule says. */
function replicaProtection(dest: Destination, d: any): { immutability: string; encryption?: string } {
  if (dest.bucket) return { immutability: bucketLock(dest.bucket.properties).mode, encryption: bucketEncryption(dest.bucket.properties) };
  const key = d?.EncryptionConfiguration?.ReplicaKmsKeyID;
  return { immutability: 'none', encryption: key !== undefined ? 'SSE-KMS (replica key)' : undefined };
}

const bucket: FamilyEvaluator = (ctx: FamilyContext): FamilyResult | undefined => {
  const r: CfnResource = ctx.resource;
  // A replica is a copy of its source bucket, assessed with it (its restore point there).
  if (isReplicaBucket(ctx)) return undefined;
  const p = r.properties ?? {};
  const literalName = literal(p.BucketName);
  const ph = namePlaceholder(r, 'bucket');
  const name = literalName ?? ph.name;
  const region = r.region ?? '<region>';
  const findings = policyFindings(r);
  const runbook: RunbookEntry[] = [];
  const encryption = bucketEncryption(p);
  // Object Lock's default retention locks every new version, the current ones included.
  const lock = bucketLock(p);
  const lockDays = lock.days;
  const immutability = lock.mode;
  const restorePoints: RestorePointSet[] = [{ ...liveCopy(r, 'the live bucket', 's3', name, encryption), immutability }];
  const coverages: Coverage[] = [{
    disruption: Disruption.AZ_OUTAGE,
    mechanism: Mechanism.S3_MULTI_AZ.id,
    rpoSeconds: 0,
    rpoKind: Facts.S3_MULTI_AZ.kind,
    rtoSeconds: 0,
    rtoKind: BoundKind.DOCUMENTED,
    basis: `${Facts.S3_MULTI_AZ.statement} (${Facts.S3_MULTI_AZ.source})`,
  }];
  const kept: KeptPoints[] = [];

  // Object Lock.
  if (lock.enabledWithoutDefault) findings.push('Object Lock is enabled without a default retention: only objects written with an explicit retention are locked');
  if (immutability === 'governance') findings.push(`Object Lock is in governance mode, which is not immutable: ${Facts.S3_OBJECT_LOCK_GOVERNANCE.statement} (${Facts.S3_OBJECT_LOCK_GOVERNANCE.source}), so it does not survive account compromise`);

  // Versioning.
  const versioned = isEnabled(p.VersioningConfiguration?.Status);
  const nc = noncurrentDays(p.LifecycleConfiguration);
  if (versioned) {
    const keep = nc.whole !== undefined ? `${nc.whole} days after becoming noncurrent` : 'until deleted (no noncurrent-version expiration)';
    coverages.push({
      disruption: Disruption.DATA_CORRUPTION,
      mechanism: Mechanism.S3_VERSIONING.id,
      rpoSeconds: 0,
      rpoKind: Facts.S3_VERSIONING.kind,
      rtoKind: BoundKind.NONE,
      basis: `${Facts.S3_VERSIONING.statement}; prior versions are kept ${keep}${nc.partial.length ? ` (${nc.partial.join('; ')})` : ''} (${Facts.S3_VERSIONING.source}); restore time: no published bound (per-object copies)`,
    });
    restorePoints.push({
      mechanism: Mechanism.S3_VERSIONING.id,
      description: 'prior object versions (versioning)',
      medium: 's3',
      periodicity: 'every write',
      intervalSeconds: 0,
      retention: keep + (nc.partial.length ? `; ${nc.partial.join('; ')}` : ''),
      region: r.region,
      account: r.account,
      vault: name,
      offRegion: false,
      offAccount: false,
      inPlace: true,
      immutability,
      encryption,
    });
    runbook.push({
      title: 'Restore a prior version of an object',
      commands: [
        `aws s3api list-object-versions --bucket ${sh(name)} --prefix <object key> --region ${sh(region)}`,
        `aws s3api copy-object --bucket ${sh(name)} --key <object key> --copy-source '${name}/<object key>?versionId=<VersionId from list-object-versions>' --region ${sh(region)}`,
      ],
      note: 'for a deleted object, deleting its delete marker also restores it: aws s3api delete-object --bucket <bucket> --key <object key> --version-id <delete marker VersionId>',
    });
    if (immutability === 'compliance') {
      const basis = `Object Lock in compliance mode${lockDays !== undefined ? ` for ${lockDays} days` : ''}: `
        + `no one, including the root user, can delete a locked version before its retention ends (${Facts.S3_OBJECT_LOCK_SOURCE})`;
      const lockCoverage = {
        disruption: Disruption.ACCOUNT_COMPROMISE,
        mechanism: Mechanism.S3_OBJECT_LOCK.id,
        rpoSeconds: 0,
        rpoKind: Facts.S3_VERSIONING.kind,
        rtoKind: BoundKind.NONE,
      };
      coverages.push(bucketKeyOutsideAccount(p, r.account)
        ? { ...lockCoverage, basis: `${basis}; objects are encrypted with ${encryption}, which this account cannot destroy` }
        : { ...lockCoverage, basis, shortfall: `the locked versions are in this account and encrypted with a KMS key of this account (${encryption}): whoever controls the account can destroy the key and the versions become unreadable; a copy in the same account never counts against account compromise unless its key is outside the account` });
    }
    // Prior versions restore an object to any write: a point-in-time window of NoncurrentDays (partial rules: the whole bucket is not bounded).
    kept.push({
      what: nc.whole !== undefined ? `noncurrent versions expire after ${nc.whole} days` : 'noncurrent versions kept until deleted',
      pointInTime: true,
      intervalSeconds: 0,
      days: nc.whole,
      setting: 'NoncurrentVersionExpiration.NoncurrentDays in the lifecycle rule',
    });
  } else {
    findings.push(`versioning is ${p.VersioningConfiguration ? 'suspended' : 'off'}: an overwritten or deleted object cannot be recovered from the bucket`);
  }

  // Replication.
  const rules: any[] = Array.isArray(p.ReplicationConfiguration?.Rules) ? p.ReplicationConfiguration.Rules : [];
  rules.forEach((rule, i) => {
    if (!isEnabled(rule?.Status)) return;
    const id = literal(rule?.Id) ?? `#${i + 1}`;
    const dest = destination(ctx, rule?.Destination);
    const rtc = isEnabled(rule?.Destination?.ReplicationTime?.Status);
    const mech = rtc ? Mechanism.S3_REPLICATION_RTC : Mechanism.S3_REPLICATION;
    const fact = rtc ? Facts.S3_RTC_RPO : Facts.S3_CRR_RPO;
    const whole = isWholeBucket(rule);
    const deletes = isEnabled(rule?.DeleteMarkerReplication?.Status);
    if (!whole) findings.push(`replication rule ${id} replicates only part of the bucket (filter): drkit does not count it as a copy of the whole bucket`);
    if (!versioned) findings.push(`replication rule ${id} needs versioning on the source bucket, which is off`);
    if (deletes) findings.push(`replication rule ${id} replicates delete markers: a deletion reaches the replica too`);
    if (dest.region === undefined) findings.push(`replication rule ${id}: ${dest.how}`);
    const basis = `replication rule ${id} to ${dest.text} (${dest.how}): ${fact.statement} (${fact.source}); failover: ${mech.rto.statement}; ${FAILOVER_UNBOUNDED_BASIS}`;
    if (whole && versioned) {
      const figures = {
        mechanism: mech.id,
        rpoSeconds: fact.value?.totalSeconds,
        rpoKind: fact.kind,
        ...failoverRto('data already in the replica', mech.rto.value?.totalSeconds ?? 0, mech.rto.kind),
      };
      coverages.push({ disruption: Disruption.AZ_OUTAGE, ...figures, basis });
      if (dest.offRegion) coverages.push({ disruption: Disruption.REGION_OUTAGE, ...figures, basis: `${basis}; ${replicaReadersBasis(r.metadata?.['drkit:replica-readers'], deletes)}` });
      if (dest.offAccount) {
        coverages.push({
          disruption: Disruption.ACCOUNT_COMPROMISE,
          ...figures,
          basis: `${basis}; the replica is in account ${dest.account}, out of reach of the source account (permanent deletes of versions do not replicate)`,
        });
      }
    }
    restorePoints.push({
      mechanism: mech.id,
      description: `replica bucket (rule ${id}${rtc ? ', RTC' : ''}${deletes ? ', delete markers replicate' : ''})`,
      medium: 's3-replica',
      periodicity: rtc ? 'live replica (RTC: 15 min SLA)' : 'live replica (no SLA)',
      intervalSeconds: 0,
      retention: 'current data (overwrites replicate)',
      region: dest.region,
      account: dest.account,
      vault: dest.name ?? dest.where ?? dest.text,
      offRegion: dest.offRegion,
      offAccount: dest.offAccount,
      ...replicaProtection(dest, rule?.Destination),
    });
    const destName = dest.name ?? '<destination bucket name>';
    runbook.push({
      title: `Fail reads over to the replica ${destName}`,
      commands: [
        `aws s3api head-bucket --bucket ${sh(destName)}${dest.region ? ` --region ${sh(dest.region)}` : ''}`,
        `aws s3api list-object-versions --bucket ${sh(destName)} --prefix <object key>${dest.region ? ` --region ${sh(dest.region)}` : ''}`,
      ],
      note: `point readers (and writers, if the replica is to become primary) at bucket ${destName}; replication rule ${id} ${rtc ? 'has RTC: objects written more than 15 minutes before the outage are there' : 'has no RTC: no bound on what is missing'}`,
    });
  });

  const arn = `arn:aws:s3:::${literalName ?? UNKNOWN}`;
  const b = backupContribution(ctx.backup, r, arn, tagsOf(p.Tags), literalName ? `arn:aws:s3:::${literalName}` : `<ARN of bucket ${r.logicalId}>`);
  coverages.push(...b.coverages);
  restorePoints.push(...b.restorePoints);
  runbook.push(...b.runbook);
  findings.push(...b.findings);
  if (!literalName && runbook.length) runbook[0] = { ...runbook[0], note: `${runbook[0].note ?? ''}; ${ph.note}` };

  return { content: 'S3 bucket', name, restorePoints, coverages, runbook, findings, fix, kept: [...kept, ...b.kept], preconditions: b.preconditions };
};

/** Evaluators of the S3 family. */
export const S3_EVALUATORS: { [type: string]: FamilyEvaluator } = {
  'AWS::S3::Bucket': bucket,
};
