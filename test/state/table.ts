// One dynalite per test file with the Driftless table in it, and stores on a clock the test moves.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../shared/state/create-table.ts';
import { DynamoStateStore, type DynamoStateStoreOptions } from '../../shared/state/dynamo-store.ts';
import { awsClientConfig, startDynalite } from '../support/aws.ts';

export interface Clock {
  now: number;
}

export interface StateTable {
  client: DynamoDBClient;
  tableName: string;
  clock: Clock;
  store(options?: Partial<DynamoStateStoreOptions>): DynamoStateStore;
  stop(): Promise<void>;
}

export async function startStateTable(): Promise<StateTable> {
  const dynalite = await startDynalite();
  const client = new DynamoDBClient(awsClientConfig(dynalite.endpoint));
  const tableName = 'driftless-test';
  await createTable(client, tableName);
  const clock: Clock = { now: Date.parse('2025-06-01T12:00:00.000Z') };
  return {
    client,
    tableName,
    clock,
    store: (options) => new DynamoStateStore({ client, tableName, now: () => clock.now, ...options }),
    stop: async () => {
      client.destroy();
      await dynalite.stop();
    },
  };
}
