import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { Construct } from 'constructs';
import { ProtectedResourceType } from './protected-resource-type';
import { Facts } from '../../core/catalog';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../core/objective';
import { Period } from '../../core/period';
import {
  AuditControlParameter, defaultAuditFrequency, defaultLockRetentionDays, defaultRequiredRetentionDays, localRpo,
  maxRestoreMinutes, recoveryPointAgeHours, recoveryPointAgeParameters, requiredFrequencyParameters,
} from '../../core/plan-backup';

/** Properties of `BackupAuditFramework`. */
export interface BackupAuditFrameworkProps {
  /** The objective the controls are derived from. */
  readonly objective: RecoveryObjective;
  /**
   * Regions that recovery points are copied to (the `crossRegionList` of the cross-region control).
   * Required when the objective covers Disruption.REGION_OUTAGE.
   * @default - none
   */
  readonly copyRegions?: string[];
  /**
   * Accounts that recovery points are copied to (the `crossAccountList` of the cross-account control).
   * Required when the objective covers Disruption.ACCOUNT_COMPROMISE.
   * @default - none
   */
  readonly copyAccounts?: string[];
  /**
   * Resource types the resource-level controls evaluate (their `ComplianceResourceTypes` scope).
   * @default - every resource type AWS Backup supports
   */
  readonly resourceTypes?: ProtectedResourceType[];
  /**
   * How often the backup plan must take a backup (`requiredFrequencyUnit`/`Value`). Give the
   * interval of the plan's most frequent rule when you build the plan yourself.
   * @default - the backup interval of the objective, else the longest standard interval whose
   * worst case (interval plus the 60-minute start window) meets the local RPO, at least hourly
   * and at most daily
   */
  readonly backupFrequency?: Period;
  /**
   * The recovery point age BACKUP_LAST_RECOVERY_POINT_CREATED checks. Give what your backup plan
   * guarantees: its longest gap between scheduled recovery points plus the start and completion
   * windows (drkit's ObjectiveBackup derives it from its rules with `planRecoveryPointAge`).
   * Rounded up to whole hours.
   * @default - the local RPO rounded up to whole hours
   */
  readonly recoveryPointAge?: Period;
  /**
   * Days the most frequent rule must keep its recovery points (`requiredRetentionDays`).
   * @default - the objective's point-in-time window (and its daily count when backups are daily)
   */
  readonly requiredRetentionDays?: number;
  /**
   * Vault Lock minimum retention the lock control requires (`minRetentionDays`).
   * @default - the shortest retention tier of the objective
   */
  readonly lockMinRetentionDays?: number;
  /**
   * Vault Lock maximum retention the lock control requires (`maxRetentionDays`).
   * @default - the longest retention tier of the objective (at most 36500 days)
   */
  readonly lockMaxRetentionDays?: number;
  /**
   * Name of the framework (letters, digits and underscores, starting with a letter, at most 256).
   * @default - a name CloudFormation generates
   */
  readonly frameworkName?: string;
}

/** Parameter name/value pairs of one control. */
interface Param { readonly parameterName: string; readonly parameterValue: string }

/** A core control parameter in CloudFormation's casing. */
function param(p: AuditControlParameter): Param {
  return { parameterName: p.name, parameterValue: p.value };
}

/**
 * A Backup Audit Manager framework (`AWS::Backup::Framework`) whose controls are derived
 * from the objective, so that AWS evaluates continuously, at runtime, what the synthesized
 * plan promises:
 *
 * - `BACKUP_LAST_RECOVERY_POINT_CREATED`: a recovery point no older than the local RPO
 *   (rounded up to whole hours, or whole days when the RPO is whole days).
 * - `BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK`: the plan backs up at least as often
 *   as the RPO needs and keeps points for the retention window.
 * - `BACKUP_RECOVERY_POINT_ENCRYPTED`: every recovery point is encrypted.
 * - `BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK`: when the objective asks for immutability.
 * - `BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION`: when region outage is in scope.
 * - `BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT`: when account compromise is in scope.
 * - `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET`: the latest restore (restore tests included)
 *   took no longer than the RTO, in minutes.
 *
 * Backup Audit Manager evaluates controls with AWS Config: AWS Config must record the
 * resource types the controls evaluate (AWS Backup plans, vaults, recovery points and the
 * protected resources) in the account and region, or the controls report nothing.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html
 */
export class BackupAuditFramework extends Construct {
  /** The framework. */
  public readonly framework: backup.CfnFramework;
  /** Its ARN. */
  public readonly frameworkArn: string;
  /** Names of the controls, in template order. */
  public readonly controlNames: string[];

  constructor(scope: Construct, id: string, props: BackupAuditFrameworkProps) {
    super(scope, id);
    if (!props || !(props.objective instanceof RecoveryObjective)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupAuditFramework ${this.node.path}: \`objective\` is required and must be a RecoveryObjective`);
    }
    const o = props.objective;
    if (props.frameworkName !== undefined && !Token.isUnresolved(props.frameworkName)
      && !/^[A-Za-z][A-Za-z0-9_]{0,255}$/.test(props.frameworkName)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupAuditFramework ${this.node.path}: \`frameworkName\` must start with a letter and hold 1 to 256 letters, digits or underscores, but got ${JSON.stringify(props.frameworkName)}`);
    }
    const scope0 = props.resourceTypes && props.resourceTypes.length > 0
      ? { ComplianceResourceTypes: [...new Set(props.resourceTypes.map(t => t.value))] } // ControlScope is untyped JSON: CloudFormation's own casing
      : undefined;

    const controls: backup.CfnFramework.FrameworkControlProperty[] = [];
    const add = (controlName: string, params: Param[], scoped: boolean) => {
      controls.push({
        controlName,
        controlInputParameters: params.length ? params : undefined,
        controlScope: scoped ? scope0 : undefined,
      });
    };

    add('BACKUP_LAST_RECOVERY_POINT_CREATED', this.recoveryPointAge(o, props.recoveryPointAge), true);
    add('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', this.frequencyAndRetention(o, props), false);
    add('BACKUP_RECOVERY_POINT_ENCRYPTED', [], false);
    if (o.immutability !== Immutability.NONE) {
      add('BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK', this.lockRetention(o, props), true);
    }
    if (o.covers(Disruption.REGION_OUTAGE)) {
      const regions = this.copyRegions(props.copyRegions);
      add('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', [{ parameterName: 'crossRegionList', parameterValue: regions.join(',') }], true);
    }
    if (o.covers(Disruption.ACCOUNT_COMPROMISE)) {
      const accounts = props.copyAccounts ?? [];
      if (accounts.length === 0) {
        throw new DrkitError(DrkitErrorCode.DISRUPTION_NOT_COVERED,
          `BackupAuditFramework ${this.node.path}: account compromise is among the disruptions of objective "${o.name}", but no \`copyAccounts\` are given, so the cross-account control has nothing to check: give the account(s) recovery points are copied to, or remove Disruption.ACCOUNT_COMPROMISE`);
      }
      for (const a of accounts) {
        if (!Token.isUnresolved(a) && !/^\d{12}$/.test(a)) {
          throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
            `BackupAuditFramework ${this.node.path}: \`copyAccounts\` must hold 12-digit account IDs, but got ${JSON.stringify(a)}`);
        }
      }
      add('BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT', [{ parameterName: 'crossAccountList', parameterValue: accounts.join(',') }], true);
    }
    add('RESTORE_TIME_FOR_RESOURCES_MEET_TARGET', this.restoreTime(o), true);

    this.framework = new backup.CfnFramework(this, 'Framework', {
      frameworkName: props.frameworkName,
      frameworkDescription: `drkit: runtime evidence for objective "${o.name}" (rpo ${o.rpo.toHuman()}, rto ${o.rto.toHuman()})`.slice(0, 1024),
      frameworkControls: controls,
    });
    this.frameworkArn = this.framework.attrFrameworkArn;
    this.controlNames = controls.map(c => c.controlName);

    Annotations.of(this).addInfo(
      'drkit: Backup Audit Manager evaluates these controls with AWS Config: AWS Config must record AWS Backup plans, vaults and recovery points and the protected resource types in this account and region, or the framework reports nothing');
  }

  /** recoveryPointAgeValue/Unit from what the plan guarantees when given, else from the local RPO. */
  private recoveryPointAge(o: RecoveryObjective, given?: Period): Param[] {
    const rpo = localRpo(o);
    const hours = given !== undefined ? Math.max(1, Math.ceil(given.toHours())) : recoveryPointAgeHours(o);
    if (given !== undefined && hours > Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS) {
      throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
        `BackupAuditFramework ${this.node.path}: \`recoveryPointAge\` ${given.toHuman()} cannot be checked by BACKUP_LAST_RECOVERY_POINT_CREATED: its recovery point age accepts at most ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS} hours or ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days (${Facts.AUDIT_CONTROLS_SOURCE}); back up more often`);
    }
    if (given !== undefined) return recoveryPointAgeParameters(hours).map(param);
    if (hours * 3600 !== rpo.totalSeconds && hours <= Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS) {
      Annotations.of(this).addWarningV2('drkit:evidence-rpo-rounded',
        `BACKUP_LAST_RECOVERY_POINT_CREATED checks recovery point age in whole hours, so the rpo ${rpo.toHuman()} is checked as ${Period.hours(hours).toHuman()}: the control cannot see the difference; continuous backup or point-in-time recovery must cover it`);
    }
    if (hours > Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS) {
      throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
        `BackupAuditFramework ${this.node.path}: \`rpo\` ${rpo.toHuman()} of objective "${o.name}" cannot be checked by BACKUP_LAST_RECOVERY_POINT_CREATED: its recovery point age accepts at most ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_HOURS} hours or ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days (${Facts.AUDIT_CONTROLS_SOURCE}); lower the rpo to ${Facts.AUDIT_RECOVERY_POINT_AGE_MAX_DAYS} days or less`);
    }
    return recoveryPointAgeParameters(hours).map(param);
  }

  /** requiredFrequencyUnit/Value and requiredRetentionDays. */
  private frequencyAndRetention(o: RecoveryObjective, props: BackupAuditFrameworkProps): Param[] {
    const frequency = props.backupFrequency ?? defaultAuditFrequency(o);
    const hours = Math.ceil(frequency.toHours());
    if (hours < 1) {
      throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
        `BackupAuditFramework ${this.node.path}: \`backupFrequency\` ${frequency.toHuman()} is below the hourly minimum of BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK (${Facts.AUDIT_CONFIG_RULE_SOURCE}): use 1 hour or more`);
    }
    const frequencyParams = requiredFrequencyParameters(hours);
    if (frequencyParams === undefined) {
      throw new DrkitError(DrkitErrorCode.EVIDENCE_UNEXPRESSIBLE,
        `BackupAuditFramework ${this.node.path}: a backup every ${frequency.toHuman()} cannot be checked by BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: its required frequency accepts at most ${Facts.AUDIT_PLAN_FREQUENCY_MAX_HOURS} hours or ${Facts.AUDIT_PLAN_FREQUENCY_MAX_DAYS} days (${Facts.AUDIT_CONFIG_RULE_SOURCE}); back up at least every ${Facts.AUDIT_PLAN_FREQUENCY_MAX_DAYS} days`);
    }
    const retention = props.requiredRetentionDays ?? defaultRequiredRetentionDays(o, hours);
    if (!Token.isUnresolved(retention) && (!Number.isInteger(retention) || retention < 1 || retention > Facts.VAULT_LOCK_MAX_RETENTION_DAYS)) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupAuditFramework ${this.node.path}: \`requiredRetentionDays\` must be a whole number of days from 1 to ${Facts.VAULT_LOCK_MAX_RETENTION_DAYS}, but got ${retention}`);
    }
    return [
      ...frequencyParams.map(param),
      { parameterName: 'requiredRetentionDays', parameterValue: String(retention) },
    ];
  }

  /** minRetentionDays/maxRetentionDays for the vault lock control. */
  private lockRetention(o: RecoveryObjective, props: BackupAuditFrameworkProps): Param[] {
    const defaults = defaultLockRetentionDays(o);
    const min = props.lockMinRetentionDays ?? defaults.min;
    const max = props.lockMaxRetentionDays ?? defaults.max;
    for (const [name, v] of [['lockMinRetentionDays', min], ['lockMaxRetentionDays', max]] as Array<[string, number]>) {
      if (!Number.isInteger(v) || v < 1 || v > Facts.VAULT_LOCK_MAX_RETENTION_DAYS) {
        throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
          `BackupAuditFramework ${this.node.path}: \`${name}\` must be a whole number of days from 1 to ${Facts.VAULT_LOCK_MAX_RETENTION_DAYS} (${Facts.VAULT_LOCK_SOURCE}), but got ${v}`);
      }
    }
    if (min > max) {
      throw new DrkitError(DrkitErrorCode.INVALID_PROPS,
        `BackupAuditFramework ${this.node.path}: \`lockMinRetentionDays\` ${min} is greater than \`lockMaxRetentionDays\` ${max}: the minimum retention cannot exceed the maximum`);
    }
    return [
      { parameterName: 'minRetentionDays', parameterValue: String(min) },
      { parameterName: 'maxRetentionDays', parameterValue: String(max) },
    ];
  }

  private copyRegions(given: string[] | undefined): string[] {
    const regions = given ?? [];
    if (regions.length === 0) {
      throw new DrkitError(DrkitErrorCode.INVALID_REGION,
        `BackupAuditFramework ${this.node.path}: region outage is among the disruptions, but no \`copyRegions\` are given, so the cross-region control has nothing to check: give the region(s) recovery points are copied to, for example ["us-west-2"]`);
    }
    const here = Stack.of(this).region;
    for (const r of regions) {
      if (!Token.isUnresolved(r) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `BackupAuditFramework ${this.node.path}: \`copyRegions\` must hold region names such as "us-west-2", but got ${JSON.stringify(r)}`);
      }
      if (!Token.isUnresolved(r) && !Token.isUnresolved(here) && r === here) {
        throw new DrkitError(DrkitErrorCode.INVALID_REGION,
          `BackupAuditFramework ${this.node.path}: \`copyRegions\` holds "${r}", the region of this stack: a copy in the same region does not survive a region outage; give another region`);
      }
    }
    return regions;
  }

  /** maxRestoreTime in minutes from the RTO. */
  private restoreTime(o: RecoveryObjective): Param[] {
    return [{ parameterName: 'maxRestoreTime', parameterValue: String(maxRestoreMinutes(o)) }];
  }
}
