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
