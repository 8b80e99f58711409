// The project boundary applied to what an app deploys: every object a sync would write,
// hooks and the namespace CreateNamespace makes included, checked against the app's project
// before the first write, as Argo CD's sync checks each resource (its permission validator:
// the kind by its scope, then, for a namespaced object, its namespace as a destination of the
// project on the target cluster). A cluster-scoped object is checked by kind (and name, where
// a whitelist entry gives one). One rule is stricter than Argo CD (its issue #3553): a Namespace
// object must also name a destination namespace of the project, because a project that may
// create Namespaces would otherwise adopt, relabel and later prune one it may not deploy into
// (kube-system). Pure: the caller knows each object's scope from discovery.
import type { ProjectSpec } from '../config/types.ts';
import type { ObjectRef } from '../kube/live.ts';
import { describeObject, groupOf } from '../kube/object.ts';
import type { SourceLocation } from '../render/types.ts';
import { destinationPermitted, type DestinationCluster } from './destinations.ts';
import type { ProjectViolation } from './errors.ts';
import { kindRefusal } from './kinds.ts';

/** What bounds one app's sync: its project, on the cluster it deploys to. */
export interface ProjectBounds {
  project: ProjectSpec;
  cluster: DestinationCluster;
}

export interface ScopedObject {
  ref: ObjectRef;
  /** From discovery (or the CRD in the same sync): the object's kind is namespaced. */
  namespaced: boolean;
  source?: SourceLocation;
  origin?: string;
}

/** Every object the project does not permit, each with its rule; empty when all are permitted. */
export function projectViolations(bounds: ProjectBounds, objects: ScopedObject[]): ProjectViolation[] {
  const violations: ProjectViolation[] = [];
  for (const { ref, namespaced, source, origin } of objects) {
    const rule = objectRefusal(bounds, ref, namespaced);
    if (!rule) continue;
    const violation: ProjectViolation = {
      object: describeObject({ kind: ref.kind, metadata: { name: ref.name, namespace: namespaced ? ref.namespace : undefined } }),
      rule,
    };
    if (source) violation.source = source;
    if (origin) violation.origin = origin;
    violations.push(violation);
  }
  return violations;
}

/** Why the project does not permit this object, or undefined when it does. */
export function objectRefusal(bounds: ProjectBounds, ref: ObjectRef, namespaced: boolean): string | undefined {
  const { project, cluster } = bounds;
  const refusal = kindRefusal(project, { group: groupOf(ref.apiVersion), kind: ref.kind, name: ref.name }, namespaced);
  if (refusal) return refusal;
  if (!namespaced && ref.kind === 'Namespace' && groupOf(ref.apiVersion) === '' && !destinationPermitted(project, cluster, ref.name)) {
    return `Namespace ${ref.name} on cluster ${cluster.name} is not a destination of project ${project.name}`;
  }
  // A namespaced object without a namespace never reaches the cluster: preflight refuses it.
  const namespace = namespaced ? ref.namespace : undefined;
  if (namespace && !destinationPermitted(project, cluster, namespace)) {
    return `namespace ${namespace} on cluster ${cluster.name} is not a destination of project ${project.name}`;
  }
  return undefined;
}
