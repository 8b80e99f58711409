// The FIFO group and deduplication ids are a contract with jobs already on the queue and with
// SQS's five-minute deduplication window: the same work keeps the same ids.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DriftScanJob, RegistryRefreshJob } from '../../shared/queue/job.ts';
import { messageIds } from '../../shared/queue/message-ids.ts';
import { job } from './queues.ts';

const sha = 'a'.repeat(40);
const enqueuedAt = '2025-06-01T12:00:00.000Z';

afterEach(() => {
  vi.useRealTimers();
});

describe('messageIds', () => {
  it("groups a target's syncs by app@cluster and deduplicates a push or config sync by revision", () => {
    expect(messageIds(job('shop', 'prod', sha))).toEqual({ groupId: 'shop@prod', deduplicationId: `shop@prod@${sha}` });
    expect(messageIds(job('shop', 'prod', sha, { trigger: 'config', deliveryId: 'other' }))).toEqual({
      groupId: 'shop@prod',
      deduplicationId: `shop@prod@${sha}`,
    });
  });

  it('tells a continuation from its push by its count, whatever its trigger', () => {
    expect(messageIds(job('shop', 'prod', sha, { continuation: 1 })).deduplicationId).toBe(`shop@prod@${sha}@continue@1`);
    expect(messageIds(job('shop', 'prod', sha, { trigger: 'rollback', continuation: 3 })).deduplicationId).toBe(`shop@prod@${sha}@continue@3`);
  });

  it('tells self-heal, missed-push, manual and rollback syncs apart by when they are sent', () => {
    vi.useFakeTimers({ now: 1_750_000_000_000 });
    for (const trigger of ['self-heal', 'missed-push', 'manual', 'rollback'] as const) {
      expect(messageIds(job('shop', 'prod', sha, { trigger }))).toEqual({ groupId: 'shop@prod', deduplicationId: `shop@prod@${sha}@${trigger}@1750000000000` });
    }
  });

  it("puts a drift scan in its target's group, once per schedule period", () => {
    const scan: DriftScanJob = { kind: 'drift-scan', app: 'shop', cluster: 'prod', revision: sha, enqueuedAt, schedulePeriod: 5_833_333 };
    expect(messageIds(scan)).toEqual({ groupId: 'shop@prod', deduplicationId: `shop@prod@${sha}@drift-scan@5833333` });
  });

  it('keeps registry refreshes in their own group', () => {
    vi.useFakeTimers({ now: 1_750_000_000_000 });
    const refresh: RegistryRefreshJob = { kind: 'registry-refresh', revision: sha, ref: 'main', trigger: 'config', enqueuedAt };
    expect(messageIds(refresh)).toEqual({ groupId: '_registry@_config', deduplicationId: `_registry@_config@${sha}` });
    expect(messageIds({ ...refresh, trigger: 'missed-push' }).deduplicationId).toBe(`_registry@_config@${sha}@missed-push@1750000000000`);
  });

  it('hashes an id SQS would refuse, the same way every time', () => {
    const long = job('a'.repeat(130), 'prod', sha);
    const ids = messageIds(long);
    expect(ids.groupId).toMatch(/^[0-9a-f]{64}$/);
    expect(ids.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(messageIds(long)).toEqual(ids);
  });

  it("puts an app-waves step in its parent target's group, one step per child's finish", () => {
    vi.useFakeTimers({ now: 1_750_000_000_000 });
    const step = (child: string) => messageIds({ kind: 'app-waves', app: 'root', cluster: 'prod', revision: sha, child, enqueuedAt });
    expect(step('db@prod')).toEqual({ groupId: 'root@prod', deduplicationId: `root@prod@${sha}@app-waves@db@prod@1750000000000` });
    // Two children of a wave ending in the same millisecond are both looked at.
    expect(step('cache@prod').deduplicationId).not.toBe(step('db@prod').deduplicationId);
  });
});
