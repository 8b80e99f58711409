// The end of sync, rollback and resume: without --wait, say what was requested; with it,
// follow each request to its result, print progress on stderr and the results on stdout, and
// exit 0 only when every target synced and is Healthy.
import { targetId } from '../../shared/queue/job.ts';
import { parseDuration } from '../options.ts';
import type { Backend } from './backend.ts';
import { EXIT } from './errors.ts';
import { duration, oneLine, palette, printJson, shortSha, statusColour, table } from './output.ts';
import type { SyncRequest } from '../../shared/operations/request.ts';
import { followSyncs, type FollowResult } from './wait.ts';

export interface WaitOptions {
  wait: boolean;
  timeoutMs: number;
}

/** The --wait and --timeout values (default 10 minutes); a usage error for a timeout that is no duration. */
export function waitOptions(values: { wait?: boolean; timeout?: string }): WaitOptions {
  return { wait: values.wait === true, timeoutMs: parseDuration('timeout', values.timeout, 10 * 60_000) };
}

export interface FinishOptions extends WaitOptions {
  json: boolean;
  /** For the hint line: the app to follow. */
  app: string;
  /** Extra fields for the JSON document (e.g. the pin). */
  extra?: Record<string, unknown>;
}

export async function finishRequests(backend: Backend, requests: SyncRequest[], options: FinishOptions): Promise<number> {
  if (!options.wait) {
    if (options.json) printJson({ ...options.extra, requests });
    else {
      for (const request of requests)
        process.stdout.write(`Requested ${request.reason} sync of ${targetId(request.app, request.cluster)} to ${shortSha(request.revision)}.\n`);
      process.stdout.write(`Follow it with: driftless app ${options.app} (or pass --wait)\n`);
    }
    return EXIT.ok;
  }
  const results = await followSyncs(backend.store, requests, { timeoutMs: options.timeoutMs, onProgress: (line) => process.stderr.write(`${line}\n`) });
  const ok = results.every((result) => result.outcome === 'Synced' && result.health === 'Healthy');
  if (options.json) printJson({ ...options.extra, requests, results });
  else process.stdout.write(formatResults(results));
  return ok ? EXIT.ok : EXIT.failed;
}

export function formatResults(results: FollowResult[]): string {
  const p = palette();
  const rows = results.map((result) => [
    targetId(result.app, result.cluster),
    shortSha(result.revision) + (result.revision !== result.requestedRevision ? ` (newer than ${shortSha(result.requestedRevision)})` : ''),
    statusColour(p, result.outcome),
    statusColour(p, result.health ?? ''),
    duration(result.durationMs),
    oneLine(result.message, 100),
  ]);
  return table(['TARGET', 'REVISION', 'RESULT', 'HEALTH', 'DURATION', 'MESSAGE'], rows, p);
}
