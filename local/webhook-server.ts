// The webhook function behind a local HTTP endpoint: each request becomes the event a Lambda
// Function URL would deliver, handed to the same handler.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext } from './lambda-context.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | string | void>;

export interface WebhookServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 26 * 1024 * 1024; // a little over GitHub's cap, so the handler answers 413 itself

export async function startWebhookServer(handler: Handler, port: number, host = '127.0.0.1'): Promise<WebhookServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
      );
      const url = new URL(request.url ?? '/', 'http://local');
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext: {
          accountId: 'anonymous',
          apiId: 'local',
          domainName: url.host,
          domainPrefix: 'local',
          http: {
            method: request.method ?? 'POST',
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: request.socket.remoteAddress ?? '',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: new Date().toISOString(),
          timeEpoch: Date.now(),
        },
        body,
        isBase64Encoded: false,
      };
      handler(event, lambdaContext('webhook', 30_000)).then(
        (result) => {
          const answer = typeof result === 'object' && result ? result : { statusCode: 200, body: String(result ?? '') };
          response.writeHead(answer.statusCode ?? 200, { 'content-type': 'application/json', ...(answer.headers as Record<string, string> | undefined) });
          response.end(answer.body ?? '');
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: (error as Error).message }));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://${host}:${bound}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
