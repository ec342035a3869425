import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
// eslint-disable-next-line import/no-extraneous-dependencies -- the example runs from drkit's repo, where cdk-nag is a devDependency
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { Disruption, DynamoContinuousBackup, Period, RecoveryObjective, Retention, SecondaryRegionStack } from 'drkit';

/** What `buildApp` made, for tests and for `main.ts`. */
export interface ReferenceApp {
  readonly app: App;
  /** The sync service, in us-east-1. */
  readonly stack: Stack;
  /** drkit's stack in us-west-2 that receives the backup copies. */
  readonly secondary: Stack;
  /** The protected table. */
  readonly table: dynamodb.Table;
  /** drkit's construct that protects it. */
  readonly protection: DynamoContinuousBackup;
}

/** Primary and secondary region of the example. */
export const PRIMARY_REGION = 'us-east-1';
export const SECONDARY_REGION = 'us-west-2';

/**
 * The recovery objective of the sync service.
 *
 * The service asks for RPO 30 minutes and RTO 1 hour, 30 days of point-in-time recovery,
 * daily full backups plus 6-hourly backups, monthly restore points for a year, and a copy in
 * us-west-2. Those numbers conflict for one disruption:
 *
 * - data corruption / accidental deletion: point-in-time recovery restores to any second up
 *   to about 5 minutes ago, so 30 minutes holds;
 * - AZ outage: DynamoDB keeps every table in several AZs, so 30 minutes holds;
 * - region outage: what survives is the copy in us-west-2, and a copy exists only after a
 *   backup ran. A backup every 6 hours may start up to 60 minutes late (the shortest AWS
 *   Backup start window), so the newest copy can be 6 h + 1 h = 7 hours old, plus the copy
 *   time, which AWS does not publish. 30 minutes is impossible with backups; only
 *   replication (a global table replica, DrStandby) could give it.
 *
 * So the objective states honestly what the backups give against a region outage: an RPO of
 * 7 hours. drkit refuses the naive objective (30 minutes for every disruption) with DRK010;
 * `test/examples/cdk.test.ts` checks that.
 */
export const SYNC_OBJECTIVE = RecoveryObjective.of({
  name: 'sync-state',
  rpo: Period.minutes(30),
  rto: Period.hours(1),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(30), daily: 30, monthly: 12 }),
});

/** Options of `buildApp`. */
export interface BuildOptions {
  /** Apply the cdk-nag packs (AWS Solutions, NIST 800-53 rev 5, HIPAA). Default true. */
  readonly nag?: boolean;
}

/**
 * The reference stack: a sync service whose state lives in a DynamoDB table, protected by
 * drkit against SYNC_OBJECTIVE.
 */
export function buildApp(app: App = new App(), options: BuildOptions = {}): ReferenceApp {
  // No account in the code: `cdk synth` needs no credentials; `cdk deploy` uses the
  // account of the current credentials (CDK_DEFAULT_ACCOUNT).
  const stack = new Stack(app, 'SyncService', {
    env: { region: PRIMARY_REGION, account: process.env.CDK_DEFAULT_ACCOUNT },
    description: 'drkit reference example: a sync service with its state in DynamoDB',
  });

  const table = new dynamodb.Table(stack, 'SyncState', {
    partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'cursor', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
  });

  const protection = new DynamoContinuousBackup(stack, 'SyncStateProtection', {
    table,
    objective: SYNC_OBJECTIVE,
    secondaryRegion: SECONDARY_REGION,
  });

  if (options.nag ?? true) {
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    Aspects.of(app).add(new NIST80053R5Checks({ verbose: true }));
    Aspects.of(app).add(new HIPAASecurityChecks({ verbose: true }));
  }

  return { app, stack, secondary: SecondaryRegionStack.of(stack, SECONDARY_REGION), table, protection };
}
