// How drifted objects are kept on the target (bounded, no values) and named in events.
import type { DriftedObject } from '../state/types.ts';
import type { FieldOwner } from '../kube/compare.ts';
import type { ObjectDrift } from './types.ts';

/** Characters of one object's reason: paths and managers, enough to act on. */
const MAX_REASON = 300;

/** Every drifted object as the target keeps it (the store caps the list; driftedCount keeps the number). */
export function storedDrift(objects: ObjectDrift[]): DriftedObject[] {
  return objects.map(({ apiVersion, kind, namespace, name, state, fields }) => ({
    apiVersion,
    kind,
    ...(namespace ? { namespace } : {}),
    name,
    reason: cut(state === 'modified' ? `modified: ${(fields ?? []).map(describeField).join('; ')}` : state),
  }));
}

/** `.spec.replicas by kubectl (scale)`: the path and who owns it now; never the value. */
export function describeField(field: { path: string; managers: FieldOwner[] }): string {
  if (field.managers.length === 0) return field.path;
  return `${field.path} by ${field.managers.map((owner) => (owner.subresource ? `${owner.manager} (${owner.subresource})` : owner.manager)).join(', ')}`;
}

function cut(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
