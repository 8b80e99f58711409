// Expected values from Argo CD's documented syncPolicy.retry: `limit` is the number of failed
// sync attempt retries (0: none; less than 0: unlimited), and the backoff starts at `duration`,
// is multiplied by `factor` after each failed retry and never exceeds `maxDuration`. Argo CD's
// defaults are duration 5s, factor 2, maxDuration 3m.
import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../shared/config/types.ts';
import { isLastAttempt, retryDelaySeconds } from '../../../shared/worker/policy/retry.ts';

const argoDefaults = (limit: number): RetryPolicy => ({ limit, backoff: { durationMs: 5_000, factor: 2, maxDurationMs: 180_000 } });
const delay = (retry: RetryPolicy | undefined, attempt: number, options: { failed?: boolean; maxReceiveCount?: number } = {}) =>
  retryDelaySeconds({ retry, failed: options.failed ?? true, attempt, maxReceiveCount: options.maxReceiveCount ?? 100 });

describe('retryDelaySeconds', () => {
  it('retries `limit` times after the first attempt, then the result is final', () => {
    expect([1, 2, 3].map((attempt) => delay(argoDefaults(2), attempt))).toEqual([5, 10, undefined]);
  });

  it('does not retry with limit 0 or without a retry policy', () => {
    expect(delay(argoDefaults(0), 1)).toBeUndefined();
    expect(delay(undefined, 1)).toBeUndefined();
  });

  it('backs off from duration by factor, capped at maxDuration', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => delay(argoDefaults(10), attempt))).toEqual([5, 10, 20, 40, 80, 160, 180, 180]);
  });

  it('never retries a sync that succeeded', () => {
    expect(delay(argoDefaults(5), 1, { failed: false })).toBeUndefined();
  });

  it("retries without limit when limit is negative, until the queue's last delivery", () => {
    expect(delay(argoDefaults(-1), 4, { maxReceiveCount: 5 })).toBe(40);
    expect(delay(argoDefaults(-1), 5, { maxReceiveCount: 5 })).toBeUndefined();
  });

  it('lets maxReceiveCount end a limit the queue cannot give', () => {
    expect([1, 2, 3].map((attempt) => delay(argoDefaults(10), attempt, { maxReceiveCount: 3 }))).toEqual([5, 10, undefined]);
  });

  it("waits at least one second, the queue's smallest step", () => {
    expect(delay({ limit: 3, backoff: { durationMs: 200, factor: 1, maxDurationMs: 200 } }, 1)).toBe(1);
  });
});

describe('isLastAttempt', () => {
  it('is the delivery after which SQS dead-letters the message', () => {
    expect([isLastAttempt(4, 5), isLastAttempt(5, 5), isLastAttempt(6, 5)]).toEqual([false, true, true]);
  });
});
