// Errors of the sandbox API server. A StatusError is an answer the real API server would
// give (NotFound, Conflict, ...) and becomes a `Status` response; anything else reaching
// the HTTP layer is our own bug and becomes a 500 InternalError.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `Status` object of meta/v1, as the API server writes it. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class SandboxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SandboxError';
  }
}

export class StatusError extends SandboxError {
  readonly status: Status;
  /** Extra response headers, e.g. Retry-After for 429. */
  readonly headers: Record<string, string>;

  constructor(status: Status, headers: Record<string, string> = {}, options?: ErrorOptions) {
    // An answer, not a bug: its stack says nothing, and capturing one on every 404 (a sync
    // GETs each object before applying it) costs more than the rest of the GET.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(status.message ?? status.reason ?? `HTTP ${status.code}`, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'StatusError';
    this.status = status;
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }
}
