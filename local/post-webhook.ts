// Posts a signed GitHub webhook delivery, as GitHub would. `deliveryId` is kept on a
// redelivery, as GitHub's "Redeliver" keeps X-GitHub-Delivery.
import { Webhooks } from '@octokit/webhooks';
import { randomUUID } from 'node:crypto';

export async function postWebhook(
  url: string,
  secret: string,
  event: string,
  payload: unknown,
  deliveryId: string = randomUUID(),
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  const signature = await new Webhooks({ secret }).sign(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signature,
      'user-agent': 'GitHub-Hookshot/driftless-local',
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
