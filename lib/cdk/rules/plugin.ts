import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
// Rules are called through their module so that a test can make one throw (jest.spyOn).
import * as globalTableReplicaPitr from './global-table-replica-pitr';
import * as replicationTimeControl from './replication-time-control';
import * as reportGaps from './report-gaps';
import { RuleCompliance, RuleContext, RuleGap, RuleOutcome } from './rule';
import { StackLimits } from './stack-limits';
import * as statefulResourceProtected from './stateful-resource-protected';
import * as vaultLockForImmutability from './vault-lock-for-immutability';
import { RecoveryReport, StackTemplate } from '../../core/report';
import { constructPathsOf } from '../private/construct-paths';

interface RuleDefinition {
  /** The rule's name: its file name. */
  readonly id: string;
  readonly description: string;
  readonly fix: string;
  readonly check: (ctx: RuleContext) => RuleOutcome;
}

/** drkit's rules, one per file in lib/cdk/rules, named after the file. */
const RULES: RuleDefinition[] = [
  {
    id: 'stateful-resource-protected',
    description: 'A stateful resource has no backup or replication mechanism.',
    fix: 'Protect it with a drkit construct (DynamoContinuousBackup, CrossRegionReplicatedBucket, RdsPitrPolicy) or an AWS Backup selection, or turn on its native backups (PITR, BackupPolicy, BackupRetentionPeriod > 0).',
    check: ctx => statefulResourceProtected.statefulResourceProtected(ctx),
  },
  {
    id: 'global-table-replica-pitr',
    description: 'A replica of a DynamoDB global table (TableV2) has point-in-time recovery off.',
    fix: 'Set pointInTimeRecoverySpecification on every replica (TableV2 `replicas[].pointInTimeRecoverySpecification`), or protect the table with DynamoContinuousBackup, which sets it on every replica.',
    check: ctx => globalTableReplicaPitr.globalTableReplicaPitr(ctx),
  },
  {
    id: 'vault-lock-for-immutability',
    description: 'The resource\'s objective asks for immutable restore points, but a vault holding them has no Vault Lock of that mode.',
    fix: 'Back the resource up into a vault with a LockConfiguration (compliance mode needs ChangeableForDays); drkit\'s ObjectiveBackup adds it from the objective.',
    check: ctx => vaultLockForImmutability.vaultLockForImmutability(ctx),
  },
  {
    id: 'replication-time-control',
    description: 'A bucket must meet a region-outage RPO but replicates without S3 Replication Time Control.',
    fix: 'Enable ReplicationTime (15 minutes) and Metrics on every replication rule (CrossRegionReplicatedBucket does it when the RPO needs it), or raise the region-outage RPO to at least 15 minutes.',
    check: ctx => replicationTimeControl.replicationTimeControl(ctx),
  },
  {
    id: 'report-gaps',
    description: 'drkit\'s recovery report, computed from the synthesized templates, finds a gap on this resource.',
    fix: 'Apply the fix the report gives (drkit-report.md in the cloud assembly).',
    check: ctx => reportGaps.reportGaps(ctx),
  },
];

/** Rule name of the CloudFormation quota check (resources and bytes per template). */
const STACK_LIMITS_RULE = 'stack-limits';
/** Rule name used when a rule throws. */
const RULE_ERROR = 'rule-error';

/** Properties of a DrkitRulesPlugin. */
export interface DrkitRulesPluginProps {
  /**
   * Names of rules not to run (see `DrkitRulesPlugin.RULE_NAMES`).
   * @default - every rule runs
   */
  readonly disabledRules?: string[];
  /**
   * Report every finding as a warning: synthesis does not fail.
   * @default false
   */
  readonly warningsOnly?: boolean;
}

/**
 * drkit's own rules as a CDK policy validation plugin, as cdk-nag v3 plugs in:
 * `Validations.of(app).addPlugins(new DrkitRulesPlugin())`.
 *
 * Every rule is a small pure function over ONE resource of a synthesized template (plus the
 * template for lookups) returning compliant / non-compliant / not applicable; a rule that
 * throws becomes a `rule-error` finding, not a crash. The plugin also checks CloudFormation's
 * per-stack quotas (`stack-limits`: 500 resources, 1 MB). Non-compliant resources are errors
 * (synthesis fails) unless `warningsOnly`; stack-limit findings close to a quota are warnings.
 */
export class DrkitRulesPlugin implements cdk.IPolicyValidationPlugin {
  /** Names of the rules, in the order they run. */
  public static readonly RULE_NAMES: string[] = [...RULES.map(r => r.id), STACK_LIMITS_RULE];

  /** Adds a DrkitRulesPlugin to the App (or Stage) that holds `scope`. */
  public static addTo(scope: IConstruct, props: DrkitRulesPluginProps = {}): DrkitRulesPlugin {
    const plugin = new DrkitRulesPlugin(props);
    const root = cdk.Stage.of(scope) ?? scope.node.root;
    const validations: any = (cdk as any).Validations;
    if (validations && typeof validations.of === 'function') {
      validations.of(root).addPlugins(plugin);
    } else {
      ((root as any).policyValidationBeta1 as any[]).push(plugin);
    }
    return plugin;
  }

  /** Plugin name shown in the validation report. */
  public readonly name = 'drkit-rules';
  /** Rule names reported. */
  public readonly ruleIds?: string[] = [...DrkitRulesPlugin.RULE_NAMES, RULE_ERROR];
  private readonly disabled: Set<string>;
  private readonly warningsOnly: boolean;

  constructor(props: DrkitRulesPluginProps = {}) {
    this.disabled = new Set(props.disabledRules ?? []);
    this.warningsOnly = props.warningsOnly ?? false;
  }

  /** Runs every rule on every resource of every template. */
  public validate(context: cdk.IPolicyValidationContext): cdk.PolicyValidationPluginReport {
    const stacks = readStacks(context);
    const violations: cdk.PolicyViolation[] = [];
    let paths: Map<string, { [logicalId: string]: string }> | undefined;
    const severity = (s: string) => (this.warningsOnly ? 'warning' : s);
    const resourceOf = (s: StackTemplate, logicalId?: string): cdk.PolicyViolatingResource[] =>
      (logicalId ? [{ resourceLogicalId: logicalId, templatePath: s.templatePath!, locations: [] }] : []);

    let gaps: RuleGap[] | undefined;
    if (!this.disabled.has('report-gaps') && stacks.length > 0) {
      try {
        gaps = RecoveryReport.fromTemplates(stacks).gaps;
      } catch (e: any) {
        violations.push({
          ruleName: RULE_ERROR,
          description: `rule report-gaps threw while building the recovery report: ${e?.message ?? e}`,
          fix: 'Report this as a drkit bug with the template.',
          severity: severity('error'),
          violatingResources: resourceOf(stacks[0]),
        });
      }
    }

    for (const s of stacks) {
      const resources = s.template?.Resources ?? {};
      for (const logicalId of Object.keys(resources).sort()) {
        const ctx: RuleContext = {
          stackName: s.stackName,
          logicalId,
          resource: resources[logicalId],
          template: s.template,
          region: s.region,
          account: s.account,
          reportGaps: gaps,
        };
        for (const rule of RULES) {
          if (this.disabled.has(rule.id)) continue;
          let outcome: RuleOutcome;
          try {
            outcome = rule.check(ctx);
          } catch (e: any) {
            violations.push({
              ruleName: RULE_ERROR,
              description: `rule ${rule.id} threw on ${s.stackName}/${logicalId}: ${e?.message ?? e}`,
              fix: 'Report this as a drkit bug with the resource; disable the rule with `disabledRules` meanwhile.',
              severity: severity('error'),
              violatingResources: resourceOf(s, logicalId),
            });
            continue;
          }
          if (outcome.compliance !== RuleCompliance.NON_COMPLIANT) continue;
          violations.push({
            ruleName: rule.id,
            description: `${rule.description} ${s.stackName}/${logicalId}: ${outcome.reason ?? ''}`.trim(),
            fix: rule.fix,
            severity: severity('error'),
            violatingResources: resourceOf(s, logicalId),
          });
        }
      }
      if (!this.disabled.has(STACK_LIMITS_RULE)) {
        const bytes = s.templatePath && fs.existsSync(s.templatePath) ? fs.statSync(s.templatePath).size : undefined;
        let findings = StackLimits.check(s.stackName, s.template, bytes);
        // The construct tree is walked only when a stack has a finding, to name what each construct puts in it.
        if (findings.length > 0) {
          paths ??= constructPathsOf((context as any).appConstruct);
          findings = StackLimits.check(s.stackName, s.template, bytes, paths.get(s.stackName));
        }
        for (const f of findings) {
          violations.push({
            ruleName: STACK_LIMITS_RULE,
            description: f.message,
            fix: 'Split the protected resources over several stacks, each with a ProtectedScope of the same objective (docs/scale.md).',
            severity: severity(f.severity),
            violatingResources: [],
          });
        }
      }
    }
    return { success: !violations.some(v => v.severity === 'error' || v.severity === 'fatal'), violations };
  }
}

/** Templates with stack name, region and account (from the assembly manifest). */
function readStacks(context: cdk.IPolicyValidationContext): StackTemplate[] {
  const known = new Map<string, { region?: string; account?: string }>();
  for (const s of (context as any).stackTemplates ?? []) known.set(path.resolve(s.templatePath), { region: s.region, account: s.accountId });
  const manifests = new Map<string, any>();
  const out: StackTemplate[] = [];
  for (const templatePath of [...(context.templatePaths ?? [])].sort()) {
    const full = path.resolve(templatePath);
    const dir = path.dirname(full);
    if (!manifests.has(dir)) manifests.set(dir, readJson(path.join(dir, 'manifest.json')) ?? {});
    const artifact = Object.values<any>(manifests.get(dir)?.artifacts ?? {})
      .find(a => a?.type === 'aws:cloudformation:stack' && a?.properties?.templateFile === path.basename(full));
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact?.environment ?? ''));
    const k = known.get(full) ?? {};
    out.push({
      stackName: artifact?.properties?.stackName ?? path.basename(full).replace(/\.template\.json$/, ''),
      region: k.region ?? (env && env[2] !== 'unknown-region' ? env[2] : undefined),
      account: k.account ?? (env && env[1] !== 'unknown-account' ? env[1] : undefined),
      template: readJson(full) ?? {},
      templatePath: full,
    });
  }
  return out;
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
