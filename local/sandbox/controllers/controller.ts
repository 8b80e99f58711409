// What a simulated controller is: for each new generation of an object of its resource,
// a few status writes at set delays (usually "in progress" at once, "ready" after the
// configured delay). The runner in ./index.ts schedules and performs them.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../shared/kube/object.ts';
import { now } from '../server-fields.ts';

export interface StatusStep {
  afterMs: number;
  status: (current: KubeObject) => Record<string, unknown>;
}

export interface Controller {
  group: string;
  resource: string;
  steps(object: KubeObject, readyDelayMs: number): StatusStep[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string;
}

export function statusOf(object: KubeObject): Record<string, unknown> {
  return (object.status ?? {}) as Record<string, unknown>;
}

export function specOf(object: KubeObject): Record<string, unknown> {
  return (object.spec ?? {}) as Record<string, unknown>;
}

/** A condition that keeps its lastTransitionTime while its status does not change. */
export function condition(previous: KubeObject, next: Omit<Condition, 'lastTransitionTime'>, withUpdateTime = false): Condition {
  const old = ((statusOf(previous).conditions ?? []) as Condition[]).find((c) => c.type === next.type);
  const time = now();
  return {
    ...next,
    ...(withUpdateTime ? { lastUpdateTime: time } : {}),
    lastTransitionTime: old && old.status === next.status && old.lastTransitionTime ? old.lastTransitionTime : time,
  };
}

/** Zero counts are omitted, as the API server's omitempty serialisation omits them. */
export function compact(status: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== 0 && v !== undefined));
}

const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A pod-template-hash-like suffix: stable for one template, different for another. */
export function templateHash(value: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(value ?? {}))
    .digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += HASH_ALPHABET[digest[i] % HASH_ALPHABET.length];
  return out;
}

export function desiredReplicas(object: KubeObject): number {
  const replicas = specOf(object).replicas;
  return typeof replicas === 'number' ? replicas : 1;
}
