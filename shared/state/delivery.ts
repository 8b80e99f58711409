// Webhook delivery dedupe: GitHub redelivers with the same X-GitHub-Delivery, and a delivery
// seen within its TTL is not enqueued again. The webhook also remembers each body under its
// replayKey (`body:sha256:…`, no GUID has a colon): a signed body re-posted under a new
// delivery id is a replay. The TTL attribute lets DynamoDB delete old ones;
// since that deletion lags (and dynalite never does it), an expired item counts as absent.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryKey } from './keys.ts';
import { conditional, epochSeconds, type Table } from './table.ts';

export async function rememberDelivery(table: Table, id: string, ttlSeconds: number): Promise<boolean> {
  const now = epochSeconds(table.now());
  return conditional(
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...deliveryKey(id), expiresAt: now + ttlSeconds },
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#pk': 'pk', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}

/** Undoes rememberDelivery when the delivery could not be handled, so GitHub's redelivery is. */
export async function forgetDelivery(table: Table, id: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: deliveryKey(id) }));
}
