import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidEventError, PublishEventsError } from '../../shared/events/errors.ts';
import type { DriftlessEvent } from '../../shared/events/event.ts';
import { EventBridgeSink } from '../../shared/events/eventbridge-sink.ts';
import { awsClientConfig } from '../support/aws.ts';
import { startEventBridgeDouble, type EventBridgeDouble } from '../support/eventbridge.ts';

function synced(app: string): DriftlessEvent {
  return { detailType: 'Sync Succeeded', detail: { app, cluster: 'prod', revision: 'a'.repeat(40), summary: `${app} synced`, counts: { configured: 2 } } };
}

describe('EventBridgeSink', () => {
  let eventbridge: EventBridgeDouble;
  let client: EventBridgeClient;
  beforeAll(async () => {
    eventbridge = await startEventBridgeDouble();
    // No SDK retries: the sink's own retry is what is under test.
    client = new EventBridgeClient({ ...awsClientConfig(eventbridge.endpoint), maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await eventbridge.stop();
  });
  beforeEach(() => {
    eventbridge.entries.length = 0;
    eventbridge.requests = 0;
  });

  it('puts events on the bus with our source and their detail type', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    await sink.emit([synced('shop'), { detailType: 'Drift Detected', detail: { app: 'web', cluster: 'eu', summary: '1 object drifted', driftedCount: 1 } }]);
    expect(eventbridge.entries.map(({ Source, DetailType, EventBusName }) => ({ Source, DetailType, EventBusName }))).toEqual([
      { Source: 'driftless', DetailType: 'Sync Succeeded', EventBusName: 'driftless-bus' },
      { Source: 'driftless', DetailType: 'Drift Detected', EventBusName: 'driftless-bus' },
    ]);
    expect(JSON.parse(eventbridge.entries[0].Detail ?? '')).toEqual({
      app: 'shop',
      cluster: 'prod',
      revision: 'a'.repeat(40),
      summary: 'shop synced',
      counts: { configured: 2 },
    });
  });

  it('sends at most 10 entries per request', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    await sink.emit(Array.from({ length: 23 }, (_, i) => synced(`app-${i}`)));
    expect(eventbridge.requests).toBe(3);
    expect(eventbridge.entries).toHaveLength(23);
  });

  it('keeps only allowed detail fields', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    const state = {
      app: 'shop',
      cluster: 'prod',
      summary: 'sync failed',
      health: 'Degraded' as const,
      inventory: { app: 'shop', entries: [] },
      manifest: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } },
      token: 'ghs_secret',
      driftedObjects: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db', data: { password: 'aHVudGVyMg==' } }],
    };
    await sink.emit([{ detailType: 'Sync Failed', detail: state }]);
    const detail = eventbridge.entries[0].Detail ?? '';
    expect(JSON.parse(detail)).toEqual({
      app: 'shop',
      cluster: 'prod',
      summary: 'sync failed',
      health: 'Degraded',
      driftedObjects: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' }],
    });
    expect(detail).not.toContain('aHVudGVyMg');
    expect(detail).not.toContain('ghs_');
  });

  it('retries refused entries once', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    eventbridge.failNext(2);
    await sink.emit([synced('one'), synced('two'), synced('three')]);
    expect(eventbridge.requests).toBe(2);
    expect(eventbridge.entries.map((entry) => JSON.parse(entry.Detail ?? '').app)).toEqual(['three', 'one', 'two']);
  });

  it('names the events still refused after the retry', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    eventbridge.failNext(3, 'ThrottlingException');
    const error = await sink.emit([synced('one'), synced('two')]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(PublishEventsError);
    expect((error as PublishEventsError).failed).toEqual([{ detailType: 'Sync Succeeded', target: 'one@prod', code: 'ThrottlingException' }]);
    expect(eventbridge.entries.map((entry) => JSON.parse(entry.Detail ?? '').app)).toEqual(['two']);
  });

  it('sends nothing when one event is malformed', async () => {
    const sink = new EventBridgeSink({ client, busName: 'driftless-bus' });
    const broken = { detailType: 'Sync Started', detail: { cluster: 'prod', summary: 'no app' } } as unknown as DriftlessEvent;
    await expect(sink.emit([synced('fine'), broken])).rejects.toThrow(InvalidEventError);
    await expect(sink.emit([{ detailType: 'Sync Exploded', detail: { app: 'a', cluster: 'b', summary: 's' } } as unknown as DriftlessEvent])).rejects.toThrow(
      /unknown event type/,
    );
    expect(eventbridge.requests).toBe(0);
  });
});
