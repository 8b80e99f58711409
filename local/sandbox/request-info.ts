// What a request is about, read from its method and path the way the API server's
// RequestInfoFactory reads it: /api/v1/namespaces/shop/configmaps/web → get configmaps.
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface OtherRequest {
  kind: 'discovery' | 'openapi' | 'version' | 'health' | 'unknown';
  /** Present for /api/v1 and /apis/<group>/<version>. */
  group?: string;
  version?: string;
}

export type RequestInfo = ResourceRequest | OtherRequest;

export function parseRequest(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const segments = pathname.split('/').filter((p) => p.length > 0);
  // Most paths have nothing escaped: decoding each segment of every request is then wasted.
  const parts = pathname.includes('%') ? segments.map(decodeURIComponent) : segments;
  if (parts[0] === 'version') return { kind: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(parts[0])) return { kind: 'health' };
  if (parts[0] === 'openapi') return { kind: 'openapi' };

  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
    if (group === undefined) return { kind: 'discovery' };
  } else {
    return { kind: 'unknown' };
  }
  if (version === undefined || rest.length === 0) return { kind: 'discovery', group, version };

  let namespace: string | undefined;
  // namespaces/<ns>/<resource>... is a namespaced request; namespaces/<ns>[/status|/finalize]
  // is the namespace object itself.
  if (rest[0] === 'namespaces' && rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  return {
    kind: 'resource',
    verb: verbOf(method, name !== undefined, query),
    group,
    version,
    resource,
    ...(subresource !== undefined ? { subresource } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

function verbOf(method: string, hasName: boolean, query: URLSearchParams): Verb {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default: {
      const watch = query.get('watch');
      if (watch === 'true' || watch === '1') return 'watch';
      return hasName ? 'get' : 'list';
    }
  }
}
