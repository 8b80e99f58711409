// A preview of a change (a PR, or two refs of a checkout): for each app whose watched paths
// the change touches, on each of its clusters, what a sync of the head would do — the diff of
// live against the server's dry run of the head, what would be created, changed and pruned,
// and the project and admission-policy verdicts. Nothing is ever written to a cluster.
//
//   changed files (given, or the two trees compared) → registry change (config repo) →
//   targets (the push matcher) → per app: fetch the head once → per cluster: previewTarget,
//   apps × clusters at most `concurrency` at once.
import pLimit from 'p-limit';
import { watchedSources } from '../config/match.ts';
import { projectOf } from '../config/normalise-project.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import type { KubeClient } from '../kube/client.ts';
import { Discovery } from '../kube/discovery.ts';
import { fetchAppSources, type FetchedApp } from '../worker/fetch-sources.ts';
import { changedBetween } from './changed-files.ts';
import { FetchOnce } from './fetch-once.ts';
import { previewError } from './error-location.ts';
import { previewTarget } from './preview-target.ts';
import { registryChange } from './registry-change.ts';
import { touchedTargets, type Target } from './select-targets.ts';
import type { PreviewDependencies, PreviewReport, PreviewRequest, TargetPreview } from './types.ts';

export type { ObjectRef, PreviewDependencies, PreviewReport, PreviewRequest, TargetPreview, Verdict } from './types.ts';

const DEFAULT_CONCURRENCY = 8;

export async function preview(request: PreviewRequest, given: PreviewDependencies): Promise<PreviewReport> {
  const sources = new FetchOnce(given.sources);
  try {
    return await previewWith(request, { ...given, sources });
  } finally {
    await sources.releaseAll();
  }
}

async function previewWith(request: PreviewRequest, deps: PreviewDependencies): Promise<PreviewReport> {
  const { repoURL, base, head } = request;
  const changedFiles = request.changedFiles ?? (await compareTrees(request, deps));
  const notes: string[] = [];
  let registry = deps.registry;
  let targets: Target[];
  const registryDiff = await registryChange(registry, deps.configRepo, { repoURL, head, changedFiles }, deps.sources);
  if (registryDiff) {
    registry = registryDiff.registry;
    notes.push(...registryDiff.notes);
  }
  targets = touchedTargets(registry, repoURL, changedFiles, request.baseBranch, request.defaultBranch);
  if (registryDiff && registryDiff.changedApps.length > 0) targets = withApps(targets, registry, registryDiff.changedApps);
  if (request.app !== undefined) targets = targets.filter((target) => target.app === request.app);

  const limit = pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY);
  // One discovery per cluster connection for the whole preview: a preview installs no CRD, so
  // what one target learns of a cluster's kinds holds for the next.
  const discoveries = new Map<KubeClient, Discovery>();
  const discoveryOf = (client: KubeClient): Discovery => {
    let discovery = discoveries.get(client);
    if (!discovery) {
      discovery = new Discovery(client);
      discoveries.set(client, discovery);
    }
    return discovery;
  };
  const byApp = new Map<string, Target[]>();
  for (const target of targets) byApp.set(target.app, [...(byApp.get(target.app) ?? []), target]);
  const results = await Promise.all(
    [...byApp].map(async ([name, appTargets]) => {
      const app = registry.apps.find((candidate) => candidate.name === name) as AppSpec;
      return previewApp(app, appTargets, registry, request, deps, limit, discoveryOf);
    }),
  );
  const report: PreviewReport = { repoURL, base, head, targets: results.flat() };
  if (notes.length > 0) report.notes = notes;
  return report;
}

/** Each of the app's targets, its sources fetched at the head once (inside the first target's slot). */
async function previewApp(
  app: AppSpec,
  targets: Target[],
  registry: Registry,
  request: PreviewRequest,
  deps: PreviewDependencies,
  limit: ReturnType<typeof pLimit>,
  discoveryOf: (client: KubeClient) => Discovery,
): Promise<TargetPreview[]> {
  let fetching: Promise<FetchedApp> | undefined;
  // The head is a commit of the changed repository; an app whose sources are elsewhere (one the
  // registry change names) is fetched where it points today, its primary source's targetRevision.
  const inRepo = watchedSources(app).some((source) => sameRepo(source.repoURL, request.repoURL));
  const revision = inRepo ? request.head : app.source.targetRevision;
  const fetchOnce = () => (fetching ??= fetchAppSources(app, { revision }, deps));
  try {
    return await Promise.all(
      targets.map((target) =>
        limit(async (): Promise<TargetPreview> => {
          const failed = (error: unknown): TargetPreview => ({
            app: app.name,
            cluster: target.cluster,
            diff: '',
            create: [],
            change: [],
            prune: [],
            verdicts: [],
            error: previewError(error),
          });
          const cluster = registry.clusters.find((candidate) => candidate.name === target.cluster);
          if (!cluster) return failed(new Error(`app ${app.name} targets cluster ${target.cluster}, which the registry does not define`));
          const project = projectOf(registry, app.project);
          if (!project) return failed(new Error(`app ${app.name} belongs to project ${app.project}, which the registry does not define`));
          let fetched: FetchedApp;
          try {
            fetched = await fetchOnce();
          } catch (error) {
            return failed(error);
          }
          return previewTarget({ app, cluster, namespace: target.namespace, project, registry, fetched, discoveryOf }, deps);
        }),
      ),
    );
  } finally {
    if (fetching) await fetching.then((fetched) => fetched.dispose()).catch(() => undefined);
  }
}

/** No list of files: the two commits' trees of the repository, compared. */
async function compareTrees(request: PreviewRequest, deps: PreviewDependencies): Promise<string[]> {
  const [base, head] = await Promise.all([
    deps.sources.fetch({ repoURL: request.repoURL, revision: request.base }),
    deps.sources.fetch({ repoURL: request.repoURL, revision: request.head }),
  ]);
  try {
    return await changedBetween(base.root, head.root);
  } finally {
    await Promise.all([base.dispose(), head.dispose()]);
  }
}

/** `targets` and every destination of the named apps not among them, in the registry's order. */
function withApps(targets: Target[], registry: Registry, apps: string[]): Target[] {
  const wanted = new Set(apps);
  const have = new Set(targets.map((target) => `${target.app}@${target.cluster}`));
  const all = [...targets];
  for (const app of registry.apps) {
    if (!wanted.has(app.name)) continue;
    for (const destination of app.destinations) {
      if (!have.has(`${app.name}@${destination.cluster}`)) all.push({ app: app.name, cluster: destination.cluster, namespace: destination.namespace });
    }
  }
  const order = new Map(registry.apps.map((app, index) => [app.name, index]));
  return all.sort((a, b) => (order.get(a.app) ?? 0) - (order.get(b.app) ?? 0));
}
