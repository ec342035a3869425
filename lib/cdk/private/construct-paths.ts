import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The construct path of every CloudFormation resource of an app, by stack name and logical ID,
 * read from the construct tree (the templates carry `aws:cdk:path` only when the cdk CLI asks
 * for it). Paths start with the stack's id, as `aws:cdk:path` does. For the quota messages.
 */
export function constructPathsOf(app: IConstruct | undefined): Map<string, { [logicalId: string]: string }> {
  const out = new Map<string, { [logicalId: string]: string }>();
  if (!app) return out;
  for (const node of app.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const stack = Stack.of(node);
    const logicalId = stack.resolve(node.logicalId);
    if (typeof logicalId !== 'string') continue;
    const scopes = node.node.scopes;
    const rel = scopes.slice(scopes.indexOf(stack)).map(s => s.node.id).join('/');
    const paths = out.get(stack.stackName) ?? {};
    paths[logicalId] = rel;
    out.set(stack.stackName, paths);
  }
  return out;
}
