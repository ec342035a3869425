import * as path from 'path';
import { RecoveryReport } from '../../../lib/core/report/report';
import { evaluateTemplates } from '../../../lib/core/template/assess';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => RecoveryReport.fromPath(path.join(CORPUS, f), { region: 'us-east-1' }).toJson();
const row = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d);

describe('AWS SAM', () => {
  test('a SimpleTable is assessed as the DynamoDB table SAM deploys: no PITR, unprotected against corruption', () => {
    const doc = corpus('serverless-patterns_apigw-lambda-dynamodb.yaml');
    expect(doc.resources.map((r: any) => `${r.logicalId}:${r.resourceType}:${r.content}`)).toEqual(['DynamoDBTable:AWS::Serverless::SimpleTable:DynamoDB table']);
    const t = doc.resources[0];
    expect(row(t, 'corruption')).toMatchObject({ status: 'unprotected', mechanisms: [] });
    expect(row(t, 'az').mechanisms).toEqual(['aws.dynamodb.multi-az']);
    expect(t.assumptions).toContain('AWS::Serverless::SimpleTable: the SAM transform deploys it as an AWS::DynamoDB::Table with the same logical id, assessed as one; it sets no PointInTimeRecoverySpecification, so point-in-time recovery is off (SAM passes the property through when given)');
    expect(doc.gaps).toEqual([expect.objectContaining({ logicalId: 'DynamoDBTable', resourceType: 'AWS::Serverless::SimpleTable', disruption: 'corruption' })]);
    // Functions and APIs hold no data: not listed as not assessed.
    expect(doc.notAssessed).toEqual([]);
  });

  test('the corpus multi-tenant API: both SimpleTables are tables without PITR', () => {
    const doc = corpus('serverless-patterns_serverless-multi-tenant-api.yaml');
    expect(doc.resources.map((r: any) => r.logicalId)).toEqual(['ConfigTable', 'ItemTable']);
    expect(doc.resources.map((r: any) => row(r, 'corruption').status)).toEqual(['unprotected', 'unprotected']);
  });

  test('Globals.SimpleTable, tags and a PointInTimeRecoverySpecification pass through', () => {
    const e = evaluateTemplates([{
      stackName: 'S',
      region: 'us-east-1',
      template: {
        Transform: 'AWS::Serverless-2016-10-31',
        Globals: { SimpleTable: { SSESpecification: { SSEEnabled: true } } },
        Resources: {
          Orders: {
            Type: 'AWS::Serverless::SimpleTable',
            DeletionPolicy: 'Retain',
            Properties: {
              TableName: 'orders',
              PrimaryKey: { Name: 'pk', Type: 'String' },
              Tags: { team: 'shop' },
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            },
          },
        },
      },
    }]);
    const t = e.resources[0];
    expect(t.name).toBe('orders');
    expect(row(t, 'corruption').mechanisms).toEqual(['aws.dynamodb.pitr']);
    expect(t.restorePoints[0].encryption).toBe('KMS (AWS managed key)');
    expect((t as any).assumptions).toEqual(['AWS::Serverless::SimpleTable: the SAM transform deploys it as an AWS::DynamoDB::Table with the same logical id, assessed as one']);
    expect(t.findings.filter(f => /DeletionPolicy/.test(f))).toEqual([]);
  });

  test('a nested Serverless application hides its resources: listed as not assessed, with the reason', () => {
    const doc = corpus('serverless-patterns_lambda-layer-ssm-parameters.yml');
    expect(doc.resources).toEqual([]);
    expect(doc.notAssessed.map((n: any) => `${n.logicalId}:${n.resourceType}`)).toEqual([
      'Function:AWS::Serverless::Application', 'Layer:AWS::Serverless::Application', 'Parameters:AWS::Serverless::Application',
    ]);
    expect(doc.notAssessed[0].reason).toMatch(/^a nested application from the AWS Serverless Application Repository: its resources are not in this template/);
  });
});
