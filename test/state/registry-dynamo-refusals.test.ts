// What DynamoDB refuses as invalid is refused again however often it is sent (issue 15, item 6):
// every request through the state table's client turns a ValidationException into bad input,
// naming the table and the operation, so the worker records it once instead of retrying it into
// the dead-letter queue. Against dynalite, which refuses as DynamoDB does.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { openTable } from '../../shared/state/table.ts';
import { startStateTable, type StateTable } from './table.ts';

async function refusal(request: Promise<unknown>): Promise<Error> {
  return request.then(
    () => {
      throw new Error('DynamoDB accepted the request');
    },
    (error: unknown) => error as Error,
  );
}

describe('requests DynamoDB refuses as invalid', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('an item over 400 KB is bad input naming the table and PutItem, with DynamoDB’s reason', async () => {
    const { doc } = openTable(table.client, table.tableName);
    const error = await refusal(
      doc.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'TARGET#x@y', sk: 'STATE', blob: 'x'.repeat(410 * 1024) } })),
    );
    expect(error.name).toBe('DynamoValidationError');
    expect(isBadInput(error)).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^${table.tableName}: DynamoDB refused PutItem as invalid \\(.*[Ii]tem size.*\\); retrying the same request cannot succeed$`),
    );
    // The value sent is never repeated in the message.
    expect(error.message).not.toContain('xxxx');
  });

  it('an expression DynamoDB cannot parse is bad input too, and a failed condition stays what it was', async () => {
    const { doc } = openTable(table.client, table.tableName);
    const error = await refusal(
      doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk: 'TARGET#x@y', sk: 'STATE' },
          UpdateExpression: 'SET = broken',
          ExpressionAttributeValues: { ':v': 1 },
        }),
      ),
    );
    expect(error.name).toBe('DynamoValidationError');
    expect(error.message).toMatch(/DynamoDB refused UpdateItem as invalid/);
    expect(isBadInput(error)).toBe(true);
    const lost = await refusal(
      doc.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'TARGET#x@y', sk: 'STATE' }, ConditionExpression: 'attribute_exists(pk)' })),
    );
    expect(lost.name).toBe('ConditionalCheckFailedException');
    expect(isBadInput(lost)).toBe(false);
  });

  it('opening the table twice on one client does not stack the translation', async () => {
    openTable(table.client, table.tableName);
    const { doc } = openTable(table.client, table.tableName);
    const error = await refusal(
      doc.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'TARGET#x@y', sk: 'STATE', blob: 'x'.repeat(410 * 1024) } })),
    );
    expect(error.name).toBe('DynamoValidationError');
    expect((error.cause as Error).name).toBe('ValidationException');
  });
});
