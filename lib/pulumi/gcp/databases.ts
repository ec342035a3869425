import * as firestore from '@pulumi/gcp/firestore';
import * as sql from '@pulumi/gcp/sql';
import * as pulumi from '@pulumi/pulumi';
import { CloudReportEntry } from '../../core/clouds/common';
import { CloudSqlEdition, CloudSqlPlan, FirestorePlan, GcpDatabasePlanner } from '../../core/clouds/gcp';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';

/** Arguments of a Cloud SQL instance protected from an objective. */
export interface CloudSqlInstanceArgs {
  /** The recovery objective the instance must meet. */
  readonly objective: RecoveryObjective;
  /** `databaseVersion`, for example `POSTGRES_16`. */
  readonly databaseVersion: string;
  /** Machine tier, for example `db-perf-optimized-N-2` or `db-custom-2-7680`. */
  readonly tier: pulumi.Input<string>;
  /** Region of the primary. */
  readonly region: string;
  /** Edition. @default CloudSqlEdition.ENTERPRISE */
  readonly edition?: CloudSqlEdition;
  /** Region of a cross-region read replica kept as a standby. @default - none */
  readonly replicaRegion?: string;
  /** Instance name. @default - Pulumi auto-naming */
  readonly instanceName?: pulumi.Input<string>;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
}

/**
 * A Cloud SQL instance whose protection comes from the objective: automated backups with
 * point-in-time recovery (transaction-log retention within the edition's limit), high
 * availability, backups in a multi-region, deletion protection, backups retained on delete,
 * and an optional cross-region replica. Cloud SQL keeps these settings on the instance, so
 * the component owns the instance.
 */
export class CloudSqlInstance extends pulumi.ComponentResource {
  /** The primary instance. */
  public readonly instance: sql.DatabaseInstance;
  /** The cross-region replica, when `replicaRegion` is given. */
  public readonly replica?: sql.DatabaseInstance;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<CloudSqlPlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: CloudSqlInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `CloudSqlInstance ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = GcpDatabasePlanner.cloudSql(args.objective, {
      resourceName: name, databaseVersion: args.databaseVersion, region: args.region, edition: args.edition, replicaRegion: args.replicaRegion,
    });
    super('drkit:gcp:CloudSqlInstance', name, {}, opts);
    const stateful = { parent: this, retainOnDelete: true };
    this.instance = new sql.DatabaseInstance(`${name}-instance`, {
      name: args.instanceName,
      project: args.project,
      region: args.region,
      databaseVersion: args.databaseVersion,
      deletionProtection: plan.deletionProtection,
      settings: {
        tier: args.tier,
        edition: plan.edition,
        availabilityType: plan.availabilityType,
        deletionProtectionEnabled: plan.deletionProtection,
        retainBackupsOnDelete: plan.retainBackupsOnDelete,
        backupConfiguration: {
          enabled: true,
          startTime: plan.backupStartTime,
          ...(plan.backupLocation !== undefined ? { location: plan.backupLocation } : {}),
          ...(plan.pointInTimeRecoveryEnabled ? { pointInTimeRecoveryEnabled: true } : { binaryLogEnabled: true }),
          transactionLogRetentionDays: plan.transactionLogRetentionDays,
          backupRetentionSettings: { retainedBackups: plan.retainedBackups, retentionUnit: 'COUNT' },
        },
      },
    }, stateful);
    if (plan.replicaRegion) {
      this.replica = new sql.DatabaseInstance(`${name}-replica`, {
        project: args.project,
        region: plan.replicaRegion,
        databaseVersion: args.databaseVersion,
        masterInstanceName: this.instance.name,
        deletionProtection: plan.deletionProtection,
        settings: {
          tier: args.tier,
          edition: plan.edition,
          availabilityType: 'ZONAL',
          deletionProtectionEnabled: plan.deletionProtection,
        },
      }, stateful);
    }
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}

/** Arguments of a Firestore database protected from an objective. */
export interface FirestoreDatabaseArgs {
  /** The recovery objective the database must meet. */
  readonly objective: RecoveryObjective;
  /** `locationId`: a region or a multi-region (`nam5`, `eur3`). */
  readonly locationId: string;
  /** Database id. @default - Pulumi auto-naming */
  readonly databaseName?: pulumi.Input<string>;
  /** Project. @default - the provider's project */
  readonly project?: pulumi.Input<string>;
}

/** A Firestore (native mode) database with point-in-time recovery and delete protection. */
export class FirestoreDatabase extends pulumi.ComponentResource {
  /** The database. */
  public readonly database: firestore.Database;
  /** The neutral plan. */
  public readonly plan: pulumi.Output<FirestorePlan>;
  /** Per disruption: mechanism, worst-case RPO and RTO with their kind, sources. */
  public readonly report: pulumi.Output<CloudReportEntry[]>;

  constructor(name: string, args: FirestoreDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || !args.objective) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `FirestoreDatabase ${name} needs \`objective\` (a RecoveryObjective)`);
    }
    const plan = GcpDatabasePlanner.firestore(args.objective, { resourceName: name, locationId: args.locationId });
    super('drkit:gcp:FirestoreDatabase', name, {}, opts);
    this.database = new firestore.Database(`${name}-database`, {
      name: args.databaseName,
      project: args.project,
      locationId: args.locationId,
      type: 'FIRESTORE_NATIVE',
      pointInTimeRecoveryEnablement: plan.pointInTimeRecoveryEnablement,
      deleteProtectionState: plan.deleteProtectionState,
    }, { parent: this, retainOnDelete: true });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
