// EventSink on an EventBridge bus: PutEvents in batches of 10 (its maximum), entries the bus
// refused retried once, whatever still fails reported by name.
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishEventsError, type FailedEvent } from './errors.ts';
import { cleanEvents, EVENT_SOURCE, eventTarget, type CleanEvent, type DriftlessEvent } from './event.ts';
import type { EventSink } from './sink.ts';

const MAX_ENTRIES = 10;

export interface EventBridgeSinkOptions {
  client: EventBridgeClient;
  busName: string;
  source?: string;
}

interface Attempt {
  failed: Array<{ event: CleanEvent; code: string }>;
}

export class EventBridgeSink implements EventSink {
  private readonly client: EventBridgeClient;
  private readonly busName: string;
  private readonly source: string;

  constructor(options: EventBridgeSinkOptions) {
    this.client = options.client;
    this.busName = options.busName;
    this.source = options.source ?? EVENT_SOURCE;
  }

  async emit(events: DriftlessEvent[]): Promise<void> {
    const clean = cleanEvents(events);
    const failed: FailedEvent[] = [];
    for (let start = 0; start < clean.length; start += MAX_ENTRIES) {
      const batch = clean.slice(start, start + MAX_ENTRIES);
      const first = await this.put(batch);
      const second = first.failed.length > 0 ? await this.put(first.failed.map(({ event }) => event)) : first;
      for (const { event, code } of second.failed) failed.push({ detailType: event.detailType, target: eventTarget(event.detail), code });
    }
    if (failed.length > 0) throw new PublishEventsError(failed);
  }

  private async put(events: CleanEvent[]): Promise<Attempt> {
    let response;
    try {
      response = await this.client.send(new PutEventsCommand({ Entries: events.map((event) => this.entry(event)) }));
    } catch (error) {
      // The SDK has retried the call already; every entry of it counts as failed once.
      const code = error instanceof Error ? error.name : 'Error';
      return { failed: events.map((event) => ({ event, code })) };
    }
    // Entries answer in request order; a failed one carries an ErrorCode instead of an EventId.
    const failed: Attempt['failed'] = [];
    events.forEach((event, index) => {
      const answer = response.Entries?.[index];
      if (!answer?.EventId) failed.push({ event, code: answer?.ErrorCode ?? 'NoAnswer' });
    });
    return { failed };
  }

  private entry(event: CleanEvent): PutEventsRequestEntry {
    return {
      Source: this.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.busName,
      Time: event.time,
    };
  }
}
