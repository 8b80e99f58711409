// A cascading delete follows ownerReferences as they are now, not as they were: an object
// that gained an owner after it was created goes with that owner, one whose reference was
// removed stays, and deleting one of two dependents leaves the owner still owning the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const base = '/api/v1/namespaces/own/configmaps';
const cm = (name: string, ownerReferences?: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) },
});
const refTo = (owner: { metadata: { name: string; uid: string } }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: owner.metadata.name,
  uid: owner.metadata.uid,
});
const status = async (name: string) => (await api.get(`${base}/${name}`)).status;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'own' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('cascading deletes and changed ownerReferences', () => {
  it('takes an object that gained its owner later, and leaves one whose reference was removed', async () => {
    const owner = (await api.post(base, cm('owner'))).body;
    await api.post(base, cm('adopted'));
    await api.post(base, cm('released', [refTo(owner)]));
    const adopt = await api.patch(`${base}/adopted`, { metadata: { ownerReferences: [refTo(owner)] } }, 'application/merge-patch+json');
    expect(adopt.status).toBe(200);
    const release = await api.patch(`${base}/released`, { metadata: { ownerReferences: null } }, 'application/merge-patch+json');
    expect(release.status).toBe(200);

    expect((await api.request('DELETE', `${base}/owner`)).status).toBe(200);
    expect(await status('adopted')).toBe(404);
    expect(await status('released')).toBe(200);
  });

  it('still cascades to the second of two dependents after the first was deleted on its own', async () => {
    const owner = (await api.post(base, cm('parent'))).body;
    await api.post(base, cm('first', [refTo(owner)]));
    await api.post(base, cm('second', [refTo(owner)]));
    expect((await api.request('DELETE', `${base}/first`)).status).toBe(200);
    expect((await api.request('DELETE', `${base}/parent`)).status).toBe(200);
    expect(await status('second')).toBe(404);
  });
});
