// The object lifecycle every write goes through, whoever makes it (HTTP handlers and the
// simulated controllers alike): validation, namespace lifecycle, managed fields, defaults,
// server-set metadata, generation, finalizers, cascading deletion and CRD registration.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../shared/kube/object.ts';
import { acceptedStatus, crdResourceTypes, validateCrd } from './crds.ts';
import { initialStatus } from './initial-status.ts';
import { clone } from './patch/values.ts';
import { applyObject, trackUpdate, withDefaults } from './patching.ts';
import type { Registry } from './registry.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { dropEmptyMetadata, generateName, now, setCreateFields, specChanged } from './server-fields.ts';
import { alreadyExists, badRequest, conflict, forbidden, notFound } from './status.ts';
import type { Store } from './store.ts';
import { validateObject } from './validation.ts';

export interface WriteOptions {
  manager: string;
  dryRun?: boolean;
  /** 'status' writes only .status; undefined writes everything but .status (when the kind has a status subresource). */
  subresource?: string;
}

export interface ApplyWriteOptions extends WriteOptions {
  force: boolean;
}

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: Propagation;
  dryRun?: boolean;
  preconditions?: { resourceVersion?: string; uid?: string };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WriteResult {
  object: KubeObject;
  created: boolean;
}

const CRD_GROUP = 'apiextensions.k8s.io';
const CRD_RESOURCE = 'customresourcedefinitions';
/** How long a deleted namespace or CRD keeps its contents before they are cleaned up. */
const CLEANUP_DELAY_MS = 200;

export class Objects {
  readonly store: Store;
  readonly registry: Registry;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Namespaces being deleted whose contents the cleanup has already removed. */
  private readonly purged = new Set<string>();

  constructor(store: Store, registry: Registry) {
    this.store = store;
    this.registry = registry;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(type.group, type.resource, scoped(type, namespace), name);
    if (!found) throw notFound(type, name);
    return asVersion(type, found);
  }

  /** As get, without the copy, for a caller that only reads the object (a GET's answer). */
  read(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.peek(type.group, type.resource, scoped(type, namespace), name);
    if (!found) throw notFound(type, name);
    return asVersion(type, found);
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): KubeObject {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const items = this.store
      .list(type.group, type.resource, scoped(type, namespace))
      .filter((o) => labels(o.metadata.labels ?? {}) && fields(o))
      .map((o) => asVersion(type, o));
    return { apiVersion: apiVersionOf(type), kind: type.listKind, metadata: { resourceVersion: this.store.currentVersion() }, items };
  }

  create(type: ResourceType, namespace: string | undefined, body: KubeObject, options: WriteOptions): KubeObject {
    const object = this.normalize(type, namespace, body);
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = generateName(object.metadata.generateName);
    validateObject(type, object, { creating: true });
    if (type.status) delete object.status;
    delete object.metadata.resourceVersion;
    return this.commit(type, undefined, trackUpdate(undefined, object, options.manager, options.subresource), options);
  }

  update(type: ResourceType, namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): KubeObject {
    const live = this.get(type, namespace, name);
    const object = this.normalize(type, namespace, body);
    if (object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const next = this.restrictToSubresource(type, live, object, options.subresource);
    return this.commit(type, live, trackUpdate(live, next, options.manager, options.subresource), options);
  }

  /** A patched copy of `live` (merge, JSON or strategic patch already applied). */
  updatePatched(type: ResourceType, live: KubeObject, patched: KubeObject, options: WriteOptions): KubeObject {
    const object = this.normalize(type, live.metadata.namespace, patched);
    if (object.metadata.name !== live.metadata.name) throw badRequest('metadata.name: Invalid value: the name of a patched object cannot change');
    const next = this.restrictToSubresource(type, live, object, options.subresource);
    return this.commit(type, live, trackUpdate(live, next, options.manager, options.subresource), options);
  }

  /** Server-side apply; a missing object is created. */
  apply(type: ResourceType, namespace: string | undefined, name: string, body: KubeObject, options: ApplyWriteOptions): WriteResult {
    const applied = this.normalize(type, namespace, body);
    if (applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${applied.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    if (type.status && options.subresource !== 'status') delete applied.status;
    // Only read: serverSideApply, restrictToSubresource and commit copy what they change.
    const live = this.store.peek(type.group, type.resource, scoped(type, namespace), name);
    if (!live) {
      validateObject(type, applied, { creating: true });
      const merged = applyObject(undefined, applied, { manager: options.manager, force: options.force });
      return { object: this.commit(type, undefined, merged, options), created: true };
    }
    const current = asVersion(type, live);
    const merged = applyObject(current, applied, {
      manager: options.manager,
      force: options.force,
      ...(options.subresource ? { subresource: options.subresource } : {}),
    });
    const next = this.restrictToSubresource(type, current, merged, options.subresource);
    return { object: this.commit(type, current, next, options), created: false };
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const live = this.get(type, namespace, name);
    const { preconditions } = options;
    if (preconditions?.uid && preconditions.uid !== live.metadata.uid) {
      throw conflict(type, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${live.metadata.uid}`);
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== live.metadata.resourceVersion) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun) return live;
    if (isNamespace(type)) return this.deleteNamespace(type, live);
    if (live.metadata.deletionTimestamp) return live;

    if (options.propagationPolicy === 'Orphan') this.orphanDependents(live);
    else this.deleteDependents(live);

    if (live.metadata.finalizers?.length || isCrd(type)) {
      const stored = asVersion(type, this.store.put(type.group, type.resource, markedForDeletion(live)));
      // Like the apiextensions cleanup finalizer: the resource stays served (and its
      // objects deletable) for a moment, then its objects and the definition go.
      if (isCrd(type) && !live.metadata.finalizers?.length) this.later(() => this.finishCrd(type, name));
      return stored;
    }
    return asVersion(type, this.remove(type, live));
  }

  /** Cancels pending namespace and CRD cleanups. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, CLEANUP_DELAY_MS);
    this.timers.add(timer);
  }

  private finishCrd(type: ResourceType, name: string): void {
    const crd = this.store.peek(type.group, type.resource, undefined, name);
    if (!crd?.metadata.deletionTimestamp || crd.metadata.finalizers?.length) return;
    this.remove(type, crd);
  }

  deleteCollection(type: ResourceType, namespace: string | undefined, list: ListOptions, options: DeleteOptions): KubeObject {
    const doomed = this.list(type, namespace, list).items as KubeObject[];
    const items = doomed.map((o) => this.delete(type, o.metadata.namespace, o.metadata.name ?? '', options));
    return { apiVersion: apiVersionOf(type), kind: type.listKind, metadata: { resourceVersion: this.store.currentVersion() }, items };
  }

  /** Replaces the status of an object, as a controller does through the status subresource. */
  writeStatus(type: ResourceType, namespace: string | undefined, name: string, status: unknown, manager: string): KubeObject | undefined {
    // Only read: the status goes into a new object and trackUpdate and commit copy what they change.
    const live = this.store.peek(type.group, type.resource, scoped(type, namespace), name);
    if (!live || live.metadata.deletionTimestamp) return undefined;
    const current = asVersion(type, live);
    const next = { ...current, status };
    return this.commit(type, current, trackUpdate(current, next, manager, 'status'), { manager, subresource: 'status' });
  }

  /** The namespaces every cluster has, so clients relying on `default` work at once. */
  seedNamespaces(names: string[]): void {
    const type = this.registry.typeFor('', 'namespaces');
    if (!type) return;
    for (const name of names) this.create(type, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { manager: 'kube-apiserver' });
  }

  private normalize(type: ResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request must be a JSON or YAML object');
    const object = clone(body);
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`);
    }
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    object.metadata = { ...(object.metadata ?? {}) };
    if (type.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace ?? object.metadata.namespace;
    } else {
      delete object.metadata.namespace;
    }
    return object;
  }

  /** Main-resource writes keep the live status; status writes change nothing but status. */
  private restrictToSubresource(type: ResourceType, live: KubeObject, next: KubeObject, subresource: string | undefined): KubeObject {
    if (subresource === 'status') {
      const out = clone(live);
      out.status = next.status;
      if (next.metadata.resourceVersion !== undefined) out.metadata.resourceVersion = next.metadata.resourceVersion;
      out.metadata.managedFields = next.metadata.managedFields ?? live.metadata.managedFields;
      return out;
    }
    const out = clone(next);
    if (type.status) {
      if (live.status === undefined) delete out.status;
      else out.status = clone(live.status);
    }
    return out;
  }

  private commit(type: ResourceType, live: KubeObject | undefined, candidate: KubeObject, options: WriteOptions): KubeObject {
    const name = candidate.metadata.name ?? '';
    const next = withDefaults(candidate);
    dropEmptyMetadata(next);
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    if (!live) {
      if (this.store.peek(type.group, type.resource, scoped(type, next.metadata.namespace), name)) throw alreadyExists(type, name);
      this.checkNamespace(type, next);
      if (isCrd(type)) validateCrd(next);
      validateObject(type, next, { creating: true });
      setCreateFields(next);
      next.metadata.uid = randomUUID();
      next.metadata.creationTimestamp = now();
      if (type.generation) next.metadata.generation = 1;
      else delete next.metadata.generation;
      delete next.metadata.deletionTimestamp;
      delete next.metadata.resourceVersion;
      if (isCrd(type)) next.status = acceptedStatus(next, now());
      const initial = initialStatus(type, next, now());
      if (initial) next.status = initial;
    } else {
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== live.metadata.resourceVersion) throw conflict(type, name);
      if (isCrd(type)) validateCrd(next);
      validateObject(type, next);
      const meta = next.metadata as Record<string, unknown>;
      for (const key of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
        if (live.metadata[key] === undefined) delete meta[key];
        else meta[key] = live.metadata[key];
      }
      next.metadata.resourceVersion = live.metadata.resourceVersion;
      if (type.generation) next.metadata.generation = (live.metadata.generation ?? 1) + (specChanged(live, next) ? 1 : 0);
      else delete next.metadata.generation;
      if (isCrd(type)) next.status = acceptedStatus(next, conditionTime(live));
    }
    if (options.dryRun) return asVersion(type, next);
    // As the API server's storage does (GuaranteedUpdate): a write that changes nothing is
    // not stored, keeps the resourceVersion and reaches no watcher.
    if (live && sameObject(live, next)) return asVersion(type, live);

    if (live && next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      return asVersion(type, this.remove(type, next));
    }
    const stored = this.store.put(type.group, type.resource, next);
    if (isCrd(type)) this.registerCrd(stored);
    return asVersion(type, stored);
  }

  private checkNamespace(type: ResourceType, object: KubeObject): void {
    if (!type.namespaced) return;
    const namespace = object.metadata.namespace;
    if (!namespace) throw badRequest('the server could not find the requested resource: a namespace is required');
    const found = this.store.peek('', 'namespaces', undefined, namespace);
    if (!found) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (found.metadata.deletionTimestamp) {
      throw forbidden(type, object.metadata.name ?? '', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Removes an object for good, then whatever its removal completes (CRD, namespace). */
  private remove(type: ResourceType, object: KubeObject): KubeObject {
    const removed = this.store.remove(type.group, type.resource, object.metadata.namespace, object.metadata.name ?? '') ?? object;
    if (isCrd(type)) this.unregisterCrd(removed);
    if (object.metadata.namespace) this.finishNamespaceIfEmpty(object.metadata.namespace);
    return removed;
  }

  /**
   * Marks the namespace Terminating at once (creates in it are refused from then on) and
   * empties it a moment later, as the namespace controller does: a client deleting the
   * namespace and then its objects (`kubectl delete -f dir`) finds them still there.
   */
  private deleteNamespace(type: ResourceType, live: KubeObject): KubeObject {
    const name = live.metadata.name ?? '';
    if (live.metadata.deletionTimestamp) return live;
    const marked = { ...markedForDeletion(live), status: { ...(live.status as object), phase: 'Terminating' } };
    const current = asVersion(type, this.store.put(type.group, type.resource, marked));
    this.later(() => this.purgeNamespace(name));
    return current;
  }

  private purgeNamespace(name: string): void {
    this.purged.add(name);
    for (const entry of this.store.inNamespace(name)) {
      if (entry.object.metadata.deletionTimestamp) continue;
      const owner = this.registry.typeFor(entry.group, entry.resource);
      if (!owner || !this.store.peek(entry.group, entry.resource, name, entry.object.metadata.name ?? '')) continue;
      this.delete(owner, name, entry.object.metadata.name ?? '', { propagationPolicy: 'Background' });
    }
    this.finishNamespaceIfEmpty(name);
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    if (!this.purged.has(namespace)) return;
    const ns = this.store.peek('', 'namespaces', undefined, namespace);
    if (!ns?.metadata.deletionTimestamp || ns.metadata.finalizers?.length) return;
    if (this.store.inNamespace(namespace).length > 0) return;
    this.store.remove('', 'namespaces', undefined, namespace);
    this.purged.delete(namespace);
  }

  private dependentsOf(owner: KubeObject): Array<{ type: ResourceType; object: KubeObject }> {
    const uid = owner.metadata.uid;
    // Most objects own nothing: no scan of every stored object for them.
    if (!uid || !this.store.isOwner(uid)) return [];
    return this.store
      .everything()
      .filter((e) => (e.object.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid))
      .flatMap((e) => {
        const type = this.registry.typeFor(e.group, e.resource);
        return type ? [{ type, object: e.object }] : [];
      });
  }

  private deleteDependents(owner: KubeObject): void {
    for (const { type, object } of this.dependentsOf(owner)) {
      if (!this.store.peek(type.group, type.resource, object.metadata.namespace, object.metadata.name ?? '')) continue;
      this.delete(type, object.metadata.namespace, object.metadata.name ?? '', { propagationPolicy: 'Background' });
    }
  }

  private orphanDependents(owner: KubeObject): void {
    for (const { type, object } of this.dependentsOf(owner)) {
      const metadata: KubeObject['metadata'] = {
        ...object.metadata,
        ownerReferences: (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.metadata.uid),
      };
      if (!metadata.ownerReferences?.length) delete metadata.ownerReferences;
      this.store.put(type.group, type.resource, { ...object, metadata });
    }
  }

  private registerCrd(crd: KubeObject): void {
    const name = crd.metadata.name ?? '';
    const previous = this.registry.unregister(name);
    const types = crdResourceTypes(crd);
    this.registry.register(name, types);
    for (const old of previous) {
      if (!types.some((t) => t.resource === old.resource && t.group === old.group)) this.dropObjects(old);
    }
  }

  private unregisterCrd(crd: KubeObject): void {
    for (const type of this.registry.unregister(crd.metadata.name ?? '')) this.dropObjects(type);
  }

  private dropObjects(type: ResourceType): void {
    if (this.registry.typeFor(type.group, type.resource)) return;
    for (const object of this.store.list(type.group, type.resource)) {
      this.store.remove(type.group, type.resource, object.metadata.namespace, object.metadata.name ?? '');
    }
  }
}

function sameObject(live: KubeObject, next: KubeObject): boolean {
  const comparable = (object: KubeObject) => ({
    ...object,
    apiVersion: undefined,
    kind: undefined,
    metadata: { ...object.metadata, resourceVersion: undefined },
  });
  return isDeepStrictEqual(comparable(live), comparable(next));
}

/** `object` as the API server marks it on a delete that has to wait (finalizers, cleanup). */
function markedForDeletion(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, deletionTimestamp: now(), deletionGracePeriodSeconds: 0 } };
}

function isNamespace(type: ResourceType): boolean {
  return type.group === '' && type.resource === 'namespaces';
}

function isCrd(type: ResourceType): boolean {
  return type.group === CRD_GROUP && type.resource === CRD_RESOURCE;
}

function scoped(type: ResourceType, namespace: string | undefined): string | undefined {
  return type.namespaced ? namespace : undefined;
}

/** Objects are stored once per group and resource; a read answers in the version asked for. */
export function asVersion(type: ResourceType, object: KubeObject): KubeObject {
  return { ...object, apiVersion: apiVersionOf(type), kind: type.kind };
}

function conditionTime(crd: KubeObject): string {
  const conditions = (crd.status as { conditions?: Array<{ lastTransitionTime?: string }> } | undefined)?.conditions ?? [];
  return conditions[0]?.lastTransitionTime ?? now();
}
