// A cluster nobody can reach, for the failure paths: the sandbox's kubeconfig (valid CA and
// token) with its server moved to a local port nothing listens on, so every connection is
// refused, and its cluster, user and context renamed `dead`.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string } }>;
  users: Array<{ name: string }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  'current-context': string;
}

/** A local port that was just free: nothing listens there, so connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Writes the dead cluster's kubeconfig to a temporary file and returns its path (the caller removes it). */
export async function writeDeadKubeconfig(sandboxKubeconfig: string): Promise<string> {
  const config = parse(sandboxKubeconfig) as Kubeconfig;
  config.clusters[0].cluster.server = `https://127.0.0.1:${await closedPort()}`;
  config.clusters[0].name = 'dead';
  config.users[0].name = 'dead';
  config.contexts[0] = { name: 'dead', context: { cluster: 'dead', user: 'dead' } };
  config['current-context'] = 'dead';
  const path = join(tmpdir(), `dead-${process.pid}-${Date.now()}.kubeconfig`);
  await writeFile(path, stringify(config));
  return path;
}
