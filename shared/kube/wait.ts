// Waits until objects are healthy, re-reading only those that are not yet, grouped into one
// LIST per resource and namespace per round. A wait may be cancelled from outside (Flux's
// CancelHealthCheckOnNewRevision: a newer revision was asked for, so this one's health no
// longer matters): asked at most every `cancelCheckMs`, and never once nothing is pending.
import type { KubeClient } from './client.ts';
import type { Discovery } from './discovery.ts';
import { assessHealth, type HealthStatus } from './health/index.ts';
import { readLive } from './live.ts';
import type { KubeObject } from './object.ts';
import { objectKey } from './tracking.ts';

export interface ObjectHealth {
  object: KubeObject;
  live?: KubeObject;
  status: HealthStatus;
  message?: string;
}

export interface WaitOptions {
  /** Epoch milliseconds after which waiting stops. */
  deadline: number;
  pollMs?: number;
  maxPollMs?: number;
  /** Asked while objects are still pending: a reason stops the wait at once. */
  cancelled?: () => Promise<string | undefined>;
  /** How often `cancelled` may be asked; default CANCEL_CHECK_MS. */
  cancelCheckMs?: number;
}

/** The last health of each object, in the order given, and why the wait was cancelled if it was. */
export interface WaitResult {
  health: ObjectHealth[];
  cancelled?: string;
}

/** One read of the target's state per interval at most: a few seconds' delay is all a cancellation needs. */
export const CANCEL_CHECK_MS = 2_500;

/**
 * Polls until every object is Healthy (or Suspended), one is Degraded, or the deadline
 * passes. Returns the last health of each object, in the order given.
 */
export async function waitHealthy(client: KubeClient, discovery: Discovery, objects: KubeObject[], options: WaitOptions): Promise<ObjectHealth[]> {
  return (await waitForHealth(client, discovery, objects, options)).health;
}

/** As waitHealthy, and stops early when `options.cancelled` gives a reason. */
export async function waitForHealth(client: KubeClient, discovery: Discovery, objects: KubeObject[], options: WaitOptions): Promise<WaitResult> {
  const health = objects.map((object) => assess(object, object));
  const cancelCheckMs = options.cancelCheckMs ?? CANCEL_CHECK_MS;
  // The sync that started this wait has just read the target: the first question is one interval away.
  let nextCancelCheck = Date.now() + cancelCheckMs;
  // Start fast (most objects are ready at once or within a moment), back off to maxPollMs.
  let pause = options.pollMs ?? 50;
  for (;;) {
    const pending = health.filter((entry) => !isSettled(entry.status));
    if (pending.length === 0 || health.some((entry) => entry.status === 'Degraded')) return { health };
    if (options.cancelled && Date.now() >= nextCancelCheck) {
      const reason = await options.cancelled();
      if (reason !== undefined) return { health, cancelled: reason };
      nextCancelCheck = Date.now() + cancelCheckMs;
    }
    if (Date.now() + pause > options.deadline) return { health };
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, options.maxPollMs ?? 2_000);
    const refs = pending.map(({ object }) => ({
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name ?? '',
    }));
    const live = await readLive(client, discovery, refs);
    for (const entry of pending) {
      Object.assign(entry, assess(entry.object, live.get(objectKey(entry.object))));
    }
  }
}

function assess(object: KubeObject, live: KubeObject | undefined): ObjectHealth {
  if (!live) return { object, status: 'Missing', message: 'not found in the cluster' };
  const { status, message } = assessHealth(live);
  return { object, live, status, message };
}

/** Healthy, or deliberately not progressing (paused, suspended): nothing more to wait for. */
export function isSettled(status: HealthStatus): boolean {
  return status === 'Healthy' || status === 'Suspended';
}
