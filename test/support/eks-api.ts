// Local stand-ins for the AWS calls behind an EKS connection, speaking the real wire
// protocols so the real SDK clients talk to them: EKS DescribeCluster (REST-JSON,
// `GET /clusters/{name}` → `{ cluster: { endpoint, certificateAuthority: { data } } }`),
// STS AssumeRole (query protocol: form POST, XML answer), and an HTTPS "API server"
// trusted through a CA, that records the headers of each request.

import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServerTls } from '../../local/sandbox/tls.ts';
import { closeServer, listenLocally, readBody } from './http.ts';

export interface ClusterDouble {
  endpoint?: string;
  caData?: string;
  status?: 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING';
}

export interface AwsRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface AwsApiDouble {
  /** Endpoint for EKSClient and STSClient ({ endpoint }). */
  url: string;
  requests: AwsRequest[];
  clusters: Map<string, ClusterDouble>;
  /** How long AssumeRole credentials last; each call hands out a new numbered set. */
  roleDurationMs: number;
  /** Clock AssumeRole expirations count from. */
  now: () => Date;
  close(): Promise<void>;
}

export async function startAwsApi(): Promise<AwsApiDouble> {
  const requests: AwsRequest[] = [];
  let assumed = 0;
  const double: AwsApiDouble = {
    url: '',
    requests,
    clusters: new Map(),
    roleDurationMs: 3600_000,
    now: () => new Date(),
    close: async () => {},
  };

  const server = createHttpServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://double').pathname;
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const cluster = /^\/clusters\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && cluster) return describeCluster(res, decodeURIComponent(cluster[1]));
      const form = new URLSearchParams(body);
      if (req.method === 'POST' && form.get('Action') === 'AssumeRole') return assumeRole(res, form, ++assumed);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"unknown operation"}');
    })();
  });

  function describeCluster(res: ServerResponse, name: string): void {
    const cluster = double.clusters.get(name);
    if (!cluster) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      return void res.end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        cluster: {
          name,
          arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`,
          status: cluster.status ?? 'ACTIVE',
          version: '1.34',
          ...(cluster.endpoint ? { endpoint: cluster.endpoint } : {}),
          ...(cluster.caData ? { certificateAuthority: { data: cluster.caData } } : {}),
        },
      }),
    );
  }

  function assumeRole(res: ServerResponse, form: URLSearchParams, serial: number): void {
    const expiration = new Date(double.now().getTime() + double.roleDurationMs).toISOString();
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:${form.get('RoleSessionName')}</AssumedRoleId>
      <Arn>${form.get('RoleArn')}/${form.get('RoleSessionName')}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAROLE${String(serial).padStart(12, '0')}</AccessKeyId>
      <SecretAccessKey>role-secret-${serial}</SecretAccessKey>
      <SessionToken>role-session-token-${serial}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-${serial}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  }

  double.url = `http://127.0.0.1:${await listenLocally(server)}`;
  double.close = () => closeServer(server);
  return double;
}

export interface KubeEndpointDouble {
  /** https://127.0.0.1:<port>, as DescribeCluster would give it. */
  endpoint: string;
  /** Base64 PEM of the CA, as certificateAuthority.data. */
  caData: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** An HTTPS server standing in for a cluster's API server: answers /version, records headers. */
export async function startKubeEndpoint(): Promise<KubeEndpointDouble> {
  const tls = await createServerTls('127.0.0.1');
  const requests: KubeEndpointDouble['requests'] = [];
  const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.0-eks' }));
  });
  return {
    endpoint: `https://127.0.0.1:${await listenLocally(server)}`,
    caData: Buffer.from(tls.caPem).toString('base64'),
    requests,
    close: () => closeServer(server),
  };
}
