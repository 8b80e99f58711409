// Our Project and Argo CD's AppProject → ProjectSpec. Destinations keep Argo CD's meaning:
// `name` is a glob on the cluster name, `server` on its API server URL. Resource lists are
// kept only when written, since an absent namespaceResourceWhitelist (every kind) is not an
// empty one (none).
import type { RegistryDocument } from './documents.ts';
import type { ArgoAppProject, OurProject } from './schemas.ts';
import type { ProjectDestination, ProjectSpec, Registry, ResourceKindEntry } from './types.ts';

/**
 * Argo CD's built-in project, as its docs give it: any repository, any destination, every
 * kind (`clusterResourceWhitelist: [{group: '*', kind: '*'}]`). Present unless the registry
 * defines its own `default`.
 */
export const DEFAULT_PROJECT: ProjectSpec = {
  name: 'default',
  sourceRepos: ['*'],
  destinations: [{ cluster: '*', namespace: '*' }],
  clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  definedIn: { file: '(built in)' },
};

const RESOURCE_LISTS = ['clusterResourceWhitelist', 'clusterResourceBlacklist', 'namespaceResourceWhitelist', 'namespaceResourceBlacklist'] as const;

export function normaliseProject(raw: OurProject | ArgoAppProject, document: RegistryDocument): ProjectSpec {
  const project: ProjectSpec = {
    name: raw.metadata.name,
    sourceRepos: [...raw.spec.sourceRepos],
    destinations: raw.spec.destinations.map((destination) => {
      const result: ProjectDestination = { namespace: destination.namespace };
      if (destination.name !== undefined) result.cluster = destination.name;
      if (destination.server !== undefined) result.server = destination.server;
      return result;
    }),
    definedIn: { file: document.file, line: document.line },
  };
  for (const list of RESOURCE_LISTS) {
    const entries: Array<{ group: string; kind: string; name?: string }> | undefined = raw.spec[list];
    if (entries !== undefined) project[list] = entries.map(resourceKindEntry);
  }
  return project;
}

/** The project an app names, as the registry defines it (the built-in `default` unless redefined). */
export function projectOf(registry: Pick<Registry, 'projects'>, name: string): ProjectSpec | undefined {
  return registry.projects.find((project) => project.name === name) ?? (name === DEFAULT_PROJECT.name ? DEFAULT_PROJECT : undefined);
}

function resourceKindEntry(entry: { group: string; kind: string; name?: string }): ResourceKindEntry {
  const result: ResourceKindEntry = { group: entry.group, kind: entry.kind };
  if (entry.name) result.name = entry.name; // '' is any name, as absent
  return result;
}
