// Kinds → REST resources, learned from the cluster's discovery documents and cached per
// client. Group-versions are fetched lazily, one request each, only for the kinds a sync
// actually uses; a CRD applied mid-sync is picked up by forgetting that group-version.
// Discovery.shared keeps the answers per cluster across the jobs of a process for a while
// (the worker syncs many apps to one cluster): a kind it does not know is asked of the server
// again once per job before it is called unknown, so a CRD established since is never missed.
// Jobs run at once in one process (a batch's groups): a pending answer is shared, and an answer
// asked since a job began counts as that job's own, so concurrent misses make one request.
import type { KubeClient } from './client.ts';
import { isNotFound, UnknownKindError } from './errors.ts';
import { groupOf, versionOf } from './object.ts';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, as in the URL. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

type ServerVersion = { gitVersion: string; major: string; minor: string };

/** How long a cluster's discovery answers serve later jobs of the process. */
export const SHARED_DISCOVERY_TTL_MS = 60_000;
/** Clusters whose answers one process keeps (least recently used go first). */
const MAX_SHARED_CLUSTERS = 256;

interface Cached<T> {
  value: Promise<T>;
  at: number;
  /** Order of asking, across the process: tells an answer asked since a job began (clocks can tie). */
  seq: number;
}

let asked = 0;

/** What one cluster's discovery documents said, kept across the Discovery instances of its jobs. */
export class ClusterAnswers {
  readonly groupVersions = new Map<string, Cached<ResourceInfo[] | undefined>>();
  version: Cached<ServerVersion> | undefined;
}

const shared = new Map<string, ClusterAnswers>();

export class Discovery {
  readonly #client: KubeClient;
  readonly #answers: ClusterAnswers;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Group-versions this instance asked the server itself: a miss there is final for this job. */
  readonly #askedHere = new Set<string>();
  /** Where the asking stood when this job began: an answer asked since is as new as one this job would ask for. */
  readonly #born: number;
  #apiVersions: Promise<string[]> | undefined;

  /** `answers` shared with other instances for the same cluster (Discovery.shared); a fresh set otherwise. */
  constructor(client: KubeClient, options: { answers?: ClusterAnswers; ttlMs?: number; now?: () => number } = {}) {
    this.#client = client;
    this.#answers = options.answers ?? new ClusterAnswers();
    this.#ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.#now = options.now ?? Date.now;
    this.#born = asked;
  }

  /**
   * A Discovery for one job on the cluster `clusterKey` names (its connection, not only its
   * name), reusing what earlier jobs of this process learned within `ttlMs`.
   */
  static shared(clusterKey: string, client: KubeClient, options: { ttlMs?: number; now?: () => number } = {}): Discovery {
    let answers = shared.get(clusterKey);
    if (answers) shared.delete(clusterKey);
    else answers = new ClusterAnswers();
    shared.set(clusterKey, answers);
    if (shared.size > MAX_SHARED_CLUSTERS) shared.delete(shared.keys().next().value as string);
    return new Discovery(client, { answers, ttlMs: options.ttlMs ?? SHARED_DISCOVERY_TTL_MS, now: options.now });
  }

  /** Forgets every cluster's shared answers (tests, and a process that knows the clusters changed). */
  static clearShared(): void {
    shared.clear();
  }

  /**
   * Forgets one cluster's shared answers: after a sync failed there (a kind removed since, a 404
   * for a resource discovery still listed), its next job learns the cluster afresh.
   */
  static forgetShared(clusterKey: string): void {
    shared.delete(clusterKey);
  }

  /** The resource serving `kind` in `apiVersion`, or UnknownKindError. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const found = await this.lookup(apiVersion, kind);
    if (!found) throw new UnknownKindError(apiVersion, kind);
    return found;
  }

  /** Like resolve, but undefined for unknown kinds. */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const entry = this.#entry(apiVersion);
    const found = (await entry.value)?.find((resource) => resource.kind === kind);
    if (found || this.#askedHere.has(apiVersion) || entry.seq > this.#born) return found;
    // Learned by an earlier job: the kind may be served since (a CRD established meanwhile).
    return (await this.#refetch(apiVersion).value)?.find((resource) => resource.kind === kind);
  }

  /** Forget a group-version so the next lookup asks the server again (after a CRD changes). */
  forget(apiVersion: string): void {
    this.#answers.groupVersions.delete(apiVersion);
  }

  async serverVersion(): Promise<ServerVersion> {
    const cached = this.#answers.version;
    if (cached && this.#fresh(cached)) return cached.value;
    const value = this.#client.get<ServerVersion>('/version');
    const entry = { value, at: this.#now(), seq: ++asked };
    this.#answers.version = entry;
    value.catch(() => this.#answers.version === entry && (this.#answers.version = undefined));
    return value;
  }

  /** Every served group-version, for `helm template --api-versions`. */
  async apiVersions(): Promise<string[]> {
    this.#apiVersions ??= Promise.all([
      this.#client.get<{ versions: string[] }>('/api'),
      this.#client.get<{ groups: Array<{ versions: Array<{ groupVersion: string }> }> }>('/apis'),
    ]).then(([core, groups]) => [...core.versions, ...groups.groups.flatMap((group) => group.versions.map((version) => version.groupVersion))]);
    return this.#apiVersions;
  }

  /** What Helm's `.Capabilities` should say for this cluster. */
  async capabilities(): Promise<{ kubeVersion: string; apiVersions: string[] }> {
    const [version, apiVersions] = await Promise.all([this.serverVersion(), this.apiVersions()]);
    return { kubeVersion: version.gitVersion, apiVersions };
  }

  #fresh(entry: Cached<unknown>): boolean {
    return this.#now() - entry.at < this.#ttlMs;
  }

  /** The shared answer for `apiVersion` if fresh (pending ones included, so concurrent misses share one request), else a new request. */
  #entry(apiVersion: string): Cached<ResourceInfo[] | undefined> {
    const cached = this.#answers.groupVersions.get(apiVersion);
    if (cached && this.#fresh(cached)) return cached;
    return this.#ask(apiVersion);
  }

  /**
   * Asks again, unless a job running beside this one already did since this job began: its
   * answer is as new as ours would be, and concurrent jobs that all miss must not all ask.
   */
  #refetch(apiVersion: string): Cached<ResourceInfo[] | undefined> {
    const current = this.#answers.groupVersions.get(apiVersion);
    if (current && current.seq > this.#born && this.#fresh(current)) return current;
    return this.#ask(apiVersion);
  }

  #ask(apiVersion: string): Cached<ResourceInfo[] | undefined> {
    const groupVersions = this.#answers.groupVersions;
    const pending = this.#fetch(apiVersion);
    const entry = { value: pending, at: this.#now(), seq: ++asked };
    groupVersions.set(apiVersion, entry);
    this.#askedHere.add(apiVersion);
    // A failed or empty answer is not cached: the kind may appear once its CRD is established.
    const drop = () => groupVersions.get(apiVersion) === entry && groupVersions.delete(apiVersion);
    pending.then((found) => found === undefined && drop(), drop);
    return entry;
  }

  async #fetch(apiVersion: string): Promise<ResourceInfo[] | undefined> {
    const group = groupOf(apiVersion);
    const version = versionOf(apiVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    try {
      const list = await this.#client.get<ApiResourceList>(path);
      return list.resources
        .filter((resource) => !resource.name.includes('/'))
        .map((resource) => ({ group, version, kind: resource.kind, resource: resource.name, namespaced: resource.namespaced, verbs: resource.verbs ?? [] }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/** The REST path of a resource collection or of one object in it. */
export function resourcePath(
  info: Pick<ResourceInfo, 'group' | 'version' | 'resource' | 'namespaced'>,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name ? `/${encodeURIComponent(name)}` : '';
  const sub = name && subresource ? `/${subresource}` : '';
  return `${base}${scope}/${info.resource}${object}${sub}`;
}
