// The ordered record of every request the sandbox answered, so tests can assert what a
// client actually sent (how many LISTs, which patch type, which field manager).

export interface LoggedRequest {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  verb: string;
  path: string;
  query: Record<string, string>;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  contentType?: string;
  bodySize: number;
  /** Parsed body of writes (JSON or YAML). */
  body?: unknown;
  /** Response code; 0 when the connection was dropped by a fault. */
  status: number;
}

export class RequestLog {
  private log: LoggedRequest[] = [];
  private seq = 0;

  entries(): LoggedRequest[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.log = [];
  }

  /** @internal Used by the server. */
  record(entry: Omit<LoggedRequest, 'seq'>): void {
    this.seq += 1;
    this.log.push({ seq: this.seq, ...entry });
  }
}
