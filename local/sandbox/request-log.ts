// The ordered record of every request the sandbox answered, so tests can assert what a
// client actually sent (how many LISTs, which patch type, which field manager).
// A request is kept as the server saw it (its raw body, its query string) and turned into a
// LoggedRequest only when someone reads the log: a fleet of writes in local mode pays a copy
// of each body, not a parse of it.

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

/** What the server records: a LoggedRequest before its parsing. */
export interface RecordedRequest extends Omit<LoggedRequest, 'seq' | 'time' | 'query' | 'body'> {
  /** Arrival, in ms since the epoch. */
  arrived: number;
  /** The URL's query string ('?' and all, or empty). */
  search: string;
  /** The body of a write, copied out of the socket's buffers. */
  raw?: Buffer;
}

/** Turns a write's raw body into what `body` shows (the server's own lenient parse). */
export type BodyParser = (raw: Buffer, contentType: string | undefined) => unknown;

interface Kept {
  seq: number;
  request: RecordedRequest;
  parsed?: LoggedRequest;
}

export class RequestLog {
  private log: Kept[] = [];
  private seq = 0;
  private readonly parseBody: BodyParser;

  constructor(parseBody: BodyParser = (raw) => raw.toString('utf8')) {
    this.parseBody = parseBody;
  }

  entries(): LoggedRequest[] {
    return this.log.map((kept) => ({ ...(kept.parsed ??= this.materialise(kept)) }));
  }

  clear(): void {
    this.log = [];
  }

  /** @internal Used by the server. */
  record(request: RecordedRequest): void {
    this.seq += 1;
    this.log.push({ seq: this.seq, request });
  }

  private materialise({ seq, request }: Kept): LoggedRequest {
    const { arrived, search, raw, method, verb, path, contentType, bodySize, status, ...resource } = request;
    return {
      seq,
      time: new Date(arrived).toISOString(),
      method,
      verb,
      path,
      query: Object.fromEntries(new URLSearchParams(search)),
      ...resource,
      ...(contentType !== undefined ? { contentType } : {}),
      bodySize,
      ...(raw ? { body: this.parseBody(raw, contentType) } : {}),
      status,
    };
  }
}
