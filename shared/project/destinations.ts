// Whether a project lets an app deploy into a cluster and namespace: Argo CD's AppProject
// `destinations` (isDestinationMatched in app_project_types.go). Each field of an entry is a
// glob (gobwas, no separators, so `*` matches anything including `''`); a field starting
// with `!` matches what the rest does not match. Then:
//   - an entry whose (name or server) and namespace match allows the destination;
//   - an entry that does not match, and has a `!` field that did not match, denies it;
//   - the destination is permitted when some entry allows it and none denies it.
// So `{namespace: '!kube-system', server: '*'}` alone allows every namespace but kube-system.
// Used for the app's destination (registry check) and for every namespaced object it deploys.
import { normaliseServer } from '../config/normalise-cluster.ts';
import type { ProjectDestination, ProjectSpec } from '../config/types.ts';
import { matchesArgoGlob } from '../render/glob.ts';

/** The cluster as destinations see it: its registered name and its API server URL (normalised), if known. */
export interface DestinationCluster {
  name: string;
  server?: string;
}

export function destinationPermitted(project: Pick<ProjectSpec, 'destinations'>, cluster: DestinationCluster, namespace: string): boolean {
  let anyAllows = false;
  for (const entry of project.destinations) {
    const nameMatched = entry.cluster !== undefined && fieldMatches(entry.cluster, cluster.name);
    const serverMatched = entry.server !== undefined && serverMatches(entry.server, cluster.server);
    const namespaceMatched = fieldMatches(entry.namespace, namespace);
    if ((nameMatched || serverMatched) && namespaceMatched) anyAllows = true;
    else if (refuses(entry, { nameMatched, serverMatched, namespaceMatched })) return false;
  }
  return anyAllows;
}

function refuses(entry: ProjectDestination, matched: { nameMatched: boolean; serverMatched: boolean; namespaceMatched: boolean }): boolean {
  return (
    (!matched.nameMatched && isNegated(entry.cluster)) ||
    (!matched.serverMatched && isNegated(entry.server)) ||
    (!matched.namespaceMatched && isNegated(entry.namespace))
  );
}

function serverMatches(pattern: string, server: string | undefined): boolean {
  // `*` is any cluster, one registered without a server URL too; `!x` is any server but x,
  // and a cluster without a server URL is not x.
  if (pattern === '*') return true;
  const negated = isNegated(pattern);
  const glob = normaliseServer(negated ? pattern.slice(1) : pattern);
  if (server === undefined) return negated;
  const matched = globMatch(glob, server);
  return negated ? !matched : matched;
}

function fieldMatches(pattern: string, value: string): boolean {
  return isNegated(pattern) ? !globMatch(pattern.slice(1), value) : globMatch(pattern, value);
}

function isNegated(pattern: string | undefined): boolean {
  return pattern?.startsWith('!') ?? false;
}

/** Argo CD's glob, where `*` also matches the empty string (a cluster-scoped app's namespace). */
export function globMatch(pattern: string, value: string): boolean {
  return pattern === '*' || matchesArgoGlob(pattern, value);
}
