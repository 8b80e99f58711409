// Discovery documents: the legacy ones (APIVersions, APIGroupList, APIResourceList) and the
// aggregated APIGroupDiscoveryList (apidiscovery.k8s.io/v2) that kubectl 1.34 asks /api and
// /apis for first, in one request, falling back to the legacy ones when the answer is plain
// JSON. Both are derived from the registry, so a CRD's kinds appear in both at once.
import { apiVersionOf, SUBRESOURCE_VERBS, type ResourceType } from './resources.ts';
import type { Registry } from './registry.ts';

export const SERVER_VERSION = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.0-driftless-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-08-27T00:00:00Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
  emulationMajor: '1',
  emulationMinor: '34',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '33',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(registry: Registry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => apiGroup(g.group, g.versions, g.preferred)),
  };
}

function apiGroup(group: string, versions: string[], preferred: string): Record<string, unknown> {
  const gv = (version: string) => ({ groupVersion: `${group}/${version}`, version });
  return { name: group, versions: versions.map(gv), preferredVersion: gv(preferred) };
}

export function apiGroupOf(registry: Registry, group: string): unknown | undefined {
  const found = registry.groups().find((g) => g.group === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.group, found.versions, found.preferred) };
}

export function apiResourceList(registry: Registry, group: string, version: string): unknown {
  const resources = registry.resourcesOf(group, version).sort((a, b) => a.resource.localeCompare(b.resource));
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: resources.flatMap(resourceEntries),
  };
}

function resourceEntries(type: ResourceType): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length ? { categories: type.categories } : {}),
  };
  const entries = [main];
  for (const sub of subresourcesOf(type)) {
    entries.push({
      name: `${type.resource}/${sub.subresource}`,
      singularName: '',
      namespaced: type.namespaced,
      ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
      kind: sub.kind,
      verbs: sub.verbs,
    });
  }
  return entries;
}

interface Subresource {
  subresource: string;
  /** Set when the subresource answers with a kind of another group-version (Scale, TokenRequest). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

/** The subresources the sandbox serves for `type`, in name order as the API server lists them. */
function subresourcesOf(type: ResourceType): Subresource[] {
  const subresources: Subresource[] = [];
  if (type.scale) subresources.push({ subresource: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUBRESOURCE_VERBS });
  if (type.status) subresources.push({ subresource: 'status', kind: type.kind, verbs: SUBRESOURCE_VERBS });
  if (type.tokenRequest) subresources.push({ subresource: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  return subresources;
}

/** The media type of aggregated discovery, as kubectl asks for it and the API server answers. */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for the v2 aggregated document (v2beta1 alone gets the legacy one). */
export function acceptsAggregated(accept: string): boolean {
  return accept.split(',').some((range) => {
    const params = new Set(range.split(';').map((part) => part.trim().replace(/\s+/g, '')));
    return params.has('g=apidiscovery.k8s.io') && params.has('v=v2') && params.has('as=APIGroupDiscoveryList');
  });
}

/**
 * The APIGroupDiscoveryList for /api (`core`: the legacy group alone) or /apis (every named
 * group, in the order they are served), each group's versions preferred first.
 */
export function aggregatedDiscovery(registry: Registry, core: boolean): unknown {
  const groups = core ? [{ group: '', versions: ['v1'] }] : registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(({ group, versions }) => ({
      metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources: registry
          .resourcesOf(group, version)
          .sort((a, b) => a.resource.localeCompare(b.resource))
          .map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

function aggregatedResource(type: ResourceType): Record<string, unknown> {
  const subresources = subresourcesOf(type).map((sub) => ({
    subresource: sub.subresource,
    responseKind: { group: sub.group ?? '', version: sub.version ?? '', kind: sub.kind },
    verbs: sub.verbs,
  }));
  return {
    resource: type.resource,
    responseKind: { group: '', version: '', kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length ? { categories: type.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}
