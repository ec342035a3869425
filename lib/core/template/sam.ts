import { ASSUMPTIONS_METADATA, SOURCE_TYPE_METADATA } from './metadata';

/**
 * What the AWS SAM transform (`AWS::Serverless-2016-10-31`) makes of the types that hold data.
 * `AWS::Serverless::SimpleTable` becomes the `AWS::DynamoDB::Table` SAM deploys under the same
 * logical id (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html):
 * its properties are a primary key, throughput, a table name, tags, server-side encryption and
 * (in recent SAM versions) `PointInTimeRecoverySpecification`, passed through; without it, point-in-time
 * recovery is off, as on any DynamoDB table. The other SAM types either hold no data (functions,
 * APIs, layers, state machines, connectors) or are a nested application whose resources are not
 * in the template (listed as not assessed, with the reason).
 */

const SIMPLE_TABLE = 'AWS::Serverless::SimpleTable';

/** SimpleTable's primary key type to DynamoDB's attribute type. */
const KEY_TYPES: { [t: string]: string } = { String: 'S', Number: 'N', Binary: 'B' };

/** SimpleTable tags (a map) as DynamoDB tags (a list of Key/Value). */
function tagList(tags: any): any {
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return tags;
  return Object.keys(tags).sort().map(k => ({ Key: k, Value: tags[k] }));
}

/** The `AWS::DynamoDB::Table` SAM creates for a SimpleTable. */
function simpleTable(resource: any, globals: any): any {
  const p = { ...(globals ?? {}), ...(resource.Properties ?? {}) };
  const key = p.PrimaryKey && typeof p.PrimaryKey === 'object' ? p.PrimaryKey : { Name: 'id', Type: 'String' };
  const keyName = key.Name ?? 'id';
  const props: any = {
    KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: keyName, AttributeType: typeof key.Type === 'string' ? KEY_TYPES[key.Type] ?? key.Type : key.Type ?? 'S' }],
  };
  if (p.ProvisionedThroughput !== undefined) props.ProvisionedThroughput = p.ProvisionedThroughput;
  else props.BillingMode = 'PAY_PER_REQUEST';
  for (const k of Object.keys(p).sort()) {
    if (['PrimaryKey', 'ProvisionedThroughput', 'Tags'].includes(k)) continue;
    props[k] = p[k];
  }
  if (p.Tags !== undefined) props.Tags = tagList(p.Tags);
  const metadata = { ...(resource.Metadata ?? {}) };
  metadata[SOURCE_TYPE_METADATA] = SIMPLE_TABLE;
  metadata[ASSUMPTIONS_METADATA] = [
    ...(Array.isArray(metadata[ASSUMPTIONS_METADATA]) ? metadata[ASSUMPTIONS_METADATA] : []),
    `${SIMPLE_TABLE}: the SAM transform deploys it as an AWS::DynamoDB::Table with the same logical id, assessed as one${p.PointInTimeRecoverySpecification === undefined
      ? '; it sets no PointInTimeRecoverySpecification, so point-in-time recovery is off (SAM passes the property through when given)'
      : ''}`,
  ];
  const out: any = { ...resource, Type: 'AWS::DynamoDB::Table', Properties: props, Metadata: metadata };
  return out;
}

/**
 * Resources with the SAM types that hold data translated as the SAM transform deploys them.
 * Other resources are returned as they are.
 */
export function translateSam(template: any): { resources: any; translated: string[] } {
  const resources = template?.Resources ?? {};
  const globals = template?.Globals?.SimpleTable;
  const out: any = {};
  const translated: string[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (r && typeof r === 'object' && r.Type === SIMPLE_TABLE) {
      out[id] = simpleTable(r, globals);
      translated.push(id);
    } else {
      out[id] = r;
    }
  }
  return { resources: out, translated };
}
