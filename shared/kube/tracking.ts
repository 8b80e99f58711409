// Which app an object on the cluster belongs to. The value is spelled as Argo CD's
// annotation tracking spells it (`<app>:<group>/<kind>:<namespace>/<name>`, core group and
// cluster scope as empty strings) so people who know one can read the other.
//
// The id names the object it sits on, not only the app: controllers copy annotations to
// what they create (a Deployment's annotations land on its ReplicaSets), and a copied id
// must not make us prune the copy. isOwnedBy therefore checks the id against the object.
import { KubeError } from './errors.ts';
import { groupOf, type KubeObject } from './object.ts';

export const TRACKING_ANNOTATION = 'driftless.io/tracking-id';

export interface TrackingId {
  app: string;
  group: string;
  kind: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  /** Empty for a hook that only has metadata.generateName: its name is not known until created. */
  name: string;
}

export function trackingId(app: string, object: KubeObject): string {
  assertAppName(app);
  const { namespace = '', name = '' } = object.metadata;
  return `${app}:${groupOf(object.apiVersion)}/${object.kind}:${namespace}/${name}`;
}

/**
 * undefined when the value is not a tracking id: a live annotation is not ours to trust.
 * Only the first two colons separate: a name may hold more (`system:metrics-server`), as Argo
 * CD reads it too (util/argo ParseAppInstanceValue, TestParseAppInstanceValueColon).
 */
export function parseTrackingId(value: string): TrackingId | undefined {
  const first = value.indexOf(':');
  const second = first < 0 ? -1 : value.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const [app, groupKind, namespaceName] = [value.slice(0, first), value.slice(first + 1, second), value.slice(second + 1)];
  const gk = groupKind.split('/');
  const nn = namespaceName.split('/');
  if (gk.length !== 2 || nn.length !== 2) return undefined;
  const [group, kind] = gk;
  const [namespace, name] = nn;
  if (app === '' || kind === '') return undefined;
  return { app, group, kind, namespace, name };
}

export function withTracking(app: string, object: KubeObject): KubeObject {
  const id = trackingId(app, object);
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [TRACKING_ANNOTATION]: id } },
  };
}

export function isOwnedBy(app: string, live: KubeObject): boolean {
  const value = live.metadata.annotations?.[TRACKING_ANNOTATION];
  if (value === undefined) return false;
  const id = parseTrackingId(value);
  if (!id || id.app !== app) return false;
  const liveNamespace = live.metadata.namespace ?? '';
  return (
    id.group === groupOf(live.apiVersion) &&
    id.kind === live.kind &&
    id.name !== '' &&
    id.name === live.metadata.name &&
    // As Argo CD does: a cluster-scoped object rendered with a stray metadata.namespace
    // (common in charts) carries that namespace in its id, but the server drops it.
    (id.namespace === liveNamespace || liveNamespace === '')
  );
}

/** `group/kind/namespace/name`: the inventory key. The version is left out on purpose so
 * that moving an object between API versions is not a delete plus a create. */
export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const { namespace = '', name = '' } = object.metadata;
  return `${groupOf(object.apiVersion)}/${object.kind}/${namespace}/${name}`;
}

function assertAppName(app: string): void {
  // ':' and '/' are the id's separators; an app name holding one could not be parsed back.
  if (app === '' || /[:/]/.test(app)) {
    throw new KubeError(`app name ${JSON.stringify(app)} cannot be used in a tracking id (empty, or contains ':' or '/')`);
  }
}
