// Errors of the state store. Values read back from the table are never put in messages:
// items may hold registry data or messages we did not write ourselves.

export class StateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateError';
  }
}

/** The serialised inventory does not fit into one item: see inventory-codec.ts for the limit. */
export class InventoryTooLargeError extends StateError {
  // The app renders more than one item holds: retrying cannot help.
  readonly badInput = true;
  readonly bytes: number;
  readonly limit: number;
  constructor(target: string, bytes: number, limit: number) {
    super(
      `${target}: inventory is ${bytes} bytes compressed, more than the ${limit} bytes one DynamoDB item can hold; split the application into smaller ones`,
    );
    this.name = 'InventoryTooLargeError';
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** An item in the table does not have the shape this code wrote: our bug or a manual edit. */
export class CorruptItemError extends StateError {
  constructor(key: string, what: string, options?: ErrorOptions) {
    super(`${key}: ${what}`, options);
    this.name = 'CorruptItemError';
  }
}

/**
 * One entry of the registry (an app, a cluster, a project, a document such as the policies or
 * the notifications ConfigMap) is larger than one DynamoDB item can hold. Retrying cannot help:
 * the refresh says so on the config commit and the registry in force stays as it was.
 */
export class RegistryItemTooLargeError extends StateError {
  readonly badInput = true;
  readonly bytes: number;
  readonly limit: number;
  constructor(what: string, file: string | undefined, bytes: number, limit: number) {
    super(
      `${what}${file ? ` (${file})` : ''} is ${bytes} bytes as stored, more than the ${limit} bytes one DynamoDB item can hold; nothing was stored (make it smaller, e.g. move inline Helm values into a values file)`,
    );
    this.name = 'RegistryItemTooLargeError';
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** Another registry write holds the head and did not finish in time: transient, retried. */
export class RegistryBusyError extends StateError {
  constructor(waitedMs: number) {
    super(`another registry write is still in progress after ${waitedMs} ms; try again`);
    this.name = 'RegistryBusyError';
  }
}

/** The registry items never matched their head while reading: a write was interrupted or is very slow. Retried. */
export class RegistryUnsettledError extends StateError {
  constructor(attempts: number) {
    super(
      `the stored registry items did not match the registry head in ${attempts} reads; a registry write was interrupted or is still running, and the next registry refresh rewrites them`,
    );
    this.name = 'RegistryUnsettledError';
  }
}

/**
 * DynamoDB refused a request as invalid (an item over 400 KB, an expression it cannot parse): the
 * same request is refused every time, so it is not retried; recorded with DynamoDB's reason and
 * the operation, never the item's values.
 */
export class DynamoValidationError extends StateError {
  readonly badInput = true;
  constructor(table: string, operation: string, reason: string, options?: ErrorOptions) {
    super(`${table}: DynamoDB refused ${operation} as invalid (${reason}); retrying the same request cannot succeed`, options);
    this.name = 'DynamoValidationError';
  }
}
