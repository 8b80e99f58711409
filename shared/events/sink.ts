// Where events go: EventBridge in AWS, a JSON-lines file in local mode.
import type { DriftlessEvent } from './event.ts';

export interface EventSink {
  /** Publishes all events or throws; malformed ones throw InvalidEventError before any is sent. */
  emit(events: DriftlessEvent[]): Promise<void>;
}
