// ApplicationSets through the whole pipeline (webhook, worker, dynalite, fauxqs, sandbox): a
// config push adding sets generates their apps and syncs them; a push relabelling the
// Clusters (Clusters live in driftless/, so that is a config push too) makes a clusters
// generator's app appear on the newly selected cluster and the old one leave: with Argo CD's
// resources finalizer (which Argo CD puts on generated apps) its resources are deleted, with
// the set's preserveResourcesOnDeletion they stay (even with the finalizer on the template); a create-only set does not update its app.
// Both Cluster entries reach the one sandbox; each app has a namespace of its own there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveConfigMap, REPO_URL, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

function clusters(labels: { one: string; two: string }): string {
  return ['one', 'two']
    .map(
      (name) =>
        `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${name}\n  labels: { ${labels[name as 'one' | 'two']} }\nspec:\n  kubeconfig: { context: sandbox }\n`,
    )
    .join('---\n');
}

/** A clusters-generator set deploying apps/web to every Cluster labelled `<selector>: "yes"`. */
function clustersSet(name: string, selector: string, syncPolicy = '', metadata = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  generators:
    - clusters:
        selector:
          matchLabels:
            ${selector}: "yes"
${syncPolicy}  template:
    metadata:
      name: '${name}-{{name}}'
      labels:
        cluster: '{{name}}'
${metadata}    spec:
      project: default
      source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/web }
      destination: { name: '{{name}}', namespace: '${name}-{{name}}' }
      syncPolicy:
        automated: { prune: true }
        syncOptions: [CreateNamespace=true]
`;
}

/** A create-only list set: one app on cluster one in the namespace the element names. */
function frozenSet(namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: frozen
spec:
  syncPolicy:
    applicationsSync: create-only
  generators:
    - list:
        elements:
          - cluster: one
            namespace: ${namespace}
  template:
    metadata:
      name: frozen
    spec:
      project: default
      source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/web }
      destination: { name: '{{cluster}}', namespace: '{{namespace}}' }
      syncPolicy:
        automated: {}
        syncOptions: [CreateNamespace=true]
`;
}

const WEB = { 'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: blue }\n' };

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe('ApplicationSets on config pushes', () => {
  it('generate apps, follow a relabelled Cluster, remove by the finalizer or preserveResourcesOnDeletion, and create-only holds', async () => {
    const files = {
      'driftless/clusters.yaml': clusters({ one: 'web: "yes", kept: "yes"', two: 'tier: none' }),
      'driftless/web.yaml': clustersSet('web', 'web'),
      // The finalizer written on the template: preserveResourcesOnDeletion keeps the resources all the same.
      'driftless/kept.yaml': clustersSet(
        'kept',
        'kept',
        '  syncPolicy:\n    preserveResourcesOnDeletion: true\n',
        '      finalizers: [resources-finalizer.argocd.argoproj.io]\n',
      ),
      'driftless/frozen.yaml': frozenSet('frozen-a'),
      ...WEB,
    };
    const first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    const healthy = async (app: string, cluster: string) => {
      const target = await pipeline.store.getTarget(app, cluster);
      return target?.health === 'Healthy' && target.revision === first;
    };
    await pipeline.work(async () => (await healthy('web-one', 'one')) && (await healthy('kept-one', 'one')) && (await healthy('frozen', 'one')));

    const registry = (await pipeline.store.getRegistry())?.registry;
    expect(registry?.applicationSets?.map((set) => set.name)).toEqual(['frozen', 'kept', 'web']);
    expect(registry?.apps.map((app) => [app.name, app.applicationSet, app.labels, app.destinations])).toEqual([
      ['frozen', 'frozen', undefined, [{ cluster: 'one', namespace: 'frozen-a' }]],
      ['kept-one', 'kept', { cluster: 'one' }, [{ cluster: 'one', namespace: 'kept-one' }]],
      ['web-one', 'web', { cluster: 'one' }, [{ cluster: 'one', namespace: 'web-one' }]],
    ]);
    expect(await liveConfigMap(pipeline, 'web-one', 'web-config')).toEqual({ color: 'blue' });

    // Cluster two takes both labels from one; the frozen set's element moves its namespace.
    pipeline.sandbox.requests.clear();
    const second = await pipeline.repo.commit({
      'driftless/clusters.yaml': clusters({ one: 'tier: none', two: 'web: "yes", kept: "yes"' }),
      'driftless/frozen.yaml': frozenSet('frozen-b'),
    });
    await pipeline.push(first, second, { modified: ['driftless/clusters.yaml', 'driftless/frozen.yaml'] });
    const at = async (app: string, cluster: string) => {
      const target = await pipeline.store.getTarget(app, cluster);
      return target?.health === 'Healthy' && target.revision === second;
    };
    await pipeline.work(
      async () =>
        (await at('web-two', 'two')) &&
        (await at('kept-two', 'two')) &&
        (await pipeline.store.getTarget('web-one', 'one')) === undefined &&
        (await pipeline.store.getTarget('kept-one', 'one'))?.message?.includes('orphaned') === true,
    );

    const after = (await pipeline.store.getRegistry())?.registry;
    expect(after?.apps.map((app) => [app.name, app.destinations])).toEqual([
      ['frozen', [{ cluster: 'one', namespace: 'frozen-a' }]],
      ['kept-two', [{ cluster: 'two', namespace: 'kept-two' }]],
      ['web-two', [{ cluster: 'two', namespace: 'web-two' }]],
    ]);
    // web-one went with the resources finalizer: its ConfigMap deleted; kept-one's stays.
    const deletes = pipeline.sandbox.requests
      .entries()
      .filter((entry) => entry.method === 'DELETE')
      .map((entry) => `${entry.resource}/${entry.namespace}/${entry.name}`);
    expect(deletes).toEqual(['configmaps/web-one/web-config']);
    expect(await liveConfigMap(pipeline, 'web-one', 'web-config')).toBeUndefined();
    expect(await liveConfigMap(pipeline, 'kept-one', 'web-config')).toEqual({ color: 'blue' });
    expect((await pipeline.store.getTarget('kept-one', 'one'))?.message).toBe(
      'no longer generated by ApplicationSet kept (preserveResourcesOnDeletion: its resources stay): 1 resource(s) left on the cluster, orphaned (no resources-finalizer.argocd.argoproj.io); delete them by hand or restore the app',
    );
    // create-only: the frozen app was not updated (it stays in frozen-a), so nothing was written to frozen-b.
    expect(await liveConfigMap(pipeline, 'frozen-b', 'web-config')).toBeUndefined();
    expect(await liveConfigMap(pipeline, 'frozen-a', 'web-config')).toEqual({ color: 'blue' });

    // A set whose apps cannot join the registry rejects the whole push: the registry in force stays, and the
    // registry status says why.
    const third = await pipeline.repo.commit({ 'driftless/web.yaml': clustersSet('web', 'web').replace("'web-{{name}}'", "'web-{{name}'") });
    await pipeline.push(second, third, { modified: ['driftless/web.yaml'] });
    const registryStatus = () => pipeline.github.statuses.find((status) => status.sha === third && status.context === 'driftless/registry');
    await pipeline.work(async () => registryStatus() !== undefined);
    expect(registryStatus()?.state).toBe('failure');
    // fasttemplate leaves `{{name}` as written (Argo CD's), and no Application may be named so.
    expect(registryStatus()?.description).toMatch(
      /^registry rejected: driftless\/web\.yaml:1: Application\/web-\{\{name\} generated by ApplicationSet\/web: metadata\.name: must be lower-case/,
    );
    expect((await pipeline.store.getRegistry())?.revision).toBe(second);
  });
});
