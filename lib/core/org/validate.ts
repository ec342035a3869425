// Checks an AWS Organizations backup policy document against the rules its documentation states
// (the "Backup policy syntax and examples" page, the Organizations quotas, the AWS Backup API's
// name rules). Used on drkit's own rendered policies (so a planner bug cannot ship a policy AWS
// refuses or misreads) and available for any policy document.
import { Facts } from '../catalog';
import { DrkitError, DrkitErrorCode } from '../errors';

const CHILD = '@@operators_allowed_for_child_policies';
const VALUE_OPERATORS = ['@@assign', '@@append', '@@remove'];
const CHILD_VALUES = ['@@none', '@@assign', '@@append', '@@remove'];
const NAME = /^[A-Za-z0-9\-_.]+$/;
const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;
// arn:<partition>:backup:<region>:<$account or 12 digits>:backup-vault:<name>
const COPY_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+|\$region):(\$account|\d{12}):backup-vault:(.+)$/;

/** Checks of AWS Organizations backup policy documents. */
export class BackupPolicyDocument {
  /**
   * Checks `content` (a backup policy as a JSON object) against the documented rules and returns
   * its size in characters (compact JSON). Throws a DrkitError (DRK100-DRK103) naming the rule
   * and its source.
   *
   * @param where what to name in messages
   */
  public static check(content: any, where?: string): number {
    return checkBackupPolicyDocument(content, where ?? 'backup policy');
  }

  /** The document's size in characters, as the quota counts a policy saved through the API (compact JSON). */
  public static characters(content: any): number {
    return JSON.stringify(content).length;
  }

  private constructor() {}
}

/** @internal */
export function checkBackupPolicyDocument(content: any, where: string): number {
  const fail = (code: DrkitErrorCode, message: string): never => {
    throw new DrkitError(code, `${where}: ${message}`);
  };
  const syntax = Facts.ORG_BACKUP_POLICY_SYNTAX_SOURCE;
  if (!isObject(content) || !isObject(content.plans)) {
    fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `the document has no \`plans\` object: "At the top level key of the policy is the plans key. A backup policy must always start with this fixed key name" (${syntax})`);
  }
  for (const key of Object.keys(content)) {
    if (key !== 'plans' && !key.startsWith('@@')) fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `unknown top-level key "${key}": a backup policy has only \`plans\` (${syntax})`);
  }
  checkOperators(content, '', fail);
  const planNames = Object.keys(content.plans).filter(k => !k.startsWith('@@'));
  if (planNames.length === 0) fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `\`plans\` is empty: a policy needs one or more backup plans (${syntax})`);
  for (const planName of planNames) {
    if (!NAME.test(planName) || planName.length > Facts.BACKUP_PLAN_NAME_MAX) {
      fail(DrkitErrorCode.ORG_POLICY_NAME, `backup plan name "${planName}" breaks the rule: ${Facts.BACKUP_PLAN_NAME_RULE.statement} (${Facts.BACKUP_PLAN_NAME_RULE.source})`);
    }
    const plan = content.plans[planName];
    const at = `plan "${planName}"`;
    for (const required of ['regions', 'rules', 'selections']) {
      if (!isObject(plan?.[required])) {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at} has no \`${required}\`: ${required === 'regions' ? '"Policies must specify the AWS Regions and resources to be backed up"' : `\`${required}\` is a required element`} (${syntax})`);
      }
    }
    const regions = valueOf(plan.regions);
    if (!Array.isArray(regions) || regions.length === 0) fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: \`regions\` must list at least one region code (${syntax})`);
    const ruleNames = Object.keys(plan.rules).filter(k => !k.startsWith('@@'));
    if (ruleNames.length === 0) fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: \`rules\` is empty (${syntax})`);
    for (const ruleName of ruleNames) checkRule(plan.rules[ruleName], `${at} rule "${ruleName}"`, ruleName, fail);
    const tags = plan.selections.tags;
    if (!isObject(tags) && !isObject(plan.selections.resources)) {
      fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: \`selections\` has neither \`tags\` nor \`resources\`: "An effective policy must have either tags or resources in the selection to be valid" (${syntax})`);
    }
    for (const [id, sel] of Object.entries(tags ?? {})) {
      if (id.startsWith('@@')) continue;
      const role = valueOf((sel as any)?.iam_role_arn);
      if (typeof role !== 'string' || !/^arn:aws[a-z-]*:iam::(\$account|\d{12}):role\/.+/.test(role)) {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at} selection "${id}": \`iam_role_arn\` ${JSON.stringify(role)} is not an IAM role ARN: "Policies must specify the IAM role that AWS Backup assumes" (${syntax}); use arn:aws:iam::$account:role/<name>`);
      }
      if (typeof valueOf((sel as any)?.tag_key) !== 'string' || valueOf((sel as any)?.tag_value) === undefined) {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at} selection "${id}": \`tag_key\` and \`tag_value\` are required (${syntax})`);
      }
    }
  }
  const size = BackupPolicyDocument.characters(content);
  if (size > Facts.ORG_BACKUP_POLICY_MAX_CHARS) {
    fail(DrkitErrorCode.ORG_POLICY_TOO_LARGE, `the policy document is ${size.toLocaleString('en-US')} characters, over the quota: ${Facts.ORG_BACKUP_POLICY_SIZE.statement} (${Facts.ORG_BACKUP_POLICY_SIZE.source}); split the objectives over several OrganizationBackupPolicy constructs (one per objective), list fewer regions per policy, or use ChildPolicyControl.OPEN (drops the child control operator from every node)`);
  }
  return size;
}

function checkRule(rule: any, at: string, name: string, fail: (code: DrkitErrorCode, message: string) => never): void {
  const syntax = Facts.ORG_BACKUP_POLICY_SYNTAX_SOURCE;
  if (!NAME.test(name) || name.length > Facts.BACKUP_RULE_NAME_MAX) {
    fail(DrkitErrorCode.ORG_POLICY_NAME, `rule name "${name}" breaks the rule: ${Facts.BACKUP_RULE_NAME_RULE.statement} (${Facts.BACKUP_RULE_NAME_RULE.source})`);
  }
  if (typeof valueOf(rule?.schedule_expression) !== 'string') fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at} has no \`schedule_expression\`, a required element (${syntax})`);
  const vault = valueOf(rule.target_backup_vault_name);
  if (typeof vault !== 'string') fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at} has no \`target_backup_vault_name\`, a required element (${syntax})`);
  if (!VAULT_NAME.test(vault)) fail(DrkitErrorCode.ORG_POLICY_NAME, `${at}: vault name "${vault}" breaks the rule ${Facts.BACKUP_VAULT_NAME_RULE.statement} (${Facts.BACKUP_VAULT_NAME_RULE.source})`);
  const start = valueOf(rule.start_backup_window_minutes);
  if (start !== undefined && Number(start) < Facts.ORG_POLICY_START_WINDOW.value!.toMinutes()) {
    fail(DrkitErrorCode.ORG_POLICY_LIFECYCLE, `${at}: \`start_backup_window_minutes\` is ${start}: ${Facts.ORG_POLICY_START_WINDOW.statement} (${Facts.ORG_POLICY_START_WINDOW.source}); use 60 or more`);
  }
  const continuous = String(valueOf(rule.enable_continuous_backup)).toLowerCase() === 'true';
  checkLifecycle(rule.lifecycle, at, continuous, fail);
  const copies = rule.copy_actions;
  if (copies !== undefined) {
    for (const [key, copy] of Object.entries(copies)) {
      if (key.startsWith('@@')) continue;
      const arn = valueOf((copy as any)?.target_backup_vault_arn);
      if (arn !== key) {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: the copy action "${key}" ${arn === undefined ? 'has no `target_backup_vault_arn`' : `targets "${arn}", not the ARN it is keyed by`}: ${Facts.ORG_POLICY_COPY_KEY.statement} (${Facts.ORG_POLICY_COPY_KEY.source})`);
      }
      const m = COPY_ARN.exec(key);
      if (!m) fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: the copy target "${key}" is not a backup vault ARN (arn:aws:backup:<region>:<$account or account id>:backup-vault:<name>) (${syntax})`);
      if (m![1] === '$region') {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${at}: the copy target "${key}" uses \`$region\`: ${Facts.ORG_POLICY_COPY_TARGET.statement} (${Facts.ORG_POLICY_COPY_TARGET.source}); name the destination region`);
      }
      if (!VAULT_NAME.test(m![3])) fail(DrkitErrorCode.ORG_POLICY_NAME, `${at}: copy vault name "${m![3]}" breaks the rule ${Facts.BACKUP_VAULT_NAME_RULE.statement} (${Facts.BACKUP_VAULT_NAME_RULE.source})`);
      checkLifecycle((copy as any).lifecycle, `${at} copy to ${key}`, false, fail);
    }
  }
}

function checkLifecycle(lifecycle: any, at: string, continuous: boolean, fail: (code: DrkitErrorCode, message: string) => never): void {
  const del = num(valueOf(lifecycle?.delete_after_days));
  const cold = num(valueOf(lifecycle?.move_to_cold_storage_after_days));
  const coldFact = Facts.ORG_POLICY_COLD_STORAGE;
  const pitr = Facts.ORG_POLICY_CONTINUOUS_RETENTION;
  if (continuous && cold !== undefined) {
    fail(DrkitErrorCode.ORG_POLICY_LIFECYCLE, `${at}: a continuous backup rule moves recovery points to cold storage after ${cold} days, which cannot be: ${pitr.statement} and ${coldFact.statement} (${coldFact.source}); remove move_to_cold_storage_after_days`);
  }
  if (continuous && del !== undefined && del > pitr.value!.toDays()) {
    fail(DrkitErrorCode.ORG_POLICY_LIFECYCLE, `${at}: a continuous backup rule keeps recovery points ${del} days: ${pitr.statement} (${pitr.source}); keep them at most 35 days and keep older points with snapshot rules`);
  }
  if (cold !== undefined && del !== undefined && del - cold < coldFact.value!.toDays()) {
    fail(DrkitErrorCode.ORG_POLICY_LIFECYCLE, `${at}: recovery points move to cold storage after ${cold} days and are deleted after ${del} days, only ${del - cold} days later: ${coldFact.statement} (${coldFact.source}); delete after ${cold + coldFact.value!.toDays()} days or more, or drop the cold storage move`);
  }
}

function checkOperators(node: any, path: string, fail: (code: DrkitErrorCode, message: string) => never): void {
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (!k.startsWith('@@')) {
      checkOperators(v, `${path}/${k}`, fail);
      continue;
    }
    if (k === CHILD) {
      if (!Array.isArray(v) || v.some(x => !CHILD_VALUES.includes(x))) {
        fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${path || '/'}: ${CHILD} must list child control operators among ${CHILD_VALUES.join(', ')}, got ${JSON.stringify(v)} (${Facts.ORG_POLICY_OPERATORS_SOURCE})`);
      }
    } else if (!VALUE_OPERATORS.includes(k)) {
      fail(DrkitErrorCode.ORG_POLICY_SYNTAX, `${path || '/'}: unknown operator "${k}": backup policies use the value-setting operators ${VALUE_OPERATORS.join(', ')} and ${CHILD} (${Facts.ORG_POLICY_OPERATORS_SOURCE})`);
    }
  }
}

function isObject(x: any): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The value of a policy element: its `@@assign` (or `@@append`) value, or the element itself. */
function valueOf(x: any): any {
  if (!isObject(x)) return x;
  if ('@@assign' in x) return x['@@assign'];
  if ('@@append' in x) return x['@@append'];
  return undefined;
}

function num(x: any): number | undefined {
  if (x === undefined || x === null) return undefined;
  const n = Number(x);
  return Number.isFinite(n) ? n : undefined;
}
