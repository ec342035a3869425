import * as fs from 'fs';
import * as path from 'path';
import { EffectiveBackupPolicy, parseDisruption, Period, RecoveryObjective, RecoveryReport, Retention } from '../core';
import { checkAwsRegion } from '../core/aws-regions';

/** Streams the command writes to. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const MAIN_HELP = `drkit: backup and disaster recovery as code

Usage:
  drkit report <cdk.out dir | template file> [options]   print the recovery report of CloudFormation templates
  drkit report <stack export | preview.json> [options]   print the recovery report of a Pulumi stack's AWS
                                                         resources (pulumi stack export, pulumi preview --json)
  drkit --help                                            this help
  drkit --version                                         the version

Run "drkit report --help" for the report's options.
`;

const REPORT_HELP = `drkit report: the recovery posture of CloudFormation templates and Pulumi stacks

Usage:
  drkit report <cdk.out dir | manifest.json | template.json | template.yaml> [options]
  drkit report <pulumi stack export file | pulumi preview --json file> [options]

Reads a cloud assembly (every stack of its manifest.json, CDK nested stacks included), one
template (JSON, or YAML with CloudFormation's short-form tags; language extensions, SAM and
conditions are resolved as docs/report.md describes), or the AWS resources of a Pulumi stack,
and prints, per stateful resource and per disruption, the mechanisms found, worst-case RPO and
RTO (documented, typical, estimated or none), status against the objective, 3-2-1, backups,
gaps with fixes and a runbook of restore and failover commands.

A JSON file is told apart by its content: the output of "pulumi stack export" (or a checkpoint
file) and of "pulumi preview --json" are Pulumi stacks; anything else is a CloudFormation template.
Pulumi's AWS resources are read as the CloudFormation resources that carry the same settings and
assessed by the same rules; each region (and account) of the stack is reported as one stack:
  pulumi stack export --file stack.json && drkit report stack.json --fail-on-gap
  pulumi preview --json > preview.json && drkit report preview.json

Options:
  --json                 print the JSON document (docs/report-schema.json) instead of Markdown
  --rpo <duration>       objective RPO for every stateful resource (overrides drkit:objective metadata), e.g. 15m
  --rto <duration>       objective RTO (required with --rpo), e.g. 4h
  --disruptions <list>   disruptions to survive: corruption,az,region,account (default corruption,az,region)
  --pitr <duration>      point-in-time window: restore to any second this far back (retention.pointInTime in the
                         constructs), e.g. 30d (default 35d). Met by point-in-time mechanisms: DynamoDB PITR, RDS and
                         Aurora automated backups (BackupRetentionPeriod), AWS Backup continuous backup, DocumentDB
                         and Neptune backups, S3 noncurrent versions. More than 35 days is impossible for DynamoDB,
                         RDS/Aurora, DocumentDB and Neptune (reported as such); resources with no point-in-time
                         mechanism (EFS, EBS, FSx) have their scheduled restore points stand in
  --keep <counts>        restore points kept (retention.daily/weekly/monthly/yearly in the constructs), e.g.
                         daily=30,monthly=12 (default daily=7; counts not given keep their defaults, daily=7 and 0,
                         so write daily=0 to drop it). Each count is matched per frequency: daily=30 needs restore
                         points taken at least daily and kept 30 days (a 30-day point-in-time window, or a daily AWS
                         Backup rule or copy with DeleteAfterDays 30); weekly counts 7 days, monthly 31, yearly 366.
                         A plan with only monthly rules does not keep daily points
  --retention            replaced by --pitr and --keep (its error says which to use)
  --org-policy <path>    the AWS Organizations backup policy in effect for the input's accounts: a policy JSON file
                         (the policy as written, with @@assign operators), an effective policy (aws organizations
                         describe-effective-policy --policy-type BACKUP_POLICY --target-id <account> > policy.json),
                         or the management app's cdk.out holding an AWS::Organizations::Policy of type BACKUP_POLICY
                         (its member baseline and central account vaults are read there too, for their locks).
                         Resources its plans select by tag (drkit:objective = objective name, as OrganizationProtection
                         tags them) count its rules and copies in each account and region the plan covers; the report
                         adds a section assessing the policy on its own (rules, copies, locks, which disruptions it
                         alone covers, what each objective needs beyond it) and the one-time preconditions (trusted
                         access, backup policies enabled, cross-account backup) with their commands
  --region <region>      region of stacks whose region is unknown (a bare template, environment-agnostic stacks,
                         Pulumi resources whose provider records no region)
  --fail-on-gap          exit with code 1 when the report has a gap (an objective not met, or a resource with no restore point);
                         unverified rows pass
  --fail-on-unverified   exit with code 1 when the report has a gap or an unverified row (within the objective as far as is
                         known, but an RPO or RTO has no published bound or is only a lower bound)
  -h, --help             this help

Durations: a number and a unit (s, m, h, d, w), for example 30m, 1h, 1h30m, 35d.
Statuses: met (established figures within the objective), unverified (to verify with restore testing or a failover
drill), not-met, unprotected, not-required, no-objective.
Exit codes: 0 report printed; 1 gaps found with --fail-on-gap, or gaps or unverified rows with --fail-on-unverified
(stderr then lists each gap, and each unverified row, on one line, for CI logs); 2 bad input.
`;

class UsageError extends Error {}

interface ReportArgs {
  input?: string;
  json: boolean;
  failOnGap: boolean;
  failOnUnverified: boolean;
  help: boolean;
  rpo?: string;
  rto?: string;
  disruptions?: string;
  pitr?: string;
  keep?: string;
  retention?: string;
  region?: string;
  orgPolicy?: string;
}

const VALUE_FLAGS = ['--rpo', '--rto', '--disruptions', '--pitr', '--keep', '--retention', '--region', '--org-policy'];

function parseReportArgs(argv: string[]): ReportArgs {
  const args: ReportArgs = { json: false, failOnGap: false, failOnUnverified: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) setInput(args, rest);
      break;
    }
    if (a === '-h' || a === '--help') {
      args.help = true;
    } else if (a === '--json') {
      args.json = true;
    } else if (a === '--fail-on-gap') {
      args.failOnGap = true;
    } else if (a === '--fail-on-unverified') {
      args.failOnUnverified = true;
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const flag = eq >= 0 ? a.slice(0, eq) : a;
      if (!VALUE_FLAGS.includes(flag)) throw new UsageError(unknownOption(flag));
      let value: string | undefined;
      if (eq >= 0) {
        value = a.slice(eq + 1);
      } else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) {
          throw new UsageError(`${flag} needs a value: see drkit report --help`);
        }
        i++;
      }
      if (flag === '--org-policy') {
        args.orgPolicy = value;
        continue;
      }
      const key = flag.slice(2) as 'rpo' | 'rto' | 'disruptions' | 'pitr' | 'keep' | 'retention' | 'region';
      args[key] = value;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(unknownOption(a));
    } else {
      setInput(args, a);
    }
  }
  return args;
}

/** Every option of drkit report, for suggestions. */
const REPORT_OPTIONS = ['--json', '--fail-on-gap', '--fail-on-unverified', '--help', ...VALUE_FLAGS];

/** Edit distance (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The usage error of an unknown option, suggesting the closest known one when it is close. */
function unknownOption(flag: string): string {
  const name = flag.replace(/^-+/, '');
  const ranked = REPORT_OPTIONS
    .map(o => ({ o, d: distance(name, o.slice(2)), prefix: o.slice(2).startsWith(name) && name.length >= 3 }))
    .sort((x, y) => x.d - y.d);
  const best = ranked.find(r => r.prefix) ?? ranked[0];
  const close = best.prefix || best.d <= Math.max(2, Math.floor(best.o.length / 4));
  return close
    ? `unknown option ${flag}: did you mean ${best.o}? (see drkit report --help)`
    : `unknown option ${flag}: see drkit report --help`;
}

function setInput(args: ReportArgs, value: string): void {
  if (args.input !== undefined) {
    throw new UsageError(`one input only, but got ${args.input} and ${value}: give one cdk.out directory, one template or one Pulumi stack export`);
  }
  args.input = value;
}

/** `daily=30,monthly=12` as restore-point counts. */
function keepOf(text: string): { daily?: number; weekly?: number; monthly?: number; yearly?: number } {
  const out: { [k: string]: number } = {};
  for (const part of text.split(',').map(x => x.trim()).filter(x => x !== '')) {
    const m = /^(daily|weekly|monthly|yearly)=(\d+)$/.exec(part);
    if (!m) {
      throw new UsageError(`--keep takes counts of restore points such as daily=30,monthly=12 (daily, weekly, monthly, yearly), but got "${part}"`);
    }
    if (out[m[1]] !== undefined) throw new UsageError(`--keep names ${m[1]} twice`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function objectiveOf(args: ReportArgs): RecoveryObjective | undefined {
  if (args.retention !== undefined) {
    throw new UsageError(`--retention is replaced by --pitr and --keep, which mean what retention.pointInTime and the restore-point counts mean in the constructs: for a point-in-time window use --pitr ${args.retention}; for restore points kept by backups use --keep (for example daily=30,monthly=12)`);
  }
  const any = [args.rpo, args.rto, args.disruptions, args.pitr, args.keep].some(v => v !== undefined);
  if (!any) return undefined;
  if (args.rpo === undefined || args.rto === undefined) {
    throw new UsageError(`an objective needs both --rpo and --rto (got ${args.rpo === undefined ? 'no --rpo' : `--rpo ${args.rpo}`} and ${args.rto === undefined ? 'no --rto' : `--rto ${args.rto}`}): for example --rpo 15m --rto 4h`);
  }
  const disruptions = args.disruptions !== undefined
    ? args.disruptions.split(',').map(s => s.trim()).filter(s => s !== '').map(parseDisruption)
    : undefined;
  return RecoveryObjective.of({
    rpo: Period.parse(args.rpo),
    rto: Period.parse(args.rto),
    disruptions,
    retention: args.pitr !== undefined || args.keep !== undefined
      ? Retention.of({
        pointInTime: args.pitr !== undefined ? Period.parse(args.pitr) : undefined,
        ...(args.keep !== undefined ? keepOf(args.keep) : {}),
      })
      : undefined,
  });
}

/** `<stack>/<logical id> (<type>) [<disruption>]` of every unverified row of the report. */
function unverifiedRows(report: RecoveryReport): string[] {
  const out: string[] = [];
  for (const r of (report.toJson() as any).resources ?? []) {
    for (const d of r.disruptions ?? []) {
      if (d.status === 'unverified') out.push(`${r.stackName}/${r.logicalId} (${r.resourceType}) [${d.disruption}]`);
    }
  }
  return out;
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * The drkit command. Returns the exit code: 0 success, 1 gaps found with `--fail-on-gap` (or
 * gaps or unverified rows with `--fail-on-unverified`), 2 bad input. Never throws: every error becomes one `drkit: <message>` line on stderr.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      throw new UsageError('no command given: run drkit report <cdk.out dir | template file | pulumi stack export file> (see drkit --help)');
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      write(io.stdout, MAIN_HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      write(io.stdout, version());
      return 0;
    }
    if (command !== 'report') {
      throw new UsageError(`unknown command "${command}": the command is drkit report (see drkit --help)`);
    }
    const args = parseReportArgs(rest);
    if (args.help) {
      write(io.stdout, REPORT_HELP);
      return 0;
    }
    if (args.input === undefined) {
      throw new UsageError('drkit report needs an input: a cdk.out directory, a template .json file, or a Pulumi stack export or preview (see drkit report --help)');
    }
    checkAwsRegion('--region', args.region);
    const objective = objectiveOf(args);
    const organizationPolicy = args.orgPolicy !== undefined ? EffectiveBackupPolicy.fromPath(args.orgPolicy) : undefined;
    const report = RecoveryReport.fromPath(args.input, { objective, region: args.region, organizationPolicy });
    write(io.stdout, args.json ? JSON.stringify(report.toJson(), null, 2) : report.toMarkdown());
    const failOnGaps = (args.failOnGap || args.failOnUnverified) && report.gaps.length > 0;
    const failOnUnverified = args.failOnUnverified && report.unverified > 0;
    if (!failOnGaps && !failOnUnverified) return 0;
    // For CI logs: one line per gap (and per unverified row with --fail-on-unverified) on stderr.
    for (const g of report.gaps) {
      write(io.stderr, `drkit: gap: ${g.stackName}/${g.logicalId} (${g.resourceType})${g.disruption ? ` [${g.disruption}]` : ''}: ${g.problem}; fix: ${g.fix}`);
    }
    if (failOnUnverified) {
      for (const row of unverifiedRows(report)) write(io.stderr, `drkit: unverified: ${row}`);
    }
    write(io.stderr, `drkit: ${report.gaps.length} gap${report.gaps.length === 1 ? '' : 's'}${args.failOnUnverified ? `, ${report.unverified} unverified` : ''}: exit 1 (${args.failOnUnverified ? '--fail-on-unverified' : '--fail-on-gap'})`);
    return 1;
  } catch (e: any) {
    const message = e instanceof Error ? e.message : String(e);
    write(io.stderr, `drkit: ${message.split('\n')[0]}`);
    return 2;
  }
}
