import * as path from 'path';
import { stack } from './fixtures';
import { evaluateStacks } from '../../../lib/core/evaluate/evaluator';
import { RecoveryReport } from '../../../lib/core/report/report';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson();
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);
const ENV = { region: 'us-east-1', account: '111111111111' };

describe('DocumentDB and Neptune clusters', () => {
  test('DocumentDB (corpus): continuous backup within the retention period, no published lag; the cluster volume covers an AZ outage; one instance, no replica to promote', () => {
    const doc = corpus('serverless-patterns_docdb-lambda.yaml');
    const c = doc.resources.find((r: any) => r.resourceType === 'AWS::DocDB::DBCluster');
    expect(c.content).toBe('DocumentDB cluster');
    expect(row(c, 'corruption')).toMatchObject({ mechanisms: ['aws.docdb.pitr'], rpoKind: 'none', rtoKind: 'none', status: 'no-objective' });
    expect(row(c, 'corruption').basis).toMatch(/^automated backups kept 1 day\(s\): Backup retention period: A period of time between 1 and 35 days for which you can perform a point-in-time restore/);
    expect(row(c, 'az')).toMatchObject({ mechanisms: ['aws.docdb.multi-az', 'aws.docdb.pitr'], rpoSeconds: 0, rpoKind: 'documented', rtoKind: 'none' });
    expect(c.findings).toContain('BackupRetentionPeriod is absent: DocumentDB clusters keep automated backups for 1 day only');
    expect(c.findings.join('\n')).toMatch(/the cluster has no replica in another AZ: one instance \(DBInstance\), no replica to promote/);
    expect(c.runbook[0].commands[0]).toMatch(/^aws docdb restore-db-cluster-to-point-in-time --source-db-cluster-identifier /);
    expect(doc.gaps).toEqual([]);
  });

  test('Neptune (corpus): 31-day retention from the parameter default; no instance in the template, so no failover figure', () => {
    const c = corpus('cfn-templates_Neptune.yaml').resources[0];
    expect(row(c, 'corruption').mechanisms).toEqual(['aws.neptune.pitr']);
    expect(row(c, 'corruption').basis).toMatch(/^automated backups kept 31 day\(s\): Neptune backs up your cluster volume automatically/);
    expect(c.restorePoints[1]).toMatchObject({ mechanism: 'aws.neptune.pitr', retention: '31 day(s)', periodicity: 'continuous' });
    expect(row(c, 'az')).toMatchObject({ rpoSeconds: 0, rtoKind: 'none' });
  });

  test('Neptune with a replica in another AZ: failover typically under 120 seconds', () => {
    const e = evaluateStacks([stack({
      C: { Type: 'AWS::Neptune::DBCluster', DeletionPolicy: 'Retain', Properties: { BackupRetentionPeriod: 7, DeletionProtection: true, StorageEncrypted: true } },
      W: { Type: 'AWS::Neptune::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'C' }, AvailabilityZone: 'us-east-1a' } },
      R: { Type: 'AWS::Neptune::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'C' }, AvailabilityZone: 'us-east-1b' } },
    }, ENV)]);
    expect(e.resources.map(r => r.logicalId)).toEqual(['C']);
    expect(row(e.resources[0], 'az')).toMatchObject({ rpoSeconds: 0, rtoSeconds: 120, rtoKind: 'typical', mechanisms: ['aws.neptune.multi-az', 'aws.neptune.pitr'] });
    expect(e.resources[0].findings).toEqual(['UpdateReplacePolicy is absent (Delete): a change that replaces the resource deletes the old data; set it to Retain']);
    expect(e.notAssessed).toEqual([]);
  });

  test('an AWS Backup selection built from the cluster Ref adds a copy to another region; DeletionPolicy defaults to Delete (not Snapshot) for these types', () => {
    const e = evaluateStacks([stack({
      C: { Type: 'AWS::DocDB::DBCluster', Properties: { BackupRetentionPeriod: 35 } },
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'r', TargetBackupVault: 'Default', ScheduleExpression: 'cron(0 5 * * ? *)', StartWindowMinutes: 60, CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr' }] }] } } },
      Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'r', Resources: [{ 'Fn::Sub': 'arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster:${C}' }] } } },
    }, ENV)]);
    const c = e.resources[0];
    expect(row(c, 'region').mechanisms).toEqual(['aws.backup.copy.region']);
    expect(c.findings[0]).toBe('DeletionPolicy is absent (CloudFormation deletes the resource with the stack): deleting the stack or removing the resource from it deletes the data; set DeletionPolicy and UpdateReplacePolicy to Retain (CDK: removalPolicy: RemovalPolicy.RETAIN)');
  });
});
