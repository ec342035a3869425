import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { evaluateTemplates } from '../../../lib/core/template/assess';
import { resolveWith } from '../../../lib/core/template/prepare';
import { parseTemplateText } from '../../../lib/core/template/yaml';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');
const corpus = (f: string) => parseTemplateText(fs.readFileSync(path.join(CORPUS, f), 'utf8'), f);
const assess = (template: any, region = 'us-east-1') => evaluateTemplates([{ stackName: 'S', region, account: '111111111111', template }]);
const ids = (e: { resources: any[] }) => e.resources.map(r => r.logicalId);
const status = (r: any, d: string) => r.disruptions.find((x: any) => x.disruption === d).status;

describe('AWS::LanguageExtensions: Fn::ForEach', () => {
  test('the corpus template with four tables in a loop: four DynamoDB tables without PITR, each unprotected against corruption', () => {
    const e = assess(corpus('cfn-templates_fn-foreach-ddb.yaml'));
    expect(ids(e)).toEqual(['DynamoDBLeaderboard', 'DynamoDBName', 'DynamoDBPoints', 'DynamoDBScore']);
    for (const r of e.resources) {
      expect(r.resourceType).toBe('AWS::DynamoDB::Table');
      expect(status(r, 'corruption')).toBe('unprotected');
    }
    expect(e.resources.map(r => r.name)).toEqual(['Leaderboard', 'Name', 'Points', 'Score']);
    expect((e.resources[0] as any).assumptions).toEqual(['created by Fn::ForEach::Tables with TableName = "Leaderboard"']);
    expect(e.notAssessed).toEqual([]);
    expect(e.gaps.map(g => `${g.logicalId}:${g.disruption}`)).toEqual(['DynamoDBLeaderboard:corruption', 'DynamoDBName:corruption', 'DynamoDBPoints:corruption', 'DynamoDBScore:corruption']);
  });

  test('&{Identifier} drops non-alphanumeric characters in keys; ${Identifier} is replaced in keys and values; Ref Identifier is the item', () => {
    const e = assess({
      Transform: 'AWS::LanguageExtensions',
      Resources: {
        'Fn::ForEach::Buckets': ['Name', ['logs.2024', 'data-eu'], {
          'Bucket&{Name}': { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'acme-${Name}' }, Tags: [{ Key: 'name', Value: { Ref: 'Name' } }] } },
        }],
      },
    });
    expect(ids(e)).toEqual(['Bucketdataeu', 'Bucketlogs2024']);
    expect(e.resources.map(r => r.name)).toEqual(['acme-data-eu', 'acme-logs.2024']);
  });

  test('nested loops, a collection from a CommaDelimitedList default, and loops inside properties', () => {
    const e = assess({
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Envs: { Type: 'CommaDelimitedList', Default: 'dev, prod' } },
      Resources: {
        'Fn::ForEach::Envs': ['Env', { Ref: 'Envs' }, {
          'Fn::ForEach::Tables': ['Table', ['Orders', 'Users'], {
            '${Env}${Table}': {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                'TableName': { 'Fn::Sub': '${Env}-${Table}' },
                'PointInTimeRecoverySpecification': { PointInTimeRecoveryEnabled: { 'Fn::Equals': ['x', 'x'] } },
                'Fn::ForEach::Tags': ['Key', ['team'], { Tag: { Ref: 'Key' } }],
              },
            },
          }],
        }],
      },
    });
    expect(ids(e)).toEqual(['devOrders', 'devUsers', 'prodOrders', 'prodUsers']);
    expect(e.resources.map(r => r.name)).toEqual(['dev-Orders', 'dev-Users', 'prod-Orders', 'prod-Users']);
    expect((e.resources[3] as any).assumptions).toEqual(['created by Fn::ForEach::Envs with Env = "prod"', 'created by Fn::ForEach::Tables with Table = "Users"']);
  });

  test('a loop over a parameter with no default is assessed once for every item, and says so', () => {
    const e = assess({
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Names: { Type: 'CommaDelimitedList' } },
      Resources: {
        'Fn::ForEach::Tables': ['Name', { Ref: 'Names' }, {
          'Table${Name}': { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'Name' } } },
        }],
      },
    });
    expect(ids(e)).toEqual(['Table<Name>']);
    expect((e.resources[0] as any).assumptions).toEqual([
      'created by Fn::ForEach::Tables once per item of parameter Names, whose items drkit cannot list (no default value): assessed once, for every item',
    ]);
    expect(e.resources[0].name).toBe('<table name of Table<Name>>');
    expect(status(e.resources[0], 'corruption')).toBe('unprotected');
  });

  test('the corpus storage template: the EFS mount targets loop over a parameter with no default and are skipped; FSx scratch, EFS with backups, versioned buckets', () => {
    const e = assess(corpus('hpc-recipes_nist_800_223_storage.yml'));
    expect(ids(e)).toEqual(['ArchivalStorageBucket', 'CampaignStorageBucket', 'EFSFileSystem', 'FSxLFileSystem']);
    expect(e.notAssessed).toEqual([]);
    const efs = e.resources.find(r => r.logicalId === 'EFSFileSystem')!;
    expect(efs.disruptions.find(d => d.disruption === 'corruption')!.mechanisms).toEqual(['aws.efs.automatic-backup']);
    // DeletionPolicy: !Ref RetainEFS, whose default is Delete.
    expect((efs as any).assumptions).toContain('DeletionPolicy "Delete", from {"Ref":"RetainEFS"}');
    expect(efs.findings[0]).toMatch(/^DeletionPolicy is Delete/);
    expect(status(e.resources.find(r => r.logicalId === 'FSxLFileSystem'), 'corruption')).toBe('unprotected');
  });

  test('a loop without the transform, or malformed, is listed as not assessed with the reason, never a crash', () => {
    const without = assess({ Resources: { 'Fn::ForEach::T': ['N', ['a'], { 'T${N}': { Type: 'AWS::DynamoDB::Table', Properties: {} } }] } });
    expect(without.resources).toEqual([]);
    expect(without.notAssessed).toEqual([{
      stackName: 'S',
      logicalId: 'Fn::ForEach::T',
      resourceType: 'Fn::ForEach',
      reason: 'Fn::ForEach::T needs Transform: AWS::LanguageExtensions: CloudFormation rejects the template as written, so drkit does not expand it; add the transform',
    }]);
    const malformed = assess({ Transform: 'AWS::LanguageExtensions', Resources: { 'Fn::ForEach::T': ['N', ['a']] } });
    expect(malformed.notAssessed[0]).toMatchObject({ logicalId: 'Fn::ForEach::T', resourceType: 'Fn::ForEach' });
    expect(malformed.notAssessed[0].reason).toMatch(/is not a loop CloudFormation accepts/);
  });

  test('property: a loop over n distinct alphanumeric items creates n resources, each with its item', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/), { minLength: 1, maxLength: 6 }), items => {
      const e = assess({
        Transform: 'AWS::LanguageExtensions',
        Resources: { 'Fn::ForEach::T': ['N', items, { 'T${N}': { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'N' } } } }] },
      });
      expect(ids(e)).toEqual(items.map(i => `T${i}`).sort());
      expect(e.resources.map(r => r.name).sort()).toEqual([...items].sort());
    }), { numRuns: 25 });
  });
});

describe('AWS::LanguageExtensions: the other functions', () => {
  test('Fn::Length, Fn::ToJsonString and Fn::FindInMap with DefaultValue resolve', () => {
    const mappings = { Retention: { prod: { days: 35 } } };
    expect(resolveWith({ 'Fn::Length': { Ref: 'Items' } }, { Items: ['a', 'b', 'c'] })).toBe(3);
    expect(resolveWith({ 'Fn::ToJsonString': { a: [1, { Ref: 'P' }] } }, { P: 'x' })).toBe('{"a":[1,"x"]}');
    expect(resolveWith({ 'Fn::FindInMap': ['Retention', { Ref: 'Env' }, 'days', { DefaultValue: 1 }] }, { Env: 'prod' }, mappings)).toBe(35);
    expect(resolveWith({ 'Fn::FindInMap': ['Retention', { Ref: 'Env' }, 'days', { DefaultValue: 1 }] }, { Env: 'dev' }, mappings)).toBe(1);
    // Without a default, a missing key stays unresolved.
    expect(resolveWith({ 'Fn::FindInMap': ['Retention', 'dev', 'days'] }, {}, mappings)).toEqual({ 'Fn::FindInMap': ['Retention', 'dev', 'days'] });
  });

  test('PITR set with FindInMap DefaultValue and a DeletionPolicy from Fn::If are resolved before the table is assessed', () => {
    const e = assess({
      Transform: 'AWS::LanguageExtensions',
      Parameters: { Stage: { Type: 'String', Default: 'Prod', AllowedValues: ['Prod', 'Dev'] } },
      Mappings: { Pitr: { Prod: { On: true } } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'Prod'] } },
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: { 'Fn::If': ['IsProd', 'Retain', 'Delete'] },
          UpdateReplacePolicy: { 'Fn::If': ['IsProd', 'Retain', 'Delete'] },
          Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: { 'Fn::FindInMap': ['Pitr', { Ref: 'Stage' }, 'On', { DefaultValue: false }] } } },
        },
      },
    });
    const t = e.resources[0];
    expect(t.disruptions.find(d => d.disruption === 'corruption')!.mechanisms).toEqual(['aws.dynamodb.pitr']);
    expect(t.findings.filter(f => /DeletionPolicy/.test(f))).toEqual([]);
    expect((t as any).assumptions).toContain('DeletionPolicy "Retain", from {"Fn::If":["IsProd","Retain","Delete"]}');
  });
});
