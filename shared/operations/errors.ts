// Errors of the operations the CLI and the dashboard API share (look an app up, request a sync,
// roll back, suspend, resume). Both are the caller's fault (badInput): the CLI ends with exit 2,
// the API answers 404 or 409.
import type { BadInputMark } from '../errors/bad-input.ts';

export class OperationError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OperationError';
  }
}

/** An app, cluster or revision the operation was asked about does not exist. */
export class NotFoundError extends OperationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** The request is understood but refused (rollback to a never-synced revision, sync off the pin). */
export class RefusedError extends OperationError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RefusedError';
  }
}

/** The revision asked for is not one the target may be rolled back to (rollback-rules.ts). */
export class RollbackRefusedError extends RefusedError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RollbackRefusedError';
  }
}
