// One sandbox cluster per test file, with a Driftless client connected to it and helpers
// to write an app folder, render it and sync it.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../local/sandbox/index.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { Discovery } from '../../shared/kube/discovery.ts';
import { render } from '../../shared/render/render.ts';
import type { Inventory } from '../../shared/sync/inventory.ts';
import { sync, type SyncRunOptions } from '../../shared/sync/sync.ts';
import type { ChangeSet } from '../../shared/sync/changeset.ts';

export interface TestCluster {
  sandbox: Sandbox;
  client: KubeClient;
  /** Fresh discovery per call, as a new process would have. */
  discovery(): Discovery;
  stop(): Promise<void>;
}

export async function startCluster(options?: SandboxOptions): Promise<TestCluster> {
  const sandbox = await startSandbox({ controllers: { readyDelayMs: 50 }, ...options });
  const client = await connectKubeconfig({ kubeconfigYaml: sandbox.kubeconfig() });
  return {
    sandbox,
    client,
    discovery: () => new Discovery(client),
    async stop() {
      client.close();
      await sandbox.stop();
    },
  };
}

/** Writes `files` (path → content) into a fresh folder and returns it. */
export async function writeApp(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'driftless-app-'));
  await replaceApp(root, files);
  return root;
}

export async function replaceApp(root: string, files: Record<string, string>): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
}

/** Renders the folder and syncs it, as the worker would, threading the inventory through. */
export async function syncApp(
  cluster: TestCluster,
  app: string,
  root: string,
  previous?: Inventory,
  options: SyncRunOptions = {},
  namespace = 'default',
): Promise<ChangeSet> {
  const rendered = await render({ root, path: '.', appName: app, destinationNamespace: namespace });
  return sync({ app, objects: rendered.objects, client: cluster.client, discovery: cluster.discovery(), previous, options: { timeoutMs: 20_000, ...options } });
}

/** Requests that change something (not GET, not dry-run). */
export function writesIn(cluster: TestCluster): Array<{ method: string; path: string; body?: unknown }> {
  return cluster.sandbox.requests.entries().filter((entry) => entry.method !== 'GET' && entry.query.dryRun === undefined);
}
