// A small HTTPS client for the Kubernetes API that sends bodies exactly as given.
//
// We do not use @kubernetes/client-node's typed APIs for requests: their model
// serialisation drops fields they do not know (NetworkPolicy `ingress[].from`, upstream
// issue #2825). client-node only produces credentials for exec and auth-provider plugins
// (connect-plugin.ts).
import { Agent, request as httpsRequest } from 'node:https';
import { KubeApiError, KubeConnectionError, type ApiStatus } from './errors.ts';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

export interface KubeCredentials {
  server: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  /** The name the server's certificate must carry, when it is not the server URL's host (kubeconfig tls-server-name). */
  servername?: string;
  /** An http:// or https:// proxy every connection goes through with CONNECT (kubeconfig proxy-url). */
  proxyUrl?: string;
  /** Called per request so short-lived tokens (EKS: 15 minutes) can be refreshed. */
  headers(): Promise<Record<string, string>>;
}

export interface KubeClientOptions {
  /** Concurrent connections to the API server. Every fan-out above this queues. */
  maxSockets?: number;
  /** Attempts for throttled (429), unavailable (503) or dropped requests. */
  maxAttempts?: number;
  timeoutMs?: number;
}

const RETRYABLE_STATUS = new Set([429, 503, 504]);

export class KubeClient {
  readonly server: string;
  readonly #credentials: KubeCredentials;
  readonly #agent: Agent;
  readonly #maxAttempts: number;
  readonly #timeoutMs: number;

  constructor(credentials: KubeCredentials, options: KubeClientOptions = {}) {
    this.server = credentials.server.replace(/\/+$/, '');
    this.#credentials = credentials;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 16,
      ca: credentials.ca,
      cert: credentials.cert,
      key: credentials.key,
      rejectUnauthorized: credentials.rejectUnauthorized ?? true,
      servername: credentials.servername,
      // Node's own CONNECT tunnelling; the proxy is this cluster's alone, not the environment's.
      proxyEnv: credentials.proxyUrl ? { HTTPS_PROXY: credentials.proxyUrl } : undefined,
    });
  }

  async get<T>(path: string, query?: KubeRequest['query']): Promise<T> {
    return this.request<T>({ method: 'GET', path, query });
  }

  /** One request, retried when the server throttles, is unavailable or drops the connection. */
  async request<T>(request: KubeRequest): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#send<T>(request);
      } catch (error) {
        // A POST that lost its connection may have created the object: never send it twice.
        const delay = request.method === 'POST' && error instanceof KubeConnectionError ? undefined : retryDelay(error, attempt);
        if (attempt >= this.#maxAttempts || delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  close(): void {
    this.#agent.destroy();
  }

  async #send<T>(request: KubeRequest): Promise<T> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'driftless',
      ...(await this.#credentials.headers()),
    };
    if (body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const context = `${request.method} ${request.path}`;
    return new Promise<T>((resolve, reject) => {
      const outgoing = httpsRequest(url, { method: request.method, headers, agent: this.#agent, timeout: this.#timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new KubeConnectionError(`${context}: ${error.message}`, { cause: error })));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const parsed = parseJson(text);
          if (status >= 200 && status < 300) {
            resolve(parsed as T);
            return;
          }
          const error = new KubeApiError(status, asStatus(parsed, text), context);
          const retryAfter = Number(response.headers['retry-after']);
          if (Number.isFinite(retryAfter)) (error as KubeApiError & { retryAfterSeconds?: number }).retryAfterSeconds = retryAfter;
          reject(error);
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      outgoing.on('error', (error) => reject(new KubeConnectionError(`${context}: cannot reach ${this.server}: ${error.message}`, { cause: error })));
      outgoing.end(body);
    });
  }
}

function retryDelay(error: unknown, attempt: number): number | undefined {
  const backoff = Math.min(100 * 2 ** (attempt - 1), 2_000);
  if (error instanceof KubeConnectionError) return backoff;
  if (error instanceof KubeApiError && RETRYABLE_STATUS.has(error.code)) {
    const retryAfter = (error as KubeApiError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return retryAfter === undefined ? backoff : Math.min(retryAfter * 1000, 10_000);
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asStatus(parsed: unknown, text: string): ApiStatus {
  if (parsed && typeof parsed === 'object' && (parsed as ApiStatus).kind === 'Status') return parsed as ApiStatus;
  return { message: text.slice(0, 500) || undefined };
}
