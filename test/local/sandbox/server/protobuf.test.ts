// kubectl's typed `create` commands send protobuf: the simple kinds decode, others are
// refused with 415 instead of being stored wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { decodeProtobuf } from '../../../../local/sandbox/protobuf.ts';
import { clientFor, type Client } from './client.ts';

// The body kubectl 1.34 sent for `kubectl create configmap c1 -n demo --from-literal=a=b`.
const CREATE_CONFIGMAP = Buffer.from(
  '6b3873000a0f0a0276311209436f6e6669674d617012200a160a02633112001a0464656d6f22002a0032003800420012060a01611201621a002200',
  'hex',
);

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('protobuf request bodies', () => {
  it('decodes a ConfigMap as kubectl create sends it, omitting empty fields', () => {
    expect(decodeProtobuf(CREATE_CONFIGMAP)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'demo' }, data: { a: 'b' } });
  });

  it('creates the object from a protobuf POST', async () => {
    const created = await api.request('POST', '/api/v1/namespaces/demo/configmaps', undefined, {
      bytes: CREATE_CONFIGMAP,
      contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(created.status).toBe(201);
    expect((await api.get('/api/v1/namespaces/demo/configmaps/c1')).body.data).toEqual({ a: 'b' });
  });

  it('refuses kinds it cannot decode with 415 UnsupportedMediaType', () => {
    const deployment = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from('0a150a07617070732f7631120a4465706c6f796d656e74', 'hex')]);
    expect(() => decodeProtobuf(deployment)).toThrow(/kind Deployment of apps\/v1/);
  });
});
