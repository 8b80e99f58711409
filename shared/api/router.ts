// The dashboard API (contract.ts) as one plain function: a request with its identity in, an
// answer out. Every route checks RBAC (in the handler it calls); errors become `{ error }`
// with the contract's statuses, and anything unexpected a 500 that says no more than where,
// the details logged (never a token or a claim).
import { OperationError, NotFoundError, RefusedError } from '../operations/errors.ts';
import { PermissionDeniedError } from '../rbac/errors.ts';
import type { Identity } from '../rbac/identity.ts';
import { runAction, TARGET_ACTIONS } from './actions.ts';
import { appDetail } from './app-detail.ts';
import type { Me, SetAction, TargetAction } from './contract.ts';
import type { ApiDeps, ApiRequest, ApiResponse } from './deps.ts';
import { targetDiff } from './diff.ts';
import { targetEvents } from './events.ts';
import { ApiError, MethodNotAllowedError, RouteNotFoundError, UnauthorizedError } from './errors.ts';
import { fleetPage } from './fleet.ts';
import { enforcerOf } from './rbac.ts';
import { resourceTree } from './tree.ts';
import { runSetAction, SET_ACTIONS } from './rollouts.ts';

/** The GET routes of one target, each checking `get` on the app itself (a Map: a verb like `constructor` is no route). */
const TARGET_READS = new Map<string, (app: string, cluster: string, identity: Identity, deps: ApiDeps) => Promise<unknown>>([
  ['tree', resourceTree],
  ['diff', targetDiff],
  ['events', targetEvents],
]);

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export async function handleApiRequest(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  try {
    return await route(request, deps);
  } catch (error) {
    return errorAnswer(error, request, deps);
  }
}

async function route(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const segments = request.path.replace(/\/+$/, '').split('/').slice(1).map(decodeSegment);
  if (segments[0] !== 'api') throw new RouteNotFoundError(`no API route ${request.path}`);
  const identity = request.identity;
  const method = request.method.toUpperCase();
  const [, first, app, clusters, cluster, verb, ...rest] = segments;
  if (first === 'me' && segments.length === 2) {
    only(method, request.path, 'GET');
    return ok(await me(requireIdentity(identity), deps));
  }
  if (first === 'fleet' && segments.length === 2) {
    only(method, request.path, 'GET');
    return fleetPage(request, requireIdentity(identity), deps);
  }
  if (first === 'apps' && app && segments.length === 3) {
    only(method, request.path, 'GET');
    return ok(await appDetail(app, requireIdentity(identity), deps));
  }
  if (first === 'apps' && app && clusters === 'clusters' && cluster && verb && rest.length === 0) {
    const read = TARGET_READS.get(verb);
    if (read) {
      only(method, request.path, 'GET');
      return ok(await read(app, cluster, requireIdentity(identity), deps));
    }
    if (TARGET_ACTIONS.has(verb)) {
      only(method, request.path, 'POST');
      return ok(await runAction(verb as TargetAction, app, cluster, request.body, requireIdentity(identity), deps), 202);
    }
  }
  if (first === 'applicationsets' && segments.length === 4) {
    const [, , set, setVerb] = segments;
    if (set && SET_ACTIONS.has(setVerb)) {
      only(method, request.path, 'POST');
      return ok(await runSetAction(setVerb as SetAction, set, request.body, requireIdentity(identity), deps), 202);
    }
  }
  throw new RouteNotFoundError(`no API route ${method} ${request.path}`);
}

async function me(identity: Identity, deps: ApiDeps): Promise<Me> {
  if (identity.local) return { user: identity.user, groups: [], signInRequired: false };
  // The groups as the registry's `scopes` pick them: the same reading every check uses.
  const registry = (await deps.store.getRegistry())?.registry ?? { apps: [], clusters: [], projects: [] };
  const rbac = await enforcerOf(registry, deps);
  return { user: identity.user, groups: rbac.groupsOf(identity), signInRequired: true };
}

function requireIdentity(identity: Identity | undefined): Identity {
  if (!identity) throw new UnauthorizedError();
  return identity;
}

function only(method: string, path: string, allowed: 'GET' | 'POST'): void {
  if (method !== allowed) throw new MethodNotAllowedError(method, path, allowed);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function ok(body: unknown, status = 200): ApiResponse {
  return { status, headers: { ...JSON_HEADERS }, body };
}

function errorAnswer(error: unknown, request: ApiRequest, deps: ApiDeps): ApiResponse {
  const answer = (status: number, message: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { ...JSON_HEADERS, ...headers },
    body: { error: message },
  });
  if (error instanceof MethodNotAllowedError) return answer(error.status, error.message, { allow: error.allow });
  if (error instanceof ApiError) return answer(error.status, error.message);
  if (error instanceof PermissionDeniedError) return answer(403, error.message);
  if (error instanceof NotFoundError) return answer(404, error.message);
  if (error instanceof RefusedError) return answer(409, error.message);
  if (error instanceof OperationError) return answer(400, error.message);
  deps.logger?.error('dashboard API request failed', { method: request.method, path: request.path, error: (error as Error).message?.split('\n')[0] });
  return answer(500, `${request.method} ${request.path} failed on the server; the API function's log has the details`);
}
