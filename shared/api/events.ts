// GET /api/apps/:app/clusters/:cluster/events: the Kubernetes Events of the app's live objects
// and of what controllers made of them (the tree's nodes: a Pod's "Back-off restarting" is
// the event that explains a Degraded Deployment), newest first and bounded.
//
// One LIST of core/v1 Events per namespace of the tree ("default" too when the app has
// cluster-scoped objects: their events are recorded there), filtered here by the involved
// object. No field selector: Events' selectors (involvedObject.name, .uid) name one object per
// LIST and cannot say "any of these", so for an app of several objects in a namespace one
// unfiltered LIST is fewer requests than one per object; a namespace's read is bounded instead
// (pages of EVENTS_PAGE, at most EVENTS_READ items), and `truncated` says when the bound cut.
import { groupOf } from '../kube/object.ts';
import type { Identity } from '../rbac/identity.ts';
import { ACTIONS } from './access.ts';
import type { KubeEvent, ResourceNode, TargetEvents } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { optional } from './optional.ts';
import { namedTarget } from './target-lookup.ts';
import { liveNodes } from './tree.ts';

/** How many events the answer holds at most. */
export const EVENTS_LIMIT = 100;
/** Events asked per LIST page, and the most read from one namespace. */
export const EVENTS_PAGE = 500;
export const EVENTS_READ = 2_000;

/** The core/v1 Event fields read here (both the old fields and events.k8s.io's, which the core API also shows). */
interface CoreEvent {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string };
  involvedObject?: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
}

export async function targetEvents(app: string, clusterName: string, identity: Identity, deps: ApiDeps): Promise<TargetEvents> {
  const target = await namedTarget(app, clusterName, identity, ACTIONS.read, deps);
  const nodes = await liveNodes(target, clusterName, deps);
  if (nodes.length === 0 || !target.cluster) return { app, cluster: clusterName, events: [], truncated: false };
  const client = await deps.connect(target.cluster);
  const namespaces = new Set(nodes.map((node) => node.namespace ?? 'default'));
  const about = involvedIn(nodes);
  let truncated = false;
  const listed = await Promise.all(
    [...namespaces].map(async (namespace) => {
      const items: CoreEvent[] = [];
      let next: string | undefined;
      do {
        const page = await client.get<{ items?: CoreEvent[]; metadata?: { continue?: string } }>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
          limit: String(EVENTS_PAGE),
          ...(next ? { continue: next } : {}),
        });
        items.push(...(page.items ?? []));
        next = page.metadata?.continue || undefined;
      } while (next && items.length < EVENTS_READ);
      if (next) truncated = true;
      return items;
    }),
  );
  const events = listed
    .flat()
    .filter(about)
    .map(kubeEvent)
    .sort((a, b) => timeOf(b) - timeOf(a));
  if (events.length > EVENTS_LIMIT) truncated = true;
  return { app, cluster: clusterName, events: events.slice(0, EVENTS_LIMIT), truncated };
}

/** Whether an event is about one of the nodes: by uid, else (an object since recreated, or never read) by kind, namespace and name. */
function involvedIn(nodes: ResourceNode[]): (event: CoreEvent) => boolean {
  const uids = new Set(nodes.flatMap((node) => (node.uid ? [node.uid] : [])));
  const names = new Set(nodes.map((node) => `${node.group}/${node.kind}/${node.namespace ?? ''}/${node.name}`));
  return (event) => {
    const object = event.involvedObject;
    if (!object?.kind || !object.name) return false;
    if (object.uid && uids.has(object.uid)) return true;
    return names.has(`${groupOf(object.apiVersion ?? 'v1')}/${object.kind}/${object.namespace ?? ''}/${object.name}`);
  };
}

function kubeEvent(event: CoreEvent): KubeEvent {
  const object = event.involvedObject ?? {};
  const last = event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  const first = event.firstTimestamp ?? event.eventTime ?? undefined;
  return {
    type: event.type || 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    object: {
      group: groupOf(object.apiVersion ?? 'v1'),
      kind: object.kind ?? '',
      ...optional('namespace', object.namespace || undefined),
      name: object.name ?? '',
    },
    count: event.count ?? event.series?.count ?? 1,
    ...optional('lastTimestamp', last ?? undefined),
    ...optional('firstTimestamp', first),
    ...optional('source', event.source?.component || event.reportingComponent || undefined),
  };
}

function timeOf(event: KubeEvent): number {
  const time = Date.parse(event.lastTimestamp ?? '');
  return Number.isNaN(time) ? 0 : time;
}
