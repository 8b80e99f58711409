// From a push to the DORA metrics, through the whole pipeline (real webhook and worker
// handlers, dynalite + fauxqs, the sandbox cluster, a GitHub double serving a real git repo):
// the push's head commit time reaches the history entry, and the worker prints the sync's
// DORA signals as EMF: a deployment, and its lead time from that commit time to the moment the
// sync recorded Synced + Healthy, with the dimensions DORA_METRIC_DIMENSIONS asks for (the
// cluster, and its `env` label).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pushPayload, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const registry = {
  ...webRegistry(),
  'driftless/clusters.yaml':
    'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox, labels: { env: staging } }\nspec:\n  kubeconfig: { context: sandbox }\n',
};

let pipeline: Pipeline;
let first: string;
beforeAll(async () => {
  pipeline = await startPipeline();
  // Read when the worker's first invocation builds its dependencies.
  process.env.DORA_METRIC_DIMENSIONS = 'cluster,env';
  first = await pipeline.repo.commit({ ...registry, ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(registry), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
});
afterAll(async () => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  delete process.env.DORA_METRIC_DIMENSIONS;
  await pipeline?.stop();
});

/** Runs `body` and returns the EMF documents printed meanwhile, as { metric name: value, dimensions }. */
async function emfDuring(body: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) lines.push(...text.split('\n').filter(Boolean));
    else return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    return true;
  });
  try {
    await body();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a push that reaches Synced + Healthy', () => {
  it('records its commit time and emits a deployment with the lead time from it', async () => {
    // The pipeline turns the handlers' metrics off; the DORA ones are single metrics, made when emitted.
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const second = await pipeline.repo.commit(webApp('green'));
    const payload = pushPayload(first, second, { modified: ['apps/web/config.yaml'] }) as { head_commit: { timestamp: string } };
    // As GitHub sends it: the committer's local time with its offset, here 7 minutes ago in UTC−05:00.
    const committed = Date.now() - 7 * 60_000;
    payload.head_commit.timestamp = new Date(committed - 5 * 3600_000).toISOString().replace('Z', '-05:00');

    const emf = await emfDuring(async () => {
      const response = await pipeline.deliver('push', payload);
      expect(response.statusCode).toBe(202);
      await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second);
    });

    const [entry] = await pipeline.store.listHistory('web', 'sandbox', 1);
    expect(entry).toMatchObject({ revision: second, status: 'Synced', health: 'Healthy', reason: 'push', committedAt: new Date(committed).toISOString() });
    const dora = emf.filter((document) => ['Deployment', 'LeadTimeSeconds', 'ChangeFailure', 'TimeToRestoreSeconds'].some((name) => name in document));
    expect(dora.map(({ _aws: _, ...document }) => document)).toEqual([
      { service: 'driftless', cluster: 'sandbox', env: 'staging', Deployment: 1 },
      { service: 'driftless', cluster: 'sandbox', env: 'staging', LeadTimeSeconds: (Date.parse(entry.finishedAt) - committed) / 1000 },
    ]);
  });
});
