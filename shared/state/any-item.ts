// Whether the table holds anything at all: `driftless restore` rebuilds a lost table and
// refuses to write into one that still has state unless told to.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Table } from './table.ts';

export async function hasAnyItem(table: Table): Promise<boolean> {
  let startKey: Record<string, unknown> | undefined;
  // A Scan's Limit counts items read, not returned, so one page of one key answers it.
  do {
    const page = await table.doc.send(
      new ScanCommand({ TableName: table.name, Limit: 1, ProjectionExpression: '#pk', ExpressionAttributeNames: { '#pk': 'pk' }, ExclusiveStartKey: startKey }),
    );
    if ((page.Items ?? []).length > 0) return true;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return false;
}
