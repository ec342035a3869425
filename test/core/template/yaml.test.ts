import * as fs from 'fs';
import * as path from 'path';
import { DrkitErrorCode, DrkitErrors } from '../../../lib/core/errors';
import { parseTemplateText } from '../../../lib/core/template/yaml';

const CORPUS = path.join(__dirname, '..', '..', 'corpus', 'templates');

function code(f: () => any): { code?: string; message: string } {
  try {
    f();
  } catch (e: any) {
    return { code: DrkitErrors.codeOf(e), message: e.message };
  }
  throw new Error('expected an error');
}

describe('YAML templates with CloudFormation short-form tags', () => {
  test('every short-form tag becomes its long form', () => {
    const t = parseTemplateText([
      'AWSTemplateFormatVersion: 2010-09-09',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  Both: !And [!Condition IsProd, !Not [!Equals [!Ref AWS::Region, us-east-1]]]',
      '  Either: !Or [!Condition IsProd, !Condition Both]',
      'Resources:',
      '  T:',
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      TableName: !Sub "${Env}-orders"',
      '      Other: !Sub ["${A}-x", {A: !Ref Env}]',
      '      Arn: !GetAtt Key.Arn',
      '      Nested: !GetAtt Db.Endpoint.Address',
      '      Listed: !GetAtt [Key, Arn]',
      '      Chosen: !If [IsProd, !Join ["-", [a, b]], !Select [0, !Split [",", "x,y"]]]',
      '      Mapped: !FindInMap [M, !Ref AWS::Region, k, {DefaultValue: d}]',
      '      Encoded: !Base64 text',
      '      Cidrs: !Cidr [10.0.0.0/16, 2, 8]',
      '      Imported: !ImportValue other-stack-export',
      '      Zones: !GetAZs',
      '      Len: !Length [a, b]',
      '      Json: !ToJsonString {a: 1}',
      '      Included: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}',
    ].join('\n'), 't.yaml');
    expect(t.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(t.Conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'Both' }] },
    });
    expect(t.Resources.T.Properties).toEqual({
      TableName: { 'Fn::Sub': '${Env}-orders' },
      Other: { 'Fn::Sub': ['${A}-x', { A: { Ref: 'Env' } }] },
      Arn: { 'Fn::GetAtt': ['Key', 'Arn'] },
      Nested: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      Listed: { 'Fn::GetAtt': ['Key', 'Arn'] },
      Chosen: { 'Fn::If': ['IsProd', { 'Fn::Join': ['-', ['a', 'b']] }, { 'Fn::Select': [0, { 'Fn::Split': [',', 'x,y'] }] }] },
      Mapped: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'k', { DefaultValue: 'd' }] },
      Encoded: { 'Fn::Base64': 'text' },
      Cidrs: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      Imported: { 'Fn::ImportValue': 'other-stack-export' },
      Zones: { 'Fn::GetAZs': '' },
      Len: { 'Fn::Length': ['a', 'b'] },
      Json: { 'Fn::ToJsonString': { a: 1 } },
      Included: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    });
  });

  test('JSON text is read as JSON, whatever the extension', () => {
    expect(parseTemplateText('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'x.template')).toEqual({ Resources: { B: { Type: 'AWS::S3::Bucket' } } });
  });

  test('a syntax error is DRK041 with the file, line and column', () => {
    const e = code(() => parseTemplateText('Resources:\n  A:\n    Type: [unclosed\n', 'broken.yaml'));
    expect(e.code).toBe(DrkitErrorCode.TEMPLATE_SYNTAX);
    expect(e.message).toMatch(/^\[DRK041\] broken\.yaml is neither valid JSON nor valid YAML at line \d+, column \d+: .*; give a CloudFormation template in JSON or YAML/);
  });

  test('a tag CloudFormation does not know (a Rain template) is DRK041 naming the tag and the pre-processor', () => {
    const e = code(() => parseTemplateText('Resources:\n  F:\n    Properties:\n      Code: !Rain::Embed code.js\n', 'rain.yaml'));
    expect(e.code).toBe(DrkitErrorCode.TEMPLATE_SYNTAX);
    expect(e.message).toContain('!Rain::Embed is not a CloudFormation tag (a template for a pre-processor such as Rain, or a macro?)');
  });

  test('every YAML template of the corpus parses, with short-form tags turned into long forms', () => {
    const files = fs.readdirSync(CORPUS).filter(f => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = fs.readFileSync(path.join(CORPUS, f), 'utf8');
      const t = parseTemplateText(text, f);
      expect([f, typeof t.Resources]).toEqual([f, 'object']);
      const json = JSON.stringify(t);
      expect([f, /"!(Ref|GetAtt|Sub|If)\b/.test(json)]).toEqual([f, false]);
    }
  });
});
