import { Annotations, AspectPriority, Aspects, Aws, CfnResource, IAspect, Resource, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { ObjectiveBackup, ObjectiveBackupOptions } from './objective-backup';
import { localObjective, OrganizationProtection } from './organization-protection';
import { kindTitle, planBackupResource } from './resource-plan';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';
import { ResourceKind } from '../../core/plan';
import { DynamoContinuousBackup } from '../dynamo-continuous-backup';
import { addAdvisory } from '../private/advisories';
import { recordObjective } from '../private/objective-metadata';

/** A resource left out of a `ProtectedScope`, and why. */
export interface ProtectedScopeExclusion {
  /** The resource (an L2 such as a `Bucket`, or its `Cfn*` resource). */
  readonly resource: IConstruct;
  /** Why it needs no protection against the objective; written to the report. */
  readonly reason: string;
}

/** Properties of a `ProtectedScope`. */
export interface ProtectedScopeProps extends ObjectiveBackupOptions {
  /** The objective every stateful resource in the scope must meet. */
  readonly objective: RecoveryObjective;
  /**
   * Resources to leave unprotected, each with a reason (it appears in the template as
   * `drkit:excluded` metadata on the resource, and in the report).
   * @default - none: every stateful resource in the scope is protected
   */
  readonly exclude?: ProtectedScopeExclusion[];
}

/** CloudFormation types drkit protects in a scope, and how it names them. */
const SUPPORTED: { [type: string]: ResourceKind } = {
  'AWS::DynamoDB::Table': ResourceKind.DYNAMODB_TABLE,
  'AWS::DynamoDB::GlobalTable': ResourceKind.DYNAMODB_TABLE,
  'AWS::S3::Bucket': ResourceKind.S3_BUCKET,
  'AWS::RDS::DBInstance': ResourceKind.RDS_INSTANCE,
  'AWS::RDS::DBCluster': ResourceKind.RDS_CLUSTER,
  'AWS::EFS::FileSystem': ResourceKind.EFS_FILE_SYSTEM,
  'AWS::EC2::Volume': ResourceKind.EBS_VOLUME,
};

/** Stateful CloudFormation types that drkit does not protect yet: found in a scope, they fail synthesis. */
const UNSUPPORTED_STATEFUL = [
  'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster', 'AWS::FSx::FileSystem', 'AWS::Redshift::Cluster',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain', 'AWS::Timestream::Table', 'AWS::Cassandra::Table', 'AWS::MemoryDB::Cluster',
  'AWS::RDS::GlobalCluster', 'AWS::QLDB::Ledger',
];

/** One resource the scope could not protect. */
interface Problem { readonly path: string; readonly what: string; readonly reason: string }

/**
 * Applies one recovery objective to a whole scope (the construct it is declared in: a stack
 * or a subtree). At synthesis it finds every stateful resource under that scope, whenever it
 * was added, and protects each with the right mechanism:
 *
 * - DynamoDB tables (`Table`, `TableV2`, `CfnTable`, `CfnGlobalTable`): what
 *   `DynamoContinuousBackup` applies (point-in-time recovery, deletion protection, RETAIN,
 *   the shared backup plan).
 * - S3 buckets: versioning (enabled when the bucket does not set it; a bucket that suspends it
 *   is refused) and a selection in the shared backup plan.
 * - RDS instances and Aurora clusters: automated-backup retention of the point-in-time window
 *   (raised when lower), deletion protection when unset, and a selection in the shared plan.
 *   Instances of an Aurora cluster and read replicas are covered by their cluster or source.
 * - EFS file systems and EBS volumes: a selection in the shared plan, its schedule meeting
 *   every RPO the snapshots carry.
 *
 * All resources of one objective in a stack share one vault, one plan and one selection
 * (`ObjectiveBackup`), with restore tests, an audit framework, notifications and a health
 * dashboard unless opted out. Resources already protected by a drkit construct (`drkit:construct`
 * metadata) are left to it.
 *
 * Synthesis fails with `DRK050` listing every stateful resource it could not protect and why
 * (an objective the mechanism cannot meet, a stateful type drkit does not support, an imported
 * resource, a bucket that suspends versioning): none is left silently unprotected. Exclude a
 * resource explicitly, with a reason, to accept the gap; the reason is written to the resource's
 * `drkit:excluded` metadata and shown by the report.
 *
 * In organization mode (`OrganizationProtection`), each resource gets what lives on it
 * (versioning, automated-backup retention, deletion protection, point-in-time recovery), the
 * `drkit:objective` tag and `drkit:covered-by` metadata, and the scope creates no backup of its
 * own: the organization's backup policy selects the resources by tag (the backup options
 * above are then unused).
 *
 * Discovery runs as an Aspect on the stack with priority `AspectPriority.MUTATING`; the
 * evidence that depends on the protected types is built after it.
 */
export class ProtectedScope extends Construct {
  /** The construct whose subtree is protected. */
  public readonly root: IConstruct;
  /** The objective. */
  public readonly objective: RecoveryObjective;

  private readonly props: ProtectedScopeProps;
  private readonly protectedPaths: string[] = [];
  private readonly excludedPaths: string[] = [];
  private discovered = false;

  constructor(scope: Construct, id: string, props: ProtectedScopeProps) {
    super(scope, id);
    if (!props || !props.objective || typeof (props.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`objective\` is required for ProtectedScope ${this.node.path}: pass a RecoveryObjective, for example RecoveryObjective.fromTier(RecoveryTier.GOLD)`);
    }
    (props.exclude ?? []).forEach((e, i) => {
      if (!e || !e.resource) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `\`exclude[${i}].resource\` of ProtectedScope ${this.node.path} is required`);
      }
      if (typeof e.reason !== 'string' || e.reason.trim().length === 0) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`exclude[${i}].reason\` of ProtectedScope ${this.node.path} is empty for ${e.resource.node.path}: an exclusion needs a reason, which the recovery report shows (for example "cache, rebuilt from the orders table")`);
      }
      if (!isWithin(e.resource, scope)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `\`exclude[${i}].resource\` ${e.resource.node.path} is not inside the protected scope ${scope.node.path} of ProtectedScope ${this.node.path}: exclude only resources of the scope`);
      }
    });
    if (props.secondaryRegion !== undefined && Token.isUnresolved(props.secondaryRegion)) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` of ProtectedScope ${this.node.path} must be a concrete region name such as "us-west-2", but got an unresolved token`);
    }
    this.root = scope;
    this.objective = props.objective;
    this.props = props;
    const stack = scope.node.scopes.slice().reverse().find(c => Stack.isStack(c));
    if (!stack) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `ProtectedScope ${this.node.path} must be declared in a stack or in a construct inside one, but ${scope.node.path || 'the app'} is not in a stack: declare one ProtectedScope in each stack to protect`);
    }
    ObjectiveBackup._ensureFinalizer(stack);
    Aspects.of(stack).add(new Discovery(this, stack), { priority: AspectPriority.MUTATING });
  }

  /** Paths of the resources this scope protected (known after synthesis). */
  public get protectedResources(): string[] {
    return [...this.protectedPaths];
  }

  /** Paths of the resources excluded with a reason (known after synthesis). */
  public get excludedResources(): string[] {
    return [...this.excludedPaths];
  }

  /** @internal */
  public _discover(): void {
    if (this.discovered) return;
    this.discovered = true;
    const problems: Problem[] = [];
    const excluded = new Map<IConstruct, string>();
    for (const e of this.props.exclude ?? []) {
      for (const r of resourcesOf(e.resource)) excluded.set(r, e.reason);
    }

    for (const node of this.root.node.findAll()) {
      if (node === this || isWithin(node, this)) continue;
      if (excluded.has(node)) {
        const reason = excluded.get(node)!;
        if (CfnResource.isCfnResource(node)) node.addMetadata('drkit:excluded', reason);
        else this.node.addMetadata('drkit:excluded', { path: node.node.path, reason });
        this.excludedPaths.push(node.node.path);
        continue;
      }
      if (CfnResource.isCfnResource(node)) {
        // A drkit construct already protects it (or, like DrStandby's global cluster, it is
        // part of one): never protect twice, and never refuse what drkit itself built.
        if (node.getMetadata('drkit:construct') !== undefined) continue;
        const type = node.cfnResourceType;
        const kind = SUPPORTED[type];
        if (kind === undefined) {
          if (UNSUPPORTED_STATEFUL.includes(type)) {
            problems.push({ path: node.node.path, what: type, reason: `drkit does not protect ${type} yet: protect it with AWS Backup yourself and exclude it with a reason` });
          }
          continue;
        }
        try {
          this.protect(node, kind);
          this.protectedPaths.push(node.node.path);
        } catch (e) {
          if (!(e instanceof Error)) throw e;
          problems.push({ path: node.node.path, what: type, reason: e.message });
        }
      } else if (isImported(node)) {
        problems.push({ path: node.node.path, what: 'imported resource', reason: 'it is defined outside this app (imported by name or ARN), so drkit cannot configure it: protect it in the app that defines it, and exclude it here with a reason' });
      }
    }

    if (problems.length > 0) {
      const list = problems.map(p => `- ${p.path} (${p.what}): ${p.reason}`).join('\n');
      throw new DrkitError(DrkitErrorCode.UNPROTECTED_RESOURCES,
        `ProtectedScope ${this.node.path} cannot protect ${problems.length} stateful resource(s) in ${this.root.node.path || 'the app'} against objective "${this.objective.name}":\n${list}\nFix each, or pass it in \`exclude\` with a reason`);
    }
  }

  private options(): ObjectiveBackupOptions {
    const p = this.props;
    return {
      secondaryRegion: p.secondaryRegion,
      backupAccount: p.backupAccount,
      organizationId: p.organizationId,
      airGappedVault: p.airGappedVault,
      restoreTesting: p.restoreTesting,
      auditFramework: p.auditFramework,
      notifications: p.notifications,
      healthDashboard: p.healthDashboard,
      failedJobShareThreshold: p.failedJobShareThreshold,
    };
  }

  private protect(cfn: CfnResource, kind: ResourceKind): void {
    const stack = Stack.of(cfn);
    // Organization mode: the organization's backup policy selects the resource by tag; no
    // backup of this stack.
    const organization = OrganizationProtection.isCovered(this);
    // Creates the shared backup with this scope's options (evidence, air gap) before a
    // DynamoContinuousBackup asks for it with only the copy targets.
    const shared = organization ? undefined : ObjectiveBackup.of(cfn, this.objective, this.options());
    if (kind === ResourceKind.DYNAMODB_TABLE) {
      new DynamoContinuousBackup(this, `Table${idOf(cfn)}`, {
        table: tableOf(cfn),
        objective: this.objective,
        secondaryRegion: this.props.secondaryRegion,
        backupAccount: this.props.backupAccount,
      });
      return;
    }
    const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
    let arn: string;
    switch (kind) {
      case ResourceKind.S3_BUCKET: {
        const b = cfn as s3.CfnBucket;
        const v = stack.resolve(b.versioningConfiguration);
        if (v === undefined) {
          b.versioningConfiguration = { status: 'Enabled' };
          Annotations.of(b).addInfo(`drkit: ProtectedScope ${this.node.path} turned on versioning for bucket ${b.node.path}: AWS Backup backs up only versioned buckets, and prior versions recover overwritten or deleted objects; expire noncurrent versions with a lifecycle rule to bound their cost`);
        } else if (v?.Status !== 'Enabled' && v?.status !== 'Enabled') {
          throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
            `bucket versioning is ${JSON.stringify(v?.Status ?? v?.status ?? v)}: AWS Backup backs up only versioned buckets and versioning is what recovers overwritten or deleted objects; set \`versioned: true\` on the bucket`);
        }
        arn = b.attrArn;
        break;
      }
      case ResourceKind.RDS_INSTANCE: {
        const db = cfn as rds.CfnDBInstance;
        if (db.dbClusterIdentifier !== undefined) return; // an Aurora cluster member: the cluster is protected
        if (db.sourceDbInstanceIdentifier !== undefined) return; // a read replica: its source is protected
        arn = db.attrDbInstanceArn;
        break;
      }
      case ResourceKind.RDS_CLUSTER:
        arn = (cfn as rds.CfnDBCluster).attrDbClusterArn;
        break;
      case ResourceKind.EFS_FILE_SYSTEM:
        arn = (cfn as efs.CfnFileSystem).attrArn;
        break;
      case ResourceKind.EBS_VOLUME:
        arn = `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:volume/${(cfn as ec2.CfnVolume).ref}`;
        break;
      default:
        throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE, `drkit does not protect ${kindTitle(kind)} resources in a scope`);
    }
    const planned = organization ? localObjective(this.objective, false) : this.objective;
    const plan = planned === undefined ? undefined : planBackupResource(planned, kind, {
      resourceName: cfn.node.path,
      region,
      secondaryRegion: organization ? undefined : this.props.secondaryRegion,
      backupAccount: organization ? undefined : this.props.backupAccount,
    });
    for (const a of plan?.advisories ?? []) addAdvisory(cfn, 'drkit:advisory', a);
    if (kind === ResourceKind.RDS_INSTANCE || kind === ResourceKind.RDS_CLUSTER) {
      const db = cfn as rds.CfnDBInstance | rds.CfnDBCluster;
      const days = plan?.pointInTimeRecoveryDays ?? Math.min(this.objective.retention.pointInTimeDays, Facts.RDS_BACKUP_MAX_DAYS);
      const current = stack.resolve(db.backupRetentionPeriod);
      if (current !== undefined && typeof current !== 'number') {
        throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
          `its backupRetentionPeriod is not a number drkit can compare (${JSON.stringify(current)}): give a concrete number of days (${days} for objective "${this.objective.name}")`);
      }
      if (current === undefined || current < days) db.backupRetentionPeriod = days;
      if (db.deletionProtection === undefined) db.deletionProtection = true;
    }
    if (shared) shared.addResource(arn, plan!, cfn);
    else OrganizationProtection._markCovered(cfn, this.objective, 'ProtectedScope');
    recordObjective(cfn, this.objective);
    cfn.addMetadata('drkit:construct', 'ProtectedScope');
  }
}

/** Runs discovery when the stack node is visited, before the backups' evidence is built. */
class Discovery implements IAspect {
  constructor(private readonly owner: ProtectedScope, private readonly stack: Stack) {}

  public visit(node: IConstruct): void {
    if (node === this.stack) this.owner._discover();
  }
}

function isWithin(node: IConstruct, scope: IConstruct): boolean {
  return node === scope || node.node.scopes.includes(scope);
}

/** The CloudFormation resources an exclusion stands for. */
function resourcesOf(c: IConstruct): IConstruct[] {
  if (CfnResource.isCfnResource(c)) return [c];
  const found: IConstruct[] = c.node.findAll().filter(n => CfnResource.isCfnResource(n));
  return found.length > 0 ? found : [c];
}

/** An L2 resource of a stateful kind that is imported (no CloudFormation resource of its own). */
function isImported(c: IConstruct): boolean {
  if (!Resource.isResource(c) || Resource.isOwnedResource(c)) return false;
  const x = c as any;
  return ['tableArn', 'bucketArn', 'fileSystemId', 'volumeId', 'instanceIdentifier', 'clusterIdentifier']
    .some(k => { try { return x[k] !== undefined; } catch { return false; } })
    && !(x.node.defaultChild && CfnResource.isCfnResource(x.node.defaultChild));
}

/** The Table/TableV2 that owns `cfn`, or a view of a bare CfnTable that DynamoContinuousBackup accepts. */
function tableOf(cfn: CfnResource): dynamodb.ITable {
  const parent = cfn.node.scope as any;
  if (parent && parent.node?.defaultChild === cfn && typeof parent.tableArn === 'string') return parent as dynamodb.ITable;
  const node = Object.create(cfn.node, { defaultChild: { value: cfn } });
  return { node, tableArn: (cfn as dynamodb.CfnTable).attrArn } as unknown as dynamodb.ITable;
}

/** A construct id from a resource path. */
function idOf(cfn: CfnResource): string {
  return cfn.node.path.split('/').map(p => p.replace(/[^A-Za-z0-9]/g, '')).join('');
}
