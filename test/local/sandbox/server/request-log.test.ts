// The request log shows each write's body as the server parsed it (JSON, YAML for apply,
// text when it does not parse), none for reads, and hands out copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'log' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('request log bodies', () => {
  it('shows a YAML apply parsed, a body that does not parse as its text, and no body for a GET', async () => {
    sandbox.requests.clear();
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  color: blue\n';
    const applied = await api.request('PATCH', '/api/v1/namespaces/log/configmaps/applied?fieldManager=me', undefined, {
      contentType: 'application/apply-patch+yaml',
      text: yaml,
    });
    expect(applied.status).toBe(201);
    const broken = await api.request('POST', '/api/v1/namespaces/log/configmaps', undefined, { contentType: 'application/json', text: '{"kind":' });
    expect(broken.status).toBe(400);
    await api.get('/api/v1/namespaces/log/configmaps/applied');

    const [apply, post, get] = sandbox.requests.entries();
    expect(apply).toMatchObject({
      verb: 'patch',
      query: { fieldManager: 'me' },
      bodySize: Buffer.byteLength(yaml),
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { color: 'blue' } },
      status: 201,
    });
    expect(post).toMatchObject({ verb: 'create', body: '{"kind":', status: 400 });
    expect(get).toMatchObject({ verb: 'get', name: 'applied', bodySize: 0, status: 200 });
    expect(get).not.toHaveProperty('body');
  });

  it('hands out copies: changing an entry read once does not change the next read', async () => {
    sandbox.requests.clear();
    await api.get('/api/v1/namespaces/log');
    const first = sandbox.requests.entries()[0];
    first.status = 599;
    first.path = '/changed';
    expect(sandbox.requests.entries()[0]).toMatchObject({ path: '/api/v1/namespaces/log', status: 200 });
  });

  it('keeps no bodies when started with requestBodies: false, and still logs every request', async () => {
    const lean = await startSandbox({ controllers: false, requestBodies: false });
    try {
      const client = clientFor(lean);
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lean' } };
      expect((await client.post('/api/v1/namespaces', namespace)).status).toBe(201);
      const [post] = lean.requests.entries();
      expect(post).toMatchObject({ verb: 'create', resource: 'namespaces', bodySize: JSON.stringify(namespace).length, status: 201 });
      expect(post).not.toHaveProperty('body');
    } finally {
      await lean.stop();
    }
  });
});
