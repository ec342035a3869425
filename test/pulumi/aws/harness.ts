import * as pulumi from '@pulumi/pulumi';

/** The mocked account and default region. */
export const ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

/** One resource registration, as the engine would see it. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs, deserialized (Outputs resolved), as the mock received them. */
  inputs: any;
  /** URN of the parent, '' for none. */
  readonly parent: string;
  readonly retainOnDelete: boolean;
  readonly protect: boolean;
  /** URNs this registration depends on explicitly (`dependsOn`). */
  readonly dependsOn: string[];
}

/** Records every registration made while it is installed. */
export class Recorder {
  public readonly registrations: Registration[] = [];

  /** The registration with this resource name (fails when there is not exactly one). */
  public named(name: string): Registration {
    const found = this.registrations.filter(r => r.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one registration named ${name}, found ${found.length}: ${this.registrations.map(r => r.name).join(', ')}`);
    }
    return found[0];
  }

  /** Registrations of a type token. */
  public ofType(type: string): Registration[] {
    return this.registrations.filter(r => r.type === type);
  }

  /** Names of every registration, sorted. */
  public names(): string[] {
    return this.registrations.map(r => r.name).sort();
  }

  public clear(): void {
    this.registrations.length = 0;
  }
}

/** What the mocks need to compute a resource's state. */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
}

function physicalName(args: MockedResource): string {
  return args.inputs.name ?? `${args.name}-phys`;
}

const RDS_WITH_IDS: { [type: string]: true } = {
  'aws:rds/instance:Instance': true,
  'aws:rds/cluster:Cluster': true,
  'aws:rds/globalCluster:GlobalCluster': true,
};

/** The state the mocks give a resource: its inputs plus name, region and (for some types) ARN. */
export function mockState(args: MockedResource): any {
  const region = args.inputs.region ?? DEFAULT_REGION;
  const n = physicalName(args);
  const arns: { [type: string]: string } = {
    'aws:dynamodb/table:Table': `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${n}`,
    'aws:backup/vault:Vault': `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${n}`,
    'aws:backup/plan:Plan': `arn:aws:backup:${region}:${ACCOUNT}:backup-plan:${args.name}-id`,
    'aws:kms/key:Key': `arn:aws:kms:${region}:${ACCOUNT}:key/${args.name}-id`,
    'aws:iam/role:Role': `arn:aws:iam::${ACCOUNT}:role/${n}`,
    'aws:rds/instance:Instance': `arn:aws:rds:${region}:${ACCOUNT}:db:${args.name}`,
    'aws:rds/cluster:Cluster': `arn:aws:rds:${region}:${ACCOUNT}:cluster:${args.name}`,
    'aws:rds/globalCluster:GlobalCluster': `arn:aws:rds::${ACCOUNT}:global-cluster:${args.name}`,
    'aws:sns/topic:Topic': `arn:aws:sns:${region}:${ACCOUNT}:${n}`,
    'aws:s3/bucket:Bucket': `arn:aws:s3:::${n}`,
    'aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault': `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${n}`,
    'aws:cloudwatch/metricAlarm:MetricAlarm': `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${n}`,
  };
  // RDS resources also get the identifiers other resources name them by.
  const rdsIds = args.type in RDS_WITH_IDS ? { identifier: args.name, clusterIdentifier: args.name } : {};
  const bucket = args.type === 'aws:s3/bucket:Bucket' ? { bucket: n } : {};
  return { ...args.inputs, name: n, region, ...(arns[args.type] ? { arn: arns[args.type] } : {}), ...rdsIds, ...bucket };
}

/** What the mocks' invokes return: the account and partition for the identity invokes, else the inputs. */
export function mockCall(args: { token: string; inputs: any }): any {
  if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: 'test' };
  if (args.token === 'aws:index/getPartition:getPartition') return { partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' };
  return args.inputs;
}

/**
 * Installs Pulumi mocks that echo inputs as state (plus ARN, name and region) and records
 * every registration with its parent and resource options (read from the monitor request).
 */
export function installMocks(preview = false): Recorder {
  const recorder = new Recorder();
  const pending = new Map<string, Registration>();
  void pulumi.runtime.setMocks({
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      const key = `${args.type}::${args.name}`;
      const reg = pending.get(key);
      if (reg) reg.inputs = args.inputs;
      return { id: `${args.name}-id`, state: mockState(args) };
    },
    call: (args: pulumi.runtime.MockCallArgs) => mockCall(args),
  }, 'drkit', 'test', preview);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings');
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string = req.getParent();
    const qualified = parent ? `${parent.split('::')[2].split('$').pop()}$${type}` : type;
    const reg: Registration = {
      type,
      name,
      urn: `urn:pulumi:test::drkit::${qualified}::${name}`,
      inputs: undefined,
      parent,
      retainOnDelete: req.getRetainondelete() === true,
      protect: req.getProtect() === true,
      dependsOn: req.getDependenciesList(),
    };
    recorder.registrations.push(reg);
    pending.set(`${type}::${name}`, reg);
    return register(req, callback);
  };
  return recorder;
}

/** Waits until every registration and RPC started so far has finished. */
export async function settle(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings');
  await settings.waitForRPCs();
}

/** The value of an Output (rejects when the Output's computation threw). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as any).promise();
}

/**
 * drkit's advisory that an RTO cannot be shown to be met because the mechanisms publish no restore
 * time: expected wherever an objective has an RTO and its mechanisms publish no restore time.
 */
export const RTO_UNVERIFIED = /^drkit: the rto .+ against .+ cannot be shown to be met: .+, so the recovery report marks it unverified; measure it with AWS Backup restore testing or a recovery drill$/;

/** drkit's warning that a compliance-mode Vault Lock becomes immutable: expected wherever an objective asks for it. */
export const VAULT_LOCK_COMPLIANCE = /^drkit: Vault Lock in compliance mode for objective "[^"]+": after the cooling-off period of \d+ days from deployment the lock becomes immutable/;

/** Backup Audit Manager checks recovery point age in whole hours: the foundation notes a sub-hour RPO. */
export const AUDIT_WHOLE_HOURS = /^drkit: BACKUP_LAST_RECOVERY_POINT_CREATED checks recovery point age in whole hours, so the rpo .+ is checked as /;

/** The foundation's warning that a resource copied to another account needs a customer managed key the account may use. */
export const CROSS_ACCOUNT_KEY = /^drkit: .+ of objective "[^"]+" is copied to backup account \d{12}; its recovery points keep the resource's own KMS key/;

/** What the shared backup foundation warns about, beside the components' own advisories. */
export const FOUNDATION_WARNINGS = [VAULT_LOCK_COMPLIANCE, AUDIT_WHOLE_HOURS, CROSS_ACCOUNT_KEY];

/**
 * Records `pulumi.log` warnings and infos instead of printing them, for every test of the file
 * (tests assert the messages that matter through the returned spies).
 *
 * With `expected`, only warnings that match one of the patterns are kept quiet; any other warning
 * is still printed (under the mocks Pulumi prints it with console.warn), so an unexpected
 * warning is seen (issue 14, point 5). Without it, every warning is recorded.
 */
export function recordPulumiLogs(expected?: RegExp[]): { warn: () => jest.SpyInstance; info: () => jest.SpyInstance } {
  let warn: jest.SpyInstance | undefined;
  let info: jest.SpyInstance | undefined;
  beforeEach(() => {
    const original = pulumi.log.warn;
    warn = jest.spyOn(pulumi.log, 'warn').mockImplementation((msg: string, ...rest: any[]) =>
      (expected && !expected.some(p => p.test(msg)) ? original(msg, ...rest) : Promise.resolve()));
    info = jest.spyOn(pulumi.log, 'info').mockImplementation(() => Promise.resolve());
  });
  afterEach(() => {
    warn?.mockRestore();
    info?.mockRestore();
  });
  return { warn: () => warn!, info: () => info! };
}

/** The warnings recorded so far that match `pattern`. */
export function warningsMatching(spy: jest.SpyInstance, pattern: RegExp): string[] {
  return spy.mock.calls.map(c => String(c[0])).filter(m => pattern.test(m));
}
