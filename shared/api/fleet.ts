// GET /api/fleet: every app × cluster the caller may `get`, from ONE registry read and ONE scan
// of the target states (no request per row; with RollingSync sets, ONE Query of their rollout
// items for each row's step k of n), in the CLI's order (app, cluster, an app of
// apps' children under it), filtered, counted per health, paginated beyond `limit`, with an
// etag over the answer so a poll that changes nothing is a 304.
import { createHash } from 'node:crypto';
import { readFleet } from '../operations/fleet.ts';
import { targetViews } from '../operations/targets.ts';
import type { Identity } from '../rbac/identity.ts';
import type { FleetPage, FleetRow } from './contract.ts';
import { ACTIONS, allowedFor, projectOf, rbacObject, revisionUrl } from './access.ts';
import type { ApiDeps, ApiRequest, ApiResponse } from './deps.ts';
import { BadRequestError } from './errors.ts';
import { optional } from './optional.ts';
import { enforcerOf } from './rbac.ts';
import { rolloutRows } from './rollouts.ts';
import { targetId } from '../queue/job.ts';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 5000;

export async function fleetPage(request: ApiRequest, identity: Identity, deps: ApiDeps): Promise<ApiResponse> {
  const limit = parseLimit(request.query.limit);
  const offset = parseCursor(request.query.cursor);
  const filters = parseFilters(request.query);
  const { registry, states } = await readFleet(deps.store);
  const rbac = await enforcerOf(registry, deps);
  const apps = new Map(registry.apps.map((app) => [app.name, app]));
  const clusters = new Map(registry.clusters.map((cluster) => [cluster.name, cluster]));
  const rolloutOf = await rolloutRows(registry, rbac, identity, deps);
  const stateOf = new Map(states.map((state) => [targetId(state.app, state.cluster), state]));

  const visible: FleetRow[] = [];
  for (const view of targetViews(registry, states)) {
    // The Map, not projectOf's scan of registry.apps: one lookup per row on every poll.
    const spec = apps.get(view.app);
    const project = spec ? spec.project : projectOf(registry, view.app);
    const object = rbacObject(project, view.app);
    if (!rbac.can(identity, ACTIONS.read, object)) continue;
    visible.push({
      app: view.app,
      cluster: view.cluster,
      project,
      ...optional('parent', view.parent),
      ...optional('applicationSet', spec?.applicationSet),
      clusterLabels: clusters.get(view.cluster)?.labels ?? {},
      ...optional('namespace', view.namespace),
      syncStatus: view.syncStatus,
      health: view.health,
      drift: view.driftStatus,
      ...(view.revision ? { revision: view.revision } : {}),
      ...optional('revisionUrl', revisionUrl(spec?.source.repoURL, view.revision, deps.gitHubHost)),
      ...optional('lastSyncAt', view.lastSyncFinishedAt),
      ...(view.message ? { message: view.message } : {}),
      suspended: view.suspended,
      ...optional('pinnedRevision', view.pinnedRevision),
      ...optional('rollout', rolloutOf(view.app, stateOf.get(targetId(view.app, view.cluster)))),
      allowed: allowedFor(rbac, identity, object),
    });
  }
  const healthCounts: FleetPage['healthCounts'] = {};
  for (const row of visible) healthCounts[row.health] = (healthCounts[row.health] ?? 0) + 1;
  const matching = visible.filter((row) => matches(row, filters));
  const rows = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? encodeCursor(offset + limit) : undefined;
  const page: Omit<FleetPage, 'etag'> = { rows, healthCounts, total: matching.length, ...(next ? { next } : {}) };
  const etag = `"${createHash('sha256').update(JSON.stringify(page)).digest('base64url').slice(0, 27)}"`;
  const headers = { etag, 'cache-control': 'no-cache' };
  if (etagMatches(request.headers?.['if-none-match'], etag)) return { status: 304, headers };
  return { status: 200, headers, body: { ...page, etag } satisfies FleetPage };
}

interface Filters {
  q?: string;
  health?: string;
  cluster?: string;
  labels: Array<[string, string]>;
}

function parseFilters(query: ApiRequest['query']): Filters {
  const labels: Array<[string, string]> = [];
  for (const pair of (query.label ?? '').split(',').filter((item) => item.trim() !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new BadRequestError(`label must be key=value (several joined by commas), got "${pair}"`);
    labels.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim()]);
  }
  return {
    ...optional('q', query.q?.trim().toLowerCase() || undefined),
    ...optional('health', query.health?.trim().toLowerCase() || undefined),
    ...optional('cluster', query.cluster?.trim() || undefined),
    labels,
  };
}

function matches(row: FleetRow, filters: Filters): boolean {
  if (filters.q && ![row.app, row.cluster, row.project].some((value) => value.toLowerCase().includes(filters.q ?? ''))) return false;
  if (filters.health && row.health.toLowerCase() !== filters.health) return false;
  if (filters.cluster && row.cluster !== filters.cluster) return false;
  return filters.labels.every(([key, value]) => row.clusterLabels[key] === value);
}

function parseLimit(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new BadRequestError(`limit must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  return limit;
}

// Opaque to the UI: the offset of the page's first row, so the next page is one more call.
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function parseCursor(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  try {
    const { o } = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // Falls through to the error below.
  }
  throw new BadRequestError('cursor is not one this API gave out: start again without it');
}

/** RFC 9110 If-None-Match: `*`, or a list of (weak or strong) entity tags. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
