import * as firestore from '@pulumi/gcp/firestore';
import * as sql from '@pulumi/gcp/sql';
import type * as inputs from '@pulumi/gcp/types/input';
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
  /**
   * VPC network for a private IP (`ipConfiguration.privateNetwork`, for example
   * `projects/p/global/networks/default`); the public IP is then turned off.
   * @default - no private IP: the instance keeps a public IP with no authorized network
   */
  readonly privateNetwork?: pulumi.Input<string>;
  /**
   * Further `settings.ipConfiguration` inputs, passed through; they override drkit's
   * (`ipv4Enabled`, `privateNetwork`, `sslMode: ENCRYPTED_ONLY`).
   * @default - drkit's settings only
   */
  readonly ipConfiguration?: inputs.sql.DatabaseInstanceSettingsIpConfiguration;
  /**
   * Cloud KMS key for the instance (customer-managed encryption, `encryptionKeyName`); it must
   * be in the instance's region. Set at creation only.
   * @default - Google-managed encryption
   */
  readonly encryptionKeyName?: pulumi.Input<string>;
  /**
   * Cloud KMS key for the cross-region replica, in the replica's region. Required with
   * `encryptionKeyName` and `replicaRegion`.
   * @default - none
   */
  readonly replicaEncryptionKeyName?: pulumi.Input<string>;
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
    const privateNetwork = args.privateNetwork ?? args.ipConfiguration?.privateNetwork;
    const plan = GcpDatabasePlanner.cloudSql(args.objective, {
      resourceName: name,
      databaseVersion: args.databaseVersion,
      region: args.region,
      edition: args.edition,
      replicaRegion: args.replicaRegion,
      privateNetwork: privateNetwork !== undefined,
    });
    if (args.encryptionKeyName !== undefined && plan.replicaRegion && args.replicaEncryptionKeyName === undefined) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `CloudSqlInstance ${name}: \`encryptionKeyName\` encrypts the primary with a customer-managed key, so the replica in ${plan.replicaRegion} needs one too, in its own region: give \`replicaEncryptionKeyName\``);
    }
    super('drkit:gcp:CloudSqlInstance', name, {}, opts);
    const stateful = { parent: this, retainOnDelete: true };
    const ipConfiguration: inputs.sql.DatabaseInstanceSettingsIpConfiguration = {
      ipv4Enabled: plan.ipv4Enabled,
      ...(privateNetwork !== undefined ? { privateNetwork } : {}),
      sslMode: plan.sslMode,
      ...(args.ipConfiguration ?? {}),
    };
    this.instance = new sql.DatabaseInstance(`${name}-instance`, {
      name: args.instanceName,
      project: args.project,
      region: args.region,
      databaseVersion: args.databaseVersion,
      deletionProtection: plan.deletionProtection,
      ...(args.encryptionKeyName !== undefined ? { encryptionKeyName: args.encryptionKeyName } : {}),
      settings: {
        tier: args.tier,
        edition: plan.edition,
        availabilityType: plan.availabilityType,
        deletionProtectionEnabled: plan.deletionProtection,
        retainBackupsOnDelete: plan.retainBackupsOnDelete,
        ipConfiguration,
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
        ...(args.replicaEncryptionKeyName !== undefined ? { encryptionKeyName: args.replicaEncryptionKeyName } : {}),
        settings: {
          tier: args.tier,
          edition: plan.edition,
          availabilityType: 'ZONAL',
          deletionProtectionEnabled: plan.deletionProtection,
          ipConfiguration,
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
  /**
   * Cloud KMS key for the database (customer-managed encryption, `cmekConfig.kmsKeyName`), in
   * the database's location. Set at creation only.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
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
      ...(args.kmsKeyName !== undefined ? { cmekConfig: { kmsKeyName: args.kmsKeyName } } : {}),
    }, { parent: this, retainOnDelete: true });
    this.plan = pulumi.output(plan);
    this.report = pulumi.output(plan.report);
    this.registerOutputs({ plan: this.plan, report: this.report });
  }
}
