// A parent may declare children only where its own project would let it write Argo CD's
// Application and AppProject objects: as in Argo CD, they are namespaced objects in Argo CD's
// own namespace, `argocd` (render may have put a document without a namespace into the app's
// destination namespace, where Argo CD would never read it; and apps in any namespace,
// `sourceNamespaces`, are not supported), checked with the same rule as everything else the
// parent deploys. Without this, a tenant who writes one app
// repository could render an AppProject allowing everything, or a child in a wider project,
// and leave its own project behind. Whoever may write into `argocd` may choose any project:
// that is Argo CD's trust model, and a project grants it only by listing that destination.
import { projectViolations, type ProjectBounds } from '../project/check-objects.ts';
import { ProjectViolationError } from '../project/errors.ts';
import type { RenderedObject } from '../render/types.ts';

/** Argo CD's namespace, where its Application and AppProject objects live unless they say otherwise. */
export const ARGO_CD_NAMESPACE = 'argocd';

/** Throws a ProjectViolationError naming every child document the parent's project does not permit. */
export function assertChildrenPermitted(bounds: ProjectBounds, children: readonly RenderedObject[]): void {
  const violations = projectViolations(
    bounds,
    children.map(({ object, source }) => ({
      ref: { apiVersion: object.apiVersion, kind: object.kind, namespace: ARGO_CD_NAMESPACE, name: object.metadata.name ?? '' },
      namespaced: true,
      source,
    })),
  );
  if (violations.length > 0) throw new ProjectViolationError(bounds.project.name, violations);
}
