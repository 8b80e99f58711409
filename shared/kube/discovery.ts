// Kinds → REST resources, learned from the cluster's discovery documents and cached per
// client. Group-versions are fetched lazily, one request each, only for the kinds a sync
// actually uses; a CRD applied mid-sync is picked up by forgetting that group-version.
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

export class Discovery {
  readonly #client: KubeClient;
  readonly #groupVersions = new Map<string, Promise<ResourceInfo[] | undefined>>();
  #version: Promise<{ gitVersion: string; major: string; minor: string }> | undefined;
  #apiVersions: Promise<string[]> | undefined;

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** The resource serving `kind` in `apiVersion`, or UnknownKindError. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const found = (await this.#load(apiVersion))?.find((resource) => resource.kind === kind);
    if (!found) throw new UnknownKindError(apiVersion, kind);
    return found;
  }

  /** Like resolve, but undefined for unknown kinds. */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return (await this.#load(apiVersion))?.find((resource) => resource.kind === kind);
  }

  /** Forget a group-version so the next lookup asks the server again (after a CRD changes). */
  forget(apiVersion: string): void {
    this.#groupVersions.delete(apiVersion);
  }

  async serverVersion(): Promise<{ gitVersion: string; major: string; minor: string }> {
    this.#version ??= this.#client.get('/version');
    return this.#version;
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

  #load(apiVersion: string): Promise<ResourceInfo[] | undefined> {
    let pending = this.#groupVersions.get(apiVersion);
    if (!pending) {
      pending = this.#fetch(apiVersion);
      this.#groupVersions.set(apiVersion, pending);
      // A failed or empty answer is not cached: the kind may appear once its CRD is established.
      pending.then(
        (found) => found === undefined && this.#groupVersions.delete(apiVersion),
        () => this.#groupVersions.delete(apiVersion),
      );
    }
    return pending;
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
