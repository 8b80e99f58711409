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
 * The registry, stored as one item, is larger than one DynamoDB item can hold. Retrying cannot
 * help: the refresh says so on the config commit and the registry in force stays as it was.
 */
export class RegistryTooLargeError extends StateError {
  readonly badInput = true;
  readonly bytes: number;
  readonly limit: number;
  constructor(apps: number, bytes: number, limit: number) {
    super(
      `the registry of ${apps} apps is ${bytes} bytes, more than the ${limit} bytes one DynamoDB item can hold; nothing was stored (split the fleet across deployments until the registry is stored per app)`,
    );
    this.name = 'RegistryTooLargeError';
    this.bytes = bytes;
    this.limit = limit;
  }
}
