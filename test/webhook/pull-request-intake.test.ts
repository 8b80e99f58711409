// pull_request deliveries, with GitHub's own payloads (@octokit/webhooks-examples) signed as
// GitHub signs them: opened, synchronize and reopened each queue one preview job for the head,
// the previews of one pull request in one FIFO group; other actions and untracked branches
// queue nothing, a delivery is acted on once, and a field that would reach the job in a shape
// GitHub never sends is refused naming the field.
import { Webhooks } from '@octokit/webhooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { messageIds } from '../../shared/queue/message-ids.ts';
import { parseJob } from '../../shared/queue/parse.ts';
import type { Job } from '../../shared/queue/job.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';

/** GitHub's example payloads, edited field by field as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const SECRET = 'pull-request-secret';
// The examples' repository and commits (Codertocat/Hello-World, PR #2 from `changes` into `master`).
const REPO = 'https://github.com/Codertocat/Hello-World.git';
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

function registry(targetRevision = 'master'): Registry {
  return {
    apps: [
      {
        name: 'web',
        project: 'default',
        source: { repoURL: REPO, targetRevision, path: 'apps/web' },
        destinations: [{ cluster: 'dev', namespace: 'web' }],
        syncPolicy: { syncOptions: [], createNamespace: false },
        ignoreDifferences: [],
        definedIn: { file: 'driftless/web.yaml', line: 1 },
      },
    ],
    clusters: [{ name: 'dev', labels: {}, kubeconfig: { context: 'dev' }, definedIn: { file: 'driftless/clusters.yaml', line: 1 } }],
    projects: [],
  };
}

function example(action: string): Payload {
  const found = examples.find((entry) => entry.name === 'pull_request')!.examples.find((candidate) => candidate.action === action);
  if (!found) throw new Error(`no pull_request ${action} example`);
  return structuredClone(found);
}

function dependencies(options: { registry?: Registry; gitHubHost?: string } = {}) {
  const seen = new Set<string>();
  const enqueued: Job[] = [];
  const deps: WebhookDependencies = {
    verifier: new SignatureVerifier(SECRET),
    registry: async () => options.registry ?? registry(),
    rememberDelivery: async (id) => !seen.has(id) && Boolean(seen.add(id)),
    forgetDelivery: async (id) => void seen.delete(id),
    requestSync: async () => 1,
    enqueue: async (jobs) => {
      enqueued.push(...jobs);
    },
    ...(options.gitHubHost ? { gitHubHost: options.gitHubHost } : {}),
  };
  return { deps, enqueued };
}

const signer = new Webhooks({ secret: SECRET });

async function delivery(payload: unknown, id: string = randomUUID()) {
  const body = JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': id,
      'x-hub-signature-256': await signer.sign(body),
    },
    body,
  };
}

describe('a pull_request delivery', () => {
  for (const action of ['opened', 'synchronize', 'reopened']) {
    it(`${action}: queues one preview of the head against the base`, async () => {
      const { deps, enqueued } = dependencies();
      const id = randomUUID();
      const response = await handleDelivery(await delivery(example(action), id), deps);
      expect(response).toEqual({ statusCode: 202, body: { message: 'preview of pull request #2 queued', pullRequest: 2, revision: HEAD } });
      expect(enqueued).toHaveLength(1);
      expect(enqueued[0]).toMatchObject({
        kind: 'preview',
        repoURL: REPO,
        pullRequest: 2,
        revision: HEAD,
        base: BASE,
        baseRef: 'master',
        headRef: 'changes',
        deliveryId: id,
      });
      // What the worker reads back from the queue is the same job.
      expect(parseJob(JSON.stringify(enqueued[0]))).toEqual(enqueued[0]);
    });
  }

  it('closed: queues nothing and says why', async () => {
    const { deps, enqueued } = dependencies();
    const response = await handleDelivery(await delivery(example('closed')), deps);
    expect(response.statusCode).toBe(200);
    expect(response.body.message).toMatch(/^ignored: pull_request "closed" changes nothing a preview shows/);
    expect(enqueued).toEqual([]);
  });

  it('queues nothing for a pull request from a fork, or whose fork is gone', async () => {
    for (const change of [(p: Payload) => (p.pull_request.head.repo.id = 1), (p: Payload) => (p.pull_request.head.repo = null)]) {
      const { deps, enqueued } = dependencies();
      const payload = example('opened');
      change(payload);
      expect(await handleDelivery(await delivery(payload), deps)).toEqual({
        statusCode: 200,
        body: { message: 'ignored: pull request #2 comes from a fork: not previewed (its manifests would be rendered and dry-run against the clusters)' },
      });
      expect(enqueued).toEqual([]);
    }
  });

  it('queues a preview of a pull request into the config repository branch, whatever the apps track', async () => {
    const { deps, enqueued } = dependencies({ registry: registry('release') });
    deps.configRepo = { repoURL: 'https://github.com/codertocat/hello-world', branch: 'master', dir: 'driftless' };
    expect((await handleDelivery(await delivery(example('opened')), deps)).statusCode).toBe(202);
    expect(enqueued).toHaveLength(1);
  });

  it('queues nothing for a pull request into a branch no app tracks', async () => {
    const { deps, enqueued } = dependencies({ registry: registry('release') });
    const response = await handleDelivery(await delivery(example('opened')), deps);
    expect(response).toEqual({ statusCode: 200, body: { message: 'nothing to do: no app tracks branch master of this repository' } });
    expect(enqueued).toEqual([]);
  });

  it("reads the base branch's apps from the push index when there is one, not the whole registry", async () => {
    const { deps, enqueued } = dependencies();
    const asked: Array<[string, string]> = [];
    deps.registry = async () => {
      throw new Error('the whole registry was read');
    };
    deps.pushRegistry = async (repoURL, branch) => {
      asked.push([repoURL, branch]);
      return registry();
    };
    expect((await handleDelivery(await delivery(example('opened')), deps)).statusCode).toBe(202);
    expect(asked).toEqual([[REPO, 'master']]);
    expect(enqueued).toHaveLength(1);
  });

  it('acts on a delivery once: a redelivery and a replayed body queue nothing more', async () => {
    const { deps, enqueued } = dependencies();
    const id = randomUUID();
    const payload = example('synchronize');
    expect((await handleDelivery(await delivery(payload, id), deps)).statusCode).toBe(202);
    const redelivery = await handleDelivery(await delivery(payload, id), deps);
    expect(redelivery).toEqual({ statusCode: 200, body: { message: `delivery ${id} was already handled` } });
    const replay = await handleDelivery(await delivery(payload), deps);
    expect(replay.body.message).toMatch(/a replay\)$/);
    expect(enqueued).toHaveLength(1);
  });

  it('gives the previews of one pull request one FIFO group, and each delivery its own deduplication id', async () => {
    const { deps, enqueued } = dependencies();
    const opened = example('opened');
    const reopened = example('reopened');
    await handleDelivery(await delivery(opened), deps);
    await handleDelivery(await delivery(reopened), deps);
    const [first, second] = enqueued.map(messageIds);
    expect(first.groupId).toBe(second.groupId);
    expect(first.deduplicationId).not.toBe(second.deduplicationId);
  });

  it('refuses a signature that does not match, before reading the payload', async () => {
    const { deps, enqueued } = dependencies();
    const request = await delivery(example('opened'));
    const response = await handleDelivery({ ...request, body: request.body.replace(HEAD, BASE) }, deps);
    expect(response.statusCode).toBe(401);
    expect(enqueued).toEqual([]);
  });

  const badFields: Array<[string, (payload: Payload) => void, string]> = [
    [
      'a head that is not a commit sha',
      (p) => (p.pull_request.head.sha = 'main'),
      'pull_request payload "pull_request.head.sha" is not a commit sha (40 hex digits)',
    ],
    [
      'a short base sha',
      (p) => (p.pull_request.base.sha = BASE.slice(0, 7)),
      'pull_request payload "pull_request.base.sha" is not a commit sha (40 hex digits)',
    ],
    [
      'an upper-case sha',
      (p) => (p.pull_request.head.sha = HEAD.toUpperCase()),
      'pull_request payload "pull_request.head.sha" is not a commit sha (40 hex digits)',
    ],
    ['a number that is a string', (p) => (p.number = '2'), 'pull_request payload "number" is not a positive integer'],
    ['a negative number', (p) => (p.number = -2), 'pull_request payload "number" is not a positive integer'],
    ['a fractional number', (p) => (p.number = 2.5), 'pull_request payload "number" is not a positive integer'],
    ['a base branch with a space', (p) => (p.pull_request.base.ref = 'master branch'), 'pull_request payload "pull_request.base.ref" is not a branch name'],
    ['no base repository', (p) => delete p.pull_request.base.repo, 'pull_request payload has no "pull_request.base.repo.clone_url"'],
  ];
  for (const [what, change, message] of badFields) {
    it(`refuses ${what}, naming the field`, async () => {
      const { deps, enqueued } = dependencies();
      const payload = example('opened');
      change(payload);
      expect(await handleDelivery(await delivery(payload), deps)).toEqual({ statusCode: 400, body: { message } });
      expect(enqueued).toEqual([]);
    });
  }

  it('refuses a repository on another host than the GitHub it reads', async () => {
    const { deps, enqueued } = dependencies({ gitHubHost: 'github.example.com' });
    const response = await handleDelivery(await delivery(example('opened')), deps);
    expect(response.statusCode).toBe(400);
    expect(response.body.message).toMatch(
      /^pull_request payload "pull_request\.base\.repo\.clone_url": repository URL "https:\/\/github\.com\/Codertocat\/Hello-World\.git": host github\.com is not the GitHub host/,
    );
    expect(enqueued).toEqual([]);
  });

  it('refuses a repository URL with a dot segment', async () => {
    const { deps, enqueued } = dependencies();
    const payload = example('opened');
    payload.pull_request.base.repo.clone_url = 'https://github.com/Codertocat/../other/x.git';
    const response = await handleDelivery(await delivery(payload), deps);
    expect(response.statusCode).toBe(400);
    expect(response.body.message).toMatch(/"pull_request\.base\.repo\.clone_url": .*"\." or "\.\." path segment/);
    expect(enqueued).toEqual([]);
  });
});
