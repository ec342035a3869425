import { App } from 'aws-cdk-lib';
import { buildMemberApp } from '../app';

// `npx cdk synth` from examples/cdk-org/member runs this file; then
// `npx drkit report cdk.out --org-policy ../management/cdk.out` assesses it against the policy.
buildMemberApp(new App()).app.synth();
