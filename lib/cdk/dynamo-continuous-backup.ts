import { CfnResource, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { RecoveryReportPlugin } from './report-plugin';
import { checkAwsRegion } from '../core/aws-regions';
import { Facts } from '../core/catalog';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { Immutability, RecoveryObjective } from '../core/objective';
import { Planner, ProtectionPlan, ResourceKind } from '../core/plan';
import { ObjectiveBackup } from './backup/objective-backup';
import { localObjective, OrganizationProtection } from './backup/organization-protection';
import { addAdvisory } from './private/advisories';
import { recordObjective } from './private/objective-metadata';
import { planOrRefuse } from './private/refusal';
import { primaryRegionOf } from './private/region';

/** Properties of a DynamoContinuousBackup. */
export interface DynamoContinuousBackupProps {
  /**
   * The table to protect: a `Table` or `TableV2` defined in this app (drkit changes its
   * CloudFormation resource, so imported tables are refused).
   */
  readonly table: dynamodb.ITable;
  /** The recovery objective the table must meet. */
  readonly objective: RecoveryObjective;
  /**
   * Region that receives a copy of every backup. Required when the objective covers
   * `Disruption.REGION_OUTAGE`; must be a concrete region name.
   * @default - none
   */
  readonly secondaryRegion?: string;
  /**
   * Account that receives a copy of every backup, in the vault named
   * `ObjectiveBackup.BACKUP_ACCOUNT_VAULT_NAME` (which you create there). Required when the
   * objective covers `Disruption.ACCOUNT_COMPROMISE`.
   * @default - none
   */
  readonly backupAccount?: string;
}

/**
 * Protects a DynamoDB table against a recovery objective: point-in-time recovery with the
 * objective's recovery period (on every replica of a global table), deletion protection,
 * RETAIN, and an AWS Backup plan (shared by every resource of the stack with the same
 * objective) for retention past 35 days and copies to another region or account.
 *
 * An objective the table cannot meet fails synthesis with a drkit error that names the table,
 * the documented floor and its source; one synth lists every such refusal of the app. The
 * construct then adds nothing (its attributes are undefined). Malformed props throw at once.
 *
 * In organization mode (`OrganizationProtection`), the table gets point-in-time recovery,
 * deletion protection, RETAIN and the `drkit:objective` tag, and no AWS Backup of its stack
 * (`vault` and `backupPlan` are undefined): the organization's backup policy selects it by tag.
 */
export class DynamoContinuousBackup extends Construct {
  /** The protection plan the construct rendered. */
  public readonly plan!: ProtectionPlan;
  /** The vault that receives the table's backups (shared per stack and objective; undefined in organization mode). */
  public readonly vault!: backup.IBackupVault;
  /** The backup plan that backs up the table (shared per stack and objective; undefined in organization mode). */
  public readonly backupPlan!: backup.IBackupPlan;

  constructor(scope: Construct, id: string, props: DynamoContinuousBackupProps) {
    super(scope, id);
    if (!props || !props.table) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS, `\`table\` is required for DynamoContinuousBackup ${this.node.path}`);
    }
    if (!props.objective || typeof (props.objective as any).toJson !== 'function') {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `\`objective\` is required for DynamoContinuousBackup ${this.node.path}: pass a RecoveryObjective, for example RecoveryObjective.fromTier(RecoveryTier.GOLD)`);
    }
    const table = props.table;
    const cfn = table.node.defaultChild;
    const kind = cfn && CfnResource.isCfnResource(cfn) ? cfn.cfnResourceType : undefined;
    if (kind !== 'AWS::DynamoDB::Table' && kind !== 'AWS::DynamoDB::GlobalTable') {
      throw new DrkitError(DrkitErrorCode.UNSUPPORTED_RESOURCE,
        `DynamoContinuousBackup ${this.node.path} needs a Table or TableV2 defined in this app, but \`table\` ${table.node.path} ${kind ? `is a ${kind}` : 'has no CloudFormation resource (an imported table)'}: drkit sets point-in-time recovery and deletion protection on the table's resource, so protect the table in the stack that defines it`);
    }
    checkAwsRegion('secondaryRegion', props.secondaryRegion, `DynamoContinuousBackup ${this.node.path}`);
    if (props.secondaryRegion !== undefined && Token.isUnresolved(props.secondaryRegion)) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `\`secondaryRegion\` of DynamoContinuousBackup ${this.node.path} must be a concrete region name such as "us-west-2", but got an unresolved token`);
    }
    const region = primaryRegionOf(table, props.objective, `DynamoContinuousBackup ${this.node.path}`);
    const resource = cfn as CfnResource;
    const global = kind === 'AWS::DynamoDB::GlobalTable';
    const replicaRegions = global ? concreteReplicaRegions(resource as dynamodb.CfnGlobalTable) : [];

    // Organization mode: the policy's copies carry region outage (unless the table has replicas)
    // and account compromise; the table itself carries what lives on it.
    const organization = OrganizationProtection.isCovered(this);
    const planFor = (regions: string[]) => {
      const objective = organization ? localObjective(props.objective, regions.some(r => r !== region)) : props.objective;
      if (objective === undefined) return localOnlyPlan(props.objective, table.node.path);
      return Planner.dynamoDbTable(objective, {
        resourceName: table.node.path,
        region,
        // A replica carries region outage; the planner names its region as the secondary one.
        secondaryRegion: organization ? regions.find(r => r !== region) : props.secondaryRegion,
        backupAccount: organization ? undefined : props.backupAccount,
        replicaRegions: regions,
      });
    };
    // A region-outage RPO that only replication meets may be met by a replica added after this
    // construct (DrStandby adds one to a TableV2): plan as if the secondary region had one, and
    // check at synth that a replica exists by then (the refusal is reported there otherwise).
    let refusal: DrkitError | undefined;
    const plan = planOrRefuse(this, () => {
      try {
        return planFor(replicaRegions);
      } catch (e) {
        const deferrable = !organization && global && DrkitError.isDrkitError(e) && e.code === DrkitErrorCode.RPO_UNACHIEVABLE
          && props.secondaryRegion !== undefined && replicaRegions.every(r => r === region);
        if (!deferrable) throw e;
        let assumed: ProtectionPlan;
        try {
          assumed = planFor([...replicaRegions, props.secondaryRegion!].sort());
        } catch {
          throw e;
        }
        refusal = e;
        return assumed;
      }
    });
    // A refused objective: synthesis fails listing it (with every other refusal of the app).
    if (plan === undefined) return;
    this.plan = plan;
    for (const a of this.plan.advisories) addAdvisory(this, 'drkit:advisory', a);

    const pitr = {
      pointInTimeRecoveryEnabled: this.plan.pointInTimeRecoveryDays !== undefined,
      recoveryPeriodInDays: this.plan.pointInTimeRecoveryDays,
    };
    if (global) {
      const g = resource as dynamodb.CfnGlobalTable;
      const original = g.replicas;
      // PITR and deletion protection are per replica and not synchronized between them.
      g.replicas = Lazy.any({
        produce: () => (Stack.of(g).resolve(original) as any[] ?? []).map(r => ({
          ...r,
          pointInTimeRecoverySpecification: pitr,
          deletionProtectionEnabled: this.plan.deletionProtection,
          // Tags are per replica: each replica is selected by the policy in its own region.
          ...(organization ? { tags: withTag(r.tags, OrganizationProtection.TAG_KEY, props.objective.name) } : {}),
        })),
      });
      // Replicas may be added after this construct (DrStandby in either order): what counts is that
      // the plan for the final replicas is the one built here.
      this.node.addValidation({
        validate: () => {
          const now = concreteReplicaRegions(g);
          if (now.join(',') === replicaRegions.join(',') && !refusal) return [];
          if (refusal && now.every(r => r === region)) return [refusal.message];
          let final: ProtectionPlan;
          try {
            final = planFor(now);
          } catch (e) {
            if (DrkitError.isDrkitError(e)) return [e.message];
            throw e;
          }
          return samePlan(final, this.plan) ? [] : [
            `[${DrkitErrorCode.INVALID_PROPS}] the replicas of table ${table.node.path} changed after DynamoContinuousBackup ${this.node.path} planned its protection (planned for ${replicaRegions.join(', ') || (refusal ? props.secondaryRegion : 'none')}, now ${now.join(', ') || 'none'}), and the protection they need differs: add replicas before protecting the table, or give DynamoContinuousBackup the replica's region as \`secondaryRegion\``,
          ];
        },
      });
    } else {
      const t = resource as dynamodb.CfnTable;
      t.pointInTimeRecoverySpecification = pitr;
      t.deletionProtectionEnabled = this.plan.deletionProtection;
    }
    resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    recordObjective(resource, props.objective);
    resource.addMetadata('drkit:construct', 'DynamoContinuousBackup');
    if (organization) {
      OrganizationProtection._markCovered(resource, props.objective, 'DynamoContinuousBackup');
      RecoveryReportPlugin.register(this);
      return;
    }

    const shared = ObjectiveBackup.of(table, props.objective, {
      secondaryRegion: props.secondaryRegion,
      backupAccount: props.backupAccount,
    });
    shared.addResource(table.tableArn, this.plan);
    this.vault = shared.vault;
    this.backupPlan = shared.backupPlan;

    RecoveryReportPlugin.register(this);
  }
}

/** A table's tags (`{ key, value }` as given to CfnGlobalTable replicas) with `key` set to `value`. */
function withTag(tags: any, key: string, value: string): Array<{ key: string; value: string }> {
  const list: any[] = Array.isArray(tags) ? tags : [];
  return [...list.filter(t => (t?.key ?? t?.Key) !== key), { key, value }];
}

/**
 * The plan of a table in organization mode whose objective asks only for what the policy's
 * copies give (region outage without replicas, account compromise): point-in-time recovery for
 * the retention window and deletion protection, no rules.
 */
function localOnlyPlan(objective: RecoveryObjective, name: string): ProtectionPlan {
  return {
    kind: ResourceKind.DYNAMODB_TABLE,
    resourceName: name,
    pointInTimeRecoveryDays: Math.min(objective.retention.pointInTimeDays, Facts.DYNAMODB_PITR_MAX_DAYS),
    deletionProtection: true,
    backupRules: [],
    vault: { lock: Immutability.NONE },
    achieved: [],
    advisories: [],
  };
}

/** Whether two plans configure the same protection (PITR, deletion protection, rules, vault, copies). */
function samePlan(a: ProtectionPlan, b: ProtectionPlan): boolean {
  const key = (p: ProtectionPlan) =>
    JSON.stringify([p.pointInTimeRecoveryDays, p.deletionProtection, p.backupRules, p.vault, p.copyRegion, p.copyAccount]);
  return key(a) === key(b);
}

/** Concrete regions of a global table's replicas (the stack's own region may be a token). */
function concreteReplicaRegions(g: dynamodb.CfnGlobalTable): string[] {
  const resolved = Stack.of(g).resolve(g.replicas);
  const list: any[] = Array.isArray(resolved) ? resolved : [];
  return list
    .map(r => r?.region ?? r?.Region)
    .filter((r): r is string => typeof r === 'string')
    .sort();
}
