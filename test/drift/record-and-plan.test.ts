// The bookkeeping around a scan, on the embedded services: what is written and announced
// when (only on change), how self-heal backs off, and what the schedule enqueues per period.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import { RoutingBranchHeads } from '../../shared/drift/heads.ts';
import { planScans } from '../../shared/drift/plan-scans.ts';
import { recordDrift } from '../../shared/drift/record-drift.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import { decideHeal, selfHealDelayMs } from '../../shared/drift/self-heal.ts';
import type { ObjectDrift } from '../../shared/drift/types.ts';
import { EventBridgeSink } from '../../shared/events/eventbridge-sink.ts';
import { LocalGitBranchHeads } from '../../shared/github/heads.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { S3RenderCache } from '../../shared/storage/s3-render-cache.ts';
import { awsClientConfig, s3ClientConfig } from '../support/aws.ts';
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

const modified = (name: string, path: string): ObjectDrift => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name, state: 'modified', fields: [{ path, managers: [{ manager: 'kubectl-edit', operation: 'Update' }] }] });
const detailTypes = () => eventBridge.entries.map((entry) => entry.DetailType);
const logger = { info: () => {}, warn: () => {}, error: () => {} };

describe('recordDrift', () => {
  const ref = { app: 'rec', cluster: 'c1' };
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

  it('writes and announces on change only', async () => {
    await store.putTargetState({ ...ref, revision: 'a'.repeat(40) });
    const record = async (status: 'InSync' | 'Drifted', objects: ObjectDrift[], minutes: number) => recordDrift({ store, events }, (await store.getTarget(ref.app, ref.cluster))!, { status, objects, scannedAt: at(minutes), revision: 'a'.repeat(40) });

    expect(await record('InSync', [], 0)).toEqual({ written: true });
    expect(await record('InSync', [], 5)).toEqual({ written: false });
    expect(await record('Drifted', [modified('one', '.data.color')], 10)).toEqual({ written: true, event: 'Drift Detected' });
    expect(await store.getTarget(ref.app, ref.cluster)).toMatchObject({ driftStatus: 'Drifted', driftedCount: 1, driftFirstSeenAt: at(10).toISOString(), driftedObjects: [{ name: 'one', reason: 'modified: .data.color by kubectl-edit' }] });
    expect(await record('Drifted', [modified('one', '.data.color')], 15)).toEqual({ written: false });
    // More drift while drifted: the state follows, no second announcement, first seen stays.
    expect(await record('Drifted', [modified('one', '.data.color'), { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', state: 'missing' }], 20)).toEqual({ written: true });
    expect(await store.getTarget(ref.app, ref.cluster)).toMatchObject({ driftedCount: 2, driftFirstSeenAt: at(10).toISOString(), lastScannedAt: at(20).toISOString() });
    // Unchanged for over an hour: lastScannedAt is refreshed, nothing announced.
    expect(await record('Drifted', [modified('one', '.data.color'), { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', state: 'missing' }], 80)).toEqual({ written: true });
    expect(await record('InSync', [], 85)).toEqual({ written: true, event: 'Drift Resolved' });
    const resolved = await store.getTarget(ref.app, ref.cluster);
    expect(resolved).toMatchObject({ driftStatus: 'InSync', lastScannedAt: at(85).toISOString() });
    expect([resolved?.driftedObjects, resolved?.driftedCount, resolved?.driftFirstSeenAt]).toEqual([undefined, undefined, undefined]);
    expect(detailTypes()).toEqual(['Drift Detected', 'Drift Resolved']);
    const detected = JSON.parse(eventBridge.entries[0].Detail ?? '{}');
    expect(detected).toMatchObject({ app: 'rec', cluster: 'c1', syncStatus: 'OutOfSync', driftedCount: 1, driftedObjects: [{ kind: 'ConfigMap', name: 'one' }] });
    expect(eventBridge.entries[0].Detail).not.toContain('kubectl-edit');
  });
});

describe('self-heal backoff', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const base = { app: 'a', cluster: 'c', revision: 'r1', requestedRevision: 'r1' };

  it('doubles from one minute and stays at one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempt) => selfHealDelayMs(attempt) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(decideHeal(base, now)).toEqual({ action: 'heal', fields: { selfHealAttempts: 1, nextSelfHealAt: '2026-01-01T00:01:00.000Z' } });
    expect(decideHeal({ ...base, selfHealAttempts: 3, nextSelfHealAt: '2026-01-01T00:00:00.000Z' }, now)).toEqual({ action: 'heal', fields: { selfHealAttempts: 4, nextSelfHealAt: '2026-01-01T00:08:00.000Z' } });
  });

  it('waits while backing off, and never heals back over a newer requested commit', () => {
    expect(decideHeal({ ...base, selfHealAttempts: 2, nextSelfHealAt: '2026-01-01T00:02:00.000Z' }, now)).toEqual({ action: 'wait', until: '2026-01-01T00:02:00.000Z' });
    expect(decideHeal({ ...base, requestedRevision: 'r2' }, now)).toEqual({ action: 'newer-revision-pending', requestedRevision: 'r2' });
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

  it('enqueues one scan per target and period, and a sync for each target behind its branch', async () => {
    const head = await repo.commit({ 'web/cm.yaml': 'kind: ConfigMap\n' });
    const older = 'b'.repeat(40);
    const registry: Registry = { apps: [app('web', 'main'), app('api', 'HEAD'), app('pinned', older), app('manual', 'main', false)], clusters: [], projects: [] };
    await store.putRegistry(registry, head);
    for (const name of ['web', 'api', 'pinned', 'manual']) await store.putTargetState({ app: name, cluster: 'east', revision: name === 'api' ? older : head, requestedRevision: name === 'api' ? older : head, renderKey: `k/${name}` });
    const sqs = services.sqs;
    const deps = { store, queue: new SqsJobQueue({ client: sqs, queueUrl: services.queueUrl }), heads: new RoutingBranchHeads({ local: new LocalGitBranchHeads() }), logger, intervalMs: 300_000, now: () => new Date('2026-01-01T00:01:00Z') };

    const plan = await planScans(deps);
    // api follows HEAD (main here) and is behind: a missed-push sync instead of a scan.
    expect(plan).toMatchObject({ scans: 3, missedPushes: [{ app: 'api', cluster: 'east', revision: head, current: older }], headErrors: [] });
    expect(await store.getTarget('api', 'east')).toMatchObject({ requestedRevision: head });
    expect((await store.getHead(`file://${repo.dir}`, 'main'))?.sha).toBe(head);
    expect(await queued(sqs)).toBe(4);

    // The same period again: the three scans deduplicate; api's head is already requested, so
    // it is not synced again but scanned (behind its sync in its FIFO group).
    const again = await planScans({ ...deps, now: () => new Date('2026-01-01T00:04:00Z') });
    expect(again).toMatchObject({ scans: 4, missedPushes: [] });
    expect(await queued(sqs)).toBe(5);
    // The next period scans every target again.
    await planScans({ ...deps, now: () => new Date('2026-01-01T00:06:00Z') });
    expect(await queued(sqs)).toBe(9);
  });
});

describe('a scan whose render has expired from the cache', () => {
  const cluster = { name: 'west', labels: {}, definedIn: { file: 'driftless/clusters.yaml' } };
  const spec = (name: string, selfHeal: boolean): AppSpec => ({
    name,
    project: 'default',
    source: { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: name },
    destinations: [{ cluster: 'west', namespace: name }],
    syncPolicy: { automated: { prune: false, selfHeal, allowEmpty: false }, syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml` },
  });

  it('records Unknown without selfHeal, and syncs the same revision again with it', async () => {
    const renders = new S3RenderCache({ client: new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3)), bucket: services.env.RENDER_BUCKET });
    const queue = new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl });
    const connect = () => Promise.reject(new Error('a scan without its render must not reach the cluster'));
    const deps = { store, queue, renders, events, connect, logger };
    const revision = 'c'.repeat(40);
    for (const name of ['expired', 'healing']) await store.putTargetState({ app: name, cluster: 'west', revision, requestedRevision: revision, renderKey: `renders/${name}/gone.json.gz` });
    const job = (app: string) => ({ kind: 'drift-scan' as const, app, cluster: 'west', revision, enqueuedAt: new Date().toISOString(), schedulePeriod: 1 });

    expect(await scanTarget(job('expired'), spec('expired', false), cluster, deps)).toMatchObject({ outcome: 'unknown', healed: false });
    expect(await store.getTarget('expired', 'west')).toMatchObject({ driftStatus: 'Unknown' });

    const received = async () => (await services.sqs.send(new ReceiveMessageCommand({ QueueUrl: services.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }))).Messages ?? [];
    while ((await received()).length > 0); // earlier tests' messages out of the way
    expect(await scanTarget(job('healing'), spec('healing', true), cluster, deps)).toMatchObject({ outcome: 'unknown', healed: true });
    const bodies = (await received()).map((message) => JSON.parse(message.Body ?? '{}'));
    expect(bodies).toMatchObject([{ kind: 'sync', app: 'healing', cluster: 'west', revision, trigger: 'self-heal' }]);
    expect(await store.getTarget('healing', 'west')).toMatchObject({ driftStatus: 'Unknown', selfHealAttempts: 1 });
  });
});
