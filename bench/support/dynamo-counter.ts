// Counts DynamoDB requests by operation at the TCP level, for bench:mttp: bytes are piped
// both ways untouched and only the client's side is scanned for the X-Amz-Target header. The
// HTTP proxy in local/dynamo-fault-proxy.ts parses and re-sends every request, which cost the
// bench's main process ~0.9 ms of CPU per request — a tenth of what it measured per app.
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DynamoCounter {
  url: string;
  /** Requests per operation (DynamoDB_20120810.<Operation>). */
  requests: Record<string, number>;
  stop(): Promise<void>;
}

const TARGET = /x-amz-target:\s*DynamoDB_20120810\.(\w+)\r\n/gi;
/** Kept from the end of a chunk, so a header split between two chunks is still seen once. */
const TAIL = 96;

export async function startDynamoCounter(target: string): Promise<DynamoCounter> {
  const upstream = new URL(target);
  const requests: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const server = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      TARGET.lastIndex = 0;
      let end = 0;
      for (let match = TARGET.exec(text); match; match = TARGET.exec(text)) {
        requests[match[1]] = (requests[match[1]] ?? 0) + 1;
        end = TARGET.lastIndex;
      }
      // What follows the last header counted; never a header counted already.
      tail = text.slice(Math.max(end, text.length - TAIL));
    });
    client.pipe(server);
    server.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
