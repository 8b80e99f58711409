// A webhook delivery as GitHub sends it: the event and delivery headers, and the body signed
// with the webhook secret (X-Hub-Signature-256, HMAC-SHA256 of the raw body).
import { createHmac, randomUUID } from 'node:crypto';

export function signedDelivery(body: string, secret: string, event = 'push', id: string = randomUUID()) {
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  };
}
