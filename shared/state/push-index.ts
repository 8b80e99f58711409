// The webhook's compact view of the registry: per repository and branch (and per repository for
// the apps on HEAD, which follow its default branch), the apps following it with exactly what
// the push matcher (config/match.ts) reads of them: name, sources (repository, revision, folder,
// extra paths, Helm value files, ref) and destinations. Stored as entries beside the registry's
// (registry.ts writes both in one version), chunked so no item grows with the fleet; a push
// reads its branch's items with one Query instead of the whole registry.
import { watchedSources } from '../config/match.ts';
import { repoKey } from '../config/repo-url.ts';
import type { AppSource, AppSpec, Registry } from '../config/types.ts';
import { chunkByBytes, hashOf, type Entry } from './registry-entries.ts';
import { PUSH_INDEX_PREFIX } from './keys.ts';

const CHUNK_BYTES = 96 * 1024;
const DEFAULT_GROUP = '*default';

/**
 * An app as the push index keeps it: what matchPush reads, its place in the registry (results
 * keep its order), and for an app an ApplicationSet generated its set and labels (a push to a
 * RollingSync set's apps becomes a rollout, not syncs: shared/rollout/).
 */
export type PushIndexApp = Pick<AppSpec, 'name' | 'source' | 'sources' | 'destinations' | 'applicationSet' | 'labels'> & {
  position: number;
  /** Its set has a RollingSync strategy: the webhook marks it for the set's rollout instead of syncing it (the index keeps no sets). */
  rollingSync?: true;
};

/** The Query prefix of one group's chunks. */
export function pushGroupPrefix(repoURL: string, group: { branch: string } | 'default'): string {
  const name = group === 'default' ? DEFAULT_GROUP : `b:${encodeURIComponent(group.branch)}`;
  return `${PUSH_INDEX_PREFIX}${encodeURIComponent(repoKey(repoURL))}#${name}#`;
}

/** The push index entries of `registry`: every group an app's Git sources join, as matchPush groups them. */
export function pushIndexEntries(registry: Registry): Entry[] {
  const groups = new Map<string, PushIndexApp[]>();
  const rolling = new Set((registry.applicationSets ?? []).filter((set) => set.strategy?.type === 'RollingSync').map((set) => set.name));
  (registry.apps ?? []).forEach((app, position) => {
    // The store takes registries config/ did not check (tests, restores): an app the matcher
    // could not read either (no source, no revision) follows no branch.
    if (typeof app?.source?.targetRevision !== 'string') return;
    const slim = slimApp(app, position, rolling);
    const joined = new Set<string>();
    for (const watched of watchedSources(app)) {
      const revision = watched.targetRevision.trim();
      const branches = new Set<string>();
      if (revision !== '') branches.add(revision);
      if (revision.startsWith('refs/heads/')) branches.add(revision.slice('refs/heads/'.length));
      for (const branch of branches) joined.add(pushGroupPrefix(watched.repoURL, { branch }));
      if (revision === '' || revision === 'HEAD') joined.add(pushGroupPrefix(watched.repoURL, 'default'));
    }
    for (const prefix of joined) {
      const members = groups.get(prefix) ?? [];
      members.push(slim);
      groups.set(prefix, members);
    }
  });
  const entries: Entry[] = [];
  for (const [prefix, members] of groups) {
    chunkByBytes(members, CHUNK_BYTES).forEach((chunk, index) => {
      const body = JSON.stringify(chunk);
      entries.push({ id: `${prefix}${String(index).padStart(4, '0')}`, body, hash: hashOf(body) });
    });
  }
  return entries;
}

/** The Registry-shaped subset matchPush takes: the apps of both groups, in registry order, each once. */
export function pushIndexRegistry(chunks: Iterable<string>): Registry {
  const byName = new Map<string, PushIndexApp>();
  for (const body of chunks) for (const app of JSON.parse(body) as PushIndexApp[]) byName.set(app.name, app);
  const apps = [...byName.values()].sort((a, b) => a.position - b.position);
  return { apps: apps as unknown as AppSpec[], clusters: [], projects: [] };
}

function slimApp(app: AppSpec, position: number, rolling: ReadonlySet<string>): PushIndexApp {
  return {
    name: app.name,
    source: slimSource(app.source),
    ...(app.sources ? { sources: app.sources.map(slimSource) } : {}),
    destinations: (app.destinations ?? []).map(({ cluster, namespace }) => ({ cluster, namespace })),
    ...(app.applicationSet !== undefined ? { applicationSet: app.applicationSet } : {}),
    ...(app.labels !== undefined ? { labels: app.labels } : {}),
    ...(app.applicationSet !== undefined && rolling.has(app.applicationSet) ? { rollingSync: true as const } : {}),
    position,
  };
}

function slimSource(source: AppSource): AppSource {
  return {
    repoURL: source.repoURL,
    targetRevision: source.targetRevision,
    path: source.path,
    ...(source.chart !== undefined ? { chart: source.chart } : {}),
    ...(source.ref !== undefined ? { ref: source.ref } : {}),
    ...(source.valuesOnly !== undefined ? { valuesOnly: source.valuesOnly } : {}),
    ...(source.extraPaths !== undefined ? { extraPaths: source.extraPaths } : {}),
    ...(source.helm?.valueFiles !== undefined ? { helm: { valueFiles: source.helm.valueFiles } as AppSource['helm'] } : {}),
  };
}
