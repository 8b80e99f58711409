// What the shared operations act through: the state store and the job queue (the CLI's
// backend and the API's dependencies both are one), and a clock for the request times.
import type { JobQueue } from '../queue/queue.ts';
import type { StateStore } from '../state/store.ts';

export interface OperationDeps {
  store: StateStore;
  queue: JobQueue;
  /** Defaults to the system clock. */
  now?: () => Date;
}
