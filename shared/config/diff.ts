// What a new registry changes, so a config-repo push syncs exactly the apps it affects: an
// app whose spec changed (where it is written does not count), a new app, and an app whose
// destination cluster's connection changed (a replaced cluster needs everything applied).
import type { AppSpec, ClusterSpec, Registry } from './types.ts';

export interface RegistryDiff {
  changedApps: string[];
  removedApps: string[];
}

export function diffRegistries(before: Registry, after: Registry): RegistryDiff {
  const beforeApps = new Map(before.apps.map((app) => [app.name, app]));
  const afterNames = new Set(after.apps.map((app) => app.name));
  const changedClusters = changedClusterNames(before.clusters, after.clusters);
  const changedApps = after.apps
    .filter((app) => {
      const earlier = beforeApps.get(app.name);
      if (!earlier || canonical(withoutLocation(earlier)) !== canonical(withoutLocation(app))) return true;
      return app.destinations.some((destination) => changedClusters.has(destination.cluster));
    })
    .map((app) => app.name)
    .sort();
  const removedApps = before.apps
    .filter((app) => !afterNames.has(app.name))
    .map((app) => app.name)
    .sort();
  return { changedApps, removedApps };
}

function changedClusterNames(before: ClusterSpec[], after: ClusterSpec[]): Set<string> {
  const earlier = new Map(before.map((cluster) => [cluster.name, canonical(withoutLocation(cluster))]));
  return new Set(after.filter((cluster) => earlier.get(cluster.name) !== canonical(withoutLocation(cluster))).map((cluster) => cluster.name));
}

function withoutLocation<T extends AppSpec | ClusterSpec>(spec: T): Omit<T, 'definedIn'> {
  // Who is notified about an app (its subscribe annotations) changes nothing on the cluster either.
  const { definedIn: _definedIn, subscriptions: _subscriptions, ...rest } = spec as T & { subscriptions?: unknown };
  if ('destinations' in rest) {
    // Nor do an app's labels: they place it in a RollingSync step, read when a rollout starts.
    const { labels: _labels, ...app } = rest as typeof rest & { labels?: unknown };
    return app as Omit<T, 'definedIn'>;
  }
  return rest as Omit<T, 'definedIn'>;
}

/** JSON with object keys sorted, so key order in the source never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
