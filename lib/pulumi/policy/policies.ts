import {
  EnforcementLevel, Policies, PolicyPack, PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy,
  StackValidationArgs, StackValidationPolicy,
} from '@pulumi/policy';
import { fromResourceArgs, fromStackResources } from './resources';
// The rules are drkit's CDK rules (lib/cdk/rules): pure functions of one CloudFormation-shaped
// resource. They are called through their modules, so that a test can make one throw.
import * as globalTableReplicaPitr from '../../cdk/rules/global-table-replica-pitr';
import * as replicationTimeControl from '../../cdk/rules/replication-time-control';
import * as reportGaps from '../../cdk/rules/report-gaps';
import { RuleCompliance, RuleContext, RuleGap, RuleOutcome } from '../../cdk/rules/rule';
import * as statefulResourceProtected from '../../cdk/rules/stateful-resource-protected';
import * as vaultLockForImmutability from '../../cdk/rules/vault-lock-for-immutability';
import { DrkitError, DrkitErrorCode } from '../../core/errors';
import { PulumiResource, pulumiTemplates } from '../../core/evaluate/pulumi';
import { RecoveryObjective } from '../../core/objective';
import { RecoveryReport, StackTemplate } from '../../core/report';

/** Options of drkit's policies. */
export interface DrkitPolicyOptions {
  /**
   * The objective every stateful AWS resource of the stack must meet (as `drkit report --rpo
   * --rto`): the `report-gaps` policy evaluates it on the whole stack, and
   * `vault-lock-for-immutability` and `replication-time-control` apply it. A resource tagged
   * `drkit:excluded` (the reason as the tag's value) is left out.
   * @default - only the objectives drkit components record; without one, `report-gaps` reports
   * resources with no restore point at all, and the objective policies do not apply
   */
  readonly objective?: RecoveryObjective;
  /**
   * What a violation does: `mandatory` fails `pulumi preview` and `pulumi up`, `advisory` warns.
   * Pulumi's policy configuration can still change it per policy.
   * @default "mandatory"
   */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Names of policies not to run (`DRKIT_POLICY_NAMES`).
   * @default - every policy runs
   */
  readonly disabledPolicies?: string[];
  /**
   * Region of AWS resources whose region neither the resource nor its provider gives.
   * @default - unknown
   */
  readonly region?: string;
}

/** Options of `drkitPolicyPack`: drkit's policies, and the pack's own settings. */
export interface DrkitPolicyPackOptions extends DrkitPolicyOptions {
  /**
   * A brief description of the pack (overrides PulumiPolicy.yaml's).
   * @default - "drkit: backup and disaster recovery policies"
   */
  readonly description?: string;
  /**
   * More policies to run in the same pack.
   * @default - none
   */
  readonly additionalPolicies?: Policies;
}

interface DrkitPolicy {
  readonly name: string;
  readonly description: string;
  readonly remediationSteps: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  /** Resource policy: the resource types it reads; a stack policy otherwise. */
  readonly resourceTypes?: string[];
  readonly check: (ctx: RuleContext) => RuleOutcome;
}

/**
 * drkit's policies. Each calls the rule of the same name in lib/cdk/rules on the resources
 * converted to CloudFormation shape by the converter `drkit report` uses (lib/core/evaluate/pulumi.ts).
 * The rules that need more than the resource's own arguments (a bucket's replication is a
 * separate resource; a backup selection picks a table) are stack policies: they see every
 * resource of the stack with its state, and report each violation on the resource's URN.
 */
const POLICIES: DrkitPolicy[] = [
  {
    name: 'stateful-resource-protected',
    description: 'Every stateful AWS resource (DynamoDB table, S3 bucket, RDS instance or cluster, EFS file system, EBS volume) has a backup or replication mechanism.',
    remediationSteps: 'Protect it with a drkit component (DynamoContinuousBackup, CrossRegionReplicatedBucket, RdsPitrPolicy, BackupFoundation) or an aws.backup.Selection, or turn on its native mechanism: pointInTimeRecovery on a table, an aws.s3.BucketReplicationConfig, backupRetentionPeriod > 0 on a database. To leave a resource out on purpose, tag it "drkit:excluded" with the reason.',
    severity: 'high',
    check: ctx => statefulResourceProtected.statefulResourceProtected(ctx),
  },
  {
    name: 'global-table-replica-pitr',
    description: 'Every replica of a DynamoDB global table has point-in-time recovery on (PITR is set per replica and not synchronized between replicas).',
    remediationSteps: 'Set `pointInTimeRecovery: true` on every entry of the table\'s `replicas` and on every aws.dynamodb.TableReplica, or protect the table with drkit\'s DynamoContinuousBackup, which sets it on every replica.',
    severity: 'high',
    resourceTypes: ['aws:dynamodb/table:Table', 'aws:dynamodb/tableReplica:TableReplica'],
    check: ctx => globalTableReplicaPitr.globalTableReplicaPitr(ctx),
  },
  {
    name: 'vault-lock-for-immutability',
    description: 'Where the objective asks for immutable restore points, every vault the resource\'s AWS Backup plans write to has a Vault Lock of that mode.',
    remediationSteps: 'Add an aws.backup.VaultLockConfiguration to each vault (compliance mode needs `changeableForDays`); drkit\'s components add it from the objective. An S3 bucket may instead use S3 Object Lock with a default retention of that mode.',
    severity: 'medium',
    check: ctx => vaultLockForImmutability.vaultLockForImmutability(ctx),
  },
  {
    name: 'replication-time-control',
    description: 'A bucket that must meet a region-outage RPO replicates with S3 Replication Time Control and metrics (replication without RTC has no documented bound).',
    remediationSteps: 'Set `replicationTime: { status: "Enabled", time: { minutes: 15 } }` and `metrics: { status: "Enabled", eventThreshold: { minutes: 15 } }` on every rule of the aws.s3.BucketReplicationConfig (drkit\'s CrossRegionReplicatedBucket does), or raise the region-outage RPO to at least 15 minutes.',
    severity: 'medium',
    check: ctx => replicationTimeControl.replicationTimeControl(ctx),
  },
  {
    name: 'report-gaps',
    description: 'drkit\'s recovery report, computed from the whole stack, finds no gap: every objective met, every stateful resource with a restore point.',
    remediationSteps: 'Apply the fix the violation gives (the same as `drkit report` prints for the stack export: pulumi stack export --file stack.json && npx drkit report stack.json).',
    severity: 'high',
    check: ctx => reportGaps.reportGaps(ctx),
  },
];

/** Names of drkit's policies, in the order they run (the names of the CDK rules they share). */
export const DRKIT_POLICY_NAMES: string[] = POLICIES.map(p => p.name);

const ENFORCEMENT_LEVELS = ['advisory', 'mandatory', 'disabled'];

function checkOptions(options: DrkitPolicyOptions): void {
  if (options.objective !== undefined && typeof (options.objective as any)?.toJson !== 'function') {
    throw new DrkitError(DrkitErrorCode.POLICY_OPTIONS,
      `drkit policies: \`objective\` must be a RecoveryObjective (from drkit/core, for example RecoveryObjective.of({ rpo: Period.minutes(15), rto: Period.hours(4) })), but got ${JSON.stringify(options.objective)}`);
  }
  if (options.enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(options.enforcementLevel)) {
    throw new DrkitError(DrkitErrorCode.POLICY_OPTIONS,
      `drkit policies: \`enforcementLevel\` "${options.enforcementLevel}" is not one of ${ENFORCEMENT_LEVELS.join(', ')} (drkit's policies validate; they do not remediate)`);
  }
  const unknown = (options.disabledPolicies ?? []).filter(n => !DRKIT_POLICY_NAMES.includes(n));
  if (unknown.length > 0) {
    throw new DrkitError(DrkitErrorCode.POLICY_OPTIONS,
      `drkit policies: \`disabledPolicies\` names ${unknown.map(n => `"${n}"`).join(', ')}, which drkit does not have: its policies are ${DRKIT_POLICY_NAMES.join(', ')}`);
  }
}

/** The URN a converted resource came from. */
function urnOf(resource: any): string | undefined {
  const u = resource?.Metadata?.['pulumi:urn'];
  return typeof u === 'string' ? u : undefined;
}

/**
 * Runs one rule on every converted resource; reports each non-compliant one (on its URN, in a
 * stack policy). A rule that throws is reported as a violation naming the rule, not a crash.
 */
function runRule(policy: DrkitPolicy, stacks: StackTemplate[], reportViolation: ReportViolation, onUrn: boolean, gaps?: RuleGap[]): void {
  for (const s of stacks) {
    const resources = s.template.Resources;
    for (const logicalId of Object.keys(resources).sort()) {
      const resource = resources[logicalId];
      const ctx: RuleContext = {
        stackName: s.stackName, logicalId, resource, template: s.template, region: s.region, account: s.account, reportGaps: gaps,
      };
      let outcome: RuleOutcome;
      try {
        outcome = policy.check(ctx);
      } catch (e: any) {
        reportViolation(`drkit rule ${policy.name} threw on ${s.stackName}/${logicalId}: ${e?.message ?? e}; report this as a drkit bug with the resource, and disable the policy meanwhile (disabledPolicies)`,
          onUrn ? urnOf(resource) : undefined);
        continue;
      }
      if (outcome.compliance !== RuleCompliance.NON_COMPLIANT) continue;
      reportViolation(`${outcome.reason ?? policy.description} (${s.stackName}/${logicalId}, read as ${resource.Type})`, onUrn ? urnOf(resource) : undefined);
    }
  }
}

/**
 * drkit's rules as Pulumi CrossGuard policies, the equivalent of `DrkitRulesPlugin` for CDK:
 * `new PolicyPack('drkit', { policies: drkitPolicies({ objective }) })`.
 *
 * - `stateful-resource-protected` (stack): every stateful AWS resource has a backup or replication mechanism;
 * - `global-table-replica-pitr` (resource): PITR on every replica of a DynamoDB global table;
 * - `vault-lock-for-immutability` (stack): a Vault Lock where the objective asks for immutability;
 * - `replication-time-control` (stack): RTC on replication that must meet a region-outage RPO;
 * - `report-gaps` (stack): the objective evaluated on the whole stack by drkit's recovery report.
 *
 * Each converts the Pulumi resources to the CloudFormation resources `drkit report` assesses and
 * calls the rule of the same name that `DrkitRulesPlugin` runs. During `pulumi preview`, a value
 * known only after the update is unknown to the rules: it never makes a resource compliant.
 */
export function drkitPolicies(options: DrkitPolicyOptions = {}): Policies {
  checkOptions(options);
  const enforcementLevel: EnforcementLevel = options.enforcementLevel ?? 'mandatory';
  const disabled = new Set(options.disabledPolicies ?? []);
  const objective = options.objective?.toJson();
  const convert = (resources: PulumiResource[]) => pulumiTemplates(resources, { region: options.region, objective });
  const out: Policies = [];
  for (const p of POLICIES) {
    if (disabled.has(p.name)) continue;
    const base = {
      name: p.name,
      description: p.description,
      remediationSteps: p.remediationSteps,
      severity: p.severity,
      enforcementLevel,
      tags: ['drkit', 'backup', 'disaster-recovery'],
    };
    if (p.resourceTypes) {
      const policy: ResourceValidationPolicy = {
        ...base,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
          if (!p.resourceTypes!.includes(args.type)) return;
          runRule(p, convert(fromResourceArgs(args)), reportViolation, false);
        },
      };
      out.push(policy);
    } else {
      const policy: StackValidationPolicy = {
        ...base,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
          const stacks = convert(fromStackResources(args.resources as PolicyResource[]));
          if (stacks.length === 0) return;
          let gaps: RuleGap[] | undefined;
          if (p.name === 'report-gaps') {
            try {
              gaps = RecoveryReport.fromTemplates(stacks, { objective: options.objective, region: options.region }).gaps;
            } catch (e: any) {
              reportViolation(`drkit's recovery report threw on the stack: ${e?.message ?? e}; report this as a drkit bug, and disable the policy meanwhile (disabledPolicies)`);
              return;
            }
          }
          runRule(p, stacks, reportViolation, true, gaps);
        },
      };
      out.push(policy);
    }
  }
  return out;
}

/**
 * A policy pack of drkit's policies: the whole program of a policy pack folder
 * (`pulumi preview --policy-pack <folder>`, `pulumi up --policy-pack <folder>`,
 * `pulumi policy analyze --policy-pack <folder>` on an existing stack).
 *
 * @param name the pack's name
 */
export function drkitPolicyPack(name: string = 'drkit', options: DrkitPolicyPackOptions = {}): PolicyPack {
  const policies = drkitPolicies(options);
  return new PolicyPack(name, {
    description: options.description ?? 'drkit: backup and disaster recovery policies',
    enforcementLevel: options.enforcementLevel ?? 'mandatory',
    policies: [...policies, ...(options.additionalPolicies ?? [])],
  });
}
