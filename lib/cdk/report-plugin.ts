import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { constructPathsOf } from './private/construct-paths';
import { StackLimits } from './rules/stack-limits';
import { RecoveryReport, ReportGap, StackExclusion, StackTemplate } from '../core/report';
import { assemblyRelative, cdkTemplate } from '../core/report/report';

const REGISTERED = Symbol.for('drkit.RecoveryReportPlugin.registered');

/** Properties of a RecoveryReportPlugin. */
export interface RecoveryReportPluginProps {
  /**
   * Fail synthesis when a stack exceeds a CloudFormation quota (500 resources, 1 MB template).
   * When false, a stack over a quota is a warning, like one within 20% of it.
   * @default - true, unless the app sets the context `@aws-cdk/core:stackResourceLimit` to 0
   * (which turns off aws-cdk-lib's own resource-count check): drkit then follows that choice
   */
  readonly failOnStackLimits?: boolean;
}

/**
 * Writes drkit's recovery report into the cloud assembly at synth: `drkit-report.json` and
 * `drkit-report.md`, next to the templates, computed from the synthesized templates (not
 * restated from the constructs' inputs).
 *
 * It is a CDK policy validation plugin, so it runs after every template is written. The
 * first drkit construct of an App registers it; register it yourself with
 * `Validations.of(app).addPlugins(new RecoveryReportPlugin())` to report on an app with no
 * drkit construct. Gaps are returned as warnings; they do not fail synthesis. Resources in
 * organization mode (`OrganizationProtection`, `drkit:covered-by` metadata) are backed up by an
 * organization policy the app does not hold: their gaps stay in the written report (with a finding
 * naming `drkit report --org-policy`) but are not returned as warnings.
 *
 * It also checks every stack against CloudFormation's per-stack quotas (`StackLimits`: 500
 * resources, 1 MB template): a warning naming the stack and the count from 80% of a quota,
 * an error (synthesis fails) over it, since such a stack cannot deploy (a warning when
 * `failOnStackLimits` is false). Templates are named in
 * the report by their path relative to the assembly directory, so reports are the same
 * whatever the output directory.
 */
export class RecoveryReportPlugin implements cdk.IPolicyValidationPlugin {
  /** File name of the JSON report in the cloud assembly. */
  public static readonly JSON_FILE = 'drkit-report.json';
  /** File name of the Markdown report in the cloud assembly. */
  public static readonly MARKDOWN_FILE = 'drkit-report.md';

  /**
   * Registers the plugin once on the App that holds `scope` (no-op outside an App).
   */
  public static register(scope: IConstruct): void {
    const root = scope.node.root;
    if (!cdk.App.isApp(root) || (root as any)[REGISTERED]) return;
    Object.defineProperty(root, REGISTERED, { value: true });
    const plugin = new RecoveryReportPlugin({
      failOnStackLimits: root.node.tryGetContext('@aws-cdk/core:stackResourceLimit') !== 0,
    });
    const validations: any = (cdk as any).Validations;
    if (validations && typeof validations.of === 'function') {
      validations.of(root).addPlugins(plugin);
    } else {
      // aws-cdk-lib releases before `Validations`: the plugin list is a mutable array.
      ((root as any).policyValidationBeta1 as any[]).push(plugin);
    }
  }

  /** Plugin name shown in the validation report. */
  public readonly name = 'drkit-recovery-report';
  /** Plugin version. */
  public readonly version?: string;
  /** Rule ids reported (gaps, stack quotas). */
  public readonly ruleIds?: string[] = ['drkit-gap', 'drkit-stack-limits'];

  private readonly failOnStackLimits: boolean;

  constructor(props: RecoveryReportPluginProps = {}) {
    this.version = readVersion();
    this.failOnStackLimits = props.failOnStackLimits ?? true;
  }

  /** Builds the report from the synthesized templates and writes it into the assembly. */
  public validate(context: cdk.IPolicyValidationContext): cdk.PolicyValidationPluginReport {
    const stacks = readStacks(context);
    if (stacks.length === 0) return { success: true, violations: [] };
    const outdir = assemblyDir(context, stacks);
    // The report names templates relative to the assembly: the same report whatever the output directory.
    const report = RecoveryReport.fromTemplates(stacks.map(s => ({ ...s, templatePath: assemblyRelative(outdir, s.templatePath!) })));
    fs.writeFileSync(path.join(outdir, RecoveryReportPlugin.JSON_FILE), JSON.stringify(report.toJson(), undefined, 2) + '\n');
    fs.writeFileSync(path.join(outdir, RecoveryReportPlugin.MARKDOWN_FILE), report.toMarkdown());
    const limits = stackLimitViolations(stacks, (context as any).appConstruct)
      .map(v => (this.failOnStackLimits ? v : { ...v, severity: 'warning' }));
    return {
      success: !limits.some(v => v.severity === 'error'),
      violations: [...limits, ...report.gaps.filter(gap => !coveredByOrganization(gap, stacks)).map(gap => ({
        ruleName: 'drkit-gap',
        description: `${gap.problem}${gap.disruption ? ` (${gap.disruption})` : ''}`,
        fix: gap.fix,
        severity: 'warning',
        violatingResources: gapResources(gap, stacks),
      }))],
    };
  }
}

/**
 * CloudFormation's per-stack quotas (`StackLimits`: resources, template bytes as written to
 * the assembly): a warning from 80% of a quota, an error (failing synthesis) over it.
 */
function stackLimitViolations(stacks: StackTemplate[], app?: IConstruct): cdk.PolicyViolationBeta1[] {
  const out: cdk.PolicyViolationBeta1[] = [];
  let paths: Map<string, { [logicalId: string]: string }> | undefined;
  for (const s of stacks) {
    let bytes: number | undefined;
    try {
      bytes = fs.statSync(s.templatePath!).size;
    } catch {
      bytes = undefined;
    }
    let findings = StackLimits.check(s.stackName, s.template, bytes);
    // The construct tree is walked only when a stack has a finding, to name what each construct puts in it.
    if (findings.length > 0) findings = StackLimits.check(s.stackName, s.template, bytes, (paths ??= constructPathsOf(app)).get(s.stackName));
    for (const f of findings) {
      out.push({
        ruleName: 'drkit-stack-limits',
        description: f.message,
        fix: 'split the protected resources over several stacks, each with a ProtectedScope of the same objective (docs/scale.md)',
        severity: f.severity,
        violatingResources: [],
      });
    }
  }
  return out;
}

/** Templates with their stack name, region and account, from the assembly manifest. */
function readStacks(context: cdk.IPolicyValidationContext): StackTemplate[] {
  const byPath = new Map<string, { region?: string; account?: string }>();
  for (const s of (context as any).stackTemplates ?? []) {
    byPath.set(path.resolve(s.templatePath), { region: s.region, account: s.accountId });
  }
  const manifests = new Map<string, any>();
  const stacks: StackTemplate[] = [];
  for (const templatePath of context.templatePaths ?? []) {
    const full = path.resolve(templatePath);
    const dir = path.dirname(full);
    if (!manifests.has(dir)) manifests.set(dir, readJson(path.join(dir, 'manifest.json')) ?? {});
    const artifact = findArtifact(manifests.get(dir), path.basename(full));
    const env = parseEnvironment(artifact?.environment);
    const known = byPath.get(full) ?? {};
    const exclusions = artifact ? readExclusions(dir, artifact) : [];
    stacks.push({
      stackName: artifact?.properties?.stackName ?? path.basename(full).replace(/\.template\.json$/, ''),
      region: known.region ?? env.region,
      account: known.account ?? env.account,
      template: cdkTemplate(readJson(full)) ?? {},
      templatePath: full,
      exclusions: exclusions.length ? exclusions : undefined,
    });
  }
  return stacks;
}

/**
 * `drkit:excluded` entries of a stack artifact's construct metadata (in manifest.json or its
 * additional metadata file) that name a construct path: resources excluded from protection
 * that have no resource in the template (imported ones, recorded on the ProtectedScope), as
 * `drkit report` reads them from the assembly. Exclusions of template resources are in the template.
 */
function readExclusions(dir: string, artifact: any): StackExclusion[] {
  const sources: any[] = [artifact.metadata];
  if (typeof artifact.additionalMetadataFile === 'string') sources.push(readJson(path.join(dir, artifact.additionalMetadataFile)));
  const out: StackExclusion[] = [];
  for (const metadata of sources) {
    if (!metadata || typeof metadata !== 'object') continue;
    for (const key of Object.keys(metadata).sort()) {
      for (const e of Array.isArray(metadata[key]) ? metadata[key] : []) {
        const d = e?.data;
        if (e?.type !== 'drkit:excluded' || !d || typeof d !== 'object' || typeof d.path !== 'string') continue;
        if (!out.some(x => x.path === d.path)) out.push({ path: d.path, reason: typeof d.reason === 'string' ? d.reason : '' });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function findArtifact(manifest: any, templateFile: string): any {
  for (const artifact of Object.values<any>(manifest?.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack' && artifact?.properties?.templateFile === templateFile) return artifact;
  }
  return undefined;
}

/** `aws://123456789012/us-east-1`; `unknown-account` / `unknown-region` for environment-agnostic stacks. */
function parseEnvironment(env: any): { region?: string; account?: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(env ?? ''));
  if (!m) return {};
  return {
    account: m[1] === 'unknown-account' ? undefined : m[1],
    region: m[2] === 'unknown-region' ? undefined : m[2],
  };
}

/** The App's output directory: where the root manifest and templates are. */
function assemblyDir(context: cdk.IPolicyValidationContext, stacks: StackTemplate[]): string {
  const app: any = (context as any).appConstruct;
  if (app && cdk.App.isApp(app) && typeof app.outdir === 'string') return app.outdir;
  return path.dirname(stacks[0].templatePath!);
}

function gapResources(gap: ReportGap, stacks: StackTemplate[]): cdk.PolicyViolatingResource[] {
  const stack = stacks.find(s => s.stackName === gap.stackName && s.template?.Resources?.[gap.logicalId]);
  return stack ? [{ resourceLogicalId: gap.logicalId, templatePath: stack.templatePath, locations: [] }] : [];
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readVersion(): string | undefined {
  const pkg = readJson(path.join(__dirname, '..', '..', 'package.json'));
  return typeof pkg?.version === 'string' ? pkg.version : undefined;
}

/** Whether a gap's resource is backed up by an organization backup policy (organization mode), which the app does not hold. */
function coveredByOrganization(gap: ReportGap, stacks: StackTemplate[]): boolean {
  const stack = stacks.find(s => s.stackName === gap.stackName && s.template?.Resources?.[gap.logicalId]);
  return stack?.template.Resources[gap.logicalId]?.Metadata?.['drkit:covered-by'] !== undefined;
}
