// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as backup from '@pulumi/aws/backup';
import * as dynamodb from '@pulumi/aws/dynamodb';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as pulumi from '@pulumi/pulumi';
import { BackupFoundation, BackupFoundationOptions, BackupMember } from './backup-foundation';
import { awsReport, CloudReportEntry } from './report';
import { withTags } from './tags';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';
import { Planner, ProtectionPlan, ResourceKind } from '../../core/plan';

/** drkit creates the table from these arguments, with PITR and deletion protection set from the plan. */
export interface DynamoTableFromArgs {
  /** Arguments of the table drkit creates (as for `new aws.dynamodb.Table`). */
  readonly args: dynamodb.TableArgs;
  /**
   * Not allowed together with `args`.
   * @default - none
   */
  readonly existing?: undefined;
}

/** drkit adopts a table created elsewhere in the program, and checks it. */
export interface DynamoTableExisting {
  /** A table created elsewhere in the program (or read with `aws.dynamodb.Table.get`). */
  readonly existing: dynamodb.Table;
  /**
   * Not allowed together with `existing`.
   * @default - none
   */
  readonly args?: undefined;
}

/** Arguments of {@link DynamoContinuousBackup}. */
export interface DynamoContinuousBackupArgs {
  /** What must be recoverable, to when, for how long, after which disruptions. */
  readonly objective: RecoveryObjective;
  /**
   * The table: `{ args }` to let drkit create it, or `{ existing }` to protect a table
   * created elsewhere. Pulumi cannot change another resource's inputs, so an existing table
   * must already have point-in-time recovery (with a recovery period at least the
   * objective's `retention.pointInTime`) and deletion protection on: drkit checks its
   * outputs and fails the deployment with DRK020, saying how to fix it, when it does not.
   * To keep a replica in a standby region, declare it in `args.replicas` (drkit sets PITR and
   * deletion protection on it, and a `DrStandby` given this component uses it).
   */
  readonly table: DynamoTableFromArgs | DynamoTableExisting;
  /**
   * Region that backups are copied to, needed when region outage is among the disruptions.
   * The copy vault and its key are created there (per-resource `region` input).
   * @default - no cross-region copy
   */
  readonly secondaryRegion?: string;
  /**
   * Account that backups are copied to, needed when account compromise is among the disruptions.
   * @default - no cross-account copy
   */
  readonly backupAccount?: string;
  /**
   * ARN of the vault in `backupAccount` that receives copies. drkit cannot create
   * resources in another account from this program: create that vault there, with an
   * access policy that allows `backup:CopyIntoBackupVault` from this account (both accounts
   * in the same AWS Organization).
   * @default - the vault named `drkit-backup-account-vault` (BACKUP_ACCOUNT_VAULT_NAME, as
   * the CDK constructs name it) in `backupAccount`, in the table's region
   */
  readonly backupAccountVaultArn?: pulumi.Input<string>;
  /**
   * The table's (primary) region: used for planning (a copy region must differ), for
   * messages, as the `region` of the table drkit creates, and to find the objective's
   * foundation in that region. Set it for an `existing` table outside the provider's region.
   * @default - the `region` in `table.args` when given, else the provider's region
   */
  readonly region?: string;
  /**
   * The `BackupFoundation` whose vault and plans back the table up.
   * @default - the foundation of the objective in the table's region, shared with every other
   * drkit component of the objective (`BackupFoundation.of`)
   */
  readonly foundation?: BackupFoundation;
}

/**
 * DynamoDB continuous backup from a recovery objective: point-in-time recovery with the
 * planned recovery period (on the table and every replica), deletion protection, and AWS
 * Backup for restore points kept past the PITR window, copied to a secondary region
 * and/or account. An objective the mechanisms cannot meet throws a DrkitError at
 * construction, so `pulumi preview` fails with the reason and the fix.
 *
 * The AWS Backup part is the objective's shared `BackupFoundation` (one vault, plan and tag
 * selection for every table of the objective and region): the table drkit creates carries the
 * `drkit:backup-plan` tag its plan selects; an existing table, which drkit cannot tag, gets a
 * selection by ARN. The table drkit creates is `retainOnDelete`.
 */
export class DynamoContinuousBackup extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:DynamoContinuousBackup';

  /** The neutral protection plan this component rendered (plain JSON, known at construction). */
  public readonly plan: ProtectionPlan;
  /**
   * Per disruption in the objective: the mechanisms, the RPO and RTO with how each is
   * established, and their sources, from the plan's achieved targets.
   */
  public readonly report: pulumi.Output<CloudReportEntry[]>;
  /** The protected table (created by drkit, or the existing one). */
  public readonly table: dynamodb.Table;
  /** The table's region when known at construction (`region`, or `table.args.region`). */
  public readonly tableRegion?: string;
  /** Regions of the replicas declared in `table.args.replicas` (a `DrStandby` given this component uses them). */
  public readonly replicaRegions: string[];
  /** ARN of the table. For an existing table, it resolves only after the PITR / deletion-protection check passes. */
  public readonly tableArn: pulumi.Output<string>;
  /** Name of the table. */
  public readonly tableName: pulumi.Output<string>;
  /** The backup foundation (vault, plans, evidence) the table joined. */
  public readonly foundation: BackupFoundation;
  /** KMS key of the backup vault. */
  public readonly key: kms.Key;
  /** The backup vault. */
  public readonly vault: backup.Vault;
  /** ARN of the backup vault. */
  public readonly vaultArn: pulumi.Output<string>;
  /** Vault Lock, when the objective asks for immutability. */
  public readonly vaultLock?: backup.VaultLockConfiguration;
  /** The AWS Backup plan of the table's rules. */
  public readonly backupPlan: backup.Plan;
  /** Id of the AWS Backup plan. */
  public readonly backupPlanId: pulumi.Output<string>;
  /** The backup selection that picks the table (the plan's tag selection, or one by ARN). */
  public readonly selection: backup.Selection;
  /** The role AWS Backup assumes. */
  public readonly role: iam.Role;
  /** The copy destination vault in `secondaryRegion`, when copies go there. */
  public readonly copyVault?: backup.Vault;
  /** ARN of the copy destination vault, when copies go to `secondaryRegion`. */
  public readonly copyVaultArn?: pulumi.Output<string>;

  constructor(name: string, args: DynamoContinuousBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything that can refuse the objective runs before anything is registered.
    const source = tableSource(name, args);
    const planned = planFor(name, args, source);
    const member: BackupMember = { name, kind: ResourceKind.DYNAMODB_TABLE, plan: planned.plan };
    const foundationOptions: BackupFoundationOptions = {
      region: planned.region,
      secondaryRegion: args.secondaryRegion,
      backupAccount: args.backupAccount,
      accountCopyVaultArn: args.backupAccountVaultArn,
    };
    if (args.foundation !== undefined) checkFoundation(name, args, planned, member);
    else BackupFoundation.checkOf(args.objective, foundationOptions, opts);
    super(DynamoContinuousBackup.TYPE, name, {}, opts);
    this.plan = planned.plan;
    this.tableRegion = planned.region;
    this.replicaRegions = planned.replicaRegions;
    const plan = this.plan;

    const foundation = args.foundation ?? BackupFoundation.of(args.objective, foundationOptions, opts);
    const membership = foundation.join(member);

    let tableArn: pulumi.Output<string>;
    let selection: backup.Selection;
    if (source.args) {
      const tableArgs = source.args;
      const region = planned.region;
      this.table = new dynamodb.Table(`${name}-table`, {
        ...tableArgs,
        ...(region !== undefined ? { region } : {}),
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: plan.pointInTimeRecoveryDays },
        deletionProtectionEnabled: plan.deletionProtection,
        ...(tableArgs.replicas !== undefined ? {
          // PITR and deletion protection are not synchronized between replicas: set them on each.
          // (planFor has checked that the list and its entries are plain.)
          replicas: (tableArgs.replicas as object[]).map(r => ({
            ...r,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: plan.deletionProtection,
          })) as dynamodb.TableArgs['replicas'],
        } : {}),
        // The tags the objective's plan selects the table by (open foundations).
        ...(Object.keys(membership.tags).length ? { tags: withTags(tableArgs.tags, membership.tags) } : {}),
      }, { parent: this, retainOnDelete: true });
      tableArn = this.table.arn;
      selection = membership.selection ?? foundation.selectByArn(membership, name, tableArn);
    } else {
      const existing = source.existing!;
      this.table = existing;
      const checked = pulumi
        .all([existing.name, existing.pointInTimeRecovery, existing.deletionProtectionEnabled, existing.region, foundation.vault.region])
        .apply(([tableName, pitr, deletionProtection, tableRegion, vaultRegion]) => {
          // AWS Backup selects a resource only into a plan of its region: a table elsewhere would silently go unprotected.
          if (typeof tableRegion === 'string' && typeof vaultRegion === 'string' && tableRegion !== '' && vaultRegion !== '' && tableRegion !== vaultRegion) {
            throw new DrkitError(DrkitErrorCode.INVALID_REGION,
              `DynamoContinuousBackup ${name}: \`table.existing\` (table ${tableName}) is in ${tableRegion}, but the backup vault and plan are in ${vaultRegion}: AWS Backup backs a resource up only into a vault of its region; set \`region: '${tableRegion}'\` on the component`);
          }
          return checkExisting(name, plan, tableName, pitr, deletionProtection);
        });
      tableArn = pulumi.all([existing.arn, checked]).apply(([arn]) => arn);
      // drkit cannot tag a table declared elsewhere: select it by ARN in its plan.
      selection = foundation.selectByArn(membership, name, tableArn);
    }

    for (const advisory of plan.advisories) void pulumi.log.warn(`drkit: ${advisory}`, this);

    this.foundation = foundation;
    this.tableArn = tableArn;
    this.tableName = this.table.name;
    this.key = foundation.key;
    this.vault = foundation.vault;
    this.vaultArn = foundation.vault.arn;
    this.vaultLock = foundation.vaultLock;
    this.backupPlan = membership.plan;
    this.backupPlanId = membership.plan.id;
    this.selection = selection;
    this.role = foundation.role;
    this.copyVault = foundation.copyVault;
    this.copyVaultArn = foundation.copyVault?.arn;
    this.report = pulumi.output(awsReport(plan.achieved));

    this.registerOutputs({
      tableArn: this.tableArn,
      tableName: this.tableName,
      vaultArn: this.vaultArn,
      backupPlanId: this.backupPlanId,
      copyVaultArn: this.copyVaultArn,
      plan: this.plan,
      report: this.report,
    });
  }
}

/** A given foundation must fit the table: same objective and region, and the table's rules and copies. */
function checkFoundation(name: string, args: DynamoContinuousBackupArgs, planned: Planned, member: BackupMember): void {
  const f = args.foundation;
  const where = `DynamoContinuousBackup ${name}`;
  if (!(f instanceof BackupFoundation)) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `${where}: \`foundation\` must be a BackupFoundation (BackupFoundation.of(objective, { region, secondaryRegion }))`);
  }
  if (JSON.stringify(f.objective.toJson()) !== JSON.stringify(args.objective.toJson())) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: the foundation serves objective "${f.objective.name}", but the table's objective is "${args.objective.name}" (or has other settings): a foundation holds the resources of one objective; give the table the foundation's objective, or its own foundation`);
  }
  if (planned.region !== undefined && f.region !== undefined && planned.region !== f.region) {
    throw new DrkitError(DrkitErrorCode.INVALID_REGION,
      `${where}: the table is in ${planned.region} but the foundation's vault and plan are in ${f.region}: AWS Backup backs a resource up only into a vault of its region; use a foundation in ${planned.region}`);
  }
  const plan = planned.plan;
  if ((plan.copyRegion !== undefined && plan.copyRegion !== f.copyRegion) || (plan.copyAccount !== undefined && plan.copyAccount !== f.copyAccount)) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `${where}: the table's plan copies to region ${plan.copyRegion ?? '(none)'} and account ${plan.copyAccount ?? '(none)'}, the foundation to region ${f.copyRegion ?? '(none)'} and account ${f.copyAccount ?? '(none)'}: give the table the foundation's secondaryRegion and backupAccount`);
  }
  f.checkJoin(member);
}

interface TableSource {
  readonly args?: dynamodb.TableArgs;
  readonly existing?: dynamodb.Table;
}

function tableSource(name: string, args: DynamoContinuousBackupArgs): TableSource {
  // Duck-typed, as the CDK construct does: a second copy of drkit's core is still an objective.
  if (!args || !args.objective || typeof (args.objective as any).toJson !== 'function' || !Array.isArray((args.objective as any).disruptions)) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`objective\` is required and must be a RecoveryObjective, for example RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4) })`);
  }
  const t: any = args.table;
  const hasArgs = t !== undefined && t !== null && t.args !== undefined;
  const hasExisting = t !== undefined && t !== null && t.existing !== undefined;
  if (hasArgs && hasExisting) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`table\` has both \`args\` and \`existing\`: give \`args\` to let drkit create the table, or \`existing\` to protect a table created elsewhere, not both`);
  }
  if (!hasArgs && !hasExisting) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`table\` needs \`args\` (drkit creates the table) or \`existing\` (a table created elsewhere)`);
  }
  if (hasExisting) {
    if (!dynamodb.Table.isInstance(t.existing)) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `DynamoContinuousBackup ${name}: \`table.existing\` must be an aws.dynamodb.Table (for a table outside this program use aws.dynamodb.Table.get)`);
    }
    return { existing: t.existing };
  }
  return { args: t.args };
}

interface Planned {
  readonly plan: ProtectionPlan;
  /** The primary region to render into, when known. */
  readonly region?: string;
  /** Regions of the replicas declared in the table's args. */
  readonly replicaRegions: string[];
}

function planFor(name: string, args: DynamoContinuousBackupArgs, source: TableSource): Planned {
  let region = args.region;
  let replicaRegions: string[] = [];
  if (source.args) {
    const a = source.args;
    const argRegion = a.region;
    if (argRegion !== undefined && typeof argRegion !== 'string' && !isPlainUndefined(argRegion)) {
      if (region === undefined) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `DynamoContinuousBackup ${name}: \`table.args.region\` is not a plain string, so drkit cannot plan the copy region against it: give the region as a string, or set \`region\``);
      }
    } else if (typeof argRegion === 'string') {
      if (region !== undefined && region !== argRegion) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `DynamoContinuousBackup ${name}: \`region\` "${region}" differs from \`table.args.region\` "${argRegion}": they name the same region (the table's); drop one or make them equal`);
      }
      region = argRegion;
    }
    replicaRegions = plainReplicaRegions(name, a.replicas);
    checkNoConflicts(name, a);
  }
  const plan = Planner.dynamoDbTable(args.objective, {
    resourceName: name,
    region,
    secondaryRegion: args.secondaryRegion,
    backupAccount: args.backupAccount,
    replicaRegions,
  });
  return { plan, region, replicaRegions };
}

function isPlainUndefined(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Replica regions, read at preview time: the planner needs them as plain strings. */
function plainReplicaRegions(name: string, replicas: dynamodb.TableArgs['replicas']): string[] {
  if (replicas === undefined || replicas === null) return [];
  const refuse = (): never => {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`table.args.replicas\` must be a plain array whose entries have a plain string \`regionName\`: drkit plans region-outage protection from the replica regions at preview time, before outputs are known`);
  };
  if (!Array.isArray(replicas)) return refuse();
  return replicas.map(r => {
    if (!r || typeof r !== 'object' || pulumi.Output.isInstance(r) || typeof (r as any).regionName !== 'string') return refuse();
    return (r as any).regionName as string;
  });
}

/** Settings drkit owns: a plain value that contradicts the plan is a mistake, not an override. */
function checkNoConflicts(name: string, a: dynamodb.TableArgs): void {
  const pitr: any = a.pointInTimeRecovery;
  if (pitr && typeof pitr === 'object' && !pulumi.Output.isInstance(pitr)) {
    if (pitr.enabled === false) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `DynamoContinuousBackup ${name}: \`table.args.pointInTimeRecovery.enabled\` is false, but drkit turns point-in-time recovery on to meet the objective: remove \`pointInTimeRecovery\` from the table args`);
    }
  }
  if (a.deletionProtectionEnabled === false) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`table.args.deletionProtectionEnabled\` is false, but drkit turns deletion protection on for a protected table: remove \`deletionProtectionEnabled\` from the table args`);
  }
  if (Array.isArray(a.replicas)) {
    for (const r of a.replicas as any[]) {
      if (r && typeof r === 'object' && r.pointInTimeRecovery === false) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `DynamoContinuousBackup ${name}: replica in ${r.regionName} has \`pointInTimeRecovery: false\`, but PITR is not synchronized between replicas and drkit turns it on for each: remove it from the replica`);
      }
    }
  }
}

/** The existing table's live settings against the plan; throws (failing the deployment) on a gap. */
function checkExisting(
  name: string,
  plan: ProtectionPlan,
  tableName: string,
  pitr: { enabled: boolean; recoveryPeriodInDays?: number } | undefined,
  deletionProtection: boolean | undefined,
): true {
  const gaps: string[] = [];
  const days = plan.pointInTimeRecoveryDays ?? 0;
  if (!pitr || !pitr.enabled) {
    gaps.push(`point-in-time recovery is off (set \`pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: ${days} }\` on the table)`);
  } else {
    const has = pitr.recoveryPeriodInDays ?? 35;
    if (has < days) {
      gaps.push(`point-in-time recovery keeps ${has} days but \`retention.pointInTime\` asks for ${days} (set \`recoveryPeriodInDays: ${days}\` on the table)`);
    }
  }
  if (plan.deletionProtection && !deletionProtection) {
    gaps.push('deletion protection is off (set `deletionProtectionEnabled: true` on the table)');
  }
  if (gaps.length > 0) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `DynamoContinuousBackup ${name}: \`table.existing\` (table ${tableName}) does not meet the plan: ${gaps.join('; ')}. drkit cannot change another resource's inputs in Pulumi: fix the table where it is declared, or give \`table.args\` and let drkit create it`);
  }
  return true;
}
