// `driftless sync` and `driftless diff` on a folder against the sandbox, as a user runs them.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { replaceApp, startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
let kubeconfig: string;
beforeAll(async () => {
  cluster = await startCluster();
  kubeconfig = join(tmpdir(), `cli-sync-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
});
afterAll(() => cluster?.stop());

const files = (color: string, extra: Record<string, string> = {}) => ({
  'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: ${color} }\n`,
  'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { password: hunter2 }\n',
  'deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: "nginx:1.27" }] }\n',
  ...extra,
});

const cli = (command: string, dir: string, ...args: string[]) =>
  runCli([command, '-f', dir, '--name', 'shop', '--namespace', 'default', '--kubeconfig', kubeconfig, ...args]);

describe('driftless diff and sync on a folder', () => {
  let app: string;

  it('diff shows everything as new before the first sync, and exits 1', async () => {
    app = await writeApp(files('blue'));
    const result = await cli('diff', app);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\+\+\+ git\/ConfigMap\/default\/settings/);
    expect(result.stdout).toMatch(/\+\s+color: blue/);
  });

  it('sync applies, reports per object and exits 0 when healthy; json output is the change set', async () => {
    const result = await cli('sync', app, '--output', 'json');
    expect(result.code).toBe(0);
    const changes = JSON.parse(result.stdout) as {
      status: string;
      health: string;
      objects: Array<{ object: string; action: string; source?: { file: string } }>;
    };
    expect(changes.status).toBe('Succeeded');
    expect(changes.health).toBe('Healthy');
    expect(changes.objects.map((change) => [change.object, change.action])).toEqual([
      ['Secret/default/creds', 'created'],
      ['ConfigMap/default/settings', 'created'],
      ['Deployment/default/web', 'created'],
    ]);
    expect(changes.objects[1].source?.file).toBe('config.yaml');
  });

  it('diff after the sync finds nothing (server defaults are not differences), exit 0', async () => {
    const result = await cli('diff', app);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('diff shows a changed field, with Secret values masked', async () => {
    await replaceApp(
      app,
      files('green', { 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { password: correct-horse }\n' }),
    );
    const result = await cli('diff', app);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/-\s+color: blue\n\+\s+color: green/);
    expect(result.stdout).toMatch(/Secret\/default\/creds/);
    expect(result.stdout).not.toMatch(/hunter2|correct-horse|aHVudGVyMg|Y29ycmVjdC1ob3JzZQ/);
  });

  it('sync --prune deletes what left the folder, using the inventory kept in the cluster', async () => {
    await replaceApp(app, files('green'));
    await cli('sync', app);
    await replaceApp(app, { 'config.yaml': files('green')['config.yaml'] });
    const result = await cli('sync', app, '--prune', '--output', 'json');
    expect(result.code).toBe(0);
    const changes = JSON.parse(result.stdout) as { objects: Array<{ object: string; action: string }> };
    expect(
      changes.objects
        .filter((change) => change.action === 'pruned')
        .map((change) => change.object)
        .sort(),
    ).toEqual(['Deployment/default/web', 'Secret/default/creds']);
    const inventory = await cluster.client.get<{ data: { inventory: string } }>('/api/v1/namespaces/default/configmaps/driftless-inventory-shop');
    expect(JSON.parse(inventory.data.inventory).entries.map((entry: { name: string }) => entry.name)).toEqual(['settings']);
  });

  it('an unchanged resync writes nothing, not even the inventory', async () => {
    cluster.sandbox.requests.clear();
    const result = await cli('sync', app);
    expect(result.code).toBe(0);
    expect(writesIn(cluster)).toEqual([]);
  });

  it('sync exits 1 and names the object when a workload does not become healthy in time', async () => {
    const stuck = await writeApp({
      'deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stuck\n  annotations: { sandbox.driftless.io/never-ready: "true" }\nspec:\n  selector: { matchLabels: { app: stuck } }\n  template:\n    metadata: { labels: { app: stuck } }\n    spec: { containers: [{ name: s, image: "nginx:1.27" }] }\n',
    });
    const result = await runCli(['sync', '-f', stuck, '--name', 'stuck', '--namespace', 'default', '--kubeconfig', kubeconfig, '--timeout', '1s']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Deployment\/default\/stuck/);
    expect(result.stdout).toMatch(/Sync failed/);
  });

  it('a usage error exits 2', async () => {
    const result = await runCli(['sync', '-f', app, '--namespace', 'default', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--name APP is required/);
  });

  it('the new form prints no notice; the old spelling still syncs and prints one line naming -f', async () => {
    const current = await cli('sync', app);
    expect(current.code).toBe(0);
    expect(current.stderr).toBe('');
    const old = await runCli(['sync', app, '--name', 'shop', '--namespace', 'default', '--kubeconfig', kubeconfig, '--output', 'json']);
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout)).toMatchObject({ status: 'Succeeded', health: 'Healthy' });
    expect(old.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^driftless sync: .*-f PATH.*--name APP --namespace NS/)]);
  });

  it('app-sync flags with -f, the folder given twice, and a concurrency that is no number are usage errors; nothing is written', async () => {
    cluster.sandbox.requests.clear();
    for (const [args, message] of [
      [['--cluster', 'prod'], /--cluster belongs to sync APP/],
      [['--revision', 'main'], /--revision belongs to sync APP/],
      [[app], /give the folder once/],
      [['--concurrency', 'x'], /--concurrency must be a whole number of at least 1, got "x"/],
      [['--concurrency', '0'], /--concurrency must be a whole number of at least 1/],
      [['--timeout', 'soon'], /--timeout: "soon" is not a duration/],
    ] as const) {
      const result = await cli('sync', app, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(writesIn(cluster)).toEqual([]);
  });
});
