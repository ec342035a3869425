import * as yaml from 'js-yaml';
import { DrkitError, DrkitErrorCode } from '../errors';

/**
 * Reading CloudFormation templates written in YAML, with CloudFormation's short-form tags
 * (`!Ref`, `!GetAtt`, `!Sub`...). Each tag becomes the long form CloudFormation documents
 * (`{ "Ref": ... }`, `{ "Fn::GetAtt": [...] }`), so the rest of drkit sees the same document a
 * JSON template gives. The schema is YAML 1.2's core schema: `2010-09-09` stays a string (no
 * timestamps), as CloudFormation reads it.
 */

/** Short-form tags whose long form is `Fn::<Name>`. */
const FN_TAGS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or',
  // AWS::LanguageExtensions
  'Length', 'ToJsonString',
  // Rules section
  'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll',
];

const KINDS: Array<'scalar' | 'sequence' | 'mapping'> = ['scalar', 'sequence', 'mapping'];

/** `!GetAtt Resource.Attribute` (split at the first dot, as CloudFormation does) or `!GetAtt [Resource, Attribute]`. */
function getAtt(data: any): any {
  if (typeof data === 'string') {
    const i = data.indexOf('.');
    return { 'Fn::GetAtt': i < 0 ? [data] : [data.slice(0, i), data.slice(i + 1)] };
  }
  return { 'Fn::GetAtt': data };
}

function tags(): yaml.Type[] {
  const out: yaml.Type[] = [];
  for (const kind of KINDS) {
    out.push(new yaml.Type('!Ref', { kind, construct: (d: any) => ({ Ref: d ?? '' }) }));
    out.push(new yaml.Type('!Condition', { kind, construct: (d: any) => ({ Condition: d ?? '' }) }));
    out.push(new yaml.Type('!GetAtt', { kind, construct: getAtt }));
    for (const name of FN_TAGS) {
      // `!GetAZs` with no value is `!GetAZs ''` (the stack's region).
      out.push(new yaml.Type(`!${name}`, { kind, construct: (d: any) => ({ [`Fn::${name}`]: d ?? '' }) }));
    }
  }
  return out;
}

/** YAML 1.2 core schema plus CloudFormation's short-form tags. */
export const CLOUDFORMATION_SCHEMA: yaml.Schema = yaml.CORE_SCHEMA.extend(tags());

/**
 * Parses a template's text: JSON when it is JSON, else YAML with CloudFormation's tags.
 *
 * @param text the file's contents
 * @param file the file name, for messages
 * @throws DrkitError DRK041 when the text is neither valid JSON nor valid YAML
 */
export function parseTemplateText(text: string, file: string): any {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      // JSON is a subset of YAML 1.2: a document that starts like JSON but is not JSON is tried as YAML.
    }
  }
  try {
    return yaml.load(body, { schema: CLOUDFORMATION_SCHEMA, filename: file, json: true });
  } catch (e: any) {
    const mark = e?.mark;
    const where = mark && typeof mark.line === 'number' ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    const reason = String(e?.reason ?? e?.message ?? e);
    const tag = /unknown tag !<(.*)>/.exec(reason)?.[1];
    const fix = tag
      ? `${tag} is not a CloudFormation tag (a template for a pre-processor such as Rain, or a macro?): give the template the pre-processor writes (for example rain pkg), or the processed template (aws cloudformation get-template --template-stage Processed)`
      : 'give a CloudFormation template in JSON or YAML (short-form tags such as !Ref, !GetAtt and !Sub are read)';
    throw new DrkitError(DrkitErrorCode.TEMPLATE_SYNTAX, `${file} is neither valid JSON nor valid YAML${where}: ${reason}; ${fix}`);
  }
}
