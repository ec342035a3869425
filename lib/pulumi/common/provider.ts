import { DrkitError, DrkitErrorCode } from '../../core/errors';

/**
 * Checks that a Pulumi provider package is installed (in the user's program, which
 * provides it: drkit lists the providers only as devDependencies) and at least
 * `minMajor`. Called once when a `drkit/pulumi/<cloud>` module loads, so a missing or
 * old provider fails with one clear line instead of a crash deep inside a component.
 */
export function requireProvider(pkg: string, minMajor: number, subpath: string): void {
  let version: string;
  try {
    // A dynamic require: the package name is only known at run time, and resolving it from
    // here finds the copy the user's program installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    version = require(`${pkg}/package.json`).version;
  } catch {
    throw new DrkitError(DrkitErrorCode.PROVIDER_MISSING,
      `${subpath} needs the Pulumi provider package ${pkg} (major version ${minMajor} or later), which is not installed: run \`npm install ${pkg}@^${minMajor}\` in your Pulumi program`);
  }
  // Some packages (@pulumi/policy) publish their version with a leading "v" ("v1.21.0").
  const major = parseInt(String(version).replace(/^v/, '').split('.')[0], 10);
  if (!(major >= minMajor)) {
    throw new DrkitError(DrkitErrorCode.PROVIDER_MISSING,
      `${subpath} needs ${pkg} major version ${minMajor} or later, but found ${version}: run \`npm install ${pkg}@^${minMajor}\` in your Pulumi program`);
  }
}
