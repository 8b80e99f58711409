// API Gateway HTTP API (payload 2.0) events ↔ the API core's plain request and answer. The
// identity is the JWT authorizer's verified claims: `sub` (else `email`) is the subject, and
// the claims stay on the identity for RBAC's `scopes`. Without claims there is no identity.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Identity } from '../rbac/identity.ts';
import type { ApiRequest, ApiResponse } from './deps.ts';

type HttpApiEvent = Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'rawPath' | 'headers' | 'body' | 'isBase64Encoded' | 'queryStringParameters'> & {
  requestContext: { http: { method: string }; authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
};

export function apiRequestOf(event: HttpApiEvent): ApiRequest {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const identity = identityOf(event.requestContext.authorizer?.jwt?.claims);
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: { ...event.queryStringParameters },
    headers,
    ...bodyOf(event),
    ...(identity ? { identity } : {}),
  };
}

export function identityOf(claims: Record<string, unknown> | undefined): Identity | undefined {
  if (!claims) return undefined;
  const subject = [claims.sub, claims.email].find((value): value is string => typeof value === 'string' && value !== '');
  if (!subject) return undefined;
  return { user: subject, claims };
}

function bodyOf(event: HttpApiEvent): { body?: unknown } {
  if (!event.body) return {};
  return { body: parsedBody(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) };
}

/** A request body as the API core takes it (local/dashboard-server.ts reads it so too). */
export function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: handed on as text, which the actions refuse with a 400 that says so.
    return text;
  }
}

export function apiResultOf(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: response.headers,
    ...(response.body === undefined ? {} : { body: JSON.stringify(response.body) }),
  };
}
