// A rollout that outlasts one worker invocation is not cut off: the worker records where it
// is, continues from a new message, and the sync ends Synced without applying twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

it('records progress, continues in a new message and finishes Synced', async () => {
  const app = webApp('blue');
  // The simulated controller starts this rollout and never finishes it by itself.
  app['apps/web/deploy.yaml'] = app['apps/web/deploy.yaml'].replace(
    'metadata: { name: web }',
    'metadata: { name: web, annotations: { sandbox.driftless.io/never-ready: "true" } }',
  );
  const sha = await pipeline.repo.commit({ ...webRegistry(), ...app });
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys({ ...webRegistry(), ...app }) })).statusCode).toBe(202);

  await pipeline.workOnce(); // the registry job, which enqueues web@sandbox
  // An invocation with 8 s left: the sync applies everything, then runs out of time waiting
  // (long enough that a loaded machine still renders and applies inside it).
  await pipeline.workOnce(1, 8_000);
  const waiting = await pipeline.store.getTarget('web', 'sandbox');
  expect(waiting?.syncStatus).toBe('Syncing');
  expect(waiting?.message).toMatch(/waiting for health: .*Deployment\/shop\/web/);
  expect(pipeline.github.statuses.filter((status) => status.sha === sha && status.context === 'driftless/web@sandbox').map((status) => status.state)).toEqual([
    'pending',
  ]);

  // The rollout finishes (the controller writes its status), then the continuation runs.
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  const live = await client.get<{ metadata: { generation: number } }>('/apis/apps/v1/namespaces/shop/deployments/web');
  await client.request({
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/shop/deployments/web/status',
    contentType: 'application/merge-patch+json',
    body: {
      status: {
        observedGeneration: live.metadata.generation,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    },
  });
  client.close();
  pipeline.sandbox.requests.clear();
  const continued = await pipeline.workOnce();
  // The continuation keeps the trigger of the sync it continues (the registry refresh's `config`) and counts itself.
  expect(JSON.parse(continued?.event.Records[0].body ?? '{}')).toMatchObject({ kind: 'sync', trigger: 'config', continuation: 1, revision: sha });

  const done = await pipeline.store.getTarget('web', 'sandbox');
  expect(done).toMatchObject({ syncStatus: 'Synced', health: 'Healthy', revision: sha });
  // Nothing was applied again: the continuation only waited for health.
  expect(pipeline.sandbox.requests.entries().filter((entry) => entry.method === 'PATCH' && entry.resource !== 'configmaps')).toEqual([]);
  expect(pipeline.github.statuses.filter((status) => status.sha === sha && status.context === 'driftless/web@sandbox').map((status) => status.state)).toEqual([
    'pending',
    'success',
  ]);
  expect((await pipeline.store.listHistory('web', 'sandbox', 10)).map((entry) => entry.status)).toEqual(['Synced']);
});
