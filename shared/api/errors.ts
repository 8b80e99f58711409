// Errors the dashboard API answers with, each with its HTTP status; the router turns them
// (and the shared operations' and RBAC's errors) into `{ error }` answers.
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** A malformed request: bad query value, cursor or body. */
export class BadRequestError extends ApiError {
  constructor(message: string, options?: ErrorOptions) {
    super(400, message, options);
    this.name = 'BadRequestError';
  }
}

/** No identity: the request did not come through the JWT authorizer (or local mode). */
export class UnauthorizedError extends ApiError {
  constructor(message = 'sign in first: the request carries no verified identity', options?: ErrorOptions) {
    super(401, message, options);
    this.name = 'UnauthorizedError';
  }
}

/** No such route, app or cluster. */
export class RouteNotFoundError extends ApiError {
  constructor(message: string, options?: ErrorOptions) {
    super(404, message, options);
    this.name = 'RouteNotFoundError';
  }
}

/** The route exists, the method does not. */
export class MethodNotAllowedError extends ApiError {
  readonly allow: string;
  constructor(method: string, path: string, allow: string) {
    super(405, `${method} is not allowed on ${path} (allowed: ${allow})`);
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}
