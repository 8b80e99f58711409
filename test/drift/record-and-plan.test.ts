// The bookkeeping around a scan, on the embedded services: what is written and announced
// when (only on change), and what the schedule enqueues per period. (Self-heal's decision:
// self-heal-decision.test.ts; a scan whose render expired: expired-render.test.ts.)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { RoutingBranchHeads } from '../../shared/drift/heads.ts';
import { planScans } from '../../shared/drift/plan-scans.ts';
import { recordDrift } from '../../shared/drift/record-drift.ts';
import type { ObjectDrift } from '../../shared/drift/types.ts';
import { EventBridgeSink } from '../../shared/events/eventbridge-sink.ts';
import { LocalGitBranchHeads } from '../../shared/github/heads.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { awsClientConfig } from '../support/aws.ts';
import { startEventBridgeDouble, type EventBridgeDouble } from '../support/eventbridge.ts';
import { createRepo, type TestRepo } from '../support/git.ts';

let services: LocalServices;
let eventBridge: EventBridgeDouble;
let store: DynamoStateStore;
let events: EventBridgeSink;
let repo: TestRepo;
beforeAll(async () => {
  services = await startLocalServices();
  eventBridge = await startEventBridgeDouble();
  store = new DynamoStateStore({ client: new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB)), tableName: services.env.STATE_TABLE });
  events = new EventBridgeSink({ client: new EventBridgeClient(awsClientConfig(eventBridge.endpoint)), busName: 'driftless' });
  repo = await createRepo();
});
afterAll(async () => {
  await Promise.all([services?.stop(), eventBridge?.stop(), repo?.remove()]);
});

const modified = (name: string, path: string): ObjectDrift => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'shop',
  name,
  state: 'modified',
  fields: [{ path, managers: [{ manager: 'kubectl-edit', operation: 'Update' }] }],
});
const detailTypes = () => eventBridge.entries.map((entry) => entry.DetailType);
const logger = { info: () => {}, warn: () => {}, error: () => {} };

describe('recordDrift', () => {
  const ref = { app: 'rec', cluster: 'c1' };
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

  it('writes and announces on change only', async () => {
    await store.putTargetState({ ...ref, revision: 'a'.repeat(40) });
    const record = async (status: 'InSync' | 'Drifted', objects: ObjectDrift[], minutes: number) =>
      recordDrift({ store, events }, (await store.getTarget(ref.app, ref.cluster))!, { status, objects, scannedAt: at(minutes), revision: 'a'.repeat(40) });

    expect(await record('InSync', [], 0)).toEqual({ written: true });
    expect(await record('InSync', [], 5)).toEqual({ written: false });
    expect(await record('Drifted', [modified('one', '.data.color')], 10)).toEqual({ written: true, event: 'Drift Detected' });
    expect(await store.getTarget(ref.app, ref.cluster)).toMatchObject({
      driftStatus: 'Drifted',
      driftedCount: 1,
      driftFirstSeenAt: at(10).toISOString(),
      driftedObjects: [{ name: 'one', reason: 'modified: .data.color by kubectl-edit' }],
    });
    expect(await record('Drifted', [modified('one', '.data.color')], 15)).toEqual({ written: false });
    // More drift while drifted: the state follows, no second announcement, first seen stays.
    expect(
      await record('Drifted', [modified('one', '.data.color'), { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', state: 'missing' }], 20),
    ).toEqual({ written: true });
    expect(await store.getTarget(ref.app, ref.cluster)).toMatchObject({
      driftedCount: 2,
      driftFirstSeenAt: at(10).toISOString(),
      lastScannedAt: at(20).toISOString(),
    });
    // Unchanged for over an hour: lastScannedAt is refreshed, nothing announced.
    expect(
      await record('Drifted', [modified('one', '.data.color'), { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', state: 'missing' }], 80),
    ).toEqual({ written: true });
    expect(await record('InSync', [], 85)).toEqual({ written: true, event: 'Drift Resolved' });
    const resolved = await store.getTarget(ref.app, ref.cluster);
    expect(resolved).toMatchObject({ driftStatus: 'InSync', lastScannedAt: at(85).toISOString() });
    expect([resolved?.driftedObjects, resolved?.driftedCount, resolved?.driftFirstSeenAt]).toEqual([undefined, undefined, undefined]);
    expect(detailTypes()).toEqual(['Drift Detected', 'Drift Resolved']);
    const detected = JSON.parse(eventBridge.entries[0].Detail ?? '{}');
    expect(detected).toMatchObject({
      app: 'rec',
      cluster: 'c1',
      syncStatus: 'OutOfSync',
      driftedCount: 1,
      driftedObjects: [{ kind: 'ConfigMap', name: 'one' }],
    });
    expect(eventBridge.entries[0].Detail).not.toContain('kubectl-edit');
  });
});

describe('planScans', () => {
  const app = (name: string, targetRevision: string, automated = true): AppSpec => ({
    name,
    project: 'default',
    source: { repoURL: `file://${repo.dir}`, targetRevision, path: name },
    destinations: [{ cluster: 'east', namespace: name }],
    syncPolicy: { ...(automated ? { automated: { prune: false, selfHeal: false, allowEmpty: false } } : {}), syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml` },
  });

  async function queued(sqs: SQSClient): Promise<number> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: services.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  it('enqueues one cluster scan per cluster and period, covering its targets, and a sync for each target behind its branch', async () => {
    const head = await repo.commit({ 'web/cm.yaml': 'kind: ConfigMap\n' });
    const older = 'b'.repeat(40);
    const registry: Registry = {
      apps: [app('web', 'main'), app('api', 'HEAD'), app('pinned', older), app('manual', 'main', false)],
      clusters: [],
      projects: [],
    };
    await store.putRegistry(registry, head);
    for (const name of ['web', 'api', 'pinned', 'manual'])
      await store.putTargetState({
        app: name,
        cluster: 'east',
        revision: name === 'api' ? older : head,
        requestedRevision: name === 'api' ? older : head,
        renderKey: `k/${name}`,
      });
    const sqs = services.sqs;
    const deps = {
      store,
      queue: new SqsJobQueue({ client: sqs, queueUrl: services.queueUrl }),
      heads: new RoutingBranchHeads({ local: new LocalGitBranchHeads() }),
      logger,
      intervalMs: 300_000,
      now: () => new Date('2026-01-01T00:01:00Z'),
    };

    const plan = await planScans(deps);
    // api follows HEAD (main here) and is behind: a missed-push sync instead of a scan.
    expect(plan).toMatchObject({ scans: 3, clusters: 1, missedPushes: [{ app: 'api', cluster: 'east', revision: head, current: older }], headErrors: [] });
    expect(await store.getTarget('api', 'east')).toMatchObject({ requestedRevision: head });
    expect((await store.getHead(`file://${repo.dir}`, 'main'))?.sha).toBe(head);
    expect(await queued(sqs)).toBe(2);

    // The same period again: the cluster scan deduplicates; api's head is already requested, so
    // it is not synced again and counts among the scans.
    const again = await planScans({ ...deps, now: () => new Date('2026-01-01T00:04:00Z') });
    expect(again).toMatchObject({ scans: 4, clusters: 1, missedPushes: [] });
    expect(await queued(sqs)).toBe(2);
    // The next period scans the cluster again.
    await planScans({ ...deps, now: () => new Date('2026-01-01T00:06:00Z') });
    expect(await queued(sqs)).toBe(3);
  });
});
