/** The function's own configuration (environment, secret) is unusable: an operator's fix, not a user's. */
export class RuntimeConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeConfigError';
  }
}
