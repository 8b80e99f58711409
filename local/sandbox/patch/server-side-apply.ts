// Field ownership for every write: server-side apply (merge a configuration, detect
// conflicts, remove what the applier stopped configuring) and the ownership bookkeeping
// of ordinary updates. Semantics follow Kubernetes' structured-merge-diff Updater.

import type { KubeObject, ManagedFieldsEntry } from '../../../shared/kube/object.ts';
import { mergeApplied } from './apply-merge.ts';
import { compare } from './compare.ts';
import { ApplyConflictError, PatchError, type ApplyConflict } from './errors.ts';
import {
  IGNORED_FIELDS,
  difference,
  emptySet,
  fieldSetOf,
  hasAnyMember,
  intersection,
  memberPaths,
  pathText,
  removeFromObject,
  union,
  withoutIgnored,
  type FieldSet,
} from './managed-fields.ts';
import { decodeManagers, describeManager, encodeManagers, sameManager, type Manager } from './managers.ts';
import { keyToText, shapeOf } from './path-elements.ts';
import { clone, deepEqual, isMap } from './values.ts';

export interface ApplyInput {
  live?: KubeObject;
  applied: KubeObject;
  manager: string;
  force: boolean;
  now: string;
  subresource?: string;
}

export interface UpdateInput {
  before?: KubeObject;
  after: KubeObject;
  manager: string;
  now: string;
  subresource?: string;
}

// The server owns these; an apply body that carries them does not set them.
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'selfLink'];

export function serverSideApply(input: ApplyInput): KubeObject {
  const { live, manager, force, now, subresource } = input;
  const config = withoutServerMetadata(input.applied);
  const kind = config.kind;
  rejectDuplicateKeys(config, kind, '', '');
  const configSet = withoutIgnored(fieldSetOf(config, kind));
  const base = live ? withoutManagedFields(live) : undefined;

  const me: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: config.apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(subresource ? { subresource } : {}),
  };
  const managers = decodeManagers(live?.metadata.managedFields);
  const previous = managers.find((m) => sameManager(m.entry, me));
  const others = managers.filter((m) => m !== previous);

  let merged = mergeApplied(base, config, kind);
  if (previous) {
    const stillOwned = union(configSet, IGNORED_FIELDS, ...others.map((m) => m.set));
    merged = removeFromObject(merged, unownedRemainder(previous.set, stillOwned), kind);
  }

  const { modified, added, removed } = compare(base ?? {}, merged, kind);
  const changed = union(modified, added);
  const conflicts = others.map((m) => ({ manager: m, fields: intersection(m.set, changed) })).filter((c) => hasAnyMember(c.fields));
  if (conflicts.length > 0 && !force) {
    throw new ApplyConflictError(conflicts.flatMap(({ manager: m, fields }) => conflictList(m, fields)));
  }

  // A no-op apply leaves the entry's time alone, so repeating an apply changes nothing.
  const objectChanged = !deepEqual(base, merged);
  if (previous && !objectChanged && previous.entry.time) me.time = previous.entry.time;
  const next: Manager[] = others.map((m) => ({
    entry: m.entry,
    set: difference(force ? difference(m.set, changed) : m.set, removed),
  }));
  next.push({ entry: me, set: configSet });
  return withManagedFields(merged, encodeManagers(next));
}

export function recordUpdate(input: UpdateInput): KubeObject {
  const { before, after, manager, now, subresource } = input;
  const kind = after.kind;
  // A client may rewrite managedFields in a full update; a subresource write never can.
  const entries = !subresource && after.metadata.managedFields?.length ? after.metadata.managedFields : before?.metadata.managedFields;
  const { modified, added, removed } = compare(before ? withoutManagedFields(before) : {}, withoutManagedFields(after), kind);
  const taken = withoutIgnored(union(modified, added));

  const me: ManagedFieldsEntry = {
    manager,
    operation: 'Update',
    apiVersion: after.apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(subresource ? { subresource } : {}),
  };
  const managers = decodeManagers(entries);
  const previous = managers.find((m) => sameManager(m.entry, me));
  const next: Manager[] = managers.filter((m) => m !== previous).map((m) => ({ entry: m.entry, set: difference(difference(m.set, taken), removed) }));
  const tookAny = hasAnyMember(taken);
  if (previous || tookAny) {
    const kept = previous ? difference(previous.set, removed) : emptySet();
    // The entry's time says when this manager last changed something.
    next.push({ entry: tookAny || !previous ? me : previous.entry, set: union(kept, taken) });
  }
  return withManagedFields(after, encodeManagers(next));
}

/**
 * What the applier owned before and no longer configures, where no one else owns it. A
 * field is removed whole only if nothing beneath it is owned; otherwise only the parts of
 * it the applier alone owned go.
 */
function unownedRemainder(last: FieldSet, owned: FieldSet | undefined): FieldSet {
  const out = emptySet();
  for (const [key, lastChild] of last.children) {
    const ownedChild = owned?.children.get(key);
    if (!ownedChild || !hasAnyMember(ownedChild)) {
      out.children.set(key, { member: true, children: new Map() });
    } else {
      // Owning a map (even an empty one) is not owning its entries: `data: {}` still drops `data.color`.
      const rest = unownedRemainder(lastChild, ownedChild);
      if (hasAnyMember(rest)) out.children.set(key, rest);
    }
  }
  return out;
}

function conflictList(manager: Manager, fields: FieldSet): ApplyConflict[] {
  const message = `conflict with ${describeManager(manager.entry)}`;
  return memberPaths(fields).map((path) => ({ manager: manager.entry.manager, field: pathText(path), message }));
}

// Kubernetes rejects an apply configuration that names the same list element twice.
function rejectDuplicateKeys(value: unknown, kind: string, path: string, text: string): void {
  const shape = shapeOf(value, kind, path);
  if (shape.type === 'leaf') return;
  const seen = new Set<string>();
  for (const child of shape.children) {
    const childText = text + keyToText(child.key);
    if (shape.type === 'list' && seen.has(child.key)) {
      throw new PatchError(`${text}: duplicate entries for key ${keyToText(child.key)}`);
    }
    seen.add(child.key);
    rejectDuplicateKeys(child.value, kind, child.path, childText);
  }
}

function withoutServerMetadata(applied: KubeObject): KubeObject {
  if (!isMap(applied) || typeof applied.apiVersion !== 'string' || typeof applied.kind !== 'string') {
    throw new PatchError('apply configuration must be an object with apiVersion and kind');
  }
  const metadata: Record<string, unknown> = isMap(applied.metadata) ? { ...applied.metadata } : {};
  for (const field of SERVER_METADATA) delete metadata[field];
  return { ...applied, metadata };
}

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _managedFields, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

function withManagedFields(object: KubeObject, entries: ManagedFieldsEntry[]): KubeObject {
  const result = clone(object);
  result.metadata = { ...result.metadata };
  if (entries.length > 0) result.metadata.managedFields = entries;
  else delete result.metadata.managedFields;
  return result;
}
