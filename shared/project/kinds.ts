// Which kinds a project lets its apps deploy: Argo CD's AppProject resource lists
// (IsGroupKindPermitted and isResourceInList in app_project_types.go, and the project docs):
//   - a cluster-scoped kind is permitted only when clusterResourceWhitelist lists it: an
//     absent or empty whitelist permits none ("cluster-scoped resources are restricted via
//     allow list");
//   - a namespaced kind is permitted unless namespaceResourceWhitelist is set and does not
//     list it; a whitelist that is set but empty permits none ("namespaced-scoped resources
//     are restricted via a deny list");
//   - a kind in the blacklist of its scope is refused whatever the whitelist says;
//   - entries match with Go's filepath.Match on group and kind (`''` is the core group,
//     `*` matches it too); cluster entries may also carry a `name` glob (absent or `''`: any).
// The built-in `default` project whitelists every cluster-scoped kind ({group: '*', kind: '*'}).
import type { ProjectSpec, ResourceKindEntry } from '../config/types.ts';
import { matchesGoGlob } from './glob.ts';

export interface GroupKindName {
  group: string;
  kind: string;
  name: string;
}

/** Why the project refuses this kind (and name) in this scope, or undefined when it permits it. */
export function kindRefusal(project: ProjectSpec, resource: GroupKindName, namespaced: boolean): string | undefined {
  const refusal = listRefusal(project, resource, namespaced);
  return refusal && `${refusal.rule} of project ${project.name}${refusal.note ? ` (${refusal.note})` : ''}`;
}

function listRefusal(project: ProjectSpec, resource: GroupKindName, namespaced: boolean): { rule: string; note?: string } | undefined {
  const gk = `${resource.group}/${resource.kind}`;
  if (namespaced) {
    const whitelist = project.namespaceResourceWhitelist;
    if (whitelist !== undefined && !inList(resource, whitelist, false)) {
      const rule = `namespaced kind ${gk} is not in the namespaceResourceWhitelist`;
      return whitelist.length === 0 ? { rule, note: 'the list is set but empty, which allows no namespaced kind' } : { rule };
    }
    if (inList(resource, project.namespaceResourceBlacklist ?? [], false)) return { rule: `kind ${gk} is in the namespaceResourceBlacklist` };
    return undefined;
  }
  const whitelist = project.clusterResourceWhitelist ?? [];
  if (!inList(resource, whitelist, true)) {
    return whitelist.some((entry) => entryMatches(entry, resource, false))
      ? { rule: `cluster-scoped ${gk} ${resource.name} is not in the clusterResourceWhitelist`, note: 'it lists that kind for other names only' }
      : { rule: `cluster-scoped kind ${gk} is not in the clusterResourceWhitelist` };
  }
  const denied = (project.clusterResourceBlacklist ?? []).find((entry) => entryMatches(entry, resource, true));
  if (!denied) return undefined;
  return {
    rule: denied.name
      ? `cluster-scoped ${gk} ${resource.name} is in the clusterResourceBlacklist`
      : `cluster-scoped kind ${gk} is in the clusterResourceBlacklist`,
  };
}

function inList(resource: GroupKindName, list: ResourceKindEntry[], byName: boolean): boolean {
  return list.some((entry) => entryMatches(entry, resource, byName));
}

function entryMatches(entry: ResourceKindEntry, resource: GroupKindName, byName: boolean): boolean {
  if (!matchesGoGlob(entry.kind, resource.kind) || !matchesGoGlob(entry.group, resource.group)) return false;
  return !byName || !entry.name || matchesGoGlob(entry.name, resource.name);
}
