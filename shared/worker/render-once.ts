// Renders an app's sources at a commit once: the result is kept in the render cache (S3) and
// reused by every cluster the app targets and by the drift scan.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { appSources, isChartSource, rendersManifests } from '../config/app-sources.ts';
import type { AppSpec } from '../config/types.ts';
import type { Discovery } from '../kube/discovery.ts';
import { detectSourceType } from '../render/detect.ts';
import { render } from '../render/render.ts';
import { renderSources, type SourceTree } from '../render/render-sources.ts';
import type { RenderedObject, RenderRequest } from '../render/types.ts';
import { SingleFlight } from '../runtime/single-flight.ts';
import type { FetchedSource } from '../source/fetcher.ts';
import { canonicalJson } from '../storage/render-key.ts';
import type { RenderCache } from '../storage/render-cache.ts';
import type { FetchedApp, FetchedAppSource } from './fetch-sources.ts';

export interface RenderedApp {
  key: string;
  objects: RenderedObject[];
  cached: boolean;
}

/**
 * `fetched` is every source of the app (fetchAppSources), or, for an app of one Git source,
 * that source's tree alone.
 */
export async function renderOnce(
  app: AppSpec,
  namespace: string,
  fetched: FetchedSource | FetchedApp,
  cache: RenderCache,
  discovery: Discovery,
): Promise<RenderedApp> {
  const single = singleTree(app, fetched);
  if (single) return renderSingle(app, namespace, single, cache, discovery);
  if (!('sources' in fetched))
    throw new Error(`renderOnce: ${app.name} has ${app.sources ? 'several sources' : 'a chart source'}; fetch them all with fetchAppSources`);
  return renderSeveral(app, namespace, fetched, cache, discovery);
}

/** The one tree of an app whose one source is in Git, the way it has always been rendered and keyed. */
function singleTree(app: AppSpec, fetched: FetchedSource | FetchedApp): FetchedSource | undefined {
  if (app.sources !== undefined || isChartSource(app.source)) return undefined;
  if (!('sources' in fetched)) return fetched;
  const only = fetched.sources[0];
  return only?.kind === 'git' ? only.tree : undefined;
}

async function renderSingle(app: AppSpec, namespace: string, source: FetchedSource, cache: RenderCache, discovery: Discovery): Promise<RenderedApp> {
  // Helm charts may branch on the cluster's Capabilities, as with Argo CD: a chart is rendered
  // per Kubernetes version and API set, and those go into the cache key. Other sources render
  // the same everywhere, so one render serves every cluster.
  const request: RenderRequest = {
    root: source.root,
    path: app.source.path,
    appName: app.name,
    destinationNamespace: namespace,
    helm: app.source.helm,
    kustomize: app.source.kustomize,
    directory: app.source.directory,
  };
  const capabilities = (await detectSourceType(join(source.root, app.source.path), request)) === 'helm' ? await discovery.capabilities() : undefined;
  const sourceOptions = { helm: app.source.helm, kustomize: app.source.kustomize, directory: app.source.directory, namespace, appName: app.name, capabilities };
  const key = cache.renderKey({ repoURL: app.source.repoURL, revision: source.sha, path: app.source.path, sourceOptions });
  return once(cache, key, async () => (await render({ ...request, cluster: capabilities })).objects);
}

/**
 * Several sources, or a chart: keyed by every source's identity and what it was fetched at (a
 * commit, a chart version and digest), so a new commit of any source or a new chart version is
 * a new render.
 */
async function renderSeveral(app: AppSpec, namespace: string, fetched: FetchedApp, cache: RenderCache, discovery: Discovery): Promise<RenderedApp> {
  const sources = appSources(app);
  const trees: SourceTree[] = sources.map((source, index) => {
    const entry = fetched.sources[index];
    return {
      root: entry.kind === 'git' ? entry.tree.root : entry.chart.dir,
      path: entry.kind === 'git' ? source.path : '.',
      chart: entry.kind === 'chart',
      renders: rendersManifests(source),
      ref: source.ref,
      helm: source.helm,
      kustomize: source.kustomize,
      directory: source.directory,
      origin: originOf(app, index, entry),
    };
  });
  const capabilities = (await rendersHelm(trees)) ? await discovery.capabilities() : undefined;
  const identities = sources.map((source, index) => ({
    repoURL: source.repoURL,
    path: source.path,
    chart: source.chart,
    ref: source.ref,
    valuesOnly: source.valuesOnly,
    helm: source.helm,
    kustomize: source.kustomize,
    directory: source.directory,
    at: fetched.revisions[index],
  }));
  const sourceOptions = { sources: identities, namespace, appName: app.name, capabilities };
  // The cache groups renders by commit: the first Git source's, or for charts alone a digest of what they are.
  const firstCommit = fetched.revisions.find((revision) => revision.sha !== undefined)?.sha;
  const revision = firstCommit ?? createHash('sha256').update(canonicalJson(identities)).digest('hex');
  const key = cache.renderKey({ repoURL: app.source.repoURL, revision, path: app.source.path, sourceOptions });
  return once(
    cache,
    key,
    async () => (await renderSources({ sources: trees, destinationNamespace: namespace, appName: app.name, cluster: capabilities })).objects,
  );
}

/**
 * Renders in progress in this process, per cache and key: the jobs of one batch run at once
 * (an app's targets on several clusters, a sync beside a scan), and a second job that misses
 * the cache while the first is rendering the same key waits for that render rather than
 * running helm or kustomize again. Its answer counts as cached: this job did not render it.
 */
const rendering = new WeakMap<RenderCache, SingleFlight<{ objects: RenderedObject[]; cached: boolean }>>();

async function once(cache: RenderCache, key: string, produce: () => Promise<RenderedObject[]>): Promise<RenderedApp> {
  let flights = rendering.get(cache);
  if (!flights) rendering.set(cache, (flights = new SingleFlight()));
  let rendered = false;
  const result = await flights.run(key, async () => {
    rendered = true;
    const stored = await cache.get(key);
    if (stored) return { objects: stored, cached: true };
    const objects = await produce();
    await cache.put(key, objects);
    return { objects, cached: false };
  });
  return { key, objects: result.objects, cached: result.cached || !rendered };
}

/** `chart web 1.2.0 from https://…`, `spec.sources[1] (https://github.com/…)`; none for an app's one Git source. */
function originOf(app: AppSpec, index: number, entry: FetchedAppSource): string | undefined {
  const source = appSources(app)[index];
  const what = entry.kind === 'chart' ? `chart ${entry.chart.chart} ${entry.chart.version} from ${source.repoURL}` : source.repoURL;
  if (app.sources !== undefined) return `spec.sources[${index}] (${what})`;
  return entry.kind === 'chart' ? what : undefined;
}

async function rendersHelm(trees: readonly SourceTree[]): Promise<boolean> {
  for (const tree of trees) {
    if (!tree.renders) continue;
    if (tree.chart) return true;
    const type = await detectSourceType(join(tree.root, tree.path), {
      root: tree.root,
      path: tree.path,
      appName: '',
      destinationNamespace: '',
      helm: tree.helm,
      kustomize: tree.kustomize,
      directory: tree.directory,
    });
    if (type === 'helm') return true;
  }
  return false;
}
