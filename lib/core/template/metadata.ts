/**
 * Metadata keys the template preparation writes on resources for the evaluator and the report.
 * They are drkit's own: a template written by hand never needs them.
 */

/** Why a placeholder resource is not assessed (a loop drkit cannot expand). */
export const NOT_ASSESSED_METADATA = 'drkit:not-assessed';

/** What the preparation assumed about a resource (a list of sentences). */
export const ASSUMPTIONS_METADATA = 'drkit:assumptions';

/** The type the template declared, when drkit assesses the resource as the type it deploys as (SAM). */
export const SOURCE_TYPE_METADATA = 'drkit:source-type';

/** On an `AWS::CloudFormation::Stack` whose template is in the input: the nested stack's name. */
export const NESTED_STACK_METADATA = 'drkit:nested-stack';

/**
 * On a resource: the objective a drkit construct protects it for. Either the key of an entry of
 * the template's top-level `Metadata` [OBJECTIVES_METADATA] (what drkit writes: each objective
 * once per template), or `RecoveryObjective.toJson()` inline (what drkit wrote before; still read).
 */
export const OBJECTIVE_METADATA = 'drkit:objective';

/** In the template's top-level `Metadata`: the objectives of the template's resources, by key. */
export const OBJECTIVES_METADATA = 'drkit:objectives';

/**
 * The objective recorded on `resource` (its `drkit:objective` metadata), with a key looked up in
 * `template`'s top-level `Metadata['drkit:objectives']`. Undefined when the resource records none;
 * a key the template does not hold is returned as it is (a string), for the reader to report.
 */
export function recordedObjective(resource: any, template: any): any {
  const value = resource?.Metadata?.[OBJECTIVE_METADATA];
  if (typeof value !== 'string') return value;
  const table = template?.Metadata?.[OBJECTIVES_METADATA];
  const entry = table && typeof table === 'object' && Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
  return entry ?? value;
}

/**
 * A resource's metadata with its objective inline (a key resolved through the template's
 * top-level metadata), so that readers of one resource need not see the template.
 */
export function metadataWithObjective(resource: any, template: any): any {
  const metadata = resource?.Metadata ?? {};
  if (typeof metadata[OBJECTIVE_METADATA] !== 'string') return metadata;
  return { ...metadata, [OBJECTIVE_METADATA]: recordedObjective(resource, template) };
}
