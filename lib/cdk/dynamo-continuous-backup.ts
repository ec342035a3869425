import { Annotations, CfnResource, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { RecoveryReportPlugin } from './report-plugin';
import { checkAwsRegion } from '../core/aws-regions';
import { DrkitError, DrkitErrorCode } from '../core/errors';
import { RecoveryObjective } from '../core/objective';
import { Planner, ProtectionPlan } from '../core/plan';
import { ObjectiveBackup } from './backup/objective-backup';
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
 */
export class DynamoContinuousBackup extends Construct {
  /** The protection plan the construct rendered. */
  public readonly plan!: ProtectionPlan;
  /** The vault that receives the table's backups (shared per stack and objective). */
  public readonly vault!: backup.IBackupVault;
  /** The backup plan that backs up the table (shared per stack and objective). */
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

    const planFor = (regions: string[]) => Planner.dynamoDbTable(props.objective, {
      resourceName: table.node.path,
      region,
      secondaryRegion: props.secondaryRegion,
      backupAccount: props.backupAccount,
      replicaRegions: regions,
    });
    // A region-outage RPO that only replication meets may be met by a replica added after this
    // construct (DrStandby adds one to a TableV2): plan as if the secondary region had one, and
    // check at synth that a replica exists by then (the refusal is reported there otherwise).
    let refusal: DrkitError | undefined;
    const plan = planOrRefuse(this, () => {
      try {
        return planFor(replicaRegions);
      } catch (e) {
        const deferrable = global && DrkitError.isDrkitError(e) && e.code === DrkitErrorCode.RPO_UNACHIEVABLE
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
    for (const a of this.plan.advisories) Annotations.of(this).addWarningV2('drkit:advisory', a);

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
