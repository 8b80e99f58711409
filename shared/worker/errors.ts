// Errors of the sync worker. A RetryableJobError sends the message back to the queue (a batch
// item failure): it is tried again after the visibility timeout and lands in the DLQ after
// maxReceiveCount. Everything else is recorded on the target and the message is done.

export class WorkerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkerError';
  }
}

export class RetryableJobError extends WorkerError {
  /** When the next attempt should come; the worker's default backoff applies when absent. */
  readonly retryAfterSeconds?: number;
  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, options);
    this.name = 'RetryableJobError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/**
 * Not a failure: a rollout's timer that is not due yet goes back to the queue until it is (SQS
 * FIFO has no per-message delay, so the visibility timeout is the clock). Logged as a wait.
 */
export class NotDueYetError extends RetryableJobError {
  readonly notDueYet = true;
  constructor(message: string, options: { retryAfterSeconds: number }) {
    super(message, options);
    this.name = 'NotDueYetError';
  }
}

/** Another worker holds the target's lease: try again later rather than sync side by side. */
export class LeaseBusyError extends RetryableJobError {
  constructor(target: string) {
    super(`${target} is being synced by another worker; will retry`);
    this.name = 'LeaseBusyError';
  }
}
