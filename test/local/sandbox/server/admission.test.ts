// Webhook configurations and admission policies are stored with the defaults the API server
// gives them (admissionregistration/v1 defaults.go) and are never called: the sandbox runs no
// admission webhooks, so an object their rules match is still admitted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const VALIDATING = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const MUTATING = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

const webhook = (name: string) => ({
  name,
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  clientConfig: { service: { namespace: 'cert-manager', name: 'cert-manager-webhook', path: '/validate' } },
  rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }],
});

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('webhook configurations', () => {
  it('are stored with the API server defaults, generation 1', async () => {
    const created = await api.post(VALIDATING, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [webhook('webhook.cert-manager.io')],
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.webhooks[0]).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      clientConfig: { service: { port: 443 } },
      rules: [{ scope: '*' }],
    });
    expect(created.body.webhooks[0].reinvocationPolicy).toBeUndefined();

    const mutating = await api.post(MUTATING, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'inject' },
      webhooks: [webhook('inject.example.com')],
    });
    expect(mutating.body.webhooks[0].reinvocationPolicy).toBe('Never');
  });

  it('are not called: an object their rules match is admitted', async () => {
    const config = await api.post('/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'matched' },
      data: { a: 'b' },
    });
    expect(config.status).toBe(201);
  });

  it('merge their webhooks by name under server-side apply, each manager keeping its own', async () => {
    const apply = (manager: string, body: unknown) =>
      api.request('PATCH', `${VALIDATING}/shared?fieldManager=${manager}`, body, { contentType: 'application/apply-patch+yaml' });
    const config = (name: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'shared' },
      webhooks: [webhook(name)],
    });
    expect((await apply('chart-a', config('a.example.com'))).status).toBe(201);
    expect((await apply('chart-b', config('b.example.com'))).status).toBe(200);
    const live = (await api.get(`${VALIDATING}/shared`)).body;
    expect(live.webhooks.map((w: { name: string }) => w.name)).toEqual(['a.example.com', 'b.example.com']);
  });
});

describe('admission policies', () => {
  it('store a ValidatingAdmissionPolicy with failurePolicy Fail and its match defaults', async () => {
    const created = await api.post('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'replicas-limit' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= 5' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.spec).toMatchObject({
      failurePolicy: 'Fail',
      matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules: [{ scope: '*' }] },
    });
    const binding = await api.post('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'replicas-limit' },
      spec: { policyName: 'replicas-limit', validationActions: ['Deny'] },
    });
    expect(binding.status).toBe(201);
  });
});

describe('names of the other kinds', () => {
  it('names an IPAddress by its IP in canonical form', async () => {
    const ip = (name: string) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'web' } },
    });
    expect((await api.post('/apis/networking.k8s.io/v1/ipaddresses', ip('10.96.0.20'))).status).toBe(201);
    expect((await api.post('/apis/networking.k8s.io/v1/ipaddresses', ip('2001:db8::1'))).status).toBe(201);
    const long = await api.post('/apis/networking.k8s.io/v1/ipaddresses', ip('2001:db8:0:0:0::2'));
    expect(long.status).toBe(422);
    expect(long.body.message).toMatch(/must be in canonical form \("2001:db8::2"\)/);
    const web = await api.post('/apis/networking.k8s.io/v1/ipaddresses', ip('web'));
    expect(web.status).toBe(422);
    expect(web.body.message).toMatch(/must be a valid IP address/);
  });

  it('lets a CertificateSigningRequest be named anything', async () => {
    const csr = await api.post('/apis/certificates.k8s.io/v1/certificatesigningrequests', {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'Node:CSR_1' },
      spec: { request: 'LS0t', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    });
    expect(csr.status).toBe(201);
  });
});
