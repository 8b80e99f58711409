// Issue 12, item 2: an object another app owns — our tracking id naming that app, or Argo
// CD's — is never written by a second app, even one whose project permits the kind and the
// namespace: a forced server-side apply would silently take it over. The sync reports the
// object as failed with its owner, and the request log shows nothing sent to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT } from '../../shared/config/normalise-project.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { hookJob } from '../sync/fixtures.ts';
import { syncInProject } from '../project/bounded-sync.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { owner: ${value} }\n`;
const project = DEFAULT_PROJECT;

async function liveData(name: string): Promise<Record<string, string> | undefined> {
  return (await cluster.client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/default/configmaps/${name}`)).data;
}

/** The writes sent to one object's path since `from`. */
function writesTo(from: number, path: string) {
  return writesIn(cluster)
    .slice(from)
    .filter((entry) => entry.path === path);
}

describe('takeover', () => {
  it('refuses to apply over an object another Driftless app tracks, and applies the rest', async () => {
    await syncInProject(cluster, 'billing', await writeApp({ 'cm.yaml': configMap('ledger', 'billing') }), { project });
    const from = writesIn(cluster).length;
    const result = await syncInProject(
      cluster,
      'intruder',
      await writeApp({ 'cm.yaml': configMap('ledger', 'intruder'), 'own.yaml': configMap('notes', 'intruder') }),
      { project },
    );

    expect(result.status).toBe('Failed');
    expect(result.objects.find((entry) => entry.name === 'notes')?.action).toBe('created');
    const change = result.objects.find((entry) => entry.name === 'ledger');
    expect(change).toMatchObject({ action: 'failed' });
    expect(change?.message).toMatch(/^owned by app billing \(driftless\.io\/tracking-id\); not taken over/);
    expect(writesTo(from, '/api/v1/namespaces/default/configmaps/ledger')).toEqual([]);
    expect(await liveData('ledger')).toEqual({ owner: 'billing' });
  });

  it('refuses an object Argo CD tracks for another application', async () => {
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'argo-owned', annotations: { 'argocd.argoproj.io/tracking-id': 'payments:/ConfigMap:default/argo-owned' } },
        data: { owner: 'payments' },
      },
    });
    const from = writesIn(cluster).length;
    const result = await syncInProject(cluster, 'intruder', await writeApp({ 'cm.yaml': configMap('argo-owned', 'intruder') }), { project });
    expect(result.objects.find((entry) => entry.name === 'argo-owned')?.message).toMatch(
      /^owned by Argo CD app payments \(argocd\.argoproj\.io\/tracking-id\)/,
    );
    expect(writesTo(from, '/api/v1/namespaces/default/configmaps/argo-owned')).toEqual([]);
    expect(await liveData('argo-owned')).toEqual({ owner: 'payments' });
  });

  it('still adopts an object nobody tracks, and keeps applying its own', async () => {
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made' }, data: { owner: 'nobody' } },
    });
    const root = await writeApp({ 'cm.yaml': configMap('hand-made', 'adopter') });
    expect((await syncInProject(cluster, 'adopter', root, { project })).status).toBe('Succeeded');
    expect((await syncInProject(cluster, 'adopter', root, { project })).status).toBe('Succeeded');
    expect(await liveData('hand-made')).toEqual({ owner: 'adopter' });
  });

  it("does not replace another app's hook of the same name (BeforeHookCreation would delete it)", async () => {
    const hook = hookJob('migrate', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    await syncInProject(cluster, 'billing', await writeApp({ 'hook.yaml': hook, 'cm.yaml': configMap('ledger', 'billing') }), { project });
    const uid = (await cluster.client.get<{ metadata: { uid: string } }>('/apis/batch/v1/namespaces/default/jobs/migrate')).metadata.uid;
    const from = writesIn(cluster).length;
    const result = await syncInProject(cluster, 'intruder', await writeApp({ 'hook.yaml': hook, 'cm.yaml': configMap('intruder-own', 'intruder') }), {
      project,
    });
    expect(result.objects.find((entry) => entry.name === 'migrate')).toMatchObject({
      action: 'failed',
      message: expect.stringMatching(/^owned by app billing/),
    });
    expect(writesTo(from, '/apis/batch/v1/namespaces/default/jobs/migrate')).toEqual([]);
    expect((await cluster.client.get<{ metadata: { uid: string } }>('/apis/batch/v1/namespaces/default/jobs/migrate')).metadata.uid).toBe(uid);
  });

  it("never prunes another app's object that an inventory lists", async () => {
    const forged = { app: 'intruder', entries: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'ledger', fingerprint: 'x' }] };
    const from = writesIn(cluster).length;
    const result = await syncInProject(cluster, 'intruder', await writeApp({ 'cm.yaml': configMap('intruder-own', 'intruder') }), {
      project,
      previous: forged,
      options: { prune: true },
    });
    expect(result.objects.find((entry) => entry.name === 'ledger')).toMatchObject({
      action: 'skipped',
      message: expect.stringMatching(/not tracked by this app/),
    });
    expect(writesTo(from, '/api/v1/namespaces/default/configmaps/ledger')).toEqual([]);
  });
});
