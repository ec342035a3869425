// @pulumi/* are devDependencies of drkit (jsii accepts no other kind); a user's Pulumi
// program provides them, and `requireProvider` checks the version when the module loads.
import * as backup from '@pulumi/aws/backup';
import * as kms from '@pulumi/aws/kms';
import * as rds from '@pulumi/aws/rds';
import * as pulumi from '@pulumi/pulumi';
import { BackupFoundation, BackupFoundationOptions, BackupMember } from './backup-foundation';
import { awsReport, CloudReportEntry } from './report';
import { awsProviderOf, providerKey, providerOpts, sharedInRun, sharedName } from './shared';
import { withTags } from './tags';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { ResourceKind } from '../../core/plan';
import { RdsPlanner, rdsAsProtectionPlan, RdsProtectionPlan } from '../../core/plan-rds';

/** drkit creates an RDS instance from these arguments, with the plan's backup settings. */
export interface RdsInstanceFromArgs {
  /** Arguments of the instance drkit creates (as for `new aws.rds.Instance`). */
  readonly instanceArgs: rds.InstanceArgs;
  /**
   * Not allowed together with `instanceArgs`.
   * @default - none
   */
  readonly clusterArgs?: undefined;
}

/** drkit creates an Aurora (or Multi-AZ DB) cluster from these arguments, with the plan's backup settings. */
export interface RdsClusterFromArgs {
  /** Arguments of the cluster drkit creates (as for `new aws.rds.Cluster`). */
  readonly clusterArgs: rds.ClusterArgs;
  /**
   * Not allowed together with `clusterArgs`.
   * @default - none
   */
  readonly instanceArgs?: undefined;
}

/** Arguments of {@link RdsPitrPolicy}. */
export interface RdsPitrPolicyArgs {
  /** What must be recoverable, to when, for how long, after which disruptions. */
  readonly objective: RecoveryObjective;
  /** The database drkit creates: `{ instanceArgs }` or `{ clusterArgs }`. */
  readonly database: RdsInstanceFromArgs | RdsClusterFromArgs;
  /**
   * Region that receives replicated automated backups (instances) or AWS Backup copies (clusters).
   * @default - none
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives AWS Backup copies.
   * @default - none
   */
  readonly backupAccount?: string;
  /**
   * ARN of the vault in `backupAccount` that receives copies.
   * @default - the vault named `drkit-backup-account-vault` in `backupAccount`
   */
  readonly backupAccountVaultArn?: pulumi.Input<string>;
  /**
   * Whether AWS Backup may keep restore points past the automated window and copy them.
   * @default true
   */
  readonly backupPlan?: boolean;
  /**
   * AWS Backup continuous backup for the point-in-time window.
   * @default false
   */
  readonly continuousBackup?: boolean;
  /**
   * Aurora MySQL backtrack window (at most 72 hours; only at cluster creation).
   * @default - no backtrack
   */
  readonly backtrackWindow?: Period;
  /**
   * Daily automated backup window, `hh24:mi-hh24:mi` UTC.
   * @default '03:00-03:30'
   */
  readonly preferredBackupWindow?: string;
  /**
   * KMS key (ARN) in the secondary region for replicated automated backups.
   * @default - a key drkit creates there
   */
  readonly replicationKmsKeyArn?: pulumi.Input<string>;
  /**
   * The database's region.
   * @default - the `region` in the database args when a plain string, else the provider's region
   */
  readonly region?: string;
  /**
   * Region where a `DrStandby` keeps a live standby of this database (read replica or Aurora
   * global database secondary). It counts against a region outage (a cluster then needs no
   * scheduled cross-region copies). Pulumi has no app-wide check: give the same database to a
   * `DrStandby` with this region, or the standby does not exist.
   * @default - none
   */
  readonly standbyRegion?: string;
  /**
   * The `BackupFoundation` whose vault and plans keep the database's AWS Backup restore points.
   * @default - the foundation of the objective in the database's region, shared with every
   * other drkit component of the objective (`BackupFoundation.of`)
   */
  readonly foundation?: BackupFoundation;
}

/**
 * RDS / Aurora point-in-time recovery from a recovery objective: the same neutral plan as the
 * CDK construct `RdsPitrPolicy`, rendered as @pulumi/aws resources: the database with
 * retention, window, deletion protection, copy tags and encryption; cross-region automated
 * backup replication (`aws.rds.InstanceAutomatedBackupsReplication`) for instances; AWS
 * Backup rules and copies when the plan has them. Throws a DrkitError at construction
 * when the objective cannot be met. The database and keys are `retainOnDelete`.
 */
export class RdsPitrPolicy extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'drkit:aws:RdsPitrPolicy';

  /** The neutral plan (plain JSON, known at construction). */
  public readonly plan: RdsProtectionPlan;
  /**
   * Per disruption in the objective: the mechanisms, the RPO and RTO with how each is
   * established, and their sources, from the plan's achieved targets.
   */
  public readonly report: pulumi.Output<CloudReportEntry[]>;
  /** The instance, when `instanceArgs` were given. */
  public readonly instance?: rds.Instance;
  /** The cluster, when `clusterArgs` were given. */
  public readonly cluster?: rds.Cluster;
  /** ARN of the database. */
  public readonly databaseArn: pulumi.Output<string>;
  /** Automated backup replication to the secondary region (instances). */
  public readonly backupReplication?: rds.InstanceAutomatedBackupsReplication;
  /**
   * Key of the replicated backups, when drkit created it: one per AWS provider and region,
   * shared by every database whose automated backups drkit replicates there (retained).
   */
  public readonly replicationKey?: kms.Key;
  /** The backup foundation (vault, plans, evidence) the database joined, when the plan has AWS Backup rules. */
  public readonly foundation?: BackupFoundation;
  /** The AWS Backup plan of the database's rules. */
  public readonly backupPlan?: backup.Plan;
  /** The selection that picks the database (the plan's tag selection, or one by ARN). */
  public readonly selection?: backup.Selection;

  constructor(name: string, args: RdsPitrPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective || typeof (args.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `RdsPitrPolicy ${name}: \`objective\` is required and must be a RecoveryObjective`);
    }
    const db: any = args.database;
    const hasInstance = !!db && db.instanceArgs !== undefined;
    const hasCluster = !!db && db.clusterArgs !== undefined;
    if (hasInstance === hasCluster) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RdsPitrPolicy ${name}: \`database\` needs exactly one of \`instanceArgs\` (an RDS instance) or \`clusterArgs\` (an Aurora or Multi-AZ DB cluster)`);
    }
    const dbArgs: any = hasInstance ? db.instanceArgs : db.clusterArgs;
    for (const [k, v] of [['deletionProtection', dbArgs.deletionProtection], ['copyTagsToSnapshot', dbArgs.copyTagsToSnapshot]] as Array<[string, unknown]>) {
      if (v === false) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RdsPitrPolicy ${name}: \`${k}\` is false in the database args, but drkit turns it on for a protected database: remove it from the args`);
      }
    }
    if (hasInstance && dbArgs.deleteAutomatedBackups === true) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RdsPitrPolicy ${name}: \`deleteAutomatedBackups\` is true in the instance args, but drkit keeps automated backups after the instance is deleted: remove it from the args`);
    }
    const region = args.region ?? (typeof dbArgs.region === 'string' ? dbArgs.region : undefined);
    const plan = RdsPlanner.plan(args.objective, {
      resourceName: name,
      kind: hasCluster ? ResourceKind.RDS_CLUSTER : ResourceKind.RDS_INSTANCE,
      engine: typeof dbArgs.engine === 'string' ? dbArgs.engine : undefined,
      storageEncrypted: dbArgs.storageEncrypted === undefined ? (dbArgs.kmsKeyId !== undefined ? true : false)
        : typeof dbArgs.storageEncrypted === 'boolean' ? dbArgs.storageEncrypted : undefined,
      multiAz: hasInstance ? dbArgs.multiAz === true : undefined,
      region,
      secondaryRegion: args.secondaryRegion,
      standbyRegions: args.standbyRegion ? [args.standbyRegion] : undefined,
      backupAccount: args.backupAccount,
      backupPlan: args.backupPlan,
      continuousBackup: args.continuousBackup,
      backtrackWindow: args.backtrackWindow,
      preferredBackupWindow: args.preferredBackupWindow,
      preferredMaintenanceWindow: typeof dbArgs.maintenanceWindow === 'string' ? dbArgs.maintenanceWindow
        : typeof dbArgs.preferredMaintenanceWindow === 'string' ? dbArgs.preferredMaintenanceWindow : undefined,
    });
    const member: BackupMember | undefined = plan.backupRules.length > 0
      ? { name, kind: hasCluster ? ResourceKind.RDS_CLUSTER : ResourceKind.RDS_INSTANCE, plan: rdsAsProtectionPlan(plan) } : undefined;
    const foundationOptions: BackupFoundationOptions = {
      region, secondaryRegion: args.secondaryRegion, backupAccount: args.backupAccount, accountCopyVaultArn: args.backupAccountVaultArn,
    };
    if (member) {
      if (args.foundation !== undefined) {
        if (!(args.foundation instanceof BackupFoundation)) {
          throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `RdsPitrPolicy ${name}: \`foundation\` must be a BackupFoundation (BackupFoundation.of(objective, { region, secondaryRegion }))`);
        }
        args.foundation.checkJoin(member);
      } else {
        BackupFoundation.checkOf(args.objective, foundationOptions, opts);
      }
    }
    super(RdsPitrPolicy.TYPE, name, {}, opts);
    this.plan = plan;
    this.report = pulumi.output(awsReport(plan.achieved));
    const foundation = member ? args.foundation ?? BackupFoundation.of(args.objective, foundationOptions, opts) : undefined;
    const membership = member ? foundation!.join(member) : undefined;
    const tags = membership && Object.keys(membership.tags).length ? { tags: withTags(dbArgs.tags, membership.tags) } : {};
    const retained: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true };
    const regionInput = region !== undefined ? { region } : {};

    if (hasInstance) {
      this.instance = new rds.Instance(`${name}-instance`, {
        ...dbArgs,
        ...regionInput,
        backupRetentionPeriod: plan.backupRetentionDays,
        backupWindow: plan.preferredBackupWindow,
        deletionProtection: plan.deletionProtection,
        copyTagsToSnapshot: plan.copyTagsToSnapshot,
        deleteAutomatedBackups: plan.deleteAutomatedBackups,
        storageEncrypted: true,
        ...tags,
      }, retained);
      this.databaseArn = this.instance.arn;
      if (plan.automatedBackupReplicationRegion) {
        const target = plan.automatedBackupReplicationRegion;
        let keyArn = args.replicationKmsKeyArn;
        if (keyArn === undefined) {
          this.replicationKey = replicationKey(target, awsProviderOf(opts));
          keyArn = this.replicationKey.arn;
        }
        this.backupReplication = new rds.InstanceAutomatedBackupsReplication(`${name}-backup-replication`, {
          region: target,
          sourceDbInstanceArn: this.instance.arn,
          kmsKeyId: keyArn,
          retentionPeriod: plan.automatedBackupReplicationRetentionDays,
        }, { parent: this });
      }
    } else {
      this.cluster = new rds.Cluster(`${name}-cluster`, {
        ...dbArgs,
        ...regionInput,
        backupRetentionPeriod: plan.backupRetentionDays,
        preferredBackupWindow: plan.preferredBackupWindow,
        deletionProtection: plan.deletionProtection,
        copyTagsToSnapshot: plan.copyTagsToSnapshot,
        storageEncrypted: true,
        ...(plan.backtrackWindowSeconds !== undefined ? { backtrackWindow: plan.backtrackWindowSeconds } : {}),
        ...tags,
      }, retained);
      this.databaseArn = this.cluster.arn;
    }

    if (foundation && membership) {
      this.foundation = foundation;
      this.backupPlan = membership.plan;
      this.selection = membership.selection ?? foundation.selectByArn(membership, name, this.databaseArn);
    }
    for (const advisory of plan.advisories) void pulumi.log.warn(`drkit: ${advisory}`, this);

    this.registerOutputs({
      databaseArn: this.databaseArn,
      backupReplicationArn: this.backupReplication?.id,
      backupPlanId: this.backupPlan?.id,
      plan: this.plan,
      report: this.report,
    });
  }
}

/**
 * The key that encrypts replicated automated backups in `region`: one per AWS provider and
 * region, shared by every database (RDS takes the key's ARN in the destination region; the
 * account's key policy lets RDS use it on behalf of the callers). Retained.
 */
function replicationKey(region: string, provider?: pulumi.ProviderResource): kms.Key {
  return sharedInRun(`rds-replication-key|${providerKey(provider)}|${region}`, () => new kms.Key(
    sharedName(['drkit-rds-backup-replication-key', region, providerKey(provider)]), {
      region,
      description: `drkit: encrypts automated backups of RDS instances replicated to ${region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    }, { retainOnDelete: true, ...providerOpts(provider) }));
}
