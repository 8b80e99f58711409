// LIST of one namespace answers that namespace's objects alone, by name, and follows creates
// and deletes; LIST across namespaces answers every namespace's, by namespace then name, as
// the API server's storage (keyed /namespace/name) orders them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const names = async (path: string) =>
  ((await api.get(path)).body.items as Array<{ metadata: { namespace: string; name: string } }>).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  for (const namespace of ['beta', 'alpha']) await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  for (const [namespace, name] of [
    ['beta', 'two'],
    ['alpha', 'zed'],
    ['beta', 'one'],
    ['alpha', 'ace'],
  ]) {
    expect((await api.post(`/api/v1/namespaces/${namespace}/configmaps`, configMap(name))).status).toBe(201);
  }
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('LIST by namespace', () => {
  it("answers one namespace's objects by name, and every namespace's by namespace and name", async () => {
    expect(await names('/api/v1/namespaces/beta/configmaps')).toEqual(['beta/one', 'beta/two']);
    expect(await names('/api/v1/namespaces/alpha/configmaps')).toEqual(['alpha/ace', 'alpha/zed']);
    expect(await names('/api/v1/configmaps')).toEqual(['alpha/ace', 'alpha/zed', 'beta/one', 'beta/two']);
  });

  it('follows deletes and new objects, and answers an empty list for a namespace with none', async () => {
    expect((await api.request('DELETE', '/api/v1/namespaces/beta/configmaps/one')).status).toBe(200);
    expect((await api.request('DELETE', '/api/v1/namespaces/beta/configmaps/two')).status).toBe(200);
    expect(await names('/api/v1/namespaces/beta/configmaps')).toEqual([]);
    await api.post('/api/v1/namespaces/beta/configmaps', configMap('three'));
    expect(await names('/api/v1/namespaces/beta/configmaps')).toEqual(['beta/three']);
    expect(await names('/api/v1/namespaces/gamma/configmaps')).toEqual([]);
    expect(await names('/api/v1/configmaps')).toEqual(['alpha/ace', 'alpha/zed', 'beta/three']);
  });
});
