// The kinds the CRDs of this sync define: before discovery serves them, their definition in
// the render is what says a custom resource's scope and resource name.
import { groupOf, type KubeObject } from '../kube/object.ts';

export interface RenderedKind {
  namespaced: boolean;
  /** spec.names.plural, when the CRD gives it. */
  resource?: string;
}

/** By `group/kind`, for each CRD among `objects` that names its group and kind. */
export function renderedCrdKinds(objects: Iterable<KubeObject>): Map<string, RenderedKind> {
  const kinds = new Map<string, RenderedKind>();
  for (const object of objects) {
    if (object.kind !== 'CustomResourceDefinition' || groupOf(object.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = object.spec as { group?: string; scope?: string; names?: { kind?: string; plural?: string } } | undefined;
    if (!spec?.group || !spec.names?.kind) continue;
    kinds.set(`${spec.group}/${spec.names.kind}`, { namespaced: spec.scope === 'Namespaced', resource: spec.names.plural || undefined });
  }
  return kinds;
}
