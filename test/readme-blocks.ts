import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..');

/** One fenced code block of README.md. */
export interface ReadmeBlock {
  /** Line of README.md where the block's fence opens. */
  readonly line: number;
  /** The `## ` section the block is in. */
  readonly section: string;
  /** The `### ` subsection, or '' when the block sits directly under its section. */
  readonly subsection: string;
  readonly language: string;
  readonly code: string;
}

/** Every fenced block of README.md, in order. */
export function readmeBlocks(markdown = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.split('\n');
  let section = '';
  let subsection = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      subsection = '';
    } else if (line.startsWith('### ')) {
      subsection = line.slice(4).trim();
    } else if (line.startsWith('```')) {
      const language = line.slice(3).trim();
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      blocks.push({ line: start + 1, section, subsection, language, code: body.join('\n') + '\n' });
    }
  }
  return blocks;
}

/** A block that is a jest test file (it declares tests), rather than a program. */
export function isTestFile(block: ReadmeBlock): boolean {
  return /^(test|describe)\(/m.test(block.code);
}

/** A CDK app: TypeScript that builds an `App`, and is not a test file. */
export function isCdkApp(block: ReadmeBlock): boolean {
  return block.language === 'ts' && !isTestFile(block) && block.code.includes("from 'aws-cdk-lib'") && block.code.includes('new App(');
}

/** The one block of a section (and subsection), failing when there is not exactly one. */
export function blockIn(blocks: ReadmeBlock[], section: string, subsection = '', language = 'ts'): ReadmeBlock {
  const found = blocks.filter(b => b.section === section && b.subsection === subsection && b.language === language);
  if (found.length !== 1) {
    throw new Error(`README.md: expected one \`\`\`${language} block in "${section}${subsection ? ` / ${subsection}` : ''}", found ${found.length}`);
  }
  return found[0];
}

/**
 * The environment of a machine without AWS credentials: a context lookup in `cdk synth` fails at once
 * (no instance metadata service to wait for), as it does on a newcomer's laptop or in CI.
 */
export function noCredentialsEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Not the parent jest's worker variables either: a child jest must start as a top-level run.
    if (key.startsWith('AWS_') || key.startsWith('CDK_') || key.startsWith('JEST_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(ROOT, 'no-such-aws-credentials');
  env.AWS_CONFIG_FILE = path.join(ROOT, 'no-such-aws-config');
  env.CDK_DISABLE_CLI_TELEMETRY = 'true';
  return env;
}

/** `Section / Subsection` of a block. */
export const titleOf = (b: { section: string; subsection: string }) => b.subsection ? `${b.section} / ${b.subsection}` : b.section;

/**
 * README test files known to fail today, each with the error it fails with. A pending file must still
 * fail with that error (so its entry is removed the day it passes, and a new failure is not hidden);
 * every other test file must pass. test/readme.test.ts and test/packaging both read this list.
 */
export const PENDING_TEST_FILES: Record<string, string> = {};

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; never rejects. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = noCredentialsEnv()): Promise<RunResult> {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', e => resolve({ status: null, stdout, stderr: `${stderr}\n${e}` }));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

/** Runs the jobs, at most `limit` at a time, and gives their results in order. */
export async function pooled<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

