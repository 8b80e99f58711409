// A set whose git generator reads folders of the config repository outside driftless/, or files
// of another repository: a push that adds such a folder or file (and touches nothing under
// driftless/) re-evaluates the set, so the new app appears (and syncs); a push elsewhere in the
// repository re-evaluates nothing.
// The webhook finds the set in the push index (one Query), the worker reads the registry at
// the config branch's head.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { createRepo } from '../support/git.ts';
import { liveConfigMap, OWNER, pushPayload, REPO_URL, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

// After Argo CD's Git Generator (directories) example: one app per folder under apps/.
const SET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: folders
spec:
  generators:
    - git:
        repoURL: ${REPO_URL}
        revision: main
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: default
      source: { repoURL: ${REPO_URL}, targetRevision: main, path: '{{path}}' }
      destination: { name: sandbox, namespace: '{{path.basename}}' }
      syncPolicy:
        automated: { prune: true }
        syncOptions: [CreateNamespace=true]
`;

function configMap(value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: folder-config }\ndata: { value: ${value} }\n`;
}

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe("a set's git generator", () => {
  it('reading the config repository outside driftless/: a push adding a folder it reads re-evaluates the set; a push elsewhere does not', async () => {
    const files = { 'driftless/clusters.yaml': SANDBOX_CLUSTER, 'driftless/folders.yaml': SET, 'apps/one/config.yaml': configMap('one') };
    const first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    await pipeline.work(async () => (await pipeline.store.getTarget('one', 'sandbox'))?.health === 'Healthy');
    const stored = (await pipeline.store.getRegistry())?.registry;
    expect(stored?.applicationSets?.[0]?.watches).toEqual([{ repoURL: REPO_URL, revision: 'main', paths: ['apps'] }]);

    const second = await pipeline.repo.commit({ 'apps/two/config.yaml': configMap('two') });
    const answer = await pipeline.push(first, second, { added: ['apps/two/config.yaml'] });
    expect(answer.body).toMatchObject({ registryRefresh: true });
    await pipeline.work(async () => (await pipeline.store.getTarget('two', 'sandbox'))?.health === 'Healthy');
    const registry = await pipeline.store.getRegistry();
    expect(registry?.registry.apps.map((app) => [app.name, app.applicationSet, app.source.path])).toEqual([
      ['one', 'folders', 'apps/one'],
      ['two', 'folders', 'apps/two'],
    ]);
    // Read at the branch's head, and recorded so.
    expect(registry?.revision).toBe(second);
    expect(await liveConfigMap(pipeline, 'two', 'folder-config')).toEqual({ value: 'two' });

    const third = await pipeline.repo.commit({ 'docs/readme.md': '# not read by any generator\n' });
    const elsewhere = await pipeline.push(second, third, { added: ['docs/readme.md'] });
    expect(elsewhere.body).toEqual({ message: 'nothing to do: no app tracks these files on this branch' });
  });

  it("a push to another repository's files it reads re-evaluates the set", async () => {
    // After Argo CD's Git Generator (files) example: one app per cluster config file in a catalog repository.
    const catalog = await createRepo();
    pipeline.github.addRepo(OWNER, 'catalog', catalog.dir);
    const CATALOG_URL = `https://github.com/${OWNER}/catalog.git`;
    const set = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: catalog
spec:
  generators:
    - git:
        repoURL: ${CATALOG_URL}
        revision: main
        files:
          - path: teams/*.json
  template:
    metadata:
      name: 'team-{{team}}'
    spec:
      project: default
      source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/one }
      destination: { name: sandbox, namespace: 'team-{{team}}' }
`;
    const catalogFirst = await catalog.commit({ 'teams/red.json': '{"team": "red"}\n', 'README.md': 'teams\n' });
    const before = (await pipeline.store.getRegistry())?.revision as string;
    const configHead = await pipeline.repo.commit({ 'driftless/catalog.yaml': set });
    await pipeline.push(before, configHead, { added: ['driftless/catalog.yaml'] });
    await pipeline.work(async () => (await pipeline.store.getRegistry())?.registry.apps.some((app) => app.name === 'team-red') === true);
    expect((await pipeline.store.getRegistry())?.registry.applicationSets?.find((candidate) => candidate.name === 'catalog')?.watches).toEqual([
      { repoURL: CATALOG_URL, revision: 'main', paths: ['teams'] },
    ]);

    const catalogSecond = await catalog.commit({ 'teams/blue.json': '{"team": "blue"}\n' });
    const payload = pushPayload(catalogFirst, catalogSecond, { added: ['teams/blue.json'] });
    const repository = payload.repository as Record<string, unknown>;
    Object.assign(repository, { name: 'catalog', full_name: `${OWNER}/catalog`, clone_url: CATALOG_URL, html_url: `https://github.com/${OWNER}/catalog` });
    expect((await pipeline.deliver('push', payload)).body).toMatchObject({ registryRefresh: true });
    await pipeline.work(async () => (await pipeline.store.getRegistry())?.registry.apps.some((app) => app.name === 'team-blue') === true);
    const registry = await pipeline.store.getRegistry();
    expect(registry?.registry.apps.filter((app) => app.applicationSet === 'catalog').map((app) => app.name)).toEqual(['team-blue', 'team-red']);
    // Read again at the config branch's head, which has not moved.
    expect(registry?.revision).toBe(configHead);

    const readme = await catalog.commit({ 'README.md': 'teams, one file each\n' });
    const elsewhere = pushPayload(catalogSecond, readme, { modified: ['README.md'] });
    Object.assign(elsewhere.repository as Record<string, unknown>, {
      name: 'catalog',
      full_name: `${OWNER}/catalog`,
      clone_url: CATALOG_URL,
      html_url: `https://github.com/${OWNER}/catalog`,
    });
    expect((await pipeline.deliver('push', elsewhere)).body).toEqual({ message: 'nothing to do: no app tracks these files on this branch' });
    await catalog.remove();
  });
});
