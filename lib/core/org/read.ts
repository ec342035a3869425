// Reads a backup policy document back into plans: a policy as written (values behind `@@assign`,
// `@@append`) or an effective policy (plain values, as `aws organizations describe-effective-policy`
// returns it). For the recovery report (`drkit report --org-policy`) and the parity tests.

/** One copy action of a policy rule. */
export interface PolicyCopy {
  /** The destination vault ARN (may contain `$account`). */
  readonly vaultArn: string;
  /** The destination region, from the ARN. */
  readonly region: string;
  /** The destination account: `$account` (the account the plan runs in) or an account id. */
  readonly account: string;
  /**
   * Days the copy is kept.
   * @default - the source rule's lifecycle
   */
  readonly deleteAfterDays?: number;
  /**
   * Days before the copy moves to cold storage.
   * @default - never
   */
  readonly moveToColdStorageAfterDays?: number;
}

/** One rule of a policy plan. */
export interface PolicyRule {
  /** Rule name. */
  readonly name: string;
  /** `cron(...)` schedule. */
  readonly scheduleExpression: string;
  /**
   * Start window in minutes.
   * @default - AWS Backup's default
   */
  readonly startWindowMinutes?: number;
  /**
   * Completion window in minutes.
   * @default - AWS Backup's default
   */
  readonly completionWindowMinutes?: number;
  /** Target vault name. */
  readonly vaultName: string;
  /** Continuous backup (point-in-time restore). */
  readonly continuous: boolean;
  /**
   * Days a recovery point is kept.
   * @default - kept until deleted
   */
  readonly deleteAfterDays?: number;
  /**
   * Days before a recovery point moves to cold storage.
   * @default - never
   */
  readonly moveToColdStorageAfterDays?: number;
  /** Copies. */
  readonly copies: PolicyCopy[];
}

/** One tag selection of a policy plan. */
export interface PolicySelection {
  /** Selection id. */
  readonly id: string;
  /** IAM role ARN (may contain `$account`). */
  readonly iamRoleArn: string;
  /** Tag key. */
  readonly tagKey: string;
  /** Tag values. */
  readonly tagValues: string[];
}

/** One backup plan of a policy. */
export interface PolicyPlan {
  /** Plan name. */
  readonly name: string;
  /** Regions. */
  readonly regions: string[];
  /** Rules. */
  readonly rules: PolicyRule[];
  /** Tag selections. */
  readonly selections: PolicySelection[];
  /** Plan tags (`backup_plan_tags`), key to value. */
  readonly tags: { [key: string]: string };
}

/** Reads backup policy documents. */
export class BackupPolicyReader {
  /** The plans of a policy document (as written, or effective). Unknown elements are ignored. */
  public static plans(content: any): PolicyPlan[] {
    const plans = content?.plans ?? {};
    return Object.keys(plans).filter(k => !k.startsWith('@@')).map(name => {
      const p = plans[name] ?? {};
      const rules = entries(p.rules).map(([ruleName, r]) => ({
        name: ruleName,
        scheduleExpression: String(v(r.schedule_expression) ?? ''),
        startWindowMinutes: n(v(r.start_backup_window_minutes)),
        completionWindowMinutes: n(v(r.complete_backup_window_minutes)),
        vaultName: String(v(r.target_backup_vault_name) ?? ''),
        continuous: String(v(r.enable_continuous_backup)).toLowerCase() === 'true',
        deleteAfterDays: n(v(r.lifecycle?.delete_after_days)),
        moveToColdStorageAfterDays: n(v(r.lifecycle?.move_to_cold_storage_after_days)),
        copies: entries(r.copy_actions).map(([key, c]) => {
          const arn = String(v(c.target_backup_vault_arn) ?? key);
          const parts = arn.split(':');
          return {
            vaultArn: arn,
            region: parts[3] ?? '',
            account: parts[4] ?? '',
            deleteAfterDays: n(v(c.lifecycle?.delete_after_days)),
            moveToColdStorageAfterDays: n(v(c.lifecycle?.move_to_cold_storage_after_days)),
          };
        }),
      }));
      const selections = entries(p.selections?.tags).map(([id, s]) => {
        const values = v(s.tag_value);
        return {
          id,
          iamRoleArn: String(v(s.iam_role_arn) ?? ''),
          tagKey: String(v(s.tag_key) ?? ''),
          tagValues: (Array.isArray(values) ? values : values === undefined ? [] : [values]).map(String),
        };
      });
      const tags: { [key: string]: string } = {};
      for (const [, t] of entries(p.backup_plan_tags)) tags[String(v(t.tag_key))] = String(v(t.tag_value));
      const regions = v(p.regions);
      return { name, regions: Array.isArray(regions) ? regions.map(String) : [], rules, selections, tags };
    });
  }

  private constructor() {}
}

function entries(x: any): Array<[string, any]> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return [];
  return Object.entries(x).filter(([k]) => !k.startsWith('@@'));
}

/** A policy element's value: behind `@@assign` / `@@append`, or plain (effective policy). */
function v(x: any): any {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
  if ('@@assign' in x) return x['@@assign'];
  if ('@@append' in x) return x['@@append'];
  return undefined;
}

function n(x: any): number | undefined {
  if (x === undefined || x === null || x === '') return undefined;
  const num = Number(x);
  return Number.isFinite(num) ? num : undefined;
}
