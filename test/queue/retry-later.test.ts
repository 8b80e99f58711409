import { expect, it } from 'vitest';
import { retryDelaySeconds } from '../../shared/queue/retry-later.ts';

it('backs off exponentially per attempt and never beyond 15 minutes', () => {
  expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(attempt, 10))).toEqual([10, 20, 40, 80]);
  expect(retryDelaySeconds(12, 10)).toBe(900);
  expect(retryDelaySeconds(1, 1)).toBe(1);
});
