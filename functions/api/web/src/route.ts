// Two views, routed by the URL's hash so the static host needs no rewrites:
//   #/                       the fleet
//   #/apps/<app>[/<cluster>] one app, on one of its clusters
// Links from elsewhere (a GitHub check run's details) may name an app by path instead,
// `/apps/<app>?cluster=<cluster>`: the host answers such paths with index.html (CloudFront's
// fallback), and the page reads the path when there is no hash route.
export type Route = { view: 'fleet' } | { view: 'app'; app: string; cluster?: string };

/** The route of a whole location: the hash's, else an `/apps/<app>?cluster=` path's. */
export function routeOf(location: { pathname: string; search: string; hash: string }): Route {
  const fromHash = parseRoute(location.hash);
  if (fromHash.view !== 'fleet' || location.hash.replace(/^#\/?/, '') !== '') return fromHash;
  const parts = location.pathname.split('/').filter(Boolean).map(decodeSegment);
  const cluster = new URLSearchParams(location.search).get('cluster') ?? undefined;
  if (parts[0] === 'apps' && parts[1] && parts.length === 2) return { view: 'app', app: parts[1], cluster };
  return fromHash;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeSegment);
  if (parts[0] === 'apps' && parts[1]) return { view: 'app', app: parts[1], cluster: parts[2] };
  return { view: 'fleet' };
}

export function appHref(app: string, cluster?: string): string {
  return `#/apps/${encodeURIComponent(app)}${cluster ? `/${encodeURIComponent(cluster)}` : ''}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
