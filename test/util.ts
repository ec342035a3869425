import { App, AppProps } from 'aws-cdk-lib';

/**
 * Every test CDK app: CloudFormation validation findings fail synthesis.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...(props.context ?? {}),
    },
  });
}
