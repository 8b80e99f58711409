// The push index answers what the plain definition answers: an app × cluster is a target when
// the app's repository is the pushed one, its revision follows the pushed branch, and a changed
// file is inside one of its watched folders. The definition is written out here directly (every
// app against every file), and both are asked about generated registries and pushes.
import { describe, expect, it } from 'vitest';
import { matchPush, tracksBranch, watchedPaths, type PushChange, type Target } from '../../shared/config/match.ts';
import { isUnder } from '../../shared/config/paths.ts';
import { sameRepo } from '../../shared/config/repo-url.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';

function byDefinition(registry: Registry, push: PushChange): Target[] {
  const targets: Target[] = [];
  for (const app of registry.apps) {
    if (!sameRepo(app.source.repoURL, push.repoURL)) continue;
    if (!tracksBranch(app.source.targetRevision, push.branch, push.defaultBranch)) continue;
    const folders = watchedPaths(app);
    if (push.changedFiles !== 'all' && !push.changedFiles.some((file) => folders.some((folder) => isUnder(file, folder)))) continue;
    for (const destination of app.destinations) targets.push({ app: app.name, cluster: destination.cluster, namespace: destination.namespace });
  }
  return targets;
}

// A small deterministic generator (mulberry32), so a failure can be replayed.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPOS = ['https://github.com/acme/deploy', 'git@github.com:acme/deploy.git', 'https://github.com/acme/other', 'https://ghe.example.com/acme/deploy'];
const REVISIONS = ['HEAD', '', 'main', 'refs/heads/main', 'release', 'refs/heads/release', 'v1.0.0', 'master', 'refs/heads/HEAD'];
const FOLDERS = ['.', 'apps', 'apps/web', 'apps/web2', 'apps/web/overlays', 'shared', 'charts/app', 'apps/api'];
const FILES = [
  'apps/web/x.yaml',
  'apps/web2/y.yaml',
  'apps/web.yaml',
  'apps/web/overlays/prod/k.yaml',
  './apps//api/z.yaml',
  'shared',
  'shared/base/k.yaml',
  'README.md',
  '../outside.yaml',
  'charts/app/values.yaml',
  'env/prod.yaml',
  'apps\\web\\w.yaml',
  '/global/values.yaml',
  '',
];

function generated(seed: number): { registry: Registry; pushes: PushChange[] } {
  const next = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const apps: AppSpec[] = Array.from({ length: 40 }, (_, index) => ({
    name: `app-${index}`,
    project: 'default',
    source: {
      repoURL: pick(REPOS),
      targetRevision: pick(REVISIONS),
      path: pick(FOLDERS),
      ...(next() < 0.3 ? { extraPaths: [pick(FOLDERS)] } : {}),
      ...(next() < 0.3 ? { helm: { valueFiles: [pick(['values.yaml', '../../env/prod.yaml', '/global/values.yaml', 'https://example.com/v.yaml'])] } } : {}),
    },
    destinations: Array.from({ length: 1 + Math.floor(next() * 2) }, (_, n) => ({ cluster: `c${n}`, namespace: `ns-${index}` })),
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/app-${index}.yaml`, line: 1 },
  }));
  const pushes: PushChange[] = Array.from({ length: 60 }, () => ({
    repoURL: pick(REPOS),
    branch: pick(['main', 'release', 'master', 'v1.0.0', 'feature', 'HEAD', 'refs/heads/main']),
    headSha: 'a'.repeat(40),
    changedFiles: next() < 0.1 ? 'all' : Array.from({ length: Math.floor(next() * 4) }, () => pick(FILES)),
    defaultBranch: pick(['main', 'master', 'HEAD', undefined]),
  }));
  return { registry: { apps, clusters: [], projects: [] }, pushes };
}

describe('the push index', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives what the definition gives, generated registry %i', (seed) => {
    const { registry, pushes } = generated(seed);
    let nonEmpty = 0;
    for (const push of pushes) {
      const expected = byDefinition(registry, push);
      if (expected.length > 0) nonEmpty++;
      expect(matchPush(registry, push), JSON.stringify(push)).toEqual(expected);
    }
    // The generator is only worth something if pushes match.
    expect(nonEmpty).toBeGreaterThan(5);
  });

  it('matches a push of 200,000 paths against 10,000 apps by walking each path once', () => {
    const apps: AppSpec[] = Array.from({ length: 10_000 }, (_, index) => ({
      name: `app-${index}`,
      project: 'default',
      source: { repoURL: 'https://github.com/acme/deploy', targetRevision: 'main', path: `apps/app-${index}` },
      destinations: [{ cluster: 'dev', namespace: `app-${index}` }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      definedIn: { file: `driftless/app-${index}.yaml`, line: 1 },
    }));
    const files = Array.from({ length: 200_000 }, (_, index) => `services/svc-${index % 5000}/src/file-${index}.ts`);
    files.push('apps/app-9999/deploy.yaml', 'apps/app-17/deploy.yaml');
    const targets = matchPush(
      { apps, clusters: [], projects: [] },
      { repoURL: 'https://github.com/acme/deploy.git', branch: 'main', headSha: 'a'.repeat(40), changedFiles: files, defaultBranch: 'main' },
    );
    expect(targets.map((target) => target.app)).toEqual(['app-17', 'app-9999']);
  });
});
