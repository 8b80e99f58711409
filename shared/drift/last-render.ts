// The render a scan compares the cluster with: the last applied one, from the render cache —
// or, when it has expired there (S3's lifecycle after 30 days, local mode restarted with an
// empty cache), made again from Git at the recorded revision through the sync's own path
// (renderOnce: the source at that commit, the same renderer, cached again under the same key
// rules), so the next scan reads it from the cache. A scan never goes blind because nobody
// pushed for a month, and a suspended or pinned target (no sync to record a new render) is
// compared too.
//
// An app of apps' render holds its children's Application and AppProject documents: they join
// the registry and never reach the cluster, so they are left out here by the split the sync
// uses (app-of-apps/split.ts); otherwise every parent would be reported drifted for them.
//
// Only a revision that no longer exists in Git (history rewritten, the commit gone) leaves
// nothing to compare with; any other failure (GitHub down, the cluster unreachable) throws,
// and the scan leaves the recorded state for the next schedule to try again.
import { splitRender } from '../app-of-apps/split.ts';
import type { AppSpec } from '../config/types.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { RenderedObject } from '../render/types.ts';
import { RevisionNotFoundError } from '../source/errors.ts';
import type { SourceRevision } from '../state/types.ts';
import type { RenderCache } from '../storage/render-cache.ts';
import { fetchAppSources, type FetchedApp, type SourceFetchers } from '../worker/fetch-sources.ts';
import { renderOnce } from '../worker/render-once.ts';

/**
 * `cached`: read from the cache under the recorded key; `rendered`: made again from Git (and
 * cached under `key`). `objects`: what the sync applies of the render (an app of apps' children left out).
 */
export type LastRender = { found: 'cached' | 'rendered'; key: string; objects: RenderedObject[] } | { found: 'revision-gone'; reason: string };

export interface LastRenderRequest {
  app: AppSpec;
  /** The destination namespace of the app on this cluster, as the sync renders with it. */
  namespace: string;
  /** The commit last applied, and the key of its render when one was recorded. */
  revision: string;
  renderKey?: string;
  /** Every source as that sync fetched it (commits, chart versions), when it recorded them. */
  sources?: SourceRevision[];
  discovery: Discovery;
}

export async function lastRender(request: LastRenderRequest, deps: SourceFetchers & { renders: RenderCache }): Promise<LastRender> {
  const cached = request.renderKey ? await deps.renders.get(request.renderKey) : undefined;
  if (cached && request.renderKey) return { found: 'cached', key: request.renderKey, objects: splitRender(cached).manifests };
  let fetched: FetchedApp;
  try {
    // Each source at what the sync recorded: the same commits and chart versions as then.
    fetched = await fetchAppSources(request.app, { revision: request.revision, recorded: request.sources }, deps);
  } catch (error) {
    if (error instanceof RevisionNotFoundError) {
      return {
        found: 'revision-gone',
        reason: `the last applied revision is no longer in Git (${error.message}): nothing to compare the cluster with until the next sync`,
      };
    }
    throw error;
  }
  try {
    const rendered = await renderOnce(request.app, request.namespace, fetched, deps.renders, request.discovery);
    return { found: 'rendered', key: rendered.key, objects: splitRender(rendered.objects).manifests };
  } finally {
    await fetched.dispose();
  }
}
