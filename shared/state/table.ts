// What every operation of the store needs: the document client, the table and a clock
// (injected so tests can move time past a lease or a TTL without sleeping).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoValidationError } from './errors.ts';

export interface Table {
  doc: DynamoDBDocumentClient;
  name: string;
  /** Epoch milliseconds. */
  now(): number;
}

/** The one way a Table is built from a client, so every caller marshals items alike. */
export function openTable(client: DynamoDBClient, name: string, now: () => number = Date.now): Table {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  // A ValidationException is refused again however often it is sent: marked as such for every
  // caller. The document client shares its client's middleware stack, hence `override` (one
  // entry however many tables a client opens) and the table named from the request itself.
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ValidationException') throw error;
        const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
        const table = input.TableName ?? Object.keys(input.RequestItems ?? {}).join(', ');
        throw new DynamoValidationError(table || name, String(context.commandName ?? 'a request').replace(/Command$/, ''), error.message, { cause: error });
      }
    },
    { step: 'initialize', name: 'driftlessValidationErrors', override: true },
  );
  return { doc, name, now };
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
