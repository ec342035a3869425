import { Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { allResources, synthReference, SynthesizedStack } from './reference';
import { buildApp } from './reference-app';
import { testApp } from '../util';

/**
 * Security defaults, asserted over every template of the reference app.
 */

/** A policy document of a resource, with where it is. */
interface Doc { readonly where: string; readonly kind: 'identity' | 'trust' | 'key' | 'resource'; readonly doc: any }

function policyDocuments(stacks: SynthesizedStack[]): Doc[] {
  const out: Doc[] = [];
  for (const [s, id, r] of allResources(stacks)) {
    const p = r.Properties ?? {};
    const at = `${s}/${id} (${r.Type})`;
    switch (r.Type) {
      case 'AWS::IAM::Role':
        out.push({ where: `${at} trust policy`, kind: 'trust', doc: p.AssumeRolePolicyDocument });
        for (const inline of p.Policies ?? []) out.push({ where: `${at} inline ${inline.PolicyName}`, kind: 'identity', doc: inline.PolicyDocument });
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        out.push({ where: at, kind: 'identity', doc: p.PolicyDocument });
        break;
      case 'AWS::KMS::Key':
        out.push({ where: `${at} key policy`, kind: 'key', doc: p.KeyPolicy });
        break;
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::SQS::QueuePolicy':
        out.push({ where: at, kind: 'resource', doc: p.PolicyDocument });
        break;
      case 'AWS::Backup::BackupVault':
        if (p.AccessPolicy) out.push({ where: `${at} access policy`, kind: 'resource', doc: p.AccessPolicy });
        break;
      default:
        break;
    }
  }
  return out;
}

const list = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statements = (d: Doc) => list(d.doc?.Statement);

/**
 * The one statement allowed a wildcard action: the default KMS key policy statement that
 * gives the key's own account (`arn:<partition>:iam::<account>:root`) `kms:*`. AWS documents
 * it as the default key policy: it lets IAM policies of the account govern the key, and
 * without it a key can become unmanageable (only AWS Support can recover it).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
function isDefaultKeyPolicyRootStatement(d: Doc, st: any): boolean {
  const principal = JSON.stringify(st.Principal ?? {});
  return d.kind === 'key' && list(st.Action).every(a => a === 'kms:*')
    && /":iam::",\{"Ref":"AWS::AccountId"\},":root"|:iam::\d{12}:root"/.test(principal);
}

/**
 * Partial wildcards allowed (key policies and the grants CDK writes into identity policies),
 * each as AWS documents it. Both are in the "Allow use of the key" statement of AWS's default
 * key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html):
 * - `kms:ReEncrypt*` (ReEncryptFrom / ReEncryptTo);
 * - `kms:GenerateDataKey*` (GenerateDataKey and its WithoutPlaintext / Pair variants): the
 *   key policy AWS gives for letting CloudWatch alarms and EventBridge publish to an encrypted
 *   SNS topic is `kms:GenerateDataKey*` + `kms:Decrypt`
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * - `kms:Encrypt*`, `kms:Decrypt*`, `kms:Describe*`: the key policy statement AWS documents for
 *   letting CloudWatch Logs encrypt a log group (VPC flow logs, database logs) is exactly
 *   Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe* to `logs.<region>.amazonaws.com`
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
const PARTIAL_WILDCARD_KEY_ACTIONS = new Set<string>(['kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:Encrypt*', 'kms:Decrypt*', 'kms:Describe*']);

/**
 * Actions allowed with `Resource: "*"` in an Allow statement, each because the service does
 * not support resource-level permissions for it (Service Authorization Reference):
 */
const STAR_RESOURCE_ACTIONS = new Set<string>([
  // CloudWatch: PutMetricData has no resource type.
  'cloudwatch:PutMetricData',
  // AWS X-Ray: writing segments has no resource type.
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords',
  // EC2 Describe* calls have no resource-level permissions (VPC endpoints, ENIs for Lambda in a VPC).
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
  // Secrets Manager: GetRandomPassword has no resource type (secret rotation).
  'secretsmanager:GetRandomPassword',
]);

let stacks: SynthesizedStack[];
let docs: Doc[];
beforeAll(() => {
  stacks = synthReference().stacks;
  docs = policyDocuments(stacks);
});

describe('security defaults of the reference app', () => {
  test('the app has the policies the checks read', () => {
    expect(docs.filter(d => d.kind === 'key').length).toBeGreaterThanOrEqual(2);
    expect(docs.some(d => d.where.includes('access policy'))).toBe(true);
  });

  test('no Allow statement (identity, trust, key or resource policy) has a wildcard action, except the default key policy root statement', () => {
    const bad: string[] = [];
    for (const d of docs) {
      for (const st of statements(d)) {
        if (st.Effect !== 'Allow') continue; // a Deny with a wildcard only restricts more (TLS-only denies s3:*)
        if (st.NotAction !== undefined) bad.push(`${d.where}: Allow with NotAction`);
        const wild = list(st.Action).filter((a: any) => typeof a === 'string' && a.includes('*')
          && !PARTIAL_WILDCARD_KEY_ACTIONS.has(a));
        if (wild.length && !isDefaultKeyPolicyRootStatement(d, st)) bad.push(`${d.where}: ${wild.join(', ')}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('Resource "*" in an Allow statement only for actions that have no resource-level permissions (key policies excepted: there "*" is the key itself)', () => {
    const bad: string[] = [];
    for (const d of docs) {
      if (d.kind === 'key' || d.kind === 'trust') continue;
      for (const st of statements(d)) {
        if (st.Effect !== 'Allow' || !list(st.Resource).includes('*')) continue;
        const others = list(st.Action).filter((a: any) => !STAR_RESOURCE_ACTIONS.has(a));
        if (others.length) bad.push(`${d.where}: ${others.join(', ')} on *`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('every bucket denies requests without TLS and blocks public access', () => {
    const bad: string[] = [];
    for (const s of stacks) {
      const resources = s.template.Resources;
      for (const [id, r] of Object.entries<any>(resources)) {
        if (r.Type !== 'AWS::S3::Bucket') continue;
        const pab = r.Properties?.PublicAccessBlockConfiguration ?? {};
        if (!(pab.BlockPublicAcls && pab.BlockPublicPolicy && pab.IgnorePublicAcls && pab.RestrictPublicBuckets)) bad.push(`${s.stackName}/${id}: public access not fully blocked`);
        const policy = Object.values<any>(resources).find(p => p.Type === 'AWS::S3::BucketPolicy' && p.Properties?.Bucket?.Ref === id);
        const tls = list(policy?.Properties?.PolicyDocument?.Statement).some(st => st.Effect === 'Deny'
          && JSON.stringify(st.Condition ?? {}).includes('"aws:SecureTransport":"false"')
          && list(st.Action).some((a: string) => a === 's3:*'));
        if (!tls) bad.push(`${s.stackName}/${id}: no TLS-only bucket policy`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('every backup vault access policy denies recovery-point deletion', () => {
    const vaults = allResources(stacks).filter(([, , r]) => r.Type === 'AWS::Backup::BackupVault');
    expect(vaults.length).toBeGreaterThanOrEqual(2);
    const bad = vaults.filter(([, , r]) => !list(r.Properties?.AccessPolicy?.Statement).some(st => st.Effect === 'Deny'
      && list(st.Action).includes('backup:DeleteRecoveryPoint')
      && JSON.stringify(st.Principal) === JSON.stringify({ AWS: '*' })));
    expect(bad.map(([s, id]) => `${s}/${id}`)).toEqual([]);
  });

  test('every SNS topic is encrypted with a KMS key', () => {
    const topics = allResources(stacks).filter(([, , r]) => r.Type === 'AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThanOrEqual(1);
    expect(topics.filter(([, , r]) => r.Properties?.KmsMasterKeyId === undefined).map(([s, id]) => `${s}/${id}`)).toEqual([]);
  });
});

/**
 * cdk-nag packs on the reference stack: no error and no warning left, and no unexplained
 * suppression. A suppression is explained by its reason (cdk-nag records it in the template
 * metadata): at least 50 characters saying why. The reference app (examples/cdk/app.ts)
 * applies AwsSolutions, NIST 800-53 R5 and HIPAA Security; this test adds PCI DSS 3.2.1. A
 * PCI finding counts as explained when the same rule (the name after the pack prefix) is
 * suppressed with a reason on the same resource for NIST 800-53 R5 or HIPAA Security: the
 * packs share those rules and the reason is the same. (The lead may instead add the PCI pack
 * and its suppressions to the example.)
 */
const PACK = /^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-(\w+)/;

describe('cdk-nag packs on the reference stack', () => {
  let nagStacks: Stack[];
  let templates: Array<{ stackName: string; template: any }>;
  let cfnByPath: Map<string, CfnResource>;
  beforeAll(() => {
    const { app } = buildApp(testApp(), { nag: true });
    Aspects.of(app).add(new PCIDSS321Checks({ verbose: true }));
    const names = Aspects.of(app).all.map((a: any) => a.constructor.name);
    for (const pack of [AwsSolutionsChecks, NIST80053R5Checks, HIPAASecurityChecks, PCIDSS321Checks]) expect(names).toContain(pack.name);
    const asm = app.synth();
    nagStacks = app.node.findAll().filter((c: any) => Stack.isStack(c)) as Stack[];
    cfnByPath = new Map(app.node.findAll().filter(c => CfnResource.isCfnResource(c)).map(c => [`/${c.node.path}`, c as CfnResource]));
    templates = asm.stacks.map((s: any) => ({ stackName: s.stackName, template: s.template }));
  });

  /** Rule suffixes suppressed with a reason for NIST 800-53 R5 or HIPAA Security on the resource at `path`. */
  function suppressedElsewhere(path: string): string[] {
    const sups: any[] = cfnByPath.get(path)?.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
    return sups
      .filter(sup => String(sup.reason ?? '').length >= 50)
      .map(sup => PACK.exec(String(sup.id)))
      .filter((m): m is RegExpExecArray => !!m && (m[1] === 'NIST.800.53.R5' || m[1] === 'HIPAA.Security'))
      .map(m => m[2]);
  }

  test('AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1: no error, no warning', () => {
    const findings: string[] = [];
    for (const s of nagStacks) {
      for (const f of [...Annotations.fromStack(s).findError('*', Match.anyValue()), ...Annotations.fromStack(s).findWarning('*', Match.anyValue())]) {
        const text = String(f.entry.data);
        const m = PACK.exec(text);
        if (!m) continue;
        if (m[1] === 'PCI.DSS.321' && suppressedElsewhere(f.id).includes(m[2])) continue;
        findings.push(`${f.id}: ${text.split('\n')[0].slice(0, 160)}`);
      }
    }
    expect(findings).toEqual([]);
  });

  test('every cdk-nag suppression gives its reason', () => {
    const unexplained: string[] = [];
    let count = 0;
    for (const { stackName, template } of templates) {
      for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
        for (const sup of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
          count += 1;
          const reason = String(sup.reason ?? '').trim();
          if (reason.length < 50 || /^(n\/?a|todo|tbd|ok|suppressed?|ignore)\b/i.test(reason)) unexplained.push(`${stackName}/${id}: ${sup.id} (${reason})`);
        }
      }
    }
    expect(count).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
  });
});
