// Syncs that waited for a sync window, sent again by the schedule once the window is open.
//
// Why the schedule and not a chain of delayed SQS messages: the wait is recorded on the target
// (`windowWait`, written before the held message is deleted), so no message has to survive
// for hours or days of a closed window, and the planner already reads every target on every
// run, so looking at the waits costs nothing more, and nothing at all while nobody pushes. A
// chain would keep a message in flight for the whole of a long deny window, each hop a
// chance to lose the push to a failed send; and the queue is FIFO, where SQS allows no
// per-message delay. The price is latency: a sync starts at the first run after the window
// opens (within one schedule period), so an allow window shorter than the period can pass
// between two runs; the wait then stays recorded for the next opening.
//
// The wait is cleared by the worker when a job for its revision gets past the window (or
// stands down for a newer commit), never here: a job sent but not yet run keeps its wait, so
// the next run sends it again rather than losing it (the second one finds nothing to change).
import { projectOf } from '../config/normalise-project.ts';
import type { Registry } from '../config/types.ts';
import type { SyncJob } from '../queue/job.ts';
import type { TargetState } from '../state/types.ts';
import { decideSyncWindow } from '../worker/policy/sync-window.ts';
import { isHeld } from './heads.ts';

/** The jobs to send for targets whose recorded wait is over at `now`: the held job, with its trigger. */
export function openedWindowWaits(registry: Registry, targets: readonly TargetState[], now: Date): SyncJob[] {
  const jobs: SyncJob[] = [];
  for (const target of targets) {
    const wait = target.windowWait;
    // A held target takes no automated sync; its wait stays until it is resumed.
    if (!wait || isHeld(target)) continue;
    const app = registry.apps.find((candidate) => candidate.name === target.app);
    const destination = app?.destinations.find((candidate) => candidate.cluster === target.cluster);
    const cluster = registry.clusters.find((candidate) => candidate.name === target.cluster);
    // Left the registry: a job would be dropped by the worker anyway.
    if (!app || !destination || !cluster) continue;
    const windows = projectOf(registry, app.project)?.syncWindows ?? [];
    const decision = decideSyncWindow(
      windows,
      { app: app.name, namespace: destination.namespace, cluster: { name: cluster.name, server: cluster.server } },
      wait.trigger,
      now,
    );
    if (decision.action !== 'sync') continue;
    const at = now.toISOString();
    const job: SyncJob = {
      kind: 'sync',
      app: target.app,
      cluster: target.cluster,
      revision: wait.revision,
      trigger: wait.trigger,
      enqueuedAt: at,
      windowOpenedAt: at,
    };
    if (wait.ref !== undefined) job.ref = wait.ref;
    if (wait.deliveryId !== undefined) job.deliveryId = wait.deliveryId;
    if (wait.committedAt !== undefined) job.committedAt = wait.committedAt;
    // A sync its set's rollout started tells the rollout when it ends, held or not.
    if (target.rollout && target.rollout.revision === wait.revision) job.rollout = { set: target.rollout.set, id: target.rollout.id };
    jobs.push(job);
  }
  return jobs;
}
