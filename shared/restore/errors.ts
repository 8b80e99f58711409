// Errors of `driftless restore`. Refusing a table that still holds state is a refusal, not a
// failure: the user decides with --force. A registry that does not load is the config
// repository's problem and keeps its own error (config/errors.ts), so the CLI says so.
import type { BadInputMark } from '../errors/bad-input.ts';

export class RestoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RestoreError';
  }
}

/** Restore rebuilds a lost table; writing into one that has state must be asked for. */
export class TableNotEmptyError extends RestoreError implements BadInputMark {
  readonly badInput = true;
  constructor(table: string) {
    super(`${table} is not empty: restore rebuilds a state table that was lost; to merge what Git and the clusters say into this one, pass --force`);
    this.name = 'TableNotEmptyError';
  }
}
