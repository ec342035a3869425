/**
 * `drkit report` speed against the number of resources (issue 16, point 6). Run:
 * `npx ts-node --prefer-ts-exts bench/report-speed.ts` (after `npx projen compile`; uses bin/drkit).
 *
 * Builds one CloudFormation template per size (100, 1,000 and 5,000 resources): a third DynamoDB
 * tables with PITR, a third versioned buckets replicating to another region with RTC, a third KMS
 * keys, and one vault, plan (with a cross-region copy), selection of every table and role. Each size
 * is reported by the CLI in a fresh process (`drkit report <template> --rpo 30m --rto 4h`), 5 times;
 * the medians of wall time and CPU time (user + system, which the machine's load disturbs less) are
 * written to the "Report speed" section of bench/RESULTS.md, keeping the other sections.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SIZES = [100, 1000, 5000];
const RUNS = 5;
const OUT = path.join(__dirname, 'RESULTS.md');

/** A template with `size` resources. */
export function template(size: number): any {
  const resources: Record<string, any> = {};
  const n = Math.floor((size - 4) / 3);
  for (let i = 0; i < n; i++) {
    resources[`Table${i}`] = {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    };
    resources[`Bucket${i}`] = {
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': ['ReplicationRole', 'Arn'] },
          Rules: [{
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            Destination: {
              Bucket: `arn:aws:s3:::replica-${i}-us-west-2`,
              ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
              Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
            },
          }],
        },
      },
    };
    resources[`Key${i}`] = { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } };
  }
  resources.ReplicationRole = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } };
  resources.Vault = { Type: 'AWS::Backup::BackupVault', DeletionPolicy: 'Retain', Properties: { BackupVaultName: 'bench' } };
  resources.Plan = {
    Type: 'AWS::Backup::BackupPlan',
    Properties: {
      BackupPlan: {
        BackupPlanName: 'bench',
        BackupPlanRule: [{
          RuleName: 'Daily',
          TargetBackupVault: { 'Fn::GetAtt': ['Vault', 'BackupVaultName'] },
          ScheduleExpression: 'cron(0 5 * * ? *)',
          StartWindowMinutes: 60,
          Lifecycle: { DeleteAfterDays: 35 },
          CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111111111111:backup-vault:bench', Lifecycle: { DeleteAfterDays: 35 } }],
        }],
      },
    },
  };
  resources.Selection = {
    Type: 'AWS::Backup::BackupSelection',
    Properties: {
      BackupPlanId: { Ref: 'Plan' },
      BackupSelection: {
        SelectionName: 'bench',
        IamRoleArn: { 'Fn::GetAtt': ['ReplicationRole', 'Arn'] },
        Resources: Array.from({ length: n }, (_, i) => ({ 'Fn::GetAtt': [`Table${i}`, 'Arn'] })),
      },
    },
  };
  return { Resources: resources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(file: string): { wall: number; cpu: number } {
  // /usr/bin/time is not everywhere: the child reports its own CPU time.
  const script = `const t0=process.hrtime.bigint();process.argv=[process.argv[0],${JSON.stringify(path.join(ROOT, 'bin', 'drkit'))},'report',${JSON.stringify(file)},'--region','us-east-1','--rpo','30m','--rto','4h'];`
    + 'process.on(\'exit\',()=>{const u=process.cpuUsage();process.stderr.write(`\\nBENCH ${Number(process.hrtime.bigint()-t0)/1e6} ${(u.user+u.system)/1000}\\n`)});'
    + `require(${JSON.stringify(path.join(ROOT, 'bin', 'drkit'))});`;
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const m = /BENCH ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`drkit report failed on ${file} (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: Number(m[2]) };
}

function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drkit-report-speed-'));
  const rows: Array<{ size: number; wall: number; cpu: number }> = [];
  const load0 = os.loadavg();
  for (const size of SIZES) {
    const file = path.join(dir, `template-${size}.json`);
    fs.writeFileSync(file, JSON.stringify(template(size)));
    const runs = Array.from({ length: RUNS }, () => measure(file));
    rows.push({ size, wall: median(runs.map(x => x.wall)), cpu: median(runs.map(x => x.cpu)) });
    console.error(`report speed: ${size} resources: wall ${rows[rows.length - 1].wall.toFixed(0)} ms, cpu ${rows[rows.length - 1].cpu.toFixed(0)} ms`);
  }
  const load1 = os.loadavg();
  const base = rows[0];
  const lines = [
    '## Report speed',
    '',
    '`drkit report <template> --rpo 30m --rto 4h` (Markdown to stdout) in a fresh process, on one template of R resources: a third',
    'DynamoDB tables with PITR, a third versioned buckets replicating with RTC, a third KMS keys, plus a vault, a plan with a cross-region',
    'copy, a selection of every table and a role (bench/report-speed.ts). Median of 5 runs; CPU time is user + system of the process.',
    '',
    '| resources | wall (ms) | CPU (ms) | CPU per resource above the 100-resource run (ms) |',
    '|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.size.toLocaleString('en-US')} | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r === base ? '-' : ((r.cpu - base.cpu) / (r.size - base.size)).toFixed(3)} |`),
    '',
    `- measured by \`npx ts-node --prefer-ts-exts bench/report-speed.ts\` on ${new Date().toISOString()}; node ${process.version}; `
      + `load average at start ${load0.map(x => x.toFixed(1)).join(' / ')}, at end ${load1.map(x => x.toFixed(1)).join(' / ')} (the wall times include that load; the CPU times less so).`,
    '',
  ];
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '# drkit benchmarks\n';
  const start = old.indexOf('## Report speed');
  let next = start >= 0 ? old.indexOf('\n## ', start + 1) : -1;
  if (next >= 0) next += 1;
  const updated = start >= 0
    ? old.slice(0, start) + lines.join('\n') + (next >= 0 ? '\n' + old.slice(next) : '')
    : old.replace(/\n## Notes/, `\n${lines.join('\n')}\n## Notes`);
  fs.writeFileSync(OUT, updated.includes('## Report speed') ? updated : `${old.trimEnd()}\n\n${lines.join('\n')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) main();
