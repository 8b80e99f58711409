// What metrics-server, cert-manager and ingress-nginx charts install beside their workloads:
// webhook configurations, an APIService and RBAC named like the system roles. Real kubectl
// server-side applies them to the sandbox as it would to EKS; the APIService becomes Available
// once its Service exists; the webhooks are stored, never called.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../local/sandbox/index.ts';
import { kubectlFor, type Kubectl } from '../../support/kubectl.ts';

// kubectl's answers are JSON documents the tests assert on field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const fixtures = new URL('./fixtures/extensions/', import.meta.url).pathname;

let sandbox: Sandbox;
let kubectl: Kubectl;

async function apply(file: string) {
  return kubectl(['apply', '--server-side', '-f', join(fixtures, file)]);
}

async function getJson(...target: string[]): Promise<Json> {
  const result = await kubectl(['get', ...target, '-o', 'json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

const available = (apiService: Json) => apiService.status?.conditions?.find((c: Json) => c.type === 'Available');

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: { readyDelayMs: 50 } });
  kubectl = await kubectlFor(sandbox.kubeconfig());
  expect((await apply('00-namespace.yaml')).code).toBe(0);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('kubectl apply --server-side of admission and aggregation objects', () => {
  it('applies a ValidatingWebhookConfiguration and a MutatingWebhookConfiguration', async () => {
    const result = await apply('40-webhooks.yaml');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/validatingwebhookconfiguration.admissionregistration.k8s.io\/cert-manager-webhook serverside-applied/);
    expect(result.stdout).toMatch(/mutatingwebhookconfiguration.admissionregistration.k8s.io\/cert-manager-webhook serverside-applied/);
    const validating = await getJson('validatingwebhookconfiguration', 'cert-manager-webhook', '--show-managed-fields');
    expect(validating.webhooks[0]).toMatchObject({
      name: 'webhook.cert-manager.io',
      timeoutSeconds: 30,
      clientConfig: { service: { name: 'cert-manager-webhook', path: '/validate', port: 443 } },
    });
    const managers = validating.metadata.managedFields.map((entry: Json) => `${entry.manager}/${entry.operation}`);
    expect(managers).toEqual(['kubectl/Apply']);
    expect((await getJson('mutatingwebhookconfiguration', 'cert-manager-webhook')).webhooks[0].reinvocationPolicy).toBe('Never');
  });

  it('lists them with kubectl get api-extensions', async () => {
    const result = await kubectl(['get', 'api-extensions', '-o', 'name']);
    expect(result.stdout).toMatch(/validatingwebhookconfiguration.admissionregistration.k8s.io\/cert-manager-webhook/);
    expect(result.stdout).toMatch(/mutatingwebhookconfiguration.admissionregistration.k8s.io\/cert-manager-webhook/);
  });

  it('applies a ClusterRole and ClusterRoleBinding named system:metrics-server', async () => {
    const result = await apply('10-rbac.yaml');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/clusterrole.rbac.authorization.k8s.io\/system:metrics-server serverside-applied/);
    expect(result.stdout).toMatch(/clusterrolebinding.rbac.authorization.k8s.io\/system:metrics-server serverside-applied/);
    expect((await getJson('clusterrole', 'system:metrics-server')).rules).toHaveLength(2);
  });

  it('applies an APIService that is not Available until its Service exists, then is', async () => {
    const result = await apply('30-apiservice.yaml');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/apiservice.apiregistration.k8s.io\/v1beta1.metrics.k8s.io serverside-applied/);
    const waitFalse = await kubectl(['wait', '--for=condition=Available=False', 'apiservice/v1beta1.metrics.k8s.io', '--timeout=10s']);
    expect(waitFalse.stderr).toBe('');
    expect(available(await getJson('apiservice', 'v1beta1.metrics.k8s.io'))).toMatchObject({ reason: 'ServiceNotFound' });

    expect((await apply('20-service.yaml')).code).toBe(0);
    const waited = await kubectl(['wait', '--for=condition=Available', 'apiservice/v1beta1.metrics.k8s.io', '--timeout=10s']);
    expect(waited.stderr).toBe('');
    expect(waited.stdout).toMatch(/apiservice.apiregistration.k8s.io\/v1beta1.metrics.k8s.io condition met/);
    expect(available(await getJson('apiservice', 'v1beta1.metrics.k8s.io'))).toMatchObject({ status: 'True', reason: 'Passed' });
  });

  it('re-applies all of it without conflicts and without a new generation', async () => {
    const before = await getJson('validatingwebhookconfiguration', 'cert-manager-webhook');
    const result = await kubectl(['apply', '--server-side', '-f', fixtures]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const after = await getJson('validatingwebhookconfiguration', 'cert-manager-webhook');
    // The webhooks did not change; their managedFields time may move, as on a real server,
    // whose no-op check runs before defaulting fills `scope` into the atomic rules again.
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.webhooks).toEqual(before.webhooks);
  });
});
