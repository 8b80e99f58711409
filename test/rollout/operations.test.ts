// The rollout operations the CLI and the dashboard share, against the state table (dynalite) and
// the queue (fauxqs): where each set's rollout stands with per-step counts, promote only at a
// gate, abort until done, each queuing the step that carries it out; and the rollout item's
// versioned writes, so a person's abort and a step in flight never overwrite each other.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import type { AppSpec } from '../../shared/config/types.ts';
import { NotFoundError, RefusedError } from '../../shared/operations/errors.ts';
import { abortRollout, promoteRollout, rolloutStatus } from '../../shared/operations/rollout.ts';
import type { Job } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import type { RolloutState } from '../../shared/rollout/types.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { awsClientConfig } from '../support/aws.ts';
import { drain } from '../queue/queues.ts';

const SHA = '1'.repeat(40);
const OLD = '2'.repeat(40);
const AT = '2026-12-01T12:00:00.000Z';

function app(name: string, env: string, applicationSet = 'guestbook'): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'apps/guestbook' },
    destinations: [{ cluster: env, namespace: 'guestbook' }],
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/guestbook.yaml' },
    applicationSet,
    labels: { env },
  };
}

function rollingSet(name: string, strategy: boolean): ApplicationSetSpec {
  return {
    name,
    source: 'argo',
    goTemplate: false,
    goTemplateOptions: [],
    generators: [],
    template: {},
    applicationsSync: 'sync',
    preserveResourcesOnDeletion: false,
    ...(strategy
      ? {
          strategy: {
            type: 'RollingSync',
            steps: [
              { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
              { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }], soakMs: 600_000 },
            ],
          },
        }
      : {}),
    definedIn: { file: `driftless/${name}.yaml` },
  };
}

let services: LocalServices;
let store: DynamoStateStore;
let deps: { store: DynamoStateStore; queue: SqsJobQueue; now: () => Date };

beforeAll(async () => {
  services = await startLocalServices();
  store = new DynamoStateStore({ client: new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB)), tableName: services.env.STATE_TABLE });
  deps = { store, queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }), now: () => new Date(AT) };
  await store.putRegistry(
    {
      apps: [app('gb-dev', 'dev'), app('gb-prod-a', 'prod'), app('gb-prod-b', 'prod'), app('gb-qa', 'qa'), app('tools-dev', 'dev', 'tools')],
      clusters: [],
      projects: [],
      applicationSets: [rollingSet('guestbook', true), rollingSet('tools', false)],
    },
    'c'.repeat(40),
  );
  const mark = { set: 'guestbook', id: SHA, revision: SHA };
  await store.putTargetState({ app: 'gb-dev', cluster: 'dev', requestedRevision: SHA, revision: SHA, syncStatus: 'Synced', health: 'Healthy', rollout: mark });
  await store.putTargetState({ app: 'gb-prod-a', cluster: 'prod', revision: OLD, requestedRevision: OLD, rollout: mark });
  await store.putTargetState({ app: 'gb-prod-b', cluster: 'prod', revision: OLD, requestedRevision: OLD, rollout: { ...mark, id: OLD } });
  await store.putTargetState({ app: 'gb-qa', cluster: 'qa', rollout: mark });
});
afterAll(async () => {
  await services?.stop();
});

/** Every job on the queue now (deleted as read). */
async function drained(): Promise<Job[]> {
  return (await drain(services.sqs, services.queueUrl)).map((message) => JSON.parse(message.Body ?? '{}') as Job);
}

const state = (fields: Partial<RolloutState>): RolloutState => ({
  set: 'guestbook',
  id: SHA,
  status: 'running',
  step: 0,
  steps: 2,
  trigger: 'push',
  startedAt: AT,
  updatedAt: AT,
  ...fields,
});

describe('rollout status', () => {
  it('list every RollingSync set, before any rollout too', async () => {
    expect(await rolloutStatus(deps)).toEqual([
      {
        set: 'guestbook',
        steps: [expect.objectContaining({ number: 1, targets: 0 }), expect.objectContaining({ number: 2, targets: 0 })],
        unselected: ['gb-qa@qa'],
      },
    ]);
  });

  it("count each step's targets of this rollout by where they stand, and show the current step's", async () => {
    await store.putRollout(state({ status: 'running', step: 1 }), undefined);
    const [view] = await rolloutStatus(deps, 'guestbook');
    expect(view.state).toMatchObject({ id: SHA, status: 'running', step: 1 });
    // gb-prod-b is marked by another rollout: not this one's.
    expect(view.steps).toEqual([
      { number: 1, selector: 'env In [dev]', targets: 1, done: 1, syncing: 0, failed: 0, pending: 0 },
      { number: 2, selector: 'env In [prod]', soakMs: 600_000, targets: 1, done: 0, syncing: 0, failed: 0, pending: 1 },
    ]);
    expect(view.current).toEqual([{ app: 'gb-prod-a', cluster: 'prod', revision: SHA, phase: 'pending' }]);
    expect(view.unselected).toEqual(['gb-qa@qa']);
  });

  it('refuse a set with no RollingSync strategy, naming those there are', async () => {
    await expect(rolloutStatus(deps, 'tools')).rejects.toThrow(NotFoundError);
    await expect(rolloutStatus(deps, 'tools')).rejects.toThrow('no ApplicationSet tools with a RollingSync strategy in the registry (there is guestbook)');
  });
});

describe('promote and abort', () => {
  it('refuse to promote a rollout that is not at a gate, saying what it does', async () => {
    await expect(promoteRollout(deps, 'guestbook', 'alice')).rejects.toThrow(RefusedError);
    await expect(promoteRollout(deps, 'guestbook', 'alice')).rejects.toThrow('rollout of guestbook is not at a gate: it is running (step 2 of 2 syncing)');
    expect(await drained()).toEqual([]);
  });

  it('promote at a gate: the step is marked promoted and a promote step is queued', async () => {
    const read = await store.getRollout('guestbook');
    await store.putRollout(state({ ...read, status: 'waiting', reason: 'soak: 9m left' }), read);
    expect(await promoteRollout(deps, 'guestbook', 'alice')).toMatchObject({ status: 'waiting', promoted: 1, by: 'alice' });
    expect(await drained()).toEqual([{ kind: 'rollout', set: 'guestbook', id: SHA, reason: 'promote', by: 'alice', trigger: 'push', enqueuedAt: AT }]);
  });

  it('abort: nothing more starts, an abort step is queued to tell the pending targets; a second abort is refused', async () => {
    expect(await abortRollout(deps, 'guestbook', 'bob')).toMatchObject({ status: 'aborted', by: 'bob', reason: 'aborted by bob' });
    expect(await drained()).toEqual([{ kind: 'rollout', set: 'guestbook', id: SHA, reason: 'abort', by: 'bob', trigger: 'push', enqueuedAt: AT }]);
    await expect(abortRollout(deps, 'guestbook', 'bob')).rejects.toThrow('rollout of guestbook is aborted by bob: nothing to abort');
  });

  it('write the rollout item only over the version read: of two writers with the same read, one wins', async () => {
    const read = await store.getRollout('guestbook');
    const [first, second] = await Promise.all([store.putRollout({ ...read!, reason: 'a' }, read), store.putRollout({ ...read!, reason: 'b' }, read)]);
    expect([first, second].sort()).toEqual([false, true]);
    expect(await store.putRollout(state({}), undefined)).toBe(false);
  });
});
