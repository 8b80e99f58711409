// Synthesis of the stack with the `dashboard` context key, for the dashboard's infra tests: the
// handlers stubbed as in support.ts, and a built UI stood in by a folder with an index.html
// (what `npm run build:dashboard` leaves), so no bundler or browser runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { readDriftlessContext, type DashboardContext, type DriftlessContext } from '../../infra/context.ts';
import { DriftlessStack } from '../../infra/stack.ts';
import { BASE_SETTINGS, STUB_ENTRIES, STUB_ENTRY } from './support.ts';

export const DASHBOARD_ENTRIES = { ...STUB_ENTRIES, api: STUB_ENTRY };

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A temporary folder, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** A folder holding what a UI build holds at least. */
export function builtAssets(): string {
  const dir = tempDir('driftless-dashboard-assets-');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Driftless</title><div id="app"></div>\n');
  return dir;
}

export interface DashboardSynth {
  app: App;
  stack: DriftlessStack;
  template: Template;
  outdir: string;
}

/**
 * The stack with `dashboard` given as CDK context (JSON, as cdk.json holds it), read through
 * readDriftlessContext like `npx cdk synth`; the assets folder defaults to a stand-in build.
 */
export function synthDashboard(dashboard: Partial<DashboardContext> | boolean | string, settings: Partial<DriftlessContext> = {}): DashboardSynth {
  const outdir = tempDir('driftless-dashboard-out-');
  const withAssets = typeof dashboard === 'object' ? { assetsDir: builtAssets(), ...dashboard } : dashboard;
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...BASE_SETTINGS, ...settings, dashboard: withAssets } });
  const stack = new DriftlessStack(app, 'Driftless', { settings: readDriftlessContext(app.node), entries: DASHBOARD_ENTRIES });
  return { app, stack, template: Template.fromStack(stack), outdir };
}
