// The one ending of a sync attempt: record the result on the target (and its history), post
// the commit status, emit the events, each as the final-report policy says.
import { reportSignals } from '../dora/report-sync.ts';
import type { SourceRevision, SyncRecord, TargetRef } from '../state/types.ts';
import type { SyncJob } from '../queue/job.ts';
import { notifyParent } from './app-waves.ts';
import { notifyRollout } from './rollout-job.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { finalReport, type FinalReport, type RecordedResult, type SyncEnding } from './policy/final-report.ts';
import { emit, endingDetails, postStatus, type TargetReport } from './report.ts';
import { notifySyncEnded, type RunNotifications } from '../notifications/announce.ts';

/** One sync attempt: the request it works for (seq from beginSync) and where it records. */
export interface SyncRun {
  job: SyncJob;
  target: TargetReport;
  seq: number;
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
  await recordResult(deps, run, report.record);
  await postStatus(deps, run.target, report.status.state, report.status.description, undefined, endingDetails(run.job, ending));
  for (const event of report.events) await emit(deps, event.detailType, event.detail);
  const ended = report.events.find((event) => event.detailType === 'Sync Succeeded' || event.detailType === 'Sync Failed');
  if (ended && run.notifications) await notifySyncEnded(deps, run.target, run.notifications, ended.detail, report.record.message);
  // A child of an app of apps that is done with this commit (well or not) lets its parent's waves move on.
  if (ending.kind !== 'retrying') await notifyParent(deps, run);
  // A sync a RollingSync rollout started lets the rollout's step move on.
  if (ending.kind !== 'retrying') await notifyRollout(deps, run.job);
  return report;
}

async function recordResult(deps: WorkerDependencies, run: SyncRun, result: RecordedResult): Promise<void> {
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
  // The history as it was before this result (read with the trim): the DORA signals are what this result adds to it.
  // A namespace new to the target (its first sync) goes with the result, in the same write.
  const newNamespace = run.knownNamespace !== run.namespace ? run.namespace : undefined;
  const { written, earlier } = await deps.store.recordSync(record, { namespace: newNamespace });
  reportSignals(deps, earlier, record, run.environment);
  // A newer request's result is there: the namespace is still this target's.
  if (newNamespace !== undefined && !written) await deps.store.putTargetState({ ...ref, namespace: newNamespace });
}
