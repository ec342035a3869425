/**
 * Expected console output is captured, not printed (issue 14, point 5).
 *
 * aws-cdk-lib prints the report of every policy-validation plugin (drkit's recovery report and
 * rules, cdk-nag) with `console.error` at each synth that has findings, about 25 lines a time:
 * tests that synthesize apps with gaps on purpose printed some 3,000 lines. Those reports are
 * kept in a buffer that tests assert on (`capturedConsole()`, also in the report JSON or
 * `Annotations`); any other console output still prints, so an unexpected message is seen.
 * DRKIT_TEST_CONSOLE=all prints everything.
 */
const KEY = Symbol.for('drkit.test.capturedConsole');
const EXPECTED: RegExp[] = [
  // The policy-validation report aws-cdk-lib prints for plugin findings (warnings, or failures it then throws).
  /A copy of this report can be found in: .*validation-report\.json/,
  /^Validation Report\b/m,
];

type Method = 'log' | 'info' | 'warn' | 'error';

function buffer(): string[] {
  const g = globalThis as any;
  if (!g[KEY]) g[KEY] = [];
  return g[KEY];
}

if (process.env.DRKIT_TEST_CONSOLE !== 'all') {
  for (const method of ['log', 'info', 'warn', 'error'] as Method[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const text = args.map(a => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
      if (EXPECTED.some(p => p.test(text))) buffer().push(text);
      else original(...args);
    };
  }
}

beforeEach(() => {
  buffer().length = 0;
});
