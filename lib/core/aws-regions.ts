import { DrkitError, DrkitErrorCode } from './errors';

/**
 * The AWS regions aws-cdk-lib's region-info knows (`RegionInfo.regions`), generated from
 * aws-cdk-lib 2.276.0 so that lib/core does not depend on aws-cdk-lib.
 * test/core/aws-regions.test.ts fails when this list differs from the installed aws-cdk-lib's;
 * regenerate it with `UPDATE_AWS_REGIONS=1 npx jest test/core/aws-regions.test.ts`.
 *
 * @internal
 */
export const AWS_REGIONS: readonly string[] = [
  // BEGIN GENERATED
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-isoe-west-1',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'me-west-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isob-west-1',
  'us-isof-east-1',
  'us-isof-south-1',
  'us-west-1',
  'us-west-2',
  // END GENERATED
];

/** Edit distance with adjacent transpositions (`wset` is one step from `west`). */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known AWS region nearest to `value` by edit distance (ties: the first in alphabetical
 * order), or undefined when none is within a few edits.
 *
 * @internal
 */
export function nearestAwsRegion(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const r of AWS_REGIONS) {
    const dist = distance(v, r);
    if (dist < bestDistance) {
      best = r;
      bestDistance = dist;
    }
  }
  return bestDistance <= Math.max(3, Math.floor(v.length / 3)) ? best : undefined;
}

/**
 * Refuses a region name that is not an AWS region (DRK022), naming the input and the nearest
 * valid region: `us-wset-2` suggests `us-west-2`. An unresolved CDK token (`${Token[...]}`),
 * or anything that is not a string (a Pulumi output), is not checked: drkit cannot know it.
 *
 * @param input the input's name, for example `secondaryRegion`
 * @param value the region name given
 * @param where the construct or component, for example `DrStandby App/Standby`
 * @internal
 */
export function checkAwsRegion(input: string, value: unknown, where?: string): void {
  if (typeof value !== 'string' || value.includes('${Token[') || AWS_REGIONS.includes(value)) return;
  const nearest = nearestAwsRegion(value);
  throw new DrkitError(DrkitErrorCode.INVALID_REGION,
    `\`${input}\`${where ? ` of ${where}` : ''} is "${value}", which is not an AWS region (drkit checks region names against the ${AWS_REGIONS.length} regions of aws-cdk-lib's region-info): ${nearest ? `did you mean "${nearest}"?` : 'give a region name such as "us-east-1"'}${nearest ? '' : '; a region newer than drkit needs a newer drkit'}`);
}
