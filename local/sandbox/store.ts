// In-memory object storage with one global resourceVersion counter and an event history,
// so watches can resume from a resourceVersion as they do against etcd.
// Objects are keyed by group and plural only: every served version of a CRD shares them.
// A stored object is never changed in place, only replaced: get hands out copies for
// callers to change, while peek, list, put's answer, events and everything() share the
// stored objects, which their readers only read.
// Each kind also keeps its objects by namespace, so a namespaced LIST reads that namespace
// alone, not every object of the kind in a fleet of namespaces; and the store counts the
// ownerReferences to each uid, so deleting an object nobody owns looks for no dependents.
import type { KubeObject } from '../../shared/kube/object.ts';
import { clone } from './patch/values.ts';
import { expired } from './status.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  group: string;
  resource: string;
  object: KubeObject;
  resourceVersion: number;
}

/** Called with every change; the event's object is the stored one: read it, copy before changing. */
export type Listener = (event: StoreEvent) => void;

const HISTORY_LIMIT = 10_000;

export class Store {
  private counter = 1000;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  /** Per kind (same keys as objects): namespace → that namespace's objects, by the same object keys. */
  private readonly namespaces = new Map<string, Map<string, Map<string, KubeObject>>>();
  /** Owner uid → how many ownerReferences of stored objects name it. */
  private readonly owners = new Map<string, number>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();

  currentVersion(): string {
    return String(this.counter);
  }

  /** The next resourceVersion, without storing anything: dry-run answers use none. */
  private nextVersion(): number {
    this.counter += 1;
    return this.counter;
  }

  get(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(group, resource).get(objectKey(namespace, name));
    return found && clone(found);
  }

  /** The stored object itself, for a caller that only reads it (an existence check, a GET answered as JSON). */
  peek(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(group, resource).get(objectKey(namespace, name));
  }

  /** The stored objects of a kind (of one namespace, when given), by namespace and name: read them, copy before changing. */
  list(group: string, resource: string, namespace?: string): KubeObject[] {
    const items =
      namespace === undefined ? this.bucket(group, resource).values() : (this.namespaces.get(bucketKey(group, resource))?.get(namespace)?.values() ?? []);
    return [...items].sort(byNamespaceAndName);
  }

  /** Whether some stored object names `uid` in its ownerReferences. */
  isOwner(uid: string): boolean {
    return (this.owners.get(uid) ?? 0) > 0;
  }

  /** The stored objects of one namespace, in everything()'s order: read them, copy before changing. */
  inNamespace(namespace: string): Array<{ group: string; resource: string; object: KubeObject }> {
    const out: Array<{ group: string; resource: string; object: KubeObject }> = [];
    for (const key of this.objects.keys()) {
      const objects = this.namespaces.get(key)?.get(namespace);
      if (!objects) continue;
      const [group, resource] = splitBucketKey(key);
      for (const object of objects.values()) out.push({ group, resource, object });
    }
    return out;
  }

  /** Every stored object of every resource, e.g. for ownerReference cascades: read them, copy before changing. */
  everything(): Array<{ group: string; resource: string; object: KubeObject }> {
    const out: Array<{ group: string; resource: string; object: KubeObject }> = [];
    for (const [key, bucket] of this.objects) {
      const [group, resource] = splitBucketKey(key);
      for (const object of bucket.values()) out.push({ group, resource, object });
    }
    return out;
  }

  /** Stores a new or changed object (taking over its values), stamping the next resourceVersion; answers the stored object: read it, copy before changing. */
  put(group: string, resource: string, object: KubeObject): KubeObject {
    const bucket = this.bucket(group, resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? '');
    const type: EventType = bucket.has(key) ? 'MODIFIED' : 'ADDED';
    const version = this.nextVersion();
    // The object's values are taken over, not copied: every caller hands in a fresh object
    // (commit's defaulted copy) or one built from copies and stored objects, and changes none
    // of it afterwards. Only the metadata the version is stamped on is new.
    const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(version) } };
    this.countOwners(bucket.get(key), -1);
    this.countOwners(stored, 1);
    bucket.set(key, stored);
    this.namespaceBucket(group, resource, stored.metadata.namespace).set(key, stored);
    this.emit({ type, group, resource, object: stored, resourceVersion: version });
    return stored;
  }

  remove(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.bucket(group, resource);
    const key = objectKey(namespace, name);
    const existing = bucket.get(key);
    if (!existing) return undefined;
    bucket.delete(key);
    this.countOwners(existing, -1);
    const inNamespace = this.namespaceBucket(group, resource, existing.metadata.namespace);
    inNamespace.delete(key);
    if (inNamespace.size === 0) this.namespaces.get(bucketKey(group, resource))?.delete(existing.metadata.namespace ?? '');
    const version = this.nextVersion();
    // A DELETED event carries the object at its last state, with the version of the removal.
    const last = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(version) } };
    this.emit({ type: 'DELETED', group, resource, object: last, resourceVersion: version });
    return clone(last);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `resourceVersion` (read their objects, copy before changing), or 410 Expired when the history no longer reaches back. */
  eventsSince(resourceVersion: number): StoreEvent[] {
    const oldest = this.history[0];
    if (oldest && resourceVersion < oldest.resourceVersion - 1 && this.history.length >= HISTORY_LIMIT) {
      throw expired(String(resourceVersion), String(oldest.resourceVersion));
    }
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const listener of [...this.listeners]) listener(event);
  }

  private countOwners(object: KubeObject | undefined, step: 1 | -1): void {
    for (const { uid } of object?.metadata.ownerReferences ?? []) {
      if (typeof uid !== 'string') continue;
      const count = (this.owners.get(uid) ?? 0) + step;
      if (count > 0) this.owners.set(uid, count);
      else this.owners.delete(uid);
    }
  }

  private namespaceBucket(group: string, resource: string, namespace: string | undefined): Map<string, KubeObject> {
    const kindKey = bucketKey(group, resource);
    let byNamespace = this.namespaces.get(kindKey);
    if (!byNamespace) {
      byNamespace = new Map();
      this.namespaces.set(kindKey, byNamespace);
    }
    let objects = byNamespace.get(namespace ?? '');
    if (!objects) {
      objects = new Map();
      byNamespace.set(namespace ?? '', objects);
    }
    return objects;
  }

  private bucket(group: string, resource: string): Map<string, KubeObject> {
    const key = bucketKey(group, resource);
    let bucket = this.objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }
}

function bucketKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function splitBucketKey(key: string): [string, string] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  return (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
