// The registry stored one item per entry (shared/state/registry.ts) against dynalite: a fleet of
// 10,000 apps loaded by the real config loader round-trips, a refresh writes only what changed,
// a warm read is one small GetItem, readers never see two registries mixed, writers that read the
// same version do not both win, a writer that died does not block the next, and a table in the
// old one-item shape is read and then rewritten.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { Registry } from '../../shared/config/types.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { LEGACY_REGISTRY_KEY, REGISTRY_HEAD_KEY, REGISTRY_PK } from '../../shared/state/keys.ts';
import { forgetCachedRegistries, STALE_WRITE_MS } from '../../shared/state/registry.ts';
import { awsClientConfig } from '../support/aws.ts';
import { startStateTable, type StateTable } from './table.ts';

const REPO = 'https://github.com/acme/fleet';
const CLUSTERS = ['prod-eu', 'prod-us', 'staging'];
// DynamoDB's item limit (400 KB), names and values counted.
const ITEM_LIMIT = 400 * 1024;

/** An Argo CD Application of the fleet: a Helm folder with values, a destination per cluster set. */
function appYaml(index: number, marker = 'one'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app-${index}
  namespace: argocd
  annotations: { argocd.argoproj.io/manifest-generate-paths: ".;../../shared/base" }
spec:
  project: default
  source:
    repoURL: ${REPO}
    targetRevision: ${index % 10 === 0 ? 'HEAD' : 'main'}
    path: apps/team-${index % 50}/app-${index}
    helm:
      releaseName: app-${index}
      valueFiles: [values.yaml, ../../shared/values-prod.yaml]
      values: |
        replicaCount: 2
        image: { repository: ghcr.io/acme/app-${index}, tag: "${marker}" }
  destination: { name: ${CLUSTERS[index % CLUSTERS.length]}, namespace: team-${index % 50} }
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true, PruneLast=true]
    retry: { limit: 3, backoff: { duration: 10s, factor: 2, maxDuration: 3m } }
---
`;
}

function clustersYaml(): string {
  return CLUSTERS.map(
    (name) =>
      `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${name}, labels: { env: ${name.split('-')[0]} } }\nspec:\n  eks: { clusterName: ${name}, region: eu-west-1 }\n---\n`,
  ).join('');
}

/** The fleet through the real loader; `markers` changes some apps' image tag (not what a push matches on). */
function fleet(count: number, markers: Record<number, string> = {}, options: { without?: number[]; marker?: string } = {}): Registry {
  const files = [{ file: 'driftless/clusters.yaml', text: clustersYaml() }];
  const without = new Set(options.without ?? []);
  // One file per hundred apps, as a team would group them.
  for (let start = 0; start < count; start += 100) {
    let text = '';
    for (let index = start; index < Math.min(count, start + 100); index++)
      if (!without.has(index)) text += appYaml(index, markers[index] ?? options.marker ?? 'one');
    files.push({ file: `driftless/apps-${String(start).padStart(5, '0')}.yaml`, text });
  }
  return parseRegistryFiles(files);
}

/** A copy of `registry` with some apps' image tag changed, as a config push changing their values would. */
function retagged(registry: Registry, tags: Record<string, string>): Registry {
  const copy = structuredClone(registry);
  for (const app of copy.apps) {
    const tag = tags[app.name];
    if (tag && app.source.helm) app.source.helm.values = String(app.source.helm.values).replace(/tag: "\w+"/, `tag: "${tag}"`);
  }
  return copy;
}

interface Counts {
  calls: Record<string, number>;
  puts: number;
  deletes: number;
}

/** A client counting requests by command, and BatchWriteItem's puts and deletes, at the SDK's middleware level. */
function countingClient(endpoint: string): { client: DynamoDBClient; counts: Counts; reset(): void } {
  const client = new DynamoDBClient(awsClientConfig(endpoint));
  const counts: Counts = { calls: {}, puts: 0, deletes: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.calls[name] = (counts.calls[name] ?? 0) + 1;
      if (name === 'BatchWriteItemCommand') {
        const input = args.input as { RequestItems: Record<string, Array<{ PutRequest?: unknown; DeleteRequest?: unknown }>> };
        for (const requests of Object.values(input.RequestItems)) {
          counts.puts += requests.filter((request) => request.PutRequest).length;
          counts.deletes += requests.filter((request) => request.DeleteRequest).length;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return {
    client,
    counts,
    reset: () => {
      counts.calls = {};
      counts.puts = 0;
      counts.deletes = 0;
    },
  };
}

async function registryItems(table: StateTable): Promise<Array<Record<string, unknown>>> {
  const doc = DynamoDBDocumentClient.from(table.client);
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).filter((item) => item.pk === REGISTRY_PK));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

describe('the registry stored per item', () => {
  let table: StateTable;
  let endpoint: string;
  beforeAll(async () => {
    table = await startStateTable();
    // The counting client talks to the same dynalite as the table's own.
    const config = await table.client.config.endpoint!();
    endpoint = `${config.protocol}//${config.hostname}:${config.port}${config.path}`;
  });
  afterAll(() => table.stop());
  beforeEach(() => forgetCachedRegistries());

  it('lets one of two writers that read the same version win', async () => {
    const store = table.store();
    await store.putRegistry(fleet(50), 'd'.repeat(40));
    const { version } = await store.getVersionedRegistry();
    const [first, second] = [fleet(50, {}, { marker: 'first' }), fleet(50, {}, { marker: 'second' })];
    const results = await Promise.all([store.putRegistryIf(first, 'e'.repeat(40), version), store.putRegistryIf(second, 'f'.repeat(40), version)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    forgetCachedRegistries();
    const after = await store.getVersionedRegistry();
    expect(after.version).toBe(version + 1);
    expect(after.record?.registry).toEqual(results[0] ? first : second);
    expect(await store.putRegistryIf(first, 'e'.repeat(40), version)).toBe(false);
  }, 60_000);

  it('never shows a reader a mix of two registries while a write runs', async () => {
    const store = table.store();
    const [before, after] = [fleet(600, {}, { marker: 'before' }), fleet(600, {}, { marker: 'after' })];
    await store.putRegistry(before, '1'.repeat(40));
    const tags = (registry: Registry) => new Set(registry.apps.map((app) => /tag: "(\w+)"/.exec(String(app.source.helm?.values))?.[1]));
    let writing = true;
    const write = store.putRegistry(after, '2'.repeat(40)).finally(() => {
      writing = false;
    });
    const seen: string[] = [];
    while (writing) {
      forgetCachedRegistries();
      const record = await table.store().getRegistry();
      const found = [...tags(record!.registry)];
      expect(found).toHaveLength(1);
      expect(record!.registry.apps).toHaveLength(600);
      seen.push(`${found[0]}@${record!.revision.slice(0, 1)}`);
    }
    await write;
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(after);
    // Every read was one registry with its own revision; the write took long enough to be read during it.
    expect(seen.every((entry) => entry === 'before@1' || entry === 'after@2')).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  }, 60_000);

  it('ignores a dead writer’s items and lets the next writer take over once its claim is stale', async () => {
    const store = table.store();
    const first = fleet(20);
    await store.putRegistry(first, '3'.repeat(40));
    const doc = DynamoDBDocumentClient.from(table.client);
    // A writer that claimed the head and died after writing one item of its version.
    const head = (await doc.send(new ScanCommand({ TableName: table.tableName }))).Items!.find((item) => item.pk === REGISTRY_PK && item.sk === 'HEAD')!;
    const dead = (head.issued as number) + 1;
    await doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: REGISTRY_HEAD_KEY,
        UpdateExpression: 'SET issued = :dead, writing = :writing',
        ExpressionAttributeValues: { ':dead': dead, ':writing': { token: 'dead', version: dead, at: table.clock.now } },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: REGISTRY_PK, sk: `ITEM#e#apps#app-3#${String(dead).padStart(12, '0')}`, hash: 'x', body: '{"name":"app-3","broken":true}' },
      }),
    );
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(first);

    table.clock.now += STALE_WRITE_MS + 1000;
    const second = fleet(20, { 3: 'two' });
    await store.putRegistry(second, '4'.repeat(40));
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(second);
    const sks = (await registryItems(table)).map((item) => String(item.sk));
    expect(sks.filter((sk) => sk.endsWith(`#${String(dead).padStart(12, '0')}`))).toEqual([]);
  }, 60_000);

  it('gives the claim back when a write fails before its head moved: the next write goes ahead at once, the failed one counts for nothing', async () => {
    const failing = new DynamoDBClient(awsClientConfig(endpoint));
    let fail = true;
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (fail && context.commandName === 'BatchWriteItemCommand') throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
        return next(args);
      },
      { step: 'initialize', name: 'failBatchWrites' },
    );
    const store = new DynamoStateStore({ client: failing, tableName: table.tableName, now: () => table.clock.now });
    const kept = fleet(10, {}, { marker: 'kept' });
    await table.store().putRegistry(kept, '7'.repeat(40));
    await expect(store.putRegistry(fleet(10, {}, { marker: 'lost' }), '8'.repeat(40))).rejects.toThrow(/connection reset/);
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(kept);
    fail = false;
    const started = performance.now();
    const next = fleet(10, {}, { marker: 'next' });
    await store.putRegistry(next, '9'.repeat(40));
    // Not the 60 s a live claim makes a writer wait, nor the five minutes until it is stale.
    expect(performance.now() - started).toBeLessThan(30_000);
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(next);
    failing.destroy();
  }, 60_000);

  it('reads a registry stored as one item by an older release, then rewrites it per item and deletes the old item', async () => {
    const fresh = await startStateTable();
    try {
      const store = fresh.store();
      const old = fleet(30);
      const doc = DynamoDBDocumentClient.from(fresh.client);
      await doc.send(
        new PutCommand({
          TableName: fresh.tableName,
          Item: { ...LEGACY_REGISTRY_KEY, registry: JSON.stringify(old), revision: '5'.repeat(40), updatedAt: '2025-05-01T00:00:00.000Z', version: 4 },
        }),
      );
      expect(await store.getVersionedRegistry()).toEqual({
        record: { registry: old, revision: '5'.repeat(40), updatedAt: '2025-05-01T00:00:00.000Z' },
        version: 4,
      });
      const next = fleet(30, { 1: 'two' });
      expect(await store.putRegistryIf(next, '6'.repeat(40), 3)).toBe(false);
      expect(await store.putRegistryIf(next, '6'.repeat(40), 4)).toBe(true);
      forgetCachedRegistries();
      expect(await store.getVersionedRegistry()).toMatchObject({ record: { registry: next, revision: '6'.repeat(40) }, version: 5 });
      const sks = (await registryItems(fresh)).map((item) => String(item.sk));
      expect(sks).not.toContain(LEGACY_REGISTRY_KEY.sk);
      expect(sks).toContain(REGISTRY_HEAD_KEY.sk);
    } finally {
      await fresh.stop();
    }
  }, 60_000);
  it('lets readers that miss at once share one read of the items (jobs starting together after a config push)', async () => {
    const counting = countingClient(endpoint);
    const store = new DynamoStateStore({ client: counting.client, tableName: table.tableName, now: () => table.clock.now });
    const registry = fleet(300);
    await store.putRegistry(registry, 'd'.repeat(40));
    forgetCachedRegistries();
    counting.reset();
    const reads = await Promise.all(Array.from({ length: 20 }, () => store.getRegistry()));
    for (const read of reads) expect(read?.registry).toEqual(registry);
    // Twenty heads read (each reader must see the version in force), the items once: 300 apps fit in one page.
    expect(counting.counts.calls).toEqual({ GetItemCommand: 20, QueryCommand: 1 });
    counting.client.destroy();
  });

  it('round-trips 10,000 apps, rewrites only the changed ones, deletes a removed one, and reads warm with one GetItem', async () => {
    const counting = countingClient(endpoint);
    const store = new DynamoStateStore({ client: counting.client, tableName: table.tableName, now: () => table.clock.now });
    const registry = fleet(10_000);
    expect(registry.apps).toHaveLength(10_000);

    let started = performance.now();
    await store.putRegistry(registry, 'a'.repeat(40));
    const putMs = performance.now() - started;
    forgetCachedRegistries();
    counting.reset();
    started = performance.now();
    const cold = await store.getVersionedRegistry();
    const coldMs = performance.now() - started;
    expect(cold.record?.registry).toEqual(registry);
    expect(cold.record?.revision).toBe('a'.repeat(40));
    expect(counting.counts.calls.GetItemCommand).toBe(1);

    counting.reset();
    started = performance.now();
    const warm = await store.getRegistry();
    const warmMs = performance.now() - started;
    expect(warm?.registry).toEqual(registry);
    expect(counting.counts.calls).toEqual({ GetItemCommand: 1 });
    console.log(`10,000 apps: first put ${putMs.toFixed(0)} ms, cold get ${coldMs.toFixed(0)} ms, warm get ${warmMs.toFixed(1)} ms`);

    const items = await registryItems(table);
    const largest = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))));
    expect(largest).toBeLessThan(ITEM_LIMIT);
    // One item per app at least, and none holding more than a small part of the fleet.
    expect(items.length).toBeGreaterThan(10_000);
    expect(largest).toBeLessThan(128 * 1024);

    // A config push changing three apps' values: three items written, the three they replace deleted.
    counting.reset();
    const changed = retagged(registry, { 'app-17': 'two', 'app-4242': 'two', 'app-9999': 'two' });
    started = performance.now();
    await store.putRegistry(changed, 'b'.repeat(40));
    const refreshMs = performance.now() - started;
    expect(counting.counts.puts).toBe(3);
    expect(counting.counts.deletes).toBe(3);
    console.log(`10,000 apps, 3 changed: put ${refreshMs.toFixed(0)} ms, ${JSON.stringify(counting.counts.calls)}`);
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(changed);

    // An app removed: its item goes, and the registry reads back without it.
    const removed = { ...changed, apps: changed.apps.filter((app) => app.name !== 'app-5000') };
    await store.putRegistry(removed, 'c'.repeat(40));
    forgetCachedRegistries();
    expect((await store.getRegistry())?.registry).toEqual(removed);
    const left = (await registryItems(table)).map((item) => String(item.sk));
    expect(left.filter((sk) => sk.startsWith('ITEM#e#apps#app-5000#'))).toEqual([]);
    // Nothing superseded stays: one item per entry.
    const ids = left.filter((sk) => sk.startsWith('ITEM#')).map((sk) => sk.slice(0, sk.lastIndexOf('#')));
    expect(new Set(ids).size).toBe(ids.length);
    counting.client.destroy();
  }, 240_000);
});
