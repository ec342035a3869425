import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DrkitErrors } from '../../../lib/core/errors';
import { TargetStatus } from '../../../lib/core/evaluate/model';
import {
  normalizePulumiValue, PULUMI_UNKNOWN, pulumiDocumentKind, pulumiStackTemplates, pulumiTemplates, readPulumiDocument,
} from '../../../lib/core/evaluate/pulumi';
import { Disruption, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';
import { RecoveryReport } from '../../../lib/core/report/report';
import { StackTemplate } from '../../../lib/core/report/types';
import { previewJson, record, RecordOptions, stackExport, UNKNOWN } from '../../fixtures/pulumi/record';

/**
 * The Pulumi converter (lib/core/evaluate/pulumi.ts): real programs run under mocks, written as
 * `pulumi stack export` and `pulumi preview --json` write them, read back as CloudFormation
 * resources. Each test names the Pulumi shape and the CloudFormation shape the evaluator reads.
 */

const OPTIONS: RecordOptions = { project: 'shop', stack: 'dev', region: 'us-east-1', account: '111122223333' };

/** Runs a program and converts its stack export (or preview) into templates. */
async function templates(program: () => void, preview = false, options: RecordOptions = OPTIONS): Promise<StackTemplate[]> {
  const recorded = await record(program, { ...options, preview });
  const doc = preview ? previewJson(recorded, options) : stackExport(recorded, options);
  return pulumiStackTemplates(doc, 'stack.json');
}

/** The converted resource named `name` (a logical id), in whichever template holds it. */
function resource(stacks: StackTemplate[], name: string): any {
  for (const s of stacks) if (s.template.Resources[name]) return { ...s.template.Resources[name], stack: s };
  throw new Error(`no resource ${name}; have ${stacks.map(s => Object.keys(s.template.Resources).join(',')).join(' | ')}`);
}

function names(stacks: StackTemplate[]): string[] {
  return stacks.flatMap(s => Object.keys(s.template.Resources)).sort();
}

const table = { attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk', billingMode: 'PAY_PER_REQUEST' };

describe('detection by content', () => {
  test('a stack export, a checkpoint file and a preview are told apart; a template is none of them', () => {
    expect(pulumiDocumentKind({ version: 3, deployment: { manifest: {}, resources: [] } })).toBe('stack-export');
    expect(pulumiDocumentKind({ version: 3, checkpoint: { stack: 'dev', latest: { resources: [] } } })).toBe('checkpoint');
    expect(pulumiDocumentKind({ steps: [{ op: 'create', urn: 'u' }], changeSummary: { create: 1 } })).toBe('preview');
    expect(pulumiDocumentKind({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} })).toBeUndefined();
    expect(pulumiDocumentKind({ Resources: { steps: [] } })).toBeUndefined();
    expect(pulumiDocumentKind([])).toBeUndefined();
  });

  test('a checkpoint file (local backend) is read like the stack export it holds', async () => {
    const recorded = await record(() => new aws.dynamodb.Table('orders', table), OPTIONS);
    const exported = stackExport(recorded, OPTIONS);
    const checkpoint = { version: 3, checkpoint: { stack: 'organization/shop/dev', latest: exported.deployment } };
    expect(pulumiStackTemplates(checkpoint, 'dev.json')).toEqual(pulumiStackTemplates(exported, 'dev.json'));
  });
});

describe('bad Pulumi input: DrkitError with a stable code', () => {
  const code = (f: () => any) => {
    try {
      f();
    } catch (e) {
      return `${DrkitErrors.codeOf(e)} ${(e as Error).message}`;
    }
    return 'no error';
  };

  test('DRK110: another deployment version, resources that are not a list, a resource without urn and type', () => {
    expect(code(() => readPulumiDocument({ version: 4, deployment: { resources: [] } }, 'x.json')))
      .toMatch(/^DRK110 .*x\.json \(stack-export\) has deployment version 4, but drkit reads version 3/);
    expect(code(() => readPulumiDocument({ version: 3, deployment: { resources: {} } }, 'x.json')))
      .toMatch(/^DRK110 .*`deployment\.resources` is not a list/);
    expect(code(() => readPulumiDocument({ version: 3, deployment: { resources: [{ urn: 'u' }] } }, 'x.json')))
      .toMatch(/^DRK110 .*resource #1 has no `urn` and `type` strings/);
    expect(code(() => readPulumiDocument({ Resources: {} }, 'x.json'))).toMatch(/^DRK110 .*is not a Pulumi stack export/);
  });

  test('DRK111: a stack with no AWS resource names the packages it has and where their report is', () => {
    const doc = {
      version: 3,
      deployment: {
        resources: [
          { urn: 'urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev', type: 'pulumi:pulumi:Stack', custom: false },
          { urn: 'urn:pulumi:dev::p::gcp:storage/bucket:Bucket::b', type: 'gcp:storage/bucket:Bucket', custom: true },
        ],
      },
    };
    expect(code(() => pulumiStackTemplates(doc, 'gcp.json')))
      .toMatch(/^DRK111 .*gcp\.json holds no AWS resource \(2 resources, of packages gcp\).*`report` output/);
  });
});

describe('values', () => {
  test('unknown sentinels become PULUMI_UNKNOWN; secrets their plaintext, or unknown when encrypted', () => {
    const sig = '4dabf18193072939515e22adb298388d';
    const secret = '1b47061264138c4ac30d75fd1eb44270';
    expect(normalizePulumiValue({
      a: UNKNOWN,
      b: '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
      c: { [sig]: secret, plaintext: '{"enabled":true}' },
      d: { [sig]: secret, ciphertext: 'v1:abc' },
      e: ['x', UNKNOWN],
    })).toEqual({ a: PULUMI_UNKNOWN, b: PULUMI_UNKNOWN, c: { enabled: true }, d: PULUMI_UNKNOWN, e: ['x', PULUMI_UNKNOWN] });
  });
});

describe('DynamoDB', () => {
  test('a table: pointInTimeRecovery, deletion protection, encryption and tags become the CloudFormation table properties', async () => {
    const s = await templates(() => new aws.dynamodb.Table('orders', {
      ...table,
      name: 'orders',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 14 },
      deletionProtectionEnabled: true,
      serverSideEncryption: { enabled: true, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' },
      tags: { team: 'shop', app: 'orders' },
    }, { retainOnDelete: true }));
    expect(resource(s, 'orders')).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        TableName: 'orders',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 14 },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' },
        Tags: [{ Key: 'app', Value: 'orders' }, { Key: 'team', Value: 'shop' }],
      },
      Metadata: { 'pulumi:urn': 'urn:pulumi:dev::shop::aws:dynamodb/table:Table::orders', 'pulumi:type': 'aws:dynamodb/table:Table' },
    });
    expect(resource(s, 'orders').stack).toMatchObject({ stackName: 'shop/dev', region: 'us-east-1', account: '111122223333' });
  });

  test('a table with replicas (inline or TableReplica resources) is a global table whose PITR is read per replica', async () => {
    const s = await templates(() => {
      const t = new aws.dynamodb.Table('orders', {
        ...table,
        streamEnabled: true,
        streamViewType: 'NEW_AND_OLD_IMAGES',
        pointInTimeRecovery: { enabled: true },
        replicas: [{ regionName: 'eu-west-1' }],
      });
      new aws.dynamodb.TableReplica('orders-west', { region: 'us-west-2', globalTableArn: t.arn, pointInTimeRecovery: true });
    });
    expect(names(s)).toEqual(['orders']);
    expect(resource(s, 'orders')).toMatchObject({
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        Replicas: [
          { Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
          // A replica's pointInTimeRecovery defaults to false: PITR is not synchronized between replicas.
          { Region: 'eu-west-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } },
          { Region: 'us-west-2', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
        ],
      },
    });
  });
});

describe('S3', () => {
  test('the separate configuration resources are merged into their bucket', async () => {
    const s = await templates(() => {
      const replica = new aws.s3.Bucket('replica', { region: 'us-west-2', bucket: 'shop-replica' });
      const b = new aws.s3.Bucket('assets', { bucket: 'shop-assets', objectLockEnabled: true, tags: { team: 'shop' } });
      new aws.s3.BucketVersioning('assets-v', { bucket: b.id, versioningConfiguration: { status: 'Enabled' } });
      new aws.s3.BucketLifecycleConfiguration('assets-l', {
        bucket: b.id,
        rules: [{ id: 'old', status: 'Enabled', filter: { prefix: 'tmp/' }, noncurrentVersionExpiration: { noncurrentDays: 30 }, transitions: [{ days: 30, storageClass: 'STANDARD_IA' }] }],
      });
      new aws.s3.BucketObjectLockConfiguration('assets-lock', { bucket: b.id, rule: { defaultRetention: { mode: 'GOVERNANCE', days: 7 } } });
      new aws.s3.BucketServerSideEncryptionConfiguration('assets-sse', { bucket: b.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'k' } }] });
      new aws.s3.BucketReplicationConfig('assets-r', {
        bucket: b.id,
        role: 'arn:aws:iam::111122223333:role/r',
        rules: [{
          id: 'all',
          status: 'Enabled',
          filter: {},
          deleteMarkerReplication: { status: 'Enabled' },
          destination: { bucket: replica.arn, replicationTime: { status: 'Enabled', time: { minutes: 15 } }, metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } } },
        }],
      });
    });
    expect(names(s)).toEqual(['assets', 'replica']);
    expect(resource(s, 'assets').Properties).toEqual({
      BucketName: 'shop-assets',
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [{
          Id: 'old',
          Status: 'Enabled',
          Prefix: 'tmp/',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          NoncurrentVersionTransitions: [],
        }],
      },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' } }] },
      ReplicationConfiguration: {
        Role: 'arn:aws:iam::111122223333:role/r',
        Rules: [{
          // `filter: {}` (the whole bucket) has nothing to carry over.
          Id: 'all',
          Status: 'Enabled',
          DeleteMarkerReplication: { Status: 'Enabled' },
          // The replica is in another region's template: named by its ARN, as S3 names it.
          Destination: { Bucket: 'arn:aws:s3:::shop-replica', ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } },
        }],
      },
      Tags: [{ Key: 'team', Value: 'shop' }],
    });
    // The destination is a replica: assessed with its source, and compliant with stateful-resource-protected.
    expect(resource(s, 'replica').Metadata['drkit:replica-of']).toBe('urn:pulumi:dev::shop::aws:s3/bucket:Bucket::assets');
    expect(resource(s, 'replica').stack.stackName).toBe('shop/dev (us-west-2)');
  });

  test('the deprecated BucketV2 forms (versionings, objectLockConfiguration rules, V2 resources) and inline Bucket arguments', async () => {
    // The provider's deprecation warnings for the V2 resources are expected here: recorded and asserted, not printed.
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const s = await templates(() => {
      const v2 = new aws.s3.BucketV2('logs', { bucket: 'shop-logs', versionings: [{ enabled: true }] });
      new aws.s3.BucketLifecycleConfigurationV2('logs-l', { bucket: v2.id, rules: [{ id: 'nc', status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 90 } }] });
      const archive = new aws.s3.BucketV2('archive', { bucket: 'shop-archive', objectLockEnabled: true });
      new aws.s3.BucketVersioningV2('archive-v', { bucket: archive.id, versioningConfiguration: { status: 'Enabled' } });
      new aws.s3.BucketObjectLockConfigurationV2('archive-lock', { bucket: archive.id, rule: { defaultRetention: { mode: 'COMPLIANCE', years: 1 } } });
      new aws.s3.Bucket('inline', {
        bucket: 'shop-inline',
        versioning: { enabled: true },
        lifecycleRules: [{ enabled: true, noncurrentVersionExpiration: { days: 60 } }],
        replicationConfiguration: {
          role: 'arn:aws:iam::111122223333:role/r',
          rules: [{ id: 'r', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::elsewhere', replicationTime: { status: 'Enabled', minutes: 15 }, metrics: { status: 'Enabled', minutes: 15 } } }],
        },
      });
    });
    expect(resource(s, 'logs').Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [{ Id: 'nc', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }] },
    });
    expect(resource(s, 'archive').Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } },
    });
    expect(resource(s, 'inline').Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 60 } }] },
      ReplicationConfiguration: {
        Rules: [{ Id: 'r', Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::elsewhere', ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled' } } }],
      },
    });
    const warnings = warn.mock.calls.map(c => String(c[0]));
    warn.mockRestore();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every(w => / is deprecated: /.test(w))).toBe(true);
  });
});

describe('RDS', () => {
  test('automated backup replication merges into its instance; a read replica names its source; skipFinalSnapshot decides the deletion policy', async () => {
    const s = await templates(() => {
      const db = new aws.rds.Instance('billing', {
        identifier: 'billing', engine: 'postgres', instanceClass: 'db.t4g.micro', backupRetentionPeriod: 7, multiAz: true, storageEncrypted: true,
      });
      new aws.rds.InstanceAutomatedBackupsReplication('billing-repl', { region: 'us-west-2', sourceDbInstanceArn: db.arn, retentionPeriod: 14 });
      new aws.rds.Instance('billing-replica', { region: 'us-west-2', replicateSourceDb: db.arn, instanceClass: 'db.t4g.micro', skipFinalSnapshot: true });
      new aws.rds.Instance('reports', { identifier: 'reports', replicateSourceDb: db.identifier, instanceClass: 'db.t4g.micro', skipFinalSnapshot: true });
    });
    expect(resource(s, 'billing')).toMatchObject({
      DeletionPolicy: 'Snapshot',
      Properties: {
        DBInstanceIdentifier: 'billing',
        BackupRetentionPeriod: 7,
        MultiAZ: true,
        StorageEncrypted: true,
        AutomaticBackupReplicationRegion: 'us-west-2',
        AutomaticBackupReplicationRetentionPeriod: 14,
      },
    });
    expect(resource(s, 'billing-replica')).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: { SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:111122223333:db:billing' },
    });
    expect(resource(s, 'reports').Properties.SourceDBInstanceIdentifier).toEqual({ Ref: 'billing' });
  });

  test('a global database: the primary joined by globalClusterIdentifier becomes the global cluster\'s source; the secondary names the global id', async () => {
    const s = await templates(() => {
      const west = new aws.Provider('west', { region: 'us-west-2' });
      const g = new aws.rds.GlobalCluster('ledger', { globalClusterIdentifier: 'ledger-global', engine: 'aurora-postgresql' });
      const primary = new aws.rds.Cluster('primary', {
        clusterIdentifier: 'ledger', engine: 'aurora-postgresql', globalClusterIdentifier: g.id, masterUsername: 'app', manageMasterUserPassword: true,
      });
      new aws.rds.ClusterInstance('primary-1', { clusterIdentifier: primary.id, engine: 'aurora-postgresql', instanceClass: 'db.r6g.large', availabilityZone: 'us-east-1a' });
      new aws.rds.Cluster('secondary', { engine: 'aurora-postgresql', globalClusterIdentifier: g.id }, { provider: west });
    }, true);
    expect(resource(s, 'ledger')).toMatchObject({ Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'ledger-global', SourceDBClusterIdentifier: { Ref: 'primary' } } });
    expect(resource(s, 'primary').Properties).toMatchObject({ GlobalClusterIdentifier: 'ledger-global', MasterUsername: 'app' });
    expect(resource(s, 'primary-1').Properties).toMatchObject({ DBClusterIdentifier: { Ref: 'primary' }, AvailabilityZone: 'us-east-1a' });
    expect(resource(s, 'secondary')).toMatchObject({ Properties: { GlobalClusterIdentifier: 'ledger-global' }, stack: { region: 'us-west-2', stackName: 'shop/dev (us-west-2)' } });
    // The secondary is a copy: no objective is recorded on it.
    expect(resource(s, 'secondary').Metadata['drkit:objective']).toBeUndefined();
  });
});

describe('AWS Backup', () => {
  const program = () => {
    const west = new aws.Provider('west', { region: 'us-west-2' });
    const t = new aws.dynamodb.Table('sessions', { ...table, tags: { env: 'prod' } });
    const key = new aws.kms.Key('backup', {});
    const vault = new aws.backup.Vault('main', { kmsKeyArn: key.arn });
    new aws.backup.VaultLockConfiguration('main-lock', { backupVaultName: vault.name, changeableForDays: 3, minRetentionDays: 7 });
    const copy = new aws.backup.Vault('copy', {}, { provider: west });
    const plan = new aws.backup.Plan('daily', {
      rules: [{
        ruleName: 'daily',
        targetVaultName: vault.name,
        schedule: 'cron(0 5 * * ? *)',
        startWindow: 60,
        lifecycle: { deleteAfter: 35, coldStorageAfter: 0 },
        copyActions: [{ destinationVaultArn: copy.arn, lifecycle: { deleteAfter: 35 } }],
      }],
    });
    new aws.backup.Selection('sel', {
      planId: plan.id,
      iamRoleArn: 'arn:aws:iam::111122223333:role/b',
      resources: [t.arn],
      selectionTags: [{ type: 'STRINGEQUALS', key: 'backup', value: 'daily' }],
      conditions: [{ stringEquals: [{ key: 'aws:ResourceTag/env', value: 'prod' }] }],
    });
  };

  test('vault with its lock, plan with its copy, selection of the table (stack export: by values in the state)', async () => {
    const s = await templates(program);
    expect(resource(s, 'main').Properties).toEqual({
      BackupVaultName: expect.stringMatching(/^main-[0-9a-f]{7}$/),
      EncryptionKeyArn: { 'Fn::GetAtt': ['backup', 'Arn'] },
      LockConfiguration: { MinRetentionDays: 7, ChangeableForDays: 3 },
    });
    const rule = resource(s, 'daily').Properties.BackupPlan.BackupPlanRule[0];
    expect(rule).toEqual({
      RuleName: 'daily',
      TargetBackupVault: { Ref: 'main' },
      ScheduleExpression: 'cron(0 5 * * ? *)',
      StartWindowMinutes: 60,
      Lifecycle: { DeleteAfterDays: 35 },
      CopyActions: [{ DestinationBackupVaultArn: expect.stringMatching(/^arn:aws:backup:us-west-2:111122223333:backup-vault:copy-[0-9a-f]{7}$/), Lifecycle: { DeleteAfterDays: 35 } }],
    });
    expect(resource(s, 'sel').Properties).toEqual({
      BackupPlanId: { Ref: 'daily' },
      BackupSelection: {
        SelectionName: expect.stringMatching(/^sel-/),
        IamRoleArn: 'arn:aws:iam::111122223333:role/b',
        Resources: [{ 'Fn::GetAtt': ['sessions', 'Arn'] }],
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
        Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }] },
      },
    });
  });

  test('preview: unknown ids and ARNs are resolved through propertyDependencies; an unknown account stays the stack\'s', async () => {
    const s = await templates(program, true);
    expect(resource(s, 'sel').Properties.BackupPlanId).toEqual({ Ref: 'daily' });
    expect(resource(s, 'sel').Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': ['sessions', 'Arn'] }]);
    expect(resource(s, 'main').Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': ['backup', 'Arn'] });
    expect(resource(s, 'daily').Properties.BackupPlan.BackupPlanRule[0].CopyActions[0].DestinationBackupVaultArn)
      .toEqual({ 'Fn::Sub': expect.stringMatching(/^arn:\$\{AWS::Partition\}:backup:us-west-2:\$\{AWS::AccountId\}:backup-vault:copy-[0-9a-f]{7}$/) });
    // And the evaluator reads them as the stack export's: the table is backed up, copied to us-west-2.
    const report = RecoveryReport.fromTemplates(s);
    const sessions = report.resources.find(r => r.logicalId === 'sessions')!;
    expect(sessions.disruptions.find(d => d.disruption === Disruption.REGION_OUTAGE)!.mechanisms).toEqual(['aws.backup.copy.region']);
  });

  test('framework and restore testing', async () => {
    const s = await templates(() => {
      const vault = new aws.backup.Vault('main', {});
      new aws.backup.Framework('dr', { controls: [{ name: 'BACKUP_RECOVERY_POINT_ENCRYPTED', scope: { complianceResourceTypes: ['DynamoDB'] } }] });
      const plan = new aws.backup.RestoreTestingPlan('weekly', {
        name: 'weekly',
        scheduleExpression: 'cron(0 6 ? * SUN *)',
        recoveryPointSelection: { algorithm: 'LATEST_WITHIN_WINDOW', includeVaults: [vault.arn], recoveryPointTypes: ['SNAPSHOT'] },
      });
      new aws.backup.RestoreTestingSelection('tables', {
        name: 'tables', restoreTestingPlanName: plan.name, protectedResourceType: 'DynamoDB', iamRoleArn: 'r', protectedResourceArns: ['*'], validationWindowHours: 2,
      });
    });
    expect(resource(s, 'dr').Properties.FrameworkControls).toEqual([
      { ControlName: 'BACKUP_RECOVERY_POINT_ENCRYPTED', ControlInputParameters: [], ControlScope: { ComplianceResourceTypes: ['DynamoDB'] } },
    ]);
    expect(resource(s, 'weekly').Properties).toMatchObject({
      RestoreTestingPlanName: 'weekly',
      RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: [{ 'Fn::GetAtt': ['main', 'BackupVaultArn'] }] },
    });
    expect(resource(s, 'tables').Properties).toMatchObject({
      RestoreTestingPlanName: { Ref: 'weekly' }, ProtectedResourceType: 'DynamoDB', ProtectedResourceArns: ['*'], ValidationWindowHours: 2,
    });
  });
});

describe('regions, accounts and names', () => {
  test('region: the resource\'s own `region`, else its provider\'s, else the default provider\'s (the stack\'s aws:region)', async () => {
    const s = await templates(() => {
      const eu = new aws.Provider('eu', { region: 'eu-west-1' });
      new aws.dynamodb.Table('a', table);
      new aws.dynamodb.Table('b', { ...table, region: 'us-west-2' });
      new aws.dynamodb.Table('c', table, { provider: eu });
    });
    expect(s.map(x => [x.stackName, x.region, Object.keys(x.template.Resources)])).toEqual([
      ['shop/dev', 'us-east-1', ['a']],
      ['shop/dev (eu-west-1)', 'eu-west-1', ['c']],
      ['shop/dev (us-west-2)', 'us-west-2', ['b']],
    ]);
  });

  test('the --region option places resources whose region nothing records', () => {
    const doc = {
      version: 3,
      deployment: { resources: [{ urn: 'urn:pulumi:dev::p::aws:dynamodb/table:Table::t', type: 'aws:dynamodb/table:Table', custom: true, inputs: { name: 't' } }] },
    };
    expect(pulumiStackTemplates(doc, 'x.json')[0].region).toBeUndefined();
    expect(pulumiStackTemplates(doc, 'x.json', { region: 'ap-south-1' })[0].region).toBe('ap-south-1');
  });

  test('two resources of one name: the one holding data keeps it; configuration and stateless types are left out; unknown data types are passed on', async () => {
    const s = await templates(() => {
      const t = new aws.dynamodb.Table('orders', table);
      new aws.backup.Selection('orders', { planId: 'p', iamRoleArn: 'r', resources: [t.arn] });
      new aws.iam.Role('orders', { assumeRolePolicy: '{}' });
      new aws.sqs.Queue('jobs', {});
    });
    expect(names(s)).toEqual(['jobs', 'orders', 'orders (Selection)']);
    expect(resource(s, 'jobs').Type).toBe('aws:sqs/queue:Queue');
    const report = RecoveryReport.fromTemplates(s);
    expect(report.notAssessed.map(n => [n.logicalId, n.resourceType])).toEqual([['jobs', 'aws:sqs/queue:Queue']]);
  });
});

describe('state written by Terraform-based providers', () => {
  test('unset properties recorded as empty strings, zeros and empty lists read as unset', async () => {
    const recorded = await record(() => {
      new aws.rds.Instance('billing', { identifier: 'billing', engine: 'postgres', instanceClass: 'db.t4g.micro', backupRetentionPeriod: 7 });
      new aws.dynamodb.Table('orders', table);
    }, OPTIONS);
    const doc = stackExport(recorded, OPTIONS);
    // What @pulumi/aws records in outputs for the properties the program did not set.
    for (const r of doc.deployment.resources) {
      if (r.type === 'aws:rds/instance:Instance') Object.assign(r.outputs, { replicateSourceDb: '', snapshotIdentifier: '', kmsKeyId: '', availabilityZone: 'us-east-1a', multiAz: false });
      if (r.type === 'aws:dynamodb/table:Table') Object.assign(r.outputs, { replicas: [], pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 0 }, serverSideEncryption: { enabled: false, kmsKeyArn: '' } });
    }
    const s = pulumiStackTemplates(doc, 'x');
    expect(resource(s, 'billing').Properties).toEqual({
      DBInstanceIdentifier: 'billing', Engine: 'postgres', BackupRetentionPeriod: 7, MultiAZ: false, AvailabilityZone: 'us-east-1a',
    });
    expect(resource(s, 'orders')).toMatchObject({ Type: 'AWS::DynamoDB::Table', Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } } });
    const report = RecoveryReport.fromTemplates(s);
    // Not a read replica: assessed, with its automated backups.
    expect(report.resources.find(r => r.logicalId === 'billing')!.disruptions[0].mechanisms).toEqual(['aws.rds.pitr']);
  });
});

describe('exclusion', () => {
  test('the drkit:excluded tag leaves a resource out on purpose, with its reason: listed as excluded, no objective recorded, no gap', async () => {
    const recorded = await record(() => {
      new aws.dynamodb.Table('scratch', { ...table, tags: { 'drkit:excluded': 'rebuilt from orders every night' } });
    }, OPTIONS);
    const objective = RecoveryObjective.of({ rpo: Period.hours(1), rto: Period.hours(4) });
    const s = pulumiTemplates(readPulumiDocument(stackExport(recorded, OPTIONS), 'x'), { objective: objective.toJson() });
    expect(resource(s, 'scratch').Metadata).toMatchObject({ 'drkit:excluded': 'rebuilt from orders every night' });
    expect(resource(s, 'scratch').Metadata['drkit:objective']).toBeUndefined();
    const report = RecoveryReport.fromTemplates(s, { objective });
    expect(report.excluded).toEqual([{ stackName: 'shop/dev', logicalId: 'scratch', resourceType: 'AWS::DynamoDB::Table', reason: 'rebuilt from orders every night' }]);
    expect(report.gaps).toEqual([]);
  });
});

describe('drkit components and objectives', () => {
  const objective = RecoveryObjective.of({ name: 'gold', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION] });

  class Component extends pulumi.ComponentResource {
    constructor(name: string, withObjective: boolean) {
      super('drkit:aws:DynamoContinuousBackup', name, {}, {});
      new aws.dynamodb.Table(`${name}-table`, table, { parent: this });
      this.registerOutputs(withObjective ? { objective: objective.toJson() } : {});
    }
  }

  test('a resource of a drkit component carries drkit:construct, and the objective the component records in its `objective` output', async () => {
    const s = await templates(() => {
      new Component('with', true);
      new Component('without', false);
    });
    expect(resource(s, 'with-table').Metadata).toMatchObject({ 'drkit:construct': 'DynamoContinuousBackup', 'drkit:objective': JSON.parse(JSON.stringify(objective.toJson())) });
    expect(resource(s, 'without-table').Metadata['drkit:construct']).toBe('DynamoContinuousBackup');
    expect(resource(s, 'without-table').Metadata['drkit:objective']).toBeUndefined();
    const report = RecoveryReport.fromTemplates(s);
    expect(report.resources.find(r => r.logicalId === 'with-table')!.objectiveSource).toBe('metadata');
    // No PITR: the objective is not met, and the gap says so.
    expect(report.resources.find(r => r.logicalId === 'with-table')!.disruptions[0].status).toBe(TargetStatus.UNPROTECTED);
  });

  test('an objective given to the conversion is recorded on every stateful resource but replicas', async () => {
    const recorded = await record(() => {
      const replica = new aws.s3.Bucket('replica', { region: 'us-west-2' });
      const b = new aws.s3.Bucket('b', {});
      new aws.s3.BucketReplicationConfig('b', { bucket: b.id, role: 'r', rules: [{ status: 'Enabled', destination: { bucket: replica.arn } }] });
      new aws.dynamodb.Table('t', table);
    }, OPTIONS);
    const s = pulumiTemplates(readPulumiDocument(stackExport(recorded, OPTIONS), 'x'), { objective: objective.toJson() });
    expect(resource(s, 'b').Metadata['drkit:objective']).toEqual(objective.toJson());
    expect(resource(s, 't').Metadata['drkit:objective']).toEqual(objective.toJson());
    expect(resource(s, 'replica').Metadata['drkit:objective']).toBeUndefined();
  });
});
