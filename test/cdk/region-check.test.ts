import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { CrossRegionReplicatedBucket, DrStandby, DynamoContinuousBackup } from '../../lib/cdk';
import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective } from '../../lib/core';
import { testApp } from '../util';

// Issue 10, point 15: a region name that is not an AWS region is refused (DRK022) at the input that
// names it, with the nearest valid region, before any stack is created for it.
const objective = RecoveryObjective.of({ name: 'regional', rpo: Period.hours(7), rto: Period.hours(8), disruptions: [Disruption.REGION_OUTAGE] });

function caught(fn: () => void): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

describe('region names are checked against aws-cdk-lib\'s region list', () => {
  test('DynamoContinuousBackup secondaryRegion "us-wset-2": DRK022 suggesting us-west-2, and no stack S-dr-us-wset-2', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const e = caught(() => new DynamoContinuousBackup(stack, 'Backup', { table, objective, secondaryRegion: 'us-wset-2' }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(e.message).toBe('[DRK022] `secondaryRegion` of DynamoContinuousBackup S/Backup is "us-wset-2", which is not an AWS region (drkit checks region names against the 47 regions of aws-cdk-lib\'s region-info): did you mean "us-west-2"?');
    expect(app.node.children.map(c => c.node.id)).toEqual(['S']);
  });

  test('CrossRegionReplicatedBucket and DrStandby name their own inputs', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    expect(caught(() => new CrossRegionReplicatedBucket(stack, 'Files', { objective, secondaryRegion: 'eu-wets-1' })).message)
      .toContain('`secondaryRegion` of CrossRegionReplicatedBucket S/Files is "eu-wets-1", which is not an AWS region (drkit checks region names against the 47 regions of aws-cdk-lib\'s region-info): did you mean "eu-west-1"?');
    expect(caught(() => new DrStandby(stack, 'Standby', { objective, region: 'us-weast-2' })).message)
      .toContain('`region` of DrStandby S/Standby is "us-weast-2"');
  });
});
