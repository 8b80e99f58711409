// A minimal HTTPS client for the sandbox tests: trusts the sandbox CA, sends the bearer
// token, and reads JSON answers or a watch stream.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Sandbox } from '../../../../local/sandbox/index.ts';

// Answers are JSON the tests assert on field by field; typing every Kubernetes kind here
// would add nothing the assertions do not already check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

export interface RequestOptions {
  contentType?: string;
  token?: string | null;
  /** Raw text body (YAML); otherwise `body` is sent as JSON. */
  text?: string;
  /** Raw bytes (protobuf). */
  bytes?: Buffer;
}

export interface Client {
  request<T = Json>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Answer<T>>;
  get<T = Json>(path: string): Promise<Answer<T>>;
  post<T = Json>(path: string, body: unknown): Promise<Answer<T>>;
  put<T = Json>(path: string, body: unknown): Promise<Answer<T>>;
  patch<T = Json>(path: string, body: unknown, contentType: string): Promise<Answer<T>>;
  delete<T = Json>(path: string, body?: unknown): Promise<Answer<T>>;
  watch(path: string): Promise<Watch>;
}

export interface WatchEvent {
  type: string;
  object: Json;
}

export interface Watch {
  events: WatchEvent[];
  /** Resolves with the first event (already received or future) matching the predicate. */
  next(predicate: (event: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent>;
  close(): void;
}

export function clientFor(sandbox: Sandbox): Client {
  const send = <T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer<T>> =>
    new Promise((resolve, reject) => {
      const payload = options.bytes ?? options.text ?? (body === undefined ? undefined : JSON.stringify(body));
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'sandbox-test/1.0' };
      const token = options.token === undefined ? sandbox.token : options.token;
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
      const req = httpsRequest(`${sandbox.url}${path}`, { method, headers, ca: sandbox.caPem, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Plain text answers (health) stay text.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });

  const watch = (path: string): Promise<Watch> =>
    new Promise((resolve, reject) => {
      const events: WatchEvent[] = [];
      const waiters: Array<() => void> = [];
      const req = httpsRequest(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${sandbox.token}` }, ca: sandbox.caPem, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch answered ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) events.push(JSON.parse(line) as WatchEvent);
          }
          for (const wake of [...waiters]) wake();
        });
        res.on('error', () => undefined);
        resolve({
          events,
          next(predicate, timeoutMs = 5000) {
            return new Promise((found, fail) => {
              const check = () => {
                const hit = events.find(predicate);
                if (!hit) return false;
                clearTimeout(timer);
                waiters.splice(waiters.indexOf(check), 1);
                found(hit);
                return true;
              };
              const timer = setTimeout(() => {
                waiters.splice(waiters.indexOf(check), 1);
                fail(
                  new Error(`no matching watch event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => `${e.type} ${e.object?.metadata?.name}`))}`),
                );
              }, timeoutMs);
              waiters.push(check);
              check();
            });
          },
          close() {
            req.destroy();
          },
        });
      });
      req.on('error', () => undefined);
      req.end();
    });

  return {
    request: send,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    patch: (path, body, contentType) => send('PATCH', path, body, { contentType }),
    delete: (path, body) => send('DELETE', path, body),
    watch,
  };
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
