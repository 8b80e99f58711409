// EventBridge cannot run here, so tests talk to this stand-in at the protocol level: an HTTP
// server that speaks AWS JSON 1.1 PutEvents (`X-Amz-Target: AWSEvents.PutEvents`), records
// every entry it accepts, and can be told to refuse the next few entries.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

export interface EventBridgeDouble {
  endpoint: string;
  /** Accepted entries, in arrival order. */
  entries: RecordedEntry[];
  /** PutEvents requests received, accepted or not. */
  requests: number;
  /** The next `count` entries are answered with `errorCode` instead of an EventId. */
  failNext(count: number, errorCode?: string): void;
  stop(): Promise<void>;
}

const MAX_ENTRIES = 10;

export async function startEventBridgeDouble(): Promise<EventBridgeDouble> {
  let failures: { count: number; code: string } = { count: 0, code: '' };
  const double: EventBridgeDouble = {
    endpoint: '',
    entries: [],
    requests: 0,
    failNext(count, errorCode = 'InternalFailure') {
      failures = { count, code: errorCode };
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
      return reply(response, 400, { __type: 'UnknownOperationException', message: `unsupported operation ${String(target)}` });
    }
    double.requests++;
    const input = JSON.parse(body) as { Entries?: RecordedEntry[] };
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      return reply(response, 400, { __type: 'ValidationException', message: `Entries must hold 1 to ${MAX_ENTRIES} items, got ${entries.length}` });
    }
    let failed = 0;
    const answers = entries.map((entry) => {
      if (failures.count > 0) {
        failures.count--;
        failed++;
        return { ErrorCode: failures.code, ErrorMessage: 'refused by the test' };
      }
      double.entries.push(entry);
      return { EventId: randomUUID() };
    });
    reply(response, 200, { FailedEntryCount: failed, Entries: answers });
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  double.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return double;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(body));
}
