// Every delivery the webhook must not act on gets its own 4xx (or a 200 that says why it is
// ignored) from the real handler, and the sync-jobs queue stays empty: nothing is enqueued and
// no target is asked to move. Never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  githubExample,
  pushPayload,
  signature,
  startPipeline,
  webApp,
  webRegistry,
  WEBHOOK_SECRET,
  type DeliverOptions,
  type Pipeline,
} from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const APP_FILE = 'apps/web/config.yaml';

let pipeline: Pipeline;
let first: string;
let next: string;
/** A push of `next` that, delivered properly, queues web@sandbox. */
let goodPush: Record<string, unknown>;
let goodBody: string;

async function requestSeq(): Promise<number | undefined> {
  return (await pipeline.store.getTarget('web', 'sandbox'))?.requestSeq;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  const registered = await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  expect(registered.statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
  next = await pipeline.repo.commit(webApp('green'));
  goodPush = pushPayload(first, next, { modified: [APP_FILE] });
  goodBody = JSON.stringify(goodPush);
  expect(await pipeline.queueDepth()).toBe(0);
});
afterAll(() => pipeline?.stop());

interface BadDelivery {
  name: string;
  event?: string;
  payload?: () => unknown;
  headers?: () => Record<string, string>;
  options?: () => DeliverOptions;
  status: number;
  message: RegExp;
}

const withPush = (change: (push: Record<string, unknown>) => void) => () => {
  const push = structuredClone(goodPush);
  change(push);
  return push;
};

const badDeliveries: BadDelivery[] = [
  { name: 'no signature', options: () => ({ sign: false }), status: 401, message: /X-Hub-Signature-256 is missing/ },
  { name: 'a wrong signature', headers: () => ({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }), status: 401, message: /does not match/ },
  { name: 'a signature made with another secret', options: () => ({ secret: 'not-the-webhook-secret' }), status: 401, message: /does not match/ },
  {
    name: 'only a SHA-1 signature',
    options: () => ({ sign: false }),
    headers: () => ({ 'X-Hub-Signature': signature(goodBody, WEBHOOK_SECRET, 'sha1') }),
    status: 401,
    message: /SHA-1/,
  },
  { name: 'a malformed signature header', headers: () => ({ 'X-Hub-Signature-256': 'sha256=not-hex-at-all' }), status: 401, message: /malformed/ },
  {
    name: 'a SHA-1 value in the SHA-256 header',
    headers: () => ({ 'X-Hub-Signature-256': signature(goodBody, WEBHOOK_SECRET, 'sha1') }),
    status: 401,
    message: /malformed/,
  },
  {
    name: 'a truncated body with the original signature',
    options: () => ({ rawBody: goodBody.slice(0, goodBody.length - 200), signedBody: goodBody }),
    status: 401,
    message: /does not match/,
  },
  {
    name: 'a body that is not JSON, correctly signed',
    options: () => ({ rawBody: '{"ref": "refs/heads/main", "after": ' }),
    status: 400,
    message: /not a JSON object/,
  },
  { name: 'JSON that is a string, not an object', options: () => ({ rawBody: '"refs/heads/main"' }), status: 400, message: /not a JSON object/ },
  {
    name: 'JSON that is an array, not an object',
    event: 'ping',
    options: () => ({ rawBody: JSON.stringify([goodPush]) }),
    status: 400,
    message: /not a JSON object/,
  },
  {
    name: 'a form-encoded body (content type application/x-www-form-urlencoded)',
    headers: () => ({ 'Content-Type': 'application/x-www-form-urlencoded' }),
    options: () => ({ rawBody: `payload=${encodeURIComponent(goodBody)}` }),
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'a body over the 25 MB GitHub allows',
    options: () => ({ rawBody: JSON.stringify({ ...goodPush, padding: 'x'.repeat(26 * 1024 * 1024) }) }),
    status: 413,
    message: /larger than the 26214400 allowed/,
  },
  { name: 'no X-GitHub-Event header', options: () => ({ omitHeaders: ['X-GitHub-Event'] }), status: 400, message: /X-GitHub-Event/ },
  { name: 'no X-GitHub-Delivery header', options: () => ({ omitHeaders: ['X-GitHub-Delivery'] }), status: 400, message: /X-GitHub-Delivery/ },
  { name: 'an event we do not use (issues)', event: 'issues', payload: () => githubExample('issues'), status: 200, message: /^ignored: issues events/ },
  { name: 'a ping', event: 'ping', payload: () => githubExample('ping'), status: 200, message: /^pong$/ },
  {
    name: 'a tag push',
    payload: withPush((push) => Object.assign(push, { ref: 'refs/tags/v1', base_ref: 'refs/heads/main' })),
    status: 200,
    message: /^ignored: tag pushes/,
  },
  {
    name: 'a push to a ref that is not a branch',
    payload: withPush((push) => Object.assign(push, { ref: 'refs/pull/7/head' })),
    status: 200,
    message: /^ignored: ref refs\/pull\/7\/head is not a branch/,
  },
  {
    name: 'a branch deletion',
    payload: withPush((push) => Object.assign(push, { deleted: true, after: EMPTY, commits: [], head_commit: null })),
    status: 200,
    message: /^ignored: branch deletions/,
  },
  {
    name: 'a push to a branch no app tracks',
    payload: withPush((push) => Object.assign(push, { ref: 'refs/heads/feature' })),
    status: 200,
    message: /^nothing to do/,
  },
  { name: 'a push without "after"', payload: withPush((push) => delete push.after), status: 400, message: /"after" is not a commit sha/ },
  {
    name: 'a push whose "after" is a branch name',
    payload: withPush((push) => Object.assign(push, { after: 'main' })),
    status: 400,
    message: /"after" is not a commit sha/,
  },
  { name: 'a push without "ref"', payload: withPush((push) => delete push.ref), status: 400, message: /no "ref"/ },
  { name: 'a push without a repository', payload: withPush((push) => delete push.repository), status: 400, message: /repository/ },
];

describe('the webhook, given a delivery it must not act on', () => {
  it('has at least 15 of them to answer', () => {
    expect(badDeliveries.length).toBeGreaterThanOrEqual(15);
  });

  it.each(badDeliveries)('answers $status to $name and enqueues nothing', async (bad) => {
    const seqBefore = await requestSeq();
    const response = await pipeline.deliver(bad.event ?? 'push', bad.payload?.() ?? goodPush, bad.headers?.() ?? {}, bad.options?.() ?? {});
    expect(response.statusCode).toBeLessThan(500);
    expect({ statusCode: response.statusCode, message: response.body.message }).toEqual({
      statusCode: bad.status,
      message: expect.stringMatching(bad.message),
    });
    expect(response.body.targets).toBeUndefined();
    expect(await pipeline.queueDepth()).toBe(0);
    expect(await requestSeq()).toBe(seqBefore);
  });

  it('acts on a redelivered push once: the second delivery answers "already handled" and queues nothing', async () => {
    const deliveryId = '6f1e0a7c-0000-4000-8000-00000000d311';
    const seqBefore = (await requestSeq()) ?? 0;
    const firstDelivery = await pipeline.deliver('push', goodPush, { 'X-GitHub-Delivery': deliveryId });
    expect(firstDelivery).toMatchObject({ statusCode: 202, body: { targets: ['web@sandbox'], revision: next } });
    expect(await pipeline.queueDepth()).toBe(1);

    const redelivery = await pipeline.deliver('push', goodPush, { 'X-GitHub-Delivery': deliveryId });
    expect(redelivery.statusCode).toBe(200);
    expect(redelivery.body.message).toBe(`delivery ${deliveryId} was already handled`);
    expect(await pipeline.queueDepth()).toBe(1);
    expect(await requestSeq()).toBe(seqBefore + 1);

    // The one job it queued is a real one: it brings the cluster to the pushed commit.
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === next);
    expect(await pipeline.queueDepth()).toBe(0);
  });
});
