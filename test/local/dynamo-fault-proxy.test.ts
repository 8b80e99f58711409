// The soak's slow, throttling DynamoDB: the real AWS SDK client sees DynamoDB's own throttling
// error (HTTP 400, ProvisionedThroughputExceededException), classifies it as throttling and
// retries; a throttled write never reaches the table; reads pass; every answer is delayed.
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoFaultProxy, type DynamoFaultOptions, type DynamoFaultProxy } from '../../local/dynamo-fault-proxy.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { awsClientConfig } from '../support/aws.ts';

let services: LocalServices;
let direct: DynamoDBClient;
const TABLE = 'driftless-state';
const proxies: DynamoFaultProxy[] = [];

beforeAll(async () => {
  services = await startLocalServices();
  direct = new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB));
});
afterAll(async () => {
  direct?.destroy();
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await services?.stop();
});

async function proxied(
  options: Omit<DynamoFaultOptions, 'target'>,
  clientOptions: { maxAttempts?: number } = {},
): Promise<{ proxy: DynamoFaultProxy; client: DynamoDBClient }> {
  const proxy = await startDynamoFaultProxy({ target: services.env.AWS_ENDPOINT_URL_DYNAMODB, ...options });
  proxies.push(proxy);
  return { proxy, client: new DynamoDBClient({ ...awsClientConfig(proxy.url), ...clientOptions }) };
}

/** Answers the given values in turn, then 0.99 (never throttles). */
function dice(...values: number[]): () => number {
  return () => values.shift() ?? 0.99;
}

const key = (name: string) => ({ pk: { S: `proxy#${name}` }, sk: { S: 'item' } });

async function stored(name: string): Promise<boolean> {
  const { Item } = await direct.send(new GetItemCommand({ TableName: TABLE, Key: key(name), ConsistentRead: true }));
  return Item !== undefined;
}

describe('the DynamoDB fault proxy', () => {
  it('answers a throttled write with DynamoDB’s throttling error and does not write it', async () => {
    const { proxy, client } = await proxied({ throttleRate: 1 }, { maxAttempts: 1 });
    const error = await client
      .send(new PutItemCommand({ TableName: TABLE, Item: { ...key('refused'), value: { S: 'x' } } }))
      .catch((problem: unknown) => problem);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
    expect(await stored('refused')).toBe(false);
    expect(proxy.stats.throttled).toEqual({ PutItem: 1 });
    client.destroy();
  });

  it('is retried by the SDK as throttling, and the write goes through on the third attempt', async () => {
    const { proxy, client } = await proxied({ throttleRate: 0.5, random: dice(0.1, 0.2) });
    const answer = await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('retried'), value: { S: 'x' } } }));
    expect(answer.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 3 });
    expect(await stored('retried')).toBe(true);
    expect(proxy.stats).toMatchObject({ requests: { PutItem: 3 }, throttled: { PutItem: 2 } });
    client.destroy();
  });

  it('throttles UpdateItem and DeleteItem too but never reads, and can send ThrottlingException', async () => {
    const { proxy, client } = await proxied({ throttleRate: 1, throttleError: 'ThrottlingException' }, { maxAttempts: 1 });
    await direct.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('read'), value: { S: 'x' } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('read') }));
    expect(Item?.value).toEqual({ S: 'x' });
    const error = await client
      .send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: key('read'),
          UpdateExpression: 'SET #v = :v',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':v': { S: 'y' } },
        }),
      )
      .catch((problem: unknown) => problem);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(proxy.stats.throttled).toEqual({ UpdateItem: 1 });
    expect(proxy.stats.requests).toEqual({ GetItem: 1, UpdateItem: 1 });
    client.destroy();
  });

  it('throttles from the next request on once configured to', async () => {
    const { proxy, client } = await proxied({}, { maxAttempts: 1 });
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('before'), value: { S: 'x' } } }));
    proxy.configure({ throttleRate: 1 });
    const error = await client
      .send(new PutItemCommand({ TableName: TABLE, Item: { ...key('after'), value: { S: 'x' } } }))
      .catch((problem: unknown) => problem);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect([await stored('before'), await stored('after')]).toEqual([true, false]);
    client.destroy();
  });

  it('delays every answer by its latency', async () => {
    const { client } = await proxied({ latencyMs: 150 });
    const started = performance.now();
    await client.send(new GetItemCommand({ TableName: TABLE, Key: key('slow') }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    client.destroy();
  });
});
