import * as fs from 'fs';
import * as path from 'path';
import { StackTemplate } from '../../../lib/core/report/types';

/** Directory of the hand-written fixture templates. */
export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'templates');

/** A fixture template as a stack. */
export function fixture(file: string, props: { region?: string; account?: string; stackName?: string } = {}): StackTemplate {
  return {
    stackName: props.stackName ?? file.replace(/\.template\.json$/, ''),
    region: props.region,
    account: props.account,
    template: JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')),
  };
}

/** A stack from an inline template. */
export function stack(resources: any, props: { region?: string; account?: string; stackName?: string } = {}): StackTemplate {
  return { stackName: props.stackName ?? 'Test', region: props.region, account: props.account, template: { Resources: resources } };
}
