import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { vaultStack } from './helpers';
import { BackupNotifications } from '../../../lib/cdk/evidence';
import { DrkitError, DrkitErrorCode } from '../../../lib/core';

describe('BackupNotifications', () => {
  test('GIVEN no topic THEN a KMS-encrypted, TLS-only topic with a rotating key, and three rules on failure states', () => {
    const { stack } = vaultStack();
    const n = new BackupNotifications(stack, 'Notify');
    const t = Template.fromStack(stack);

    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        // Each publisher may generate and decrypt data keys, for this account only.
        Statement: Match.arrayWith(['cloudwatch', 'events'].map(service => ({
          Sid: service === 'events' ? 'AllowEventBridgeRulesToPublishEncrypted' : 'AllowCloudWatchAlarmsToPublishEncrypted',
          Effect: 'Allow',
          Principal: { Service: `${service}.amazonaws.com` },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }))),
      },
    });
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifyKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:', { Ref: 'AWS::AccountId' }, ':alarm:*']] }] },
            },
          }),
          // EventBridge: only the three rules, by ARN.
          Match.objectLike({
            Sid: 'AllowEventBridgeRulesToPublish',
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': ['BackupJobFailed', 'CopyJobFailed', 'RestoreJobFailed'].map(r => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`Notify${r}`), 'Arn'] })) },
            },
          }),
        ]),
      },
    });

    t.resourceCountIs('AWS::Events::Rule', 3);
    const topicRef = { Ref: Match.stringLikeRegexp('NotifyTopic') };
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change'],
        'detail': { state: ['FAILED', 'EXPIRED', 'ABORTED'] },
      },
      Targets: [Match.objectLike({ Arn: topicRef })],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Copy Job State Change'],
        'detail': { state: ['FAILED'] },
      },
      Targets: [Match.objectLike({ Arn: topicRef })],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        'detail': { status: ['FAILED', 'ABORTED'] },
      },
      Targets: [Match.objectLike({ Arn: topicRef })],
    });
    expect(n.key).toBeDefined();
    expect(n.alarmAction).toBeDefined();
  });

  test('GIVEN a vault THEN backup and copy jobs are scoped to it; restore failures are not (their events carry no vault)', () => {
    const { stack, vault } = vaultStack();
    new BackupNotifications(stack, 'Notify', { vault });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['Backup Job State Change'],
        'detail': { state: ['FAILED', 'EXPIRED', 'ABORTED'], backupVaultName: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultName'] }] },
      }),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['Copy Job State Change'],
        'detail': { state: ['FAILED'], sourceBackupVaultArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Vault'), 'BackupVaultArn'] }] },
      }),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Restore Job State Change'], 'detail': { status: ['FAILED', 'ABORTED'] } }),
    });
  });

  test('GIVEN a key THEN the topic uses it and no key is created', () => {
    const { stack } = vaultStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    new BackupNotifications(stack, 'Notify', { masterKey: key });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyKey'), 'Arn'] } });
  });

  test('GIVEN a topic of the app THEN it gets the TLS-only statement; an imported topic gets a warning', () => {
    const { stack } = vaultStack();
    const mine = new sns.Topic(stack, 'Mine');
    new BackupNotifications(stack, 'Notify', { topic: mine });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DenyPublishWithoutTls', Effect: 'Deny' })]) },
    });

    const other = vaultStack('Other').stack;
    const imported = sns.Topic.fromTopicArn(other, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:ops');
    new BackupNotifications(other, 'Notify', { topic: imported });
    Template.fromStack(other).resourceCountIs('AWS::Events::Rule', 3);
    expect(Annotations.fromStack(other).findWarning('*', Match.stringLikeRegexp('is imported, so drkit cannot set its policy'))).toHaveLength(1);
  });

  test('refuses a key together with a topic', () => {
    const { stack } = vaultStack();
    let caught: unknown;
    try {
      new BackupNotifications(stack, 'Notify', { topic: new sns.Topic(stack, 'T'), masterKey: new kms.Key(stack, 'K') });
    } catch (e) {
      caught = e;
    }
    expect(DrkitError.isDrkitError(caught)).toBe(true);
    expect((caught as DrkitError).code).toBe(DrkitErrorCode.INVALID_PROPS);
    expect((caught as DrkitError).message).toMatch(/`masterKey` only applies to the topic drkit creates, but `topic` is given too/);
  });
});
