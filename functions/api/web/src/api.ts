// The dashboard's calls to its API (shared/api/contract.ts), same origin. Errors carry the
// API's own message (a 403 names the role check that failed) so the UI can show it as it is.
import type { ActionResult, AppDetail, FleetPage, Me, ResourceTree, TargetDiff } from '../../../../shared/api/contract.ts';

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

export type TargetAction = 'sync' | 'rollback' | 'suspend' | 'resume';

export async function postAction(name: string, cluster: string, action: TargetAction, body: { revision?: string } = {}): Promise<ActionResult> {
  return (await (await call('POST', `${target(name, cluster)}/${action}`, { body })).json()) as ActionResult;
}

/**
 * The whole fleet, or undefined when it has not changed since `etag` (304). The first page is
 * asked with If-None-Match; when it has changed, the pages after it (beyond the API's limit)
 * are read too, so the view always holds every row.
 */
export async function getFleet(etag?: string): Promise<FleetPage | undefined> {
  const first = await call('GET', '/api/fleet', { etag });
  if (first.status === 304) return undefined;
  const page = (await first.json()) as FleetPage;
  const rows = [...page.rows];
  for (let next = page.next; next;) {
    const more = await getJson<FleetPage>(`/api/fleet?cursor=${encodeURIComponent(next)}`);
    rows.push(...more.rows);
    next = more.next;
  }
  return { ...page, rows, next: undefined };
}
