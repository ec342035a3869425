import { assigned, centralObjective, code, objectNodes, sampleObjective } from './fixtures';
import {
  BackupPolicyDocument, BackupPolicyReader, ChildPolicyControl, Facts, Immutability, OrganizationMemberTemplate,
  OrganizationPolicyPlanner, OrganizationPolicyProps, OrganizationPreconditions, Period, RecoveryObjective,
} from '../../../lib/core';

const CHILD = '@@operators_allowed_for_child_policies';

function plan(props: Partial<OrganizationPolicyProps> = {}) {
  return OrganizationPolicyPlanner.plan({
    objectives: [sampleObjective()],
    regions: ['us-east-1'],
    secondaryRegion: 'us-west-2',
    childPolicyControl: ChildPolicyControl.OPEN,
    ...props,
  });
}


describe('OrganizationPolicyPlanner: the rendered policy follows the documented backup policy syntax', () => {
  test('GIVEN the sample objective WHEN planned THEN one plan named after it, with regions, rules, tag selection and plan tags, each value behind @@assign', () => {
    const p = plan();
    expect(Object.keys(p.content)).toEqual(['plans']);
    expect(Object.keys(p.content.plans)).toEqual(['drkit-gold']);
    const gold = p.content.plans['drkit-gold'];
    expect(assigned(gold.regions)).toEqual(['us-east-1']);
    expect(Object.keys(gold.rules)).toEqual(['Continuous', 'Daily', 'Monthly']);
    expect(gold.selections.tags['drkit-objective']).toEqual({
      iam_role_arn: { '@@assign': 'arn:aws:iam::$account:role/service-role/drkit-org-backup' },
      tag_key: { '@@assign': 'drkit:objective' },
      tag_value: { '@@assign': ['gold'] },
    });
    expect(gold.backup_plan_tags['drkit-objective']).toEqual({ tag_key: { '@@assign': 'drkit:objective' }, tag_value: { '@@assign': 'gold' } });
    for (const rule of Object.values<any>(gold.rules)) {
      expect(assigned(rule.schedule_expression)).toMatch(/^cron\(/);
      expect(assigned(rule.target_backup_vault_name)).toBe('drkit-org-vault');
      // "If this value is included, it must be at least 60 minutes to avoid errors."
      expect(Number(assigned(rule.start_backup_window_minutes))).toBeGreaterThanOrEqual(60);
      expect(Number(assigned(rule.complete_backup_window_minutes))).toBeGreaterThan(Number(assigned(rule.start_backup_window_minutes)));
    }
  });

  test('GIVEN the sample objective THEN the 1-hour RPO is a continuous rule kept 35 days without cold storage, and only snapshot rules copy', () => {
    const rules = plan().content.plans['drkit-gold'].rules;
    expect(assigned(rules.Continuous.enable_continuous_backup)).toBe('true');
    expect(rules.Continuous.lifecycle).toEqual({ delete_after_days: { '@@assign': '35' } });
    expect(rules.Continuous.copy_actions).toBeUndefined();
    expect(assigned(rules.Monthly.lifecycle.delete_after_days)).toBe('372');
    expect(assigned(rules.Monthly.lifecycle.move_to_cold_storage_after_days)).toBe('30');
  });

  test('every lifecycle that moves to cold storage deletes at least 90 days later, in rules and copies', () => {
    const p = plan({ objectives: [sampleObjective(), centralObjective()], backupAccount: '111122223333' });
    let checked = 0;
    for (const { node } of objectNodes(p.content)) {
      if (node.move_to_cold_storage_after_days === undefined) continue;
      const diff = Number(assigned(node.delete_after_days)) - Number(assigned(node.move_to_cold_storage_after_days));
      expect(diff).toBeGreaterThanOrEqual(Facts.ORG_POLICY_COLD_STORAGE.value!.toDays());
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  test('copy actions are keyed by the destination vault ARN they assign: $account for the copy region, the central account id for account compromise, never $region', () => {
    const p = plan({ objectives: [centralObjective()], backupAccount: '111122223333', regions: ['us-east-1', 'eu-west-1'], centralRegion: 'eu-west-1' });
    const daily = p.content.plans['drkit-platinum'].rules.Daily;
    expect(Object.keys(daily.copy_actions)).toEqual([
      'arn:aws:backup:us-west-2:$account:backup-vault:drkit-org-vault',
      'arn:aws:backup:eu-west-1:111122223333:backup-vault:drkit-central-vault',
    ]);
    for (const [key, copy] of Object.entries<any>(daily.copy_actions)) expect(assigned(copy.target_backup_vault_arn)).toBe(key);
    expect(JSON.stringify(p.content)).not.toContain('$region');
    expect(p.advisories.join('\n')).toContain('cross-Region and cross-account');
    expect(p.centralVaultLock).toEqual({ mode: Immutability.COMPLIANCE, minRetentionDays: 7, maxRetentionDays: 366, changeableForDays: 3 });
  });

  test('the member vault lock covers every rule (compliance when an objective asks), and the member regions add the copy region', () => {
    const p = plan();
    expect(p.vaultLock).toEqual({ mode: Immutability.COMPLIANCE, minRetentionDays: 35, maxRetentionDays: 372, changeableForDays: 3 });
    expect(p.memberRegions).toEqual(['us-east-1', 'us-west-2']);
  });

  test('ChildPolicyControl.LOCKED puts @@none on every node of the plan and @@append on plans (documentation examples 3 and 4)', () => {
    const p = plan({ childPolicyControl: ChildPolicyControl.LOCKED });
    expect(p.content.plans[CHILD]).toEqual(['@@append']);
    const nodes = objectNodes(p.content.plans['drkit-gold'], '/plans/drkit-gold');
    expect(nodes.length).toBeGreaterThan(40);
    for (const { path, node } of nodes) expect([path, node[CHILD]]).toEqual([path, ['@@none']]);
    const open = plan();
    expect(JSON.stringify(open.content)).not.toContain(CHILD);
    expect(p.contentCharacters).toBeGreaterThan(open.contentCharacters);
    expect(p.contentCharacters).toBe(JSON.stringify(p.content).length);
  });
});

describe('OrganizationPolicyPlanner refuses what the documentation forbids', () => {
  test('a copy region among the policy regions (DRK103)', () => {
    expect(code(() => plan({ regions: ['us-east-1', 'us-west-2'] }))).toMatch(/^DRK103 .*`secondaryRegion` "us-west-2" is also one of `regions`/);
  });
  test('region outage without a secondary region, account compromise without a backup account (DRK103)', () => {
    expect(code(() => plan({ secondaryRegion: undefined }))).toMatch(/^DRK103 .*no `secondaryRegion`/);
    expect(code(() => plan({ objectives: [centralObjective()] }))).toMatch(/^DRK103 .*no `backupAccount`.*Use actual account ID for cross-account copies/);
  });
  test('a region-outage RPO no scheduled copy can meet (DRK010)', () => {
    const o = RecoveryObjective.of({ name: 'x', rpo: Period.hours(1), rto: Period.hours(1) });
    expect(code(() => plan({ objectives: [o] }))).toMatch(/^DRK010 /);
  });
  test('two objectives with one name (duplicate plan keys, DRK103)', () => {
    expect(code(() => plan({ objectives: [sampleObjective(), sampleObjective()] }))).toMatch(/^DRK103 .*Duplicate key names will be rejected in JSON/);
  });
  test('names: vault, role, plan (DRK101)', () => {
    expect(code(() => plan({ vaultName: 'a' }))).toMatch(/^DRK101 .*2 to 50/);
    expect(code(() => plan({ backupRoleName: 'has space' }))).toMatch(/^DRK101 .*IAM role name/);
    expect(code(() => plan({ planNamePrefix: 'x'.repeat(200) }))).toMatch(/^DRK101 .*1 to 200 characters/);
    expect(code(() => plan({ tagKey: 'aws:reserved' }))).toMatch(/^DRK101 /);
  });
  test('a policy over 10,000 characters (DRK100), with the quota and its source', () => {
    const many = Array.from({ length: 4 }, (_, i) => sampleObjective(`objective-${i}`));
    const msg = code(() => plan({ objectives: many, childPolicyControl: ChildPolicyControl.LOCKED }));
    expect(msg).toMatch(/^DRK100 .*Backup policies: 10,000 characters.*orgs_reference_limits.html/);
  });
  test('bad regions and accounts', () => {
    expect(code(() => plan({ regions: [] }))).toMatch(/^DRK103 /);
    expect(code(() => plan({ regions: ['us-east-9'] }))).toMatch(/^DRK022 /);
    expect(code(() => plan({ backupAccount: '1234' }))).toMatch(/^DRK104 /);
  });
});

/** A complete policy in the documented shape (hand-written, not drkit's output), for the checker's own tests. */
function documented(): any {
  const a = (v: any) => ({ '@@assign': v });
  return {
    plans: {
      Example_Plan: {
        regions: { '@@append': ['us-east-1', 'eu-north-1'] },
        rules: {
          Daily_Rule: {
            schedule_expression: a('cron(0 5 ? * * *)'),
            start_backup_window_minutes: a('60'),
            complete_backup_window_minutes: a('604800'),
            target_backup_vault_name: a('Example_Vault'),
            lifecycle: { move_to_cold_storage_after_days: a('180'), delete_after_days: a('270') },
            copy_actions: {
              'arn:aws:backup:us-west-2:$account:backup-vault:Example_Copy': {
                target_backup_vault_arn: a('arn:aws:backup:us-west-2:$account:backup-vault:Example_Copy'),
                lifecycle: { move_to_cold_storage_after_days: a('30'), delete_after_days: a('120') },
              },
            },
          },
        },
        selections: { tags: { datatype: { iam_role_arn: a('arn:aws:iam::$account:role/ExampleRole'), tag_key: a('dataType'), tag_value: a(['PII']) } } },
      },
    },
  };
}

describe('BackupPolicyDocument.check: the documented rules on any policy', () => {
  const rule = (d: any) => d.plans.Example_Plan.rules.Daily_Rule;
  test('a policy in the documented shape passes, and its size is its compact JSON length', () => {
    expect(BackupPolicyDocument.check(documented())).toBe(JSON.stringify(documented()).length);
  });
  test('cold storage less than 90 days before deletion (DRK102)', () => {
    const d = documented();
    rule(d).lifecycle.delete_after_days = { '@@assign': '200' };
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK102 .*only 20 days later.*90 days greater/);
  });
  test('continuous backup with cold storage, or kept past 35 days (DRK102)', () => {
    const d = documented();
    rule(d).enable_continuous_backup = { '@@assign': 'true' };
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK102 .*continuous backup rule moves recovery points to cold storage/);
    delete rule(d).lifecycle.move_to_cold_storage_after_days;
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK102 .*keeps recovery points 270 days.*35-day maximum retention/);
  });
  test('a start window under 60 minutes (DRK102)', () => {
    const d = documented();
    rule(d).start_backup_window_minutes = { '@@assign': '30' };
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK102 .*at least 60 minutes/);
  });
  test('a copy action keyed by another ARN, or using $region (DRK103)', () => {
    const d = documented();
    const copies = rule(d).copy_actions;
    const [key] = Object.keys(copies);
    copies[key].target_backup_vault_arn = { '@@assign': key.replace('Example_Copy', 'example_copy') };
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK103 .*key name must be the Amazon Resource Name/);
    const r = documented();
    const arn = 'arn:aws:backup:$region:$account:backup-vault:Example_Copy';
    rule(r).copy_actions = { [arn]: { target_backup_vault_arn: { '@@assign': arn } } };
    expect(code(() => BackupPolicyDocument.check(r))).toMatch(/^DRK103 .*uses `\$region`/);
  });
  test('missing regions, selections or IAM role (DRK103); bad names (DRK101); unknown operators (DRK103)', () => {
    const d = documented();
    delete d.plans.Example_Plan.regions;
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK103 .*Policies must specify the AWS Regions/);
    const s = documented();
    s.plans.Example_Plan.selections.tags.datatype.iam_role_arn = { '@@assign': 'MyRole' };
    expect(code(() => BackupPolicyDocument.check(s))).toMatch(/^DRK103 .*IAM role that AWS Backup assumes/);
    const n = documented();
    n.plans['bad name'] = n.plans.Example_Plan;
    expect(code(() => BackupPolicyDocument.check(n))).toMatch(/^DRK101 /);
    const o = documented();
    o.plans.Example_Plan.regions = { '@@set': ['us-east-1'] };
    expect(code(() => BackupPolicyDocument.check(o))).toMatch(/^DRK103 .*unknown operator "@@set"/);
  });
  test('over 10,000 characters (DRK100)', () => {
    const d = documented();
    d.plans.Example_Plan.selections.tags.datatype.tag_value = { '@@assign': Array.from({ length: 1000 }, (_, i) => `value-${i}`) };
    expect(code(() => BackupPolicyDocument.check(d))).toMatch(/^DRK100 /);
  });
});

describe('OrganizationMemberTemplate: what the policy needs in every member account', () => {
  test('the vault under the policy\'s name with its lock and deletion denial, the named role (one region owns the IAM roles)', () => {
    const p = plan();
    const t = OrganizationMemberTemplate.render(p);
    const vault = t.Resources.Vault;
    expect(vault.DeletionPolicy).toBe('Retain');
    expect(vault.Properties.BackupVaultName).toBe(p.vaultName);
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 35, MaxRetentionDays: 372, ChangeableForDays: 3 });
    expect(vault.Properties.AccessPolicy.Statement[0]).toMatchObject({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] });
    expect(t.Resources.VaultKey.Properties.EnableKeyRotation).toBe(true);
    const role = t.Resources.BackupRole;
    expect(role.Condition).toBe('OwnsRoles');
    expect(t.Conditions.OwnsRoles).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(`arn:aws:iam::$account:role${role.Properties.Path}${role.Properties.RoleName}`)
      .toBe(assigned(p.content.plans['drkit-gold'].selections.tags['drkit-objective'].iam_role_arn));
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSBackupServiceRolePolicyForBackup');
    expect(t.Resources.RestoreTestingRole.Properties.RoleName).toBe('drkit-org-restore-testing');
    expect(Buffer.byteLength(OrganizationMemberTemplate.body(p))).toBeLessThanOrEqual(Facts.STACKSET_TEMPLATE_BODY_MAX_BYTES);
  });
  test('a governance lock has no ChangeableForDays', () => {
    const p = plan({ objectives: [centralObjective()], backupAccount: '111122223333' });
    expect(OrganizationMemberTemplate.render(p).Resources.Vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7, MaxRetentionDays: 366 });
  });
});

describe('BackupPolicyReader: a policy back into plans', () => {
  test('reads drkit\'s policy (locked, values behind @@assign) into the rules the planner made', () => {
    const cases = [
      [sampleObjective(), ChildPolicyControl.LOCKED], [centralObjective(), ChildPolicyControl.LOCKED], [centralObjective(), ChildPolicyControl.OPEN],
    ] as const;
    for (const [objective, control] of cases) {
      const p = plan({ objectives: [objective], backupAccount: '111122223333', childPolicyControl: control });
      const plans = BackupPolicyReader.plans(p.content);
      expect(plans.map(x => x.name)).toEqual([`drkit-${objective.name}`]);
      check(p, plans);
    }
  });

  function check(p: ReturnType<typeof plan>, plans: ReturnType<typeof BackupPolicyReader.plans>): void {
    plans.forEach((read, i) => {
      const planned = p.plans[i];
      expect(read.regions).toEqual(['us-east-1']);
      const role = 'arn:aws:iam::$account:role/service-role/drkit-org-backup';
      expect(read.selections).toEqual([{ id: 'drkit-objective', iamRoleArn: role, tagKey: 'drkit:objective', tagValues: [planned.objectiveName] }]);
      expect(read.tags).toEqual({ 'drkit:objective': planned.objectiveName });
      const readRules = read.rules.map(r => [
        r.name, r.scheduleExpression, r.startWindowMinutes, r.completionWindowMinutes, r.continuous, r.deleteAfterDays,
      ]);
      const plannedRules = planned.rules.map(r => [
        r.name, r.scheduleExpression, r.startWindowMinutes, r.completionWindowMinutes, r.enableContinuousBackup, r.deleteAfterDays,
      ]);
      expect(readRules).toEqual(plannedRules);
      expect(read.rules.map(r => r.moveToColdStorageAfterDays)).toEqual(planned.rules.map(r => r.moveToColdStorageAfterDays));
      expect(read.rules.map(r => r.copies.map(c => [c.region, c.account, c.deleteAfterDays])))
        .toEqual(planned.rules.map(r => r.copies.map(c => [c.region ?? 'us-east-1', c.account ?? '$account', c.deleteAfterDays])));
    });
  }

  test('reads an effective policy (plain values)', () => {
    const effective = {
      plans: {
        P: {
          regions: ['us-east-1'],
          rules: { hourly: { schedule_expression: 'cron(0 0/1 ? * * *)', start_backup_window_minutes: '60', target_backup_vault_name: 'V', lifecycle: { delete_after_days: '2' } } },
          selections: { tags: { t: { iam_role_arn: 'arn:aws:iam::123456789012:role/R', tag_key: 'k', tag_value: ['a', 'b'] } } },
        },
      },
    };
    expect(BackupPolicyReader.plans(effective)).toEqual([{
      name: 'P',
      regions: ['us-east-1'],
      rules: [{ name: 'hourly', scheduleExpression: 'cron(0 0/1 ? * * *)', startWindowMinutes: 60, completionWindowMinutes: undefined, vaultName: 'V', continuous: false, deleteAfterDays: 2, moveToColdStorageAfterDays: undefined, copies: [] }],
      selections: [{ id: 't', iamRoleArn: 'arn:aws:iam::123456789012:role/R', tagKey: 'k', tagValues: ['a', 'b'] }],
      tags: {},
    }]);
  });
});

describe('OrganizationPreconditions', () => {
  test('the one-time settings, each with its CLI command and source; the delegated administrator only when asked', () => {
    const list = OrganizationPreconditions.list({ rootId: 'r-ab12' });
    expect(list.map(p => p.command)).toEqual([
      'aws organizations enable-aws-service-access --service-principal backup.amazonaws.com',
      'aws organizations enable-policy-type --root-id r-ab12 --policy-type BACKUP_POLICY',
      'aws cloudformation activate-organizations-access',
      'aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true',
    ]);
    for (const p of list) expect(p.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    const delegated = OrganizationPreconditions.list({ delegatedAdminAccount: '222233334444', crossAccountCopies: false });
    expect(delegated.map(p => p.id)).toEqual(['backup-trusted-access', 'backup-policy-type', 'stacksets-trusted-access', 'backup-delegated-admin', 'stacksets-delegated-admin']);
    expect(delegated[3].command).toBe('aws organizations register-delegated-administrator --account-id 222233334444 --service-principal backup.amazonaws.com');
  });
});
