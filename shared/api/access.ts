// RBAC as the API asks it, with Argo CD's objects and actions for applications: the object is
// `<project>/<app>`; reading anything about an app is `get`; sync and rollback are `sync`
// (Argo CD's rollback endpoint checks `sync`); suspend and resume turn the automated sync off
// and on, which in Argo CD is an edit of the Application: `update`.
import type { Registry } from '../config/types.ts';
import { parseRepoURL, isLocalRepo, GITHUB_COM } from '../github/repo-url.ts';
import type { RbacEnforcer } from '../rbac/enforcer.ts';
import type { Identity } from '../rbac/identity.ts';
import type { FleetRow } from './contract.ts';

export const ACTIONS = { read: 'get', sync: 'sync', rollback: 'sync', suspend: 'update', resume: 'update' } as const;

/** An app's project; an app gone from the registry (state only) is read as Argo CD's `default`. */
export function projectOf(registry: Registry, app: string): string {
  return registry.apps.find((candidate) => candidate.name === app)?.project ?? 'default';
}

export function rbacObject(project: string, app: string): string {
  return `${project}/${app}`;
}

export function allowedFor(rbac: RbacEnforcer, identity: Identity, object: string): FleetRow['allowed'] {
  const sync = rbac.can(identity, ACTIONS.sync, object);
  return { sync, rollback: sync, suspend: rbac.can(identity, ACTIONS.suspend, object) };
}

/** The commit's page when the repository is on GitHub; undefined for local folders and other hosts. */
export function revisionUrl(repoURL: string | undefined, sha: string | undefined, host = GITHUB_COM): string | undefined {
  if (!repoURL || !sha) return undefined;
  try {
    const location = parseRepoURL(repoURL);
    if (isLocalRepo(location) || location.host !== host) return undefined;
    return `https://${location.host}/${location.owner}/${location.repo}/commit/${sha}`;
  } catch {
    return undefined;
  }
}
