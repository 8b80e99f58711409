// Which commit a rollback (`driftless rollback`, the dashboard's) goes to. Like `argocd app rollback`, only to what the target has
// run before: a commit in its recorded history that synced successfully. `previous` is the
// newest such commit other than the one applied now. `force` allows any full sha.
import { targetId } from '../queue/job.ts';
import { FULL_SHA } from '../source/fetcher.ts';
import type { HistoryEntry } from '../state/types.ts';
import { RollbackRefusedError } from './errors.ts';

export interface RollbackChoice {
  revision: string;
  /** The recorded sync of that revision it was chosen from; absent when forced. */
  entry?: HistoryEntry;
}

/** Short shas shorter than this are too ambiguous to match. */
const MIN_PREFIX = 4;

/**
 * @param history the target's history, newest first
 * @param current the revision applied now (`revision` of the target)
 * @param to `previous`, a full sha or a prefix of one (at least 4 hex digits)
 */
export function chooseRollbackRevision(history: HistoryEntry[], current: string | undefined, to: string, force = false): RollbackChoice {
  const where = history[0] ? targetId(history[0].app, history[0].cluster) : 'this target';
  const synced = history.filter((entry) => entry.status === 'Synced');
  if (to === 'previous') {
    const entry = synced.find((candidate) => candidate.revision !== current);
    if (!entry)
      throw new RollbackRefusedError(
        `${where} has no earlier successful sync to roll back to (history holds ${history.length} sync${history.length === 1 ? '' : 's'})`,
      );
    return { revision: entry.revision, entry };
  }
  const wanted = to.toLowerCase();
  if (!/^[0-9a-f]+$/.test(wanted) || wanted.length < MIN_PREFIX)
    throw new RollbackRefusedError(`--to must be "previous" or a commit sha (at least ${MIN_PREFIX} hex digits), got "${to}"`);
  const matches = [...new Set(history.filter((entry) => entry.revision.toLowerCase().startsWith(wanted)).map((entry) => entry.revision))];
  if (matches.length > 1)
    throw new RollbackRefusedError(
      `"${to}" matches ${matches.length} recorded revisions of ${where} (${matches.map((sha) => sha.slice(0, 12)).join(', ')}): give more digits`,
    );
  const revision = matches[0];
  const entry = revision ? synced.find((candidate) => candidate.revision === revision) : undefined;
  if (entry) return { revision: entry.revision, entry };
  if (force) {
    if (revision) return { revision };
    if (FULL_SHA.test(wanted)) return { revision: wanted };
    throw new RollbackRefusedError(`"${to}" is not in the history of ${where}: with --force give the full 40-digit sha`);
  }
  const recent = synced.slice(0, 5).map((candidate) => candidate.revision.slice(0, 7));
  const known = recent.length > 0 ? `successful syncs: ${[...new Set(recent)].join(', ')}` : 'no successful sync is recorded';
  const why = revision ? `${to} was synced to ${where} but never successfully` : `${to} was never synced to ${where}`;
  throw new RollbackRefusedError(`${why} (${known}); pass --force to sync it anyway`);
}
