import * as pulumi from '@pulumi/pulumi';

/** One child registration as the engine saw it, with the options drkit passed. */
export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  readonly opts: pulumi.ResourceOptions;
  readonly parent?: pulumi.Resource;
}

/** Records every resource registration through mocks and a transformation on the component. */
export class Recorder {
  public readonly mocked: pulumi.runtime.MockResourceArgs[] = [];
  public readonly seen: Recorded[] = [];

  /** Installs the mocks (call before requiring the module under test). */
  public install(): void {
    const mocked = this.mocked;
    void pulumi.runtime.setMocks({
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        mocked.push(args);
        // Like the providers: `name` is the given physical name, else the resource name.
        const physical: { [suffix: string]: string } = { ':StorageAccount': 'accountName', ':BlobContainer': 'containerName', ':BackupVault': 'vaultName' };
        const key = Object.keys(physical).find(k => args.type.startsWith('azure-native:') && args.type.endsWith(k));
        const name = (key ? args.inputs[physical[key]] : args.inputs.name) ?? args.name;
        return { id: `${args.name}-id`, state: { ...args.inputs, name } };
      },
      call: (args: pulumi.runtime.MockCallArgs) => (args.token === 'gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount'
        ? { email: 'project-123@storage-transfer-service.iam.gserviceaccount.com', subjectId: '109876543210', id: 'sa' }
        : args.inputs),
    }, 'project', 'stack', false);
  }

  /** Options to pass to the component so its children's options are recorded. */
  public opts(): pulumi.ComponentResourceOptions {
    return {
      transformations: [(a: pulumi.ResourceTransformationArgs) => {
        this.seen.push({ type: a.type, name: a.name, inputs: a.props, opts: a.opts, parent: a.opts.parent });
        return undefined;
      }],
    };
  }

  /** The mocked registration of `type` named `name`. */
  public input(type: string, name: string): any {
    const found = this.mocked.filter(m => m.type === type && m.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${this.mocked.map(m => `${m.type}/${m.name}`).join(', ')}`);
    return found[0].inputs;
  }

  /** Recorded children, excluding the component itself. */
  public children(componentType: string): Recorded[] {
    return this.seen.filter(s => s.type !== componentType);
  }
}

/** The value of an output. */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise(resolve => o.apply(v => { resolve(v); return v; }));
}

/** Waits for pending registrations to reach the mocks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
}
