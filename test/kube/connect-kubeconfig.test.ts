// A kubeconfig means what it means to kubectl (clientcmd's loading rules, kubectl config
// --help): each way of trusting the server and of proving who we are connects to the
// sandbox (TLS + bearer tokens) or, for what the sandbox does not check (client
// certificates, basic auth, impersonation), to a stand-in HTTPS server that does; an exec
// plugin still goes through client-node.
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startSandbox, type Sandbox } from '../../local/sandbox/index.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { KubeConfigError, KubeConnectionError } from '../../shared/kube/errors.ts';
import { loadKubeconfig } from '../../shared/kube/kubeconfig.ts';

let sandbox: Sandbox;
let dir: string;
const caData = () => Buffer.from(sandbox.caPem).toString('base64');

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  dir = await mkdtemp(join(tmpdir(), 'connect-kubeconfig-'));
});
afterAll(() => sandbox?.stop());

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, context: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', ...context } }],
    'current-context': 'ctx',
  });
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o600 });
  return path;
}

/** Connects with the kubeconfig and reads one object, closing the client either way. */
async function readDefaultNamespace(target: Parameters<typeof connectKubeconfig>[0]): Promise<string> {
  const client = await connectKubeconfig(target, { maxAttempts: 1 });
  try {
    return (await client.get<{ metadata: { name: string } }>('/api/v1/namespaces/default')).metadata.name;
  } finally {
    client.close();
  }
}

describe('connecting with a kubeconfig against the sandbox', () => {
  it('a bearer token and CA data connect', async () => {
    await expect(
      readDefaultNamespace({ kubeconfigYaml: kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData() }, { token: sandbox.token }) }),
    ).resolves.toBe('default');
  });

  it('a CA file given relative to the kubeconfig file is read from beside it', async () => {
    await file('sandbox-ca.pem', sandbox.caPem);
    const path = await file('ca-file.kubeconfig', kubeconfig({ server: sandbox.url, 'certificate-authority': 'sandbox-ca.pem' }, { token: sandbox.token }));
    await expect(readDefaultNamespace({ kubeconfig: path })).resolves.toBe('default');
  });

  it('a server whose certificate the kubeconfig does not trust is refused, unless insecure-skip-tls-verify', async () => {
    const untrusted = readDefaultNamespace({ kubeconfigYaml: kubeconfig({ server: sandbox.url }, { token: sandbox.token }) });
    await expect(untrusted).rejects.toBeInstanceOf(KubeConnectionError);
    await expect(
      readDefaultNamespace({ kubeconfigYaml: kubeconfig({ server: sandbox.url, 'insecure-skip-tls-verify': true }, { token: sandbox.token }) }),
    ).resolves.toBe('default');
  });

  it('insecure-skip-tls-verify together with a CA is refused, as kubectl refuses it', async () => {
    const both = kubeconfig({ server: sandbox.url, 'insecure-skip-tls-verify': true, 'certificate-authority-data': caData() }, { token: sandbox.token });
    await expect(connectKubeconfig({ kubeconfigYaml: both })).rejects.toThrow(KubeConfigError);
    await expect(connectKubeconfig({ kubeconfigYaml: both })).rejects.toThrow(/cluster "c" sets both insecure-skip-tls-verify and a certificate authority/);
  });

  it('tls-server-name is the name the certificate is checked against', async () => {
    const named = (name: string) =>
      kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData(), 'tls-server-name': name }, { token: sandbox.token });
    // The sandbox's certificate names localhost and 127.0.0.1, not other.example.
    await expect(readDefaultNamespace({ kubeconfigYaml: named('localhost') })).resolves.toBe('default');
    await expect(readDefaultNamespace({ kubeconfigYaml: named('other.example') })).rejects.toThrow(/other\.example/);
  });

  it('a wrong token is refused by the server; tokenFile (relative to the kubeconfig) wins over token, as in client-go', async () => {
    const wrong = readDefaultNamespace({
      kubeconfigYaml: kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData() }, { token: 'not-the-token' }),
    });
    await expect(wrong).rejects.toMatchObject({ code: 401 });
    await file('token', `${sandbox.token}\n`);
    const path = await file(
      'token-file.kubeconfig',
      kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData() }, { token: 'not-the-token', tokenFile: 'token' }),
    );
    await expect(readDefaultNamespace({ kubeconfig: path })).resolves.toBe('default');
  });

  it('--context picks another context; an unknown one is named in the error', async () => {
    const config = stringify({
      clusters: [
        { name: 'good', cluster: { server: sandbox.url, 'certificate-authority-data': caData() } },
        { name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority-data': caData() } },
      ],
      users: [{ name: 'u', user: { token: sandbox.token } }],
      contexts: [
        { name: 'broken', context: { cluster: 'gone', user: 'u' } },
        { name: 'works', context: { cluster: 'good', user: 'u' } },
      ],
      'current-context': 'broken',
    });
    await expect(readDefaultNamespace({ kubeconfigYaml: config, context: 'works' })).resolves.toBe('default');
    await expect(connectKubeconfig({ kubeconfigYaml: config, context: 'nowhere' })).rejects.toThrow(/context "nowhere" does not exist/);
    const noUser = kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData() }, {}, { user: 'someone-else' });
    await expect(connectKubeconfig({ kubeconfigYaml: noUser })).rejects.toThrow(/user "someone-else" of context "ctx" does not exist/);
  });

  it('proxy-url: every connection is tunnelled through the proxy with CONNECT', async () => {
    const proxy = await startConnectProxy();
    try {
      const config = kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData(), 'proxy-url': proxy.url }, { token: sandbox.token });
      await expect(readDefaultNamespace({ kubeconfigYaml: config })).resolves.toBe('default');
      expect(proxy.connects).toEqual([new URL(sandbox.url).host]);
    } finally {
      await proxy.stop();
    }
  });

  it('an exec plugin still goes through client-node, which runs it for the token', async () => {
    const plugin = await file(
      'plugin.mjs',
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(sandbox.token)} } }));\n`,
    );
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' };
    await expect(readDefaultNamespace({ kubeconfigYaml: kubeconfig({ server: sandbox.url, 'certificate-authority-data': caData() }, { exec }) })).resolves.toBe(
      'default',
    );
  });
});

describe('client certificates, basic auth and impersonation, against a server that checks them', () => {
  let server: HttpsServer;
  let url: string;
  let pki: Awaited<ReturnType<typeof makePki>>;
  beforeAll(async () => {
    pki = await makePki();
    server = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ peer: peer ?? null, authorization: req.headers.authorization ?? null, impersonate: req.headers['impersonate-user'] ?? null }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = async (user: Record<string, unknown>, target: { kubeconfig?: string } = {}) => {
    const client: KubeClient = await connectKubeconfig(
      target.kubeconfig
        ? target
        : { kubeconfigYaml: kubeconfig({ server: url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64') }, user) },
      { maxAttempts: 1 },
    );
    try {
      return await client.get<{ peer: string | null; authorization: string | null; impersonate: string | null }>('/version');
    } finally {
      client.close();
    }
  };

  it('client-certificate-data and client-key-data are presented to the server', async () => {
    const seen = await ask({ 'client-certificate-data': b64(pki.clientCert), 'client-key-data': b64(pki.clientKey) });
    expect(seen).toEqual({ peer: 'jane', authorization: null, impersonate: null });
  });

  it('client-certificate and client-key files, relative to the kubeconfig, are presented too', async () => {
    await file('client.crt', pki.clientCert);
    await file('client.key', pki.clientKey);
    const path = await file(
      'cert-files.kubeconfig',
      kubeconfig({ server: url, 'certificate-authority-data': b64(pki.caCert) }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' }),
    );
    expect((await ask({}, { kubeconfig: path })).peer).toBe('jane');
  });

  it('without a client certificate none is presented', async () => {
    expect((await ask({ token: 't' })).peer).toBeNull();
  });

  it('a certificate without its key is refused before connecting', async () => {
    await expect(ask({ 'client-certificate-data': b64(pki.clientCert) })).rejects.toThrow(/user "u" has a client certificate without a key/);
  });

  it('username and password are sent as basic auth; as: as Impersonate-User', async () => {
    const seen = await ask({ username: 'jane', password: 's3cret', as: 'bob' });
    expect(seen.authorization).toBe(`Basic ${Buffer.from('jane:s3cret').toString('base64')}`);
    expect(seen.impersonate).toBe('bob');
  });
});

describe('loading rules', () => {
  it('$KUBECONFIG files merge: the first to set current-context or a name wins, missing files are skipped', async () => {
    const first = await file(
      'first.kubeconfig',
      stringify({
        clusters: [{ name: 'shared', cluster: { server: 'https://first.example' } }],
        contexts: [{ name: 'a', context: { cluster: 'shared', user: 'alice', namespace: 'team-a' } }],
        'current-context': 'a',
      }),
    );
    const second = await file(
      'second.kubeconfig',
      stringify({
        clusters: [{ name: 'shared', cluster: { server: 'https://second.example' } }],
        users: [{ name: 'alice', user: { token: 'from-second' } }],
        contexts: [{ name: 'b', context: { cluster: 'shared', user: 'alice' } }],
        'current-context': 'b',
      }),
    );
    const loaded = await loadKubeconfig({}, { KUBECONFIG: [first, join(dir, 'missing.kubeconfig'), second].join(delimiter) });
    expect(loaded).toMatchObject({
      context: 'a',
      namespace: 'team-a',
      cluster: { name: 'shared', server: 'https://first.example' },
      user: { token: 'from-second' },
    });
    // A context without a namespace means "default"; --context overrides current-context.
    const other = await loadKubeconfig({ context: 'b' }, { KUBECONFIG: [first, second].join(delimiter) });
    expect(other).toMatchObject({ context: 'b', namespace: 'default' });
  });

  it('--kubeconfig reads that file alone; without $KUBECONFIG it is ~/.kube/config', async () => {
    const home = await mkdtemp(join(tmpdir(), 'connect-home-'));
    await mkdtempKube(
      home,
      stringify({
        clusters: [{ name: 'h', cluster: { server: 'https://home.example' } }],
        contexts: [{ name: 'h', context: { cluster: 'h' } }],
        'current-context': 'h',
      }),
    );
    expect((await loadKubeconfig({}, { HOME: home }))?.cluster.server).toBe('https://home.example');
    const only = await file('only.kubeconfig', kubeconfig({ server: 'https://only.example' }, {}));
    expect((await loadKubeconfig({ kubeconfig: only }, { HOME: home, KUBECONFIG: join(home, '.kube', 'config') }))?.cluster.server).toBe(
      'https://only.example',
    );
    expect(await loadKubeconfig({}, { HOME: join(home, 'nobody') })).toBeUndefined();
  });

  it('an exec or auth-provider user is marked for client-node', async () => {
    const exec = await loadKubeconfig({ kubeconfigYaml: kubeconfig({ server: 'https://x.example' }, { exec: { command: 'aws' } }) });
    const provider = await loadKubeconfig({ kubeconfigYaml: kubeconfig({ server: 'https://x.example' }, { 'auth-provider': { name: 'oidc' } }) });
    expect([exec?.user.plugin, provider?.user.plugin]).toEqual(['exec', 'auth-provider']);
  });
});

function b64(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

async function mkdtempKube(home: string, content: string): Promise<void> {
  await mkdir(join(home, '.kube'), { recursive: true });
  await writeFile(join(home, '.kube', 'config'), content);
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate for CN=jane, all signed by it. */
async function makePki() {
  const validity = { notBeforeDate: new Date(Date.now() - 60_000), notAfterDate: new Date(Date.now() + 3600_000) };
  const ca = await generate([{ name: 'commonName', value: 'test-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signed = (cn: string, extensions: unknown[]) =>
    generate([{ name: 'commonName', value: cn }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ...validity,
      ca: { key: ca.private, cert: ca.cert },
      extensions: extensions as never,
    });
  const server = await signed('test-server', [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  const client = await signed('jane', [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private, clientCert: client.cert, clientKey: client.private };
}

/** An HTTP proxy that only tunnels (CONNECT), recording each target. */
async function startConnectProxy(): Promise<{ url: string; connects: string[]; stop(): Promise<void> }> {
  const connects: string[] = [];
  const proxy: HttpServer = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = netConnect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    connects,
    stop: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
