import { App } from 'aws-cdk-lib';
import { buildManagementApp } from '../app';

// `npx cdk synth` from examples/cdk-org/management runs this file: the backup policy, the member
// baseline StackSet and the central backup account's vault (deploy each stack with its account's credentials).
buildManagementApp(new App()).app.synth();
