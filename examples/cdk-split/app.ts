import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Disruption, Period, ProtectedScope, RecoveryObjective, Retention } from 'drkit';

/** The one objective of every stack: 30 minutes (7 hours against a region outage), 4 hours to restore. */
export const OBJECTIVE = RecoveryObjective.of({
  name: 'tenants',
  rpo: Period.minutes(30),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE],
  perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(7) }],
  backupInterval: Period.hours(6),
  retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
});

/**
 * The tenants, in the order they were added. A tenant's stack follows from its position, so
 * append new tenants at the end: moving a table or bucket to another stack replaces it.
 */
export const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

/** Tenants per stack: from the quota message's per-item figures (docs/scale.md). */
export const TENANTS_PER_STACK = 3;

/** One stack per TENANTS_PER_STACK tenants, each protected by its own ProtectedScope of the same objective. */
export function buildApp(app: App): { app: App; stacks: Stack[] } {
  const stacks: Stack[] = [];
  for (let first = 0; first < TENANTS.length; first += TENANTS_PER_STACK) {
    const stack = new Stack(app, `Tenants${first / TENANTS_PER_STACK}`, { env: { account: '111111111111', region: 'us-east-1' } });
    for (const tenant of TENANTS.slice(first, first + TENANTS_PER_STACK)) {
      new dynamodb.Table(stack, `${tenant}-orders`, {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      });
      new s3.Bucket(stack, `${tenant}-files`, {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    // Every stateful resource of the stack, whenever added, protected against the one objective:
    // the stack's own vault, plan and selection, with copies to us-west-2.
    new ProtectedScope(stack, 'Protection', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
    stacks.push(stack);
  }
  return { app, stacks };
}
