// When a failed sync is tried again, by the app's own retry policy (Argo CD's
// syncPolicy.retry): `limit` counts the retries after the first attempt (0: none, negative:
// no limit), and retry n waits `duration × factor^(n−1)`, at most `maxDuration`. The queue's
// maxReceiveCount bounds it either way: the last delivery's result is final.
import type { RetryPolicy } from '../../config/types.ts';

export interface RetryInput {
  retry: RetryPolicy | undefined;
  /** Whether the attempt that just ended failed. */
  failed: boolean;
  /** Which delivery of the message this was, from 1 (SQS ApproximateReceiveCount). */
  attempt: number;
  maxReceiveCount: number;
}

/** Seconds until the next attempt, or undefined when this attempt's result is final. */
export function retryDelaySeconds({ retry, failed, attempt, maxReceiveCount }: RetryInput): number | undefined {
  if (!retry || !failed) return undefined;
  if ((retry.limit >= 0 && attempt > retry.limit) || isLastAttempt(attempt, maxReceiveCount)) return undefined;
  // Retry number `attempt` follows the attempt-th failure.
  const delayMs = Math.min(retry.backoff.durationMs * retry.backoff.factor ** (attempt - 1), retry.backoff.maxDurationMs);
  // The queue counts in whole seconds; never 0, which would make the message visible at once.
  return Math.max(1, Math.round(delayMs / 1000));
}

/** The delivery after which SQS moves the message to the dead-letter queue. */
export function isLastAttempt(attempt: number, maxReceiveCount: number): boolean {
  return attempt >= maxReceiveCount;
}
