// Legacy discovery documents (APIVersions, APIGroupList, APIResourceList). kubectl asks for
// aggregated discovery first; a plain application/json answer makes it fall back to these.
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
  if (type.scale) {
    entries.push({ name: `${type.resource}/scale`, singularName: '', namespaced: type.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUBRESOURCE_VERBS });
  }
  if (type.status) {
    entries.push({ name: `${type.resource}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: SUBRESOURCE_VERBS });
  }
  return entries;
}
