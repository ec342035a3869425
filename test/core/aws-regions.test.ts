import * as fs from 'fs';
import * as path from 'path';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as core from '../../lib/core';
import { AWS_REGIONS, checkAwsRegion, nearestAwsRegion } from '../../lib/core/aws-regions';
import { DrkitError, DrkitErrorCode } from '../../lib/core/errors';

const FILE = path.join(__dirname, '..', '..', 'lib', 'core', 'aws-regions.ts');

function caught(fn: () => void): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

describe('the AWS region list', () => {
  test('is the installed aws-cdk-lib\'s region-info list (regenerate with UPDATE_AWS_REGIONS=1)', () => {
    const installed = RegionInfo.regions.map(r => r.name).sort();
    if (process.env.UPDATE_AWS_REGIONS === '1') {
      const text = fs.readFileSync(FILE, 'utf8');
      const body = installed.map(r => `  '${r}',`).join('\n');
      fs.writeFileSync(FILE, text.replace(/( {2}\/\/ BEGIN GENERATED\n)[\s\S]*?( {2}\/\/ END GENERATED)/, `$1${body}\n$2`));
    }
    expect([...AWS_REGIONS]).toEqual(installed);
  });
});

describe('checkAwsRegion', () => {
  test('a typo gets DRK022 naming the input and the nearest region', () => {
    const e = caught(() => checkAwsRegion('secondaryRegion', 'us-wset-2', 'DynamoContinuousBackup App/Backup'));
    expect(e.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(e.message).toBe('[DRK022] `secondaryRegion` of DynamoContinuousBackup App/Backup is "us-wset-2", which is not an AWS region (drkit checks region names against the 47 regions of aws-cdk-lib\'s region-info): did you mean "us-west-2"?');
    expect(nearestAwsRegion('eu-wets-1')).toBe('eu-west-1');
    expect(nearestAwsRegion('US-EAST-1')).toBe('us-east-1');
    expect(nearestAwsRegion('mars-north-9000')).toBeUndefined();
    expect(caught(() => checkAwsRegion('--region', 'mars-north-9000')).message).toContain('give a region name such as "us-east-1"');
  });

  test('valid regions, unresolved tokens and values that are not strings pass', () => {
    for (const r of AWS_REGIONS) expect(() => checkAwsRegion('region', r)).not.toThrow();
    expect(() => checkAwsRegion('region', '${Token[AWS.Region.12]}')).not.toThrow();
    expect(() => checkAwsRegion('region', undefined)).not.toThrow();
    expect(() => checkAwsRegion('region', { apply: () => 'us-east-1' })).not.toThrow();
  });
});

describe('the planners check every region they are given', () => {
  const o = core.RecoveryObjective.of({ rpo: core.Period.hours(7), rto: core.Period.hours(8), disruptions: [core.Disruption.REGION_OUTAGE] });

  test.each([
    ['Planner.dynamoDbTable secondaryRegion', () => core.Planner.dynamoDbTable(o, { resourceName: 'T', region: 'us-east-1', secondaryRegion: 'us-wset-2' }), '`secondaryRegion` of table T'],
    ['Planner.dynamoDbTable replicaRegions', () => core.Planner.dynamoDbTable(o, { resourceName: 'T', region: 'us-east-1', secondaryRegion: 'us-west-2', replicaRegions: ['eu-wset-1'] }), '`replicaRegions` of table T'],
    ['S3Planner replicaRegion', () => core.S3Planner.bucket(o, { resourceName: 'B', region: 'us-east-1', replicaRegion: 'us-wset-2' }), '`replicaRegion` of bucket B'],
    ['RdsPlanner standbyRegions', () => core.RdsPlanner.plan(o, { resourceName: 'D', kind: core.ResourceKind.RDS_INSTANCE, engine: 'postgres', storageEncrypted: true, region: 'us-east-1', secondaryRegion: 'us-west-2', standbyRegions: ['us-wset-2'] }), '`standbyRegions` of database instance D'],
  ])('%s', (_name, fn, input) => {
    const e = caught(fn as () => void);
    expect(e.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(e.message).toContain(input);
    expect(e.message).toContain('did you mean');
  });
});
