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
