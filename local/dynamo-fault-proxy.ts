// A DynamoDB that answers slowly and throttles: an HTTP proxy in front of dynalite (or any
// DynamoDB endpoint) that delays every answer and answers a share of the writes with the error
// DynamoDB itself sends when a table is over its throughput: HTTP 400 with
// `__type: com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException` (or
// ThrottlingException). A throttled write never reaches the table, as in DynamoDB, so the
// AWS SDK's own retries (throttling back-off) are what get it through, as they would in AWS.
// Used by the fault soak (bench/soak.ts); point AWS_ENDPOINT_URL_DYNAMODB at `url`.
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ThrottleError = 'ProvisionedThroughputExceededException' | 'ThrottlingException';

export interface DynamoFaultOptions {
  /** The DynamoDB endpoint requests are forwarded to (http://host:port, as dynalite listens). */
  target: string;
  /** Delay of every answer, in ms: a fixed value or a uniform range. */
  latencyMs?: number | { min: number; max: number };
  /** Share (0..1) of the throttled operations answered with `throttleError` instead of forwarded. */
  throttleRate?: number;
  /** Default PutItem, UpdateItem and DeleteItem: the single-item writes. */
  throttledOperations?: string[];
  throttleError?: ThrottleError;
  /** For tests that need the dice loaded; Math.random otherwise. */
  random?: () => number;
}

export interface DynamoFaultStats {
  /** Requests per operation (the X-Amz-Target action), throttled ones included. */
  requests: Record<string, number>;
  /** Throttled answers per operation. */
  throttled: Record<string, number>;
  /** Requests the target could not be reached for (answered 500, which the SDK retries). */
  upstreamErrors: number;
}

export interface DynamoFaultProxy {
  url: string;
  stats: DynamoFaultStats;
  /** Changes the latency or throttle rate from the next request on (e.g. faults off for a setup phase). */
  configure(changes: Pick<DynamoFaultOptions, 'latencyMs' | 'throttleRate'>): void;
  stop(): Promise<void>;
}

const DEFAULT_WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'];
const TARGET_PREFIX = 'DynamoDB_20120810.';
const AMZ_JSON = 'application/x-amz-json-1.0';

// The messages DynamoDB sends with these errors (on-demand tables for the first).
const MESSAGES: Record<ThrottleError, { type: string; message: string }> = {
  ProvisionedThroughputExceededException: {
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message:
      'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
  },
  ThrottlingException: { type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
};

export async function startDynamoFaultProxy(options: DynamoFaultOptions): Promise<DynamoFaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`dynamo fault proxy: target ${options.target} is not an http:// endpoint`);
  const random = options.random ?? Math.random;
  const faults = { latencyMs: options.latencyMs ?? 0, throttleRate: options.throttleRate ?? 0 };
  const throttled = new Set(options.throttledOperations ?? DEFAULT_WRITES);
  const error = MESSAGES[options.throttleError ?? 'ProvisionedThroughputExceededException'];
  const stats: DynamoFaultStats = { requests: {}, throttled: {}, upstreamErrors: 0 };
  const agent = new Agent({ keepAlive: true });

  const delay = (): Promise<void> => {
    const latency = faults.latencyMs;
    const ms = typeof latency === 'number' ? latency : latency.min + random() * (latency.max - latency.min);
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const header = req.headers['x-amz-target'];
    const operation = typeof header === 'string' && header.startsWith(TARGET_PREFIX) ? header.slice(TARGET_PREFIX.length) : String(header ?? 'unknown');
    stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;

    if (throttled.has(operation) && random() < faults.throttleRate) {
      stats.throttled[operation] = (stats.throttled[operation] ?? 0) + 1;
      await delay();
      const payload = JSON.stringify({ __type: error.type, message: error.message });
      res.writeHead(400, { 'content-type': AMZ_JSON, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': randomUUID() });
      res.end(payload);
      return;
    }

    const answer = await forward(req, body);
    await delay();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(response.headers))
            if (value !== undefined && name !== 'connection' && name !== 'keep-alive') headers[name] = value;
          resolve({ status: response.statusCode ?? 500, headers, body: Buffer.concat(chunks) });
        });
      });
      upstream.on('error', (problem) => {
        stats.upstreamErrors += 1;
        const payload = JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: `dynamo fault proxy: ${target.host} unreachable: ${problem.message}`,
        });
        resolve({ status: 500, headers: { 'content-type': AMZ_JSON }, body: Buffer.from(payload) });
      });
      upstream.end(body);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    configure(changes) {
      if (changes.latencyMs !== undefined) faults.latencyMs = changes.latencyMs;
      if (changes.throttleRate !== undefined) faults.throttleRate = changes.throttleRate;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
