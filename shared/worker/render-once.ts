// Renders an app's source at a commit once: the result is kept in the render cache (S3) and
// reused by every cluster the app targets and by the drift scan.
import type { AppSpec } from '../config/types.ts';
import { render } from '../render/render.ts';
import type { RenderedObject } from '../render/types.ts';
import type { FetchedSource } from '../source/fetcher.ts';
import type { RenderCache } from '../storage/render-cache.ts';

export interface RenderedApp {
  key: string;
  objects: RenderedObject[];
  cached: boolean;
}

export async function renderOnce(app: AppSpec, namespace: string, source: FetchedSource, cache: RenderCache): Promise<RenderedApp> {
  const sourceOptions = { helm: app.source.helm, kustomize: app.source.kustomize, directory: app.source.directory, namespace, appName: app.name };
  const key = cache.renderKey({ repoURL: app.source.repoURL, revision: source.sha, path: app.source.path, sourceOptions });
  const stored = await cache.get(key);
  if (stored) return { key, objects: stored, cached: true };
  const result = await render({
    root: source.root,
    path: app.source.path,
    appName: app.name,
    destinationNamespace: namespace,
    helm: app.source.helm,
    kustomize: app.source.kustomize,
    directory: app.source.directory,
  });
  await cache.put(key, result.objects);
  return { key, objects: result.objects, cached: false };
}
