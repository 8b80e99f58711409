// The registry's items as DynamoDB holds them: `sk = <entry id>#<version>` (the version that
// wrote it, twelve digits), `hash`, and `body` or `gone` (a tombstone: the entry was removed in
// that version). Which item of an entry a reader takes is decided in registry.ts.
import { BatchWriteCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { StateError } from './errors.ts';
import { REGISTRY_PK } from './keys.ts';
import type { Table } from './table.ts';

export interface StoredItem {
  sk: string;
  id: string;
  since: number;
  hash: string;
  gone: boolean;
  body?: string;
}

export function itemSk(id: string, since: number): string {
  return `${id}#${String(since).padStart(12, '0')}`;
}

function parseItem(item: Record<string, unknown>): StoredItem {
  const sk = String(item.sk);
  const cut = sk.lastIndexOf('#');
  return {
    sk,
    id: sk.slice(0, cut),
    since: Number(sk.slice(cut + 1)),
    hash: String(item.hash),
    gone: item.gone === true,
    ...(typeof item.body === 'string' ? { body: item.body } : {}),
  };
}

/** Every item whose sort key starts with `prefix` (or lies in `between`), all pages; `withBodies` false reads keys and hashes only. */
export async function queryItems(table: Table, range: { prefix: string } | { between: [string, string] }, withBodies: boolean): Promise<StoredItem[]> {
  const base: QueryCommandInput =
    'prefix' in range
      ? {
          TableName: table.name,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeValues: { ':pk': REGISTRY_PK, ':prefix': range.prefix },
        }
      : {
          TableName: table.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': REGISTRY_PK, ':from': range.between[0], ':to': range.between[1] },
        };
  const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
  if (!withBodies) {
    names['#hash'] = 'hash';
    names['#gone'] = 'gone';
  }
  const items: StoredItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        ...base,
        ExpressionAttributeNames: names,
        ...(withBodies ? {} : { ProjectionExpression: '#sk, #hash, #gone' }),
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items.push(parseItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export type ItemWrite = { put: { id: string; since: number; hash: string; body?: string } } | { delete: string };

const BATCH = 25;
const PARALLEL_BATCHES = 4;
const UNPROCESSED_ATTEMPTS = 8;

/** BatchWriteItem in 25s, a few batches at once, UnprocessedItems sent again with backoff. */
export async function writeItems(table: Table, writes: readonly ItemWrite[]): Promise<number> {
  const requests = writes.map((write) =>
    'put' in write
      ? {
          PutRequest: {
            Item: {
              pk: REGISTRY_PK,
              sk: itemSk(write.put.id, write.put.since),
              hash: write.put.hash,
              ...(write.put.body === undefined ? { gone: true } : { body: write.put.body }),
            },
          },
        }
      : { DeleteRequest: { Key: { pk: REGISTRY_PK, sk: write.delete } } },
  );
  const batches: (typeof requests)[] = [];
  for (let start = 0; start < requests.length; start += BATCH) batches.push(requests.slice(start, start + BATCH));
  let sent = 0;
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      let pending = batches[next++];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > UNPROCESSED_ATTEMPTS)
          throw new StateError(
            `${table.name} ${REGISTRY_PK}: ${pending.length} registry item write(s) still unprocessed after ${UNPROCESSED_ATTEMPTS} attempts`,
          );
        if (attempt > 1) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const answer = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
        sent++;
        pending = (answer.UnprocessedItems?.[table.name] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, lane));
  return sent;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
