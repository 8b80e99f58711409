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

  all(): ResourceType[] {
    return [...this.builtins, ...[...this.custom.values()].flat()];
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** Whether any version of the group serves the plural (objects are shared across versions). */
  hasResource(group: string, resource: string): boolean {
    return this.all().some((t) => t.group === group && t.resource === resource);
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  resourcesOf(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.version === version);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((t) => t.group === group && t.version === version);
  }

  /** Named groups (not the core group), in the order they were first served. */
  groups(): GroupVersions[] {
    const byGroup = new Map<string, string[]>();
    for (const t of this.all()) {
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
  }

  unregister(crdName: string): ResourceType[] {
    const types = this.custom.get(crdName) ?? [];
    this.custom.delete(crdName);
    return types;
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
