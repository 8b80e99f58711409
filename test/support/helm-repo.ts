// A real Helm repository on loopback: charts made with the real `helm package`, an index.yaml
// written by `helm repo index --url`, served by a small HTTP server that records every request
// (so a test can prove a cache asked nothing), can require basic auth, can answer with server
// errors for a while, and lets a test rewrite the index (a tampered digest).
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml, stringify } from 'yaml';
import { helmPath } from '../../shared/tools/binaries.ts';
import { closeServer, listenLocally } from './http.ts';

const run = promisify(execFile);

export interface ChartSpec {
  name: string;
  version: string;
  /** Extra files of the chart (path → content); a ConfigMap template naming the version is always there. */
  files?: Record<string, string>;
}

export interface HelmRepo {
  /** `http://127.0.0.1:<port>/<prefix>/`. */
  url: string;
  /** Paths asked for, in order (`/charts/index.yaml`, `/charts/demo-1.2.3.tgz`). */
  requests: string[];
  /** The sha256 `helm repo index` recorded for a chart version. */
  digest(chart: string, version: string): Promise<string>;
  /** Rewrites the served index.yaml (parsed, changed in place, written back). */
  editIndex(edit: (index: { entries: Record<string, Array<Record<string, unknown>>> }) => void): Promise<void>;
  /** The next `count` requests answer `status` (503 by default). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export interface HelmRepoOptions {
  charts: ChartSpec[];
  /** Requests without these credentials get 401 with a Basic challenge. */
  basicAuth?: { username: string; password: string };
  /** `helm repo index` without --url: the index lists archives by relative URL. */
  relativeUrls?: boolean;
  /** The repository's folder on the server; `charts` by default. */
  prefix?: string;
}

/** A hermetic environment for helm in tests: its homes in `dir`. */
export function helmTestEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_DATA_HOME: join(dir, 'data'),
  };
}

/** Writes a chart's folder under `workDir` and packages it with helm into `destination`; returns the archive's path. */
export async function packageChart(spec: ChartSpec, workDir: string, destination: string): Promise<string> {
  const dir = join(workDir, `${spec.name}-${spec.version}`, spec.name);
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: ${spec.name}\nversion: ${spec.version}\n`,
    'templates/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${spec.name}\ndata:\n  chartVersion: {{ .Chart.Version | quote }}\n`,
    ...spec.files,
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(destination, { recursive: true });
  await run(await helmPath(), ['package', dir, '--destination', destination], { env: helmTestEnv(join(workDir, 'helm-home')) });
  return join(destination, `${spec.name}-${spec.version}.tgz`);
}

export async function startHelmRepo(options: HelmRepoOptions): Promise<HelmRepo> {
  const work = await mkdtemp(join(tmpdir(), 'driftless-helm-repo-'));
  const served = join(work, 'served');
  for (const spec of options.charts) await packageChart(spec, join(work, 'src'), served);
  const prefix = options.prefix ?? 'charts';
  const requests: string[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    if (failures.count > 0) {
      failures.count--;
      res.writeHead(failures.status).end('failing on purpose');
      return;
    }
    if (options.basicAuth) {
      const expected = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end('unauthorized');
        return;
      }
    }
    const name = path.startsWith(`/${prefix}/`) ? path.slice(prefix.length + 2) : undefined;
    if (!name || name.includes('/') || name.startsWith('.')) {
      res.writeHead(404).end('not found');
      return;
    }
    readFile(join(served, name)).then(
      (body) => res.writeHead(200, { 'content-type': name.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  const port = await listenLocally(server);
  const url = `http://127.0.0.1:${port}/${prefix}/`;
  const indexArgs = ['repo', 'index', served, ...(options.relativeUrls ? [] : ['--url', url])];
  await run(await helmPath(), indexArgs, { env: helmTestEnv(join(work, 'helm-home')) });
  const indexFile = join(served, 'index.yaml');

  return {
    url,
    requests,
    async digest(chart, version) {
      const index = parseYaml(await readFile(indexFile, 'utf8')) as { entries: Record<string, Array<{ version: string; digest: string }>> };
      const entry = index.entries[chart]?.find((candidate) => candidate.version === version);
      if (!entry) throw new Error(`test repository has no ${chart} ${version}; it has ${(await readdir(served)).join(', ')}`);
      return entry.digest;
    },
    async editIndex(edit) {
      const index = parseYaml(await readFile(indexFile, 'utf8')) as { entries: Record<string, Array<Record<string, unknown>>> };
      edit(index);
      await writeFile(indexFile, stringify(index));
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    async close() {
      await closeServer(server);
      await rm(work, { recursive: true, force: true });
    },
  };
}
