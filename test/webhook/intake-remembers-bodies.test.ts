// The intake acts on a delivery once: by its X-GitHub-Delivery (GitHub's redelivery) and by
// its body (the same signed body under a new id: a replay). A delivery whose jobs did not all
// reach the queue is forgotten under both, so GitHub's redelivery is handled.
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import type { Job } from '../../shared/queue/job.ts';
import { handleDelivery, replayKey, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';

const SECRET = 'intake-secret';
const REPO = 'https://github.com/acme/gitops.git';
const registry: Registry = {
  apps: [
    {
      name: 'web',
      project: 'default',
      source: { repoURL: REPO, targetRevision: 'main', path: 'apps/web' },
      destinations: [{ cluster: 'dev', namespace: 'web' }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      definedIn: { file: 'driftless/web.yaml', line: 1 },
    },
  ],
  clusters: [],
  projects: [],
};

function dependencies(options: { failEnqueue?: boolean } = {}) {
  const seen = new Set<string>();
  const enqueued: Job[] = [];
  const forgotten: string[] = [];
  const deps: WebhookDependencies = {
    verifier: new SignatureVerifier(SECRET),
    registry: async () => registry,
    rememberDelivery: async (id) => !seen.has(id) && Boolean(seen.add(id)),
    forgetDelivery: async (id) => {
      seen.delete(id);
      forgotten.push(id);
    },
    requestSync: async () => 1,
    enqueue: async (jobs) => {
      if (options.failEnqueue) throw new Error('queue unavailable');
      enqueued.push(...jobs);
    },
  };
  return { deps, enqueued, forgotten, seen };
}

function delivery(body: string, id: string = randomUUID()) {
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  };
}

const body = JSON.stringify({
  ref: 'refs/heads/main',
  after: 'a'.repeat(40),
  commits: [{ added: [], removed: [], modified: ['apps/web/x.yaml'] }],
  head_commit: {},
  repository: { clone_url: REPO, default_branch: 'main' },
});

describe('the intake', () => {
  it('queues a body once, whatever delivery id it comes under', async () => {
    const { deps, enqueued } = dependencies();
    expect((await handleDelivery(delivery(body), deps)).statusCode).toBe(202);
    const replay = await handleDelivery(delivery(body), deps);
    expect(replay).toEqual({
      statusCode: 200,
      body: { message: expect.stringMatching(/repeats the body of a delivery already handled: not queued again \(a replay\)$/) },
    });
    expect(enqueued).toHaveLength(1);
  });

  it('forgets the id and the body when the jobs did not reach the queue, so the redelivery is handled', async () => {
    const failing = dependencies({ failEnqueue: true });
    const id = randomUUID();
    await expect(handleDelivery(delivery(body, id), failing.deps)).rejects.toThrow(/queue unavailable/);
    expect(failing.forgotten.sort()).toEqual([id, replayKey(body)].sort());
    expect(failing.seen.size).toBe(0);
  });

  it('refuses a delivery id GitHub would never send', async () => {
    const { deps, enqueued } = dependencies();
    for (const id of [`${replayKey(body)}`, 'x y', 'a'.repeat(101), 'id\n']) {
      const response = await handleDelivery(delivery(body, id), deps);
      expect(response).toEqual({ statusCode: 400, body: { message: 'X-GitHub-Delivery header is not a GitHub delivery id (letters, digits and dashes)' } });
    }
    expect(enqueued).toEqual([]);
  });
});
