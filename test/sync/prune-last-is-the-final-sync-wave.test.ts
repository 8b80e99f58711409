// Argo CD's PruneLast=true ("Sync Options" page): pruning happens "as a final, implicit wave
// of a sync operation, after the other resources have been deployed and become healthy, and
// after all other waves completed successfully"; it can be set for the app or on one object.
// gitops-engine (sync_context.go getSyncTasks) gives those prunes the Sync phase's last wave
// + 1, so they run before the PostSync hooks. Without it Driftless prunes after the whole
// sync, PostSync hooks included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRunOptions } from '../../shared/sync/sync.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found, hookJob } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, wave: number, value: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\n${extra}data: { k: "${value}" }\n`;

const PRUNE_LAST_ANNOTATION = '    argocd.argoproj.io/sync-options: PruneLast=true\n';

/** An app whose second sync changes a wave-1 object, drops `goes`, and has a PostSync hook. */
async function dropOne(app: string, options: SyncRunOptions, goesAnnotation = ''): Promise<{ sequence: string[]; pruned: unknown }> {
  const hook = hookJob(`${app}-after`, { 'argocd.argoproj.io/hook': 'PostSync' });
  const first = await syncApp(
    cluster,
    app,
    await writeApp({ 'late.yaml': configMap(`${app}-late`, 1, 'v1'), 'goes.yaml': configMap(`${app}-goes`, 0, 'v1', goesAnnotation), 'hook.yaml': hook }),
  );
  expect(first.status).toBe('Succeeded');
  cluster.sandbox.requests.clear();
  const second = await syncApp(cluster, app, await writeApp({ 'late.yaml': configMap(`${app}-late`, 1, 'v2'), 'hook.yaml': hook }), first.inventory, {
    prune: true,
    ...options,
  });
  expect(second.status).toBe('Succeeded');
  expect(await found(cluster, `/api/v1/namespaces/default/configmaps/${app}-goes`)).toBe(false);
  const sequence = writesIn(cluster).map((entry) => `${entry.method} ${entry.path.split('?')[0].split('/').slice(-2).join('/')}`);
  return { sequence, pruned: second.objects.find((change) => change.action === 'pruned') };
}

describe('PruneLast=true', () => {
  it('prunes after the last Sync wave, before the PostSync hooks', async () => {
    const { sequence, pruned } = await dropOne('pl-app', { syncOptions: { pruneLast: true } });
    expect(sequence).toEqual([
      'PATCH configmaps/pl-app-late', // wave 1
      'DELETE configmaps/pl-app-goes', // the final wave: 1 + 1
      'DELETE jobs/pl-app-after', // PostSync: the hook's previous run (BeforeHookCreation), then the hook
      'PATCH jobs/pl-app-after',
    ]);
    expect(pruned).toMatchObject({ name: 'pl-app-goes', phase: 'Sync', wave: 2 });
  });

  it('does so for one object from its own annotation, read from the live object', async () => {
    const { sequence } = await dropOne('pl-obj', {}, PRUNE_LAST_ANNOTATION);
    expect(sequence).toEqual(['PATCH configmaps/pl-obj-late', 'DELETE configmaps/pl-obj-goes', 'DELETE jobs/pl-obj-after', 'PATCH jobs/pl-obj-after']);
  });

  it('without it, the prune comes after the whole sync, PostSync hooks included', async () => {
    const { sequence } = await dropOne('pl-none', {});
    expect(sequence).toEqual(['PATCH configmaps/pl-none-late', 'DELETE jobs/pl-none-after', 'PATCH jobs/pl-none-after', 'DELETE configmaps/pl-none-goes']);
  });

  it('prunes nothing when a wave fails: the final wave is never reached', async () => {
    const first = await syncApp(
      cluster,
      'pl-fail',
      await writeApp({ 'goes.yaml': configMap('pl-fail-goes', 0, 'v1'), 'a.yaml': configMap('pl-fail-a', 0, 'v1') }),
    );
    const broken = await writeApp({
      'a.yaml': configMap('pl-fail-a', 0, 'v1'),
      'bad.yaml': hookJob('pl-fail-bad', { 'sandbox.driftless.io/fail': 'true', 'argocd.argoproj.io/sync-wave': '1' }),
    });
    const second = await syncApp(cluster, 'pl-fail', broken, first.inventory, { prune: true, syncOptions: { pruneLast: true }, timeoutMs: 5_000 });
    expect(second.status).toBe('Failed');
    expect(await found(cluster, '/api/v1/namespaces/default/configmaps/pl-fail-goes')).toBe(true);
    expect(second.inventory?.entries.map((entry) => entry.name)).toContain('pl-fail-goes');
  });
});
