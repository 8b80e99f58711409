// `driftless diff` with a token kubeconfig needs none of @kubernetes/client-node (its import
// is a large share of a CLI run): the modules the process loads are recorded by a resolve
// hook passed with --import, and client-node is not among them. An exec-plugin kubeconfig
// does load it, which shows the hook sees the package when it is there.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startSandbox, type Sandbox } from '../../local/sandbox/index.ts';

const bin = new URL('../../cli/bin.js', import.meta.url).pathname;
let sandbox: Sandbox;
let dir: string;
let app: string;
let hook: string;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  dir = await mkdtemp(join(tmpdir(), 'diff-no-client-node-'));
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n');
  hook = join(dir, 'record-modules.mjs');
  await writeFile(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      'registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); appendFileSync(process.env.MODULES_OUT, found.url + "\\n"); return found; } });',
      '',
    ].join('\n'),
  );
});
afterAll(() => sandbox?.stop());

async function diffRecordingModules(kubeconfig: string, name: string): Promise<{ code: number; stdout: string; stderr: string; modules: string[] }> {
  const path = join(dir, `${name}.kubeconfig`);
  await writeFile(path, kubeconfig, { mode: 0o600 });
  const out = join(dir, `${name}.modules`);
  await writeFile(out, '');
  const args = ['--import', hook, bin, 'diff', '-f', app, '--name', 'shop', '--namespace', 'default', '--kubeconfig', path];
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', MODULES_OUT: out } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
  return { ...result, modules: (await readFile(out, 'utf8')).split('\n').filter(Boolean) };
}

const clientNode = (modules: string[]) => modules.filter((url) => url.includes('/node_modules/@kubernetes/client-node/'));
const caData = () => Buffer.from(sandbox.caPem).toString('base64');

function kubeconfigFor(user: Record<string, unknown>): string {
  return stringify({
    clusters: [{ name: 'sandbox', cluster: { server: sandbox.url, 'certificate-authority-data': caData() } }],
    users: [{ name: 'me', user }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'me' } }],
    'current-context': 'sandbox',
  });
}

describe('driftless diff and @kubernetes/client-node', () => {
  it('a token kubeconfig diffs against the cluster without loading client-node', async () => {
    const result = await diffRecordingModules(kubeconfigFor({ token: sandbox.token }), 'token');
    // The ConfigMap is not in the cluster: a difference (exit 1), so the cluster was really read.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('+++ git/ConfigMap/default/settings');
    expect(result.modules.some((url) => url.endsWith('/shared/kube/kubeconfig.ts'))).toBe(true);
    expect(clientNode(result.modules)).toEqual([]);
  });

  it('an exec-plugin kubeconfig loads client-node, which runs the plugin', async () => {
    const plugin = join(dir, 'plugin.mjs');
    await writeFile(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(sandbox.token)} } }));\n`,
    );
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' };
    const result = await diffRecordingModules(kubeconfigFor({ exec }), 'exec');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('+++ git/ConfigMap/default/settings');
    expect(clientNode(result.modules).length).toBeGreaterThan(0);
  });
});
