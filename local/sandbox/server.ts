// The HTTPS front of the sandbox: bearer-token authentication, fault injection, routing
// to discovery, OpenAPI and resource handlers, Status errors, and the request log.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  acceptsAggregated,
  AGGREGATED_DISCOVERY,
  aggregatedDiscovery,
  apiGroupList,
  apiGroupOf,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery.ts';
import { StatusError } from './errors.ts';
import type { Faults } from './faults.ts';
import { handleResource } from './handlers/index.ts';
import type { Identities, UserInfo } from './identity.ts';
import type { Objects } from './objects.ts';
import { groupVersionDocument, openApiIndex } from './openapi.ts';
import type { RecordedRequest, RequestLog } from './request-log.ts';
import { parseRequest, type RequestInfo } from './request-info.ts';
import { internalError, pathNotFound, serviceUnavailable, tooManyRequests, unauthorized } from './status.ts';
import { parseBody } from './request-body.ts';
import type { ServerTls } from './tls.ts';
import { startWatch } from './watch.ts';

export interface ApiServerOptions {
  host: string;
  port: number;
  identities: Identities;
  tls: ServerTls;
  objects: Objects;
  faults: Faults;
  requests: RequestLog;
  /** Whether the log keeps write bodies. */
  requestBodies: boolean;
}

interface Answer {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class ApiServer {
  private readonly options: ApiServerOptions;
  private readonly server: Server;
  private readonly watches = new Set<() => void>();
  private readonly sockets = new Set<Socket>();

  constructor(options: ApiServerOptions) {
    this.options = options;
    this.server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, errorAnswer(error));
        else res.destroy();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.options.port);
      });
    });
  }

  async stop(): Promise<void> {
    for (const stop of [...this.watches]) stop();
    this.watches.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const method = req.method ?? 'GET';
    const info = parseRequest(method, url.pathname, url.searchParams);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    const entry: Omit<RecordedRequest, 'status'> = {
      arrived,
      method,
      verb: logVerb(info),
      path: url.pathname,
      search: url.search,
      ...(info.kind === 'resource'
        ? {
            group: info.group,
            version: info.version,
            resource: info.resource,
            ...(info.subresource ? { subresource: info.subresource } : {}),
            ...(info.namespace ? { namespace: info.namespace } : {}),
            ...(info.name ? { name: info.name } : {}),
          }
        : {}),
      ...(contentType ? { contentType } : {}),
      bodySize: raw.length,
      // A copy: the body's own bytes are a slice of the socket's read buffer, which would stay alive with it.
      ...(raw.length && method !== 'GET' && this.options.requestBodies ? { raw: Buffer.from(raw) } : {}),
    };
    const log = (status: number) => this.options.requests.record({ ...entry, status });

    let answer: Answer;
    try {
      const user = info.kind === 'health' ? undefined : this.authenticate(req);
      const fault = this.options.faults.evaluate({
        verb: entry.verb,
        ...(info.kind === 'resource' ? { resource: info.resource, namespace: info.namespace, name: info.name } : {}),
      });
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.drop) {
        log(0);
        req.socket.destroy();
        return;
      }
      if (fault.status === 429) throw tooManyRequests(fault.retryAfterSeconds ?? 1);
      if (fault.status === 503) throw serviceUnavailable();
      if (fault.status === 500) throw internalError('injected fault');

      if (info.kind === 'resource' && info.verb === 'watch') {
        const type = this.options.objects.registry.find(info.group, info.version, info.resource);
        if (!type) throw pathNotFound();
        log(200);
        const stop = startWatch({ objects: this.options.objects, type, info, query: url.searchParams }, res);
        this.watches.add(stop);
        res.on('close', () => this.watches.delete(stop));
        return;
      }
      answer = this.route(info, req, url, raw, contentType, user);
    } catch (error) {
      answer = errorAnswer(error);
    }
    send(res, answer);
    log(answer.code);
  }

  private authenticate(req: IncomingMessage): UserInfo {
    const header = req.headers.authorization ?? '';
    const user = header.startsWith('Bearer ') ? this.options.identities.authenticate(header.slice(7).trim()) : undefined;
    if (!user) throw unauthorized();
    return user;
  }

  private route(info: RequestInfo, req: IncomingMessage, url: URL, raw: Buffer, contentType: string | undefined, user: UserInfo | undefined): Answer {
    const { objects } = this.options;
    const registry = objects.registry;
    switch (info.kind) {
      case 'health':
        return { code: 200, body: 'ok' };
      case 'version':
        return { code: 200, body: SERVER_VERSION };
      case 'openapi':
        return openApi(url.pathname, objects.registry, req.headers.accept ?? '');
      case 'discovery': {
        const root = info.group === undefined || (info.group === '' && info.version === undefined);
        if (root && acceptsAggregated(req.headers.accept ?? '')) {
          return { code: 200, body: aggregatedDiscovery(registry, info.group === ''), headers: { 'Content-Type': AGGREGATED_DISCOVERY, Vary: 'Accept' } };
        }
        if (info.group === undefined) return { code: 200, body: apiGroupList(registry), headers: { Vary: 'Accept' } };
        if (info.group === '' && info.version === undefined)
          return { code: 200, body: apiVersions(`${this.options.host}:${this.options.port}`), headers: { Vary: 'Accept' } };
        if (info.version === undefined) {
          const group = apiGroupOf(registry, info.group);
          if (!group) throw pathNotFound();
          return { code: 200, body: group };
        }
        if (!registry.hasGroupVersion(info.group, info.version)) throw pathNotFound();
        return { code: 200, body: apiResourceList(registry, info.group, info.version) };
      }
      case 'resource': {
        const type = registry.find(info.group, info.version, info.resource);
        if (!type) throw pathNotFound();
        const body = raw.length ? parseBody(raw, contentType) : undefined;
        if (!user) throw unauthorized();
        return handleResource({
          objects,
          type,
          info,
          query: url.searchParams,
          body,
          ...(contentType ? { contentType } : {}),
          userAgent: req.headers['user-agent'] ?? '',
          user,
          identities: this.options.identities,
        });
      }
      default:
        throw pathNotFound();
    }
  }
}

const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

function openApi(pathname: string, registry: Objects['registry'], accept: string): Answer {
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return { code: 200, body: openApiIndex(registry) };
  if (pathname === '/openapi/v2') {
    // kubectl falls back to v2 to validate kinds v3 does not describe (a custom resource
    // whose CRD is not applied yet) and needs a protobuf document; an empty one (zero bytes
    // is a valid empty message) describes nothing, so kubectl skips validation, as it
    // does on a real cluster for a kind without a schema.
    // The protobuf media type carries an '@' that Go's mime parser rejects in a response.
    if (accept.includes(OPENAPI_V2_PROTOBUF)) return { code: 200, body: Buffer.alloc(0) };
    return { code: 200, body: { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths: {}, definitions: {} } };
  }
  const match = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
  const document = match && (match[1] ? groupVersionDocument(registry, '', match[1]) : groupVersionDocument(registry, match[2], match[3]));
  if (!document) throw pathNotFound();
  return { code: 200, body: document };
}

function logVerb(info: RequestInfo): string {
  if (info.kind === 'resource') return info.verb;
  if (info.kind === 'version') return 'discovery';
  return info.kind;
}

function errorAnswer(error: unknown): Answer {
  if (error instanceof StatusError) return { code: error.code, body: error.status, headers: error.headers };
  const internal = internalError(error instanceof Error ? error.message : String(error));
  return { code: 500, body: internal.status };
}

function send(res: ServerResponse, answer: Answer): void {
  const { body } = answer;
  const raw = Buffer.isBuffer(body);
  const text = raw ? body : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(answer.code, {
    'Content-Type': raw ? 'application/octet-stream' : typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Cache-Control': 'no-cache, private',
    ...answer.headers,
  });
  res.end(text);
}

// Events rather than `for await`: the async iterator costs more than the rest of a GET's parsing.
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the request before its end'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
