// `npx cdk synth|deploy` runs this file (cdk.json "app") directly with Node 24.
import { App } from 'aws-cdk-lib';
import { buildApp } from '../app.ts';

buildApp(new App());
