import * as fs from 'fs';
import * as path from 'path';
import { RecoveryReport } from '../../../lib/core/report/report';
import { evaluateTemplates } from '../../../lib/core/template/assess';
import { evaluateConditionWith } from '../../../lib/core/template/prepare';
import { validate } from '../report/json-schema';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'report-schema.json'), 'utf8'));
const corpus = (f: string, region?: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region }).toJson();
const assess = (template: any, region: string | undefined = 'us-east-1') => evaluateTemplates([{ stackName: 'S', region, account: '111111111111', template }]);
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);

describe('conditions: three-valued, from parameter defaults and pseudo parameters', () => {
  const defs = { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, InUs: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } };
  test.each([
    [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { Env: 'prod' }, {}, true],
    [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { Env: 'dev' }, {}, false],
    [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, {}, {}, undefined],
    [{ 'Fn::Not': [{ Condition: 'IsProd' }] }, { Env: 'dev' }, {}, true],
    [{ 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'InUs' }] }, { Env: 'dev' }, {}, false],
    [{ 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'InUs' }] }, { Env: 'prod' }, {}, undefined],
    [{ 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'InUs' }] }, { Env: 'prod' }, { 'AWS::Region': 'us-east-1' }, true],
    [{ 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'InUs' }] }, { Env: 'prod' }, {}, true],
    [{ 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'InUs' }] }, { Env: 'dev' }, { 'AWS::Region': 'eu-west-1' }, false],
    [{ 'Fn::Equals': [{ 'Fn::FindInMap': ['M', 'a', 'b'] }, { 'Fn::FindInMap': ['M', 'a', 'b'] }] }, {}, {}, true],
  ])('%j with %j %j is %s', (expr, params, pseudo, expected) => {
    expect(evaluateConditionWith(expr, defs, params, pseudo as any)).toBe(expected);
  });
});

describe('resources under Condition and values under Fn::If', () => {
  const template = (envDefault?: string) => ({
    Parameters: { Env: { Type: 'String', AllowedValues: ['prod', 'dev'], ...(envDefault ? { Default: envDefault } : {}) } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Resources: {
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: { 'Fn::If': ['IsProd', true, false] } } },
      },
      Audit: { Type: 'AWS::DynamoDB::Table', Condition: 'IsProd', Properties: {} },
    },
  });

  test('with a default, the defaults decide: the condition, the Fn::If branch, and the resources the false condition leaves out', () => {
    const doc = RecoveryReport.fromTemplates([{ stackName: 'S', region: 'us-east-1', template: template('dev') }]).toJson();
    expect(doc.resources.map((r: any) => r.logicalId)).toEqual(['Orders']);
    expect(row(doc.resources[0], 'corruption').status).toBe('unprotected');
    expect(doc.resources[0].assumptions).toEqual(['Fn::If: condition IsProd is false with Env = "dev" (default)']);
    expect(doc.stacks[0].conditions).toEqual([{ name: 'IsProd', value: 'false', because: 'with Env = "dev" (default)' }]);
    expect(doc.stacks[0].omitted).toEqual([{ logicalId: 'Audit', resourceType: 'AWS::DynamoDB::Table', reason: 'not created: condition IsProd is false with Env = "dev" (default)' }]);
    expect(doc.stacks[0].parameters).toEqual([{ name: 'Env', treatment: 'default', value: 'dev' }]);
    expect(validate(SCHEMA, doc)).toEqual([]);
  });

  test('without a default, each branch is assessed; the least protected is shown, and protection in only one branch is a finding', () => {
    const doc = RecoveryReport.fromTemplates([{ stackName: 'S', region: 'us-east-1', template: template() }]).toJson();
    expect(doc.resources.map((r: any) => r.logicalId)).toEqual(['Audit', 'Orders']);
    const orders = doc.resources.find((r: any) => r.logicalId === 'Orders');
    expect(row(orders, 'corruption').status).toBe('unprotected');
    expect(orders.assumptions).toEqual([
      'Fn::If: condition IsProd is false in this branch (Env = "dev"); Env has no default, so each branch was assessed',
      'Env has no default, and it changes how this resource is protected: each branch was assessed and this report shows the least protected one (Env = "dev")',
      'with Env = "prod": data corruption / accidental deletion: aws.dynamodb.pitr; AZ outage: aws.dynamodb.multi-az; region outage: nothing; account compromise: nothing',
    ]);
    expect(orders.findings).toContain('protected against data corruption / accidental deletion only in some branches: with Env = "prod" by aws.dynamodb.pitr, but with Env = "dev" nothing protects it; make the protection unconditional');
    // Audit exists only in the prod branch: it is assessed there, and says so.
    const audit = doc.resources.find((r: any) => r.logicalId === 'Audit');
    expect(audit.assumptions).toEqual(['created because condition IsProd is true in this branch (Env = "prod"); Env has no default, so each branch was assessed']);
    expect(doc.stacks[0].conditions).toEqual([{ name: 'IsProd', value: 'each branch', because: 'Env has no default: each value was assessed' }]);
    expect(doc.stacks[0].omitted).toBeUndefined();
    expect(doc.gaps.map((g: any) => `${g.logicalId}:${g.disruption}`)).toEqual(['Audit:corruption', 'Orders:corruption']);
    expect(validate(SCHEMA, doc)).toEqual([]);
  });

  test('a backup selection that exists in one branch only: the table is protected in that branch alone, a finding', () => {
    const e = assess({
      Parameters: { Backups: { Type: 'String', AllowedValues: ['on', 'off'] } },
      Conditions: { WithBackups: { 'Fn::Equals': [{ Ref: 'Backups' }, 'on'] } },
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
        Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v' } },
        Plan: { Type: 'AWS::Backup::BackupPlan', Condition: 'WithBackups', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: { Ref: 'Vault' }, ScheduleExpression: 'cron(0 5 * * ? *)', StartWindowMinutes: 60 }] } } },
        Sel: { Type: 'AWS::Backup::BackupSelection', Condition: 'WithBackups', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: { SelectionName: 's', IamRoleArn: 'r', Resources: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] } } },
      },
    });
    const table = e.resources[0];
    expect(row(table, 'corruption').mechanisms).toEqual([]);
    expect(table.findings).toContain('protected against data corruption / accidental deletion only in some branches: with Backups = "on" by aws.backup.scheduled, but with Backups = "off" nothing protects it; make the protection unconditional');
    expect(e.backup.plans.map(p => p.logicalId)).toEqual(['Plan']);
  });

  test('the corpus template whose bucket exists only when a parameter with no default is empty: the bucket is assessed in that branch', () => {
    const doc = corpus('serverless-patterns_cfn-custom-resource-s3-create.yml', 'us-east-1');
    expect(doc.resources.map((r: any) => r.logicalId)).toEqual(['NewS3Bucket']);
    expect(doc.resources[0].assumptions[0]).toBe('created because condition CreateS3Bucket is true in this branch (ExistingS3Bucket = ""); ExistingS3Bucket has no default, so each branch was assessed');
    expect(doc.stacks[0].parameters).toEqual([{ name: 'ExistingS3Bucket', treatment: 'each-value', values: ['', 'a value other than ""'] }]);
    expect(row(doc.resources[0], 'corruption').status).toBe('unprotected');
  });

  test('a condition on the region: decided when the region is known, each branch when it is not', () => {
    const known = corpus('cfn-templates_RDS_MySQL_With_Read_Replica.yaml', 'us-east-1');
    expect(known.stacks[0].conditions).toEqual([
      { name: 'EnableReadReplica', value: 'true', because: 'with EnableReadReplica = "true" (default)' },
      { name: 'IsEC2VPC', value: 'false', because: 'with AWS::Region = "us-east-1"' },
    ]);
    const unknown = corpus('cfn-templates_RDS_MySQL_With_Read_Replica.yaml');
    expect(unknown.stacks[0].conditions.find((c: any) => c.name === 'IsEC2VPC')).toEqual({
      name: 'IsEC2VPC', value: 'each branch', because: 'the stack\'s region is not known (give it with drkit report --region): each value was assessed',
    });
    expect(row(unknown.resources[0], 'corruption').mechanisms).toEqual(['aws.rds.pitr']);
  });

  test('a parameter default decides protection: the corpus logging bucket whose versioning defaults to Suspended is unprotected', () => {
    const doc = corpus('cfn-templates_CloudFrontCustomOriginLambdaEdge.yaml', 'us-east-1');
    const bucket = doc.resources.find((r: any) => r.logicalId === 'LoggingBucket');
    expect(row(bucket, 'corruption').status).toBe('unprotected');
    expect(bucket.assumptions.join('\n')).toContain('LoggingBucketVersioning = "Suspended"');
  });
});
