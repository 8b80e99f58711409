// ApplicationSet rollouts in the dashboard API: each row's progress (step k of n and its gate)
// from ONE read of the rollout items, and POST /api/applicationsets/:set/{promote,abort}
// through the CLI's operations (shared/operations/rollout.ts). RBAC is Argo CD's for
// ApplicationSets: resource `applicationsets`, object `<project>/<set>`, reading is `get`,
// promote and abort are `update` (they change what the set does). A set's project is its
// template's `spec.project`; a templated one is each project its generated apps are in, and the
// caller must be allowed on every one of them.
import type { Registry } from '../config/types.ts';
import { closestNames } from '../operations/lookup.ts';
import { NotFoundError } from '../operations/errors.ts';
import { abortRollout, promoteRollout, rollingSets } from '../operations/rollout.ts';
import { rolloutProgressOf } from '../operations/rollout-progress.ts';
import { shortSha } from '../operations/short-sha.ts';
import type { RbacAction, RbacEnforcer } from '../rbac/enforcer.ts';
import type { Identity } from '../rbac/identity.ts';
import type { TargetState } from '../state/types.ts';
import type { ActionResult, RolloutProgressRow, SetAction } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { BadRequestError } from './errors.ts';
import { enforcerOf } from './rbac.ts';

export const SET_ACTIONS: ReadonlySet<string> = new Set<SetAction>(['promote', 'abort']);

const SET_RESOURCE = 'applicationsets';

/**
 * A function giving each target's rollout progress, with whether the caller may operate its
 * set. One Query of the rollout items, and none at all for a registry without RollingSync sets.
 */
export async function rolloutRows(
  registry: Registry,
  rbac: RbacEnforcer,
  identity: Identity,
  deps: Pick<ApiDeps, 'store'>,
): Promise<(app: string, state: TargetState | undefined) => RolloutProgressRow | undefined> {
  if (rollingSets(registry).length === 0) return () => undefined;
  const progressOf = rolloutProgressOf(registry, await deps.store.listRollouts());
  const apps = new Map(registry.apps.map((app) => [app.name, app]));
  const operable = new Map<string, boolean>();
  return (app, state) => {
    const progress = progressOf(apps.get(app), state);
    if (!progress) return undefined;
    let canOperate = operable.get(progress.set);
    if (canOperate === undefined) {
      canOperate = setObjects(registry, progress.set).every((object) => rbac.can(identity, 'update', object, SET_RESOURCE));
      operable.set(progress.set, canOperate);
    }
    return { ...progress, canOperate };
  };
}

/** `<project>/<set>` for each project the set's apps are in (one, unless its template's project is templated). */
export function setObjects(registry: Registry, set: string): string[] {
  const spec = registry.applicationSets?.find((candidate) => candidate.name === set);
  const written = (spec?.template.spec as { project?: unknown } | undefined)?.project;
  if (typeof written === 'string' && written !== '' && !written.includes('{{')) return [`${written}/${set}`];
  const projects = new Set(registry.apps.filter((app) => app.applicationSet === set).map((app) => app.project));
  return (projects.size > 0 ? [...projects].sort() : ['default']).map((project) => `${project}/${set}`);
}

export async function runSetAction(action: SetAction, set: string, body: unknown, identity: Identity, deps: ApiDeps): Promise<ActionResult> {
  if (body !== undefined && body !== null && body !== '' && (typeof body !== 'object' || Array.isArray(body)))
    throw new BadRequestError('the body must be a JSON object (or none)');
  const registry = (await deps.store.getRegistry())?.registry ?? { apps: [], clusters: [], projects: [] };
  const rbac = await enforcerOf(registry, deps);
  requireSet(registry, rbac, identity, set, 'get');
  for (const object of setObjects(registry, set)) rbac.require(identity, 'update', object, SET_RESOURCE);
  if (action === 'promote') {
    const state = await promoteRollout(deps, set, identity.user);
    return { accepted: true, message: `promoted ${set}: the gate of step ${state.step + 1} of ${state.steps} is skipped (rollout of ${shortSha(state.id)})` };
  }
  const state = await abortRollout(deps, set, identity.user);
  return { accepted: true, message: `aborted ${set}: no more steps of the rollout of ${shortSha(state.id)} start` };
}

/** A set the caller may not see answers as one that is not there; the names offered are only those it may see. */
function requireSet(registry: Registry, rbac: RbacEnforcer, identity: Identity, set: string, action: RbacAction): void {
  const visible = (name: string) => setObjects(registry, name).every((object) => rbac.can(identity, action, object, SET_RESOURCE));
  const names = rollingSets(registry).map((candidate) => candidate.name);
  if (names.includes(set) && visible(set)) return;
  const close = closestNames(set, names.filter(visible));
  throw new NotFoundError(`no ApplicationSet "${set}" with a RollingSync strategy${close.length > 0 ? `: did you mean ${close.join(', ')}?` : ''}`);
}
