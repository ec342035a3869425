import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './run';
import { validate } from '../core/report/json-schema';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'report-schema.json'), 'utf8'));

/**
 * `drkit report --org-policy`: an application assessed against the AWS Organizations backup
 * policy that backs it up by tag. The policies here follow the documented "Backup policy syntax"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html):
 * plans -> regions, rules (schedule_expression, start/complete windows, lifecycle,
 * target_backup_vault_name, copy_actions keyed by vault ARN with $account), selections.tags
 * (iam_role_arn, tag_key, tag_value), every value under @@assign.
 */

const MEMBER = '111122223333';
const CENTRAL = '222233334444';
const objective = {
  name: 'gold',
  rpoSeconds: 3600,
  rtoSeconds: 14400,
  disruptions: [
    { disruption: 'corruption', rpoSeconds: 3600, rtoSeconds: 14400 },
    { disruption: 'region', rpoSeconds: 90000, rtoSeconds: 14400 },
    { disruption: 'account', rpoSeconds: 90000, rtoSeconds: 14400 },
  ],
  retention: { pointInTimeDays: 35, daily: 7, weekly: 0, monthly: 0, yearly: 0 },
  immutability: 'none',
};

/** A member application: one DynamoDB table with PITR, tagged for the policy (as OrganizationProtection leaves it). */
function memberTemplate(tag = 'gold', covered = true): any {
  return {
    Resources: {
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
          DeletionProtectionEnabled: true,
          Tags: [{ Key: 'drkit:objective', Value: tag }],
        },
        Metadata: {
          'drkit:objective': objective,
          ...(covered ? { 'drkit:covered-by': { coveredBy: 'organization-policy', tagKey: 'drkit:objective', tagValue: 'gold', policyName: 'workloads' } } : {}),
        },
      },
    },
  };
}

/** A cloud assembly of the member app in account MEMBER, `region`. */
function memberAssembly(region = 'us-east-1', template = memberTemplate()): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-org-member-'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: { Member: { type: 'aws:cloudformation:stack', environment: `aws://${MEMBER}/${region}`, properties: { templateFile: 'Member.template.json' } } },
  }));
  fs.writeFileSync(path.join(dir, 'Member.template.json'), JSON.stringify(template));
  return dir;
}

const a = (v: any) => ({ '@@assign': v });

/** The policy as written: a daily rule kept 35 days, copied to us-west-2 ($account) and to the central account's vault. */
function policy(opts: { copies?: boolean; central?: boolean; regions?: string[]; tagValue?: string[] } = {}): any {
  const copies: any = {};
  if (opts.copies ?? true) {
    const west = 'arn:aws:backup:us-west-2:$account:backup-vault:member-vault';
    copies[west] = { target_backup_vault_arn: a(west), lifecycle: { delete_after_days: a('35') } };
  }
  if (opts.central ?? true) {
    const central = `arn:aws:backup:us-east-1:${CENTRAL}:backup-vault:central-vault`;
    copies[central] = { target_backup_vault_arn: a(central), lifecycle: { delete_after_days: a('35') } };
  }
  return {
    plans: {
      'gold-plan': {
        '@@operators_allowed_for_child_policies': ['@@none'],
        'regions': a(opts.regions ?? ['us-east-1']),
        'rules': {
          Daily: {
            schedule_expression: a('cron(0 5 ? * * *)'),
            start_backup_window_minutes: a('60'),
            complete_backup_window_minutes: a('1440'),
            lifecycle: { delete_after_days: a('35') },
            target_backup_vault_name: a('member-vault'),
            copy_actions: copies,
          },
        },
        'selections': {
          tags: {
            gold: {
              iam_role_arn: a('arn:aws:iam::$account:role/backup-role'),
              tag_key: a('drkit:objective'),
              tag_value: a(opts.tagValue ?? ['gold']),
            },
          },
        },
      },
    },
  };
}

/** The same policy as `aws organizations describe-effective-policy` returns it: operators applied, content a string. */
function effective(doc: any): any {
  const strip = (v: any): any => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      if ('@@assign' in v) return strip(v['@@assign']);
      return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('@@')).map(([k, x]) => [k, strip(x)]));
    }
    return v;
  };
  return { EffectivePolicy: { PolicyContent: JSON.stringify(strip(doc)), LastUpdatedTimestamp: '2026-12-01T00:00:00Z', TargetId: MEMBER, PolicyType: 'BACKUP_POLICY' } };
}

function file(doc: any, name = 'policy.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-org-policy-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return p;
}

async function reportJson(...argv: string[]): Promise<any> {
  const r = await run('report', ...argv, '--json');
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}

const row = (doc: any, d: string) => doc.resources[0].disruptions.find((x: any) => x.disruption === d);

describe('drkit report --org-policy', () => {
  test('GIVEN a tagged table and the policy as written WHEN reported THEN the policy\'s copies carry region outage and account compromise', async () => {
    const doc = await reportJson(memberAssembly(), '--org-policy', file(policy()));
    expect(row(doc, 'region').mechanisms).toEqual(['aws.backup.copy.region']);
    expect(row(doc, 'region').status).toBe('unverified');
    expect(row(doc, 'region').basis).toContain('plan gold-plan (organization policy policy) rule Daily');
    expect(row(doc, 'region').basis).toContain(`arn:aws:backup:us-west-2:${MEMBER}:backup-vault:member-vault`);
    expect(row(doc, 'account').mechanisms).toEqual(['aws.backup.copy.account']);
    expect(row(doc, 'corruption').mechanisms[0]).toBe('aws.dynamodb.pitr');
    expect(doc.gaps).toEqual([]);
    // The policy's one-time preconditions are the resource's, with their commands.
    const pre = doc.resources[0].preconditions.join('\n');
    expect(pre).toContain('aws organizations enable-aws-service-access --service-principal backup.amazonaws.com');
    expect(pre).toContain('aws organizations enable-policy-type --root-id <root-id> --policy-type BACKUP_POLICY');
    expect(pre).toContain('aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true');
    expect(pre).toContain('the vault member-vault and the role arn:aws:iam::$account:role/backup-role');
    // Restore testing: the member account's vault, not a stack construct that organization mode leaves out.
    expect(doc.resources[0].recoveryTesting.scheduled).toBe(false);
    expect(doc.resources[0].recoveryTesting.summary).toContain('the organization policy\'s recovery points (vault member-vault of the member account)');
    expect(doc.resources[0].recoveryTesting.summary).not.toContain('ObjectiveBackup');
    expect(validate(SCHEMA, doc)).toEqual([]);
  });

  test('control: without --org-policy the same table is unprotected against region outage and account compromise, with a finding naming --org-policy', async () => {
    const doc = await reportJson(memberAssembly());
    expect(row(doc, 'region').status).toBe('unprotected');
    expect(row(doc, 'account').status).toBe('unprotected');
    expect(doc.gaps.map((g: any) => g.disruption).sort()).toEqual(['account', 'region']);
    expect(doc.resources[0].findings.join('\n')).toMatch(/covered by an AWS Organizations backup policy \(workloads\) through tag drkit:objective = gold .*--org-policy/);
    expect(doc.organizationPolicy).toBeUndefined();
  });

  test('an effective policy (describe-effective-policy) and describe-policy output give the same rows as the policy as written', async () => {
    const asWritten = await reportJson(memberAssembly(), '--org-policy', file(policy()));
    const eff = await reportJson(memberAssembly(), '--org-policy', file(effective(policy())));
    const described = await reportJson(memberAssembly(), '--org-policy', file({
      Policy: { PolicySummary: { Name: 'policy', Type: 'BACKUP_POLICY' }, Content: JSON.stringify(policy()) },
    }));
    const rows = (d: any) => d.resources[0].disruptions.map((x: any) => [x.disruption, x.status, x.mechanisms, x.rpoSeconds]);
    expect(rows(eff)).toEqual(rows(asWritten));
    expect(rows(described)).toEqual(rows(asWritten));
  });

  test('the policy section: rules, copies, what the plan alone covers, the objective it serves', async () => {
    const doc = await reportJson(memberAssembly(), '--org-policy', file(policy()));
    const [plan] = doc.organizationPolicy.plans;
    expect(plan.name).toBe('gold-plan');
    expect(plan.regions).toEqual(['us-east-1']);
    expect(plan.rules[0]).toMatchObject({ name: 'Daily', intervalSeconds: 86400, startWindowMinutes: 60, completionWindowMinutes: 1440, deleteAfterDays: 35, targetVault: 'member-vault', targetVaultLock: 'unknown' });
    expect(plan.rules[0].copies.map((c: any) => [c.offRegion, c.offAccount])).toEqual([[true, false], [false, true]]);
    expect(plan.disruptions.map((d: any) => [d.disruption, d.covered, d.rpoSeconds])).toEqual([
      ['corruption', true, 90000], ['az', true, 90000], ['region', true, 90000], ['account', true, 90000],
    ]);
    // The table's RPO 1h against corruption comes from its own PITR, not from the daily plan.
    expect(plan.objectives).toEqual([{ name: 'gold', resources: ['Member/Orders'], metByPolicyAlone: false, needsMore: ['corruption'] }]);
    expect(doc.organizationPolicy.findings.join('\n')).toContain('the lock of vault member-vault (rule Daily of plan gold-plan) is not known');
    const md = (await run('report', memberAssembly(), '--org-policy', file(policy()))).out;
    expect(md).toContain('## Organization backup policy');
    expect(md).toContain('| region outage | yes | 1d 1h | copies to another region (Daily)');
  });

  test('a plan that copies only within $region: region outage needs more, and the table\'s row is unprotected', async () => {
    const doc = await reportJson(memberAssembly(), '--org-policy', file(policy({ copies: false, central: false })));
    expect(row(doc, 'region').status).toBe('unprotected');
    expect(row(doc, 'account').status).toBe('unprotected');
    const d = doc.organizationPolicy.plans[0].disruptions;
    expect(d.find((x: any) => x.disruption === 'region')).toMatchObject({ covered: false, basis: expect.stringMatching(/^needs more: no rule copies to another region/) });
    expect(d.find((x: any) => x.disruption === 'account')).toMatchObject({ covered: false, basis: expect.stringMatching(/^needs more: no rule copies to another account/) });
    expect(doc.organizationPolicy.plans[0].objectives[0].needsMore).toEqual(['corruption', 'region', 'account']);
  });

  test('a resource in a region the plan does not cover, or with a tag no selection matches, is not covered, with a finding', async () => {
    const west = await reportJson(memberAssembly('eu-west-1'), '--org-policy', file(policy()));
    expect(row(west, 'region').status).toBe('unprotected');
    expect(west.resources[0].findings.join('\n')).toContain('no plan of');
    expect(west.resources[0].findings.join('\n')).toContain('covers region eu-west-1: add eu-west-1 to a plan\'s regions');
    const silver = await reportJson(memberAssembly('us-east-1', memberTemplate('silver', false)), '--org-policy', file(policy()));
    expect(row(silver, 'region').status).toBe('unprotected');
    expect(silver.resources[0].findings.join('\n')).toMatch(/tagged drkit:objective = silver .* no plan of .* selects that tag in us-east-1 \(selections: drkit:objective = gold\)/);
    // A plan whose tag_value lists several values selects each.
    const both = await reportJson(memberAssembly('us-east-1', memberTemplate('silver', false)), '--org-policy', file(policy({ tagValue: ['gold', 'silver'] })));
    expect(row(both, 'region').mechanisms).toEqual(['aws.backup.copy.region']);
  });

  test('a plan in two regions counts, for each resource, only the plan of its own region (a copy to us-west-2 leaves us-east-1, not us-west-2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-org-two-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: {
        East: { type: 'aws:cloudformation:stack', environment: `aws://${MEMBER}/us-east-1`, properties: { templateFile: 'East.template.json' } },
        West: { type: 'aws:cloudformation:stack', environment: `aws://${MEMBER}/us-west-2`, properties: { templateFile: 'West.template.json' } },
      },
    }));
    fs.writeFileSync(path.join(dir, 'East.template.json'), JSON.stringify(memberTemplate()));
    fs.writeFileSync(path.join(dir, 'West.template.json'), JSON.stringify(memberTemplate()));
    const doc = await reportJson(dir, '--org-policy', file(policy({ central: false, regions: ['us-east-1', 'us-west-2'] })));
    const region = (stack: string) => doc.resources.find((r: any) => r.stackName === stack).disruptions.find((d: any) => d.disruption === 'region');
    expect(region('East').mechanisms).toEqual(['aws.backup.copy.region']);
    expect(region('West').status).toBe('unprotected');
    expect(doc.organizationPolicy.findings.join('\n')).toContain('copies of rule Daily of plan gold-plan go to us-west-2, which is also a region of the plan');
  });

  test('bad inputs: exit 2 with one line naming the file and the rule', async () => {
    const bad = async (p: string, message: RegExp) => {
      const r = await run('report', memberAssembly(), '--org-policy', p);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    };
    await bad('/nonexistent/policy.json', /^drkit: \[DRK107\] --org-policy \/nonexistent\/policy.json does not exist/);
    await bad(file('{ not json'), /\[DRK107\] .* is not valid JSON/);
    await bad(file({ Version: '2012-10-17', Statement: [] }), /\[DRK107\] .* is not an AWS Organizations backup policy/);
    await bad(file({ EffectivePolicy: { PolicyType: 'TAG_POLICY', PolicyContent: '{}' } }), /\[DRK107\] .* effective policy of type TAG_POLICY, not BACKUP_POLICY/);
    const noVault = policy();
    delete noVault.plans['gold-plan'].rules.Daily.target_backup_vault_name;
    await bad(file(noVault), /\[DRK108\] rule Daily of plan gold-plan .* has no target_backup_vault_name/);
    const noTag = policy();
    delete noTag.plans['gold-plan'].selections.tags.gold.tag_key;
    await bad(file(noTag), /\[DRK108\] tag selection gold of plan gold-plan .* needs tag_key and tag_value/);
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-org-empty-'));
    fs.writeFileSync(path.join(emptyDir, 'Stack.template.json'), JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }));
    await bad(emptyDir, /\[DRK107\] .* holds no AWS::Organizations::Policy of type BACKUP_POLICY/);
  });

  test('drkit report --help documents --org-policy and its three input forms', async () => {
    const r = await run('report', '--help');
    expect(r.out).toContain('--org-policy <path>');
    expect(r.out).toContain('describe-effective-policy --policy-type BACKUP_POLICY');
    expect(r.out).toContain('AWS::Organizations::Policy of type BACKUP_POLICY');
    const typo = await run('report', memberAssembly(), '--org-polcy', 'x');
    expect(typo.err).toMatch(/did you mean --org-policy\?/);
  });
});
