// The bookkeeping of a cluster scan on the embedded services: the planner sends one job per
// cluster (its own FIFO group, once per period, without the targets it sent a sync for); the
// targets and their leases are read together (the lease is on the target item), 100 targets a request; a scan that runs short of
// time goes on in a new message after the last app it finished, and stops once it is too old.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { AppSpec, ClusterSpec, Registry } from '../../shared/config/types.ts';
import { RoutingBranchHeads } from '../../shared/drift/heads.ts';
import { planScans } from '../../shared/drift/plan-scans.ts';
import { CLUSTER_SCAN_TIMEOUT_MS, ROUND_TARGETS, scanCluster } from '../../shared/drift/scan-cluster.ts';
import type { ScanDependencies } from '../../shared/drift/scan-target.ts';
import { LocalGitBranchHeads } from '../../shared/github/heads.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { jobSchema, type ClusterScanJob, type Job } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { awsClientConfig } from '../support/aws.ts';
import { createRepo, type TestRepo } from '../support/git.ts';

let services: LocalServices;
let store: DynamoStateStore;
let repo: TestRepo;
const dynamoCommands: string[] = [];
beforeAll(async () => {
  services = await startLocalServices();
  const client = new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      dynamoCommands.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoStateStore({ client, tableName: services.env.STATE_TABLE });
  repo = await createRepo();
});
afterAll(async () => {
  await Promise.all([services?.stop(), repo?.remove()]);
});

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function app(name: string, clusters: string[], targetRevision = 'main'): AppSpec {
  return {
    name,
    project: 'default',
    // The scans below never reach the source: those apps are built before the repository exists.
    source: { repoURL: `file://${repo?.dir ?? '/nowhere'}`, targetRevision, path: name },
    destinations: clusters.map((cluster) => ({ cluster, namespace: name })),
    syncPolicy: { automated: { prune: false, selfHeal: false, allowEmpty: false }, syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml` },
  };
}

const cluster = (name: string): ClusterSpec => ({ name, server: `https://${name}.example`, labels: {} }) as ClusterSpec;

async function received(): Promise<Array<{ job: Job; group?: string; dedup?: string }>> {
  const messages: Array<{ job: Job; group?: string; dedup?: string }> = [];
  for (;;) {
    const { Messages } = await services.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: services.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] }),
    );
    if (!Messages?.length) return messages;
    for (const message of Messages)
      messages.push({
        job: jobSchema.parse(JSON.parse(message.Body ?? '{}')),
        group: message.Attributes?.MessageGroupId,
        dedup: message.Attributes?.MessageDeduplicationId,
      });
  }
}

describe('the planner', () => {
  it('sends one cluster-scan per cluster and period, leaving out the targets it sends a sync for', async () => {
    const head = await repo.commit({ 'web/cm.yaml': 'kind: ConfigMap\n' });
    const older = 'c'.repeat(40);
    const registry: Registry = {
      apps: [app('web', ['east', 'west']), app('api', ['east', 'west']), app('jobs', ['west'])],
      clusters: [cluster('east'), cluster('west')],
      projects: [],
    };
    await store.putRegistry(registry, head);
    for (const [name, where] of [
      ['web', 'east'],
      ['web', 'west'],
      ['api', 'east'],
      ['api', 'west'],
      ['jobs', 'west'],
    ]) {
      // api on west is behind its branch: the planner syncs it instead of scanning it.
      const revision = name === 'api' && where === 'west' ? older : head;
      await store.putTargetState({ app: name, cluster: where, revision, requestedRevision: revision, renderKey: `k/${name}` });
    }
    const deps = {
      store,
      queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
      heads: new RoutingBranchHeads({ local: new LocalGitBranchHeads() }),
      logger,
      intervalMs: 300_000,
      now: () => new Date('2026-03-01T00:01:00Z'),
    };
    const plan = await planScans(deps);
    expect(plan).toMatchObject({ scans: 4, clusters: 2, missedPushes: [{ app: 'api', cluster: 'west', revision: head }] });
    const period = Math.floor(Date.parse('2026-03-01T00:01:00Z') / 300_000);
    const messages = await received();
    const scans = messages.filter((message) => message.job.kind === 'cluster-scan');
    expect(scans.map(({ job, group, dedup }) => ({ job, group, dedup })).sort((a, b) => (a.group ?? '').localeCompare(b.group ?? ''))).toEqual([
      {
        job: { kind: 'cluster-scan', cluster: 'east', enqueuedAt: '2026-03-01T00:01:00.000Z', schedulePeriod: period },
        group: '_scan@east',
        dedup: `_scan@east@cluster-scan@${period}`,
      },
      {
        job: { kind: 'cluster-scan', cluster: 'west', enqueuedAt: '2026-03-01T00:01:00.000Z', schedulePeriod: period, catchingUp: ['api'] },
        group: '_scan@west',
        dedup: `_scan@west@cluster-scan@${period}`,
      },
    ]);
    expect(messages.filter((message) => message.job.kind === 'sync').map((message) => message.group)).toEqual(['api@west']);
    expect(messages.filter((message) => message.job.kind === 'drift-scan')).toEqual([]);
  });
});

describe('a cluster scan', () => {
  // Targets never synced: each is looked at and skipped without a request to the cluster, so
  // the rounds and continuations are seen on their own. The client is never used.
  const names = Array.from({ length: ROUND_TARGETS + 30 }, (_, index) => `app-${String(index).padStart(4, '0')}`);
  const registry: Registry = { apps: names.map((name) => app(name, ['big'])), clusters: [cluster('big')], projects: [] };
  const sent: Job[] = [];
  const deps = () =>
    ({
      store,
      queue: { enqueue: async (jobs: Job[]) => (sent.push(...jobs), jobs.map((job) => ({ job, messageId: 'm' }))) },
      connect: async () => ({}) as KubeClient,
      logger,
      now: () => new Date('2026-03-01T00:10:00Z'),
    }) as unknown as ScanDependencies;
  const job: ClusterScanJob = { kind: 'cluster-scan', cluster: 'big', enqueuedAt: '2026-03-01T00:05:00.000Z', schedulePeriod: 7 };

  it('reads targets and leases together, 100 targets a request', async () => {
    await store.acquireLease({ app: names[3], cluster: 'big' }, 'someone', 60_000);
    await store.putTargetState({ app: names[3], cluster: 'big', revision: 'a'.repeat(40) });
    dynamoCommands.length = 0;
    const read = await store.getTargetsWithLeases(names.slice(0, 120).map((name) => ({ app: name, cluster: 'big' })));
    expect(dynamoCommands).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(read.size).toBe(120);
    expect(read.get(`${names[3]}@big`)).toMatchObject({ target: { revision: 'a'.repeat(40) }, lease: { owner: 'someone' } });
    expect(read.get(`${names[4]}@big`)).toEqual({});
  });

  it('leaves the target a sync holds, and says so', async () => {
    const result = await scanCluster(job, registry.clusters[0], registry, { receiveCount: 1, remainingMs: () => 600_000 }, deps());
    expect(result.targets).toHaveLength(names.length);
    expect(result.targets.find((target) => target.app === names[3])).toEqual({
      app: names[3],
      outcome: 'skipped',
      reason: 'a sync holds the target; scanned next time',
    });
    expect(result.targets.find((target) => target.app === names[4])).toEqual({ app: names[4], outcome: 'skipped', reason: 'never synced' });
    expect(result.continuedAfter).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('goes on in a new message after the last app it finished when time runs short', async () => {
    let calls = 0;
    // Time for the first round only.
    const context = { receiveCount: 1, remainingMs: () => (calls++ === 0 ? 600_000 : 10_000) };
    const result = await scanCluster(job, registry.clusters[0], registry, context, deps());
    expect(result.targets).toHaveLength(ROUND_TARGETS);
    expect(result.targets.filter((target) => target.outcome !== 'skipped')).toEqual([]);
    expect(result.continuedAfter).toBe(names[ROUND_TARGETS - 1]);
    expect(sent).toEqual([{ ...job, continuation: 1, after: names[ROUND_TARGETS - 1] }]);

    // The continuation scans only the apps after it.
    const rest = await scanCluster(sent[0] as ClusterScanJob, registry.clusters[0], registry, { receiveCount: 1, remainingMs: () => 600_000 }, deps());
    expect(rest.targets.map((target) => target.app)).toEqual(names.slice(ROUND_TARGETS));
  });

  it('stops instead of continuing once the scan is older than its time limit', async () => {
    sent.length = 0;
    const old = { ...job, enqueuedAt: new Date(Date.parse('2026-03-01T00:10:00Z') - CLUSTER_SCAN_TIMEOUT_MS).toISOString() };
    const result = await scanCluster(old, registry.clusters[0], registry, { receiveCount: 1, remainingMs: () => 0 }, deps());
    expect(result).toMatchObject({ timedOut: true, targets: [] });
    expect(sent).toEqual([]);
  });
});
