import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import { RecoveryAccess } from '../../lib/cdk/evidence/recovery-access';
import { SecondaryRegionStack } from '../../lib/cdk/secondary-region';
import { Disruption, DrkitError, DrkitErrorCode, Period, RecoveryObjective, S3Planner } from '../../lib/core';
import { replicaReadersBasis } from '../../lib/core/plan-s3';
import { testApp } from '../util';

const ENV = { region: 'us-east-1', account: '111111111111' };
const OBJECTIVE = RecoveryObjective.of({ name: 'files', rpo: Period.minutes(15), rto: Period.hours(4) });
const CROSS_ACCOUNT = RecoveryObjective.of({
  name: 'vault',
  rpo: Period.minutes(15),
  rto: Period.hours(4),
  disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
});

function refusal(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

const join = (...parts: any[]) => ({ 'Fn::Join': ['', parts] });
const SOURCE_ARN = { 'Fn::GetAtt': ['UserFilesBucketA0D7EE59', 'Arn'] };
const REPLICA = (suffix: string) => join('arn:', { Ref: 'AWS::Partition' }, ':s3:::drkit-c6c9133d3e-', { Ref: 'AWS::AccountId' }, `-us-west-2${suffix}`);

describe('least privilege in the replication role (issue 11, point 5)', () => {
  test('kms:Decrypt on the source key only through S3 in the source region, for the source bucket; kms:Encrypt on the replica key the same way in its region', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find(p => JSON.stringify(p.Properties.Roles).includes('DrkitS3ReplicationRole'));
    const kmsStatements = policy.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('kms:'));
    expect(kmsStatements).toEqual([
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': ['UserFilesKey825FCAB7', 'Arn'] },
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [SOURCE_ARN, join({ 'Fn::GetAtt': ['UserFilesBucketA0D7EE59', 'Arn'] }, '/*')] },
        },
      },
      {
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*'),
        Condition: {
          'StringEquals': { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          // The replica's ARN written out in the role's policy: the stack's account and partition are known (issue 16, template bytes).
          'StringLike': { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::drkit-c6c9133d3e-111111111111-us-west-2', 'arn:aws:s3:::drkit-c6c9133d3e-111111111111-us-west-2/*'] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/drkit/replica-c6c9133d3e' },
        },
      },
    ]);
  });

  test('a destination in another account given by alias is refused (DRK131): S3 resolves an alias in the requester\'s account', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const e = refusal(() => new CrossRegionReplicatedBucket(stack, 'UserFiles', {
      objective: CROSS_ACCOUNT,
      destination: { bucketName: 'vault-replica', region: 'eu-west-1', account: '222222222222', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:alias/replicas' },
    }));
    expect(e.code).toBe(DrkitErrorCode.KEY_ARN_REQUIRED);
    expect(e.message).toBe('[DRK131] `destination.kmsKeyArn` of CrossRegionReplicatedBucket Files/UserFiles is the alias "arn:aws:kms:eu-west-1:222222222222:alias/replicas", '
      + 'but the destination is in account 222222222222, not the source\'s 111111111111: "If you use a KMS key alias instead, then AWS KMS resolves the key within the requester\'s account. '
      + 'This behavior can result in data that\'s encrypted with a KMS key that belongs to the requester, and not the bucket owner." '
      + '(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-encryptionconfiguration.html); '
      + 'give the key\'s full ARN (arn:aws:kms:<region>:222222222222:key/<key id>)');
  });

  test('an alias ARN of another account is refused even without `account`; an alias in the source account is accepted', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const e = refusal(() => new CrossRegionReplicatedBucket(stack, 'Other', {
      objective: OBJECTIVE,
      destination: { bucketName: 'replica-a', region: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:333333333333:alias/replicas' },
    }));
    expect([e.code, e.message.includes('destination is in account 333333333333')]).toEqual([DrkitErrorCode.KEY_ARN_REQUIRED, true]);
    expect(() => new CrossRegionReplicatedBucket(stack, 'Same', {
      objective: OBJECTIVE,
      destination: { bucketName: 'replica-b', region: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/replicas' },
    })).not.toThrow();
  });
});

describe('failover readers of the replica (issue 11, point 8)', () => {
  test('`readers` and RecoveryAccess.grantReplicaRead give read on the replica and kms:Decrypt on its key through S3, in any stack of the account', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const secondary = SecondaryRegionStack.of(stack, 'us-west-2');
    const appRole = new iam.Role(secondary, 'FailoverApp', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
    const files = new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: OBJECTIVE, secondaryRegion: 'us-west-2', readers: [appRole] });
    RecoveryAccess.grantReplicaRead(ops, files);
    const expected = [
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: REPLICA('') },
      { Action: ['s3:GetObject', 's3:GetObjectVersion'], Effect: 'Allow', Resource: REPLICA('/*') },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*'),
        Condition: {
          'StringEquals': { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [REPLICA(''), REPLICA('/*')] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/drkit/replica-c6c9133d3e' },
        },
      },
    ];
    Template.fromStack(secondary).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: expected }, Roles: [{ Ref: Match.stringLikeRegexp('^FailoverApp') }] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: expected }, Roles: [{ Ref: Match.stringLikeRegexp('^Ops') }] });
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', { Metadata: Match.objectLike({ 'drkit:replica-readers': 2 }) });
    // No reference crosses regions: the grant names the replica by its fixed name and alias.
    expect(() => app.synth()).not.toThrow();
  });

  test('the report\'s region-outage basis says who can read the replica and that delete markers are not replicated', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: OBJECTIVE, secondaryRegion: 'us-west-2' });
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'drkit-report.json'), 'utf8'));
    const bucket = report.resources.find((r: any) => r.resourceType === 'AWS::S3::Bucket');
    const region = bucket.disruptions.find((d: any) => d.disruption === Disruption.REGION_OUTAGE);
    expect(region.basis).toContain('the RTO holds only for readers allowed to read the replica bucket and to decrypt it with the replica\'s KMS key, and drkit granted none');
    expect(region.basis).toContain('delete markers are not replicated: "By default, when S3 Replication is enabled and an object is deleted in the source bucket, Amazon S3 adds a delete marker in the source bucket only": '
      + 'objects deleted in the source remain readable in the replica (https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html)');
    // Granted readers, and replicated delete markers, change the sentence.
    expect(replicaReadersBasis(1, true)).toBe('the RTO holds for the 1 reader drkit granted s3:GetObject on the replica and kms:Decrypt on its key (`readers`); any other reader needs the same grants; '
      + 'delete markers replicate: a delete in the source hides the object in the replica too');
    expect(replicaReadersBasis(undefined, false)).toContain('the RTO holds only for readers allowed to read the replica bucket and to decrypt it');
    // The plan (and so the Pulumi component's report) says the same.
    const planned = S3Planner.bucket(OBJECTIVE, { resourceName: 'files', region: 'us-east-1', replicaRegion: 'us-west-2' });
    expect(planned.achieved.find(a => a.disruption === Disruption.REGION_OUTAGE)!.basis).toContain(replicaReadersBasis(undefined, false));
  });

  test('a reader of a replica in another account is warned that the destination\'s policies must allow it', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const files = new CrossRegionReplicatedBucket(stack, 'UserFiles', {
      objective: CROSS_ACCOUNT,
      destination: { bucketName: 'vault-replica', region: 'eu-west-1', account: '222222222222', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      readers: [reader],
    });
    expect(files.replicaBucketName).toBe('vault-replica');
    Annotations.fromStack(stack).hasWarning('/Files/UserFiles', Match.stringLikeRegexp('replica is in account 222222222222, whose bucket policy on vault-replica and key policy must allow it too'));
  });
});
