import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { DriftlessFunction } from '../../../infra/constructs/driftless-function.ts';
import { functionProps, logicalIdOf, resources, synthStack } from '../support.ts';

const { template } = synthStack();
const FUNCTIONS = ['WebhookHandler', 'SyncWorker', 'DriftScanHandler'];

// The handlers read exactly these (DESIGN "Environment variable contract").
const COMMON = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
const CONFIG_REPO = ['CONFIG_REPO_URL', 'CONFIG_REPO_BRANCH', 'CONFIG_DIR'];
const GITHUB = ['GITHUB_SECRET_ARN', ...CONFIG_REPO];
const ENVIRONMENT: Record<string, string[]> = {
  // The webhook's secret only, never the GitHub credentials.
  WebhookHandler: [...COMMON, 'WEBHOOK_SECRET_ARN', ...CONFIG_REPO, 'STATE_TABLE', 'SYNC_QUEUE_URL'],
  SyncWorker: [...COMMON, ...GITHUB, 'STATE_TABLE', 'SYNC_QUEUE_URL', 'RENDER_BUCKET', 'EVENT_BUS_NAME', 'MAX_RECEIVE_COUNT', 'CHART_CREDENTIALS_SECRET_ARN'],
  DriftScanHandler: [...COMMON, ...GITHUB, 'STATE_TABLE', 'SYNC_QUEUE_URL', 'DRIFT_INTERVAL_SECONDS'],
};

describe('DriftlessFunction defaults', () => {
  it('runs every function on Node.js 24 with active tracing, source maps and Powertools settings', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    for (const name of FUNCTIONS) {
      expect(functionProps(template, name), name).toMatchObject({
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'driftless',
            POWERTOOLS_METRICS_NAMESPACE: 'Driftless',
          },
        },
      });
    }
  });

  it('logs as JSON with levels: INFO and up from the handlers, WARN and up from Lambda itself', () => {
    for (const name of FUNCTIONS) {
      expect(functionProps(template, name).LoggingConfig, name).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
    }
  });

  it('gives each function its own log group with a retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    for (const name of FUNCTIONS) {
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}Logs`);
      expect(functionProps(template, name).LoggingConfig).toMatchObject({ LogGroup: { Ref: logGroup } });
      expect(resources(template)[logGroup].Properties?.RetentionInDays).toBe(30);
    }
    synthStack({ logRetentionDays: 90 }).template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(() => synthStack({ logRetentionDays: 31 })).toThrow(/logRetentionDays must be one of CloudWatch's values/);
  });

  it('uses ARM for the functions without native binaries and x86_64 for the worker', () => {
    expect(functionProps(template, 'WebhookHandler').Architectures).toEqual(['arm64']);
    expect(functionProps(template, 'DriftScanHandler').Architectures).toEqual(['arm64']);
    expect(functionProps(template, 'SyncWorker').Architectures).toEqual(['x86_64']);
  });

  for (const [name, keys] of Object.entries(ENVIRONMENT)) {
    it(`sets exactly the environment the ${name} reads`, () => {
      expect(Object.keys(functionProps(template, name).Environment.Variables).sort()).toEqual([...keys].sort());
    });
  }

  it('names the config repository in the environment, with defaults for branch and folder', () => {
    expect(functionProps(template, 'WebhookHandler').Environment.Variables).toMatchObject({
      CONFIG_REPO_URL: 'https://github.com/acme/platform-config',
      CONFIG_REPO_BRANCH: 'main',
      CONFIG_DIR: 'driftless',
    });
  });
});

describe('DriftlessFunction bundling', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'driftless-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Bundles small fixtures for real (local esbuild, no Docker) and loads the result.
  const bundle = (entry: string): string => {
    const app = new App({ outdir });
    const stack = new Stack(app, `Bundle${entry.replace(/\W/g, '')}`);
    const fn = new DriftlessFunction(stack, 'Fn', { entry, description: 'fixture' });
    const assembly = app.synth();
    const code = assembly.getStackByName(stack.stackName).template.Resources[stack.getLogicalId(fn.fn.node.defaultChild as never)].Properties.Code;
    const asset = readdirSync(outdir).find((dir) => dir.startsWith('asset.') && code.S3Key.startsWith(dir.slice(6)));
    if (!asset) throw new Error(`no asset folder for ${code.S3Key}`);
    return join(outdir, asset);
  };

  it('emits a minified ES module with a source map and no embedded sources', async () => {
    const dir = bundle('test/infra/fixtures/handler.ts');
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __driftlessCreateRequire } from 'module';")).toBe(true);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    expect(code.split('\n').length).toBeLessThan(5);
    expect(JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')).sourcesContent).toBeUndefined();
  });

  it('loads in Node when a bundled module declares its own require next to the banner', async () => {
    const dir = bundle('test/infra/fixtures/uses-require.ts');
    expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
    const module = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: () => Promise<string> };
    await expect(module.handler()).resolves.toBe('ok/bundled');
  });
});
