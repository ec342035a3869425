import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthReference } from './reference';

/**
 * cfn-lint as a gate (issue 11, point 10): every synthesized template of the reference app
 * (examples/cdk) passes cfn-lint with no error and no warning. A finding may be suppressed only
 * in the template itself (`Metadata.cfn-lint.config.ignore_checks` on the resource), with a
 * written reason next to it (`Metadata.cfn-lint.reason`), so the suppression travels with the
 * template and is reviewed with it.
 *
 * cfn-lint is a Python tool (`pip install cfn-lint`). `.ci/run` fails when it is missing; under
 * CI=true this test fails too. Elsewhere the check is reported as not run (a `todo` in jest's
 * summary, and one line on stderr saying how to install it), never passed silently.
 */
const INSTALL = 'cfn-lint is not installed: the cfn-lint gate did not run. Install it with `pip install cfn-lint` (Python 3.9+), then rerun.';

function cfnLintVersion(): string | undefined {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : undefined;
}

interface Finding {
  readonly Level: string;
  readonly Rule: { readonly Id: string };
  readonly Filename: string;
  readonly Location: { readonly Path: any[] };
  readonly Message: string;
}

/** cfn-lint's findings (errors, warnings and informational) over `templates`. */
function cfnLint(templates: string[]): Finding[] {
  const r = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a crash.
  if (r.status === null || r.status % 2 === 1 || r.stdout.trim() === '') {
    throw new Error(`cfn-lint did not run (exit ${r.status}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

const version = cfnLintVersion();

if (version === undefined) {
  if (process.env.CI) {
    test('cfn-lint is installed (CI)', () => {
      throw new Error(INSTALL);
    });
  } else {
    process.stderr.write(`\n${INSTALL}\n\n`);
    test.todo(INSTALL);
  }
} else {
  describe(`cfn-lint (${version})`, () => {
    const { stacks, outdir } = synthReference();
    const templates = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort().map(f => path.join(outdir, f));

    test('synthesizes the three stacks of the reference app', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      const stackTemplates = Object.values<any>(manifest.artifacts)
        .filter(a => a.type === 'aws:cloudformation:stack')
        .map(a => a.properties.templateFile as string);
      expect(stacks).toHaveLength(3);
      expect(templates.map(t => path.basename(t))).toEqual(stackTemplates.sort());
    });

    test('every template of the reference app: no error, no warning', () => {
      const findings = cfnLint(templates)
        .filter(f => f.Level === 'Error' || f.Level === 'Warning')
        .map(f => `${f.Level} ${f.Rule.Id} ${path.basename(f.Filename)} ${f.Location.Path.join('/')}: ${f.Message}`);
      expect(findings).toEqual([]);
    });

    test('every cfn-lint suppression in the templates carries a written reason', () => {
      for (const s of stacks) {
        for (const [id, r] of Object.entries<any>(s.template.Resources ?? {})) {
          const cfg = r.Metadata?.['cfn-lint'];
          if (cfg?.config?.ignore_checks === undefined) continue;
          expect([s.stackName, id, typeof cfg.reason === 'string' && cfg.reason.length > 40]).toEqual([s.stackName, id, true]);
        }
      }
    });

    test('the gate catches a finding: a template with a wrong property fails', () => {
      const bad = path.join(outdir, 'bad.template.json');
      fs.writeFileSync(bad, JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'On' } } } } }));
      expect(cfnLint([bad]).map(f => `${f.Level} ${f.Rule.Id}`)).toContain('Error E3030');
    });
  });
}
