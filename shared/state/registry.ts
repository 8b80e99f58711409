// The registry (apps, clusters, projects and the documents read from the config repo), stored
// one item per entry (registry-entries.ts) under the `REGISTRY` partition, beside a small head
// item and the webhook's push index (push-index.ts). This is the one place it is read back and
// written: no item grows with the fleet, and a write sends only the entries that changed.
//
// Versions, so that readers never see a mix of two registries and never wait for a writer:
// - Every item's sort key ends in the version that wrote it; an entry changed in version W gets
//   a new item beside the old one, an entry removed in W a tombstone. A reader of version V takes,
//   per entry, the item of the highest version ≤ V, so items of a write in progress (> V) are
//   invisible until the head names their version.
// - The head holds the version in force (`version`), the content hash of that version's entries,
//   the config commit, and while a write runs `writing` {token, version, at}. A write first claims
//   the head (conditional on the version and on `issued`, the last version number handed out, so
//   two writers never share one), writes its items (BatchWriteItem in 25s), then moves the head to
//   its version (conditional on its token), then deletes the items nothing can read any more
//   (the superseded ones first, the tombstones after, so a reader never sees a removed entry again).
// - A reader GetItems the head; when this process already holds the registry with the head's
//   content hash it returns that (one small read per job on a warm Lambda). Otherwise it Queries
//   the entries, checks them against the head's hash (a cleanup racing the read shows as a
//   mismatch: read again, a few times, then RegistryUnsettledError) and keeps the result; a
//   writer keeps what it wrote.
// - A writer that died leaves a claim: after STALE_WRITE_MS the next writer takes the head over
//   and records the dead one's version in `aborted`, which readers skip and writers delete, so a
//   zombie's late items never count. A live claim makes other writers wait (RegistryBusyError
//   past WAIT_MS, retried like any transient failure).
// The version keeps its meaning for putRegistryIf: a writer that read version v writes only if
// the head is still at v. A table written by an older release holds the registry as one item
// (LEGACY_REGISTRY_KEY): read while there is no head, deleted by the first write in this shape.
//
// What a reader gets is frozen (it is shared with every later reader in the process): a caller
// that wants to change the registry builds a new one, as config/ and app-of-apps/ do.
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Registry } from '../config/types.ts';
import { repoKey } from '../config/repo-url.ts';
import { CorruptItemError, RegistryBusyError, RegistryUnsettledError, StateError } from './errors.ts';
import { LEGACY_REGISTRY_KEY, PUSH_INDEX_PREFIX, REGISTRY_HEAD_KEY, REGISTRY_ITEM_PREFIX } from './keys.ts';
import { assembleRegistry, combinedHash, registryEntries } from './registry-entries.ts';
import { queryItems, sleep, writeItems, type ItemWrite, type StoredItem } from './registry-items.ts';
import { pushGroupPrefix, pushIndexEntries, pushIndexRegistry } from './push-index.ts';
import { conditional, type Table } from './table.ts';
import type { RegistryRecord } from './types.ts';
import { SingleFlight } from '../runtime/single-flight.ts';

/** A claim older than this (table clock) belongs to a writer that died: the next writer takes over. */
export const STALE_WRITE_MS = 5 * 60_000;
/** How long a writer waits for another's claim to end before RegistryBusyError (real time). */
const WAIT_MS = 60_000;
const READ_ATTEMPTS = 6;
const MAX_ABORTED = 50;

interface Head {
  version: number;
  issued: number;
  revision?: string;
  updatedAt?: string;
  count?: number;
  /** Absent until the first write in this shape has finished. */
  hash?: string;
  aborted: number[];
  writing?: { token: string; version: number; at: number };
}

export async function getRegistry(table: Table): Promise<RegistryRecord | undefined> {
  return (await getVersionedRegistry(table)).record;
}

/** The registry with the version a conditional write must name (0: no registry yet, or one written before versions). */
export async function getVersionedRegistry(table: Table): Promise<{ record?: RegistryRecord; version: number }> {
  for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
    const head = await readHead(table);
    if (head?.hash === undefined) return readLegacy(table, head);
    const record = (registry: Registry) => ({
      record: { registry, revision: String(head.revision), updatedAt: String(head.updatedAt) },
      version: head.version,
    });
    const registry = cache.get(head.hash) ?? (await readItems(table, head, head.hash));
    if (registry) return record(registry);
    await sleep(25 * attempt);
  }
  throw new RegistryUnsettledError(READ_ATTEMPTS);
}

/**
 * The apps a push to `branch` of `repoURL` may touch (those following the branch, and those on
 * HEAD, which matchPush keeps when the branch is the default one), in a Registry the matcher
 * takes; one GetItem and two Queries of the push index, or one GetItem when this process read it
 * for the same registry already. Undefined when there is no registry.
 */
export async function getPushIndex(table: Table, repoURL: string, branch: string): Promise<Registry | undefined> {
  for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
    const head = await readHead(table);
    // A table still in the old shape has no index: the whole registry answers as well.
    if (head?.hash === undefined) return (await readLegacy(table, head)).record?.registry;
    // JSON, not a separator: a branch (and a local repository's path) may hold any separator.
    const key = JSON.stringify([head.hash, repoKey(repoURL), branch]);
    const cached = pushCache.get(key);
    if (cached) return cached;
    const [named, followsDefault] = await Promise.all([
      queryItems(table, { prefix: pushGroupPrefix(repoURL, { branch }) }, true),
      queryItems(table, { prefix: pushGroupPrefix(repoURL, 'default') }, true),
    ]);
    // A later write's cleanup may have deleted this version's items during the Queries; its head says so.
    const after = await readHead(table);
    if (after?.version === head.version) {
      const index = deepFreeze(pushIndexRegistry(liveItems([...named, ...followsDefault], head).map((item) => item.body ?? '[]')));
      if (pushCache.size >= CACHE_SIZE * 64) pushCache.clear();
      pushCache.set(key, index);
      return index;
    }
  }
  throw new RegistryUnsettledError(READ_ATTEMPTS);
}

export async function putRegistry(table: Table, registry: Registry, revision: string): Promise<void> {
  await writeRegistry(table, registry, revision, undefined);
}

/** Writes only when the stored version is still `version`; false when someone wrote it since. */
export async function putRegistryIf(table: Table, registry: Registry, revision: string, version: number): Promise<boolean> {
  return writeRegistry(table, registry, revision, version);
}

async function writeRegistry(table: Table, registry: Registry, revision: string, expected: number | undefined): Promise<boolean> {
  // Cut (and size-checked) before anything is claimed: an entry too large is refused with nothing written.
  const entries = registryEntries(registry);
  const hash = combinedHash(entries);
  const desired = new Map([...entries, ...pushIndexEntries(registry)].map((entry) => [entry.id, entry]));
  const claim = await claimHead(table, expected);
  if (!claim) return false;
  const { base, next, token } = claim;
  const aborted = new Set(claim.aborted);

  // Keys and hashes only: what is stored, to write only what changed.
  let stored: StoredItem[];
  try {
    stored = await queryItems(table, { between: [REGISTRY_ITEM_PREFIX, `${PUSH_INDEX_PREFIX.slice(0, -1)}$`] }, false);
  } catch (error) {
    await abandon(table, token, next);
    throw error;
  }
  const live = new Map(liveItems(stored, { version: base, aborted: claim.aborted }, true).map((item) => [item.id, item]));
  const writes: ItemWrite[] = [];
  const replaced = new Set<string>();
  for (const entry of desired.values()) {
    const current = live.get(entry.id);
    if (current && !current.gone && current.hash === entry.hash) continue;
    writes.push({ put: { id: entry.id, since: next, hash: entry.hash, body: entry.body } });
    replaced.add(entry.id);
  }
  const removed = new Set<string>();
  for (const [id, current] of live) {
    if (desired.has(id)) continue;
    if (!current.gone) writes.push({ put: { id, since: next, hash: 'gone' } });
    removed.add(id);
  }
  // Items of writes that never finished: no reader takes them, so they can go now.
  for (const item of stored) if (item.since > base || aborted.has(item.since)) writes.push({ delete: item.sk });
  try {
    await writeItems(table, writes);
  } catch (error) {
    await abandon(table, token, next);
    throw error;
  }

  const committed = await conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: REGISTRY_HEAD_KEY,
        UpdateExpression: 'SET #version = :next, #revision = :revision, #updatedAt = :updatedAt, #count = :count, #hash = :hash REMOVE #writing',
        ConditionExpression: '#writing.#token = :token',
        ExpressionAttributeNames: {
          '#version': 'version',
          '#revision': 'revision',
          '#updatedAt': 'updatedAt',
          '#count': 'count',
          '#hash': 'hash',
          '#writing': 'writing',
          '#token': 'token',
        },
        ExpressionAttributeValues: {
          ':next': next,
          ':revision': revision,
          ':updatedAt': new Date(table.now()).toISOString(),
          ':count': entries.length,
          ':hash': hash,
          ':token': token,
        },
      }),
    ),
  );
  if (!committed)
    throw new StateError(
      `${table.name} ${REGISTRY_HEAD_KEY.pk}: this registry write took longer than ${STALE_WRITE_MS} ms and another writer took it over; nothing of it counts, try again`,
    );

  await cleanUp(table, stored, { base, aborted, replaced, removed, next }, claim.legacy);
  // The writer's own process reads it next (the worker after a refresh): from the bodies written,
  // so it is what any reader would assemble, and none of the caller's objects.
  remember(hash, deepFreeze(assembleRegistry(new Map(entries.map((entry) => [entry.id, entry.body])))));
  return true;
}

/**
 * After the head moved: the items no reader of the new version takes. Superseded items first,
 * tombstones after, so a reader in between never finds a removed entry again. Best effort: what
 * is left (a failure here) is harmless to readers and the next write deletes it.
 */
async function cleanUp(
  table: Table,
  stored: StoredItem[],
  write: { base: number; aborted: Set<number>; replaced: Set<string>; removed: Set<string>; next: number },
  legacy: boolean,
): Promise<void> {
  const newest = new Map<string, number>();
  for (const item of stored) {
    if (item.since > write.base || write.aborted.has(item.since)) continue;
    newest.set(item.id, Math.max(newest.get(item.id) ?? 0, item.since));
  }
  const superseded: ItemWrite[] = [];
  const tombstones: ItemWrite[] = [];
  for (const item of stored) {
    if (item.since > write.base || write.aborted.has(item.since)) continue;
    const older = item.since < (newest.get(item.id) ?? 0);
    if (older || write.replaced.has(item.id) || (write.removed.has(item.id) && !item.gone)) superseded.push({ delete: item.sk });
    else if (write.removed.has(item.id)) tombstones.push({ delete: item.sk });
  }
  for (const id of write.removed) tombstones.push({ delete: `${id}#${String(write.next).padStart(12, '0')}` });
  try {
    await writeItems(table, superseded);
    await writeItems(table, tombstones);
    if (legacy) await table.doc.send(new DeleteCommand({ TableName: table.name, Key: LEGACY_REGISTRY_KEY }));
  } catch {
    // Left for the next write (see above).
  }
}

/** A write that failed before its head moved gives its claim back at once (best effort), its version aborted, so the next writer need not wait for it to go stale. */
async function abandon(table: Table, token: string, version: number): Promise<void> {
  try {
    await conditional(
      table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: REGISTRY_HEAD_KEY,
          UpdateExpression: 'SET #aborted = list_append(#aborted, :version) REMOVE #writing',
          ConditionExpression: '#writing.#token = :token',
          ExpressionAttributeNames: { '#aborted': 'aborted', '#writing': 'writing', '#token': 'token' },
          ExpressionAttributeValues: { ':version': [version], ':token': token },
        }),
      ),
    );
  } catch {
    // The claim then goes stale on its own (STALE_WRITE_MS).
  }
}

/** Claims the head for a write from version `expected` (any, when undefined); undefined when the head is at another version. */
async function claimHead(
  table: Table,
  expected: number | undefined,
): Promise<{ base: number; next: number; token: string; aborted: number[]; legacy: boolean } | undefined> {
  const started = Date.now();
  for (;;) {
    const head = await readHead(table);
    const base = head ? head.version : ((await readLegacyVersion(table)) ?? 0);
    if (expected !== undefined && base !== expected) return undefined;
    const now = table.now();
    if (head?.writing && now - head.writing.at < STALE_WRITE_MS) {
      if (Date.now() - started > WAIT_MS) throw new RegistryBusyError(Date.now() - started);
      await sleep(50);
      continue;
    }
    const token = randomUUID();
    const issued = Math.max(head?.issued ?? 0, base);
    const next = issued + 1;
    const aborted = head?.writing ? [...head.aborted, head.writing.version].slice(-MAX_ABORTED) : (head?.aborted ?? []);
    const writing = { token, version: next, at: now };
    const claimed = head
      ? await conditional(
          table.doc.send(
            new UpdateCommand({
              TableName: table.name,
              Key: REGISTRY_HEAD_KEY,
              UpdateExpression: 'SET #issued = :next, #writing = :writing, #aborted = :aborted',
              ConditionExpression: '#issued = :issued AND #version = :base',
              ExpressionAttributeNames: { '#issued': 'issued', '#writing': 'writing', '#aborted': 'aborted', '#version': 'version' },
              ExpressionAttributeValues: { ':next': next, ':writing': writing, ':aborted': aborted, ':issued': head.issued, ':base': base },
            }),
          ),
        )
      : await conditional(
          table.doc.send(
            new PutCommand({
              TableName: table.name,
              Item: { ...REGISTRY_HEAD_KEY, version: base, issued: next, writing, aborted },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
    if (claimed) return { base, next, token, aborted, legacy: head?.hash === undefined };
  }
}

/** Per entry, the item of the highest version ≤ the head's that no aborted write made; tombstones dropped unless asked for. */
function liveItems(items: StoredItem[], head: Pick<Head, 'version' | 'aborted'>, withTombstones = false): StoredItem[] {
  const aborted = new Set(head.aborted);
  const chosen = new Map<string, StoredItem>();
  for (const item of items) {
    if (item.since > head.version || aborted.has(item.since)) continue;
    const current = chosen.get(item.id);
    if (!current || item.since > current.since) chosen.set(item.id, item);
  }
  return [...chosen.values()].filter((item) => withTombstones || !item.gone);
}

async function readHead(table: Table): Promise<Head | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: REGISTRY_HEAD_KEY, ConsistentRead: true }));
  if (!Item) return undefined;
  if (typeof Item.version !== 'number' || typeof Item.issued !== 'number')
    throw new CorruptItemError(`${REGISTRY_HEAD_KEY.pk} ${REGISTRY_HEAD_KEY.sk}`, 'registry head has no version');
  const writing = Item.writing as Head['writing'] | undefined;
  return {
    version: Item.version,
    issued: Item.issued,
    revision: Item.revision as string | undefined,
    updatedAt: Item.updatedAt as string | undefined,
    count: Item.count as number | undefined,
    hash: Item.hash as string | undefined,
    aborted: Array.isArray(Item.aborted) ? (Item.aborted as number[]) : [],
    ...(writing ? { writing } : {}),
  };
}

async function readLegacyVersion(table: Table): Promise<number | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.name,
      Key: LEGACY_REGISTRY_KEY,
      ConsistentRead: true,
      ProjectionExpression: '#version, pk',
      ExpressionAttributeNames: { '#version': 'version' },
    }),
  );
  if (!Item) return undefined;
  return typeof Item.version === 'number' ? Item.version : 0;
}

/** The registry as releases before this one stored it: one item, JSON. */
async function readLegacy(table: Table, head: Head | undefined): Promise<{ record?: RegistryRecord; version: number }> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: LEGACY_REGISTRY_KEY, ConsistentRead: true }));
  if (!Item) return { version: head?.version ?? 0 };
  let registry: Registry;
  try {
    registry = JSON.parse(String(Item.registry)) as Registry;
  } catch (error) {
    throw new CorruptItemError(`${LEGACY_REGISTRY_KEY.pk} ${LEGACY_REGISTRY_KEY.sk}`, 'registry is not JSON', { cause: error });
  }
  return {
    record: { registry, revision: String(Item.revision), updatedAt: String(Item.updatedAt) },
    version: typeof Item.version === 'number' ? Item.version : 0,
  };
}

// The per-process cache, by content hash (equal hashes are equal registries, whichever table).
const CACHE_SIZE = 2;
const cache = new Map<string, Registry>();
const pushCache = new Map<string, Registry>();
/** Reads in flight by content hash: jobs that start at once after a config push share one Query of every item. */
const reading = new SingleFlight<Registry | undefined>();

/** The registry `head` names, from its items; undefined while they do not add up to its hash yet (a write in progress). */
function readItems(table: Table, head: Head, hash: string): Promise<Registry | undefined> {
  return reading.run(hash, async () => {
    const items = await queryItems(table, { prefix: REGISTRY_ITEM_PREFIX }, true);
    const live = liveItems(items, head);
    if (combinedHash(live) !== hash) return undefined;
    const registry = deepFreeze(assembleRegistry(new Map(live.map((item) => [item.id, item.body ?? '']))));
    remember(hash, registry);
    return registry;
  });
}

function remember(hash: string, registry: Registry): void {
  cache.delete(hash);
  cache.set(hash, registry);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

/** Forgets what this process read (tests that count reads). */
export function forgetCachedRegistries(): void {
  cache.clear();
  pushCache.clear();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
