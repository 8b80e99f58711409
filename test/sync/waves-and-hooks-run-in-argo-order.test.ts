import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { hookJob, WEB_DEPLOYMENT } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const job = (name: string, annotations: Record<string, string>, generateName = false) => hookJob(name, annotations, { generateName });

const configMap = (name: string, wave?: number, annotation = 'argocd.argoproj.io/sync-wave') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${wave === undefined ? '' : `  annotations:\n    ${annotation}: "${wave}"\n`}data: { k: v }
`;

describe('a sync with waves and hooks', () => {
  it('runs PreSync hooks, then waves in order (kind order inside a wave), then PostSync hooks', async () => {
    const app = await writeApp({
      'hooks.yaml': [
        job('migrate-', { 'argocd.argoproj.io/hook': 'PreSync' }, true),
        job('smoke', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
        job('helm-pre', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' }),
      ].join('---\n'),
      'early.yaml': configMap('early', -1),
      'late.yaml': configMap('late', 1, 'driftless.io/sync-wave'),
      'app.yaml': `${WEB_DEPLOYMENT}---
${configMap('settings')}---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`,
    });
    cluster.sandbox.requests.clear();
    const result = await syncApp(cluster, 'ordered', app);
    expect(result.message).toMatch(/created/);
    expect(result.status).toBe('Succeeded');
    expect(result.health).toBe('Healthy');

    const created = writesIn(cluster)
      .filter((entry) => entry.method === 'PATCH' || entry.method === 'POST')
      .map(
        (entry) =>
          `${(entry.body as { kind: string }).kind}/${(entry.body as { metadata: { name?: string; generateName?: string } }).metadata.name ?? (entry.body as { metadata: { generateName: string } }).metadata.generateName}`,
      );
    // Helm's pre-install hook weight -5 puts it before the Argo CD PreSync hook (wave 0).
    expect(created).toEqual([
      'Job/helm-pre',
      'Job/migrate-',
      'ConfigMap/early',
      'ConfigMap/settings',
      'Service/web',
      'Deployment/web',
      'ConfigMap/late',
      'Job/smoke',
    ]);
  });

  it('deletes hooks as their policy says and keeps the others', async () => {
    const jobs = await cluster.client.get<{ items: Array<{ metadata: { name: string } }> }>('/apis/batch/v1/namespaces/default/jobs');
    const names = jobs.items.map((item) => item.metadata.name);
    expect(names).not.toContain('smoke'); // HookSucceeded
    expect(names).toContain('helm-pre'); // BeforeHookCreation (the default) keeps it until the next run
    expect(names.some((name) => name.startsWith('migrate-') && name.length > 'migrate-'.length)).toBe(true);
  });

  it('replaces a BeforeHookCreation hook on the next sync: delete first, then create', async () => {
    const app = await writeApp({ 'hook.yaml': job('helm-pre', { 'helm.sh/hook': 'pre-upgrade' }) });
    cluster.sandbox.requests.clear();
    const result = await syncApp(cluster, 'ordered', app);
    expect(result.status).toBe('Succeeded');
    const sequence = writesIn(cluster).map((entry) => `${entry.method} ${entry.path.replace(/\?.*/, '')}`);
    expect(sequence).toEqual(['DELETE /apis/batch/v1/namespaces/default/jobs/helm-pre', 'PATCH /apis/batch/v1/namespaces/default/jobs/helm-pre']);
  });

  it('fails the sync when a hook fails, and runs the SyncFail hooks', async () => {
    const app = await writeApp({
      'hook.yaml': job('broken', { 'argocd.argoproj.io/hook': 'PreSync', 'sandbox.driftless.io/fail': 'true' }),
      'cleanup.yaml': job('on-failure', { 'argocd.argoproj.io/hook': 'SyncFail' }),
      'main.yaml': configMap('never-applied'),
    });
    const result = await syncApp(cluster, 'failing', app);
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/Job\/default\/broken/);
    const actions = Object.fromEntries(result.objects.map((change) => [change.name, change.action]));
    expect(actions['on-failure']).toBe('created');
    expect(actions['never-applied']).toBeUndefined();
  });
});
