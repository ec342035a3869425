import * as pulumi from '@pulumi/pulumi';

/** A resource's `tags` input. */
export type TagsInput = pulumi.Input<{ [key: string]: pulumi.Input<string> } | undefined> | undefined;

/**
 * The user's tags with drkit's added (drkit's win on a clash: they select the resource for
 * its backup plan). Plain tags stay plain; tags given as an Output are merged inside `apply`.
 * @internal
 */
export function withTags(tags: TagsInput, extra: { [key: string]: string }): pulumi.Input<{ [key: string]: pulumi.Input<string> }> {
  if (tags === undefined || tags === null) return { ...extra };
  if (typeof tags === 'object' && !pulumi.Output.isInstance(tags) && !(tags instanceof Promise)) {
    return { ...(tags as { [key: string]: pulumi.Input<string> }), ...extra };
  }
  return pulumi.output(tags).apply(t => ({ ...(t ?? {}), ...extra }));
}
