import { App, AppProps } from 'aws-cdk-lib';

/**
 * Every test CDK app: CloudFormation validation findings fail synthesis.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...(props.context ?? {}),
    },
  });
}

/** A planning refusal listed by a failed synth: the construct's path, its code and the drkit message (`[DRKnnn] ...`). */
export interface SynthRefusal {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Synthesizes `app` and returns the drkit refusals its validation failure lists (planning
 * refusals are validation errors, so one synth names all of them). Fails when synthesis passes.
 */
export function synthRefusals(app: { synth(): unknown }): SynthRefusal[] {
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error('expected synthesis to fail with drkit refusals, but it passed');
  const text = String((error as Error).message ?? error);
  const out: SynthRefusal[] = [];
  for (const m of text.matchAll(/^\s*\[([^\]\n]+)\] (\[(DRK\d{3})\] [^\n]*)$/gm)) out.push({ path: m[1], code: m[3], message: m[2] });
  if (out.length === 0) throw error;
  return out;
}

/**
 * Runs `build` (which must not throw), synthesizes `app` and returns its one refusal: for tests of
 * a single refused objective, with the code and message the planner gives.
 */
export function synthRefusal(app: { synth(): unknown }, build: () => unknown): SynthRefusal {
  build();
  const all = synthRefusals(app);
  if (all.length !== 1) throw new Error(`expected one refusal, got ${all.length}: ${all.map(r => r.message).join('\n')}`);
  return all[0];
}

/**
 * The console output of the current test that the jest setup (test/setup/console.ts) captured
 * instead of printing: aws-cdk-lib's policy-validation reports.
 */
export function capturedConsole(): string[] {
  return [...((globalThis as any)[Symbol.for('drkit.test.capturedConsole')] ?? [])];
}
