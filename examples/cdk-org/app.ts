import { App, Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
// eslint-disable-next-line import/no-extraneous-dependencies -- the example runs from drkit's repo, where cdk-nag is a devDependency
import { AwsSolutionsChecks, HIPAASecurityChecks, NagSuppressions, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  CentralBackupVault,
  Disruption,
  DynamoContinuousBackup,
  Immutability,
  OrganizationBackupPolicy,
  OrganizationMemberBaseline,
  OrganizationProtection,
  Period,
  ProtectedScope,
  RecoveryObjective,
  Retention,
} from 'drkit';

/**
 * drkit at organization scale: one objective for every account of an OU.
 *
 * - The management app (deployed with the management account's credentials, or a delegated
 *   administrator's) holds the AWS Organizations backup policy rendered from the objective, and
 *   the member baseline StackSet that puts the policy's vault (locked, with its key) and IAM role
 *   in every account of the OU, in every region the policy names; a second stack holds the
 *   central backup account's vault that receives a copy of every recovery point.
 * - The member app (an application team's stack in a member account) declares what lives on its
 *   resources (point-in-time recovery, deletion protection, versioning) and tags them with the
 *   objective: the policy's plan selects them by that tag. It creates no vault and no plan.
 *
 * Accounts, regions and ids are fixed so both apps synthesize offline, with no credentials.
 */

/** The management account. */
export const MANAGEMENT_ACCOUNT = '999988887777';
/** The central backup account (receives a copy of every recovery point). */
export const CENTRAL_ACCOUNT = '222233334444';
/** A member account of the OU (the application team's). */
export const MEMBER_ACCOUNT = '111122223333';
/** The organization. */
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
/** The OU whose accounts the policy and the baseline reach. */
export const WORKLOADS_OU = 'ou-ab12-cdef3456';
/** Primary region (the policy's plans run here) and the region copies go to. */
export const PRIMARY_REGION = 'us-east-1';
export const COPY_REGION = 'us-west-2';
/** The policy's name in AWS Organizations. */
export const POLICY_NAME = 'drkit-workloads-backup';

/**
 * The objective of the OU's workloads: RPO 1 hour against corruption and an AZ outage (point-in-
 * time recovery), a daily copy to us-west-2 and to the central account (RPO 25 hours: a day plus
 * the 1-hour start window), 35 days of point-in-time recovery, 30 daily and 12 monthly restore
 * points, compliance lock.
 */
export function workloadsObjective(): RecoveryObjective {
  return RecoveryObjective.of({
    name: 'gold',
    rpo: Period.hours(1),
    rto: Period.hours(4),
    disruptions: [Disruption.DATA_CORRUPTION, Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    perDisruption: [
      { disruption: Disruption.REGION_OUTAGE, rpo: Period.hours(25) },
      { disruption: Disruption.ACCOUNT_COMPROMISE, rpo: Period.hours(25) },
    ],
    retention: Retention.of({ pointInTime: Period.days(35), daily: 30, monthly: 12 }),
    immutability: Immutability.COMPLIANCE,
  });
}

/** One cdk-nag suppression: the rule ids it covers and why. */
export interface Suppression {
  readonly path: string;
  readonly ids: string[];
  readonly reason: string;
}

/** cdk-nag's three packs on an app, verbose. */
function nag(app: App): void {
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  Aspects.of(app).add(new NIST80053R5Checks({ verbose: true }));
  Aspects.of(app).add(new HIPAASecurityChecks({ verbose: true }));
}

/** The management app: the policy, the member baseline StackSet, the central account's vault. */
export interface ManagementApp {
  readonly app: App;
  readonly management: Stack;
  readonly central: Stack;
  readonly policy: OrganizationBackupPolicy;
  readonly baseline: OrganizationMemberBaseline;
  readonly centralVault: CentralBackupVault;
  readonly stacks: Stack[];
}

export function buildManagementApp(app: App): ManagementApp {
  const management = new Stack(app, 'OrgBackupManagement', {
    env: { account: MANAGEMENT_ACCOUNT, region: PRIMARY_REGION },
    description: 'drkit example: AWS Organizations backup policy and member baseline StackSet for the workloads OU',
  });
  const policy = new OrganizationBackupPolicy(management, 'BackupPolicy', {
    objectives: [workloadsObjective()],
    regions: [PRIMARY_REGION],
    secondaryRegion: COPY_REGION,
    backupAccount: CENTRAL_ACCOUNT,
    targetIds: [WORKLOADS_OU],
    policyName: POLICY_NAME,
  });
  const baseline = new OrganizationMemberBaseline(management, 'MemberBaseline', {
    plan: policy.plan,
    organizationalUnitIds: [WORKLOADS_OU],
    maxConcurrentPercentage: 25,
    failureTolerancePercentage: 10,
  });
  const central = new Stack(app, 'OrgBackupCentral', {
    env: { account: CENTRAL_ACCOUNT, region: PRIMARY_REGION },
    description: 'drkit example: the central backup account\'s vault, receiving copies from the organization',
  });
  const centralVault = new CentralBackupVault(central, 'CentralVault', { organizationId: ORGANIZATION_ID, plan: policy.plan });
  nag(app);
  return { app, management, central, policy, baseline, centralVault, stacks: [management, central] };
}

/** The member app: an application protected by tag. */
export interface MemberApp {
  readonly app: App;
  readonly stack: Stack;
  readonly orders: dynamodb.Table;
  readonly invoices: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly suppressions: Suppression[];
}

export function buildMemberApp(app: App): MemberApp {
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const stack = new Stack(app, 'OrdersService', {
    env: { account: MEMBER_ACCOUNT, region: PRIMARY_REGION },
    description: 'drkit example: an application in a member account, backed up by the organization backup policy',
  });
  // Organization mode for everything in the stack: before any construct is added.
  OrganizationProtection.apply(stack, { policyName: POLICY_NAME });
  const objective = workloadsObjective();

  const key = new kms.Key(stack, 'DataKey', {
    description: 'drkit example: encrypts the orders table and the invoices bucket',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const orders = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  new DynamoContinuousBackup(stack, 'OrdersProtection', { table: orders, objective });

  const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const invoices = new s3.Bucket(stack, 'Invoices', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'invoices/',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Every other stateful resource of the stack: tagged for the policy, with what lives on it.
  new ProtectedScope(stack, 'Protection', {
    objective,
    exclude: [{
      resource: accessLogs,
      reason: 'server access logs of the invoices bucket: an audit trail kept in the same account and region, not data the service recovers from',
    }],
  });

  const suppressions = suppressFindings(orders, invoices, accessLogs);
  nag(app);
  return { app, stack, orders, invoices, accessLogs, suppressions };
}

const BY_POLICY = `The AWS Organizations backup policy ${POLICY_NAME} (examples/cdk-org/management) backs it up: its plan drkit-gold, created by AWS Backup in this account, selects every resource tagged drkit:objective = gold (OrganizationProtection tags it), with daily copies to ${COPY_REGION} and to the central backup account's compliance-locked vault. The plan lives in the account, not in this template, so cdk-nag cannot see it; drkit report --org-policy checks it.`;

/** cdk-nag findings that stay, each with its reason (returned for the README and the tests). */
function suppressFindings(orders: dynamodb.Table, invoices: s3.Bucket, accessLogs: s3.Bucket): Suppression[] {
  const list: Suppression[] = [];
  const suppress = (construct: IConstruct, ids: string[], reason: string): void => {
    NagSuppressions.addResourceSuppressions(construct, ids.map(id => ({ id, reason })));
    list.push({ path: construct.node.path, ids, reason });
  };
  suppress(orders, ['NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan'], BY_POLICY);
  suppress(invoices, ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled'],
    `Recovery copies of the invoices go to ${COPY_REGION} and to the central backup account as AWS Backup copies of the organization policy ${POLICY_NAME} (daily, RPO 25 hours, which the objective asks for against a region outage and an account compromise), not as S3 replication: a replica would repeat deletions, the locked copies do not.`);
  suppress(accessLogs, ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS'],
    'Server access log bucket: S3 delivers server access logs only to a target bucket with SSE-S3 default encryption; SSE-KMS is not supported for the target (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). The logs hold request metadata, not user data.');
  suppress(accessLogs, ['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketLoggingEnabled'],
    'Server access log bucket: the audit trail of the invoices bucket in the same account and region, not data the service recovers from (excluded from the objective with that reason). Logging it would need another log bucket, and replicating it a second region for logs alone.');
  return list;
}
