import { createHash } from 'crypto';
import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import { RecoveryObjective } from '../../core/objective';
import { OBJECTIVE_METADATA, OBJECTIVES_METADATA } from '../../core/template/metadata';

/**
 * The objectives of one stack's resources, written once in the template's top-level `Metadata`
 * (`drkit:objectives`, by key) instead of on every resource: a protected resource's
 * `drkit:objective` metadata is the key (issue 16: the objective JSON on every protected resource was
 * 1,280 of the 17,965 bytes a table and a replicated bucket added in the bench). The key is the objective's name, or, when two
 * different objectives of the stack share a name, the name and a hash of the objective.
 */
class StackObjectives {
  /** Objective JSON text -> the JSON. */
  private readonly objectives = new Map<string, any>();

  constructor(stack: Stack) {
    stack.addMetadata(OBJECTIVES_METADATA, Lazy.any({ produce: () => this.table() }));
  }

  /** Records `objective` and returns the key its resources carry (resolved at synth, when every objective is known). */
  public add(objective: RecoveryObjective): string {
    const json = objective.toJson();
    const text = JSON.stringify(json);
    this.objectives.set(text, json);
    return Lazy.string({ produce: () => this.keyOf(text) });
  }

  private keyOf(text: string): string {
    const name = String(this.objectives.get(text)?.name ?? '');
    const sameName = [...this.objectives.values()].filter(o => String(o?.name ?? '') === name).length;
    return sameName > 1 ? `${name}#${createHash('sha256').update(text).digest('hex').slice(0, 8)}` : name;
  }

  private table(): { [key: string]: any } {
    const entries = [...this.objectives.entries()].map(([text, json]): [string, any] => [this.keyOf(text), json]);
    return Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }
}

const REGISTRIES = new WeakMap<Stack, StackObjectives>();

/**
 * Records on `resource` the objective it is protected for: its `drkit:objective` metadata names
 * an entry of its template's top-level `Metadata['drkit:objectives']`, where the objective's JSON
 * (`RecoveryObjective.toJson()`) is written once per template. The report and the rules read both
 * this and the inline JSON of older templates (lib/core/template/metadata.ts).
 */
export function recordObjective(resource: CfnResource, objective: RecoveryObjective): void {
  const stack = Stack.of(resource);
  let registry = REGISTRIES.get(stack);
  if (!registry) {
    registry = new StackObjectives(stack);
    REGISTRIES.set(stack, registry);
  }
  resource.addMetadata(OBJECTIVE_METADATA, registry.add(objective));
}
