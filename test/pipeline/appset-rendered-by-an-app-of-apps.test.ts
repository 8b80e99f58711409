// An app of apps whose folder holds an ApplicationSet: the parent's sync generates the set's
// Applications as its children, which join the registry (naming the set and the parent) and
// sync to the cluster; the set is stored with the parent's children, and a config push that
// keeps the parent keeps both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childManifests, rootApp } from '../support/app-of-apps.ts';
import { liveConfigMap, REPO_URL, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

const TEAMS = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: teams, namespace: argocd }
spec:
  generators:
    - list:
        elements: [{ team: red }, { team: blue }]
  template:
    metadata:
      name: '{{team}}'
    spec:
      project: default
      source: { repoURL: ${REPO_URL}, targetRevision: main, path: 'apps/{{team}}' }
      destination: { name: sandbox, namespace: '{{team}}' }
      syncPolicy:
        automated: { prune: true }
        syncOptions: [CreateNamespace=true]
`;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe("an ApplicationSet in an app of apps' folder", () => {
  it("generates the parent's children, which sync", async () => {
    const files = { ...rootApp(), 'apps/root/teams.yaml': TEAMS, ...childManifests('red'), ...childManifests('blue') };
    const first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('red', 'sandbox'))?.health === 'Healthy' && (await pipeline.store.getTarget('blue', 'sandbox'))?.health === 'Healthy',
    );
    const registry = (await pipeline.store.getRegistry())?.registry;
    expect(registry?.apps.map((app) => [app.name, (app as { parent?: string }).parent, app.applicationSet])).toEqual([
      ['root', undefined, undefined],
      ['red', 'root', 'teams'],
      ['blue', 'root', 'teams'],
    ]);
    expect(registry?.applicationSets?.map((set) => [set.name, set.parent])).toEqual([['teams', 'root']]);
    expect(await liveConfigMap(pipeline, 'red', 'red-config')).toEqual({ value: 'one' });

    // A config push that keeps the parent keeps its children and its set.
    const second = await pipeline.repo.commit({
      'driftless/clusters.yaml': rootApp()['driftless/clusters.yaml'].replace(
        'metadata: { name: sandbox }',
        'metadata: { name: sandbox, labels: { env: dev } }',
      ),
    });
    await pipeline.push(first, second, { modified: ['driftless/clusters.yaml'] });
    await pipeline.work(async () => (await pipeline.store.getRegistry())?.revision === second);
    const after = (await pipeline.store.getRegistry())?.registry;
    expect(after?.apps.map((app) => app.name)).toEqual(['root', 'red', 'blue']);
    expect(after?.applicationSets?.map((set) => [set.name, set.parent])).toEqual([['teams', 'root']]);
  });
});
