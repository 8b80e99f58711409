// Errors of event emission. Messages name events by type and target, never by their detail.

export class EventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EventError';
  }
}

/** An event our own code built wrongly (a missing app, an unknown type): a bug, not an outage. */
export class InvalidEventError extends EventError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

export interface FailedEvent {
  detailType: string;
  target: string;
  code: string;
}

/** Some events were not accepted even after a retry; the others were. */
export class PublishEventsError extends EventError {
  readonly failed: FailedEvent[];
  constructor(failed: FailedEvent[], options?: ErrorOptions) {
    super(`${failed.length} event(s) not published: ${failed.map((event) => `${event.detailType} ${event.target} (${event.code})`).join(', ')}`, options);
    this.name = 'PublishEventsError';
    this.failed = failed;
  }
}
