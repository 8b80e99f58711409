// Server-side apply of one wave: the exact rendered JSON on the wire, field manager
// `driftless`, force; objects already in their desired state are not written at all.
import pLimit from 'p-limit';
import type { KubeClient } from './client.ts';
import { compareObjects } from './compare.ts';
import { resourcePath, type Discovery } from './discovery.ts';
import { KubeApiError } from './errors.ts';
import type { KubeObject } from './object.ts';

export const FIELD_MANAGER = 'driftless';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ApplyRequest {
  desired: KubeObject;
  /** The live object before the sync, if any (from readLive). */
  live?: KubeObject;
  /** True when Git's version of this object is the one last applied (same fingerprint). */
  unchangedInGit: boolean;
}

export interface ApplyOutcome {
  desired: KubeObject;
  action: ApplyAction;
  /** The object as the server stored it (or the live one when unchanged). */
  live?: KubeObject;
  error?: string;
  durationMs: number;
}

export interface ApplyOptions {
  dryRun?: boolean;
  concurrency?: number;
}

/** True when applying `desired` would change nothing: Git did not change it and the cluster did not drift. */
export function isUpToDate(request: ApplyRequest): boolean {
  return request.unchangedInGit && request.live !== undefined && compareObjects(request.desired, request.live).length === 0;
}

export async function applyWave(client: KubeClient, discovery: Discovery, requests: ApplyRequest[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  const limit = pLimit(options.concurrency ?? 16);
  return Promise.all(requests.map((request) => limit(() => applyOne(client, discovery, request, options))));
}

async function applyOne(client: KubeClient, discovery: Discovery, request: ApplyRequest, options: ApplyOptions): Promise<ApplyOutcome> {
  const started = performance.now();
  const { desired, live } = request;
  const done = (action: ApplyAction, result?: KubeObject, error?: string): ApplyOutcome => ({
    desired,
    action,
    live: result,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  if (isUpToDate(request)) return done('unchanged', live);
  try {
    const info = await discovery.resolve(desired.apiVersion, desired.kind);
    const path = resourcePath(info, desired.metadata.namespace, desired.metadata.name);
    const result = await client.request<KubeObject>({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER, force: 'true', ...(options.dryRun ? { dryRun: 'All' } : {}) },
      // JSON is YAML: the body is exactly the rendered object, nothing re-serialised by a model.
      body: JSON.stringify(desired),
      contentType: 'application/apply-patch+yaml',
    });
    // The server may find nothing to change (Git changed, but to what the cluster already had).
    const changed = !live || result.metadata.resourceVersion !== live.metadata.resourceVersion;
    return done(!live ? 'created' : changed ? 'configured' : 'unchanged', result);
  } catch (error) {
    const message = error instanceof KubeApiError ? (error.status.message ?? error.message) : (error as Error).message;
    return done('failed', undefined, message);
  }
}
