// Which IAM role an app of a project reaches a cluster as: the first of the project's `roles`
// whose cluster, server and namespace globs match (Argo CD's destinationServiceAccounts are
// matched the same way, first match, in shared/config/normalise-project.ts's order). The
// worker assumes that role and signs the EKS token with it, so the team's access entry, not
// the fleet's, decides what the app may do. No match, or a match without a role: undefined,
// and the app uses the cluster's own connection as before.
import { createHash } from 'node:crypto';
import { normaliseServer } from '../config/normalise-cluster.ts';
import type { ClusterSpec, ProjectRole, ProjectSpec } from '../config/types.ts';
import type { AssumedRole } from '../kube/eks-token.ts';
import { globMatch } from './destinations.ts';

/** STS's limit on RoleSessionName. */
const SESSION_NAME_MAX = 64;

export function projectRoleFor(
  project: Pick<ProjectSpec, 'name' | 'roles'>,
  cluster: Pick<ClusterSpec, 'name' | 'server'>,
  namespace: string,
  app: string,
): AssumedRole | undefined {
  const entry = project.roles?.find((role) => roleMatches(role, cluster, namespace));
  if (!entry?.roleArn) return undefined;
  return { roleArn: entry.roleArn, sessionName: sessionName(project.name, app) };
}

function roleMatches(role: ProjectRole, cluster: Pick<ClusterSpec, 'name' | 'server'>, namespace: string): boolean {
  if (role.cluster !== undefined && !globMatch(role.cluster, cluster.name)) return false;
  if (role.server !== undefined && !(cluster.server !== undefined && globMatch(normaliseServer(role.server), normaliseServer(cluster.server)))) return false;
  return role.namespace === undefined || globMatch(role.namespace, namespace);
}

/**
 * `<project>+<app>`: CloudTrail and the cluster's audit log (an access entry's username ends
 * in the session name) say which app of which team acted. Names never hold `+`, so it reads
 * back unambiguously; past STS's 64 characters it is cut and a hash of the whole keeps
 * sessions of different apps apart.
 */
export function sessionName(project: string, app: string): string {
  const full = `${project}+${app}`;
  if (full.length <= SESSION_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, SESSION_NAME_MAX - hash.length - 1)}-${hash}`;
}
