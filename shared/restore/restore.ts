// `driftless restore`: rebuild a lost state table from Git and the clusters, top to bottom:
//   refuse a table with state (unless forced) → registry from the config repository at its
//   branch head → per cluster: connect, render each app at its commit, one LIST per kind
//   → per target: state and a `restored` history entry, written only where they differ.
// Nothing is written to a cluster. A target whose source, render or cluster cannot be read is
// reported and left unwritten (its next sync starts it afresh; a later restore --force fills
// it in); the others are restored regardless.
import { loadRegistry } from '../config/load.ts';
import { gitFilesFromFetcher } from '../appset/git-files.ts';
import { isBadInput } from '../errors/bad-input.ts';
import { tracksBranch } from '../config/match.ts';
import { repoKey, sameRepo } from '../config/repo-url.ts';
import type { AppSpec, ClusterSpec, Registry } from '../config/types.ts';
import type { KubeClient } from '../kube/client.ts';
import { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import { targetId } from '../queue/job.ts';
import type { FetchedSource, SourceFetcher } from '../source/fetcher.ts';
import type { SyncStatus, TargetState } from '../state/types.ts';
import type { RenderCache } from '../storage/render-cache.ts';
import { prepareDesired } from '../sync/prepare.ts';
import { renderOnce } from '../worker/render-once.ts';
import { TableNotEmptyError } from './errors.ts';
import { listOwnedObjects, type KindRef } from './owned-objects.ts';
import { restoredTarget, type DesiredAtCommit } from './restored-target.ts';
import type { RestoreStore } from './store.ts';
import { registryUnchanged, stateUnchanged } from './unchanged.ts';

export interface RestoreDependencies {
  store: RestoreStore;
  sources: SourceFetcher;
  renders: RenderCache;
  /** A client for a registered cluster; the caller closes them. */
  connect(cluster: ClusterSpec): Promise<KubeClient>;
  /** Where the registry lives, as the worker and webhook are configured. */
  configRepo: { repoURL: string; branch: string; dir: string };
  /** For the refusal's message: which table this is. */
  tableName: string;
  now?: () => Date;
}

export interface RestoreOptions {
  /** Write into a table that already holds state. */
  force?: boolean;
}

export type TargetOutcome = 'restored' | 'unchanged' | 'failed';

export interface TargetRestore {
  app: string;
  cluster: string;
  outcome: TargetOutcome;
  syncStatus?: SyncStatus;
  /** The commit the cluster was found at; absent when it differs from the commit compared. */
  revision?: string;
  /** The commit compared against: the branch head, or the pin. */
  commit?: string;
  objects: number;
  message: string;
}

export interface RestoreReport {
  registry: { revision: string; apps: number; clusters: number; written: boolean };
  targets: TargetRestore[];
  /** LIST requests made against the clusters. */
  lists: number;
}

export async function restore(deps: RestoreDependencies, options: RestoreOptions = {}): Promise<RestoreReport> {
  if (!options.force && (await deps.store.hasAnyItem())) throw new TableNotEmptyError(deps.tableName);
  const { registry, revision } = await readRegistry(deps);
  const written = !registryUnchanged(await deps.store.getRegistry(), registry, revision);
  if (written) await deps.store.putRegistry(registry, revision);

  const current = new Map((await deps.store.listTargets()).map((state) => [targetId(state.app, state.cluster), state]));
  const sources = new Sources(deps.sources, deps.configRepo, revision);
  const targets: TargetRestore[] = [];
  let lists = 0;
  try {
    for (const cluster of registry.clusters) {
      const result = await restoreCluster(cluster, registry, current, sources, deps);
      targets.push(...result.targets);
      lists += result.lists;
    }
  } finally {
    await sources.dispose();
  }
  return { registry: { revision, apps: registry.apps.length, clusters: registry.clusters.length, written }, targets, lists };
}

/** The registry as the worker reads it on a config push (a RegistryError when it does not load). */
async function readRegistry(deps: RestoreDependencies): Promise<{ registry: Registry; revision: string }> {
  const { repoURL, branch, dir } = deps.configRepo;
  const source = await deps.sources.fetch({ repoURL, revision: branch });
  // ApplicationSets' git generators read their repositories as a config push does.
  const git = gitFilesFromFetcher(deps.sources);
  try {
    return { registry: await loadRegistry(source.root, dir, { git }), revision: source.sha };
  } finally {
    await Promise.all([source.dispose(), git.dispose()]);
  }
}

interface ClusterTarget {
  app: AppSpec;
  namespace: string;
  current?: TargetState;
  /** The commit's tree, or why it could not be fetched. */
  source: FetchedSource | { error: string };
}

async function restoreCluster(
  cluster: ClusterSpec,
  registry: Registry,
  current: Map<string, TargetState>,
  sources: Sources,
  deps: RestoreDependencies,
): Promise<{ targets: TargetRestore[]; lists: number }> {
  const here: ClusterTarget[] = [];
  for (const app of registry.apps) {
    const destination = app.destinations.find((candidate) => candidate.cluster === cluster.name);
    if (!destination) continue;
    const state = current.get(targetId(app.name, cluster.name));
    // A pin (kept in a table restored with --force) is the commit the target must be on.
    const revision = state?.pinnedRevision ?? app.source.targetRevision;
    here.push({ app, namespace: destination.namespace, current: state, source: await sources.at(app.source.repoURL, revision) });
  }
  if (here.length === 0) return { targets: [], lists: 0 };
  const failed = (target: ClusterTarget, message: string): TargetRestore => ({
    app: target.app.name,
    cluster: cluster.name,
    outcome: 'failed',
    objects: 0,
    message,
  });

  let client: KubeClient;
  try {
    client = await deps.connect(cluster);
  } catch (error) {
    return { targets: here.map((target) => failed(target, `cannot reach cluster ${cluster.name}: ${(error as Error).message}`)), lists: 0 };
  }
  const discovery = new Discovery(client);
  try {
    await discovery.serverVersion();
  } catch (error) {
    return { targets: here.map((target) => failed(target, `cannot reach cluster ${cluster.name}: ${(error as Error).message}`)), lists: 0 };
  }
  const desired = new Map<string, DesiredAtCommit | { failure: string }>();
  for (const target of here) {
    if ('root' in target.source) desired.set(target.app.name, await desiredAt(target.app, target.namespace, target.source, deps.renders, discovery));
  }
  const compared = new Map([...desired].filter((entry): entry is [string, DesiredAtCommit] => !('failure' in entry[1])));
  let owned: Awaited<ReturnType<typeof listOwnedObjects>>;
  try {
    owned = await listOwnedObjects(client, discovery, kindsOf(compared), new Set(compared.keys()), cluster.accessScope);
  } catch (error) {
    return { targets: here.map((target) => failed(target, `cannot list the objects on cluster ${cluster.name}: ${(error as Error).message}`)), lists: 0 };
  }

  const at = (deps.now?.() ?? new Date()).toISOString();
  const targets: TargetRestore[] = [];
  for (const target of here) {
    const wanted = compared.get(target.app.name);
    if ('error' in target.source || !wanted) {
      const result = desired.get(target.app.name);
      targets.push(failed(target, 'error' in target.source ? target.source.error : result && 'failure' in result ? result.failure : 'not rendered'));
      continue;
    }
    const found = owned.byApp.get(target.app.name) ?? [];
    const restored = restoredTarget({
      app: target.app.name,
      cluster: cluster.name,
      namespace: target.namespace,
      commit: target.source.sha,
      desired: wanted,
      owned: forApp(found, wanted),
      ignoreDifferences: target.app.ignoreDifferences,
      at,
    });
    const unchanged = stateUnchanged(target.current, restored.state);
    if (!unchanged) {
      await deps.store.putTargetState(restored.state);
      await deps.store.appendHistory(restored.history);
    }
    targets.push({
      app: target.app.name,
      cluster: cluster.name,
      outcome: unchanged ? 'unchanged' : 'restored',
      syncStatus: restored.state.syncStatus,
      revision: restored.state.revision,
      commit: target.source.sha,
      objects: restored.counts.live,
      message: restored.state.message ?? '',
    });
  }
  return { targets, lists: owned.lists };
}

/**
 * The commit's objects as the sync would apply them, rendered (and cached) as the worker renders
 * them; or why not. Without them the target is left out: they name the kinds to list.
 */
async function desiredAt(
  app: AppSpec,
  namespace: string,
  source: FetchedSource,
  renders: RenderCache,
  discovery: Discovery,
): Promise<DesiredAtCommit | { failure: string }> {
  try {
    const rendered = await renderOnce(app, namespace, source, renders, discovery);
    const { resources } = await prepareDesired(app.name, rendered.objects, discovery);
    return { objects: resources.map((planned) => planned.object), renderKey: rendered.key };
  } catch (error) {
    const fix = isBadInput(error)
      ? 'fix it in Git (its syncs fail the same way) and run driftless restore --force'
      : 'run driftless restore --force once it renders';
    return {
      failure: `cannot render ${app.name} at ${source.sha.slice(0, 7)}, so its kinds are not known: ${(error as Error).message.split('\n')[0]}; ${fix}`,
    };
  }
}

/** Every kind some app on the cluster renders, once. */
function kindsOf(desired: Map<string, DesiredAtCommit>): KindRef[] {
  const kinds = new Map<string, KindRef>();
  for (const result of desired.values()) {
    for (const { apiVersion, kind } of result.objects) kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind });
  }
  return [...kinds.values()];
}

/**
 * One live object per key: in the API version the app renders it in, so that it compares like
 * with like; an object the render no longer has (listed for the kind another app renders, maybe
 * in two versions) in the first version by name, so that two runs choose alike.
 */
function forApp(found: KubeObject[], desired: DesiredAtCommit): KubeObject[] {
  const versions = new Map(desired.objects.map((object) => [objectKey(object), object.apiVersion]));
  const chosen = new Map<string, KubeObject>();
  for (const object of found) {
    const key = objectKey(object);
    const held = chosen.get(key);
    const wanted = versions.get(key);
    const better =
      wanted !== undefined ? object.apiVersion === wanted && held?.apiVersion !== wanted : held !== undefined && object.apiVersion < held.apiVersion;
    if (!held || better) chosen.set(key, object);
  }
  return [...chosen.values()];
}

/**
 * Each repository and revision fetched once for the whole restore, as the registry refresh
 * resolves them: an app in the config repository on its branch is at the registry's commit.
 */
class Sources {
  readonly #fetcher: SourceFetcher;
  readonly #config: { repoURL: string; branch: string };
  readonly #configSha: string;
  readonly #fetched = new Map<string, Promise<FetchedSource | { error: string }>>();

  constructor(fetcher: SourceFetcher, config: { repoURL: string; branch: string }, configSha: string) {
    this.#fetcher = fetcher;
    this.#config = config;
    this.#configSha = configSha;
  }

  at(repoURL: string, revision: string): Promise<FetchedSource | { error: string }> {
    const pinned = sameRepo(repoURL, this.#config.repoURL) && tracksBranch(revision, this.#config.branch) ? this.#configSha : revision;
    const key = `${repoKey(repoURL)}@${pinned}`;
    let source = this.#fetched.get(key);
    if (!source) {
      source = this.#fetcher
        .fetch({ repoURL, revision: pinned })
        .catch((error: unknown) => ({ error: `cannot fetch ${repoURL} at ${revision}: ${(error as Error).message}` }));
      this.#fetched.set(key, source);
    }
    return source;
  }

  async dispose(): Promise<void> {
    const all = await Promise.all(this.#fetched.values());
    await Promise.all(all.map((source) => ('dispose' in source ? source.dispose().catch(() => undefined) : undefined)));
  }
}
