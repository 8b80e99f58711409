// The last sha seen per tracked repository and branch, so a later check can tell that a
// push was missed (GitHub does not retry failed deliveries).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { headKey } from './keys.ts';
import { conditional, type Table } from './table.ts';
import type { RepoHead } from './types.ts';

export async function getHead(table: Table, repoURL: string, branch: string): Promise<RepoHead | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: headKey(repoURL, branch), ConsistentRead: true }));
  if (!Item) return undefined;
  return { repoURL, branch, sha: String(Item.sha), updatedAt: String(Item.updatedAt) };
}

/** Written only when the head moved (a conditional put, no read first); false when it was `sha` already. */
export async function putHead(table: Table, repoURL: string, branch: string, sha: string): Promise<boolean> {
  const item = { ...headKey(repoURL, branch), repoURL, branch, sha, updatedAt: new Date(table.now()).toISOString() };
  return conditional(
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#sha) OR #sha <> :sha',
        ExpressionAttributeNames: { '#sha': 'sha' },
        ExpressionAttributeValues: { ':sha': sha },
      }),
    ),
  );
}
