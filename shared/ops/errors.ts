// Errors of the operating rules (rollback, pin). They are the user's request being refused,
// never our bug.
export class OpsRuleError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OpsRuleError';
  }
}

/** The revision asked for is not one the target may be rolled back to. */
export class RollbackRefusedError extends OpsRuleError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RollbackRefusedError';
  }
}
