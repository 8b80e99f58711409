// What the handler of one event decided, for the intake to act on: an answer to send as it is
// (an ignored event, nothing to do), or jobs to queue once per delivery, with what must be
// recorded before they are (the commit a target must end on).
import type { Job } from '../queue/job.ts';
import type { WebhookResponse } from './intake.ts';

export interface Accepted {
  jobs: Job[];
  /** Called once the delivery is known to be new, before the jobs are sent. */
  record?(): Promise<void>;
  /** The 202's body. */
  body: Record<string, unknown>;
}

export type EventOutcome = WebhookResponse | Accepted;

export function isAccepted(outcome: EventOutcome): outcome is Accepted {
  return 'jobs' in outcome;
}

export function ignored(reason: string): WebhookResponse {
  return { statusCode: 200, body: { message: `ignored: ${reason}` } };
}
