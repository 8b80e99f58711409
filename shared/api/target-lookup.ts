// The app and cluster an /api/apps/:app/... route names, and the caller's permission for what
// the route does. An app the caller may not `get` answers as one that does not exist would,
// and the closest names offered are only of apps the caller may see: a 404 must not list (or
// a 403 confirm) apps of other teams.
import type { AppSpec, ClusterSpec, Registry } from '../config/types.ts';
import { NotFoundError } from '../operations/errors.ts';
import { readFleet } from '../operations/fleet.ts';
import { appNames, closestNames, clustersOf } from '../operations/lookup.ts';
import type { RbacAction, RbacEnforcer } from '../rbac/enforcer.ts';
import type { Identity } from '../rbac/identity.ts';
import type { TargetState } from '../state/types.ts';
import { ACTIONS, projectOf, rbacObject } from './access.ts';
import type { ApiDeps } from './deps.ts';
import { enforcerOf } from './rbac.ts';

export interface NamedApp {
  registry: Registry;
  states: TargetState[];
  rbac: RbacEnforcer;
  /** The registered app; absent when only its recorded state is left. */
  app?: AppSpec;
  project: string;
  /** `<project>/<app>`, the RBAC object. */
  object: string;
}

export interface NamedTarget extends NamedApp {
  cluster?: ClusterSpec;
  state?: TargetState;
}

/** The app, readable by the caller and allowed `action`; NotFoundError or PermissionDeniedError otherwise. */
export async function namedApp(name: string, identity: Identity, action: RbacAction, deps: ApiDeps): Promise<NamedApp> {
  const { registry, states } = await readFleet(deps.store);
  const rbac = await enforcerOf(registry, deps);
  const visible = (app: string) => rbac.can(identity, ACTIONS.read, rbacObject(projectOf(registry, app), app));
  const names = appNames(registry, states);
  if (!names.includes(name) || !visible(name)) {
    const close = closestNames(name, names.filter(visible));
    throw new NotFoundError(`no app "${name}"${close.length > 0 ? `: did you mean ${close.join(', ')}?` : ''}`);
  }
  const project = projectOf(registry, name);
  const object = rbacObject(project, name);
  rbac.require(identity, action, object);
  const app = registry.apps.find((candidate) => candidate.name === name);
  return { registry, states, rbac, project, object, ...(app ? { app } : {}) };
}

export async function namedTarget(app: string, cluster: string, identity: Identity, action: RbacAction, deps: ApiDeps): Promise<NamedTarget> {
  const named = await namedApp(app, identity, action, deps);
  clustersOf(app, named.registry, named.states, cluster);
  const clusterSpec = named.registry.clusters.find((candidate) => candidate.name === cluster);
  const state = named.states.find((candidate) => candidate.app === app && candidate.cluster === cluster);
  return { ...named, ...(clusterSpec ? { cluster: clusterSpec } : {}), ...(state ? { state } : {}) };
}
