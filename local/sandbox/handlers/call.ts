// What every resource handler receives and returns: the parsed request and the JSON reply.
import type { Identities, UserInfo } from '../identity.ts';
import type { Objects } from '../objects.ts';
import type { ResourceRequest } from '../request-info.ts';
import type { ResourceType } from '../resources.ts';
import { badRequest } from '../status.ts';

export interface Call {
  objects: Objects;
  type: ResourceType;
  info: ResourceRequest;
  query: URLSearchParams;
  /** Parsed body (JSON, or YAML for apply), undefined when empty. */
  body: unknown;
  contentType?: string;
  userAgent: string;
  /** Who sent the request. */
  user: UserInfo;
  /** Issues and reviews service-account tokens. */
  identities: Identities;
}

export interface Reply {
  code: number;
  body: unknown;
}

/** The field manager of an update: `fieldManager=`, else the client's name from its User-Agent. */
export function managerOf(call: Call): string {
  const explicit = call.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = call.userAgent.split(/[\s/]/)[0];
  return agent || 'unknown';
}

export function isDryRun(call: Call): boolean {
  const values = call.query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') throw badRequest(`Invalid dry run value: ${value}; accepted values: [All]`);
  }
  return values.length > 0;
}

export function bodyObject(call: Call): Record<string, unknown> {
  const body = call.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be an object');
  return body as Record<string, unknown>;
}
