// CancelHealthCheckOnNewRevision at the sync's level: a health wait asked to stop (a newer
// revision was requested) stops within one check interval, and the sync stops there as Flux's
// kustomize-controller does with the feature on: no later wave, no PostSync hook, no prune, and
// the change set says it was cancelled. Without a reason the wait is what it always was, and
// nothing is asked when nothing waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCEL_CHECK_MS } from '../../shared/kube/wait.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found, hookJob, WEB_DEPLOYMENT } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, wave?: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${wave === undefined ? '' : `  annotations: { argocd.argoproj.io/sync-wave: "${wave}" }\n`}data: { k: v }\n`;

/** A Deployment the sandbox's controller never makes ready. */
const stuckDeployment = (name: string) =>
  WEB_DEPLOYMENT.replace('metadata: { name: web }', `metadata: { name: ${name}, annotations: { sandbox.driftless.io/never-ready: "true" } }`).replaceAll(
    'app: web',
    `app: ${name}`,
  );

/** Counts the questions and answers `reason` from the `from`-th on (1-based); never, when `from` is undefined. */
function asker(reason: string, from?: number): { cancelled: () => Promise<string | undefined>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    cancelled: async () => {
      calls.push(Date.now());
      return from !== undefined && calls.length >= from ? reason : undefined;
    },
  };
}

const exists = (path: string) => found(cluster, path);

describe('a health wait cancelled by a newer revision', () => {
  it('stops within a check interval, and nothing later is applied, run or pruned', async () => {
    const first = await syncApp(cluster, 'cancel-a', await writeApp({ 'old.yaml': configMap('cancel-a-old') }));
    expect(first.status).toBe('Succeeded');
    cluster.sandbox.requests.clear();
    const reason = 'health check cancelled: aaaaaaa superseded by bbbbbbb';
    const ask = asker(reason, 1);
    const started = Date.now();
    const result = await syncApp(
      cluster,
      'cancel-a',
      await writeApp({
        'stuck.yaml': stuckDeployment('cancel-a-stuck'),
        'later.yaml': configMap('cancel-a-later', 1),
        'post.yaml': hookJob('cancel-a-post', { 'argocd.argoproj.io/hook': 'PostSync' }),
      }),
      first.inventory,
      { prune: true, timeoutMs: 60_000, cancelled: ask.cancelled },
    );
    const elapsed = Date.now() - started;

    expect(result.cancelled).toBe(reason);
    expect(result.status).toBe('Failed');
    expect(result.message).toBe(reason);
    // Asked once, one interval after the wait began; answered at once (well before the 60 s timeout).
    expect(ask.calls).toHaveLength(1);
    expect(ask.calls[0] - started).toBeGreaterThanOrEqual(CANCEL_CHECK_MS);
    expect(elapsed).toBeLessThan(30_000);
    const stuck = result.objects.find((change) => change.name === 'cancel-a-stuck');
    expect(stuck).toMatchObject({ action: 'created', health: 'Progressing' });
    expect(stuck?.message).toMatch(/^health check cancelled: Progressing/);
    // Nothing after the cancelled wait: not the next wave, not the PostSync hook, no prune.
    expect(result.objects.map((change) => change.name)).toEqual(['cancel-a-stuck']);
    expect(await exists('/api/v1/namespaces/default/configmaps/cancel-a-later')).toBe(false);
    expect(await exists('/apis/batch/v1/namespaces/default/jobs/cancel-a-post')).toBe(false);
    expect(await exists('/api/v1/namespaces/default/configmaps/cancel-a-old')).toBe(true);
    expect(writesIn(cluster).filter((write) => write.method === 'DELETE')).toEqual([]);
    // What was applied and what was not pruned stay in the inventory, for the newer revision's sync to prune against.
    expect(result.inventory?.entries.map((entry) => entry.name).sort()).toEqual(['cancel-a-later', 'cancel-a-old', 'cancel-a-stuck']);
  });

  it("stops a hook's wait too: the running hook Job is left as it is, and no later wave, PostSync hook or prune runs", async () => {
    const reason = 'health check cancelled: ccccccc superseded by ddddddd';
    const ask = asker(reason, 1);
    const started = Date.now();
    const result = await syncApp(
      cluster,
      'cancel-h',
      await writeApp({
        'migrate.yaml': hookJob('cancel-h-migrate', {
          'argocd.argoproj.io/hook': 'Sync',
          'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed',
          'sandbox.driftless.io/never-ready': 'true',
        }),
        'later.yaml': configMap('cancel-h-later', 1),
        'post.yaml': hookJob('cancel-h-post', { 'argocd.argoproj.io/hook': 'PostSync' }),
      }),
      undefined,
      { timeoutMs: 60_000, cancelled: ask.cancelled },
    );
    expect(result.cancelled).toBe(reason);
    expect(result.status).toBe('Failed');
    expect(Date.now() - started).toBeLessThan(30_000);
    const migrate = result.objects.find((change) => change.name === 'cancel-h-migrate');
    expect(migrate?.message).toMatch(/^health check cancelled: hook .*cancel-h-migrate left running/);
    // Neither delete policy applies to a hook that has not finished: it is still there.
    expect(await exists('/apis/batch/v1/namespaces/default/jobs/cancel-h-migrate')).toBe(true);
    expect(await exists('/api/v1/namespaces/default/configmaps/cancel-h-later')).toBe(false);
    expect(await exists('/apis/batch/v1/namespaces/default/jobs/cancel-h-post')).toBe(false);
  });

  it('runs to the timeout as before when no newer revision is requested, asking once per interval', async () => {
    const ask = asker('never said');
    const timeoutMs = 2 * CANCEL_CHECK_MS + 1_000;
    const result = await syncApp(
      cluster,
      'cancel-b',
      await writeApp({ 'stuck.yaml': stuckDeployment('cancel-b-stuck'), 'later.yaml': configMap('cancel-b-later', 1) }),
      undefined,
      { timeoutMs, cancelled: ask.cancelled },
    );
    expect(result.cancelled).toBeUndefined();
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/Deployment\/default\/cancel-b-stuck: not healthy before the sync timed out: Progressing/);
    expect(result.objects.map((change) => change.name)).not.toContain('cancel-b-later');
    // At most one question per interval of the wait (the wait is shorter than the timeout).
    expect(ask.calls.length).toBeGreaterThanOrEqual(1);
    expect(ask.calls.length).toBeLessThanOrEqual(Math.floor(timeoutMs / CANCEL_CHECK_MS));
    for (let index = 1; index < ask.calls.length; index++) expect(ask.calls[index] - ask.calls[index - 1]).toBeGreaterThanOrEqual(CANCEL_CHECK_MS);
  });

  it('asks nothing when nothing is waited for', async () => {
    const ask = asker('never asked', 1);
    const result = await syncApp(
      cluster,
      'cancel-c',
      await writeApp({ 'config.yaml': configMap('cancel-c-config'), 'account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: cancel-c }\n' }),
      undefined,
      { cancelled: ask.cancelled },
    );
    expect(result.status).toBe('Succeeded');
    expect(result.cancelled).toBeUndefined();
    expect(ask.calls).toEqual([]);
  });

  it('asks nothing when the workloads are healthy before the first interval is over', async () => {
    const ask = asker('never asked', 1);
    // The sandbox makes this Deployment ready after 50 ms.
    const result = await syncApp(cluster, 'cancel-d', await writeApp({ 'web.yaml': WEB_DEPLOYMENT, 'later.yaml': configMap('cancel-d-later', 1) }), undefined, {
      cancelled: ask.cancelled,
    });
    expect(result.status).toBe('Succeeded');
    expect(result.health).toBe('Healthy');
    expect(ask.calls).toEqual([]);
  });
});
