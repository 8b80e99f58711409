// A pull request's change to the registry folder previews what the head's ApplicationSets
// generate, as a config push would generate them (shared/preview/registry-change.ts): the git
// generator read at the head, through the real fetcher of a real repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitFilesFromFetcher } from '../../shared/appset/git-files.ts';
import { loadRegistry } from '../../shared/config/load.ts';
import type { Registry } from '../../shared/config/types.ts';
import { registryChange } from '../../shared/preview/registry-change.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';

function set(repoURL: string, labels = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: folders }
spec:
  generators:
    - git:
        repoURL: ${repoURL}
        revision: main
        directories: [{ path: 'apps/*' }]
  template:
    metadata:
      name: '{{path.basename}}'${labels}
    spec:
      project: default
      source: { repoURL: ${repoURL}, targetRevision: main, path: '{{path}}' }
      destination: { name: sandbox, namespace: '{{path.basename}}' }
`;
}

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n';

describe('a registry change holding an ApplicationSet', () => {
  let repo: TestRepo;
  const cache = new TreeCache();
  const fetcher = new LocalGitFetcher({ cache });
  let current: Registry;
  let head: string;
  beforeAll(async () => {
    repo = await createRepo();
    const base = await repo.commit({
      'driftless/clusters.yaml': SANDBOX_CLUSTER,
      'driftless/folders.yaml': set(repo.dir),
      'apps/a/c.yaml': MANIFEST,
      'apps/b/c.yaml': MANIFEST,
    });
    const tree = await fetcher.fetch({ repoURL: repo.dir, revision: base });
    const git = gitFilesFromFetcher(fetcher);
    current = await loadRegistry(tree.root, 'driftless', { git });
    await Promise.all([tree.dispose(), git.dispose()]);
    await repo.git('checkout', '--quiet', '-b', 'change');
    // The head labels the set's apps (no change to sync on) and adds a folder on main, which the generator reads.
    head = await repo.commit({ 'driftless/folders.yaml': set(repo.dir, '\n      labels: { team: shop }') });
    await repo.git('checkout', '--quiet', 'main');
    await repo.commit({ 'apps/c/c.yaml': MANIFEST });
  });
  afterAll(() => repo.remove());

  it("previews the apps the head's sets generate, read now", async () => {
    expect(current.apps.map((app) => app.name)).toEqual(['a', 'b']);
    const change = await registryChange(
      current,
      { repoURL: repo.dir, dir: 'driftless' },
      { repoURL: repo.dir, head, changedFiles: ['driftless/folders.yaml'] },
      fetcher,
    );
    expect(change?.registry.apps.map((app) => [app.name, app.applicationSet, app.labels])).toEqual([
      ['a', 'folders', { team: 'shop' }],
      ['b', 'folders', { team: 'shop' }],
      ['c', 'folders', { team: 'shop' }],
    ]);
    expect(change?.changedApps).toEqual(['c']);
    expect(change?.notes).toEqual([]);
  });
});
