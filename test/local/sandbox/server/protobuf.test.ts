// kubectl's typed `create` commands send protobuf: the kinds they create decode, others are
// refused with 415 instead of being stored wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { StatusError } from '../../../../local/sandbox/errors.ts';
import { allMessageNames, messageOf } from '../../../../local/sandbox/proto/descriptors.ts';
import { decodeProtobuf } from '../../../../local/sandbox/protobuf.ts';
import { clientFor, type Client } from './client.ts';

// The body kubectl 1.34 sent for `kubectl create configmap c1 -n demo --from-literal=a=b`.
const CREATE_CONFIGMAP = Buffer.from(
  '6b3873000a0f0a0276311209436f6e6669674d617012200a160a02633112001a0464656d6f22002a0032003800420012060a01611201621a002200',
  'hex',
);

// `kubectl create deployment web --image=nginx:1.27 --port=80 --replicas=2 -n demo`.
const CREATE_DEPLOYMENT = Buffer.from(
  '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412c1010a230a0377656212001a0464656d6f22002a003200380042005a0a0a036170701203776562128b010802120c0a0a0a0361707012037765621a710a1c0a0012001a0022002a003200380042005a0a0a036170701203776562125112330a056e67696e78120a6e67696e783a312e32372a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
  'hex',
);

// `kubectl create deployment zero --image=nginx --replicas=0 -n demo`: replicas is a pointer, set to 0.
const CREATE_DEPLOYMENT_OF_ZERO = Buffer.from(
  '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412b3010a250a047a65726f12001a0464656d6f22002a003200380042005a0b0a0361707012047a65726f127c0800120d0a0b0a0361707012047a65726f1a610a1d0a0012001a0022002a003200380042005a0b0a0361707012047a65726f124012220a056e67696e7812056e67696e782a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
  'hex',
);

// `kubectl create ingress ing --class=nginx --rule="foo.com/bar=svc1:8080,tls=my-cert" --default-backend=defsvc:http --annotation=a=b -n demo`.
const CREATE_INGRESS = Buffer.from(
  '6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e67726573731287010a1f0a03696e6712001a0464656d6f22002a0032003800420062060a016112016212600a1422120a0664656673766312080a0468747470100012120a07666f6f2e636f6d12076d792d636572741a2d0a07666f6f2e636f6d12220a200a1e0a042f626172120f220d0a047376633112050a0010903f1a05457861637422056e67696e781a020a001a002200',
  'hex',
);

/** A length-delimited protobuf field (short values only: one-byte key and length). */
function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, value.length]), value]);
}

function refusal(body: Buffer): StatusError {
  try {
    decodeProtobuf(body);
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error('the body was decoded');
}

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

  it('decodes a Deployment as kubectl create sends it: the fields of kubectl create --dry-run=client -o json, empty structs left out', () => {
    expect(decodeProtobuf(CREATE_DEPLOYMENT)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      },
    });
  });

  it('keeps a pointer field set to zero (replicas: 0), which an unset field is not', () => {
    expect(decodeProtobuf(CREATE_DEPLOYMENT_OF_ZERO).spec).toMatchObject({ replicas: 0 });
    expect((decodeProtobuf(CREATE_DEPLOYMENT).spec as Record<string, unknown>).minReadySeconds).toBeUndefined();
  });

  it('decodes inlined structs, IntOrString names and optional strings of an Ingress', () => {
    expect(decodeProtobuf(CREATE_INGRESS)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ing', namespace: 'demo', annotations: { a: 'b' } },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'defsvc', port: { name: 'http' } } },
        tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
        rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }],
      },
    });
  });

  it('refuses kinds it cannot decode with 415 UnsupportedMediaType', () => {
    // No kubectl command creates a StatefulSet: the envelope of one, typeMeta apps/v1 StatefulSet.
    const statefulSet = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from('0a160a07617070732f7631120b537461746566756c536574', 'hex')]);
    const refused = refusal(statefulSet);
    expect(refused.code).toBe(415);
    expect(refused.message).toMatch(/kind StatefulSet of apps\/v1/);
  });

  it('refuses a field it does not know that carries a value, naming it, rather than dropping it', () => {
    // A ConfigMap named c1 with a field 9 = "x", which ConfigMap does not have.
    const raw = Buffer.concat([bytesField(1, bytesField(1, Buffer.from('c1'))), bytesField(9, Buffer.from('x'))]);
    const typeMeta = Buffer.concat([bytesField(1, Buffer.from('v1')), bytesField(2, Buffer.from('ConfigMap'))]);
    const refused = refusal(Buffer.concat([Buffer.from('k8s\0', 'latin1'), bytesField(1, typeMeta), bytesField(2, raw)]));
    expect(refused.code).toBe(415);
    expect(refused.message).toMatch(/field 9 of core\.v1\.ConfigMap/);
  });

  it('has a descriptor for every message its table refers to', () => {
    expect(() => allMessageNames().forEach((name) => messageOf(name))).not.toThrow();
  });
});
