// Project bounds: the app's project checked against everything this sync would write, after
// live state is read and before the first write, so a refused object means nothing of the
// sync is applied. Hooks of every phase count (a PreSync Job is written like any object),
// and so does the namespace CreateNamespace would create: Argo CD refuses that too when the
// project does not whitelist the cluster-scoped kind Namespace ("resource :Namespace is not
// permitted in project"), and only when it has to create it (or, with managedNamespaceMetadata,
// write its labels and annotations). Prune asks the same rule, so
// the app never deletes what its project could not have let it create.
import type { Discovery } from '../kube/discovery.ts';
import type { ObjectRef } from '../kube/live.ts';
import { groupOf } from '../kube/object.ts';
import { objectRefusal, projectViolations, type ProjectBounds, type ScopedObject } from '../project/check-objects.ts';
import { ProjectViolationError } from '../project/errors.ts';
import type { ObjectSource } from './changeset.ts';
import { namespaceRef } from './live-state.ts';
import type { PlannedObject } from './plan.ts';
import type { DesiredState } from './prepare.ts';
import { renderedCrdKinds } from './rendered-crds.ts';

export type { ProjectBounds } from '../project/check-objects.ts';

/** Throws a ProjectViolationError listing every object the project does not permit. */
export async function checkProjectBounds(
  bounds: ProjectBounds | undefined,
  desired: DesiredState<ObjectSource>,
  discovery: Discovery,
  namespace: { create?: string; existing: ReadonlySet<string>; label?: boolean },
): Promise<void> {
  if (!bounds) return;
  const scoped = await scopedObjects(desired, discovery);
  if (namespace.create && !namespace.existing.has(namespace.create)) {
    scoped.unshift({ ref: namespaceRef(namespace.create), namespaced: false, origin: 'created by CreateNamespace=true' });
  } else if (namespace.create && namespace.label) {
    scoped.unshift({ ref: namespaceRef(namespace.create), namespaced: false, origin: 'labelled by managedNamespaceMetadata' });
  }
  const violations = projectViolations(bounds, scoped);
  if (violations.length > 0) throw new ProjectViolationError(bounds.project.name, violations);
}

/** The rule that keeps a prune candidate, or undefined when the project could have created it. */
export function pruneRefusal(bounds: ProjectBounds | undefined): ((entry: ObjectRef) => string | undefined) | undefined {
  // An inventory entry keeps the namespace of a namespaced object only (see prepare.ts), as a
  // live object does: that is how Argo CD tells the scope of what it prunes.
  return bounds && ((entry) => objectRefusal(bounds, entry, Boolean(entry.namespace)));
}

/**
 * Every planned object (hooks once, though they may run in several phases) with its scope:
 * from discovery, or for a custom resource whose CRD is in this sync, from that CRD. A kind
 * neither knows is left to preflight, which refuses it.
 */
async function scopedObjects(desired: DesiredState<ObjectSource>, discovery: Discovery): Promise<ScopedObject[]> {
  const planned = [...new Set<PlannedObject<ObjectSource>>(desired.plan.steps.flatMap((step) => step.objects))];
  const crdKinds = renderedCrdKinds(planned.map(({ object }) => object));
  const scoped: ScopedObject[] = [];
  for (const { object, source } of planned) {
    const info = await discovery.lookup(object.apiVersion, object.kind);
    const namespaced = info?.namespaced ?? crdKinds.get(`${groupOf(object.apiVersion)}/${object.kind}`)?.namespaced;
    if (namespaced === undefined) continue;
    const ref: ObjectRef = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name ?? object.metadata.generateName ?? '',
    };
    scoped.push({ ref, namespaced, source });
  }
  return scoped;
}
