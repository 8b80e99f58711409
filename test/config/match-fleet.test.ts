// The matcher on fleet-sized registries answers what the documented rule answers: an app × cluster
// is a target when one of the app's Git sources is in the pushed repository, its revision follows
// the pushed branch (the branch's name or `refs/heads/<name>`, or HEAD / none on the default
// branch, `main` or `master` when the payload does not say), and a changed path is under one of
// what that source watches — its folder (unless it only lends value files), its extra paths, its
// own Helm value files (relative to its folder, or to the root when they start with `/`; URLs and
// `$ref` files excluded), and the files other sources read from it as `$<ref>/…`. A chart source
// is in no Git repository. The rule is written out below app by app, file by file, and compared on
// seeded random registries and pushes, with path spellings GitHub would not send as well.
import { describe, expect, it } from 'vitest';
import { matchPush, pushIndex, type PushChange, type Target } from '../../shared/config/match.ts';
import { isUnder } from '../../shared/config/paths.ts';
import { sameRepo } from '../../shared/config/repo-url.ts';
import type { AppSource, AppSpec, Registry } from '../../shared/config/types.ts';

function followsBranch(targetRevision: string, push: PushChange): boolean {
  const revision = targetRevision.trim();
  if (revision === push.branch || revision === `refs/heads/${push.branch}`) return true;
  if (revision !== '' && revision !== 'HEAD') return false;
  return push.defaultBranch === undefined ? push.branch === 'main' || push.branch === 'master' : push.branch === push.defaultBranch;
}

function watchedBy(source: AppSource, app: AppSpec): string[] {
  const watched: string[] = [];
  if (source.valuesOnly !== true) {
    watched.push(source.path);
    for (const valueFile of source.helm?.valueFiles ?? []) {
      if (valueFile.startsWith('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(valueFile)) continue;
      watched.push(valueFile.startsWith('/') ? valueFile : `${source.path}/${valueFile}`);
    }
  }
  watched.push(...(source.extraPaths ?? []));
  if (source.ref !== undefined) {
    for (const reader of app.sources ?? [app.source]) {
      for (const valueFile of reader.helm?.valueFiles ?? []) {
        if (valueFile === `$${source.ref}`) watched.push('');
        else if (valueFile.startsWith(`$${source.ref}/`)) watched.push(valueFile.slice(source.ref.length + 2));
      }
    }
  }
  return watched;
}

function byTheRule(registry: Registry, push: PushChange): Target[] {
  const targets: Target[] = [];
  for (const app of registry.apps) {
    const touched = (app.sources ?? [app.source]).some(
      (source) =>
        source.chart === undefined &&
        sameRepo(source.repoURL, push.repoURL) &&
        followsBranch(source.targetRevision, push) &&
        (push.changedFiles === 'all' || push.changedFiles.some((file) => watchedBy(source, app).some((folder) => isUnder(file, folder)))),
    );
    if (touched) for (const destination of app.destinations) targets.push({ app: app.name, cluster: destination.cluster, namespace: destination.namespace });
  }
  return targets;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// mulberry32: deterministic, so a failing seed replays.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPOS = [
  ['https://github.com/acme/platform', 'https://github.com/acme/platform.git', 'git@github.com:acme/platform.git', 'https://GitHub.com/Acme/Platform/'],
  ['https://github.com/acme/team-a', 'ssh://git@github.com/acme/team-a'],
  ['https://github.com/acme/team-b'],
  ['https://github.com/acme/values.git'],
  ['https://ghe.example.com/acme/platform'],
];
const REVISIONS = [
  'main',
  'main',
  'main',
  'HEAD',
  'HEAD',
  '',
  'refs/heads/main',
  'release',
  'refs/heads/release',
  'master',
  'v1.2.0',
  'refs/tags/main',
  ' main ',
];
const BRANCHES = ['main', 'main', 'main', 'release', 'master', 'feature', 'v1.2.0', 'HEAD'];

function generated(seed: number, appCount: number, pushCount: number): { registry: Registry; pushes: PushChange[] } {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const folder = () => {
    const depth = Math.floor(next() * 4);
    const segments = Array.from({ length: depth }, (_, level) =>
      pick(
        [
          ['apps', 'services', 'envs', 'base'],
          ['web', 'api', 'svc-1', 'svc-12', 'common'],
          ['overlays', 'deploy', 'src'],
          ['prod', 'dev'],
        ][level],
      ),
    );
    return segments.length === 0 ? '.' : segments.join('/');
  };
  const gitSource = (extra: Partial<AppSource> = {}): AppSource => ({
    repoURL: pick(pick(REPOS)),
    targetRevision: pick(REVISIONS),
    path: folder(),
    ...(next() < 0.2 ? { extraPaths: [folder()] } : {}),
    ...(next() < 0.25
      ? {
          helm: {
            valueFiles: [
              pick(['values.yaml', '../prod.yaml', '../../envs/prod/values.yaml', '/envs/shared.yaml', 'https://example.com/v.yaml', '../../../../out.yaml']),
            ],
          },
        }
      : {}),
    ...extra,
  });
  const apps: AppSpec[] = Array.from({ length: appCount }, (_, index) => {
    let sources: AppSource[] | undefined;
    if (next() < 0.15) {
      const ref = pick(['values', 'cfg']);
      const lent = `$${ref}/${pick(['envs/prod/values.yaml', 'envs/dev/values.yaml', 'services/web/values.yaml', 'shared.yaml'])}`;
      sources = [
        {
          repoURL: 'https://charts.example.com',
          chart: 'app',
          targetRevision: '1.*',
          path: '.',
          helm: { valueFiles: next() < 0.1 ? [`$${ref}`] : [lent, 'defaults.yaml'] },
        },
        next() < 0.5 ? gitSource({ ref, valuesOnly: true, path: '.' }) : gitSource({ ref }),
        ...(next() < 0.6 ? [gitSource({ helm: { valueFiles: [`$${ref}/envs/extra.yaml`] } })] : []),
      ];
    }
    const primary = sources?.find((source) => source.chart === undefined) ?? gitSource();
    return {
      name: `app-${index}`,
      project: 'default',
      source: primary,
      ...(sources ? { sources } : {}),
      destinations: Array.from({ length: 1 + Math.floor(next() * 3) }, (_, n) => ({ cluster: `c${n}`, namespace: `ns-${index}` })),
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      definedIn: { file: `driftless/app-${index}.yaml`, line: 1 },
    };
  });
  const file = () => {
    const base = `${folder()}/${pick(['x.yaml', 'values.yaml', 'prod.yaml', 'shared.yaml', 'kustomization.yaml'])}`.replace(/^\.\//, '');
    // Mostly as GitHub lists paths; sometimes spelled the ways a normaliser must see through.
    if (next() < 0.85) return base;
    return pick([
      `./${base}`,
      `/${base}`,
      base.replaceAll('/', '//'),
      base.replaceAll('/', '\\'),
      ` ${base} `,
      `${base}/`,
      `apps/../${base}`,
      `../${base}`,
      '',
      '.',
      'envs',
    ]);
  };
  const pushes: PushChange[] = Array.from({ length: pushCount }, () => ({
    repoURL: pick(pick(REPOS)),
    branch: pick(BRANCHES),
    headSha: 'a'.repeat(40),
    changedFiles: next() < 0.08 ? 'all' : Array.from({ length: Math.floor(next() * (next() < 0.2 ? 200 : 8)) }, file),
    defaultBranch: pick(['main', 'main', 'master', 'release', undefined]),
  }));
  return { registry: { apps, clusters: [], projects: [] }, pushes };
}

describe('matching a fleet', () => {
  it.each([11, 12, 13, 14])(
    'gives what the rule gives on a generated registry of 2,000 apps, seed %i',
    (seed) => {
      const { registry, pushes } = generated(seed, 2000, 40);
      let matching = 0;
      for (const push of pushes) {
        const expected = byTheRule(registry, push);
        if (expected.length > 0 && push.changedFiles !== 'all') matching++;
        expect(
          matchPush(registry, push),
          JSON.stringify({ ...push, changedFiles: push.changedFiles === 'all' ? 'all' : push.changedFiles.slice(0, 20) }),
        ).toEqual(expected);
      }
      // Worth something only if listed files do match.
      expect(matching).toBeGreaterThan(10);
    },
    60_000,
  );

  it('gives what the rule gives on a generated registry of 10,000 apps', () => {
    const { registry, pushes } = generated(99, 10_000, 12);
    for (const push of pushes) expect(matchPush(registry, push)).toEqual(byTheRule(registry, push));
  }, 120_000);

  it('answers the same for one registry object asked again, through the index it built the first time', () => {
    const { registry, pushes } = generated(7, 500, 30);
    const index = pushIndex(registry);
    const first = pushes.map((push) => matchPush(registry, push));
    expect(pushIndex(registry)).toBe(index);
    expect(pushes.map((push) => matchPush(registry, push))).toEqual(first);
    // A copy is another registry: its own index, the same answers.
    const copy = structuredClone(registry);
    expect(pushIndex(copy)).not.toBe(index);
    expect(pushes.map((push) => matchPush(copy, push))).toEqual(first);
  });

  it('matches a deep-frozen registry, as the state store hands out its cached one, without writing to it', () => {
    const { registry, pushes } = generated(8, 500, 30);
    const expected = pushes.map((push) => byTheRule(registry, push));
    const frozen = deepFreeze(structuredClone(registry));
    expect(pushes.map((push) => matchPush(frozen, push))).toEqual(expected);
  });
});
