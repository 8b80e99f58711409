// GET /api/apps/:app/clusters/:cluster/diff: the last applied render (the render cache, under
// the key the last sync recorded) against the live objects, on the fields Git sets, as
// `driftless diff` prints it: Secret values masked by shared/kube/diff.ts, never sent.
import { splitRender } from '../app-of-apps/split.ts';
import { desiredObjects } from '../drift/desired.ts';
import { diffObject } from '../kube/diff.ts';
import { Discovery } from '../kube/discovery.ts';
import { readLive, refOf } from '../kube/live.ts';
import { objectKey } from '../kube/tracking.ts';
import type { Identity } from '../rbac/identity.ts';
import { ACTIONS } from './access.ts';
import type { TargetDiff } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { RouteNotFoundError } from './errors.ts';
import { optional } from './optional.ts';
import { namedTarget } from './target-lookup.ts';

export async function targetDiff(app: string, clusterName: string, identity: Identity, deps: ApiDeps): Promise<TargetDiff> {
  const target = await namedTarget(app, clusterName, identity, ACTIONS.read, deps);
  if (!target.cluster) throw new RouteNotFoundError(`cluster "${clusterName}" is no longer registered: its live objects cannot be read`);
  const base = { app, cluster: clusterName, ...optional('revision', target.state?.revision) };
  const renderKey = target.state?.renderKey;
  if (!renderKey) return { ...base, diff: '', message: 'no sync has recorded a render to compare with yet' };
  const cached = await deps.renders?.get(renderKey);
  if (!cached) return { ...base, diff: '', message: 'the last applied render is no longer cached: the next drift scan renders it again' };
  const client = await deps.connect(target.cluster);
  const discovery = new Discovery(client);
  const desired = await desiredObjects(app, splitRender(cached).manifests, discovery);
  const live = await readLive(client, discovery, desired.map(refOf));
  const patches = desired.map((object) => diffObject(object, live.get(objectKey(object))).patch).filter((patch) => patch !== '');
  return { ...base, diff: patches.join('') };
}
