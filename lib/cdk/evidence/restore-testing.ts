import { Annotations, CfnResource, Names, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ProtectedResourceType } from './protected-resource-type';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import { restoreTestDefaultWindowHours, restoreTestingSelectionName, restoreTestSchedule, restoreTestSelectionDays, restoreTestsWeekly } from '../../core/plan-backup';

/** Which kinds of recovery point a restore test may pick. */
export enum RecoveryPointType {
  /** Snapshot recovery points. */
  SNAPSHOT = 'SNAPSHOT',
  /** Continuous (point-in-time) recovery points. */
  CONTINUOUS = 'CONTINUOUS',
}

/** How often restore tests run. */
export enum RestoreTestFrequency {
  /** Every week. */
  WEEKLY = 'weekly',
  /** Every month. */
  MONTHLY = 'monthly',
}

/** One group of protected resources to restore-test (one `AWS::Backup::RestoreTestingSelection`). */
export interface RestoreTestingSelectionOptions {
  /** The resource type to test. */
  readonly resourceType: ProtectedResourceType;
  /**
   * ARNs of the protected resources to test, or `['*']` for every resource of the type with
   * recovery points in the vault.
   * @default ['*']
   */
  readonly protectedResourceArns?: string[];
  /**
   * Only resources tagged with all these keys and values (needs `protectedResourceArns` `['*']`).
   * @default - no tag condition
   */
  readonly protectedResourceTags?: { [key: string]: string };
  /**
   * Restore metadata to set instead of what AWS Backup infers (keys are not case sensitive).
   * Needed when the inferred defaults do not exist, for example an RDS or Aurora restore into
   * an account without a default VPC (give the subnet group and security groups).
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html
   * @default - the metadata AWS Backup infers
   */
  readonly restoreMetadataOverrides?: { [key: string]: string };
  /**
   * How long the restored resource is kept for validation before AWS Backup deletes it (1 to 168 hours).
   * @default - the plan's `validationWindow`
   */
  readonly validationWindow?: Period;
  /**
   * Name of the selection (letters, digits and underscores, at most 50). It cannot change after creation.
   * @default - `drkit_` and the resource type in lower case, for example `drkit_dynamodb`
   */
  readonly selectionName?: string;
}

/** Properties of `RestoreTesting`. */
export interface RestoreTestingProps {
  /** The objective the restore tests give evidence for; it sets the schedule. */
  readonly objective: RecoveryObjective;
  /** The vault whose latest recovery points are restored. */
  readonly vault: backup.IBackupVault;
  /** The resource types (and resources) to test: one selection each. At least one. */
  readonly selections: RestoreTestingSelectionOptions[];
  /**
   * A cron expression (UTC) for when restore tests start, instead of the derived schedule.
   * @default - weekly when the objective's tightest RPO or RTO is under a day, monthly otherwise
   */
  readonly scheduleExpression?: string;
  /**
   * How long after the scheduled time a restore test may start before it is canceled (1 to 168 hours).
   * @default Period.hours(24)
   */
  readonly startWindow?: Period;
  /**
   * How long restored resources are kept for validation before they are deleted (1 to 168 hours).
   * @default Period.hours(1)
   */
  readonly validationWindow?: Period;
  /**
   * How far back the latest recovery point may be (1 to 365 days).
   * @default - the objective's tightest RPO rounded up to whole days, at least 1 day
   */
  readonly selectionWindow?: Period;
  /**
   * Kinds of recovery point a test may restore.
   * @default [RecoveryPointType.CONTINUOUS, RecoveryPointType.SNAPSHOT]
   */
  readonly recoveryPointTypes?: RecoveryPointType[];
  /**
   * The role AWS Backup uses to restore (and then delete) the test resources.
   * @default - a new role for backup.amazonaws.com with the AWS managed restore policies
   */
  readonly restoreRole?: iam.IRole;
  /**
   * Name of the restore testing plan (letters, digits and underscores, at most 50). It cannot change after creation.
   * @default - a unique name derived from the construct path
   */
  readonly restoreTestingPlanName?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_]{1,50}$/;
const DEFAULT_START_WINDOW = Period.hours(restoreTestDefaultWindowHours().start);
const DEFAULT_VALIDATION_WINDOW = Period.hours(restoreTestDefaultWindowHours().validation);

/**
 * AWS Backup restore testing for the recovery points in a vault: a restore testing plan
 * (`AWS::Backup::RestoreTestingPlan`) that restores the latest recovery point on a schedule
 * derived from the objective, and one selection (`AWS::Backup::RestoreTestingSelection`)
 * per protected resource type. Each test is a real restore job, so its duration is the
 * measured restore time that `BackupAuditFramework`'s `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET`
 * control compares with the RTO.
 *
 * Schedule rule: when the objective's tightest RPO or RTO is under one day, tests run
 * weekly (Wednesdays 09:00 UTC), otherwise monthly (the 8th, 09:00 UTC). A tight objective
 * needs restore-time drift (data growth, a changed engine) caught within a week; a looser
 * one within a month. Tests start after the daily backups so they find a fresh recovery point.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
 */
export class RestoreTesting extends Construct {
  /** The schedule rule drkit applies: weekly when `rpo` or `rto` is under a day, else monthly. */
  public static frequencyFor(objective: RecoveryObjective): RestoreTestFrequency {
    return restoreTestsWeekly(objective) ? RestoreTestFrequency.WEEKLY : RestoreTestFrequency.MONTHLY;
  }

  /** The restore testing plan. */
  public readonly plan: backup.CfnRestoreTestingPlan;
  /** Its name. */
  public readonly restoreTestingPlanName: string;
  /** Its ARN. */
  public readonly restoreTestingPlanArn: string;
  /** The selections, in the order given. */
  public readonly selections: backup.CfnRestoreTestingSelection[];
  /** The role AWS Backup uses for the test restores. */
  public readonly restoreRole: iam.IRole;
  /** The schedule expression in use. */
  public readonly scheduleExpression: string;
  /** How often tests run (derived, or `undefined` when a schedule expression was given). */
  public readonly frequency?: RestoreTestFrequency;

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    if (!props || !(props.objective instanceof RecoveryObjective)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RestoreTesting ${this.node.path}: \`objective\` is required and must be a RecoveryObjective`);
    }
    if (!props.vault) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RestoreTesting ${this.node.path}: \`vault\` is required: the vault whose recovery points are restore-tested`);
    }
    if (!props.selections || props.selections.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RestoreTesting ${this.node.path}: \`selections\` is empty: give at least one resource type to restore-test, for example { resourceType: ProtectedResourceType.DYNAMODB }`);
    }

    const startHours = windowHours(this, 'startWindow', props.startWindow ?? DEFAULT_START_WINDOW);
    const planValidation = props.validationWindow ?? DEFAULT_VALIDATION_WINDOW;
    windowHours(this, 'validationWindow', planValidation);
    const selectionDays = this.selectionWindowDays(props);

    if (props.scheduleExpression !== undefined) {
      if (!Token.isUnresolved(props.scheduleExpression) && !/^cron\(.+\)$/.test(props.scheduleExpression.trim())) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: \`scheduleExpression\` must be a cron expression such as "cron(0 9 ? * WED *)", but got ${JSON.stringify(props.scheduleExpression)}`);
      }
      this.scheduleExpression = props.scheduleExpression;
    } else {
      this.frequency = RestoreTesting.frequencyFor(props.objective);
      this.scheduleExpression = restoreTestSchedule(this.frequency === RestoreTestFrequency.WEEKLY);
    }

    const types = props.recoveryPointTypes ?? [RecoveryPointType.CONTINUOUS, RecoveryPointType.SNAPSHOT];
    if (types.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `RestoreTesting ${this.node.path}: \`recoveryPointTypes\` is empty: use RecoveryPointType.SNAPSHOT, RecoveryPointType.CONTINUOUS or both`);
    }

    this.restoreTestingPlanName = props.restoreTestingPlanName
      ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '_', allowedSpecialCharacters: '_' });
    checkName(this, 'restoreTestingPlanName', this.restoreTestingPlanName);

    this.restoreRole = props.restoreRole ?? this.createRole(props.selections);

    this.plan = new backup.CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: this.restoreTestingPlanName,
      scheduleExpression: this.scheduleExpression,
      startWindowHours: startHours,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: [...new Set(types)].sort(),
        selectionWindowDays: selectionDays,
      },
    });
    this.restoreTestingPlanArn = this.plan.attrRestoreTestingPlanArn;

    const names = new Set<string>();
    this.selections = props.selections.map((s, i) => {
      if (!s || !(s.resourceType instanceof ProtectedResourceType)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: \`selections[${i}].resourceType\` is required, for example ProtectedResourceType.DYNAMODB`);
      }
      const name = s.selectionName ?? restoreTestingSelectionName(s.resourceType.value);
      checkName(this, `selections[${i}].selectionName`, name);
      if (names.has(name)) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: two selections are named "${name}" (selection names must be unique in a plan): give \`selectionName\` to each ${s.resourceType.value} selection`);
      }
      names.add(name);

      const arns = s.protectedResourceArns ?? ['*'];
      if (arns.length === 0) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: \`selections[${i}].protectedResourceArns\` is empty: give resource ARNs or ['*']`);
      }
      if (arns.includes('*') && arns.length > 1) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: \`selections[${i}].protectedResourceArns\` mixes '*' with ARNs, which AWS Backup does not accept: give either ['*'] or the ARNs`);
      }
      const tags = Object.entries(s.protectedResourceTags ?? {});
      if (tags.length > 0 && !(arns.length === 1 && arns[0] === '*')) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `RestoreTesting ${this.node.path}: \`selections[${i}].protectedResourceTags\` only applies with protectedResourceArns ['*']: drop the ARNs or the tags`);
      }
      const validation = windowHours(this, `selections[${i}].validationWindow`, s.validationWindow ?? planValidation);
      const overrides = s.restoreMetadataOverrides;
      const hasOverrides = overrides !== undefined && Object.keys(overrides).length > 0;
      const database = [ProtectedResourceType.RDS.value, ProtectedResourceType.AURORA.value].includes(s.resourceType.value);
      if (!hasOverrides && database) {
        Annotations.of(this).addInfo(
          `drkit: restore tests of ${s.resourceType.value} restore into the default VPC that AWS Backup infers; if this account has no default VPC, set restoreMetadataOverrides on the selection (${Facts.RESTORE_TESTING_METADATA_SOURCE})`);
      }

      const selection = new backup.CfnRestoreTestingSelection(this, `Selection${s.resourceType.value}${i === 0 ? '' : i}`, {
        restoreTestingPlanName: this.restoreTestingPlanName,
        restoreTestingSelectionName: name,
        protectedResourceType: s.resourceType.value,
        iamRoleArn: this.restoreRole.roleArn,
        protectedResourceArns: arns,
        protectedResourceConditions: tags.length > 0
          ? { stringEquals: tags.map(([key, value]) => ({ key: `aws:ResourceTag/${key}`, value })) }
          : undefined,
        restoreMetadataOverrides: hasOverrides ? overrides : undefined,
        validationWindowHours: validation,
      });
      selection.node.addDependency(this.plan);
      return selection;
    });
  }

  private selectionWindowDays(props: RestoreTestingProps): number {
    const window = props.selectionWindow ?? Period.days(restoreTestSelectionDays(props.objective));
    const days = Math.ceil(window.toDays());
    if (days < 1 || days > Facts.RESTORE_TESTING_MAX_SELECTION_DAYS) {
      throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
        `RestoreTesting ${this.node.path}: the recovery point selection window must be 1 to ${Facts.RESTORE_TESTING_MAX_SELECTION_DAYS} days (SelectionWindowDays, ${Facts.RESTORE_TESTING_SOURCE}), but got ${window.toHuman()}: set \`selectionWindow\` within that range`);
    }
    return days;
  }

  private createRole(selections: RestoreTestingSelectionOptions[]): iam.IRole {
    const role = new iam.Role(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'drkit: AWS Backup restores and deletes restore-test resources',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
      ],
    });
    if (selections.some(s => s && s.resourceType && s.resourceType.value === ProtectedResourceType.S3.value)) {
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Restore'));
    }
    // cdk-nag AwsSolutions-IAM4 flags AWS managed policies; these are the ones AWS documents for
    // restore jobs, so the role drkit creates carries its own suppression, with the reason.
    (role.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM4',
        reason: 'AWSBackupServiceRolePolicyForRestores (and ForS3Restore) are the service-role policies AWS documents for AWS Backup restore jobs, restore tests included',
        applies_to: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
        ],
      }],
    });
    return role;
  }
}

function windowHours(scope: Construct, name: string, period: Period): number {
  const hours = Math.ceil(period.toHours());
  if (hours < 1 || hours > Facts.RESTORE_TESTING_MAX_WINDOW_HOURS) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `RestoreTesting ${scope.node.path}: \`${name}\` must be 1 to ${Facts.RESTORE_TESTING_MAX_WINDOW_HOURS} hours (${Facts.RESTORE_TESTING_SOURCE}), but got ${period.toHuman()}: choose a window within that range`);
  }
  return hours;
}

function checkName(scope: Construct, name: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!NAME_PATTERN.test(value)) {
    throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
      `RestoreTesting ${scope.node.path}: \`${name}\` must be 1 to 50 letters, digits or underscores, but got ${JSON.stringify(value)}: for example "drkit_restore_tests"`);
  }
}
