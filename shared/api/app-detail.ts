// GET /api/apps/:app: the app and, per cluster, its state, drifted objects, the last error in
// full and its sync history. One registry read, one scan of the targets, and one history
// query per cluster (and, for an app of a RollingSync set, one Query of the rollout items).
import { parentOf } from '../app-of-apps/types.ts';
import { clustersOf } from '../operations/lookup.ts';
import { targetView } from '../operations/targets.ts';
import type { Identity } from '../rbac/identity.ts';
import type { HistoryEntry as StoredHistoryEntry } from '../state/types.ts';
import { ACTIONS, allowedFor, revisionUrl } from './access.ts';
import type { AppDetail, HistoryEntry, TargetDetail } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { optional } from './optional.ts';
import { namedApp } from './target-lookup.ts';
import { rolloutRows } from './rollouts.ts';

/** How many past syncs per cluster the app view shows. */
export const HISTORY_LIMIT = 20;

export async function appDetail(name: string, identity: Identity, deps: ApiDeps): Promise<AppDetail> {
  const { registry, states, rbac, project, object, app: spec } = await namedApp(name, identity, ACTIONS.read, deps);
  const allowed = allowedFor(rbac, identity, object);
  // Only an app of a set reads the rollouts: one registry of sets without it costs nothing here.
  const rolloutOf = spec?.applicationSet ? await rolloutRows(registry, rbac, identity, deps) : () => undefined;
  const targets: TargetDetail[] = await Promise.all(
    clustersOf(name, registry, states).map(async (cluster): Promise<TargetDetail> => {
      const state = states.find((candidate) => candidate.app === name && candidate.cluster === cluster);
      const destination = spec?.destinations.find((candidate) => candidate.cluster === cluster);
      const view = targetView(state, name, cluster, destination !== undefined, destination?.namespace);
      const history = await deps.store.listHistory(name, cluster, HISTORY_LIMIT);
      return {
        cluster,
        clusterLabels: registry.clusters.find((candidate) => candidate.name === cluster)?.labels ?? {},
        ...optional('namespace', view.namespace),
        syncStatus: view.syncStatus,
        health: view.health,
        drift: view.driftStatus,
        driftedObjects: (state?.driftedObjects ?? []).map((drifted) => ({
          ...optional('group', drifted.apiVersion.includes('/') ? drifted.apiVersion.split('/')[0] : undefined),
          kind: drifted.kind,
          ...optional('namespace', drifted.namespace),
          name: drifted.name,
          ...optional('reason', drifted.reason),
        })),
        ...optional('revision', view.revision),
        ...optional('revisionUrl', revisionUrl(spec?.source.repoURL, view.revision, deps.gitHubHost)),
        ...optional('requestedRevision', view.requestedRevision),
        ...optional('lastError', view.syncStatus === 'Failed' && view.message ? view.message : undefined),
        suspended: view.suspended,
        ...optional('pinnedRevision', view.pinnedRevision),
        history: history.map(historyEntry),
        ...optional('rollout', rolloutOf(name, state)),
        allowed,
      };
    }),
  );
  return {
    app: name,
    project,
    ...optional('parent', spec ? parentOf(spec) : undefined),
    ...optional('applicationSet', spec?.applicationSet),
    source: spec
      ? {
          repoURL: spec.source.repoURL,
          ...optional('path', spec.source.path),
          ...optional('chart', spec.source.chart),
          ...optional('targetRevision', spec.source.targetRevision),
        }
      : { repoURL: '' },
    targets,
  };
}

function historyEntry(entry: StoredHistoryEntry): HistoryEntry {
  return {
    revision: entry.revision,
    status: entry.status,
    health: entry.health,
    message: entry.message,
    startedAt: entry.startedAt,
    finishedAt: entry.finishedAt,
    durationMs: entry.durationMs,
    ...optional('reason', entry.reason),
    counts: entry.counts,
  };
}
