// The rollout items live in their own partition (ROLLOUT): the worker, which steps rollouts, may
// write it; the webhook, which only marks targets and queues a start, may not touch it.
import { expect, it } from 'vitest';
import { FUNCTION_TABLE_KEYS } from '../../infra/constructs/table-keys.ts';
import { rolloutKey } from '../../shared/state/keys.ts';

const matches = (pattern: string, pk: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(pk);

it("let the worker write the sets' rollout items, and not the webhook", () => {
  const pk = rolloutKey('guestbook').pk;
  expect((FUNCTION_TABLE_KEYS.worker.write as readonly string[]).some((pattern) => matches(pattern, pk))).toBe(true);
  const webhook = [...FUNCTION_TABLE_KEYS.webhook.read, ...FUNCTION_TABLE_KEYS.webhook.write] as readonly string[];
  expect(webhook.some((pattern) => matches(pattern, pk))).toBe(false);
});
