import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Advisories (synth warnings) that many constructs of one stack give alike, given once.
 *
 * A construct's advisory names the resource it protects (`... of table App/Orders cannot be shown
 * to be met ...`). With hundreds of protected resources in a stack, the same advisory came once
 * per resource: 1,321 warnings for 400 tables, buckets and databases, each with a captured call
 * stack in the assembly's metadata (issue 16: synth time, and an unreadable `cdk synth`). Up to
 * {@link MAX_EACH} constructs giving the same advisory (the same text but for the resource) still
 * get it each on their own; past that the stack gets it once, naming how many and the first few.
 * The recovery report still lists every resource's row.
 *
 * @internal
 */
export function addAdvisory(scope: IConstruct, id: string, message: string): void {
  const stack = Stack.of(scope);
  let digest = DIGESTS.get(stack);
  if (!digest) {
    digest = new AdvisoryDigest(stack);
    DIGESTS.set(stack, digest);
    // Given at validation, after aspects (ProtectedScope protects resources from an aspect) and
    // before the assembly's metadata is written; it validates nothing.
    const d = digest;
    stack.node.addValidation({ validate: () => { d.emit(); return []; } });
  }
  digest.add(scope, id, message);
}

/** Constructs of one stack that get the same advisory each on their own; more get it once, on the stack. */
export const MAX_EACH = 5;

const DIGESTS = new WeakMap<Stack, AdvisoryDigest>();

interface Entry { readonly scope: IConstruct; readonly subject?: string; readonly message: string }

class AdvisoryDigest {
  /** By id and text with the resource left out (`template`, the resource as \u0001). */
  private readonly groups = new Map<string, { id: string; template: string; entries: Entry[] }>();
  private readonly subjectPattern: RegExp;
  private emitted = false;

  constructor(private readonly stack: Stack) {
    // A construct path of this stack, as the advisories name resources.
    const prefix = stack.node.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.subjectPattern = new RegExp(`${prefix}/[^\\s,;:()]+`, 'g');
  }

  public add(scope: IConstruct, id: string, message: string): void {
    const subjects = message.match(this.subjectPattern) ?? [];
    // Only an advisory that names one resource (once) can be told for many.
    const subject = new Set(subjects).size === 1 ? subjects[0] : undefined;
    const template = subject === undefined ? message : message.split(subject).join('\u0001');
    const key = subject === undefined ? `${id}\u0000${scope.node.path}\u0000${message}` : `${id}\u0000${template}`;
    const group = this.groups.get(key) ?? { id, template, entries: [] };
    group.entries.push({ scope, subject, message });
    this.groups.set(key, group);
  }

  public emit(): void {
    if (this.emitted) return;
    this.emitted = true;
    for (const { id, template, entries } of this.groups.values()) {
      const subject = entries[0].subject;
      if (entries.length <= MAX_EACH || subject === undefined) {
        for (const e of entries) Annotations.of(e.scope).addWarningV2(id, e.message);
        continue;
      }
      const others = entries.slice(1, 4).map(e => e.subject);
      const more = entries.length - 1;
      const named = `${subject} and ${more} more resources of this stack alike (${others.join(', ')}${more > others.length ? ', ...' : ''})`;
      Annotations.of(this.stack).addWarningV2(id, template.split('\u0001').join(named));
    }
  }
}
