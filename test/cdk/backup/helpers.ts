import { App, Stack } from 'aws-cdk-lib';
import { DrkitError } from '../../../lib/core';

export function stackIn(app: App, id = 'Primary', region = 'us-east-1', account?: string): Stack {
  return new Stack(app, id, { env: { region, account } });
}

/** The DrkitError `fn` throws (fails the test when it throws nothing or another error). */
export function caught(fn: () => void): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError, but nothing was thrown');
}

/** Resource type -> count, of a synthesized template. */
export function counts(template: any): { [type: string]: number } {
  const out: { [type: string]: number } = {};
  for (const r of Object.values<any>(template.Resources ?? {})) out[r.Type] = (out[r.Type] ?? 0) + 1;
  return out;
}
