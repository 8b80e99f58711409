// Acting on a delivery once: its X-GitHub-Delivery and its body's hash (replayKey) are
// remembered, what the jobs need recorded is recorded, then the jobs are sent. When they do not
// all reach the queue both are forgotten again, so GitHub's redelivery is handled.
import { createHash } from 'node:crypto';
import type { Accepted } from './accepted.ts';
import type { WebhookDependencies, WebhookResponse } from './intake.ts';

/** The key a body is remembered by, beside the delivery ids: no GUID has a colon. */
export function replayKey(body: string): string {
  return `body:sha256:${createHash('sha256').update(body).digest('hex')}`;
}

export async function queueOnce(
  accepted: Accepted,
  delivery: { id: string; body: string },
  deps: Pick<WebhookDependencies, 'rememberDelivery' | 'forgetDelivery' | 'enqueue'>,
): Promise<WebhookResponse> {
  if (!(await deps.rememberDelivery(delivery.id))) return { statusCode: 200, body: { message: `delivery ${delivery.id} was already handled` } };
  const bodyKey = replayKey(delivery.body);
  if (!(await deps.rememberDelivery(bodyKey))) {
    return { statusCode: 200, body: { message: `delivery ${delivery.id} repeats the body of a delivery already handled: not queued again (a replay)` } };
  }
  try {
    await accepted.record?.();
    await deps.enqueue(accepted.jobs);
  } catch (error) {
    await deps.forgetDelivery(bodyKey);
    await deps.forgetDelivery(delivery.id);
    throw error;
  }
  return { statusCode: 202, body: accepted.body };
}
