import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CrossRegionReplicatedBucket } from '../../lib/cdk/cross-region-replicated-bucket';
import {
  Disruption, DrkitError, DrkitErrorCode, Immutability, Period, RecoveryObjective, RecoveryTier, Retention, StorageClass,
} from '../../lib/core';
import { synthRefusal, testApp } from '../util';

const ENV = { region: 'us-east-1', account: '111111111111' };
const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);

function errorOf(fn: () => unknown): DrkitError {
  try {
    fn();
  } catch (e) {
    if (DrkitError.isDrkitError(e)) return e;
    throw e;
  }
  throw new Error('expected a DrkitError');
}

function setup(props: Partial<ConstructorParameters<typeof CrossRegionReplicatedBucket>[2]> = {}) {
  const app = testApp();
  const stack = new Stack(app, 'Files', { env: ENV });
  const bucket = new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: gold, secondaryRegion: 'us-west-2', ...props });
  return { app, stack, bucket };
}

function secondaryOf(app: ReturnType<typeof testApp>): Stack {
  return app.node.findChild('Files-dr-us-west-2') as Stack;
}

describe('CrossRegionReplicatedBucket (replica created by drkit)', () => {
  test('GIVEN gold WHEN synthesized THEN the source is versioned, KMS-encrypted, TLS-only, private, retained and replicated with RTC', () => {
    const { app, stack, bucket } = setup();
    // The rule ID is the stack's (hash of stack, regions, RPO and topic): the stack's alarms select it.
    expect(bucket.replicationRuleId).toBe('drkit-replicate-b7a76bceed');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: Match.objectLike({
        // the objective's key; its JSON is once in the template's top-level metadata
        'drkit:objective': gold.name,
        'drkit:construct': 'CrossRegionReplicatedBucket',
        'drkit:replica-region': 'us-west-2',
      }),
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['UserFilesKey825FCAB7', 'Arn'] } },
          }],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': ['DrkitS3ReplicationRole5586C6AD', 'Arn'] },
          Rules: [{
            Id: 'drkit-replicate-b7a76bceed',
            Status: 'Enabled',
            Priority: 0,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' }, ReplicaModifications: { Status: 'Enabled' } },
            Destination: {
              Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::drkit-c6c9133d3e-', { Ref: 'AWS::AccountId' }, '-us-west-2']] },
              EncryptionConfiguration: {
                ReplicaKmsKeyID: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':alias/drkit/replica-c6c9133d3e']] },
              },
              ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
              Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
            },
          }],
        },
        NotificationConfiguration: {
          TopicConfigurations: [
            { Event: 's3:Replication:OperationFailedReplication', Topic: { Ref: 'DrkitReplicationAlarms83F802A3' } },
            { Event: 's3:Replication:OperationMissedThreshold', Topic: { Ref: 'DrkitReplicationAlarms83F802A3' } },
          ],
        },
      }),
    });
    // TLS only.
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': ['DrkitReplicationAlarmsKey0D912034', 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', { Description: 'drkit: encrypts the replication alarm topic of this stack', EnableKeyRotation: true });
    expect(() => app.synth()).not.toThrow();
  });

  test('logical IDs of buckets, keys, the role, the topics and the alarms are pinned', () => {
    const { app, stack } = setup();
    const primary = Template.fromStack(stack);
    expect(Object.keys(primary.findResources('AWS::S3::Bucket'))).toEqual(['UserFilesBucketA0D7EE59']);
    expect(Object.keys(primary.findResources('AWS::KMS::Key'))).toEqual(['UserFilesKey825FCAB7', 'DrkitReplicationAlarmsKey0D912034']);
    expect(Object.keys(primary.findResources('AWS::IAM::Role'))).toEqual(['DrkitS3ReplicationRole5586C6AD']);
    expect(Object.keys(primary.findResources('AWS::CloudWatch::Alarm'))).toEqual(['DrkitReplicationWatchFailedb7a76bceed30F44F73']);
    const secondary = Template.fromStack(secondaryOf(app));
    expect(Object.keys(secondary.findResources('AWS::S3::Bucket'))).toEqual(['UserFilesBucketA0D7EE59']);
    expect(Object.keys(secondary.findResources('AWS::KMS::Key'))).toEqual(['UserFilesKey825FCAB7', 'DrkitReplicationAlarmsKey0D912034']);
    expect(Object.keys(secondary.findResources('AWS::SNS::Topic'))).toEqual(['DrkitReplicationAlarms83F802A3']);
    expect(Object.keys(secondary.findResources('AWS::CloudWatch::Alarm'))).toEqual(['DrkitReplicationWatchLatencyb7a76bceed462B6A3F']);
  });

  test('the replica and its key live in the secondary-region stack with the fixed name, retained, tiered', () => {
    const { app, stack, bucket } = setup();
    const secondary = secondaryOf(app);
    expect(secondary.region).toBe('us-west-2');
    expect(stack.dependencies).toContain(secondary);
    expect(bucket.replicaBucket!.stack).toBe(secondary);
    const t = Template.fromStack(secondary);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: { 'Fn::Join': ['', ['drkit-c6c9133d3e-', { Ref: 'AWS::AccountId' }, '-us-west-2']] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              Id: 'drkit-tiering',
              Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
              NoncurrentVersionExpiration: { NoncurrentDays: 372 },
            }),
            Match.objectLike({ Id: 'drkit-cleanup', ExpiredObjectDeleteMarker: true }),
          ],
        },
      }),
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/drkit/replica-c6c9133d3e' });
    // The role may use the replica key only through its alias, through S3 in us-west-2, for the replica's objects.
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Effect: 'Allow',
          Condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/drkit/replica-c6c9133d3e' },
            'StringEquals': { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
            // Written out in the policy: the stack's account and partition are known (issue 16, template bytes).
            'StringLike': { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::drkit-c6c9133d3e-111111111111-us-west-2', 'arn:aws:s3:::drkit-c6c9133d3e-111111111111-us-west-2/*'] },
          },
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:111111111111:key/*']] },
        }]),
      },
    });
  });

  test('alarms: one Metrics Insights alarm on latency above the RPO in the replica region, one on failed replication in the source region', () => {
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15), rto: Period.hours(4), perDisruption: [{ disruption: Disruption.REGION_OUTAGE, rpo: Period.minutes(30) }],
    });
    const { app, stack, bucket } = setup({ objective });
    const ruleId = bucket.replicationRuleId;
    expect(ruleId).toMatch(/^drkit-replicate-[0-9a-f]{10}$/);
    // S3 publishes ReplicationLatency in the destination's region: the alarm is there, to a topic there.
    const secondary = Template.fromStack(secondaryOf(app));
    secondary.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    secondary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [{
        Id: 'q',
        Expression: `SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE RuleId = '${ruleId}' GROUP BY SourceBucket, DestinationBucket ORDER BY MAX() DESC`,
        Period: 60,
        ReturnData: true,
      }],
      Threshold: 1800,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: 'DrkitReplicationAlarms83F802A3' }],
    });
    // The replica region's topic lets only CloudWatch publish (no S3 events go there).
    secondary.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
    expect(JSON.stringify(secondary.findResources('AWS::SNS::TopicPolicy'))).not.toContain('s3.amazonaws.com');
    // OperationsFailedReplication is published in the source's region.
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [{
        Id: 'q',
        Expression: `SELECT SUM(OperationsFailedReplication) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE RuleId = '${ruleId}' GROUP BY SourceBucket, DestinationBucket ORDER BY SUM() DESC`,
        Period: 300,
        ReturnData: true,
      }],
      Threshold: 0,
      TreatMissingData: 'ignore',
      AlarmActions: [{ Ref: 'DrkitReplicationAlarms83F802A3' }],
    });
    expect(bucket.failedReplicationAlarm).toBeDefined();
    expect(Stack.of(bucket.latencyAlarm!).region).toBe('us-west-2');
  });

  test('an RPO below 15 minutes against region outage fails synthesis with our error naming the bucket, the floor and its source', () => {
    const objective = RecoveryObjective.of({ name: 'tight', rpo: Period.minutes(5), rto: Period.hours(1) });
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const e = synthRefusal(app, () => new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective, secondaryRegion: 'us-west-2' }));
    expect(e.code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect(e.message).toContain('`rpo` 5 minutes against region outage cannot be met for bucket Files/UserFiles (objective "tight")');
    expect(e.message).toContain('so its floor is 15 minutes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html)');
  });

  test('RTC opted out: no RTC, no metrics alarms, and a warning that there is no documented bound', () => {
    const { stack } = setup({ replicationTimeControl: false });
    const t = Template.fromStack(stack);
    const bucket = Object.values(t.findResources('AWS::S3::Bucket'))[0] as any;
    const dest = bucket.Properties.ReplicationConfiguration.Rules[0].Destination;
    expect(dest.ReplicationTime).toBeUndefined();
    expect(dest.Metrics).toBeUndefined();
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(bucket.Properties.NotificationConfiguration.TopicConfigurations).toEqual([
      { Event: 's3:Replication:OperationFailedReplication', Topic: { Ref: 'DrkitReplicationAlarms83F802A3' } },
    ]);
    Annotations.fromStack(stack).hasWarning('/Files/UserFiles', Match.stringLikeRegexp('no documented bound'));
  });

  test('delete markers replicate when asked', () => {
    const { stack } = setup({ replicateDeleteMarkers: true });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: { Rules: [Match.objectLike({ DeleteMarkerReplication: { Status: 'Enabled' } })] },
    });
  });

  test('Object Lock in compliance mode on the source and the replica', () => {
    const { app, stack } = setup({ objectLockMode: Immutability.COMPLIANCE, objectLockRetention: Period.days(30) });
    const lock = { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } } };
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', lock);
    Template.fromStack(secondaryOf(app)).hasResourceProperties('AWS::S3::Bucket', lock);
  });

  test('a user-given topic and lifecycles are used', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const topic = new sns.Topic(stack, 'Ops');
    new CrossRegionReplicatedBucket(stack, 'UserFiles', {
      objective: gold,
      secondaryRegion: 'us-west-2',
      alarmTopic: topic,
      sourceLifecycle: { transitions: [{ storageClass: StorageClass.INTELLIGENT_TIERING, after: Period.days(0) }] },
      replicaLifecycle: { transitions: [{ storageClass: StorageClass.GLACIER_IR, after: Period.days(1) }] },
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }] });
    // The latency alarm is in us-west-2 and cannot notify a us-east-1 topic: the replica region's shared topic, with a warning.
    Template.fromStack(secondaryOf(app)).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: 'DrkitReplicationAlarms83F802A3' }] });
    Annotations.fromStack(stack).hasWarning('/Files/UserFiles', Match.stringLikeRegexp('alarmed in us-west-2, where S3 publishes ReplicationLatency .* subscribe to it too'));
    t.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish' })]) } });
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }] })]) },
    });
    Template.fromStack(secondaryOf(app)).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 1 }] })]) },
    });
  });

  test('an invalid replica lifecycle fails with our error', () => {
    const e = errorOf(() => setup({ replicaLifecycle: { objective: gold, noncurrentExpiration: Period.days(30) } }));
    expect(e.code).toBe(DrkitErrorCode.LIFECYCLE_RETENTION_TOO_SHORT);
  });

  test('no replica region fails with our error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const e = errorOf(() => new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: gold }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_REGION);
    expect(e.message).toBe('[DRK022] CrossRegionReplicatedBucket Files/UserFiles needs a concrete replica region: set `secondaryRegion` (for example "us-west-2") or `destination.region`, but got none');
  });
});

describe('CrossRegionReplicatedBucket (given destination)', () => {
  test('GIVEN a bucket in another account THEN owner override, account, its key and the grant', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    const b = new CrossRegionReplicatedBucket(stack, 'UserFiles', {
      objective,
      destination: {
        bucketName: 'vault-replica',
        region: 'eu-west-1',
        account: '222222222222',
        kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    });
    expect(b.replicaBucket).toBeUndefined();
    // No stack in eu-west-1: the documentation does not say which account receives a cross-account
    // destination's ReplicationLatency, so only the failed-replication alarm (source region) watches it.
    expect(app.node.tryFindChild('Files-dr-eu-west-1')).toBeUndefined();
    expect(b.latencyAlarm).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Metadata: Match.objectLike({ 'drkit:replica-region': 'eu-west-1', 'drkit:replica-account': '222222222222' }),
      Properties: Match.objectLike({
        ReplicationConfiguration: Match.objectLike({
          Rules: [Match.objectLike({
            Destination: Match.objectLike({
              Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::vault-replica']] },
              Account: '222222222222',
              AccessControlTranslation: { Owner: 'Destination' },
              EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
            }),
          })],
        }),
      }),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'] }),
          {
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Effect: 'Allow',
            Resource: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
              StringLike: {
                'kms:EncryptionContext:aws:s3:arn': [
                  'arn:aws:s3:::vault-replica',
                  'arn:aws:s3:::vault-replica/*',
                ],
              },
            },
          },
        ]),
      },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('conflicting secondaryRegion and destination are refused', () => {
    const e = errorOf(() => setup({ destination: { bucketName: 'x', region: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x' } }));
    expect(e.code).toBe(DrkitErrorCode.INVALID_PROPS);
  });
});

describe('several replicated buckets', () => {
  test('two buckets in one stack and two stacks in one account: one role per stack, no physical role names, distinct replicas (no feature flags)', () => {
    const app = testApp();
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    const names: string[] = [];
    for (const stack of [a, b]) {
      for (const id of ['Photos', 'Documents']) {
        const r = new CrossRegionReplicatedBucket(stack, id, { objective: gold, secondaryRegion: 'us-west-2' });
        names.push(stack.resolve(r.replicaBucketName)['Fn::Join'][1][0]);
      }
    }
    expect(new Set(names).size).toBe(4);
    for (const stack of [a, b]) {
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::IAM::Role', 1);
      t.hasResourceProperties('AWS::IAM::Role', { RoleName: Match.absent() });
      const buckets = Object.values(t.findResources('AWS::S3::Bucket')) as any[];
      expect(buckets).toHaveLength(2);
      for (const x of buckets) expect(x.Properties.ReplicationConfiguration.Role).toEqual({ 'Fn::GetAtt': ['DrkitS3ReplicationRole5586C6AD', 'Arn'] });
    }
    expect(() => app.synth()).not.toThrow();
  });
});

describe('resources added compared with plain aws-cdk-lib', () => {
  function count(stacks: Stack[]): number {
    return stacks.reduce((n, s) => n + Object.keys(Template.fromStack(s).toJSON().Resources).length, 0);
  }

  test('drkit adds the alias, the shared alarm topics (their keys and policies) and the two stack alarms to the same bucket and replica', () => {
    const drkit = setup();
    const drkitCount = count([drkit.stack, secondaryOf(drkit.app)]);

    // The same pair with plain aws-cdk-lib: versioned, KMS, TLS-only, private, retained, RTC.
    const app = testApp();
    const replicaStack = new Stack(app, 'Replica', { env: { ...ENV, region: 'us-west-2' } });
    const replicaKey = new kms.Key(replicaStack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(replicaStack, 'Bucket', {
      bucketName: 'plain-replica-111111111111-us-west-2',
      versioned: true,
      encryptionKey: replicaKey,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const sourceStack = new Stack(app, 'Source', { env: ENV });
    const key = new kms.Key(sourceStack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const destination = s3.Bucket.fromBucketAttributes(sourceStack, 'Dest', { bucketName: 'plain-replica-111111111111-us-west-2', region: 'us-west-2' });
    const destKey = kms.Key.fromKeyArn(sourceStack, 'DestKey', 'arn:aws:kms:us-west-2:111111111111:alias/plain-replica');
    new s3.Bucket(sourceStack, 'Bucket', {
      versioned: true,
      encryptionKey: key,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      replicationRules: [{
        destination,
        kmsKey: destKey,
        sseKmsEncryptedObjects: true,
        priority: 0,
        replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        deleteMarkerReplication: false,
      }],
    });
    const plainCount = count([sourceStack, replicaStack]);
    // Plain: key, bucket, bucket policy, role, role policy; replica key, bucket, bucket policy.
    expect(plainCount).toBe(8);
    // drkit: the same, plus the replica key's alias, and per stack (see the next tests): the
    // failed-replication alarm and the shared alarm topic with its key and policy in the source
    // region, the latency alarm and a topic with its key and policy in the replica region.
    expect(drkitCount).toBe(17);
    // Plain aws-cdk-lib hard-codes the role name without the feature flag: two buckets collide.
    const roles = Object.values(Template.fromStack(sourceStack).findResources('AWS::IAM::Role')) as any[];
    expect(roles[0].Properties.RoleName).toBe('CDKReplicationRole');
    process.stdout.write(`CloudFormation resources for one replicated bucket: drkit ${drkitCount}, plain aws-cdk-lib ${plainCount}\n`);
  });
});

describe('overhead per replicated bucket', () => {
  test('every bucket of a stack shares one alarm topic: a second bucket adds only its own resources', () => {
    const resources = (n: number) => {
      const app = testApp();
      const stack = new Stack(app, 'Files', { env: ENV });
      for (let i = 0; i < n; i++) new CrossRegionReplicatedBucket(stack, `Files${i}`, { objective: gold, secondaryRegion: 'us-west-2' });
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::SNS::Topic', 1);
      t.resourceCountIs('AWS::SNS::TopicPolicy', 1);
      return Object.keys(t.toJSON().Resources).length + Object.keys(Template.fromStack(secondaryOf(app)).toJSON().Resources).length;
    };
    const one = resources(1);
    const two = resources(2);
    const three = resources(3);
    // Source key, bucket, bucket policy; replica key, alias, bucket, bucket policy: 7, fewer than
    // plain aws-cdk-lib's 8 (which adds a role and its policy per bucket); no alarm per bucket.
    expect(two - one).toBe(7);
    expect(three - two).toBe(7);
  });

  test('GIVEN 1 or 10 buckets in a stack THEN the same two alarms watch all of them, one contributor per bucket pair', () => {
    const alarms = (n: number) => {
      const app = testApp();
      const stack = new Stack(app, 'Files', { env: ENV });
      const buckets = [];
      for (let i = 0; i < n; i++) buckets.push(new CrossRegionReplicatedBucket(stack, `Files${i}`, { objective: gold, secondaryRegion: 'us-west-2' }));
      const primary = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
      const secondary = Object.values<any>(Template.fromStack(secondaryOf(app)).findResources('AWS::CloudWatch::Alarm'));
      // Every bucket's rule carries the one rule ID the alarms select.
      const ids = new Set(buckets.map(b => b.replicationRuleId));
      expect(ids.size).toBe(1);
      for (const a of [...primary, ...secondary]) expect(a.Properties.Metrics[0].Expression).toContain(`WHERE RuleId = '${[...ids][0]}'`);
      return [primary.length, secondary.length];
    };
    expect(alarms(1)).toEqual([1, 1]);
    expect(alarms(10)).toEqual([1, 1]);
  });

  test('buckets with another RPO or another topic get their own rule ID and pair of alarms; another stack never shares them', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const other = new Stack(app, 'Other', { env: ENV });
    const silver = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.REGION_OUTAGE] });
    const a = new CrossRegionReplicatedBucket(stack, 'A', { objective: gold, secondaryRegion: 'us-west-2' });
    const b = new CrossRegionReplicatedBucket(stack, 'B', { objective: silver, secondaryRegion: 'us-west-2' });
    const c = new CrossRegionReplicatedBucket(stack, 'C', { objective: gold, secondaryRegion: 'us-west-2', alarmTopic: new sns.Topic(stack, 'Ops') });
    const d = new CrossRegionReplicatedBucket(stack, 'D', { objective: gold, secondaryRegion: 'us-west-2' });
    const e = new CrossRegionReplicatedBucket(other, 'A', { objective: gold, secondaryRegion: 'us-west-2' });
    expect(d.replicationRuleId).toBe(a.replicationRuleId);
    expect(new Set([a, b, c, e].map(x => x.replicationRuleId)).size).toBe(4);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 3);
    const latency = Object.values<any>(Template.fromStack(secondaryOf(app)).findResources('AWS::CloudWatch::Alarm'));
    expect(latency.map(x => x.Properties.Threshold).sort()).toEqual([3600, 900, 900]);
  });
});

describe('replication alarm quotas', () => {
  test('past 200 Metrics Insights alarms in one account and region, synthesis warns with the quota and its source', () => {
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    // 201 RPOs: 201 groups, so 201 failed-replication alarms in us-east-1 and 201 latency alarms in us-west-2.
    for (let i = 0; i < 201; i++) {
      const objective = RecoveryObjective.of({ rpo: Period.minutes(15 + i), rto: Period.hours(4), disruptions: [Disruption.REGION_OUTAGE] });
      new CrossRegionReplicatedBucket(stack, `B${i}`, {
        objective, destination: { bucketName: `replica-${i}`, region: 'us-west-2', kmsKeyArn: 'arn:aws:kms:us-west-2:111111111111:alias/r' },
      });
    }
    const warned = (s: Stack) => s.node.findAll().flatMap(c => c.node.metadata)
      .filter(m => m.type === 'aws:cdk:warning' && String(m.data).includes('Metrics Insights alarms'));
    const primary = warned(stack);
    expect(primary).toHaveLength(1);
    expect(String(primary[0].data)).toContain(
      'drkit declares 201 CloudWatch Metrics Insights alarms (replication alarms) in account 111111111111, region us-east-1, above the default quota of 200');
    expect(String(primary[0].data)).toContain('https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html');
    expect(warned(app.node.findChild('Files-dr-us-west-2') as Stack)).toHaveLength(1);
  });
});


describe('cdk-nag', () => {
  test('AwsSolutions: the primary stack is clean when the source logs its access; the replica has no access logs (S1)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks } = require('cdk-nag');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Aspects } = require('aws-cdk-lib');
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const logs = new s3.Bucket(stack, 'Logs', {
      enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, encryption: s3.BucketEncryption.S3_MANAGED, versioned: true,
    });
    new CrossRegionReplicatedBucket(stack, 'UserFiles', { objective: gold, secondaryRegion: 'us-west-2', serverAccessLogsBucket: logs });
    Aspects.of(app).add(new AwsSolutionsChecks());
    const findings = (s: Stack) => Annotations.fromStack(s).findError('*', Match.stringLikeRegexp('AwsSolutions-'))
      .map(m => `${m.id} ${String(m.entry.data).split(':')[0]}`);
    expect(findings(stack)).toEqual([]);
    expect(findings(secondaryOf(app))).toEqual(['/Files-dr-us-west-2/UserFiles/Bucket/Resource AwsSolutions-S1']);
  });

  test('AwsSolutions: both stacks are clean when source and replica log their access', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks } = require('cdk-nag');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Aspects } = require('aws-cdk-lib');
    const app = testApp();
    const stack = new Stack(app, 'Files', { env: ENV });
    const logs = new s3.Bucket(stack, 'Logs', {
      enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, encryption: s3.BucketEncryption.S3_MANAGED, versioned: true,
    });
    new CrossRegionReplicatedBucket(stack, 'UserFiles', {
      objective: gold, secondaryRegion: 'us-west-2', serverAccessLogsBucket: logs, replicaServerAccessLogsBucketName: 'access-logs-us-west-2',
    });
    Aspects.of(app).add(new AwsSolutionsChecks());
    for (const s of [stack, secondaryOf(app)]) {
      expect(Annotations.fromStack(s).findError('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
    }
    Template.fromStack(secondaryOf(app)).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: 'access-logs-us-west-2', LogFilePrefix: 'Files/UserFiles/' },
    });
  });
});

describe('the replica is the copy', () => {
  test('drkit excludes its replica from the report and suppresses the NIST/HIPAA replication rule on it, with the reason', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { HIPAASecurityChecks, NIST80053R5Checks } = require('cdk-nag');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Aspects } = require('aws-cdk-lib');
    const { app, bucket } = setup();
    Aspects.of(app).add(new NIST80053R5Checks());
    Aspects.of(app).add(new HIPAASecurityChecks());
    const secondary = secondaryOf(app);
    const replica = Template.fromStack(secondary).findResources('AWS::S3::Bucket');
    const [meta] = Object.values(replica).map((r: any) => r.Metadata);
    expect(meta['drkit:excluded']).toBe('the cross-region replica of Files/UserFiles/Bucket (S3 replication with RTC): it is the source\'s region-outage copy, assessed with the source');
    expect(meta.cdk_nag.rules_to_suppress.map((r: any) => r.id)).toEqual(['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled']);
    for (const r of meta.cdk_nag.rules_to_suppress) expect(r.reason).toBe('The cross-region replica of Files/UserFiles/Bucket (drkit): replicating it onward would add a third region the objective does not ask for');
    const replication = Annotations.fromStack(secondary).findError('*', Match.stringLikeRegexp('.*S3BucketReplicationEnabled.*'));
    expect(replication).toEqual([]);
    // Control: the source's replication rule is what the rule looks for; a plain bucket is flagged.
    const plain = new s3.Bucket(secondary, 'Plain', { versioned: true, enforceSSL: true });
    expect(Annotations.fromStack(secondary).findError('*', Match.stringLikeRegexp('.*S3BucketReplicationEnabled.*')).map(m => m.id))
      .toEqual(expect.arrayContaining([`/${plain.node.path}/Resource`]));
    expect(bucket.replicaBucket).toBeDefined();
  });
});

describe('continuousBackup', () => {
  test('off by default: no AWS Backup for the bucket', () => {
    const { stack, bucket } = setup();
    expect(bucket.backup).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Backup::BackupPlan', 0);
    const props = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0].Properties;
    expect(props.NotificationConfiguration.EventBridgeConfiguration).toBeUndefined();
  });

  test('GIVEN continuousBackup THEN the source joins the objective\'s shared backup with a continuous rule, S3 backup and restore policies, restore tests and EventBridge on', () => {
    const { stack, bucket } = setup({ continuousBackup: true });
    expect(bucket.backup).toBeDefined();
    const t = Template.fromStack(stack);
    const bucketId = stack.getLogicalId(bucket.bucket.node.defaultChild as s3.CfnBucket);
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: Match.arrayWith([Match.objectLike({
          RuleName: 'Continuous',
          EnableContinuousBackup: true,
          // Gold keeps 35 days of point in time: the most continuous backup keeps.
          Lifecycle: { DeleteAfterDays: 35 },
        })]),
      }),
    });
    const rules = Object.values(t.findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => r.RuleName)).toEqual(['Continuous']);
    expect(rules[0].CopyActions ?? []).toEqual([]);
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }] }),
    });
    t.hasResourceProperties('AWS::IAM::Role', Match.objectLike({
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup']] }]),
    }));
    t.hasResourceProperties('AWS::Backup::RestoreTestingSelection', Match.objectLike({ ProtectedResourceType: 'S3' }));
    // Gold asks for no immutability: the vault is not locked; an objective with a lock gets it.
    t.hasResourceProperties('AWS::Backup::BackupVault', Match.objectLike({ LockConfiguration: Match.absent() }));
    const locked = RecoveryObjective.of({
      name: 'locked',
      rpo: Period.minutes(30),
      rto: Period.hours(4),
      immutability: Immutability.GOVERNANCE,
      retention: Retention.of({ pointInTime: Period.days(20), daily: 7 }),
    });
    const other = setup({ objective: locked, continuousBackup: true });
    const o = Template.fromStack(other.stack);
    o.hasResourceProperties('AWS::Backup::BackupVault', Match.objectLike({ LockConfiguration: { MinRetentionDays: 20, MaxRetentionDays: 20 } }));
    o.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: Match.objectLike({ BackupPlanRule: [Match.objectLike({ RuleName: 'Continuous', Lifecycle: { DeleteAfterDays: 20 } })] }) });
    // AWS Backup for S3 reads the bucket's EventBridge events: on, next to the replication events.
    const props = t.toJSON().Resources[bucketId].Properties;
    expect(props.NotificationConfiguration.EventBridgeConfiguration).toEqual({ EventBridgeEnabled: true });
    expect(props.NotificationConfiguration.TopicConfigurations.length).toBeGreaterThan(0);
  });

  test('an objective without data corruption is refused', () => {
    const azOnly = RecoveryObjective.of({ name: 'az', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.AZ_OUTAGE, Disruption.REGION_OUTAGE] });
    const err = errorOf(() => setup({ objective: azOnly, continuousBackup: true }));
    expect(err.code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect(err.message).toBe('[DRK020] `continuousBackup` of CrossRegionReplicatedBucket Files/UserFiles restores the bucket to a point in time, which only data corruption needs, but objective "az" does not cover Disruption.DATA_CORRUPTION: add it to the objective\'s disruptions, or remove continuousBackup');
  });
});
