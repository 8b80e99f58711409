// `--wait`: follow requested syncs to their recorded result, polling the target states.
// A request is answered once a result with `appliedSeq >= seq` is recorded: ours, or that of
// a newer request (a push that came after), which then is the result that counts.
import { targetId } from '../../shared/queue/job.ts';
import type { StateStore } from '../../shared/state/store.ts';
import type { HealthStatus, TargetState } from '../../shared/state/types.ts';
import type { SyncRequest } from '../../shared/operations/request.ts';

export type FollowOutcome = 'Synced' | 'Failed' | 'TimedOut';

export interface FollowResult {
  app: string;
  cluster: string;
  requestedRevision: string;
  /** The revision the result is for: the requested one unless a newer request overtook it. */
  revision: string;
  outcome: FollowOutcome;
  health?: HealthStatus;
  message: string;
  durationMs?: number;
}

export interface FollowOptions {
  intervalMs?: number;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

export async function followSyncs(store: StateStore, requests: SyncRequest[], options: FollowOptions): Promise<FollowResult[]> {
  const interval = options.intervalMs ?? 1000;
  const deadline = Date.now() + options.timeoutMs;
  const results = new Map<string, FollowResult>();
  const seen = new Map<string, string>();
  for (;;) {
    for (const request of requests) {
      const key = targetId(request.app, request.cluster);
      if (results.has(key)) continue;
      const target = await store.getTarget(request.app, request.cluster);
      const progress = progressLine(request, target);
      if (progress !== seen.get(key)) {
        seen.set(key, progress);
        options.onProgress?.(`${key}: ${progress}`);
      }
      const result = answered(request, target);
      if (result) results.set(key, result);
    }
    if (results.size === requests.length) break;
    if (Date.now() >= deadline) {
      for (const request of requests) {
        const key = targetId(request.app, request.cluster);
        if (!results.has(key)) {
          results.set(key, {
            app: request.app,
            cluster: request.cluster,
            requestedRevision: request.revision,
            revision: request.revision,
            outcome: 'TimedOut',
            message: `no result within ${Math.round(options.timeoutMs / 1000)}s; the sync may still run (is the worker running?): follow it with driftless app ${request.app}`,
          });
        }
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return requests.map((request) => results.get(targetId(request.app, request.cluster))!);
}

function answered(request: SyncRequest, target: TargetState | undefined): FollowResult | undefined {
  if (!target || (target.appliedSeq ?? -1) < request.seq) return undefined;
  // The recorded result is ours or a newer request's: a successful one moved `revision`.
  const synced = target.syncStatus === 'Synced';
  return {
    app: request.app,
    cluster: request.cluster,
    requestedRevision: request.revision,
    revision: synced ? (target.revision ?? request.revision) : (target.requestedRevision ?? request.revision),
    outcome: synced ? 'Synced' : 'Failed',
    health: target.health,
    message: target.message ?? '',
    durationMs: target.durationMs,
  };
}

function progressLine(request: SyncRequest, target: TargetState | undefined): string {
  const sha = request.revision.slice(0, 7);
  if (!target || (target.appliedSeq ?? -1) < request.seq) {
    if (target?.syncStatus === 'Syncing' && target.lastSyncStartedAt && target.lastSyncStartedAt >= request.requestedAt) {
      return `syncing ${sha}${target.message?.startsWith('waiting for health') ? ` (${target.message})` : ''}`;
    }
    return `queued ${sha} (${request.reason})`;
  }
  return target.syncStatus === 'Synced'
    ? `synced ${(target.revision ?? '').slice(0, 7)}, ${target.health ?? 'Unknown'}`
    : `failed: ${(target.message ?? '').split('\n')[0]}`;
}
