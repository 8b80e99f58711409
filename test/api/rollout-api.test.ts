// ApplicationSet rollouts in the dashboard API, against the state table and the job queue
// (dynalite and fauxqs): fleet rows and the app view carry the set and the target's step k of n
// with its gate, read with ONE Query of the rollout items (the table's requests are counted);
// POST /api/applicationsets/:set/{promote,abort} go through the CLI's operations, checked as
// Argo CD checks ApplicationSets: resource `applicationsets`, action `update`, object
// `<project>/<set>` (Argo CD's RBAC docs; its builtin role:admin has it, role:readonly does not).
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ActionResult, AppDetail, FleetPage } from '../../shared/api/contract.ts';
import type { ApiDeps, ApiRequest } from '../../shared/api/deps.ts';
import { handleApiRequest } from '../../shared/api/router.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { parseRbacConfig } from '../../shared/rbac/config.ts';
import { createRbacEnforcer, type RbacEnforcer } from '../../shared/rbac/enforcer.ts';
import type { Identity } from '../../shared/rbac/identity.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { ROLLOUT_SHA, seedRolloutFleet } from '../support/rollout-fleet.ts';

const SHA = ROLLOUT_SHA;

const POLICY = parseRbacConfig({
  'policy.default': 'role:readonly',
  scopes: '[groups]',
  'policy.csv': [
    'p, role:deployer, applications, sync, default/*, allow',
    'p, role:rollouts, applicationsets, update, default/guestbook, allow',
    'g, deployers, role:deployer',
    'g, release-managers, role:rollouts',
    'g, admins, role:admin',
  ].join('\n'),
});

const admin: Identity = { user: 'ada', claims: { sub: 'ada', groups: ['admins'] } };
const deployer: Identity = { user: 'dan', claims: { sub: 'dan', groups: ['deployers'] } };
const releaser: Identity = { user: 'olga', claims: { sub: 'olga', groups: ['release-managers'] } };

let services: LocalServices;
let store: DynamoStateStore;
let deps: ApiDeps;
let enforcer: RbacEnforcer;
const requests: string[] = [];

async function call<T>(request: Partial<ApiRequest> & { path: string }, identity: Identity = admin) {
  return (await handleApiRequest({ method: 'GET', query: {}, identity, ...request }, deps)) as { status: number; body: T };
}

/** The rollout jobs queued since the last call, taken off the queue (nothing works them here). */
async function queuedRolloutJobs(): Promise<Array<Record<string, unknown>>> {
  const { Messages = [] } = await services.sqs.send(new ReceiveMessageCommand({ QueueUrl: services.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  for (const message of Messages) await services.sqs.send(new DeleteMessageCommand({ QueueUrl: services.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  return Messages.map((message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>).filter((job) => job.kind === 'rollout');
}

beforeAll(async () => {
  services = await startLocalServices();
  for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  // The table read through a client of our own whose every request is counted.
  const client = new DynamoDBClient({ endpoint: services.env.AWS_ENDPOINT_URL_DYNAMODB });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoStateStore({ client, tableName: services.env.STATE_TABLE });
  enforcer = await createRbacEnforcer(POLICY);
  deps = {
    store,
    queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
    connect: () => Promise.reject(new Error('no cluster in this test')),
    revisions: { head: () => Promise.reject(new Error('no git here')), resolve: () => Promise.reject(new Error('no git here')) },
    rbac: async () => enforcer,
  };
  await seedRolloutFleet(store);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await services?.stop();
});

describe('rollout progress in the fleet and the app view', () => {
  it('fleet rows carry the set and step k of n with the gate, from one registry read, one scan and one Query of the rollouts', async () => {
    requests.length = 0;
    const { status, body } = await call<FleetPage>({ path: '/api/fleet' });
    expect(status).toBe(200);
    expect(requests.sort()).toEqual(['GetItemCommand', 'QueryCommand', 'ScanCommand']);
    const rows = Object.fromEntries(body.rows.map((row) => [row.app, [row.applicationSet, row.rollout]]));
    expect(rows).toEqual({
      'guestbook-dev': ['guestbook', { set: 'guestbook', step: 1, steps: 3, gate: 'soak: 2m left', canOperate: true }],
      'guestbook-staging': ['guestbook', { set: 'guestbook', step: 2, steps: 3, gate: 'waits for step 1', canOperate: true }],
      'guestbook-prod': ['guestbook', { set: 'guestbook', step: 3, steps: 3, gate: 'waits for step 1', canOperate: true }],
      web: [undefined, undefined],
    });
  });

  it('says per caller whether it may promote and abort (applicationsets, update on <project>/<set>)', async () => {
    const asDeployer = (await call<FleetPage>({ path: '/api/fleet' }, deployer)).body.rows.find((row) => row.app === 'guestbook-dev');
    expect(asDeployer?.rollout?.canOperate).toBe(false);
    const asReleaser = (await call<FleetPage>({ path: '/api/fleet' }, releaser)).body.rows.find((row) => row.app === 'guestbook-dev');
    expect(asReleaser?.rollout?.canOperate).toBe(true);
  });

  it('the app view names the set and gives each target its step', async () => {
    const { status, body } = await call<AppDetail>({ path: '/api/apps/guestbook-staging' });
    expect(status).toBe(200);
    expect(body.applicationSet).toBe('guestbook');
    expect(body.targets.map((target) => [target.cluster, target.rollout])).toEqual([
      ['staging', { set: 'guestbook', step: 2, steps: 3, gate: 'waits for step 1', canOperate: true }],
    ]);
    const plain = await call<AppDetail>({ path: '/api/apps/web' });
    expect(plain.body.applicationSet).toBeUndefined();
    expect(plain.body.targets[0].rollout).toBeUndefined();
  });
});

describe('POST /api/applicationsets/:set/promote and abort', () => {
  it('refuses a caller without applicationsets update on default/guestbook (403, naming the check)', async () => {
    const { status, body } = await call<{ error: string }>({ method: 'POST', path: '/api/applicationsets/guestbook/promote' }, deployer);
    expect(status).toBe(403);
    expect(body.error).toMatch(/^permission denied: applicationsets, update, default\/guestbook for dan/);
    expect((await store.getRollout('guestbook'))?.promoted).toBeUndefined();
  });

  it('an unknown set is 404 with the closest names; a GET is 405', async () => {
    const unknown = await call<{ error: string }>({ method: 'POST', path: '/api/applicationsets/guestbok/abort' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('no ApplicationSet "guestbok" with a RollingSync strategy: did you mean guestbook?');
    expect((await call({ path: '/api/applicationsets/guestbook/promote' })).status).toBe(405);
  });

  it('promote skips the gate (202), recorded with who asked, a promote step queued', async () => {
    const { status, body } = await call<ActionResult>({ method: 'POST', path: '/api/applicationsets/guestbook/promote' }, releaser);
    expect(status).toBe(202);
    expect(body).toEqual({ accepted: true, message: 'promoted guestbook: the gate of step 1 of 3 is skipped (rollout of 1a2b3c4)' });
    expect(await store.getRollout('guestbook')).toMatchObject({ promoted: 0, by: 'olga' });
    expect(await queuedRolloutJobs()).toEqual([expect.objectContaining({ kind: 'rollout', set: 'guestbook', id: SHA, reason: 'promote' })]);
  });

  it('abort stops the rollout (202); a second abort is refused (409) saying why', async () => {
    const { status, body } = await call<ActionResult>({ method: 'POST', path: '/api/applicationsets/guestbook/abort' });
    expect(status).toBe(202);
    expect(body.message).toBe('aborted guestbook: no more steps of the rollout of 1a2b3c4 start');
    expect(await store.getRollout('guestbook')).toMatchObject({ status: 'aborted', by: 'ada' });
    expect(await queuedRolloutJobs()).toEqual([expect.objectContaining({ kind: 'rollout', set: 'guestbook', reason: 'abort' })]);
    const again = await call<{ error: string }>({ method: 'POST', path: '/api/applicationsets/guestbook/abort' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/rollout of guestbook is aborted by ada: nothing to abort/);
    // The rows say so too: every step's gate is the abort.
    const row = (await call<FleetPage>({ path: '/api/fleet' })).body.rows.find((candidate) => candidate.app === 'guestbook-prod');
    expect(row?.rollout).toMatchObject({ step: 3, gate: 'aborted by ada' });
  });
});
