import { display, parseVaultArn, render, tagsOf, wildcardMatch } from '../../../lib/core/evaluate/cfn';

describe('template reading', () => {
  test('renders Fn::Join and Fn::Sub with pseudo parameters', () => {
    expect(display(render({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:', { Ref: 'AWS::Region' }, ':x']] })))
      .toBe('arn:aws:backup:${AWS::Region}:x');
    expect(display(render({ 'Fn::Sub': 'arn:${AWS::Partition}:backup:eu-west-1:${AWS::AccountId}:backup-vault:${Name}' })))
      .toBe('arn:aws:backup:eu-west-1:${AWS::AccountId}:backup-vault:<unresolved>');
    expect(render({ 'Fn::Sub': ['a-${V}', { V: 'b' }] })).toBe('a-b');
  });

  test('parses a vault ARN against the stack location', () => {
    const sub = { 'Fn::Sub': 'arn:${AWS::Partition}:backup:us-west-2:${AWS::AccountId}:backup-vault:dr' };
    expect(parseVaultArn(sub, 'us-east-1', '111111111111')).toMatchObject({
      region: 'us-west-2', account: '111111111111', sameRegion: false, sameAccount: true, name: 'dr',
    });
    expect(parseVaultArn('arn:aws:backup:us-east-1:222222222222:backup-vault:central', 'us-east-1', '111111111111')).toMatchObject({
      region: 'us-east-1', account: '222222222222', sameRegion: true, sameAccount: false, name: 'central',
    });
    expect(parseVaultArn('arn:aws:s3:::bucket', 'us-east-1')).toBeUndefined();
  });

  test('reads tags as a list or a map', () => {
    expect(tagsOf([{ Key: 'a', Value: '1' }, { Key: 'b', Value: { Ref: 'X' } }])).toEqual({ a: '1' });
    expect(tagsOf({ a: '1' })).toEqual({ a: '1' });
  });

  test('wildcards match like AWS Backup selections', () => {
    expect(wildcardMatch('arn:aws:dynamodb:*:*:table/*', 'arn:aws:dynamodb:us-east-1:1:table/orders')).toBe(true);
    expect(wildcardMatch('arn:aws:dynamodb:*:*:table/orders', 'arn:aws:dynamodb:us-east-1:1:table/other')).toBe(false);
    expect(wildcardMatch('*', 'anything')).toBe(true);
  });
});
