// A real OCI registry on loopback: Debian's `docker-registry` (the CNCF distribution registry,
// installed by .ci/run), started on a free port with a temporary config and storage folder,
// optionally with htpasswd auth; charts are pushed with the real `helm push --plain-http`.
// The htpasswd file needs bcrypt, which the system's crypt(3) provides (through perl, which
// every Debian has): no package of ours computes it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { helmPath } from '../../shared/tools/binaries.ts';
import { helmTestEnv, packageChart, type ChartSpec } from './helm-repo.ts';

const run = promisify(execFile);
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface OciRegistry {
  /** `127.0.0.1:<port>`. */
  host: string;
  /** Packages each chart with helm and pushes it to `oci://<host>/<repository>`. */
  push(repository: string, charts: ChartSpec[]): Promise<void>;
  /** Stops the registry (a later fetch can then only be served from a cache). */
  close(): Promise<void>;
}

export async function startOciRegistry(options: { htpasswd?: { username: string; password: string } } = {}): Promise<OciRegistry> {
  const work = await mkdtemp(join(tmpdir(), 'driftless-oci-'));
  let auth = '';
  if (options.htpasswd) {
    await writeFile(join(work, 'htpasswd'), `${options.htpasswd.username}:${await bcrypt(options.htpasswd.password)}\n`);
    auth = `auth:\n  htpasswd:\n    realm: driftless-test\n    path: ${join(work, 'htpasswd')}\n`;
  }
  let child: ChildProcess | undefined;
  let port = 0;
  // A free port can be taken between finding it and the registry binding it: try a few.
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const config = join(work, 'config.yml');
    await writeFile(
      config,
      `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
    );
    const started = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (await ready(started, port)) child = started;
    else started.kill();
  }
  if (!child) throw new Error('docker-registry did not start (is it installed? .ci/run installs it with apt-get)');
  const host = `127.0.0.1:${port}`;
  const registryConfig = join(work, 'registry-config.json');
  const auths = options.htpasswd ? { [host]: { auth: Buffer.from(`${options.htpasswd.username}:${options.htpasswd.password}`).toString('base64') } } : {};
  await writeFile(registryConfig, JSON.stringify({ auths }));
  const running = child;

  return {
    host,
    async push(repository, charts) {
      for (const spec of charts) {
        const archive = await packageChart(spec, join(work, 'src'), join(work, 'packages'));
        await run(await helmPath(), ['push', archive, `oci://${host}/${repository}`, '--plain-http', '--registry-config', registryConfig], {
          env: helmTestEnv(join(work, 'helm-home')),
        });
      }
    },
    async close() {
      if (running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill();
        await exited;
      }
      await rm(work, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether the registry answers on `port` (any HTTP answer: 401 when auth is on) before it exits. */
async function ready(child: ChildProcess, port: number): Promise<boolean> {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 100 && !exited; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/v2/`);
      return true;
    } catch {
      await sleep(50);
    }
  }
  return false;
}

async function bcrypt(password: string): Promise<string> {
  // 22 characters, the last carrying only 2 bits (of 128): `.` is valid whatever the others.
  const salt = `${[...randomBytes(21)].map((byte) => BCRYPT_ALPHABET[byte % 64]).join('')}.`;
  const { stdout } = await run('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2a$05$${salt}`]);
  if (!stdout.startsWith('$2a$')) throw new Error('crypt(3) here does not compute bcrypt');
  return stdout;
}
