/**
 * What the evaluator finds for each resource. These are the shapes of the report's JSON
 * document (see docs/report-schema.json); every figure is computed from the templates.
 */

/** Status of a resource against one disruption. */
export enum TargetStatus {
  /**
   * The objective is met: the achieved RPO and RTO are both established figures (documented,
   * typical, or drkit's estimate whose parts each have a bound) within the objective.
   */
  MET = 'met',
  /**
   * Within the objective as far as is known, but the RPO or RTO has no published bound or is
   * only a lower bound (`≥`): the row says what would verify it (restore testing results, a
   * failover drill, measured copy times).
   */
  UNVERIFIED = 'unverified',
  /**
   * A mechanism covers the disruption but not within the objective: a figure (or a lower bound)
   * above it, an RPO with no bound at all, or a configuration that does not qualify (for example
   * a locked vault in the same account whose key the account can destroy).
   */
  NOT_MET = 'not-met',
  /** No mechanism covers the disruption. */
  UNPROTECTED = 'unprotected',
  /**
   * The resource has an objective, but this disruption is not among its disruptions (whether or
   * not a mechanism covers it): never counted as unprotected or as a gap.
   */
  NOT_REQUIRED = 'not-required',
  /** The resource has no objective: the report shows what it achieves only. */
  NO_OBJECTIVE = 'no-objective',
}

/** One mechanism's contribution against one disruption. */
export interface Coverage {
  /** The disruption (`corruption`, `az`, `region`, `account`). */
  readonly disruption: string;
  /** Mechanism id from the catalog. */
  readonly mechanism: string;
  /**
   * Worst-case RPO in seconds.
   * @default - no bound
   */
  readonly rpoSeconds?: number;
  /** How the RPO is established. */
  readonly rpoKind: string;
  /**
   * The RPO is a lower bound: it counts the steps with a published figure and leaves out those
   * without one (for a backup copy: the backup's run time and the copy time).
   * @default false
   */
  readonly rpoIsLowerBound?: boolean;
  /**
   * For a lower-bound RPO: what it counts and what it leaves out, for people.
   * @default - none
   */
  readonly rpoNote?: string;
  /**
   * Why this mechanism does not serve the disruption in this configuration although it could
   * (for example a compliance-locked vault in the same account whose key the account can
   * destroy): such a coverage ranks last, and when it is the best one the row is not met.
   * @default - it serves the disruption
   */
  readonly shortfall?: string;
  /**
   * RTO in seconds.
   * @default - no bound
   */
  readonly rtoSeconds?: number;
  /** How the RTO is established. */
  readonly rtoKind: string;
  /**
   * The RTO is a lower bound: it counts the documented steps only, and leaves out steps with
   * no published bound (for a region failover: detection, and the DNS or client switch).
   * @default false
   */
  readonly rtoIsLowerBound?: boolean;
  /**
   * For a lower-bound RTO: what it counts and what it leaves out, for people.
   * @default - none
   */
  readonly rtoNote?: string;
  /** How the figures were derived, with sources. */
  readonly basis: string;
}

/** Achieved protection against one disruption, and its status against the objective. */
export interface DisruptionAssessment {
  /** The disruption. */
  readonly disruption: string;
  /** Human name of the disruption. */
  readonly title: string;
  /** Whether the objective asks to survive it. */
  readonly required: boolean;
  /**
   * Objective RPO in seconds.
   * @default - no objective for this disruption
   */
  readonly objectiveRpoSeconds?: number;
  /**
   * Objective RTO in seconds.
   * @default - no objective for this disruption
   */
  readonly objectiveRtoSeconds?: number;
  /**
   * Achieved worst-case RPO in seconds.
   * @default - no bound
   */
  readonly rpoSeconds?: number;
  /** How the RPO is established (`documented`, `typical`, `estimated`, `none`). */
  readonly rpoKind: string;
  /**
   * The achieved RPO is a lower bound (`≥`): it counts the documented steps only (see rpoNote).
   * A lower bound above the objective's RPO is not met; one within it is unverified.
   */
  readonly rpoIsLowerBound: boolean;
  /**
   * For a lower-bound RPO: what it counts and what it leaves out, for people.
   * @default - none
   */
  readonly rpoNote?: string;
  /**
   * Achieved RTO in seconds.
   * @default - no bound
   */
  readonly rtoSeconds?: number;
  /** How the RTO is established. */
  readonly rtoKind: string;
  /**
   * The achieved RTO is a lower bound (`≥`): it counts the documented steps only (see rtoNote).
   * A lower bound above the objective's RTO is not met; one within it is unverified.
   */
  readonly rtoIsLowerBound: boolean;
  /**
   * For a lower-bound RTO: what it counts and what it leaves out, for people.
   * @default - none
   */
  readonly rtoNote?: string;
  /** Mechanisms that cover it, best first (empty: unprotected). */
  readonly mechanisms: string[];
  /** How the figures were derived, with sources. */
  readonly basis: string;
  /** Status (see TargetStatus). */
  readonly status: string;
  /**
   * For an `unverified` row: what would verify it (restore testing results, a failover drill,
   * measured copy times).
   * @default - nothing to verify
   */
  readonly verification?: string;
}

/** A place restore points (or a live copy) of the resource are kept. */
export interface RestorePointSet {
  /** Mechanism id. */
  readonly mechanism: string;
  /** What it is, for people. */
  readonly description: string;
  /** Storage service / medium, used to count distinct media for 3-2-1 (for example `dynamodb`, `aws-backup-vault`, `s3`). */
  readonly medium: string;
  /** How often a restore point is made, for people (`continuous`, `every 1h`, `live replica`). */
  readonly periodicity: string;
  /**
   * Interval between restore points in seconds (0 for continuous or live).
   * @default - not periodic
   */
  readonly intervalSeconds?: number;
  /** How long restore points are kept, for people. */
  readonly retention: string;
  /**
   * Region, when known.
   * @default - unknown
   */
  readonly region?: string;
  /**
   * Account, when known.
   * @default - unknown
   */
  readonly account?: string;
  /**
   * Backup vault or replica name.
   * @default - none
   */
  readonly vault?: string;
  /** In another region than the resource. */
  readonly offRegion: boolean;
  /** In another account than the resource. */
  readonly offAccount: boolean;
  /**
   * Kept by the service with the live resource (or replica) it belongs to: S3 noncurrent
   * versions, DynamoDB point-in-time recovery, RDS/Aurora automated backups. A restore point,
   * but not a separate copy in the 3-2-1 count.
   * @default false
   */
  readonly inPlace?: boolean;
  /** Lock mode: `none`, `governance`, `compliance`. */
  readonly immutability: string;
  /**
   * Encryption, for people.
   * @default - not stated in the template
   */
  readonly encryption?: string;
}

/** 3-2-1 status of a resource. */
export interface ThreeTwoOne {
  /**
   * Copies: the live resource plus each separate location that holds restore points (a backup
   * vault, a replica, a copy in another region or account). Restore points kept in place by the
   * service with the resource (`inPlace`: S3 versions, DynamoDB PITR, RDS/Aurora automated
   * backups) are not separate copies.
   */
  readonly copies: number;
  /** Distinct storage services / media among the copies. */
  readonly media: string[];
  /** A copy in another region. */
  readonly offRegion: boolean;
  /** A copy in another account. */
  readonly offAccount: boolean;
  /** An immutable copy: locked in compliance mode (Vault Lock or S3 Object Lock); governance mode does not count. */
  readonly immutable: boolean;
  /** The strongest lock on any copy: `compliance`, `governance` (removable by users with sufficient IAM permissions) or `none`. */
  readonly lock: string;
  /** At least 3 copies on 2 media with 1 off-site (another region or account). */
  readonly satisfied: boolean;
}

/** One runbook entry: what to run to restore or fail over. */
export interface RunbookEntry {
  /** What this entry does. */
  readonly title: string;
  /** The exact commands, with `<placeholders>` for what only the operator knows. */
  readonly commands: string[];
  /**
   * Notes: what to substitute, what to check.
   * @default - none
   */
  readonly note?: string;
}

/** The evaluation of one stateful resource. */
export interface ResourceAssessment {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly resourceType: string;
  /** Content, for people (`DynamoDB table`). */
  readonly content: string;
  /** Physical name when literal in the template, else a `<placeholder>`. */
  readonly name: string;
  /**
   * Region of the stack.
   * @default - unknown
   */
  readonly region?: string;
  /**
   * Account of the stack.
   * @default - unknown
   */
  readonly account?: string;
  /** Where its objective comes from: `options`, `metadata` or `none`. */
  readonly objectiveSource: string;
  /**
   * The objective (RecoveryObjective.toJson()).
   * @default - none
   */
  readonly objective?: any;
  /**
   * The drkit construct that built it (`drkit:construct` metadata).
   * @default - not built by drkit
   */
  readonly construct?: string;
  /** Where restore points and copies are kept. */
  readonly restorePoints: RestorePointSet[];
  /** Protection per disruption, in report order. */
  readonly disruptions: DisruptionAssessment[];
  /** 3-2-1 status. */
  readonly threeTwoOne: ThreeTwoOne;
  /** Restore and failover commands. */
  readonly runbook: RunbookEntry[];
  /** How recovery is tested (AWS Backup restore testing), or why it is not. */
  readonly recoveryTesting: RecoveryTesting;
  /**
   * Conditions outside the template that a mechanism needs (for example AWS Backup's advanced
   * DynamoDB backup features for copies of DynamoDB backups), each with how to check it.
   */
  readonly preconditions: string[];
  /** Observations that are not gaps against the objective (deletion policy, deletion protection...). */
  readonly findings: string[];
}

/** A resource the evaluator does not know. */
export interface NotAssessed {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly resourceType: string;
  /** Why it is not assessed. */
  readonly reason: string;
}

/** An AWS Backup vault found in the templates. */
export interface BackupVaultInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Vault name when literal, else a placeholder. */
  readonly name: string;
  /**
   * Region of the stack.
   * @default - unknown
   */
  readonly region?: string;
  /**
   * Account of the stack.
   * @default - unknown
   */
  readonly account?: string;
  /** Lock mode: `none`, `governance` (no ChangeableForDays) or `compliance`. */
  readonly lock: string;
  /**
   * Vault Lock MinRetentionDays.
   * @default - none
   */
  readonly minRetentionDays?: number;
  /**
   * Vault Lock MaxRetentionDays.
   * @default - none
   */
  readonly maxRetentionDays?: number;
  /**
   * Vault Lock ChangeableForDays.
   * @default - none
   */
  readonly changeableForDays?: number;
  /** Encryption key, for people. */
  readonly encryptionKey: string;
  /**
   * The vault's recovery points stay readable when the vault's own account destroys its keys:
   * the vault's key is AWS-owned (a logically air-gapped vault without a customer key) or a KMS
   * key in another account. A key of the vault's account (its own customer managed key, or the
   * account's AWS Backup key) does not qualify.
   */
  readonly keyOutsideAccount: boolean;
  /** A logically air-gapped vault (`AWS::Backup::LogicallyAirGappedBackupVault`): always locked in compliance mode. */
  readonly airGapped: boolean;
}

/** A copy action of a backup rule. */
export interface BackupCopyInfo {
  /** Destination vault ARN as written (unresolved parts shown). */
  readonly destination: string;
  /**
   * Destination region when known.
   * @default - unknown
   */
  readonly region?: string;
  /**
   * Destination account when known.
   * @default - unknown
   */
  readonly account?: string;
  /** Known to be in another region than the plan's stack. */
  readonly offRegion: boolean;
  /** Known to be in another account than the plan's stack. */
  readonly offAccount: boolean;
  /**
   * Days a copy is kept.
   * @default - kept until deleted
   */
  readonly deleteAfterDays?: number;
  /**
   * Lock of the destination vault when it is in the input.
   * @default - unknown (`none` is assumed)
   */
  readonly lock?: string;
  /** The destination is a logically air-gapped vault. */
  readonly airGapped: boolean;
  /**
   * The destination vault's key is outside its account (see BackupVaultInfo.keyOutsideAccount),
   * when the vault is in the input.
   * @default false
   */
  readonly keyOutsideAccount?: boolean;
}

/** One rule of a backup plan. */
export interface BackupRuleInfo {
  /** Rule name. */
  readonly name: string;
  /** Target vault, for people. */
  readonly targetVault: string;
  /** Schedule expression as written. */
  readonly schedule: string;
  /**
   * Worst-case seconds between two backups.
   * @default - the schedule could not be read
   */
  readonly intervalSeconds?: number;
  /** Start window in minutes. */
  readonly startWindowMinutes: number;
  /** Whether the start window is AWS's default (absent from the template). */
  readonly startWindowDefaulted: boolean;
  /** Completion window in minutes. */
  readonly completionWindowMinutes: number;
  /**
   * Days a recovery point is kept.
   * @default - kept until deleted
   */
  readonly deleteAfterDays?: number;
  /**
   * Days before cold storage.
   * @default - never
   */
  readonly moveToColdStorageAfterDays?: number;
  /** Continuous backup (PITR) rule. */
  readonly continuous: boolean;
  /** Copy actions. */
  readonly copies: BackupCopyInfo[];
  /** Lock of the target vault. */
  readonly lock: string;
  /**
   * The target vault's key is outside its account (see BackupVaultInfo.keyOutsideAccount).
   * @default false
   */
  readonly keyOutsideAccount?: boolean;
}

/** A backup plan found in the templates. */
export interface BackupPlanInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Plan name. */
  readonly name: string;
  /** Rules. */
  readonly rules: BackupRuleInfo[];
}

/** A backup selection found in the templates. */
export interface BackupSelectionInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Selection name. */
  readonly name: string;
  /** Logical id of the plan. */
  readonly plan: string;
  /** Resources selected (logical ids as `LogicalId`, ARN patterns as written). */
  readonly resources: string[];
  /** Tag conditions, for people. */
  readonly tags: string[];
}

/**
 * How the recovery of one resource is tested: whether a restore test is scheduled (a restore
 * testing plan, its cadence and a selection that picks the resource). A schedule in a template
 * is not a passed test: the results are at runtime.
 */
export interface RecoveryTesting {
  /** A restore testing plan is scheduled to restore the resource's recovery points. */
  readonly scheduled: boolean;
  /** For people: "restore test scheduled weekly by <plan> ..." or "no restore test scheduled: <fix>". */
  readonly summary: string;
  /**
   * AWS Backup's protected resource type (`DynamoDB`, `S3`, `RDS`, `Aurora`, `EFS`, `EBS`...).
   * @default - a type AWS Backup restore testing does not support
   */
  readonly resourceType?: string;
  /** Names of the restore testing plans that cover it. */
  readonly restoreTestingPlans: string[];
  /**
   * Shortest worst-case interval between two scheduled restore tests, in seconds.
   * @default - none scheduled, or the schedule could not be read
   */
  readonly intervalSeconds?: number;
}

/** A restore testing selection (`AWS::Backup::RestoreTestingSelection`). */
export interface RestoreTestingSelectionInfo {
  /** Logical id. */
  readonly logicalId: string;
  /** Selection name. */
  readonly name: string;
  /** Protected resource type (`DynamoDB`, `S3`, `RDS`, `Aurora`, `EFS`, `EBS`...). */
  readonly resourceType: string;
  /** Resources tested: `*` (every resource of the type with recovery points in the plan's vaults) or ARNs as written. */
  readonly resources: string[];
  /** Tag conditions, for people. */
  readonly conditions: string[];
  /**
   * Hours the restored resource is kept for validation before AWS Backup deletes it.
   * @default - AWS's default
   */
  readonly validationWindowHours?: number;
}

/** A restore testing plan (`AWS::Backup::RestoreTestingPlan`) and its selections. */
export interface RestoreTestingPlanInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Plan name. */
  readonly name: string;
  /** Schedule expression as written. */
  readonly schedule: string;
  /**
   * Worst-case seconds between two test runs.
   * @default - the schedule could not be read
   */
  readonly intervalSeconds?: number;
  /** How often, for people (`weekly`, `monthly`, `every 3d`). */
  readonly frequency: string;
  /**
   * Hours after the scheduled time a test may start.
   * @default - AWS's default
   */
  readonly startWindowHours?: number;
  /** Recovery point selection algorithm (`LATEST_WITHIN_WINDOW`, `RANDOM_WITHIN_WINDOW`). */
  readonly algorithm: string;
  /**
   * How far back the recovery point may be, in days.
   * @default - AWS's default
   */
  readonly selectionWindowDays?: number;
  /** Kinds of recovery point tested (`SNAPSHOT`, `CONTINUOUS`). */
  readonly recoveryPointTypes: string[];
  /** Vaults whose recovery points are tested (names, or ARN patterns as written). */
  readonly vaults: string[];
  /** Selections. */
  readonly selections: RestoreTestingSelectionInfo[];
}

/** One parameter of an audit control. */
export interface ControlParameterInfo {
  /** Parameter name. */
  readonly name: string;
  /** Value as written. */
  readonly value: string;
}

/** One control of a Backup Audit Manager framework. */
export interface FrameworkControlInfo {
  /** Control name (`BACKUP_LAST_RECOVERY_POINT_CREATED`...). */
  readonly name: string;
  /** Input parameters. */
  readonly parameters: ControlParameterInfo[];
  /** Resource types in its scope (empty: every type). */
  readonly resourceTypes: string[];
  /** What the control checks, in the objective's terms, for people. */
  readonly checks: string;
}

/** A Backup Audit Manager framework (`AWS::Backup::Framework`). */
export interface FrameworkInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Framework name when literal, else a placeholder. */
  readonly name: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /** Controls, in template order. */
  readonly controls: FrameworkControlInfo[];
}

/** An EventBridge rule on AWS Backup job events. */
export interface BackupNotificationInfo {
  /** Stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Event detail types (`Backup Job State Change`...). */
  readonly detailTypes: string[];
  /** Job states or statuses matched (empty: every state). */
  readonly states: string[];
  /** Targets, for people (`SNS topic <logical id>`). */
  readonly targets: string[];
}

/** A resource left out of protection on purpose (`drkit:excluded` metadata), with the reason. */
export interface ExcludedResource {
  /** Stack name. */
  readonly stackName: string;
  /**
   * Logical id.
   * @default - not a resource of the template (an imported resource)
   */
  readonly logicalId?: string;
  /**
   * Construct path (imported resources).
   * @default - none
   */
  readonly path?: string;
  /**
   * CloudFormation type.
   * @default - not a resource of the template
   */
  readonly resourceType?: string;
  /** Why it is left out. */
  readonly reason: string;
}

/** All backup configuration in the input. */
export interface BackupModel {
  /** Vaults. */
  readonly vaults: BackupVaultInfo[];
  /** Plans. */
  readonly plans: BackupPlanInfo[];
  /** Selections. */
  readonly selections: BackupSelectionInfo[];
  /** Restore testing plans, with their selections. */
  readonly restoreTestingPlans: RestoreTestingPlanInfo[];
  /** Backup Audit Manager frameworks. */
  readonly frameworks: FrameworkInfo[];
  /** Notifications of AWS Backup job events. */
  readonly notifications: BackupNotificationInfo[];
}
