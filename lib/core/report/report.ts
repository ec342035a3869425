import * as fs from 'fs';
import * as path from 'path';
import { DrkitError, DrkitErrorCode } from '../errors';
import { renderMarkdown } from './markdown';
import { ReportGap, StackExclusion, StackTemplate } from './types';
import { render } from '../evaluate/cfn';
import { readResources } from '../evaluate/evaluator';
import { ExcludedResource, NotAssessed, ResourceAssessment, TargetStatus } from '../evaluate/model';
import { assessOrgPolicy, EffectiveBackupPolicy, orgPlansSelecting } from '../evaluate/org-policy';
import { pulumiDocumentKind, pulumiStackTemplates } from '../evaluate/pulumi';
import { ALL_DISRUPTIONS, RecoveryObjective } from '../objective';
import { evaluateTemplates, TemplateEvaluation } from '../template/assess';
import { StackPreparation } from '../template/prepare';
import { parseTemplateText } from '../template/yaml';

/**
 * The version of the report's JSON document (docs/report-schema.json). 2.0: the `unverified`
 * status replaces `met-estimated`; `restoreTested` / `tested` became `restoreTestsScheduled` /
 * `scheduled` (see the changelog in docs/report.md).
 */
export const REPORT_SCHEMA_VERSION = '2.0';

/** Options of a recovery report. */
export interface ReportOptions {
  /**
   * An objective applied to every stateful resource, drkit-built or not (overrides template metadata).
   * @default - objectives recorded in template metadata
   */
  readonly objective?: RecoveryObjective;
  /**
   * Where the input came from, shown in the report.
   * @default - none
   */
  readonly source?: string;
  /**
   * Region assumed for stacks whose region is unknown (environment-agnostic stacks, a bare template).
   * @default - unknown
   */
  readonly region?: string;
  /**
   * The AWS Organizations backup policy in effect for the stacks' accounts (`drkit report
   * --org-policy`): resources it selects by tag count its plans' rules and copies, and the report
   * gets an "Organization backup policy" section assessing the policy on its own.
   * @default - none: only the templates' own backup plans count
   */
  readonly organizationPolicy?: EffectiveBackupPolicy;
}

/**
 * The recovery posture of a set of CloudFormation templates, computed from the templates:
 * per resource and per disruption the mechanisms, worst-case RPO and RTO (with how each is
 * established), status against the objective, 3-2-1, backups, gaps with fixes and a runbook.
 */
export class RecoveryReport {
  /** A report on templates already read. */
  public static fromTemplates(stacks: StackTemplate[], options: ReportOptions = {}): RecoveryReport {
    if (!Array.isArray(stacks) || stacks.length === 0) {
      throw new DrkitError(DrkitErrorCode.REPORT_INPUT, 'no stack templates were given: give at least one CloudFormation template');
    }
    for (const s of stacks) {
      const t = s?.template;
      if (!t || typeof t !== 'object' || Array.isArray(t) || !t.Resources || typeof t.Resources !== 'object' || Array.isArray(t.Resources)) {
        throw new DrkitError(DrkitErrorCode.REPORT_INPUT,
          `${s?.templatePath ?? `stack ${s?.stackName}`} is not a CloudFormation template: it has no \`Resources\` object; give a synthesized template (cdk.out/<Stack>.template.json) or a cdk.out directory`);
      }
    }
    return new RecoveryReport(stacks, options);
  }

  /** A report on every stack of a cloud assembly (a `cdk.out` directory), read from its manifest.json. */
  public static fromCloudAssembly(dir: string, options: ReportOptions = {}): RecoveryReport {
    const stacks = readAssembly(dir, new Set());
    if (stacks.length === 0) {
      throw new DrkitError(DrkitErrorCode.REPORT_INPUT,
        `${path.join(dir, 'manifest.json')} lists no CloudFormation stack (artifacts of type aws:cloudformation:stack): synthesize the app first (cdk synth)`);
    }
    // Template paths relative to the assembly, so that reports do not depend on where it is.
    const relative = stacks.map(s => ({ ...s, templatePath: assemblyRelative(dir, s.templatePath!) }));
    return RecoveryReport.fromTemplates(relative, { ...options, source: options.source ?? dir });
  }

  /**
   * A report on the AWS resources of a Pulumi stack: the document `pulumi stack export` writes
   * (or the Automation API's `exportStack()` returns), a checkpoint file, or the output of
   * `pulumi preview --json`. Its resources are read as CloudFormation resources and assessed by
   * the same evaluator; one stack per region (and account).
   */
  public static fromPulumi(document: any, options: ReportOptions = {}): RecoveryReport {
    const source = options.source ?? 'Pulumi stack';
    return RecoveryReport.fromTemplates(pulumiStackTemplates(document, source, { region: options.region }), { ...options, source });
  }

  /**
   * A report on a `cdk.out` directory, its manifest.json, or one file: a template (JSON, or YAML
   * with CloudFormation's short-form tags), or a Pulumi stack export or preview (JSON, told
   * apart by content).
   */
  public static fromPath(p: string, options: ReportOptions = {}): RecoveryReport {
    switch (inputKind(p)) {
      case InputKind.ASSEMBLY: return RecoveryReport.fromCloudAssembly(p, options);
      case InputKind.MANIFEST: return RecoveryReport.fromCloudAssembly(path.dirname(p), { ...options, source: options.source ?? p });
      default: {
        const document = readTemplateFile(p);
        if (pulumiDocumentKind(document) !== undefined) {
          const templates = pulumiStackTemplates(document, p, { region: options.region });
          return RecoveryReport.fromTemplates(templates, { ...options, source: options.source ?? p });
        }
        const stackName = path.basename(p).replace(/\.template\.(json|ya?ml)$/i, '').replace(/\.(json|ya?ml|template)$/i, '');
        return RecoveryReport.fromTemplates([{ stackName, template: document, templatePath: p }], { ...options, source: options.source ?? p });
      }
    }
  }

  /** Gaps, with fixes. */
  public readonly gaps: ReportGap[];
  /** Stateful resources evaluated. */
  public readonly resources: ResourceAssessment[];
  /** Resources of types drkit does not know. */
  public readonly notAssessed: NotAssessed[];
  /** Resources left out of protection on purpose, with the reason. */
  public readonly excluded: ExcludedResource[];
  private readonly evaluation: TemplateEvaluation;
  private readonly stacks: StackTemplate[];
  private readonly options: ReportOptions;
  private jsonText?: string;

  private constructor(stacks: StackTemplate[], options: ReportOptions) {
    this.stacks = [...stacks].sort((a, b) => (a.stackName < b.stackName ? -1 : a.stackName > b.stackName ? 1 : 0));
    this.options = options;
    this.evaluation = evaluateTemplates(stacks, {
      objective: options.objective,
      region: options.region,
      organizationPolicy: options.organizationPolicy,
    });
    this.gaps = this.evaluation.gaps;
    this.resources = this.evaluation.resources;
    this.notAssessed = this.evaluation.notAssessed;
    this.excluded = this.evaluation.excluded;
  }

  /** True when some objective is not met or some resource has no restore point at all. */
  public get hasGaps(): boolean {
    return this.gaps.length > 0;
  }

  /**
   * Rows (resource x disruption) within the objective as far as is known but not established:
   * an RPO or RTO with no published bound, or only a lower bound. Each says what would verify it.
   */
  public get unverified(): number {
    return this.resources.reduce((n, r) => n + r.disruptions.filter(d => d.status === TargetStatus.UNVERIFIED).length, 0);
  }

  /**
   * The versioned JSON document (docs/report-schema.json). Same input, same document. Each call
   * returns a new copy; the document is built once (the report plugin asks for it twice).
   */
  public toJson(): any {
    if (this.jsonText === undefined) this.jsonText = JSON.stringify(this.buildJson());
    return JSON.parse(this.jsonText);
  }

  private buildJson(): any {
    const e = this.evaluation;
    const statusCounts: { [s: string]: number } = {};
    for (const s of Object.values(TargetStatus)) statusCounts[s] = 0;
    for (const r of e.resources) for (const d of r.disruptions) statusCounts[d.status] += 1;
    const objectives: any[] = [];
    const objectiveByKey = new Map<string, any>();
    for (const r of e.resources) {
      if (!r.objective) continue;
      const key = `${r.objectiveSource}\u0000${JSON.stringify(r.objective)}`;
      let o = objectiveByKey.get(key);
      if (!o) {
        o = { source: r.objectiveSource, objective: r.objective, resources: [] };
        objectives.push(o);
        objectiveByKey.set(key, o);
      }
      o.resources.push(`${r.stackName}/${r.logicalId}`);
    }
    const doc = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      generator: 'drkit',
      source: this.options.source,
      disruptions: [...ALL_DISRUPTIONS],
      stacks: this.stacks.map(s => ({
        stackName: s.stackName,
        region: s.region ?? this.options.region,
        account: s.account,
        templatePath: s.templatePath,
        ...stackPreparationJson(s, e.preparations.get(s.stackName)),
      })),
      objectives,
      summary: {
        resources: e.resources.length,
        gaps: e.gaps.length,
        notAssessed: e.notAssessed.length,
        excluded: e.excluded.length,
        restoreTestsScheduled: e.resources.filter(r => r.recoveryTesting.scheduled).length,
        unverified: statusCounts[TargetStatus.UNVERIFIED],
        statusCounts,
      },
      resources: e.resources,
      backup: e.backup,
      gaps: e.gaps,
      excluded: e.excluded,
      notAssessed: e.notAssessed,
      ...(this.options.organizationPolicy ? { organizationPolicy: this.organizationPolicyJson(this.options.organizationPolicy) } : {}),
    };
    return doc;
  }

  /** The policy on its own, with the objectives of the resources each plan selects and what they need beyond it. */
  private organizationPolicyJson(policy: EffectiveBackupPolicy): any {
    const own = assessOrgPolicy(policy);
    const all = readResources(this.stacks, this.options.region);
    const byKey = new Map(this.resources.map(r => [`${r.stackName}\u0000${r.logicalId}`, r]));
    const plans = own.plans.map((plan: any, i: number) => {
      const info = policy.plans[i];
      const selected = all.filter(r => byKey.has(`${r.stackName}\u0000${r.logicalId}`) && orgPlansSelecting(policy, r).includes(info))
        .map(r => byKey.get(`${r.stackName}\u0000${r.logicalId}`)!);
      const objectives = new Map<string, { objective: any; resources: string[] }>();
      // The objective the plan was rendered from (drkit:org-objectives metadata), selected resources or not.
      if (info.objective?.name !== undefined) objectives.set(info.objective.name, { objective: info.objective, resources: [] });
      for (const r of selected) {
        if (!r.objective) continue;
        const o = objectives.get(r.objective.name) ?? { objective: r.objective, resources: [] };
        o.resources.push(`${r.stackName}/${r.logicalId}`);
        objectives.set(r.objective.name, o);
      }
      return {
        ...plan,
        resources: selected.map(r => `${r.stackName}/${r.logicalId}`),
        objectives: [...objectives.values()].map(({ objective, resources }) => {
          const needsMore = (objective.disruptions ?? [])
            .filter((d: any) => {
              const c = plan.disruptions.find((x: any) => x.disruption === d.disruption);
              return !c || !c.covered || (c.rpoSeconds !== undefined && c.rpoSeconds > d.rpoSeconds);
            })
            .map((d: any) => d.disruption);
          return {
            name: objective.name,
            ...(info.objective?.name === objective.name ? { renderedFrom: true } : {}),
            resources,
            metByPolicyAlone: needsMore.length === 0,
            needsMore,
          };
        }),
      };
    });
    return { ...own, plans };
  }

  /** The report as Markdown. */
  public toMarkdown(): string {
    return renderMarkdown(this.toJson());
  }
}

/** What a path given to the report is. Input formats are told apart here, in one place. */
enum InputKind {
  /** A cloud assembly directory (`cdk.out`). */
  ASSEMBLY = 'assembly',
  /** A cloud assembly's `manifest.json`. */
  MANIFEST = 'manifest',
  /** One CloudFormation template, JSON or YAML. */
  TEMPLATE = 'template',
}

function inputKind(p: string): InputKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new DrkitError(DrkitErrorCode.REPORT_INPUT, `${p} does not exist: give a cdk.out directory or a template file (JSON or YAML)`);
  }
  if (stat.isDirectory()) return InputKind.ASSEMBLY;
  if (path.basename(p) === 'manifest.json') return InputKind.MANIFEST;
  return InputKind.TEMPLATE;
}

/** One template file: JSON when it ends in .json, else JSON or YAML (with CloudFormation's short-form tags). */
function readTemplateFile(file: string): any {
  if (/\.json$/i.test(file)) return readJson(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new DrkitError(DrkitErrorCode.REPORT_INPUT, `${file} cannot be read (${e?.code ?? e?.message ?? e}): check the path and permissions`);
  }
  return parseTemplateText(text, file);
}

/** The optional fields a stack gets in the JSON document: nesting and what the preparation assumed. */
function stackPreparationJson(s: StackTemplate, prep: StackPreparation | undefined): any {
  const out: any = {};
  if (s.parentStackName !== undefined) out.parentStack = s.parentStackName;
  if (s.parentLogicalId !== undefined) out.parentLogicalId = s.parentLogicalId;
  if (!prep) return out;
  if (prep.transforms.length) out.transforms = prep.transforms;
  if (prep.parameters.length) out.parameters = prep.parameters;
  if (prep.conditions.length) out.conditions = prep.conditions;
  if (prep.omitted.length) out.omitted = prep.omitted;
  if (prep.notes.length) out.notes = prep.notes;
  return out;
}

function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new DrkitError(DrkitErrorCode.REPORT_INPUT, `${file} cannot be read (${e?.code ?? e?.message ?? e}): check the path and permissions`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new DrkitError(DrkitErrorCode.REPORT_INPUT, `${file} is not valid JSON (${e?.message ?? e}): give a synthesized CloudFormation template in JSON`);
  }
}

/**
 * `file` relative to the cloud assembly directory `dir`, with `/` separators (for example
 * `Shop.template.json`, `assembly-Prod/ProdShop.template.json`): the same on every machine.
 */
export function assemblyRelative(dir: string, file: string): string {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel.split(path.sep).join('/');
}

/**
 * A template synthesized by the CDK, with `Resources: {}` when it has none: a stack with no
 * resources is legal CDK (its template has at most `Parameters` and `Rules`), reported with no resources.
 */
export function cdkTemplate(template: any): any {
  if (template && typeof template === 'object' && !Array.isArray(template) && template.Resources === undefined) {
    return { ...template, Resources: {} };
  }
  return template;
}

function readAssembly(dir: string, seen: Set<string>): StackTemplate[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (seen.has(path.resolve(manifestPath))) return [];
  seen.add(path.resolve(manifestPath));
  if (!fs.existsSync(manifestPath)) {
    throw new DrkitError(DrkitErrorCode.REPORT_INPUT,
      `${dir} has no manifest.json, so it is not a cloud assembly: give the cdk.out directory written by cdk synth, or a template .json file`);
  }
  const manifest = readJson(manifestPath);
  const artifacts = manifest && typeof manifest.artifacts === 'object' && manifest.artifacts ? manifest.artifacts : {};
  const out: StackTemplate[] = [];
  for (const id of Object.keys(artifacts).sort()) {
    const a = artifacts[id] ?? {};
    if (a.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      out.push(...readAssembly(path.join(dir, a.properties.directoryName), seen));
      continue;
    }
    if (a.type !== 'aws:cloudformation:stack') continue;
    const templateFile = a.properties?.templateFile;
    if (typeof templateFile !== 'string') {
      throw new DrkitError(DrkitErrorCode.REPORT_INPUT, `${manifestPath}: stack artifact ${id} has no properties.templateFile`);
    }
    const templatePath = path.join(dir, templateFile);
    const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(String(a.environment ?? ''));
    const account = env && env[1] !== 'unknown-account' && env[1] !== '' ? env[1] : undefined;
    const region = env && env[2] !== 'unknown-region' && env[2] !== '' ? env[2] : undefined;
    const exclusions = readExclusions(dir, a);
    const stack: StackTemplate = {
      stackName: typeof a.properties?.stackName === 'string' ? a.properties.stackName : id,
      account,
      region,
      template: cdkTemplate(readJson(templatePath)),
      templatePath,
      exclusions: exclusions.length ? exclusions : undefined,
    };
    out.push(stack, ...nestedStacks(dir, stack, stack.stackName, assetFiles(dir, artifacts), 0));
  }
  return out;
}

/** Nested stacks deeper than this are not followed (CloudFormation itself limits nesting). */
const MAX_NESTING = 10;

/** The files of the assembly's asset manifests, by the S3 object key they are published to. */
function assetFiles(dir: string, artifacts: any): Map<string, { path: string; displayName?: string }> {
  const out = new Map<string, { path: string; displayName?: string }>();
  for (const id of Object.keys(artifacts).sort()) {
    const a = artifacts[id] ?? {};
    if (a.type !== 'cdk:asset-manifest' || typeof a.properties?.file !== 'string') continue;
    const file = path.join(dir, a.properties.file);
    if (!fs.existsSync(file)) continue;
    const manifest = readJson(file);
    for (const entry of Object.values<any>(manifest?.files ?? {})) {
      const source = entry?.source?.path;
      if (typeof source !== 'string') continue;
      for (const d of Object.values<any>(entry?.destinations ?? {})) {
        if (typeof d?.objectKey === 'string') out.set(d.objectKey, { path: source, displayName: typeof entry.displayName === 'string' ? entry.displayName : undefined });
      }
    }
  }
  return out;
}

/**
 * The CDK nested stacks of a stack, followed into their templates in the assembly: an
 * `AWS::CloudFormation::Stack` whose `aws:asset:path` metadata, or whose `TemplateURL` object
 * key in an asset manifest, names a file of the assembly. Each is a stack of its own, in its
 * parent's region and account, named after its construct path (`Parent/Child`).
 */
function nestedStacks(dir: string, parent: StackTemplate, rootName: string,
  assets: Map<string, { path: string; displayName?: string }>, depth: number): StackTemplate[] {
  if (depth >= MAX_NESTING) return [];
  const out: StackTemplate[] = [];
  const resources = parent.template?.Resources ?? {};
  for (const logicalId of Object.keys(resources).sort()) {
    const r = resources[logicalId];
    if (r?.Type !== 'AWS::CloudFormation::Stack') continue;
    let file: string | undefined = typeof r.Metadata?.['aws:asset:path'] === 'string' ? r.Metadata['aws:asset:path'] : undefined;
    let displayName: string | undefined;
    const key = /([^/]+)$/.exec(render(r.Properties?.TemplateURL))?.[1];
    const asset = key ? assets.get(key) : undefined;
    if (asset) {
      file = file ?? asset.path;
      displayName = asset.displayName;
    }
    if (!file) continue; // not a CDK nested stack: listed as not assessed, with how to assess it
    const templatePath = path.join(dir, file);
    if (!fs.existsSync(templatePath)) {
      throw new DrkitError(DrkitErrorCode.NESTED_TEMPLATE_MISSING,
        `${parent.templatePath ?? parent.stackName}: nested stack ${logicalId} names the template ${file}, which is not in the cloud assembly ${dir}: synthesize the app again (cdk synth) and give the whole cdk.out directory`);
    }
    const name = displayName && / Nested Stack Template$/.test(displayName)
      ? `${rootName}/${displayName.replace(/ Nested Stack Template$/, '')}`
      : `${parent.stackName}/${logicalId}`;
    const child: StackTemplate = {
      stackName: name,
      account: parent.account,
      region: parent.region,
      template: cdkTemplate(readJson(templatePath)),
      templatePath,
      parentStackName: parent.stackName,
      parentLogicalId: logicalId,
    };
    out.push(child, ...nestedStacks(dir, child, rootName, assets, depth + 1));
  }
  return out;
}

/**
 * `drkit:excluded` entries of a stack artifact's construct metadata (in manifest.json or its
 * additionalMetadataFile) that name a construct path: exclusions of imported resources,
 * recorded on the ProtectedScope. Exclusions of template resources are in the template.
 */
function readExclusions(dir: string, artifact: any): StackExclusion[] {
  const sources: any[] = [artifact.metadata];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(dir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) sources.push(readJson(file));
  }
  const out: StackExclusion[] = [];
  for (const metadata of sources) {
    if (!metadata || typeof metadata !== 'object') continue;
    for (const key of Object.keys(metadata).sort()) {
      const entries = Array.isArray(metadata[key]) ? metadata[key] : [];
      for (const e of entries) {
        const d = e?.data;
        if (e?.type !== 'drkit:excluded' || !d || typeof d !== 'object' || typeof d.path !== 'string') continue;
        if (!out.some(x => x.path === d.path)) out.push({ path: d.path, reason: typeof d.reason === 'string' ? d.reason : '' });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
