// Apps, clusters and targets by name, from the registry and the recorded app targets' states
// (Backend.fleet); a name that is not there fails with the closest existing names (edit
// distance), as a typo usually is.
import type { AppSpec, ClusterSpec, Registry } from '../config/types.ts';
import type { TargetState } from '../state/types.ts';
import { NotFoundError } from './errors.ts';

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `max` candidates close to `name`: within a third of its length (at least 2 edits), or containing it. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= limit || candidate.includes(name) || name.includes(candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

function notFound(kind: 'app' | 'cluster', name: string, known: string[], context = ''): NotFoundError {
  const close = closestNames(name, known);
  const hint =
    close.length > 0
      ? `did you mean ${close.join(', ')}?`
      : known.length > 0
        ? `known ${kind}s: ${[...new Set(known)].sort().slice(0, 10).join(', ')}`
        : `none is registered yet: push the config repository first`;
  return new NotFoundError(`no ${kind} "${name}"${context}: ${hint}`);
}

export function appNames(registry: Registry, states: TargetState[]): string[] {
  return [...new Set([...registry.apps.map((app) => app.name), ...states.map((state) => state.app)])].sort();
}

/** The app as registered; throws with the closest names when it is not. */
export function findApp(registry: Registry, states: TargetState[], name: string): AppSpec {
  const app = registry.apps.find((candidate) => candidate.name === name);
  if (!app) {
    const recordedOnly = states.some((state) => state.app === name);
    if (recordedOnly) throw new NotFoundError(`app "${name}" has recorded state but is no longer in the registry (removed from the config repository)`);
    throw notFound('app', name, appNames(registry, states));
  }
  return app;
}

/** Known as an app in the registry or in recorded states (history of a removed app still reads). */
export function requireKnownApp(registry: Registry, states: TargetState[], name: string): void {
  const names = appNames(registry, states);
  if (!names.includes(name)) throw notFound('app', name, names);
}

export function findCluster(registry: Registry, states: TargetState[], name: string): ClusterSpec {
  const cluster = registry.clusters.find((candidate) => candidate.name === name);
  if (!cluster) throw notFound('cluster', name, [...registry.clusters.map((candidate) => candidate.name), ...states.map((state) => state.cluster)]);
  return cluster;
}

/** The clusters an app is (or was) on, narrowed to `cluster` when given. */
export function clustersOf(app: string, registry: Registry, states: TargetState[], cluster?: string): string[] {
  const spec = registry.apps.find((candidate) => candidate.name === app);
  const all = [
    ...new Set([
      ...(spec?.destinations.map((destination) => destination.cluster) ?? []),
      ...states.filter((state) => state.app === app).map((state) => state.cluster),
    ]),
  ].sort();
  if (cluster === undefined) return all;
  if (!all.includes(cluster)) throw notFound('cluster', cluster, all, ` for app ${app}`);
  return [cluster];
}

/** The clusters the registered app is synced to, narrowed to `cluster` when given (none when the app only was there). */
export function destinationsOf(app: AppSpec, registry: Registry, states: TargetState[], cluster?: string): string[] {
  return clustersOf(app.name, registry, states, cluster).filter((name) => app.destinations.some((destination) => destination.cluster === name));
}
