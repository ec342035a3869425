import { App } from 'aws-cdk-lib';
import { buildApp } from './app';

// `npx cdk synth` from examples/cdk runs this file (see cdk.json). The recovery report is
// written next to the templates: cdk.out/drkit-report.json and cdk.out/drkit-report.md.
const { app } = buildApp(new App());
app.synth();
