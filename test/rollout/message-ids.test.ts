// The FIFO groups and deduplication ids of rollout messages: a set's steps share one group (one
// step at a time, in order); each timer waits in a group of its own (a group delivers nothing
// behind a message in flight, and a timer is in flight while it waits); every rollout message
// is new work, so none is swallowed as another's duplicate.
import { expect, it } from 'vitest';
import type { RolloutJob } from '../../shared/queue/job.ts';
import { messageIds } from '../../shared/queue/message-ids.ts';

const step: RolloutJob = {
  kind: 'rollout',
  set: 'guestbook',
  id: 'a'.repeat(40),
  reason: 'member',
  member: 'guestbook-dev@dev',
  trigger: 'push',
  enqueuedAt: '2026-12-01T12:00:00.000Z',
};

it("put a set's steps in its group, and each timer in one of its own", () => {
  expect(messageIds(step).groupId).toBe('_rollout@guestbook');
  expect(messageIds({ ...step, reason: 'start' }).groupId).toBe('_rollout@guestbook');
  const soon = { ...step, reason: 'timer' as const, dueAt: '2026-12-01T12:00:30.000Z' };
  const later = { ...step, reason: 'timer' as const, dueAt: '2026-12-01T12:10:00.000Z' };
  expect(messageIds(soon).groupId).toBe(`_rollout-timer@guestbook@${Date.parse(soon.dueAt)}`);
  expect(messageIds(soon).groupId).not.toBe(messageIds(later).groupId);
});

it('give every rollout message its own deduplication id', () => {
  const ids = new Set(
    [messageIds(step), messageIds(step), messageIds({ ...step, reason: 'start' }), messageIds({ ...step, reason: 'start' })].map((ids) => ids.deduplicationId),
  );
  expect(ids.size).toBe(4);
  for (const id of ids) expect(id).toMatch(/^[\x21-\x7e]{1,128}$/);
});
