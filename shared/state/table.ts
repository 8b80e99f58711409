// What every operation of the store needs: the document client, the table and a clock
// (injected so tests can move time past a lease or a TTL without sleeping).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Table {
  doc: DynamoDBDocumentClient;
  name: string;
  /** Epoch milliseconds. */
  now(): number;
}

/** The one way a Table is built from a client, so every caller marshals items alike. */
export function openTable(client: DynamoDBClient, name: string, now: () => number = Date.now): Table {
  return { doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), name, now };
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** DynamoDB's own "the condition did not hold", as opposed to any other failure. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write: true when it was written, false when its condition did not hold. */
export async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
