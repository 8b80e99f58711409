// Ages and durations as people read them in a table: the largest unit or two, no locale.

/** How long ago `iso` was at `now`: "12s", "5m", "3h", "2d". */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A sync's duration: "850 ms", "4.2 s", "3m 05s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

// The CLI's and the operations' abbreviation, so the dashboard shows a commit as they name it.
export { shortSha } from '../../../../shared/operations/short-sha.ts';
