// An app's render split into what goes to its cluster and what joins the registry: Argo CD's
// Application and AppProject documents are an app of apps' children, never cluster objects
// (the cluster has no Argo CD to read them), and neither are its ApplicationSets, whose generated
// Applications become its children (set-children.ts).
import type { RenderedObject } from '../render/types.ts';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
const CHILD_KINDS = new Set(['Application', 'AppProject']);

export interface SplitRender {
  /** What the sync applies, in render order. */
  manifests: RenderedObject[];
  /** Application and AppProject documents, in render order. */
  children: RenderedObject[];
  /** ApplicationSet documents, in render order: generated into children at the parent's sync. */
  applicationSets: RenderedObject[];
}

export function splitRender(objects: RenderedObject[]): SplitRender {
  const split: SplitRender = { manifests: [], children: [], applicationSets: [] };
  for (const rendered of objects) {
    const { apiVersion, kind } = rendered.object;
    if (apiVersion === ARGO_API_VERSION && CHILD_KINDS.has(kind)) split.children.push(rendered);
    else if (apiVersion === ARGO_API_VERSION && kind === 'ApplicationSet') split.applicationSets.push(rendered);
    else split.manifests.push(rendered);
  }
  return split;
}
