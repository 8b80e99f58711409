// Real kubectl 1.34 against the sandbox: it must behave like a cluster for everything
// Driftless and its users do with kubectl.
import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '../../../local/sandbox/index.ts';
import { kubectlFor, type Kubectl } from '../../support/kubectl.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;

let sandbox: Sandbox;
let kubectl: Kubectl;
let app: string;

async function getYaml(...target: string[]) {
  const result = await kubectl(['get', ...target, '-o', 'yaml', '--show-managed-fields']);
  expect(result.stderr).toBe('');
  return parse(result.stdout);
}

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: { readyDelayMs: 200 } });
  kubectl = await kubectlFor(sandbox.kubeconfig());
  app = await mkdtemp(join(tmpdir(), 'kubectl-app-'));
  await cp(join(fixtures, 'app'), app, { recursive: true });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('kubectl against the sandbox', () => {
  it('refuses a request without the bearer token', async () => {
    const response = await fetch(`${sandbox.url}/api`).catch((error: unknown) => error);
    // Node's fetch rejects the self-signed CA unless told about it; either way no data leaks.
    if (response instanceof Response) expect(response.status).toBe(401);
    else expect(String(response)).toMatch(/fetch failed/);
    const anonymous = await kubectlFor(sandbox.kubeconfig().replace(sandbox.token, 'wrong-token'));
    const result = await anonymous(['get', 'namespaces']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('server-side applies a directory; the custom resource waits for its CRD, as on a real cluster', async () => {
    const first = await kubectl(['apply', '--server-side', '-f', app]);
    expect(first.stdout).toMatch(/namespace\/shop serverside-applied/);
    expect(first.stdout).toMatch(/deployment.apps\/web serverside-applied/);
    expect(first.stdout).toMatch(/networkpolicy.networking.k8s.io\/web-ingress serverside-applied/);
    expect(first.stdout).toMatch(/customresourcedefinition.apiextensions.k8s.io\/widgets.example.com serverside-applied/);
    expect(first.stderr).toMatch(/no matches for kind "Widget" in version "example.com\/v1"/);

    const second = await kubectl(['apply', '--server-side', '-f', app]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/widget.example.com\/gear serverside-applied/);
  });

  it('shows applied fields, server defaults and managed fields with get -o yaml', async () => {
    const deployment = await getYaml('deployment', 'web', '-n', 'shop');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.revisionHistoryLimit).toBe(10);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.terminationMessagePath).toBe('/dev/termination-log');
    expect(container.ports[0].protocol).toBe('TCP');
    const managers = deployment.metadata.managedFields.map((entry: { manager: string; operation: string }) => `${entry.manager}/${entry.operation}`);
    expect(managers).toContain('kubectl/Apply');
    const applied = deployment.metadata.managedFields.find((entry: { manager: string }) => entry.manager === 'kubectl');
    expect(applied.fieldsV1['f:spec']['f:replicas']).toEqual({});

    const service = await getYaml('service', 'web', '-n', 'shop');
    expect(service.spec.clusterIP).toMatch(/^10\.96\./);
    expect(service.spec.ports[0].protocol).toBe('TCP');
    expect(service.spec.sessionAffinity).toBe('None');

    const policy = await getYaml('networkpolicy', 'web-ingress', '-n', 'shop');
    expect(policy.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { role: 'frontend' } } }]);

    const widget = await getYaml('widgets', 'gear', '-n', 'shop');
    expect(widget.spec.teeth).toBe(12);
    const crd = await getYaml('crd', 'widgets.example.com');
    const established = crd.status.conditions.find((condition: { type: string }) => condition.type === 'Established');
    expect(established.status).toBe('True');
  });

  it('removes a field from the live object when the applier stops applying it', async () => {
    const file = join(app, '10-config.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('  size: large\n', ''));
    const result = await kubectl(['apply', '--server-side', '-f', file]);
    expect(result.code).toBe(0);
    const config = await getYaml('configmap', 'web-config', '-n', 'shop');
    expect(config.data).toEqual({ color: 'blue' });
  });

  it("refuses a second manager's conflicting apply without --force-conflicts and accepts it with", async () => {
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 5\n';
    const refused = await kubectl(['apply', '--server-side', '--field-manager', 'intruder', '-f', '-'], patch);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl"(?: using apps\/v1)?: \.spec\.replicas/);
    expect((await getYaml('deployment', 'web', '-n', 'shop')).spec.replicas).toBe(2);

    const forced = await kubectl(['apply', '--server-side', '--field-manager', 'intruder', '--force-conflicts', '-f', '-'], patch);
    expect(forced.code).toBe(0);
    const deployment = await getYaml('deployment', 'web', '-n', 'shop');
    expect(deployment.spec.replicas).toBe(5);
    const intruder = deployment.metadata.managedFields.find((entry: { manager: string }) => entry.manager === 'intruder');
    expect(intruder.fieldsV1['f:spec']['f:replicas']).toEqual({});
    const original = deployment.metadata.managedFields.find((entry: { manager: string }) => entry.manager === 'kubectl');
    expect(original.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('changes nothing on apply --dry-run=server', async () => {
    const before = await getYaml('configmap', 'web-config', '-n', 'shop');
    const changed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata:\n  color: red\n';
    const result = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], changed);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/configmap\/web-config serverside-applied \(server dry run\)/);
    const after = await getYaml('configmap', 'web-config', '-n', 'shop');
    expect(after.data).toEqual(before.data);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('reports a changed field with kubectl diff --server-side', async () => {
    const changed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata:\n  color: green\n';
    const result = await kubectl(['diff', '--server-side', '-f', '-'], changed);
    expect(result.code).toBe(1); // kubectl diff exits 1 when there are differences
    expect(result.stdout).toMatch(/-\s+color: blue/);
    expect(result.stdout).toMatch(/\+\s+color: green/);
    const same = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: shop\ndata:\n  color: blue\n';
    expect((await kubectl(['diff', '--server-side', '-f', '-'], same)).code).toBe(0);
  });

  it('scales a deployment and waits for its rollout', async () => {
    const scaled = await kubectl(['scale', 'deployment/web', '-n', 'shop', '--replicas=3']);
    expect(scaled.stdout).toMatch(/deployment.apps\/web scaled/);
    const rollout = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s']);
    expect(rollout.stderr).toBe('');
    expect(rollout.stdout).toMatch(/successfully rolled out/);
    const deployment = await getYaml('deployment', 'web', '-n', 'shop');
    expect(deployment.status.readyReplicas).toBe(3);
  });

  it('waits for a job to complete', async () => {
    const created = await kubectl(['apply', '--server-side', '-f', join(fixtures, 'job.yaml')]);
    expect(created.code).toBe(0);
    const waited = await kubectl(['wait', '--for=condition=complete', 'job/migrate', '-n', 'shop', '--timeout=30s']);
    expect(waited.stderr).toBe('');
    expect(waited.stdout).toMatch(/job.batch\/migrate condition met/);
  });

  it('words errors for a missing namespace and an unknown kind as a real cluster does', async () => {
    const missing = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lost\n  namespace: nowhere\ndata: {}\n';
    const noNamespace = await kubectl(['apply', '--server-side', '-f', '-'], missing);
    expect(noNamespace.code).not.toBe(0);
    expect(noNamespace.stderr).toMatch(/namespaces "nowhere" not found/);

    const unknown = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: x\n  namespace: shop\n';
    const noKind = await kubectl(['apply', '--server-side', '-f', '-'], unknown);
    expect(noKind.code).not.toBe(0);
    expect(noKind.stderr).toMatch(/no matches for kind "Gadget" in version "example.com\/v1"/);

    const absent = await kubectl(['get', 'deployment', 'nope', '-n', 'shop']);
    expect(absent.stderr).toMatch(/Error from server \(NotFound\): deployments.apps "nope" not found/);
  });

  it('deletes what it applied', async () => {
    const result = await kubectl(['delete', '-f', app, '--timeout=30s']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/namespace "shop" deleted/);
    const gone = await kubectl(['get', 'namespace', 'shop']);
    expect(gone.stderr).toMatch(/namespaces "shop" not found/);
    const crd = await kubectl(['get', 'crd', 'widgets.example.com']);
    expect(crd.stderr).toMatch(/not found/);
  });
});
