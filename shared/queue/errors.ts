// Errors of the queue layer. Job bodies are never quoted: a malformed message may hold anything.
import { describeJob, type Job } from './job.ts';

export class QueueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueueError';
  }
}

export interface FailedJob {
  job: Job;
  code: string;
  message: string;
}

/** Some jobs could not be sent even after a retry; the others were. Nothing is dropped silently. */
export class EnqueueError extends QueueError {
  readonly failed: FailedJob[];
  readonly sent: number;
  constructor(failed: FailedJob[], sent: number, options?: ErrorOptions) {
    const list = failed.map(({ job, code }) => `${describeJob(job)} (${code})`).join(', ');
    super(`${failed.length} job(s) not enqueued (${sent} were): ${list}${failed[0]?.message ? `: ${failed[0].message}` : ''}`, options);
    this.name = 'EnqueueError';
    this.failed = failed;
    this.sent = sent;
  }
}

/** A message body that is not a job: a bug in whoever sent it, not a reason to retry. */
export class InvalidJobError extends QueueError {
  /** Dotted path of the offending field, absent when the body is not JSON at all. */
  readonly field?: string;
  constructor(message: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidJobError';
    this.field = field;
  }
}
