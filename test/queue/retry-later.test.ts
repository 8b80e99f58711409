import { expect, it } from 'vitest';
import { DEFAULT_RETRY_BASE_SECONDS, retryDelaySeconds } from '../../shared/queue/retry-later.ts';

it('backs off exponentially per attempt and never beyond 15 minutes', () => {
  expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(attempt, 10))).toEqual([10, 20, 40, 80]);
  expect(retryDelaySeconds(12, 10)).toBe(900);
  expect(retryDelaySeconds(1, 1)).toBe(1);
});

it("rides out an outage of an hour with the default base and the queue's 10 receives before the DLQ", () => {
  // Receives 1 to 9 fail and wait; the 10th is the last (SQS then moves the job to the DLQ).
  const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => retryDelaySeconds(attempt, DEFAULT_RETRY_BASE_SECONDS));
  expect(waits).toEqual([15, 30, 60, 120, 240, 480, 900, 900, 900]);
  expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThan(3600);
  // SQS refuses a visibility timeout over 12 hours; ours stays at 15 minutes.
  expect(Math.max(...waits)).toBeLessThanOrEqual(15 * 60);
});
