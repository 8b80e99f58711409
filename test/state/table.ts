// Local mode's services once per test file (their table is the Driftless table), and stores
// on a clock the test moves.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalServices } from '../../local/services.ts';
import { DynamoStateStore, type DynamoStateStoreOptions } from '../../shared/state/dynamo-store.ts';
import { awsClientConfig } from '../support/aws.ts';

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
  const services = await startLocalServices();
  const client = new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB));
  const tableName = services.env.STATE_TABLE;
  const clock: Clock = { now: Date.parse('2025-06-01T12:00:00.000Z') };
  return {
    client,
    tableName,
    clock,
    store: (options) => new DynamoStateStore({ client, tableName, now: () => clock.now, ...options }),
    stop: async () => {
      client.destroy();
      await services.stop();
    },
  };
}
