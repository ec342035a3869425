import * as backupdr from '@pulumi/gcp/backupdisasterrecovery';
import * as pulumi from '@pulumi/pulumi';
import { CloudReportEntry } from '../../core/clouds/common';
import { GcpBackupPlan, GcpBackupPlanner } from '../../core/clouds/gcp';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** Arguments of a Backup and DR vault, plan and associations planned from an objective. */
export interface BackupAndDrPlanArgs {
  /** The recovery objective the backups must meet. */
  readonly objective: RecoveryObjective;
  /** Location of the vault and plan, for example `us-central1`. */
  readonly location: pulumi.Input<string>;
  /** `resourceType` of the protected resources, for example `compute.googleapis.com/Instance`. */
  readonly resourceType: string;
  /** Full resource names of the resources to protect (one association each). @default - none */
  readonly resources?: pulumi.Input<string>[];
  /** Time (RFC 3339) from which the vault's minimum enforced retention is locked. @default - not locked */
  readonly lockEffectiveTime?: string;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
  /**
   * Cloud KMS key that encrypts new backups in the vault (`encryptionConfig.kmsKeyName`); it must
   * be in the vault's location.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
}

/** A lower-case id from the component name, as Backup and DR ids require. */
function idFrom(name: string, suffix: string): string {
  const base = `${name}-${suffix}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '');
  return base.slice(0, 63).replace(/-+$/, '');
}

/**
 * A Backup and DR backup vault (minimum enforced retention from the objective, locked from
 * `lockEffectiveTime`), a backup plan whose rules follow the objective's RPO and retention,
 * and one plan association per protected resource.
 */
export class BackupAndDrPlan extends pulumi.ComponentResource {
  /** The backup vault. */
  public readonly vault: backupdr.BackupVault;
  /** The backup plan. */
  public readonly backupPlan: backupdr.BackupPlan;
  /** The associations, in the order of `resources`. */
  public readonly associations: backupdr.BackupPlanAssociation[];
  /** The neutral plan. */
  public readonly plan: pulumi.Output<GcpBackupPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: BackupAndDrPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `BackupAndDrPlan ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = GcpBackupPlanner.backupPlan(args.objective, {
      resourceName: name,
      resourceType: args.resourceType,
      lockEffectiveTime: args.lockEffectiveTime,
    });
    super('drkit:gcp:BackupAndDrPlan', name, {}, opts);
    this.vault = new backupdr.BackupVault(`${name}-vault`, {
      project: args.project,
      location: args.location,
      backupVaultId: idFrom(name, 'vault'),
      backupMinimumEnforcedRetentionDuration: `${plan.minimumEnforcedRetentionDays * 86400}s`,
      ...(plan.lockEffectiveTime !== undefined ? { effectiveTime: plan.lockEffectiveTime } : {}),
      ...(args.kmsKeyName !== undefined ? { encryptionConfig: { kmsKeyName: args.kmsKeyName } } : {}),
      description: `drkit: backups for objective "${args.objective.name}"`,
    }, { parent: this, retainOnDelete: true });
    this.backupPlan = new backupdr.BackupPlan(`${name}-plan`, {
      project: args.project,
      location: args.location,
      backupPlanId: idFrom(name, 'plan'),
      resourceType: args.resourceType,
      backupVault: this.vault.id,
      backupRules: plan.rules.map(r => ({
        ruleId: r.ruleId,
        backupRetentionDays: r.backupRetentionDays,
        standardSchedule: {
          recurrenceType: r.recurrenceType,
          timeZone: 'UTC',
          backupWindow: { startHourOfDay: r.windowStartHour, endHourOfDay: r.windowEndHour },
          ...(r.hourlyFrequency !== undefined ? { hourlyFrequency: r.hourlyFrequency } : {}),
          ...(r.daysOfWeeks !== undefined ? { daysOfWeeks: r.daysOfWeeks } : {}),
          ...(r.daysOfMonths !== undefined ? { daysOfMonths: r.daysOfMonths } : {}),
          ...(r.months !== undefined ? { months: r.months } : {}),
        },
      })),
    }, { parent: this });
    this.associations = (args.resources ?? []).map((resource, i) => new backupdr.BackupPlanAssociation(`${name}-association-${i}`, {
      project: args.project,
      location: args.location,
      backupPlanAssociationId: idFrom(name, `association-${i}`),
      backupPlan: this.backupPlan.id,
      resource,
      resourceType: args.resourceType,
    }, { parent: this }));
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
