// Lead time starts at the commit: the intake carries the push's head commit time (GitHub's
// `head_commit.timestamp`, ISO 8601 with the committer's offset) onto each sync job, in UTC.
// The payload is GitHub's own push example (@octokit/webhooks-examples), signed as GitHub signs.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { jobSchema, type Job } from '../../shared/queue/job.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';
import { signedDelivery } from '../support/signed-delivery.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const SECRET = 'dora-intake-secret';

/** GitHub's example of a branch push (refs/heads/master of Codertocat/Hello-World, adding README.md). */
function branchPush(): Record<string, unknown> & { head_commit: { timestamp: string } | null } {
  const push = examples.find((example) => example.name === 'push')!.examples.find((example) => String(example.ref).startsWith('refs/heads/'));
  return structuredClone(push) as Record<string, unknown> & { head_commit: { timestamp: string } | null };
}

const registry: Registry = {
  apps: ['dev', 'prod'].map((cluster) => ({
    name: `hello-${cluster}`,
    project: 'default',
    source: { repoURL: 'https://github.com/Codertocat/Hello-World.git', targetRevision: 'master', path: '.' },
    destinations: [{ cluster, namespace: 'hello' }],
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/hello.yaml', line: 1 },
  })),
  clusters: [],
  projects: [],
};

async function jobsOf(payload: unknown): Promise<Job[]> {
  const body = JSON.stringify(payload);
  const enqueued: Job[] = [];
  const deps: WebhookDependencies = {
    verifier: new SignatureVerifier(SECRET),
    registry: async () => registry,
    rememberDelivery: async () => true,
    forgetDelivery: async () => undefined,
    requestSync: async () => 1,
    enqueue: async (jobs) => void enqueued.push(...jobs),
  };
  const response = await handleDelivery(signedDelivery(body, SECRET), deps);
  expect(response.statusCode).toBe(202);
  return enqueued;
}

describe('a push carries its head commit time to its sync jobs', () => {
  it('puts the head commit timestamp of GitHub’s push payload on every sync job it makes', async () => {
    const jobs = await jobsOf(branchPush());
    // The example's head commit (6113728f…) has timestamp 2019-05-15T15:19:25Z.
    expect(jobs.map((job) => job.kind === 'sync' && [job.app, job.revision, job.committedAt])).toEqual([
      ['hello-dev', '6113728f27ae82c7b1a177c8d03f9e96e0adf246', '2019-05-15T15:19:25.000Z'],
      ['hello-prod', '6113728f27ae82c7b1a177c8d03f9e96e0adf246', '2019-05-15T15:19:25.000Z'],
    ]);
    // What goes on the queue parses back with it.
    expect(jobSchema.parse(JSON.parse(JSON.stringify(jobs[0])))).toMatchObject({ committedAt: '2019-05-15T15:19:25.000Z' });
  });

  it('turns a committer’s offset into UTC', async () => {
    const push = branchPush();
    push.head_commit = { ...push.head_commit!, timestamp: '2019-05-15T10:19:25-05:00' };
    const [job] = await jobsOf(push);
    expect(job).toMatchObject({ kind: 'sync', committedAt: '2019-05-15T15:19:25.000Z' });
  });

  it('gives no commit time when the push has no head commit, or an unreadable one', async () => {
    const none = branchPush();
    none.head_commit = null;
    const garbled = branchPush();
    garbled.head_commit = { ...garbled.head_commit!, timestamp: 'yesterday' };
    for (const payload of [none, garbled]) {
      const [job] = await jobsOf(payload);
      expect(job.kind).toBe('sync');
      expect(job).not.toHaveProperty('committedAt');
    }
  });

  it('still reads a sync job queued before jobs had a commit time', () => {
    const older = { kind: 'sync', app: 'web', cluster: 'dev', revision: 'a'.repeat(40), trigger: 'push', enqueuedAt: '2026-01-01T00:00:00.000Z' };
    expect(jobSchema.parse(older)).toEqual(older);
  });
});
