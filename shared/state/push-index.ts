// The webhook's compact view of the registry: per repository and branch (and per repository for
// the apps on HEAD, which follow its default branch), the apps following it with exactly what
// the push matcher (config/match.ts) reads of them: name, sources (repository, revision, folder,
// extra paths, Helm value files, ref) and destinations, and the ApplicationSets whose git
// generators read it (shared/appset/watch.ts: a push there re-evaluates them). Stored as entries beside the registry's
// (registry.ts writes both in one version), chunked so no item grows with the fleet; a push
// reads its branch's items with one Query instead of the whole registry.
import { watchedSources } from '../config/match.ts';
import { repoKey } from '../config/repo-url.ts';
import type { AppSource, AppSpec, Registry } from '../config/types.ts';
import type { ApplicationSetSpec, SetWatch } from '../appset/types.ts';
import { chunkByBytes, hashOf, type Entry } from './registry-entries.ts';
import { PUSH_INDEX_PREFIX } from './keys.ts';
import { rollingSets } from '../rollout/steps.ts';

const CHUNK_BYTES = 96 * 1024;
/** After a group's prefix: the chunks of the sets watching it (the apps' chunks are numbers alone). */
const SETS_SUFFIX = 'sets#';
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

/** A set whose git generators read the group's repository and branch, with what it reads there. */
interface PushIndexSet {
  name: string;
  watch: SetWatch;
}

/** The Query prefix of one group's chunks. */
export function pushGroupPrefix(repoURL: string, group: { branch: string } | 'default'): string {
  const name = group === 'default' ? DEFAULT_GROUP : `b:${encodeURIComponent(group.branch)}`;
  return `${PUSH_INDEX_PREFIX}${encodeURIComponent(repoKey(repoURL))}#${name}#`;
}

/** The push index entries of `registry`: every group an app's Git sources join, as matchPush groups them. */
export function pushIndexEntries(registry: Registry): Entry[] {
  const groups = new Map<string, PushIndexApp[]>();
  const rolling = new Set(rollingSets(registry).map((set) => set.name));
  (registry.apps ?? []).forEach((app, position) => {
    // The store takes registries config/ did not check (tests, restores): an app the matcher
    // could not read either (no source, no revision) follows no branch.
    if (typeof app?.source?.targetRevision !== 'string') return;
    const slim = slimApp(app, position, rolling);
    const joined = new Set<string>();
    for (const watched of watchedSources(app)) for (const prefix of groupPrefixes(watched.repoURL, watched.targetRevision)) joined.add(prefix);
    for (const prefix of joined) {
      const members = groups.get(prefix) ?? [];
      members.push(slim);
      groups.set(prefix, members);
    }
  });
  // The sets whose git generators read a repository and branch, for setsToReevaluate.
  const watching = new Map<string, PushIndexSet[]>();
  for (const set of registry.applicationSets ?? []) {
    for (const watch of set.watches ?? []) {
      for (const prefix of groupPrefixes(watch.repoURL, watch.revision)) {
        const members = watching.get(prefix) ?? [];
        members.push({ name: set.name, watch });
        watching.set(prefix, members);
      }
    }
  }
  const entries: Entry[] = [];
  for (const [prefix, members] of groups) {
    chunkByBytes(members, CHUNK_BYTES).forEach((chunk, index) => {
      const body = JSON.stringify(chunk);
      entries.push({ id: `${prefix}${String(index).padStart(4, '0')}`, body, hash: hashOf(body) });
    });
  }
  for (const [prefix, members] of watching) {
    chunkByBytes(members, CHUNK_BYTES).forEach((chunk, index) => {
      const body = JSON.stringify({ sets: chunk });
      entries.push({ id: `${prefix}${SETS_SUFFIX}${String(index).padStart(4, '0')}`, body, hash: hashOf(body) });
    });
  }
  return entries;
}

/**
 * The Registry-shaped subset matchPush takes: the apps of both groups, in registry order, each
 * once; and the sets watching the branch, each with the watches filed there (no other field).
 */
export function pushIndexRegistry(chunks: Iterable<string>): Registry {
  const byName = new Map<string, PushIndexApp>();
  const sets = new Map<string, SetWatch[]>();
  for (const body of chunks) {
    const parsed = JSON.parse(body) as PushIndexApp[] | { sets: PushIndexSet[] };
    if (Array.isArray(parsed)) for (const app of parsed) byName.set(app.name, app);
    else for (const { name, watch } of parsed.sets) sets.set(name, [...(sets.get(name) ?? []), watch]);
  }
  const apps = [...byName.values()].sort((a, b) => a.position - b.position);
  const registry: Registry = { apps: apps as unknown as AppSpec[], clusters: [], projects: [] };
  if (sets.size > 0) registry.applicationSets = [...sets].map(([name, watches]) => ({ name, watches }) as unknown as ApplicationSetSpec);
  return registry;
}

/** The groups a source (or a git generator) following `revision` of `repoURL` joins, as matchPush groups them. */
function groupPrefixes(repoURL: string, targetRevision: string): string[] {
  const revision = targetRevision.trim();
  const branches = new Set<string>();
  if (revision !== '') branches.add(revision);
  if (revision.startsWith('refs/heads/')) branches.add(revision.slice('refs/heads/'.length));
  const prefixes = [...branches].map((branch) => pushGroupPrefix(repoURL, { branch }));
  if (revision === '' || revision === 'HEAD') prefixes.push(pushGroupPrefix(repoURL, 'default'));
  return prefixes;
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
