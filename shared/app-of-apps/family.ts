// The registry's family tree, as pure functions over a Registry: a parent's render replaces
// its direct children (a child it no longer renders leaves, and takes its own descendants
// along), and a config push keeps the children of parents it keeps.
import { diffRegistries } from '../config/diff.ts';
import type { Registry } from '../config/types.ts';
import type { Children } from './children.ts';
import type { RegistryApp, RegistryProject } from './types.ts';

export interface FamilyChange {
  registry: Registry;
  /** New children and children whose definition changed. */
  changedApps: string[];
  /** Apps that left the registry (children no longer rendered and their descendants), as they were. */
  removedApps: RegistryApp[];
}

export function replaceChildren(registry: Registry, parent: string, children: Children): FamilyChange {
  const staying = new Set(children.apps.map((app) => app.name));
  const leaving = new Set(registry.apps.filter((app) => (app as RegistryApp).parent === parent && !staying.has(app.name)).map((app) => app.name));
  for (const name of descendantsOf(registry, leaving)) leaving.add(name);
  const kept = registry.apps.filter((app) => (app as RegistryApp).parent !== parent && !leaving.has(app.name));
  const sets = [
    ...(registry.applicationSets ?? []).filter((set) => set.parent !== parent && !leaving.has(set.parent ?? '')),
    ...(children.applicationSets ?? []),
  ];
  const next: Registry = {
    ...registry,
    apps: [...kept, ...children.apps],
    // Only a registry with sets carries the field, so one without is stored as before.
    ...(sets.length > 0 || registry.applicationSets ? { applicationSets: sets } : {}),
    projects: [
      ...registry.projects.filter((project) => (project as RegistryProject).parent !== parent && !leaving.has((project as RegistryProject).parent ?? '')),
      ...children.projects,
    ],
  };
  const { changedApps } = diffRegistries({ ...registry, apps: registry.apps.filter((app) => staying.has(app.name)) }, { ...next, apps: children.apps });
  return { registry: next, changedApps, removedApps: registry.apps.filter((app) => leaving.has(app.name)) };
}

/**
 * The registry a config push read, with the children (and their projects) of the parents it
 * still holds carried over from the one in force; a child whose name the push now gives to an
 * app of its own is dropped (the parent's next sync refuses it, naming both places).
 */
export function carryChildren(previous: Registry | undefined, next: Registry): Registry {
  if (!previous) return next;
  const names = new Set(next.apps.map((app) => app.name));
  const carried: RegistryApp[] = [];
  // Each pass adopts the generation below the last one, until a pass adopts nobody.
  let added = true;
  const pending = previous.apps.filter((app) => (app as RegistryApp).parent !== undefined) as RegistryApp[];
  while (added) {
    added = false;
    for (const app of pending) {
      // `names` holds every app the push wrote and every child carried so far: neither is carried (again).
      if (names.has(app.name) || !names.has(app.parent ?? '')) continue;
      carried.push(app);
      names.add(app.name);
      added = true;
    }
  }
  const parents = new Set(carried.map((app) => app.parent).concat(next.apps.map((app) => app.name)));
  const projectNames = new Set(next.projects.map((project) => project.name));
  const projects = previous.projects.filter((project) => {
    const owner = (project as RegistryProject).parent;
    return owner !== undefined && parents.has(owner) && !projectNames.has(project.name);
  });
  // A parent's sets go with its children; one whose name the push now gives a set of its own is dropped.
  const setNames = new Set((next.applicationSets ?? []).map((set) => set.name));
  const sets = (previous.applicationSets ?? []).filter((set) => set.parent !== undefined && parents.has(set.parent) && !setNames.has(set.name));
  return {
    ...next,
    apps: [...next.apps, ...carried],
    projects: [...next.projects, ...projects],
    ...(sets.length > 0 ? { applicationSets: [...(next.applicationSets ?? []), ...sets] } : {}),
  };
}

/** Every app below `roots` (not the roots themselves). */
export function descendantsOf(registry: Registry, roots: Set<string>): Set<string> {
  const found = new Set<string>();
  let frontier = new Set(roots);
  while (frontier.size > 0) {
    const next = new Set<string>();
    for (const app of registry.apps as RegistryApp[]) {
      if (app.parent !== undefined && frontier.has(app.parent) && !found.has(app.name) && !roots.has(app.name)) {
        found.add(app.name);
        next.add(app.name);
      }
    }
    frontier = next;
  }
  return found;
}
