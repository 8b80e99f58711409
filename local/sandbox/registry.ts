// Which resources the sandbox serves right now: the built-in table plus whatever the
// stored CustomResourceDefinitions declare. Discovery, OpenAPI and routing all read it.
import { builtinResources, type ResourceType } from './resources.ts';

export interface GroupVersions {
  group: string;
  versions: string[];
  preferred: string;
}

export class Registry {
  private readonly builtins: ResourceType[] = builtinResources();
  private readonly custom = new Map<string, ResourceType[]>();
  /** Derived from the two above on every change; reads look up, never scan. */
  private served: ResourceType[] = [];
  private readonly byGroupVersion = new Map<string, ResourceType[]>();
  private readonly byResource = new Map<string, ResourceType>();

  constructor() {
    this.index();
  }

  all(): readonly ResourceType[] {
    return this.served;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGroupVersion.get(`${group}/${version}`)?.find((t) => t.resource === resource);
  }

  /** The first served version of the plural (objects are shared across versions). */
  typeFor(group: string, resource: string): ResourceType | undefined {
    return this.byResource.get(`${group}/${resource}`);
  }

  resourcesOf(group: string, version: string): ResourceType[] {
    return [...(this.byGroupVersion.get(`${group}/${version}`) ?? [])];
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.byGroupVersion.has(`${group}/${version}`);
  }

  /** Named groups (not the core group), in the order they were first served. */
  groups(): GroupVersions[] {
    const byGroup = new Map<string, string[]>();
    for (const t of this.served) {
      if (!t.group) continue;
      const versions = byGroup.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      byGroup.set(t.group, versions);
    }
    return [...byGroup].map(([group, versions]) => {
      const sorted = [...versions].sort(compareKubeVersions);
      return { group, versions: sorted, preferred: sorted[0] };
    });
  }

  register(crdName: string, types: ResourceType[]): void {
    this.custom.set(crdName, types);
    this.index();
  }

  unregister(crdName: string): ResourceType[] {
    const types = this.custom.get(crdName) ?? [];
    this.custom.delete(crdName);
    this.index();
    return types;
  }

  private index(): void {
    this.served = [...this.builtins, ...[...this.custom.values()].flat()];
    this.byGroupVersion.clear();
    this.byResource.clear();
    for (const t of this.served) {
      const groupVersion = `${t.group}/${t.version}`;
      this.byGroupVersion.set(groupVersion, [...(this.byGroupVersion.get(groupVersion) ?? []), t]);
      const resource = `${t.group}/${t.resource}`;
      if (!this.byResource.has(resource)) this.byResource.set(resource, t);
    }
  }
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = KUBE_VERSION.exec(v);
    if (!m) return undefined;
    const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return 0;
}
