// The dashboard's calls to its API (shared/api/contract.ts), same origin. Errors carry the
// API's own message (a 403 names the role check that failed) so the UI can show it as it is.
import type {
  ActionResult,
  AppDetail,
  FleetPage,
  FleetRow,
  Me,
  ResourceTree,
  SetAction,
  TargetAction,
  TargetDiff,
  TargetEvents,
} from '../../../../shared/api/contract.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

let bearer: string | undefined;
let unauthorized: (() => void) | undefined;

/** The signed-in user's token, sent on every call (AWS), and what to do when the API answers 401; none in local mode. */
export function setBearerToken(token: string | undefined, onUnauthorized?: () => void): void {
  bearer = token;
  unauthorized = onUnauthorized;
}

async function call(method: 'GET' | 'POST', path: string, options: { body?: unknown; etag?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), cache: 'no-store' });
  if (response.status === 304 || response.ok) return response;
  if (response.status === 401 && unauthorized) unauthorized();
  throw new ApiError(response.status, await errorMessage(response, `${method} ${path}`));
}

async function errorMessage(response: Response, what: string): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${what} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

async function getJson<T>(path: string): Promise<T> {
  return (await (await call('GET', path)).json()) as T;
}

const app = (name: string): string => `/api/apps/${encodeURIComponent(name)}`;
const target = (name: string, cluster: string): string => `${app(name)}/clusters/${encodeURIComponent(cluster)}`;

export const getMe = (): Promise<Me> => getJson<Me>('/api/me');
export const getApp = (name: string): Promise<AppDetail> => getJson<AppDetail>(app(name));
export const getTree = (name: string, cluster: string): Promise<ResourceTree> => getJson<ResourceTree>(`${target(name, cluster)}/tree`);
export const getDiff = (name: string, cluster: string): Promise<TargetDiff> => getJson<TargetDiff>(`${target(name, cluster)}/diff`);
export const getEvents = (name: string, cluster: string): Promise<TargetEvents> => getJson<TargetEvents>(`${target(name, cluster)}/events`);

export type { TargetAction };

export async function postAction(name: string, cluster: string, action: TargetAction, body: { revision?: string } = {}): Promise<ActionResult> {
  return (await (await call('POST', `${target(name, cluster)}/${action}`, { body })).json()) as ActionResult;
}

export type { SetAction };

/** Promote (skip the gate) or abort an ApplicationSet's rollout. */
export async function postSetAction(set: string, action: SetAction): Promise<ActionResult> {
  return (await (await call('POST', `/api/applicationsets/${encodeURIComponent(set)}/${action}`, { body: {} })).json()) as ActionResult;
}

/**
 * The whole fleet, polled: each page is asked with If-None-Match and its last etag (the API's
 * etag covers one page), so a poll where nothing changed is one 304 per page and `poll()`
 * answers undefined. Pages beyond the first (past the API's limit of rows per call) are
 * followed by their cursors, so the view always holds every row.
 */
export class FleetPoller {
  #pages = new Map<string, FleetPage>();

  async poll(): Promise<FleetPage | undefined> {
    const seen = new Map<string, FleetPage>();
    let changed = false;
    let first: FleetPage | undefined;
    const rows: FleetRow[] = [];
    for (let cursor: string | undefined = ''; cursor !== undefined;) {
      const known = this.#pages.get(cursor);
      const response = await call('GET', cursor ? `/api/fleet?cursor=${encodeURIComponent(cursor)}` : '/api/fleet', { etag: known?.etag });
      const page = response.status === 304 && known ? known : ((await response.json()) as FleetPage);
      if (page !== known) changed = true;
      seen.set(cursor, page);
      first ??= page;
      rows.push(...page.rows);
      cursor = page.next;
    }
    // A fleet that lost its last pages has changed too.
    if (seen.size !== this.#pages.size) changed = true;
    this.#pages = seen;
    return changed && first ? { ...first, rows, next: undefined } : undefined;
  }
}
