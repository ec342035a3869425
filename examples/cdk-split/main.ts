import { App } from 'aws-cdk-lib';
import { buildApp } from './app';

// `npx cdk synth` from examples/cdk-split runs this file (see cdk.json); then
// `npx drkit report cdk.out` reports every stack of the app (docs/scale.md).
buildApp(new App());
