// Our Project and Argo CD's AppProject → ProjectSpec. Destinations keep Argo CD's meaning:
// `name` is a glob on the cluster name, `server` on its API server URL. Resource lists are
// kept only when written, since an absent namespaceResourceWhitelist (every kind) is not an
// empty one (none).
import { secretsRules } from '../project/secrets-rules.ts';
import type { RegistryDocument } from './documents.ts';
import { ARGO_API_VERSION, ROLE_ARN_ANNOTATION_PREFIX, type ArgoAppProject, type OurProject } from './schemas.ts';
import { parseDuration } from './duration.ts';
import type { ProjectDestination, ProjectRole, ProjectSpec, Registry, ResourceKindEntry, SyncWindowSpec } from './types.ts';

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
  const roles = projectRoles(raw);
  if (roles) project.roles = roles;
  Object.assign(project, secretsRules(raw));
  if (raw.spec.syncWindows?.length) project.syncWindows = raw.spec.syncWindows.map(syncWindow);
  return project;
}

/** Argo CD's defaults: time zone UTC, manualSync and andOperator off, absent lists empty. */
function syncWindow(raw: NonNullable<OurProject['spec']['syncWindows']>[number]): SyncWindowSpec {
  const window: SyncWindowSpec = {
    kind: raw.kind,
    schedule: raw.schedule.trim(),
    duration: raw.duration.trim(),
    durationMs: parseDuration(raw.duration),
    timeZone: raw.timeZone || 'UTC',
    applications: [...(raw.applications ?? [])],
    namespaces: [...(raw.namespaces ?? [])],
    clusters: [...(raw.clusters ?? [])],
    manualSync: raw.manualSync ?? false,
    andOperator: raw.andOperator ?? false,
  };
  if (raw.description) window.description = raw.description;
  return window;
}

/**
 * Our `spec.roles` as written. An AppProject's destinationServiceAccounts keep Argo CD's order
 * and matching (server and namespace globs, first match): each stands for the role its
 * `driftless.io/role-arn.<service account>` annotation names (the name after any `namespace:`),
 * none when no annotation does. Without any such annotation the list means nothing here, as
 * in an Argo CD with impersonation off: an AppProject that works there works as is.
 */
function projectRoles(raw: OurProject | ArgoAppProject): ProjectRole[] | undefined {
  if (raw.apiVersion !== ARGO_API_VERSION) {
    const ours = (raw as OurProject).spec.roles;
    return ours?.map((role) => ({ cluster: role.cluster, ...(role.namespace !== undefined ? { namespace: role.namespace } : {}), roleArn: role.roleArn }));
  }
  const argo = raw as ArgoAppProject;
  const annotations = argo.metadata.annotations ?? {};
  const mapped = (account: string) => annotations[ROLE_ARN_ANNOTATION_PREFIX + account.slice(account.lastIndexOf(':') + 1).trim()];
  const accounts = argo.spec.destinationServiceAccounts ?? [];
  if (!accounts.some((account) => mapped(account.defaultServiceAccount) !== undefined)) return undefined;
  return accounts.map((account) => {
    const role: ProjectRole = { server: account.server, namespace: account.namespace };
    const roleArn = mapped(account.defaultServiceAccount);
    if (roleArn !== undefined) role.roleArn = roleArn;
    return role;
  });
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
