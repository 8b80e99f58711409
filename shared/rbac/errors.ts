// Errors of RBAC: a policy that cannot be read (the config repository's fault, named with the
// file it came from), and a request the policy refuses (the API answers 403 with its message).
import type { BadInputMark } from '../errors/bad-input.ts';

export class RbacError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RbacError';
  }
}

/** A `policy.csv`, `policy.default` or `scopes` that cannot be read. */
export class RbacPolicyError extends RbacError implements BadInputMark {
  readonly badInput = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RbacPolicyError';
  }
}

/** The identity may not do this: names the check that failed, never a token or claim value beyond the subject. */
export class PermissionDeniedError extends RbacError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermissionDeniedError';
  }
}
