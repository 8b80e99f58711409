// A push held back by a sync window keeps its commit time: the wait recorded on the target
// carries it, and the job the drift-scan planner sends once the window opens carries it again,
// so the lead time of that deployment includes the wait (DORA's lead time runs from commit to
// production, whatever held it). The window is Argo CD's documented `10 1 * * *` for 1h.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectOf } from '../../shared/config/normalise-project.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { openedWindowWaits } from '../../shared/drift/window-waits.ts';
import type { SyncJob } from '../../shared/queue/job.ts';
import { statusPoster } from '../../shared/runtime/environment.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { holdForSyncWindow } from '../../shared/worker/hold-for-window.ts';
import { startStateTable, type StateTable } from '../state/table.ts';

const REPO = 'https://github.com/acme/gitops.git';
const registry = parseRegistryFiles([
  {
    file: 'driftless/clusters.yaml',
    text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n',
  },
  {
    file: 'driftless/projects.yaml',
    text: `apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata: { name: frozen }\nspec:\n  syncWindows:\n  - { kind: deny, schedule: '10 1 * * *', duration: 1h, applications: ['*'] }\n`,
  },
  {
    file: 'driftless/web.yaml',
    text: `apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: web }\nspec:\n  project: frozen\n  source: { repoURL: ${REPO}, path: apps/web }\n  destination: { name: prod, namespace: web }\n  syncPolicy: { automated: {} }\n`,
  },
]);

let state: StateTable;
beforeAll(async () => {
  state = await startStateTable();
});
afterAll(() => state?.stop());

describe('a push held by a sync window', () => {
  it('keeps its commit time on the wait and on the job sent once the window opens', async () => {
    const store = state.store();
    const app = registry.apps[0];
    const cluster = registry.clusters[0];
    const job: SyncJob = {
      kind: 'sync',
      app: 'web',
      cluster: 'prod',
      revision: 'c'.repeat(40),
      ref: 'main',
      trigger: 'push',
      enqueuedAt: '2026-06-01T01:20:00.000Z',
      committedAt: '2026-06-01T01:15:00.000Z',
    };
    await store.requestSync(job, job.revision);
    const deps = {
      store,
      statuses: statusPoster(undefined),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => new Date('2026-06-01T01:20:00.000Z'),
    } as unknown as WorkerDependencies;

    const gate = await holdForSyncWindow(
      job,
      { app, cluster, namespace: 'web', project: projectOf(registry, app.project), repoURL: REPO },
      await store.getTarget('web', 'prod'),
      deps,
    );
    expect(gate).toEqual({ action: 'held' });
    const waiting = await store.getTarget('web', 'prod');
    expect(waiting?.windowWait).toMatchObject({ revision: job.revision, committedAt: '2026-06-01T01:15:00.000Z' });

    // 02:30: the window (01:10 to 02:10) is over.
    const [resent] = openedWindowWaits(registry, [waiting!], new Date('2026-06-01T02:30:00.000Z'));
    expect(resent).toMatchObject({ revision: job.revision, trigger: 'push', committedAt: '2026-06-01T01:15:00.000Z' });
  });
});
