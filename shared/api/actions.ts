// POST /api/apps/:app/clusters/:cluster/{sync,rollback,suspend,resume}: the CLI's operations
// (shared/operations) on one target, through the same store calls and queue, checked with
// Argo CD's actions first (access.ts). Refusals (off a rollback's pin, a revision never synced)
// answer 409 with the operations' own messages.
import { suspendTarget } from '../operations/hold.ts';
import { destinationsOf } from '../operations/lookup.ts';
import { requestTargetSync } from '../operations/request.ts';
import { resumeAndSync } from '../operations/resume.ts';
import { planRollback, startRollback } from '../operations/rollback.ts';
import { shortSha } from '../operations/short-sha.ts';
import { syncRevision } from '../operations/sync.ts';
import { targetId } from '../queue/job.ts';
import type { Identity } from '../rbac/identity.ts';
import { ACTIONS } from './access.ts';
import type { ActionResult, TargetAction } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { BadRequestError, RouteNotFoundError } from './errors.ts';
import { namedTarget, type NamedTarget } from './target-lookup.ts';

export const TARGET_ACTIONS: ReadonlySet<string> = new Set<TargetAction>(['sync', 'rollback', 'suspend', 'resume']);

export async function runAction(action: TargetAction, app: string, cluster: string, body: unknown, identity: Identity, deps: ApiDeps): Promise<ActionResult> {
  const fields = bodyFields(body);
  const target = await namedTarget(app, cluster, identity, ACTIONS[action], deps);
  const ref = { app, cluster };
  const id = targetId(app, cluster);
  if (action === 'suspend') {
    await suspendTarget(deps, ref);
    return { accepted: true, message: `suspended ${id}: pushes and self-heal are not applied until it is resumed` };
  }
  const spec = registeredDestination(target, app, cluster);
  if (action === 'sync') {
    const wanted = fields.revision === undefined ? undefined : await deps.revisions.resolve(spec.source.repoURL, fields.revision);
    const revision = await syncRevision(deps, ref, { ...(wanted ? { wanted, wantedAs: fields.revision } : {}), head: () => deps.revisions.head(spec.source) });
    const request = await requestTargetSync(deps, ref, revision, 'manual', fields.revision ?? spec.source.targetRevision);
    return { accepted: true, message: `sync of ${id} at ${shortSha(revision)} requested`, seq: request.seq };
  }
  if (action === 'rollback') {
    if (fields.revision === undefined)
      throw new BadRequestError('rollback needs {"revision": "<sha>"} or {"revision": "previous"}: the recorded commit to go back to');
    const [step] = await planRollback(deps, app, [cluster], fields.revision);
    const request = await startRollback(deps, ref, step.revision, fields.revision);
    return { accepted: true, message: `rollback of ${id} to ${shortSha(step.revision)} requested; pinned there until resumed`, seq: request.seq };
  }
  // Resolved first: a head that cannot be resolved leaves the holds in place.
  const head = await deps.revisions.head(spec.source);
  const request = await resumeAndSync(deps, ref, head, spec.source.targetRevision);
  return { accepted: true, message: `resumed ${id}; syncing ${spec.source.targetRevision} at ${shortSha(head)}`, seq: request.seq };
}

/** Sync, rollback and resume need the app registered with this destination (as the CLI's destinationsOf). */
function registeredDestination(target: NamedTarget, app: string, cluster: string) {
  if (!target.app) throw new RouteNotFoundError(`app "${app}" has recorded state but is no longer in the registry (removed from the config repository)`);
  if (destinationsOf(target.app, target.registry, target.states, cluster).length === 0)
    throw new RouteNotFoundError(`cluster "${cluster}" is no longer a destination of app ${app}`);
  return target.app;
}

function bodyFields(body: unknown): { revision?: string } {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('the body must be a JSON object');
  const revision = (body as { revision?: unknown }).revision;
  if (revision === undefined || revision === null || revision === '') return {};
  if (typeof revision !== 'string') throw new BadRequestError('revision must be a string (a branch, tag or commit sha)');
  return { revision };
}
