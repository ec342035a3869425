import * as crypto from 'crypto';
import { Aws, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { SecondaryRegionStack } from './secondary-region';
import { checkAwsRegion } from '../core/aws-regions';
import { Facts } from '../core/catalog';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { RecoveryObjective } from '../core/objective';
import { Period } from '../core/period';
import { ResourceKind } from '../core/plan';
import { RdsPlanner, rdsAsProtectionPlan, RdsProtectionPlan } from '../core/plan-rds';
import { ObjectiveBackup } from './backup/objective-backup';
import { localObjective, OrganizationProtection } from './backup/organization-protection';
import { standbyRegionsOf } from './dr-standby';
import { addAdvisory } from './private/advisories';
import { drNameHash } from './private/dr-names';
import { recordObjective } from './private/objective-metadata';
import { planOrRefuse } from './private/refusal';
import { primaryRegionOf } from './private/region';
import { RecoveryReportPlugin } from './report-plugin';

/** Properties of an RdsPitrPolicy. */
export interface RdsPitrPolicyProps {
  /**
   * The database to protect: an RDS `DatabaseInstance`, an Aurora `DatabaseCluster`, or their
   * L1 `CfnDBInstance` / `CfnDBCluster`, defined in this app.
   */
  readonly database: IConstruct;
  /** The recovery objective the database must meet. */
  readonly objective: RecoveryObjective;
  /**
   * Region that receives the instance's replicated automated backups, or the cluster's AWS
   * Backup copies. Required when the objective covers `Disruption.REGION_OUTAGE`.
   * @default - none
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives AWS Backup copies. Required when the objective covers
   * `Disruption.ACCOUNT_COMPROMISE`.
   * @default - none
   */
  readonly backupAccount?: string;
  /**
   * Whether AWS Backup (the plan shared per stack and objective) may keep restore points past
   * the automated-backup window and copy them. When false, a retention over 35 days is refused.
   * @default true
   */
  readonly backupPlan?: boolean;
  /**
   * Use AWS Backup continuous backup for the point-in-time window (recovery points in the
   * vault, 1-35 days).
   * @default false
   */
  readonly continuousBackup?: boolean;
  /**
   * Aurora MySQL backtrack window (at most 72 hours). Backtrack can only be enabled when the
   * cluster is created.
   * @default - no backtrack
   */
  readonly backtrackWindow?: Duration;
  /**
   * Daily automated backup window, `hh24:mi-hh24:mi` UTC, at least 30 minutes, not
   * overlapping the maintenance window.
   * @default - the database's own literal window, else '03:00-03:30'
   */
  readonly preferredBackupWindow?: string;
  /**
   * ARN of the KMS key in the secondary region that encrypts replicated automated backups of an
   * instance. RDS asks for the key's ARN (`arn:aws:kms:<region>:<account>:key/<key id>`), not an
   * alias.
   * @default - a key drkit creates in the secondary-region stack; the secondary stack writes its
   * ARN to an SSM parameter there and this stack reads it across regions with a custom resource
   * (`RdsPitrPolicy.REPLICATION_KEY_PARAMETER_PREFIX`)
   */
  readonly replicationKeyArn?: string;
  /**
   * Region where a DrStandby keeps a live standby of this database (read replica or Aurora
   * global database secondary). It counts against a region outage (a cluster then needs no
   * scheduled cross-region copies); synth fails when no DrStandby provides it.
   * @default - none
   */
  readonly standbyRegion?: string;
  /**
   * What happens to the database when it leaves the stack: `RemovalPolicy.RETAIN` or
   * `RemovalPolicy.SNAPSHOT`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Applies a recovery objective to an RDS instance or an Aurora / Multi-AZ DB cluster:
 * automated-backup retention (1-35 days) and window, deletion protection, copy tags to
 * snapshots, automated backups kept after deletion, storage encryption required,
 * cross-region automated backup replication (instances) or AWS Backup copies (clusters)
 * against a region outage, AWS Backup for restore points older than the automated window,
 * and backtrack for Aurora MySQL when asked.
 *
 * An objective the database cannot meet fails synthesis with a drkit error; one synth lists every
 * such refusal of the app, and the construct then adds nothing. Malformed props throw at once.
 *
 * In organization mode (`OrganizationProtection`), the database gets its automated backups,
 * deletion protection, cross-region automated backup replication (an instance with
 * `secondaryRegion`) and the `drkit:objective` tag, and no AWS Backup of its stack (`backup` is
 * undefined): the organization's backup policy selects it by tag and carries the copies.
 */
export class RdsPitrPolicy extends Construct {
  /**
   * Prefix of the SSM parameters (in the secondary region) that hold the ARNs of the keys drkit
   * creates for replicated automated backups.
   */
  public static readonly REPLICATION_KEY_PARAMETER_PREFIX = '/drkit/rds-backups/';

  /** The protection plan the construct rendered. */
  public readonly plan!: RdsProtectionPlan;
  /** The protected CloudFormation resource. */
  public readonly resource: CfnResource;
  /**
   * The key that encrypts replicated automated backups in the secondary region.
   * @default - none
   */
  public readonly replicationKey?: kms.IKey;
  /**
   * The shared AWS Backup of the objective, when the plan has backup rules.
   * @default - none
   */
  public readonly backup?: ObjectiveBackup;

  constructor(scope: Construct, id: string, props: RdsPitrPolicyProps) {
    super(scope, id);
    if (!props || !props.database) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `\`database\` is required for RdsPitrPolicy ${this.node.path}`);
    }
    if (!props.objective || typeof (props.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`objective\` is required for RdsPitrPolicy ${this.node.path}: pass a RecoveryObjective, for example RecoveryObjective.fromTier(RecoveryTier.GOLD)`);
    }
    checkAwsRegion('secondaryRegion', props.secondaryRegion, `RdsPitrPolicy ${this.node.path}`);
    checkAwsRegion('standbyRegion', props.standbyRegion, `RdsPitrPolicy ${this.node.path}`);
    for (const [name, value] of [['secondaryRegion', props.secondaryRegion], ['backupAccount', props.backupAccount], ['preferredBackupWindow', props.preferredBackupWindow]] as Array<[string, string | undefined]>) {
      if (value !== undefined && Token.isUnresolved(value)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`${name}\` of RdsPitrPolicy ${this.node.path} must be a concrete value, but got an unresolved token`);
      }
    }
    const removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removal !== RemovalPolicy.RETAIN && removal !== RemovalPolicy.SNAPSHOT) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`removalPolicy\` of RdsPitrPolicy ${this.node.path} must be RETAIN or SNAPSHOT, but got ${removal}: a protected database is never deleted with its stack`);
    }

    const resource = resolveDatabase(props.database, this.node.path);
    this.resource = resource;
    const isCluster = resource.cfnResourceType === 'AWS::RDS::DBCluster';
    const stack = Stack.of(resource);
    const region = primaryRegionOf(resource, props.objective, `RdsPitrPolicy ${this.node.path}`);
    const p: any = resource;

    if (!isCluster && p.sourceDbInstanceIdentifier !== undefined) {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `RdsPitrPolicy ${this.node.path} protects a source database, but ${props.database.node.path} is a read replica (SourceDBInstanceIdentifier is set): protect its source instance`);
    }

    // Organization mode: the policy's copies carry account compromise, and region outage unless
    // an instance replicates its automated backups to secondaryRegion itself.
    const organization = OrganizationProtection.isCovered(this);
    const planned = organization
      ? localObjective(props.objective, !isCluster && props.secondaryRegion !== undefined) ?? localObjective(withCorruption(props.objective), false)!
      : props.objective;
    const refusable = planOrRefuse(this, () => RdsPlanner.plan(planned, {
      resourceName: props.database.node.path,
      kind: isCluster ? ResourceKind.RDS_CLUSTER : ResourceKind.RDS_INSTANCE,
      engine: literalString(stack, p.engine),
      storageEncrypted: encryption(stack, p),
      multiAz: isCluster ? undefined : literalBool(stack, p.multiAz) === true,
      region,
      secondaryRegion: organization && isCluster ? undefined : props.secondaryRegion,
      backupAccount: organization ? undefined : props.backupAccount,
      backupPlan: props.backupPlan,
      continuousBackup: props.continuousBackup,
      backtrackWindow: props.backtrackWindow ? Period.seconds(props.backtrackWindow.toSeconds()) : undefined,
      preferredBackupWindow: props.preferredBackupWindow ?? literalString(stack, p.preferredBackupWindow),
      preferredMaintenanceWindow: literalString(stack, p.preferredMaintenanceWindow),
      standbyRegions: props.standbyRegion ? [props.standbyRegion] : undefined,
    }));
    // A refused objective: synthesis fails listing it (with every other refusal of the app).
    if (refusable === undefined) return;
    this.plan = refusable;
    const plan = this.plan;
    for (const a of plan.advisories) addAdvisory(this, 'drkit:rds-advisory', a);

    // Settings the plan fixes on the database.
    p.backupRetentionPeriod = plan.backupRetentionDays;
    p.preferredBackupWindow = plan.preferredBackupWindow;
    p.deletionProtection = plan.deletionProtection;
    p.copyTagsToSnapshot = plan.copyTagsToSnapshot;
    if (!isCluster) {
      p.deleteAutomatedBackups = plan.deleteAutomatedBackups;
    }
    if (plan.backtrackWindowSeconds !== undefined) {
      p.backtrackWindow = plan.backtrackWindowSeconds;
    }
    if (plan.automatedBackupReplicationRegion) {
      const target = plan.automatedBackupReplicationRegion;
      let keyArn = props.replicationKeyArn;
      if (keyArn !== undefined && !Token.isUnresolved(keyArn) && /(^|:)alias\//.test(keyArn)) {
        throw new DrkitError(DrkitErrorCode.KEY_ARN_REQUIRED,
          `\`replicationKeyArn\` of RdsPitrPolicy ${this.node.path} is the alias "${keyArn}", but ${Facts.RDS_BACKUP_REPLICATION_KEY.statement} (${Facts.RDS_BACKUP_REPLICATION_KEY.source}): give the key's ARN in ${target}, or leave replicationKeyArn out and drkit creates the key`);
      }
      if (keyArn === undefined) {
        const secondary = SecondaryRegionStack.of(this, target);
        // The construct id keeps its old seed (logical IDs do not move); the physical names
        // (alias, parameter) carry the primary region, so two deployments of the stack from two
        // regions do not collide in this one.
        const idHash = crypto.createHash('sha256').update(`${stack.stackName}/${this.node.path}`).digest('hex').slice(0, 10);
        const hash = drNameHash(stack, this.node.path, `the replicated automated backups of ${props.database.node.path}`);
        const aliasName = `alias/drkit/rds-backups-${hash}`;
        const holder = new Construct(secondary, `RdsBackups${idHash}`);
        this.replicationKey = new kms.Key(holder, 'Key', {
          description: `drkit: encrypts replicated automated backups of ${props.database.node.path}`,
          enableKeyRotation: true,
          removalPolicy: RemovalPolicy.RETAIN,
          alias: aliasName,
        });
        // RDS asks for the key's ARN, which CloudFormation cannot pass across regions: the
        // secondary stack (deployed first) writes it to an SSM parameter in its region, and a
        // custom resource of this stack reads that parameter there (SSM GetParameter with region).
        const parameterName = `${RdsPitrPolicy.REPLICATION_KEY_PARAMETER_PREFIX}${hash}/key-arn`;
        new ssm.StringParameter(holder, 'KeyArn', {
          parameterName,
          stringValue: this.replicationKey.keyArn,
          description: `drkit: ARN of the key of the replicated automated backups of ${props.database.node.path} (read by ${stack.stackName} in ${stack.region})`,
        });
        keyArn = readKeyArnParameter(this, parameterName, target);
      }
      p.automaticBackupReplicationRegion = target;
      p.automaticBackupReplicationKmsKeyId = keyArn;
      p.automaticBackupReplicationRetentionPeriod = plan.automatedBackupReplicationRetentionDays;
    }

    resource.applyRemovalPolicy(removal);
    recordObjective(resource, props.objective);
    resource.addMetadata('drkit:construct', 'RdsPitrPolicy');

    if (organization) {
      OrganizationProtection._markCovered(resource, props.objective, 'RdsPitrPolicy');
    } else if (plan.backupRules.length > 0) {
      const shared = ObjectiveBackup.of(resource, props.objective, {
        secondaryRegion: props.secondaryRegion,
        backupAccount: props.backupAccount,
      });
      const arn = isCluster ? p.attrDbClusterArn : p.attrDbInstanceArn;
      shared.addResource(arn, rdsAsProtectionPlan(plan));
      this.backup = shared;
    }

    // Late changes to the database would undo the plan: check at synth.
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const want: Array<[string, any]> = [
          ['BackupRetentionPeriod', plan.backupRetentionDays],
          ['DeletionProtection', true],
          ['CopyTagsToSnapshot', true],
        ];
        if (!isCluster) want.push(['DeleteAutomatedBackups', false]);
        if (props.standbyRegion && !standbyRegionsOf(resource).includes(props.standbyRegion)) {
          errors.push(`[${DrkitErrorCode.DISRUPTION_NOT_COVERED}] RdsPitrPolicy ${this.node.path} counts on a standby of ${props.database.node.path} in ${props.standbyRegion} (\`standbyRegion\`), but no DrStandby in the app keeps one there: add the database to a DrStandby with region "${props.standbyRegion}", or remove standbyRegion`);
        }
        const keys: { [k: string]: string } = {
          BackupRetentionPeriod: 'backupRetentionPeriod',
          DeletionProtection: 'deletionProtection',
          CopyTagsToSnapshot: 'copyTagsToSnapshot',
          DeleteAutomatedBackups: 'deleteAutomatedBackups',
        };
        for (const [cfnName, value] of want) {
          const now = stack.resolve(p[keys[cfnName]]);
          if (now !== value) {
            errors.push(`[${DrkitErrorCode.INVALID_PROPS}] ${cfnName} of ${props.database.node.path} was changed to ${JSON.stringify(now)} after RdsPitrPolicy ${this.node.path} set it to ${JSON.stringify(value)}: remove the later change, or change the objective`);
          }
        }
        return errors;
      },
    });

    RecoveryReportPlugin.register(this);
  }
}

/**
 * The value of SSM parameter `name` in `region`, read at deployment by an AwsCustomResource
 * (SSM GetParameter; the function may read only that parameter). It runs on create, and again
 * whenever the parameter's name changes.
 */
function readKeyArnParameter(scope: Construct, name: string, region: string): string {
  const parameterArn = `arn:${Aws.PARTITION}:ssm:${region}:${Aws.ACCOUNT_ID}:parameter${name}`;
  const reader = new cr.AwsCustomResource(scope, 'ReplicationKeyArn', {
    onUpdate: {
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: name },
      region,
      physicalResourceId: cr.PhysicalResourceId.of(name),
      outputPaths: ['Parameter.Value'],
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [parameterArn] }),
    installLatestAwsSdk: false,
  });
  return reader.getResponseField('Parameter.Value');
}

/** The L1 database behind an L2 or L1 construct. */
function resolveDatabase(db: IConstruct, where: string): CfnResource {
  const candidate: IConstruct | undefined = CfnResource.isCfnResource(db) ? db : db.node.defaultChild;
  const type = candidate && CfnResource.isCfnResource(candidate) ? candidate.cfnResourceType : undefined;
  if (type !== 'AWS::RDS::DBInstance' && type !== 'AWS::RDS::DBCluster') {
    throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
      `RdsPitrPolicy ${where} needs a DatabaseInstance, DatabaseCluster, CfnDBInstance or CfnDBCluster defined in this app, but \`database\` ${db.node.path} ${type ? `is a ${type}` : 'has no CloudFormation resource (an imported database)'}: drkit sets backup settings on the database's resource, so protect it in the stack that defines it`);
  }
  return candidate as CfnResource;
}

function literalString(stack: Stack, v: any): string | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  return typeof r === 'string' ? r : undefined;
}

function literalBool(stack: Stack, v: any): boolean | undefined {
  if (v === undefined) return undefined;
  const r = stack.resolve(v);
  if (r === true || r === 'true') return true;
  if (r === false || r === 'false') return false;
  return undefined;
}

/** true / false when known, undefined when it cannot be read at synth. */
function encryption(stack: Stack, p: any): boolean | undefined {
  const enc = literalBool(stack, p.storageEncrypted);
  if (enc !== undefined) return enc;
  if (p.storageEncrypted !== undefined) return undefined;
  // StorageEncrypted absent: a KMS key implies encryption; Aurora Serverless v1 and
  // clusters restored from encrypted snapshots are encrypted without it.
  if (p.kmsKeyId !== undefined) return true;
  if (p.snapshotIdentifier !== undefined || p.sourceDbClusterIdentifier !== undefined) return undefined;
  return false;
}

/**
 * For organization mode, an objective with only region outage or account compromise (carried
 * by the policy): the database still keeps its automated backups, planned for data corruption
 * with a day's RPO and RTO at least.
 */
function withCorruption(objective: RecoveryObjective): RecoveryObjective {
  const json = objective.toJson();
  const day = 86400;
  return RecoveryObjective.fromJson({
    ...json,
    disruptions: [{ disruption: 'corruption', rpoSeconds: Math.max(json.rpoSeconds, day), rtoSeconds: Math.max(json.rtoSeconds, day) }],
  });
}
