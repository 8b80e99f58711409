// Watches: a chunked stream of {type, object} JSON lines. Without a resourceVersion (or
// with "0") the stream starts with an ADDED event per current object; with one, it
// replays the history after it. `sendInitialEvents=true` ends the initial events with the
// bookmark client-go's watch-list waits for.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../shared/kube/object.ts';
import { asVersion, type Objects } from './objects.ts';
import type { ResourceRequest } from './request-info.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { StoreEvent } from './store.ts';

export interface WatchRequest {
  objects: Objects;
  type: ResourceType;
  info: ResourceRequest;
  query: URLSearchParams;
}

/** Starts streaming; returns a function that ends the stream (used on server stop). */
export function startWatch({ objects, type, info, query }: WatchRequest, response: ServerResponse): () => void {
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined);
  const namespace = type.namespaced ? info.namespace : undefined;
  const byName = info.name;
  const matches = (object: KubeObject) =>
    (namespace === undefined || object.metadata.namespace === namespace) &&
    (byName === undefined || object.metadata.name === byName) &&
    labels(object.metadata.labels ?? {}) &&
    fields(object);

  const requested = query.get('resourceVersion') ?? '';
  const initialEvents = query.get('sendInitialEvents') === 'true';
  // Validates the version before any byte is sent, so a 410 is still possible.
  const replay = requested && requested !== '0' && !initialEvents ? objects.store.eventsSince(Number(requested)) : undefined;

  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  const send = (eventType: string, object: unknown) => {
    if (!response.writableEnded) response.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const forward = (event: StoreEvent) => {
    if (event.group !== type.group || event.resource !== type.resource || !matches(event.object)) return;
    send(event.type, asVersion(type, event.object));
  };

  const unsubscribe = objects.store.subscribe(forward);
  if (replay) {
    for (const event of replay) forward(event);
  } else {
    for (const object of objects.store.list(type.group, type.resource, namespace)) {
      if (matches(object)) send('ADDED', asVersion(type, object));
    }
    if (initialEvents) {
      send('BOOKMARK', {
        apiVersion: apiVersionOf(type),
        kind: type.kind,
        metadata: { resourceVersion: objects.store.currentVersion(), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  }

  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!response.writableEnded) response.end();
  };
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  if (timeoutSeconds > 0) timer = setTimeout(stop, timeoutSeconds * 1000);
  response.on('close', stop);
  return stop;
}
