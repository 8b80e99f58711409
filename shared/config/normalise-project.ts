// Our Project and Argo CD's AppProject → ProjectSpec. Destinations keep Argo CD's meaning:
// `name` is a glob on the cluster name, `server` on its API server URL.
import type { RegistryDocument } from './documents.ts';
import type { ArgoAppProject, OurProject } from './schemas.ts';
import type { ProjectDestination, ProjectSpec } from './types.ts';

/** Argo CD's built-in project: present unless the registry defines its own `default`. */
export const DEFAULT_PROJECT: ProjectSpec = {
  name: 'default',
  sourceRepos: ['*'],
  destinations: [{ cluster: '*', namespace: '*' }],
  definedIn: { file: '(built in)' },
};

export function normaliseProject(raw: OurProject | ArgoAppProject, document: RegistryDocument): ProjectSpec {
  return {
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
}
