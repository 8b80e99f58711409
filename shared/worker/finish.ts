// The one ending of a sync attempt: record the result on the target (and its history), post
// the commit status, emit the events, each as the final-report policy says.
//
// The record carries the final status as posted (lastPostedStatus) and releases the lease,
// before the status is posted. A crash between the two loses nothing for good: the message is
// not deleted, so it is delivered again; its job claims the target again (its revision is still
// the requested one), syncs (every object unchanged) and finishes again, and finish always
// posts, never asking lastPostedStatus whether it did. The marker only makes later jobs skip a
// status equal to it, and the superseded rule (policy/superseded.ts) ask whether a pending one
// is left; a final one recorded but not posted leaves the commit's earlier pending status,
// which the next job's final status for that commit replaces. Posting first and recording
// after would instead let a crash in between post a status the target does not know of.
import { isDeepStrictEqual } from 'node:util';
import type { DoraState } from '../dora/events.ts';
import { foldDora } from '../dora/events.ts';
import { reportSignals } from '../dora/report-sync.ts';
import { signalsAfter } from '../dora/signals.ts';
import type { PostedStatus, SourceRevision, SyncRecord, TargetRef } from '../state/types.ts';
import type { SyncJob } from '../queue/job.ts';
import { notifyParent } from './app-waves.ts';
import { notifyRollout } from './rollout-job.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { finalReport, type FinalReport, type RecordedResult, type SyncEnding } from './policy/final-report.ts';
import { emit, endingDetails, postedOf, sendStatus, statusFor, type TargetReport } from './report.ts';
import { notifySyncEnded, type RunNotifications } from '../notifications/announce.ts';

/** One sync attempt: the request it works for (seq from the claim) and where it records. */
export interface SyncRun {
  job: SyncJob;
  target: TargetReport;
  seq: number;
  /** The run holds the target's lease (its claim took it; its record gives it back). */
  leased: boolean;
  /** The DORA state the target's history left when the run claimed it (none kept: undefined). */
  dora?: DoraState;
  startedAt: string;
  namespace: string;
  /** The namespace already on the target, so an unchanged one is not written again. */
  knownNamespace?: string;
  /** What each source was fetched at, once they are (recorded with the result, shown in history). */
  sources?: SourceRevision[];
  /** The cluster's `env` label, a dimension the DORA metrics may be asked to carry. */
  environment?: string;
  /** Who is subscribed to the app's notifications, and what was notified so far; absent: nobody. */
  notifications?: RunNotifications;
}

/** Returns what it recorded, posted and emitted. */
export async function finish(deps: WorkerDependencies, run: SyncRun, ending: SyncEnding): Promise<FinalReport> {
  const report = finalReport(run.job, ending);
  const status = statusFor(run.target, report.status.state, report.status.description, endingDetails(run.job, ending));
  await recordResult(deps, run, report.record, postedOf(status));
  await sendStatus(deps, status);
  for (const event of report.events) await emit(deps, event.detailType, event.detail);
  const ended = report.events.find((event) => event.detailType === 'Sync Succeeded' || event.detailType === 'Sync Failed');
  if (ended && run.notifications) await notifySyncEnded(deps, run.target, run.notifications, ended.detail, report.record.message);
  // A child of an app of apps that is done with this commit (well or not) lets its parent's waves move on.
  if (ending.kind !== 'retrying') await notifyParent(deps, run);
  // A sync a RollingSync rollout started lets the rollout's step move on.
  if (ending.kind !== 'retrying') await notifyRollout(deps, run.job);
  return report;
}

async function recordResult(deps: WorkerDependencies, run: SyncRun, result: RecordedResult, posted: PostedStatus): Promise<void> {
  const ref: TargetRef = { app: run.target.app, cluster: run.target.cluster };
  const finishedAt = (deps.now?.() ?? new Date()).toISOString();
  const record: SyncRecord = {
    ...ref,
    ...result,
    seq: run.seq,
    revision: run.job.revision,
    startedAt: run.startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(run.startedAt),
    reason: run.job.trigger,
    sources: run.sources,
    committedAt: run.job.committedAt,
  };
  // A namespace new to the target (its first sync) goes with the result, in the same write.
  const newNamespace = run.knownNamespace !== run.namespace ? run.namespace : undefined;
  // The DORA state with this entry read, from the state the claim saw: kept in the record's write.
  const claimed = run.dora ?? {};
  const recorded = await deps.store.recordSync(record, {
    namespace: newNamespace,
    owner: run.leased ? deps.owner : undefined,
    postedStatus: posted,
    dora: signalsAfter(claimed, record).state,
  });
  run.leased = false;
  // The state the record found is the one this result follows: another record came in between
  // (a worker that outlived its lease), or none was kept (history read once instead).
  const before = recorded.earlier ? foldDora(recorded.earlier) : (recorded.doraBefore ?? {});
  if (!isDeepStrictEqual(before, claimed)) {
    await deps.store.putDoraState(ref, signalsAfter(before, record).state, recorded.historySeq).catch((error: unknown) => {
      deps.logger.warn('DORA state not kept', { ...ref, error: (error as Error).message });
    });
  }
  reportSignals(deps, before, record, run.environment);
  // A newer request's result is there: the namespace is still this target's.
  if (newNamespace !== undefined && !recorded.written) await deps.store.putTargetState({ ...ref, namespace: newNamespace });
}
