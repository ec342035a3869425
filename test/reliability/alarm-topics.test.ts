import { APPS, ManifestStack, synthStacks } from './apps';

/**
 * Alarms that reach someone. An `AWS::SNS::TopicPolicy` replaces the topic's default policy,
 * so a topic that CloudWatch alarms, S3 event notifications or EventBridge rules publish to
 * must name each of those services in it, or the alarm changes state and notifies nobody
 * ("not authorized to perform: SNS:Publish"). An encrypted topic also needs its KMS key to let
 * the service generate and decrypt data keys. This test reads every template of every app
 * (examples/cdk and the reliability fixtures, `apps.ts`) and checks, for each publisher:
 *
 * - CloudWatch alarms (`AlarmActions`, `OKActions`, `InsufficientDataActions`): cloudwatch.amazonaws.com;
 * - EventBridge rules (`Targets[].Arn`): events.amazonaws.com;
 * - S3 event notifications (`NotificationConfiguration.TopicConfigurations[].Topic`): s3.amazonaws.com;
 *
 * that the topic is a topic of the same template, that its topic policy allows the service
 * `sns:Publish` on it scoped to this account (`aws:SourceAccount`) and, for alarms and rules,
 * to their ARNs (`aws:SourceArn`), that no other Deny than the TLS one applies, and that the
 * key in `KmsMasterKeyId` is a key of the template whose policy gives the service
 * `kms:GenerateDataKey*` and `kms:Decrypt`.
 */

type Publisher = 'cloudwatch.amazonaws.com' | 'events.amazonaws.com' | 's3.amazonaws.com';

interface Use {
  readonly source: string;
  readonly topicRef: any;
  readonly publisher: Publisher;
}

const list = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const services = (s: any): string[] => list(s.Principal?.Service);
const actions = (s: any): string[] => list(s.Action).map((a: string) => a.toLowerCase());

function uses(template: any): Use[] {
  const out: Use[] = [];
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm') {
      for (const k of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
        for (const a of list(p[k])) out.push({ source: `${id}.${k}`, topicRef: a, publisher: 'cloudwatch.amazonaws.com' });
      }
    }
    if (r.Type === 'AWS::Events::Rule') {
      for (const t of list(p.Targets)) out.push({ source: `${id}.Targets`, topicRef: t.Arn, publisher: 'events.amazonaws.com' });
    }
    if (r.Type === 'AWS::S3::Bucket') {
      for (const c of list(p.NotificationConfiguration?.TopicConfigurations)) {
        out.push({ source: `${id}.NotificationConfiguration`, topicRef: c.Topic, publisher: 's3.amazonaws.com' });
      }
    }
  }
  return out;
}

/** The resource id a `Ref` or `Fn::GetAtt [id, Arn]` names, if it is one. */
function refId(v: any): string | undefined {
  if (v && typeof v === 'object') {
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt']) && v['Fn::GetAtt'][1] === 'Arn') return v['Fn::GetAtt'][0];
  }
  return undefined;
}

const CONDITION_KEYS = ['aws:SourceAccount', 'aws:SourceArn'];
function conditionValues(s: any, key: string): any[] {
  const out: any[] = [];
  for (const [op, kv] of Object.entries<any>(s.Condition ?? {})) {
    for (const [k, v] of Object.entries<any>(kv)) if (k.toLowerCase() === key.toLowerCase()) out.push(...list(v).map(x => ({ op, value: x })));
  }
  return out;
}

/** Problems with one stack's topics, one line each. */
export function topicProblems(stack: ManifestStack): string[] {
  const R = stack.template.Resources ?? {};
  const problems: string[] = [];
  const policies = Object.values<any>(R).filter(r => r.Type === 'AWS::SNS::TopicPolicy');
  for (const u of uses(stack.template)) {
    const where = `${stack.stackName} ${u.source} -> ${JSON.stringify(u.topicRef)} (${u.publisher})`;
    const topicId = refId(u.topicRef);
    if (!topicId || R[topicId]?.Type !== 'AWS::SNS::Topic') {
      problems.push(`${where}: not a topic of this template, so nothing shows that ${u.publisher} may publish to it`);
      continue;
    }
    const statements = policies
      .filter(p => list(p.Properties.Topics).some((t: any) => refId(t) === topicId))
      .flatMap(p => list(p.Properties.PolicyDocument.Statement));
    if (statements.length === 0) {
      problems.push(`${where}: the topic has no topic policy, and SNS's default policy allows only the account's principals`);
    }
    const allow = statements.find(s => s.Effect === 'Allow' && services(s).includes(u.publisher)
      && actions(s).some(a => a === 'sns:publish' || a === 'sns:*'));
    if (!allow) {
      problems.push(`${where}: the topic policy does not allow ${u.publisher} to sns:Publish`);
    } else {
      const unknown = Object.values<any>(allow.Condition ?? {}).flatMap(kv => Object.keys(kv)).filter(k => !CONDITION_KEYS.includes(k));
      if (unknown.length > 0) problems.push(`${where}: the Allow for ${u.publisher} has conditions the service does not set: ${unknown.join(', ')}`);
      if (conditionValues(allow, 'aws:SourceAccount').length === 0) problems.push(`${where}: the Allow for ${u.publisher} is not scoped with aws:SourceAccount`);
      const arns = conditionValues(allow, 'aws:SourceArn');
      if (u.publisher === 'cloudwatch.amazonaws.com' && arns.length === 0) {
        problems.push(`${where}: the Allow for cloudwatch.amazonaws.com is not scoped to alarms with aws:SourceArn`);
      }
      if (u.publisher === 'events.amazonaws.com') {
        const rule = u.source.split('.')[0];
        if (!arns.some(a => refId(a.value) === rule)) problems.push(`${where}: the Allow for events.amazonaws.com does not name rule ${rule} in aws:SourceArn`);
      }
    }
    for (const d of statements.filter(s => s.Effect === 'Deny')) {
      const tlsOnly = JSON.stringify(d.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } });
      if (!tlsOnly) problems.push(`${where}: the topic policy denies ${JSON.stringify(d)}`);
    }

    const keyRef = R[topicId].Properties?.KmsMasterKeyId;
    if (keyRef === undefined) continue;
    const keyId = refId(keyRef);
    if (!keyId || R[keyId]?.Type !== 'AWS::KMS::Key') {
      problems.push(`${where}: the topic's key ${JSON.stringify(keyRef)} is not a key of this template (an AWS managed key cannot let ${u.publisher} use it)`);
      continue;
    }
    const keyStatements = list(R[keyId].Properties.KeyPolicy?.Statement);
    const can = (action: string) => keyStatements.some(s => s.Effect === 'Allow' && services(s).includes(u.publisher)
      && actions(s).some(a => a === action || a === 'kms:*' || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))));
    for (const action of ['kms:generatedatakey', 'kms:decrypt']) {
      if (!can(action)) problems.push(`${where}: the policy of key ${keyId} does not allow ${u.publisher} ${action}`);
    }
  }
  return problems;
}

describe('every topic drkit points an alarm, an S3 event or a rule at lets that service publish (topic policy and key)', () => {
  test.each(APPS.map(a => [a.name, a] as const))('%s', (_name, a) => {
    const stacks = synthStacks(a.build());
    let checked = 0;
    const problems: string[] = [];
    for (const s of stacks) {
      checked += uses(s.template).length;
      problems.push(...topicProblems(s));
    }
    expect(checked).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
