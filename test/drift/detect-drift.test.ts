// Drift of a synced app against the sandbox, changed by the real kubectl: what a scan reports,
// with which paths and managers, and what it must not report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDrift } from '../../shared/drift/detect.ts';
import { confirmDrift } from '../../shared/drift/confirm.ts';
import type { IgnoreDifference } from '../../shared/kube/compare.ts';
import { render } from '../../shared/render/render.ts';
import type { RenderedObject } from '../../shared/render/types.ts';
import type { Inventory } from '../../shared/sync/inventory.ts';
import { sync } from '../../shared/sync/sync.ts';
import { runCli } from '../support/cli.ts';
import { startCluster, replaceApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let cluster: TestCluster;
let kubectl: Kubectl;
let kubeconfig: string;
beforeAll(async () => {
  cluster = await startCluster();
  kubectl = await kubectlFor(cluster.sandbox.kubeconfig());
  kubeconfig = join(tmpdir(), `drift-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
});
afterAll(() => cluster?.stop());

function manifests(namespace: string, image = 'nginx:1.27'): Record<string, string> {
  return {
    'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${namespace} }\n`,
    'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${namespace}, labels: { tier: frontend } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 1000m, memory: 1Gi }, limits: { memory: 1024Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${namespace} }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: "8080" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: ${namespace}, labels: { tier: frontend } }
data: { color: blue }
---
apiVersion: v1
kind: Secret
metadata: { name: creds, namespace: ${namespace} }
stringData: { password: hunter2 }
`,
  };
}

interface Deployed {
  app: string;
  root: string;
  rendered: RenderedObject[];
  inventory?: Inventory;
}

async function deploy(app: string, namespace: string, files = manifests(namespace), prune = false, previous?: Inventory, root?: string): Promise<Deployed> {
  const dir = root ?? (await writeApp(files));
  if (root) await replaceApp(root, files);
  const rendered = await render({ root: dir, path: '.', appName: app, destinationNamespace: namespace });
  const result = await sync({
    app,
    objects: rendered.objects,
    client: cluster.client,
    discovery: cluster.discovery(),
    previous,
    options: { timeoutMs: 20_000, prune },
  });
  expect(result.status, result.message).toBe('Succeeded');
  return { app, root: dir, rendered: rendered.objects, inventory: result.inventory };
}

function scan(deployed: Deployed, ignoreDifferences?: IgnoreDifference[], findOrphans = true) {
  return detectDrift({
    app: deployed.app,
    rendered: deployed.rendered,
    client: cluster.client,
    discovery: cluster.discovery(),
    inventory: deployed.inventory,
    findOrphans,
    ignoreDifferences,
  });
}

async function run(args: string[]): Promise<void> {
  const result = await kubectl(args);
  expect(result.code, result.stderr).toBe(0);
}

describe('a drift scan after a clean sync', () => {
  it('reports nothing: server defaults, quantities, int-or-string ports and Secret stringData are not drift', async () => {
    const deployed = await deploy('clean', 'clean');
    cluster.sandbox.requests.clear();
    const findings = await scan(deployed);
    expect(findings.objects).toEqual([]);
    expect(findings.suspects).toBe(0);
    // Nothing written, not even a dry-run; one read per kind (the Namespace is a single GET).
    const requests = cluster.sandbox.requests.entries();
    expect(requests.filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect(requests.filter((entry) => !/^\/(api|apis\/[^/]+)\/v1$/.test(entry.path)).length).toBeLessThanOrEqual(5);
  });
});

describe('changes made with kubectl are reported with their paths and field managers', () => {
  let deployed: Deployed;
  beforeAll(async () => {
    deployed = await deploy('edited', 'edited');
  });

  it('kubectl scale: .spec.replicas, owned by kubectl through the scale subresource', async () => {
    await run(['scale', 'deployment/web', '--replicas=5', '-n', 'edited']);
    const findings = await scan(deployed);
    expect(findings.objects).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'edited',
        name: 'web',
        state: 'modified',
        fields: [{ path: '.spec.replicas', managers: [{ manager: 'kubectl', operation: 'Update', subresource: 'scale' }] }],
      },
    ]);
  });

  it('kubectl label --overwrite: the label path, owned by kubectl-label', async () => {
    await run(['label', '--overwrite', 'configmap/settings', 'tier=backend', '-n', 'edited']);
    // A label Git does not set is not drift.
    await run(['label', 'configmap/settings', 'owner=someone', '-n', 'edited']);
    const findings = await scan(deployed);
    const settings = findings.objects.find((object) => object.kind === 'ConfigMap');
    expect(settings).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'edited',
      name: 'settings',
      state: 'modified',
      fields: [{ path: '.metadata.labels.tier', managers: [{ manager: 'kubectl-label', operation: 'Update' }] }],
    });
  });

  it('kubectl patch (an edit by another manager): the container field, owned by kubectl-patch', async () => {
    await run(['patch', 'deployment/web', '-n', 'edited', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}']);
    const findings = await scan(deployed);
    const web = findings.objects.find((object) => object.kind === 'Deployment');
    expect(web?.fields).toEqual([
      { path: '.spec.replicas', managers: [{ manager: 'kubectl', operation: 'Update', subresource: 'scale' }] },
      { path: '.spec.template.spec.containers[name="web"].image', managers: [{ manager: 'kubectl-patch', operation: 'Update' }] },
    ]);
  });

  it('a deleted object is missing', async () => {
    await run(['delete', 'service/web', '-n', 'edited']);
    const findings = await scan(deployed);
    expect(findings.objects.filter((object) => object.state === 'missing')).toEqual([
      { apiVersion: 'v1', kind: 'Service', namespace: 'edited', name: 'web', state: 'missing' },
    ]);
    expect(findings.objects.map((object) => `${object.kind}:${object.state}`).sort()).toEqual(['ConfigMap:modified', 'Deployment:modified', 'Service:missing']);
  });

  it('`driftless diff` reports the same objects, from the same comparison', async () => {
    const findings = await scan(deployed);
    const diff = await runCli(['diff', deployed.root, '--name', 'edited', '--namespace', 'edited', '--kubeconfig', kubeconfig]);
    expect(diff.code, diff.stderr).toBe(1);
    const inDiff = [...diff.stdout.matchAll(/^--- live\/(\S+)/gm)].map((match) => match[1]).sort();
    expect(inDiff).toEqual(findings.objects.map((object) => `${object.kind}/${object.namespace}/${object.name}`).sort());
    for (const field of findings.objects.flatMap((object) => object.fields ?? [])) {
      const leaf = field.path.split('.').pop()!.replace(/\[.*$/, '');
      expect(diff.stdout).toContain(leaf);
    }
  });
});

describe('objects no longer in Git', () => {
  it("are orphaned while prune is off, and only when they carry this app's tracking id", async () => {
    const files = manifests('orphans');
    const first = await deploy('orphans', 'orphans', files);
    const { 'web.yaml': _web, ...rest } = files;
    const fewer = {
      ...rest,
      'settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: orphans, labels: { tier: frontend } }\ndata: { color: blue }\n',
    };
    const second = await deploy('orphans', 'orphans', fewer, false, first.inventory, first.root);
    // Someone else's object under a name the inventory knows is not ours to report.
    await run(['annotate', '--overwrite', 'secret/creds', '-n', 'orphans', 'driftless.io/tracking-id=other:/Secret:orphans/creds']);
    const findings = await scan(second);
    expect(findings.objects.map(({ kind, name, state }) => `${kind}/${name}:${state}`).sort()).toEqual(['Deployment/web:orphaned', 'Service/web:orphaned']);
    // With prune on (findOrphans off) the sync prunes them; the scan does not report them.
    expect((await scan(second, undefined, false)).objects).toEqual([]);
  });
});

describe('ignoreDifferences', () => {
  async function scaleAsHpa(namespace: string, replicas: number): Promise<void> {
    // What the HPA controller sends: an update of the scale subresource as kube-controller-manager.
    await cluster.client.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/web/scale`,
      query: { fieldManager: 'kube-controller-manager' },
      body: JSON.stringify({ spec: { replicas } }),
      contentType: 'application/merge-patch+json',
    });
  }

  it('an HPA-managed replicas field is not drift when its manager is listed (managedFieldsManagers)', async () => {
    const deployed = await deploy('hpa', 'hpa');
    await scaleAsHpa('hpa', 7);
    const unignored = await scan(deployed);
    expect(unignored.objects[0].fields).toEqual([
      { path: '.spec.replicas', managers: [{ manager: 'kube-controller-manager', operation: 'Update', subresource: 'scale' }] },
    ]);
    expect((await scan(deployed, [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }])).objects).toEqual([]);
    // The rule names the manager: a person scaling by hand is still drift.
    await run(['label', '--overwrite', 'deployment/web', 'tier=backend', '-n', 'hpa']);
    const still = await scan(deployed, [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }]);
    expect(still.objects[0].fields?.map((field) => field.path)).toEqual(['.metadata.labels.tier']);
  });

  it('jsonPointers /spec/replicas ignores it too, for the objects the rule names only', async () => {
    const deployed = await deploy('pointers', 'pointers');
    await scaleAsHpa('pointers', 3);
    expect((await scan(deployed, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).objects).toEqual([]);
    expect((await scan(deployed, [{ group: 'apps', kind: 'Deployment', name: 'other', jsonPointers: ['/spec/replicas'] }])).objects).toHaveLength(1);
    // Argo CD semantics: no group means the core group, which a Deployment is not in.
    expect((await scan(deployed, [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).objects).toHaveLength(1);
  });
});

describe('confirmation by server-side dry-run', () => {
  it('dismisses a suspect that applying would not change, without writing anything', async () => {
    const deployed = await deploy('confirm', 'confirm');
    const findings = await scan(deployed);
    expect(findings.objects).toEqual([]);
    const live = await cluster.client.get<import('../../shared/kube/object.ts').KubeObject>('/api/v1/namespaces/confirm/configmaps/settings');
    const desired = deployed.rendered.map(({ object }) => object).find((object) => object.kind === 'ConfigMap')!;
    const tracked = { ...desired, metadata: { ...desired.metadata, annotations: live.metadata.annotations } };
    cluster.sandbox.requests.clear();
    // A comparison that wrongly suspected it (as one would for a normalisation it does not know).
    const confirmed = await confirmDrift(cluster.client, cluster.discovery(), [
      { desired: tracked, live, differences: [{ path: '.data.color', desired: 'blue', live: 'BLUE' }] },
    ]);
    expect(confirmed).toEqual([]);
    const writes = cluster.sandbox.requests.entries().filter((entry) => entry.method !== 'GET');
    expect(writes.map((entry) => entry.query.dryRun)).toEqual(['All']);
    expect(
      (await cluster.client.get<{ metadata: { resourceVersion: string } }>('/api/v1/namespaces/confirm/configmaps/settings')).metadata.resourceVersion,
    ).toBe(live.metadata.resourceVersion);
  });
});
