import { ACCOUNT, installMocks, recordPulumiLogs, Registration, RTO_UNVERIFIED, settle, valueOf, warningsMatching } from './harness';
import {
  Disruption, DrkitError, DrkitErrorCode, Facts, Immutability, Period, RecoveryObjective, RecoveryTier, S3Planner,
} from '../../../lib/core';

// Pulumi modules under test load after the mocks are installed.
let rec = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const { CrossRegionReplicatedBucket } = require('../../../lib/pulumi/aws') as typeof import('../../../lib/pulumi/aws');
/* eslint-enable @typescript-eslint/no-require-imports */

const gold = RecoveryObjective.fromTier(RecoveryTier.GOLD);

function childrenOf(component: Registration): Registration[] {
  return rec.registrations.filter(r => r.parent === component.urn);
}

// A fresh program run per test: what buckets share (role, topic, keys) starts empty.
beforeEach(() => {
  rec = installMocks();
});

/** drkit's warnings on purpose in this file: the RTO advisory of every bucket, and the two the tests below are about. */
const GOVERNANCE = /^drkit: bucket \S+: Object Lock in governance mode can be bypassed by a principal with s3:BypassGovernanceRetention/;
const NO_RTC = /^drkit: bucket \S+: Replication Time Control is off, so the RPO against region outage has no documented bound/;
const LATENCY_ELSEWHERE = /^drkit: the replication latency of \S+ is alarmed in \S+, where S3 publishes ReplicationLatency/;
const logs = recordPulumiLogs([RTO_UNVERIFIED, GOVERNANCE, NO_RTC, LATENCY_ELSEWHERE]);
afterEach(() => settle());

describe('CrossRegionReplicatedBucket (Pulumi)', () => {
  test('GIVEN gold WHEN rendered THEN source and replica in their regions, retained, replicated with RTC by the region\'s shared role, keys and topic', async () => {
    const c = new CrossRegionReplicatedBucket('files', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    // Versions restore object by object, with no published restore time: the RTO is left to restore testing.
    expect(warningsMatching(logs.warn(), RTO_UNVERIFIED)).toEqual([expect.stringMatching(/^drkit: the rto 4 hours against data corruption \/ accidental deletion of bucket files cannot be shown to be met: S3 versioning/)]);
    const component = rec.named('files');
    expect(component.type).toBe('drkit:aws:CrossRegionReplicatedBucket');
    expect(childrenOf(component).map(r => `${r.type} ${r.name}`).sort()).toEqual([
      'aws:iam/rolePolicy:RolePolicy files-replication-keys',
      'aws:s3/bucket:Bucket files-bucket',
      'aws:s3/bucket:Bucket files-replica-bucket',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration files-lifecycle',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration files-replica-lifecycle',
      'aws:s3/bucketNotification:BucketNotification files-events',
      'aws:s3/bucketPolicy:BucketPolicy files-replica-tls-only',
      'aws:s3/bucketPolicy:BucketPolicy files-tls-only',
      'aws:s3/bucketReplicationConfig:BucketReplicationConfig files-replication',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration files-encryption',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration files-replica-encryption',
      'aws:s3/bucketVersioning:BucketVersioning files-replica-versioning',
      'aws:s3/bucketVersioning:BucketVersioning files-versioning',
    ]);
    // Shared by every bucket of the objective in the region, with no parent.
    const ROLE = 'drkit-s3-replication-us-east-1';
    const KEY = 'drkit-bucket-key-rpo-15m-rto-4h-us-east-1';
    const REPLICA_KEY = 'drkit-replica-key-rpo-15m-rto-4h-us-east-1-to-us-west-2';
    const TOPIC = 'drkit-alarms-us-east-1';
    for (const n of [ROLE, KEY, REPLICA_KEY, TOPIC, `${TOPIC}-key`, `${TOPIC}-policy`]) expect(rec.named(n).parent).toBe('');
    expect(rec.registrations.filter(r => r.retainOnDelete).map(r => r.name).sort())
      .toEqual([KEY, REPLICA_KEY, 'files-bucket', 'files-replica-bucket'].sort());
    expect(rec.named('files-bucket').inputs.region).toBe('us-east-1');
    expect(rec.named('files-replica-bucket').inputs.region).toBe('us-west-2');
    expect(rec.named(REPLICA_KEY).inputs).toMatchObject({ region: 'us-west-2', enableKeyRotation: true });
    expect(rec.named('files-versioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(rec.named('files-encryption').inputs.rules).toEqual([{
      applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}-id` }, bucketKeyEnabled: true,
    }]);

    // Each bucket's policy grants the role what replication needs on that bucket (and denies
    // requests without TLS) ...
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${ROLE}-phys`;
    expect(rec.ofType('aws:iam/rolePolicy:RolePolicy').map(r => r.name)).toEqual(['files-replication-keys']);
    const sourceArn = 'arn:aws:s3:::files-bucket-phys';
    expect(JSON.parse(rec.named('files-tls-only').inputs.policy).Statement).toEqual([
      { Sid: 'DenyWithoutTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [sourceArn, `${sourceArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'DrkitReplication0', Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: sourceArn },
      {
        Sid: 'DrkitReplication1',
        Effect: 'Allow',
        Principal: { AWS: roleArn },
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
        Resource: `${sourceArn}/*`,
      },
    ]);
    const replicaArn = 'arn:aws:s3:::files-replica-bucket-phys';
    expect(JSON.parse(rec.named('files-replica-tls-only').inputs.policy).Statement[1])
      .toEqual({ Sid: 'DrkitReplication0', Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: `${replicaArn}/*` });
    // ... the shared keys leave their use to IAM (the account administers them) ...
    for (const k of [KEY, REPLICA_KEY]) {
      expect(JSON.parse(rec.named(k).inputs.policy).Statement).toEqual([
        { Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      ]);
    }
    // ... and the bucket pair's role policy lets the role decrypt the source key and encrypt with
    // the replica key, each through S3 in its region and for its bucket only (issue 11, point 5).
    expect(rec.named('files-replication-keys').inputs.role).toBe(`${ROLE}-id`);
    expect(JSON.parse(rec.named('files-replication-keys').inputs.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}-id`,
          Condition: {
            StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::files-bucket-phys', 'arn:aws:s3:::files-bucket-phys/*'] },
          },
        },
        {
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${REPLICA_KEY}-id`,
          Condition: {
            StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::files-replica-bucket-phys', 'arn:aws:s3:::files-replica-bucket-phys/*'] },
          },
        },
      ],
    });
    expect(rec.named('files-replication').dependsOn).toContain(rec.named('files-replication-keys').urn);
    // The replication waits for the bucket policies that grant the role.
    expect(rec.named('files-replication').dependsOn).toEqual(expect.arrayContaining([rec.named('files-tls-only').urn, rec.named('files-replica-tls-only').urn]));
    expect(rec.named('files-replication').inputs.role).toBe(roleArn);

    // The same plan as the CDK construct, from the same core.
    expect(c.plan).toEqual(S3Planner.bucket(gold, { resourceName: 'files', region: 'us-east-1', replicaRegion: 'us-west-2' }));
    const rule = rec.named('files-replication').inputs.rules[0];
    // The rule ID the program's shared latency alarm selects (hash of project/stack, regions, RPO, topic).
    expect(c.replicationRuleId).toMatch(/^drkit-replicate-[0-9a-f]{10}$/);
    expect(rule).toMatchObject({
      id: c.replicationRuleId,
      status: 'Enabled',
      priority: 0,
      filter: { prefix: '' },
      deleteMarkerReplication: { status: 'Disabled' },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' }, replicaModifications: { status: 'Enabled' } },
      destination: {
        replicationTime: { status: 'Enabled', time: { minutes: 15 } },
        metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
        encryptionConfiguration: { replicaKmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${REPLICA_KEY}-id` },
      },
    });
    expect(rec.named('files-replication').inputs.region).toBe('us-east-1');

    // Events go to the region's shared topic, after its policy lets CloudWatch and S3 of this account publish.
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC}-phys`;
    // The latency alarm is shared (no parent) and lives in the replica's region, where S3
    // publishes ReplicationLatency, notifying that region's shared topic.
    const LATENCY = 'drkit-replication-latency-us-east-1-to-us-west-2-900s';
    expect(rec.named(LATENCY).parent).toBe('');
    expect(rec.named(LATENCY).inputs).toMatchObject({
      region: 'us-west-2',
      metricQueries: [{
        id: 'q',
        expression: `SELECT MAX(ReplicationLatency) FROM SCHEMA("AWS/S3", DestinationBucket, RuleId, SourceBucket) WHERE RuleId = '${c.replicationRuleId}' GROUP BY SourceBucket, DestinationBucket ORDER BY MAX() DESC`,
        period: 60,
        returnData: true,
      }],
      threshold: 900,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'ignore',
      alarmActions: [`arn:aws:sns:us-west-2:${ACCOUNT}:drkit-alarms-us-west-2-phys`],
    });
    expect(rec.named(LATENCY).dependsOn).toEqual(expect.arrayContaining([rec.named('drkit-alarms-us-west-2-policy').urn]));
    expect(rec.named('files-events').inputs.topics).toEqual([{ topicArn, events: ['s3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold'] }]);
    expect(rec.named('files-events').dependsOn).toEqual(expect.arrayContaining([rec.named(`${TOPIC}-policy`).urn]));
    expect(JSON.parse(rec.named(`${TOPIC}-policy`).inputs.policy).Statement.slice(1)).toEqual([{
      Sid: 'AllowPublishers',
      Effect: 'Allow',
      Principal: { Service: ['s3.amazonaws.com'] },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }, {
      // CloudWatch: only the alarms of this account in the topic's region.
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:*` } },
    }]);
    expect(JSON.parse(rec.named(`${TOPIC}-key`).inputs.policy).Statement[1]).toMatchObject({
      Principal: { Service: ['cloudwatch.amazonaws.com', 's3.amazonaws.com'] }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    expect(rec.named(TOPIC).inputs.kmsMasterKeyId).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${TOPIC}-key-id`);
    // Same lifecycle rules on the replica as the CDK construct derives.
    expect(rec.named('files-replica-lifecycle').inputs.rules[0].transitions).toEqual([
      { days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER_IR' },
    ]);
    expect(rec.named('files-lifecycle').inputs.rules.map((r: any) => r.id)).toEqual(['drkit-cleanup']);
    // The report: one line per disruption from the plan.
    expect((await valueOf(c.report)).map(r => r.disruption)).toEqual(c.plan.achieved.map(a => a.disruption));
  });

  test('GIVEN one more bucket WHEN rendered THEN it adds 14 registrations: the component, the 13 resources of the plain @pulumi/aws equivalent (bench/pulumi-child.ts) less the public access blocks plus lifecycles and events, and the role policy for the keys; no alarm', async () => {
    new CrossRegionReplicatedBucket('b0', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    const before = rec.registrations.length;
    new CrossRegionReplicatedBucket('b1', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    await settle();
    const added = rec.registrations.slice(before);
    expect(added).toHaveLength(14);
    const byType: { [t: string]: number } = {};
    for (const r of added) byType[r.type] = (byType[r.type] ?? 0) + 1;
    // The plain program: 2 keys, 2 buckets, 2 x (versioning, encryption, public access block, policy), 1 replication.
    // drkit shares the keys per objective and region and leaves public access and ACLs to S3's
    // defaults for new buckets; it adds the lifecycles, the replication events and the RPO alarm.
    expect(byType).toEqual({
      'drkit:aws:CrossRegionReplicatedBucket': 1,
      'aws:s3/bucket:Bucket': 2,
      'aws:s3/bucketVersioning:BucketVersioning': 2,
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 2,
      'aws:s3/bucketPolicy:BucketPolicy': 2,
      'aws:s3/bucketReplicationConfig:BucketReplicationConfig': 1,
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 2,
      'aws:s3/bucketNotification:BucketNotification': 1,
      // The keys are shared, so their use per bucket pair is granted here (encryption context).
      'aws:iam/rolePolicy:RolePolicy': 1,
    });
  });

  test('GIVEN blockPublicAccess WHEN rendered THEN both buckets declare the four blocks, so pulumi up restores them', async () => {
    new CrossRegionReplicatedBucket('strict', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', blockPublicAccess: true });
    await settle();
    for (const [name, region] of [['strict-public-access', 'us-east-1'], ['strict-replica-public-access', 'us-west-2']]) {
      expect(rec.named(name).inputs).toEqual({
        bucket: `${name.replace('-public-access', '-bucket')}-id`, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      });
    }
  });

  test('an RPO below 15 minutes against region outage throws DRK010 and registers nothing', () => {
    const objective = RecoveryObjective.of({ rpo: Period.minutes(5), rto: Period.hours(1) });
    let err: unknown;
    try {
      new CrossRegionReplicatedBucket('fast', { objective, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    } catch (e) {
      err = e;
    }
    expect(DrkitError.isDrkitError(err)).toBe(true);
    expect((err as DrkitError).code).toBe(DrkitErrorCode.RPO_UNACHIEVABLE);
    expect((err as DrkitError).message).toContain('cannot be met for bucket fast');
    expect(rec.registrations).toEqual([]);
  });

  test('a destination key in another account given by alias throws DRK131 and registers nothing (S3 resolves an alias in the requester\'s account)', () => {
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    let err: unknown;
    try {
      new CrossRegionReplicatedBucket('ledger', {
        objective,
        region: 'us-east-1',
        account: ACCOUNT,
        destination: { bucketName: 'ledger-replica', region: 'eu-west-1', account: '222222222222', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:alias/replicas' },
      });
    } catch (e) {
      err = e;
    }
    expect(DrkitError.isDrkitError(err)).toBe(true);
    expect((err as DrkitError).code).toBe(DrkitErrorCode.KEY_ARN_REQUIRED);
    expect((err as DrkitError).message).toContain('`destination.kmsKeyArn` of CrossRegionReplicatedBucket ledger is the alias "arn:aws:kms:eu-west-1:222222222222:alias/replicas", but the destination is in account 222222222222');
    expect(rec.registrations).toEqual([]);
  });

  test('GIVEN a destination in another account and object lock THEN owner override and lock, no replica created', async () => {
    const objective = RecoveryObjective.of({
      rpo: Period.minutes(15),
      rto: Period.hours(4),
      disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE, Disruption.ACCOUNT_COMPROMISE],
    });
    new CrossRegionReplicatedBucket('vault', {
      objective,
      region: 'us-east-1',
      account: '111111111111',
      objectLockMode: Immutability.GOVERNANCE,
      objectLockRetention: Period.days(10),
      destination: { bucketName: 'dest', region: 'eu-west-1', account: '222222222222', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/0b1e5b3e-8f6a-4c1e-9d2b-3a4f5e6d7c8b' },
    });
    await settle();
    expect(rec.registrations.filter(r => r.name.includes('replica-'))).toEqual([]);
    expect(rec.named('vault-replication').inputs.rules[0].destination).toMatchObject({
      bucket: 'arn:aws:s3:::dest',
      account: '222222222222',
      accessControlTranslation: { owner: 'Destination' },
      encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/0b1e5b3e-8f6a-4c1e-9d2b-3a4f5e6d7c8b' },
    });
    expect(rec.named('vault-object-lock').inputs.rule).toEqual({ defaultRetention: { mode: 'GOVERNANCE', days: 10 } });
    expect(rec.named('vault-bucket').inputs.objectLockEnabled).toBe(true);
    // Governance mode against account compromise is warned about, once.
    expect(warningsMatching(logs.warn(), GOVERNANCE)).toHaveLength(1);
    const policy = JSON.parse(rec.named('vault-replication-policy').inputs.policy);
    expect(policy.Statement[2].Action).toContain('s3:ObjectOwnerOverrideToBucketOwner');
  });

  test('a given topic is used; RTC off means no alarms and a warning that there is no documented bound', async () => {
    new CrossRegionReplicatedBucket('a', {
      objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', replicationTimeControl: false, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    });
    await settle();
    expect(rec.ofType('aws:cloudwatch/metricAlarm:MetricAlarm')).toEqual([]);
    expect(rec.ofType('aws:sns/topic:Topic')).toEqual([]);
    expect(rec.named('a-events').inputs.topics).toEqual([{ topicArn: 'arn:aws:sns:us-east-1:123456789012:ops', events: ['s3:Replication:OperationFailedReplication'] }]);
    expect(rec.named('a-replication').inputs.rules[0].destination.replicationTime).toBeUndefined();
    expect(warningsMatching(logs.warn(), NO_RTC)).toEqual([expect.stringMatching(/^drkit: bucket a: Replication Time Control is off/)]);
  });

  test('a given topic receives the events; the latency alarm goes to the replica region\'s shared topic, with a warning', async () => {
    const c = new CrossRegionReplicatedBucket('given', {
      objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    });
    await settle();
    expect(rec.named('given-events').inputs.topics[0].topicArn).toBe('arn:aws:sns:us-east-1:123456789012:ops');
    expect(rec.ofType('aws:sns/topic:Topic').map(r => r.name)).toEqual(['drkit-alarms-us-west-2']);
    expect(await valueOf(c.latencyAlarmTopicArn!)).toBe(`arn:aws:sns:us-west-2:${ACCOUNT}:drkit-alarms-us-west-2-phys`);
    expect(warningsMatching(logs.warn(), LATENCY_ELSEWHERE)).toEqual([expect.stringContaining('is alarmed in us-west-2, where S3 publishes ReplicationLatency')]);
  });

  test('GIVEN 13 buckets in one region WHEN rendered THEN six share a replication role, and no role holds more inline policy than IAM\'s 10,240 characters', async () => {
    const buckets = Array.from({ length: 13 }, (_, i) =>
      new CrossRegionReplicatedBucket(`files-with-a-longish-name-${i}`, { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' }));
    await settle();
    const ROLE = 'drkit-s3-replication-us-east-1';
    expect(rec.ofType('aws:iam/role:Role').map(r => r.name).sort()).toEqual([ROLE, `${ROLE}-2`, `${ROLE}-3`]);
    expect(buckets.map(b => b.replicationRole)).toEqual([
      ...Array(6).fill(buckets[0].replicationRole), ...Array(6).fill(buckets[6].replicationRole), buckets[12].replicationRole,
    ]);
    expect(new Set(buckets.map(b => b.replicationRole)).size).toBe(3);
    // Each role's inline policies, as IAM counts them (the JSON without whitespace).
    const perRole = new Map<string, number>();
    for (const p of rec.ofType('aws:iam/rolePolicy:RolePolicy')) {
      const chars = JSON.stringify(JSON.parse(p.inputs.policy)).length;
      perRole.set(p.inputs.role, (perRole.get(p.inputs.role) ?? 0) + chars);
    }
    expect([...perRole.keys()].sort()).toEqual([`${ROLE}-2-id`, `${ROLE}-3-id`, `${ROLE}-id`]);
    expect(Math.max(...perRole.values())).toBeLessThanOrEqual(Facts.IAM_ROLE_INLINE_POLICY_CHARS);
    // Each bucket's policies grant the role that replicates it.
    const sixth = rec.named('files-with-a-longish-name-6-tls-only');
    expect(JSON.stringify(JSON.parse(sixth.inputs.policy))).toContain(`role/${ROLE}-2-phys`);
  });

  test('GIVEN buckets in two regions WHEN rendered THEN one replication role and one topic per region; a role of your own gets an IAM policy', async () => {
    const a = new CrossRegionReplicatedBucket('one', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    const b = new CrossRegionReplicatedBucket('two', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2' });
    const c = new CrossRegionReplicatedBucket('three', { objective: gold, region: 'eu-west-1', secondaryRegion: 'eu-central-1' });
    await settle();
    expect(a.replicationRole).toBe(b.replicationRole);
    expect(c.replicationRole).not.toBe(a.replicationRole);
    expect(rec.ofType('aws:iam/role:Role').map(r => r.name).sort()).toEqual(['drkit-s3-replication-eu-west-1', 'drkit-s3-replication-us-east-1']);
    // One topic per source region (events) and per replica region (the latency alarms).
    expect(rec.ofType('aws:sns/topic:Topic').map(r => r.name).sort()).toEqual(['drkit-alarms-eu-central-1', 'drkit-alarms-eu-west-1', 'drkit-alarms-us-east-1', 'drkit-alarms-us-west-2']);
    // One latency alarm per source region, replica region and RPO: a and b share theirs and their rule ID.
    expect(a.latencyAlarm).toBe(b.latencyAlarm);
    expect(a.replicationRuleId).toBe(b.replicationRuleId);
    expect(c.replicationRuleId).not.toBe(a.replicationRuleId);
    expect(rec.ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map(r => r.name).sort())
      .toEqual(['drkit-replication-latency-eu-west-1-to-eu-central-1-900s', 'drkit-replication-latency-us-east-1-to-us-west-2-900s']);
    expect(a.key).toBe(b.key);
    // Bucket and replica keys per region pair, and one alarm topic key per region (four regions).
    expect(rec.ofType('aws:kms/key:Key')).toHaveLength(8);

    const mine = new CrossRegionReplicatedBucket('mine', { objective: gold, region: 'us-east-1', secondaryRegion: 'us-west-2', replicationRole: a.replicationRole });
    await settle();
    expect(mine.replicationRole).toBe(a.replicationRole);
    const policy = JSON.parse(rec.named('mine-replication-policy').inputs.policy);
    expect(policy.Statement.map((s: any) => s.Resource)).toEqual([
      'arn:aws:s3:::mine-bucket-phys', 'arn:aws:s3:::mine-bucket-phys/*', 'arn:aws:s3:::mine-replica-bucket-phys/*',
      `arn:aws:kms:us-east-1:${ACCOUNT}:key/drkit-bucket-key-rpo-15m-rto-4h-us-east-1-id`, `arn:aws:kms:us-west-2:${ACCOUNT}:key/drkit-replica-key-rpo-15m-rto-4h-us-east-1-to-us-west-2-id`,
    ]);
    expect(policy.Statement[3].Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::mine-bucket-phys', 'arn:aws:s3:::mine-bucket-phys/*'] },
    });
    // With its own role, the bucket policies grant no role.
    expect(JSON.parse(rec.named('mine-tls-only').inputs.policy).Statement).toHaveLength(1);
  });
});
