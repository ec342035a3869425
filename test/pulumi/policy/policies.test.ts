/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import * as aws from '@pulumi/aws';
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { resourceArgs, stackArgs, Violations } from './harness';
import * as statefulRule from '../../../lib/cdk/rules/stateful-resource-protected';
import { DrkitErrors } from '../../../lib/core/errors';
import { Disruption, Immutability, RecoveryObjective } from '../../../lib/core/objective';
import { Period } from '../../../lib/core/period';
import { DRKIT_POLICY_NAMES, drkitPolicies, DrkitPolicyOptions } from '../../../lib/pulumi/policy';
import { previewJson, record, RecordOptions, stackExport } from '../../fixtures/pulumi/record';

/**
 * drkit's CrossGuard policies (drkit/pulumi/policy), each called compliant and non-compliant with
 * arguments shaped as the Pulumi engine passes them (test/pulumi/policy/harness.ts), built from
 * real programs run under mocks.
 */

const OPTIONS: RecordOptions = { project: 'shop', stack: 'dev', region: 'us-east-1', account: '111122223333' };
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'pulumi');
const table = { attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk', billingMode: 'PAY_PER_REQUEST' };
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;

async function exported(program: () => void, preview = false): Promise<any> {
  const recorded = await record(program, { ...OPTIONS, preview });
  return preview ? previewJson(recorded, OPTIONS) : stackExport(recorded, OPTIONS);
}

function find(policies: Policies, name: string): any {
  const p = policies.find(x => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p;
}

/** Runs a stack policy on a document; returns its violations. */
async function stackViolations(name: string, doc: any, options: DrkitPolicyOptions = {}): Promise<Array<[string, string | undefined]>> {
  const v = new Violations();
  await (find(drkitPolicies(options), name) as StackValidationPolicy).validateStack(stackArgs(doc), v.report);
  return v.list;
}

/** Runs a resource policy on one resource of a document; returns its violations. */
async function resourceViolations(name: string, doc: any, resource: string, options: DrkitPolicyOptions = {}):
Promise<Array<[string, string | undefined]>> {
  const v = new Violations();
  const policy = find(drkitPolicies(options), name) as ResourceValidationPolicy;
  await (policy.validateResource as any)(resourceArgs(doc, resource), v.report);
  return v.list;
}

const fixture = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'));

describe('the policies', () => {
  test('are the CDK rules of DrkitRulesPlugin (but the CloudFormation quota check), mandatory unless told otherwise', () => {
    const { DrkitRulesPlugin } = require('../../../lib/cdk/rules/plugin');
    expect(DRKIT_POLICY_NAMES).toEqual(DrkitRulesPlugin.RULE_NAMES.filter((n: string) => n !== 'stack-limits'));
    const policies = drkitPolicies();
    expect(policies.map(p => [p.name, p.enforcementLevel, 'validateResource' in p ? 'resource' : 'stack'])).toEqual([
      ['stateful-resource-protected', 'mandatory', 'stack'],
      ['global-table-replica-pitr', 'mandatory', 'resource'],
      ['vault-lock-for-immutability', 'mandatory', 'stack'],
      ['replication-time-control', 'mandatory', 'stack'],
      ['report-gaps', 'mandatory', 'stack'],
    ]);
    expect(drkitPolicies({ enforcementLevel: 'advisory', disabledPolicies: ['report-gaps'] }).map(p => [p.name, p.enforcementLevel]))
      .toEqual([['stateful-resource-protected', 'advisory'], ['global-table-replica-pitr', 'advisory'], ['vault-lock-for-immutability', 'advisory'], ['replication-time-control', 'advisory']]);
  });

  test('DRK112: options drkit cannot use', () => {
    const codeOf = (o: any) => {
      try {
        drkitPolicies(o);
      } catch (e) {
        return `${DrkitErrors.codeOf(e)} ${(e as Error).message}`;
      }
      return 'ok';
    };
    expect(codeOf({ disabledPolicies: ['report-gap'] })).toBe(
      'DRK112 [DRK112] drkit policies: `disabledPolicies` names "report-gap", which drkit does not have: its policies are stateful-resource-protected, global-table-replica-pitr, vault-lock-for-immutability, replication-time-control, report-gaps');
    expect(codeOf({ objective: { rpo: '15m' } })).toMatch(/^DRK112 .*`objective` must be a RecoveryObjective/);
    expect(codeOf({ enforcementLevel: 'remediate' })).toMatch(/^DRK112 .*`enforcementLevel` "remediate" is not one of advisory, mandatory, disabled/);
  });
});

describe('stateful-resource-protected (stack policy)', () => {
  test('Noncompliance 1: a table with neither PITR nor a backup selection (stack export and preview)', async () => {
    for (const f of ['table-no-pitr.stack.json', 'table-no-pitr.preview.json']) {
      expect(await stackViolations('stateful-resource-protected', fixture(f))).toEqual([[
        'DynamoDB table orders has neither point-in-time recovery nor an AWS Backup selection (shop/dev/orders, read as AWS::DynamoDB::Table)',
        urn('aws:dynamodb/table:Table', 'orders'),
      ]]);
    }
  });

  test('Noncompliance 2: a versioned bucket with neither replication nor a backup selection', async () => {
    const violations = await stackViolations('stateful-resource-protected', fixture('plain-protected.stack.json'));
    expect(violations).toEqual([[expect.stringMatching(/^S3 bucket archive has no enabled replication rule and no AWS Backup selection/), 'urn:pulumi:prod::shop::aws:s3/bucketV2:BucketV2::archive']]);
  });

  test('Compliance: PITR; replication (a separate BucketReplicationConfig) and its replica; a backup selection; a resource tagged drkit:excluded', async () => {
    const program = () => {
      new aws.dynamodb.Table('pitr', { ...table, pointInTimeRecovery: { enabled: true } });
      const selected = new aws.dynamodb.Table('selected', table);
      const vault = new aws.backup.Vault('v', {});
      const plan = new aws.backup.Plan('p', { rules: [{ ruleName: 'daily', targetVaultName: vault.name, schedule: 'cron(0 5 * * ? *)' }] });
      new aws.backup.Selection('s', { planId: plan.id, iamRoleArn: 'arn:aws:iam::111122223333:role/b', resources: [selected.arn] });
      const replica = new aws.s3.Bucket('replica', { region: 'us-west-2' });
      const b = new aws.s3.Bucket('b', {});
      new aws.s3.BucketReplicationConfig('b', { bucket: b.id, role: 'r', rules: [{ status: 'Enabled', destination: { bucket: replica.arn } }] });
      new aws.dynamodb.Table('scratch', { ...table, tags: { 'drkit:excluded': 'scratch data, rebuilt from the orders table' } });
    };
    expect(await stackViolations('stateful-resource-protected', await exported(program))).toEqual([]);
    expect(await stackViolations('stateful-resource-protected', await exported(program, true))).toEqual([]);
  });

  test('a rule that throws is reported as a violation naming the rule, not a crash', async () => {
    const spy = jest.spyOn(statefulRule, 'statefulResourceProtected').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      expect(await stackViolations('stateful-resource-protected', fixture('table-no-pitr.stack.json'))).toEqual([[
        'drkit rule stateful-resource-protected threw on shop/dev/orders: boom; report this as a drkit bug with the resource, and disable the policy meanwhile (disabledPolicies)',
        urn('aws:dynamodb/table:Table', 'orders'),
      ]]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('global-table-replica-pitr (resource policy)', () => {
  const program = () => {
    const t = new aws.dynamodb.Table('orders', {
      ...table, pointInTimeRecovery: { enabled: true }, replicas: [{ regionName: 'eu-west-1' }, { regionName: 'us-west-2', pointInTimeRecovery: true }],
    });
    new aws.dynamodb.TableReplica('orders-ap', { region: 'ap-south-1', globalTableArn: t.arn });
    new aws.dynamodb.TableReplica('orders-ca', { region: 'ca-central-1', globalTableArn: t.arn, pointInTimeRecovery: true });
    new aws.dynamodb.Table('good', { ...table, pointInTimeRecovery: { enabled: true }, replicas: [{ regionName: 'eu-west-1', pointInTimeRecovery: true }] });
    new aws.dynamodb.Table('single', table);
  };

  test.each([false, true])('Noncompliance: a replica without PITR, in the table\'s replicas or as a TableReplica (preview: %s)', async preview => {
    const doc = await exported(program, preview);
    expect(await resourceViolations('global-table-replica-pitr', doc, 'orders'))
      .toEqual([['global table orders has replicas without point-in-time recovery: eu-west-1 (shop/dev/orders, read as AWS::DynamoDB::GlobalTable)', undefined]]);
    expect(await resourceViolations('global-table-replica-pitr', doc, 'orders-ap'))
      .toEqual([['global table orders-ap has replicas without point-in-time recovery: ap-south-1 (shop/dev/orders-ap, read as AWS::DynamoDB::GlobalTable)', undefined]]);
  });

  test.each([false, true])('Compliance: PITR on every replica; a table with no replica is not a global table (preview: %s)', async preview => {
    const doc = await exported(program, preview);
    for (const r of ['good', 'orders-ca', 'single']) expect(await resourceViolations('global-table-replica-pitr', doc, r)).toEqual([]);
  });
});

describe('vault-lock-for-immutability (stack policy)', () => {
  const objective = RecoveryObjective.of({ name: 'locked', rpo: Period.hours(25), rto: Period.days(1), disruptions: [Disruption.DATA_CORRUPTION], immutability: Immutability.COMPLIANCE });
  const program = (lock: 'none' | 'governance' | 'compliance') => () => {
    const t = new aws.dynamodb.Table('sessions', table);
    const vault = new aws.backup.Vault('main', {});
    if (lock !== 'none') {
      new aws.backup.VaultLockConfiguration('main', { backupVaultName: vault.name, minRetentionDays: 7, ...(lock === 'compliance' ? { changeableForDays: 3 } : {}) });
    }
    const plan = new aws.backup.Plan('daily', { rules: [{ ruleName: 'daily', targetVaultName: vault.name, schedule: 'cron(0 5 * * ? *)', lifecycle: { deleteAfter: 35 } }] });
    new aws.backup.Selection('sessions', { planId: plan.id, iamRoleArn: 'arn:aws:iam::111122223333:role/b', resources: [t.arn] });
  };

  test('Noncompliance 1: the vault has no lock', async () => {
    expect(await stackViolations('vault-lock-for-immutability', await exported(program('none')), { objective })).toEqual([[
      'objective "locked" of sessions asks for compliance immutability: vault main has no LockConfiguration (shop/dev/sessions, read as AWS::DynamoDB::Table)',
      urn('aws:dynamodb/table:Table', 'sessions'),
    ]]);
  });

  test('Noncompliance 2: the lock is in governance mode (preview)', async () => {
    expect(await stackViolations('vault-lock-for-immutability', await exported(program('governance'), true), { objective })).toEqual([[
      expect.stringContaining('vault main is locked in governance mode (no ChangeableForDays), but the objective asks for compliance mode'),
      urn('aws:dynamodb/table:Table', 'sessions'),
    ]]);
  });

  test('Compliance: a compliance-mode lock; and no objective, nothing to check', async () => {
    expect(await stackViolations('vault-lock-for-immutability', await exported(program('compliance')), { objective })).toEqual([]);
    expect(await stackViolations('vault-lock-for-immutability', await exported(program('none')))).toEqual([]);
  });
});

describe('replication-time-control (stack policy)', () => {
  const objective = RecoveryObjective.of({ name: 'regional', rpo: Period.minutes(30), rto: Period.hours(4), disruptions: [Disruption.REGION_OUTAGE] });
  const program = (rtc: boolean) => () => {
    const replica = new aws.s3.Bucket('replica', { region: 'us-west-2' });
    const b = new aws.s3.Bucket('assets', {});
    new aws.s3.BucketVersioning('assets', { bucket: b.id, versioningConfiguration: { status: 'Enabled' } });
    new aws.s3.BucketReplicationConfig('assets', {
      bucket: b.id,
      role: 'r',
      rules: [{
        id: 'all',
        status: 'Enabled',
        filter: {},
        destination: rtc
          ? { bucket: replica.arn, replicationTime: { status: 'Enabled', time: { minutes: 15 } }, metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } } }
          : { bucket: replica.arn },
      }],
    });
  };

  test.each([false, true])('Noncompliance: replication without RTC against a 30-minute region-outage RPO (preview: %s)', async preview => {
    expect(await stackViolations('replication-time-control', await exported(program(false), preview), { objective })).toEqual([[
      expect.stringMatching(/^bucket assets must meet a region-outage RPO of 30m, but replication rule\(s\) all lack Replication Time Control or metrics/),
      urn('aws:s3/bucket:Bucket', 'assets'),
    ]]);
  });

  test('Compliance: RTC and metrics on the rule', async () => {
    expect(await stackViolations('replication-time-control', await exported(program(true)), { objective })).toEqual([]);
  });
});

describe('report-gaps (stack policy): the objective evaluated on the whole stack', () => {
  const objective = RecoveryObjective.of({ name: 'gold', rpo: Period.hours(1), rto: Period.hours(4), disruptions: [Disruption.DATA_CORRUPTION, Disruption.REGION_OUTAGE] });
  const program = (replica: boolean) => () => {
    new aws.dynamodb.Table('orders', {
      ...table,
      pointInTimeRecovery: { enabled: true },
      ...(replica ? { streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES', replicas: [{ regionName: 'us-west-2', pointInTimeRecovery: true }] } : {}),
    });
  };

  test('Noncompliance 1: a table with PITR only cannot survive a region outage the objective asks for', async () => {
    const v = await stackViolations('report-gaps', await exported(program(false)), { objective });
    expect(v).toEqual([[expect.stringMatching(/^DynamoDB table orders-[0-9a-f]{7} has no restore point|no mechanism protects DynamoDB table orders-[0-9a-f]{7} against region outage, which objective "gold" requires/), urn('aws:dynamodb/table:Table', 'orders')]]);
    expect(v[0][0]).toContain('(region); fix: add a replica in another region');
  });

  test('Noncompliance 2: without an objective, a table with no restore point at all (preview)', async () => {
    const v = await stackViolations('report-gaps', fixture('table-no-pitr.preview.json'));
    expect(v).toEqual([[expect.stringMatching(/^DynamoDB table orders-[0-9a-f]{7} has no restore point: it is unprotected against data corruption \/ accidental deletion \(corruption\); fix: enable point-in-time recovery/), urn('aws:dynamodb/table:Table', 'orders')]]);
  });

  test('Compliance: a global table with PITR on both replicas meets it', async () => {
    expect(await stackViolations('report-gaps', await exported(program(true)), { objective })).toEqual([]);
  });
});

describe('drkitPolicyPack and the module', () => {
  afterEach(() => {
    jest.dontMock('@pulumi/policy');
    jest.dontMock('@pulumi/policy/package.json');
  });

  test('drkitPolicyPack builds a PolicyPack of drkit\'s policies and the user\'s own, mandatory by default', () => {
    jest.isolateModules(() => {
      const packs: any[] = [];
      jest.doMock('@pulumi/policy', () => ({
        ...jest.requireActual('@pulumi/policy'),
        PolicyPack: class {
          constructor(name: string, args: any) {
            packs.push({ name, args });
          }
        },
      }));
      const { drkitPolicyPack } = require('../../../lib/pulumi/policy');
      const own = { name: 'mine', description: 'd', validateStack: () => undefined };
      drkitPolicyPack('dr', { additionalPolicies: [own], disabledPolicies: ['replication-time-control'] });
      expect(packs).toHaveLength(1);
      expect(packs[0].name).toBe('dr');
      expect(packs[0].args.enforcementLevel).toBe('mandatory');
      expect(packs[0].args.policies.map((p: any) => p.name))
        .toEqual(['stateful-resource-protected', 'global-table-replica-pitr', 'vault-lock-for-immutability', 'report-gaps', 'mine']);
    });
  });

  test('GIVEN @pulumi/policy 0.x WHEN drkit/pulumi/policy loads THEN one DRK030 line says what to install; the "v"-prefixed 1.x version loads', () => {
    jest.isolateModules(() => {
      jest.doMock('@pulumi/policy/package.json', () => ({ name: '@pulumi/policy', version: 'v0.9.0' }));
      expect(() => require('../../../lib/pulumi/policy')).toThrow(
        '[DRK030] drkit/pulumi/policy needs @pulumi/policy major version 1 or later, but found v0.9.0: run `npm install @pulumi/policy@^1` in your Pulumi program');
    });
    jest.isolateModules(() => {
      jest.doMock('@pulumi/policy/package.json', () => ({ name: '@pulumi/policy', version: 'v1.21.0' }));
      expect(require('../../../lib/pulumi/policy').DRKIT_POLICY_NAMES).toHaveLength(5);
    });
  });
});
