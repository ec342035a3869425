/**
 * A tiny JSON Schema (draft 2020-12) validator for the subset docs/report-schema.json uses:
 * type, const, enum, minimum, required, properties, additionalProperties (false), items and
 * local $ref. Returns the list of violations (empty: valid).
 */
export function validate(schema: any, value: any, root: any = schema, at = '$'): string[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`];
    return validate(target, value, root, at);
  }
  const errors: string[] = [];
  if ('const' in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (schema.type) {
    const ok = schema.type === 'integer' ? Number.isInteger(value)
      : schema.type === 'number' ? typeof value === 'number' && Number.isFinite(value)
        : schema.type === 'array' ? Array.isArray(value)
          : schema.type === 'object' ? value !== null && typeof value === 'object' && !Array.isArray(value)
            : typeof value === schema.type;
    if (!ok) return [...errors, `${at}: expected ${schema.type}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
  if (schema.type === 'object') {
    for (const k of schema.required ?? []) if (!(k in value)) errors.push(`${at}: missing required ${k}`);
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties?.[k];
      if (sub) errors.push(...validate(sub, v, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${k}`);
    }
  }
  if (schema.type === 'array' && schema.items) {
    value.forEach((v: any, i: number) => errors.push(...validate(schema.items, v, root, `${at}[${i}]`)));
  }
  return errors;
}
