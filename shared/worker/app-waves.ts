// App-level sync waves, carried out (the rule is app-of-apps/wave-policy.ts): a parent's sync
// stores a wave plan of the children it made new or changed and starts the lowest wave; each
// child's sync, when it ends, enqueues an `app-waves` job in the parent's FIFO group, which
// reads the children's states, starts the next wave once every child of this one is Synced and
// Healthy at its commit, or halts and says on the parent which child stopped it. Event-driven:
// nothing polls and no invocation waits for a child.
import { planChildren, waveChildren } from '../app-of-apps/wave-plan.ts';
import { decideWave, type WaveDecision } from '../app-of-apps/wave-policy.ts';
import { parentOf, waveOf, type RegistryApp } from '../app-of-apps/types.ts';
import { revisionRepoURL } from '../config/app-sources.ts';
import type { AppSpec } from '../config/types.ts';
import { targetId, type AppWavesJob, type SyncJob } from '../queue/job.ts';
import type { TargetRef, TargetState, WavePlan, WavePlanChild } from '../state/types.ts';
import type { ChildStart } from './adopt-children.ts';
import type { WorkerDependencies } from './dependencies.ts';
import type { SyncRun } from './finish.ts';
import { postStatus } from './report.ts';
import { recordUnresolved, startChildren } from './start-waves.ts';

export type WavesOutcome = 'waves' | 'skipped';

/**
 * After the parent's sync stored its children: plans `starts` (with what an earlier rollout of
 * this parent left unfinished) and starts the first wave. `children` are all its children now.
 */
export async function planWaves(job: SyncJob, parent: AppSpec, starts: ChildStart[], children: RegistryApp[], deps: WorkerDependencies): Promise<void> {
  const ref: TargetRef = { app: parent.name, cluster: job.cluster };
  const previous = await deps.store.getWavePlan(ref);
  const changed = starts.flatMap(({ app, commit }) =>
    app.destinations.map((destination): WavePlanChild => ({
      app: app.name,
      cluster: destination.cluster,
      namespace: destination.namespace,
      wave: waveOf(app),
      ref: app.source.targetRevision,
      ...('sha' in commit ? { revision: commit.sha } : { problem: commit.problem }),
    })),
  );
  // Nothing new to roll out: an earlier plan, if any, goes on as it was.
  if (changed.length === 0) return;
  const states = await childStates(previous?.children ?? [], deps);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const plan: WavePlan = {
    ...ref,
    revision: job.revision,
    repoURL: revisionRepoURL(parent, deps.configRepo?.repoURL),
    ...(parentOf(parent) !== undefined ? { parentOf: parentOf(parent) } : {}),
    children: planChildren(changed, previous, job.revision, new Set(children.map((child) => child.name)), states),
    status: 'running',
    createdAt: now,
    updatedAt: now,
  };
  // A child that cannot sync says why on its own target at once; the policy halts its wave.
  await recordUnresolved(parent.name, plan.children, deps);
  await deps.store.putWavePlan(plan);
  deps.logger.info('app-level wave plan stored', {
    app: parent.name,
    cluster: job.cluster,
    revision: job.revision,
    children: plan.children.map((child) => `${targetId(child.app, child.cluster)}:${child.wave}`),
  });
  await advance(plan, job.deliveryId, deps);
}

/** The `app-waves` job: a child finished; the plan moves on if it may. */
export async function advanceWaves(job: AppWavesJob, deps: WorkerDependencies): Promise<WavesOutcome> {
  const plan = await deps.store.getWavePlan({ app: job.app, cluster: job.cluster });
  if (!plan || plan.revision !== job.revision) {
    deps.logger.info('wave step for a plan that was replaced; dropped', { app: job.app, cluster: job.cluster, revision: job.revision, child: job.child });
    return 'skipped';
  }
  await advance(plan, job.deliveryId, deps);
  return 'waves';
}

/**
 * A child's sync ended (synced, failed, refused or given up): if a wave plan of its parent
 * waits on it at this commit, that plan's next step is enqueued in the parent's FIFO group.
 */
export async function notifyParent(deps: WorkerDependencies, run: SyncRun): Promise<void> {
  const parent = run.target.parent;
  if (parent === undefined) return;
  const registry = (await deps.store.getRegistry())?.registry;
  const parentApp = registry?.apps.find((app) => app.name === parent);
  const child = { app: run.target.app, cluster: run.target.cluster };
  for (const destination of parentApp?.destinations ?? []) {
    const plan = await deps.store.getWavePlan({ app: parent, cluster: destination.cluster });
    if (!plan || plan.status === 'done') continue;
    if (!plan.children.some((planned) => planned.app === child.app && planned.cluster === child.cluster && planned.revision === run.job.revision)) continue;
    const step: AppWavesJob = {
      kind: 'app-waves',
      app: parent,
      cluster: destination.cluster,
      revision: plan.revision,
      child: targetId(child.app, child.cluster),
      deliveryId: run.job.deliveryId,
      enqueuedAt: new Date().toISOString(),
    };
    await deps.queue.enqueue([step]);
  }
}

/** One step: the policy over the children's states, carried out and recorded on the plan and the parent. */
async function advance(plan: WavePlan, deliveryId: string | undefined, deps: WorkerDependencies): Promise<void> {
  const states = await childStates(plan.children, deps);
  const decision = decideWave(waveChildren(plan, states));
  if (decision.kind === 'go' && decision.start.length > 0) {
    const start = plan.children.filter((child) => decision.start.some((chosen) => chosen.app === child.app && chosen.cluster === child.cluster));
    await startChildren(plan.app, start, deliveryId, deps);
  }
  const next: WavePlan = {
    ...plan,
    status: decision.kind === 'go' ? 'running' : decision.kind,
    ...(decision.kind === 'done' ? {} : { wave: decision.wave }),
    ...(decision.kind === 'halted' ? { reason: decision.reason } : {}),
    updatedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  if (decision.kind !== 'halted') delete next.reason;
  if (decision.kind === 'done') delete next.wave;
  await deps.store.putWavePlan(next);
  await reportOnParent(plan, decision, deps);
  deps.logger.info('app-level waves', {
    app: plan.app,
    cluster: plan.cluster,
    revision: plan.revision,
    decision: decision.kind,
    wave: next.wave,
    reason: next.reason,
  });
}

/** The parent's commit status follows its children's rollout; a halt is written on its target too. */
async function reportOnParent(plan: WavePlan, decision: WaveDecision, deps: WorkerDependencies): Promise<void> {
  const ref = { app: plan.app, cluster: plan.cluster };
  const current = await deps.store.getTarget(plan.app, plan.cluster);
  // A newer commit of the parent is applied or under way: its own statuses speak for it.
  if (current?.revision !== plan.revision) return;
  const report = { ...ref, repoURL: plan.repoURL, revision: plan.revision, parent: plan.parentOf };
  const waves = [...new Set(plan.children.map((child) => child.wave))].sort((a, b) => a - b);
  const count = `${plan.children.length} child${plan.children.length === 1 ? '' : 'ren'}`;
  switch (decision.kind) {
    case 'done':
      await postStatus(deps, report, 'success', `Synced; ${count} Synced and Healthy (${describeWaves(waves)})`, current);
      return;
    case 'halted':
      await deps.store.putTargetState({ ...ref, message: decision.reason });
      await postStatus(deps, report, 'failure', decision.reason, current);
      return;
    case 'go': {
      const position = `wave ${decision.wave} (${waves.indexOf(decision.wave) + 1} of ${waves.length})`;
      const syncing = [...decision.start, ...decision.waitingFor].map((child) => child.app);
      await postStatus(deps, report, 'pending', `Synced; children ${position}: waiting for ${[...new Set(syncing)].join(', ')}`, current);
    }
  }
}

function describeWaves(waves: number[]): string {
  return waves.length === 1 ? `wave ${waves[0]}` : `waves ${waves.join(', ')}`;
}

async function childStates(children: WavePlanChild[], deps: WorkerDependencies): Promise<Map<string, TargetState>> {
  const states = new Map<string, TargetState>();
  await Promise.all(
    children.map(async (child) => {
      const state = await deps.store.getTarget(child.app, child.cluster);
      if (state) states.set(targetId(child.app, child.cluster), state);
    }),
  );
  return states;
}
