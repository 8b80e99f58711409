// The push index (shared/state/push-index.ts) answers the push matcher as the whole registry
// does: for every push, matchPush over getPushIndex(repo, branch) finds the same targets in the
// same order as over the registry, with branches, refs, HEAD on the default branch, tags, extra
// paths, Helm value files outside the folder, multi-source apps lending value files, chart
// sources and other repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { matchPush, type PushChange } from '../../shared/config/match.ts';
import type { Registry } from '../../shared/config/types.ts';
import { forgetCachedRegistries } from '../../shared/state/registry.ts';
import { startStateTable, type StateTable } from './table.ts';

const APPS = 'https://github.com/acme/apps';
const OTHER = 'https://github.com/acme/other.git';

function app(name: string, spec: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: ${name} }\nspec:\n${spec}---\n`;
}

const REGISTRY_FILES = [
  {
    file: 'driftless/clusters.yaml',
    text: ['east', 'west']
      .map((name) => `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${name} }\nspec:\n  kubeconfig: { context: ${name} }\n---\n`)
      .join(''),
  },
  {
    file: 'driftless/apps.yaml',
    text: [
      app('on-main', `  source: { repoURL: ${APPS}, targetRevision: main, path: apps/on-main }\n  destination: { name: east, namespace: a }\n`),
      app('on-head', `  source: { repoURL: ${APPS}, path: apps/on-head }\n  destination: { name: west, namespace: b }\n`),
      app('on-ref', `  source: { repoURL: ${APPS}, targetRevision: refs/heads/release, path: apps/on-ref }\n  destination: { name: east, namespace: c }\n`),
      app('on-tag', `  source: { repoURL: ${APPS}, targetRevision: v1.2.0, path: apps/on-tag }\n  destination: { name: east, namespace: d }\n`),
      app(
        'watching',
        `  source:\n    repoURL: ${APPS}\n    targetRevision: main\n    path: apps/watching\n    helm: { valueFiles: [../../shared/values.yaml, values.yaml] }\n  destination: { name: west, namespace: e }\n`,
      ),
      app(
        'multi',
        `  sources:\n    - { repoURL: https://charts.example.com, chart: redis, targetRevision: 18.1.0, helm: { valueFiles: [$values/redis/values.yaml] } }\n    - { repoURL: ${OTHER}, targetRevision: HEAD, ref: values }\n    - { repoURL: ${APPS}, targetRevision: release, path: apps/multi }\n  destination: { name: east, namespace: f }\n`,
      ),
      app(
        'chart-only',
        `  source: { repoURL: https://charts.example.com, chart: nginx, targetRevision: 1.0.0 }\n  destination: { name: west, namespace: g }\n`,
      ),
      app('root', `  source: { repoURL: ${OTHER}, targetRevision: main, path: "." }\n  destination: { name: west, namespace: h }\n`),
    ].join(''),
  },
];

describe('the push index', () => {
  let table: StateTable;
  let registry: Registry;
  beforeAll(async () => {
    table = await startStateTable();
    registry = parseRegistryFiles(REGISTRY_FILES);
    await table.store().putRegistry(registry, 'a'.repeat(40));
  });
  afterAll(() => table.stop());

  const pushes: Array<Omit<PushChange, 'headSha'>> = [
    { repoURL: APPS, branch: 'main', changedFiles: 'all' },
    { repoURL: `${APPS}.git`, branch: 'main', changedFiles: ['apps/on-main/deploy.yaml', 'shared/values.yaml'] },
    { repoURL: APPS, branch: 'main', changedFiles: ['apps/on-head/x.yaml'], defaultBranch: 'main' },
    { repoURL: APPS, branch: 'trunk', changedFiles: 'all', defaultBranch: 'trunk' },
    { repoURL: APPS, branch: 'release', changedFiles: ['apps/on-ref/a.yaml', 'apps/multi/b.yaml'] },
    { repoURL: APPS, branch: 'v1.2.0', changedFiles: 'all' },
    { repoURL: OTHER, branch: 'main', changedFiles: ['redis/values.yaml'] },
    { repoURL: OTHER, branch: 'master', changedFiles: ['anything.txt'] },
    { repoURL: 'https://github.com/acme/unknown', branch: 'main', changedFiles: 'all' },
  ];

  it.each(pushes.map((push) => [`${push.repoURL} ${push.branch} ${JSON.stringify(push.changedFiles)}`, push] as const))(
    'matches %s as the whole registry does',
    async (_, push) => {
      forgetCachedRegistries();
      const change = { ...push, headSha: 'b'.repeat(40) };
      const index = await table.store().getPushIndex(push.repoURL, push.branch);
      expect(index).toBeDefined();
      expect(matchPush(index!, change)).toEqual(matchPush(registry, change));
    },
  );

  it('finds something for most of these pushes (the comparison above is not empty against empty)', () => {
    const found = pushes.filter((push) => matchPush(registry, { ...push, headSha: 'b'.repeat(40) }).length > 0);
    expect(found.length).toBeGreaterThanOrEqual(6);
  });

  it('holds only the apps following the branch or HEAD, and only what matching reads', async () => {
    forgetCachedRegistries();
    const index = await table.store().getPushIndex(APPS, 'release');
    expect(index!.apps.map((entry) => entry.name)).toEqual(['on-head', 'on-ref', 'multi']);
    expect(Object.keys(index!.apps[0]).sort()).toEqual(['destinations', 'name', 'position', 'source']);
  });
});

describe('the push index cache', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
    // Git allows "|" in a branch name and a local repository's path may hold one: a push of
    // branch "main" to /srv/apps|x must not be answered with what a push of "x|main" to /srv/apps found.
    const files = [
      REGISTRY_FILES[0],
      {
        file: 'driftless/apps.yaml',
        text: app('piped', `  source: { repoURL: /srv/apps, targetRevision: "x|main", path: a }\n  destination: { name: east, namespace: a }\n`),
      },
    ];
    await table.store().putRegistry(parseRegistryFiles(files), 'a'.repeat(40));
  });
  afterAll(() => table.stop());

  it('keeps the repository and the branch apart, whatever characters they hold', async () => {
    forgetCachedRegistries();
    expect((await table.store().getPushIndex('/srv/apps', 'x|main'))!.apps.map((entry) => entry.name)).toEqual(['piped']);
    expect((await table.store().getPushIndex('/srv/apps|x', 'main'))!.apps).toEqual([]);
  });
});
