// Two views, routed by the URL's hash so the static host needs no rewrites:
//   #/                       the fleet
//   #/apps/<app>[/<cluster>] one app, on one of its clusters
export type Route = { view: 'fleet' } | { view: 'app'; app: string; cluster?: string };

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
