import * as fs from 'fs';
import * as path from 'path';
import { readmeBlocks, ROOT } from '../readme-blocks';

/**
 * A Pulumi program has no aws-cdk-lib: its code imports drkit from `drkit/core` or `drkit/pulumi/<cloud>`,
 * never from `drkit`, the CDK entry point (which loads aws-cdk-lib). Checked on every Pulumi example a
 * user copies: the README's Pulumi blocks and examples/pulumi/*.
 */
const drkitImports = (code: string) => [...code.matchAll(/from '(drkit[^']*)'/g)].map(m => m[1]);

const pulumiCode: Array<[string, string]> = [
  ...readmeBlocks()
    .filter(b => b.language === 'ts' && b.code.includes("from 'drkit/pulumi/"))
    .map(b => [`README.md line ${b.line}`, b.code] as [string, string]),
  ...fs.readdirSync(path.join(ROOT, 'examples', 'pulumi'))
    .map(cloud => path.join('examples', 'pulumi', cloud, 'index.ts'))
    .filter(file => fs.existsSync(path.join(ROOT, file)))
    .map(file => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')] as [string, string]),
];

describe('Pulumi examples import drkit without the CDK', () => {
  test('there are README and examples/pulumi programs to check', () => {
    expect(pulumiCode.filter(([where]) => where.startsWith('README')).length).toBeGreaterThanOrEqual(2);
    expect(pulumiCode.filter(([where]) => where.startsWith('examples')).length).toBe(4);
  });

  test.each(pulumiCode)('%s imports only drkit/core and drkit/pulumi/*', (_where, code) => {
    const imports = drkitImports(code);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(i => i !== 'drkit/core' && !i.startsWith('drkit/pulumi/'))).toEqual([]);
  });
});
