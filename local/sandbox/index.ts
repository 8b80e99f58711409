// The Kubernetes sandbox: an in-memory API server real kubectl and our engine talk to as
// if it were EKS. One call starts it; stop() releases the port and every timer.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { startControllers, type Controllers } from './controllers/index.ts';
import { Faults } from './faults.ts';
import { Identities } from './identity.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { Objects } from './objects.ts';
import { Registry } from './registry.ts';
import { RequestLog } from './request-log.ts';
import { lenientParse } from './request-body.ts';
import { ApiServer } from './server.ts';
import { Store } from './store.ts';
import { createServerTls } from './tls.ts';

export type { FaultRule } from './faults.ts';
export type { LoggedRequest } from './request-log.ts';
export type { Faults, RequestLog };
export { FAIL_ANNOTATION } from './controllers/job.ts';
export { NEVER_READY_ANNOTATION } from './controllers/index.ts';

export interface SandboxOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  latencyMs?: number;
  /** Default on, ready after ~100 ms. */
  controllers?: boolean | { readyDelayMs?: number };
  token?: string;
  /**
   * Whether the request log keeps each write's body (default true, what tests read). Local
   * mode and benchmarks read only counts and can say false: a fleet's log then holds no
   * copy of every manifest it was sent.
   */
  requestBodies?: boolean;
}

export interface Sandbox {
  url: string;
  port: number;
  token: string;
  caPem: string;
  kubeconfig(context?: string): string;
  writeKubeconfig(file: string, context?: string): Promise<void>;
  requests: RequestLog;
  faults: Faults;
  stop(): Promise<void>;
}

const DEFAULT_READY_DELAY_MS = 100;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('hex');
  const tls = await createServerTls(host);
  const objects = new Objects(new Store(), new Registry());
  objects.seedNamespaces(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  const faults = new Faults(options.latencyMs ?? 0);
  const requests = new RequestLog(lenientParse);
  const server = new ApiServer({
    host,
    port: options.port ?? 0,
    identities: new Identities(token),
    tls,
    objects,
    faults,
    requests,
    requestBodies: options.requestBodies ?? true,
  });
  const port = await server.listen();

  let controllers: Controllers | undefined;
  if (options.controllers !== false) {
    const delay = typeof options.controllers === 'object' ? (options.controllers.readyDelayMs ?? DEFAULT_READY_DELAY_MS) : DEFAULT_READY_DELAY_MS;
    controllers = startControllers(objects, delay);
  }

  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `https://${urlHost}:${port}`;
  const kubeconfig = (context?: string) => kubeconfigYaml(url, tls.caPem, token, context);
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    token,
    caPem: tls.caPem,
    kubeconfig,
    writeKubeconfig: (file, context) => writeFile(file, kubeconfig(context), { mode: 0o600 }),
    requests,
    faults,
    stop() {
      stopped ??= (async () => {
        controllers?.stop();
        objects.stop();
        await server.stop();
      })();
      return stopped;
    },
  };
}
