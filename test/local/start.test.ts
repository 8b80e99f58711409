// `npm start` with nothing configured: the example repository syncs to the sandbox, and a
// commit there reaches the cluster through the git hook, the webhook and the worker.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';

const run = promisify(execFile);
const project = new URL('../..', import.meta.url).pathname;

let child: ChildProcess;
let output = '';
let dir: string;

function waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearInterval(timer);
        clearTimeout(timeout);
        resolve(match);
      }
    };
    const timer = setInterval(check, 100);
    const timeout = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} in npm start's output within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    check();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-start-'));
  child = spawn(
    process.execPath,
    [join(project, 'local/start.ts'), '--port', '0', '--state-dir', join(dir, 'state'), '--example-dir', join(dir, 'example'), '--drift-interval', '1h'],
    {
      cwd: dir,
      env: { ...process.env, GITHUB_TOKEN: '', GITHUB_WEBHOOK_SECRET: '' },
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

it('prints where everything is', async () => {
  await waitFor(/^webhook secret: \S+$/m);
  expect(output).toMatch(/^webhook: http:\/\/127\.0\.0\.1:\d+\/$/m);
  expect(output).toMatch(/^kubeconfig: \S+sandbox\.kubeconfig$/m);
  expect(output).toMatch(/^example repo: \S+example$/m);
  expect(output).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
});

it('serves the dashboard at the printed URL: the UI, its API, and the app links check runs carry', async () => {
  const url = (await waitFor(/^dashboard: (\S+)$/m))[1];
  const index = await fetch(url);
  expect(index.status).toBe(200);
  expect(await index.text()).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);
  const me = await fetch(new URL('api/me', url));
  expect(await me.json()).toEqual({ user: 'local', groups: [], signInRequired: false });
  const appPage = await fetch(new URL('apps/guestbook?cluster=local', url));
  expect(appPage.status).toBe(200);
  expect(appPage.headers.get('content-type')).toBe('text/html; charset=utf-8');
}, 120_000);

it('syncs the three example apps (YAML, Kustomize, Helm) to the sandbox', async () => {
  for (const app of ['guestbook', 'podinfo', 'redis']) await waitFor(new RegExp(`\\[Sync Succeeded\\] ${app}@local`));
  const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m))[1];
  const kubectl: Kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
  expect((await kubectl(['get', 'deployment', 'guestbook-ui', '-n', 'guestbook', '-o', 'name'])).stdout.trim()).toBe('deployment.apps/guestbook-ui');
  expect((await kubectl(['get', 'deployment', 'dev-podinfo', '-n', 'podinfo', '-o', 'name'])).stdout.trim()).toBe('deployment.apps/dev-podinfo');
  expect((await kubectl(['get', 'statefulset', 'cache-redis', '-n', 'redis', '-o', 'name'])).stdout.trim()).toBe('statefulset.apps/cache-redis');
});

it('applies a commit in the example repo within seconds', async () => {
  const repo = (await waitFor(/^example repo: (\S+)$/m))[1];
  const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m))[1];
  const file = join(repo, 'apps/guestbook/config.yaml');
  const text = await readFile(file, 'utf8');
  await import('node:fs/promises').then((fs) => fs.writeFile(file, text.replace('greeting: hello', 'greeting: from-a-commit')));
  await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@driftless.invalid', 'commit', '-qam', 'change the greeting'], { cwd: repo });
  await waitFor(/status success driftless\/guestbook@local \S+: Synced, Healthy: 0 created, 1 configured/, 20_000);
  // The check run's line links to the app's page on the local dashboard (DASHBOARD_URL).
  const dashboard = (await waitFor(/^dashboard: (\S+)$/m))[1];
  const link = `${dashboard}apps/guestbook?cluster=local`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await waitFor(new RegExp(`^check completed success driftless/guestbook@local \\S+: .* ${link}$`, 'm'), 20_000);
  const kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
  const greeting = await kubectl(['get', 'configmap', 'guestbook-config', '-n', 'guestbook', '-o', 'jsonpath={.data.greeting}']);
  expect(greeting.stdout).toBe('from-a-commit');
});
