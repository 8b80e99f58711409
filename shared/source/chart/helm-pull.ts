// `helm pull` of one resolved chart version, with the real helm binary, into a folder.
//
// Helm runs hermetically: an environment built from nothing (shared/tools/child-env.ts, no
// credential of the worker inherited), its homes, caches and config in a private scratch
// folder. Credentials reach it through files in that folder (mode 0600), never through its
// command line or environment: for a Helm repository a one-entry repositories.yaml beside a
// one-entry index (the version we resolved, at the URL we checked), so helm neither downloads
// index.yaml again nor picks another version; for an OCI registry a registry config.json.
// Values from Git are checked before they get here (request.ts) and passed as `--flag=value`.
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { flagWithValue } from '../../tools/argv.ts';
import { helmPath } from '../../tools/binaries.ts';
import { toolEnv } from '../../tools/child-env.ts';
import type { ChartCredentials } from './credentials.ts';
import { ChartAuthError, ChartError, ChartNotFoundError, ChartRepositoryUnreachableError } from './errors.ts';

export const HELM_PULL_TIMEOUT_MS = 120_000;
const REPO_NAME = 'source';

export type PullSource =
  | { kind: 'helm'; repoKey: string; base: string; chart: string; version: string; archiveURL: string; digest?: string }
  | { kind: 'oci'; repoKey: string; registry: string; path: string; chart: string; version: string; plainHttp: boolean };

export interface PulledArchive {
  /** The chart archive helm wrote. */
  file: string;
  /** OCI only: the manifest digest helm reports (`sha256:…`). */
  manifestDigest?: string;
}

export async function helmPull(
  source: PullSource,
  credentials: ChartCredentials | undefined,
  dirs: { destination: string; scratch: string },
): Promise<PulledArchive> {
  const env = await helmEnvironment(dirs.scratch);
  const args = source.kind === 'helm' ? await helmRepoArgs(source, credentials, dirs.scratch) : await ociArgs(source, credentials, env);
  args.push(flagWithValue('--destination', dirs.destination));
  await mkdir(dirs.destination, { recursive: true });
  const outcome = await run(await helmPath(), args, env, dirs.scratch);
  if (!outcome.ok) throw classify(source, redact(outcome.message, credentials));
  const files = (await readdir(dirs.destination)).filter((name) => name.endsWith('.tgz'));
  if (files.length !== 1) throw new ChartError(`helm pull of ${describe(source)} wrote ${files.length} archives, expected one`);
  const manifestDigest = /Digest:\s*(sha256:[0-9a-f]{64})/.exec(outcome.output)?.[1];
  return { file: join(dirs.destination, files[0]), manifestDigest };
}

async function helmRepoArgs(source: Extract<PullSource, { kind: 'helm' }>, credentials: ChartCredentials | undefined, scratch: string): Promise<string[]> {
  const config = join(scratch, 'helm', 'repositories.yaml');
  const cache = join(scratch, 'helm', 'repository-cache');
  await mkdir(cache, { recursive: true });
  const repository: Record<string, string> = { name: REPO_NAME, url: source.base };
  if (credentials) Object.assign(repository, { username: credentials.username, password: credentials.password });
  await writeFile(config, stringify({ apiVersion: '', generated: '0001-01-01T00:00:00Z', repositories: [repository] }), { mode: 0o600 });
  const entry: Record<string, unknown> = { apiVersion: 'v2', name: source.chart, version: source.version, urls: [source.archiveURL] };
  if (source.digest) entry.digest = source.digest;
  await writeFile(join(cache, `${REPO_NAME}-index.yaml`), stringify({ apiVersion: 'v1', entries: { [source.chart]: [entry] } }), { mode: 0o600 });
  return [
    'pull',
    `${REPO_NAME}/${source.chart}`,
    flagWithValue('--version', source.version),
    flagWithValue('--repository-config', config),
    flagWithValue('--repository-cache', cache),
  ];
}

async function ociArgs(source: Extract<PullSource, { kind: 'oci' }>, credentials: ChartCredentials | undefined, env: NodeJS.ProcessEnv): Promise<string[]> {
  const config = env.HELM_REGISTRY_CONFIG as string;
  const auths = credentials ? { [source.registry]: { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') } } : {};
  await writeFile(config, JSON.stringify({ auths }), { mode: 0o600 });
  const reference = `oci://${source.registry}/${source.path ? `${source.path}/` : ''}${source.chart}`;
  const args = ['pull', reference, flagWithValue('--version', source.version), flagWithValue('--registry-config', config)];
  if (source.plainHttp) args.push('--plain-http');
  return args;
}

async function helmEnvironment(scratch: string): Promise<NodeJS.ProcessEnv> {
  const helm = join(scratch, 'helm');
  await mkdir(join(helm, 'registry'), { recursive: true, mode: 0o700 });
  return {
    ...toolEnv(scratch),
    HELM_REGISTRY_CONFIG: join(helm, 'registry', 'config.json'),
    HELM_REPOSITORY_CONFIG: join(helm, 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(helm, 'repository-cache'),
  };
}

type Outcome = { ok: true; output: string } | { ok: false; message: string };

function run(binary: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, env, timeout: HELM_PULL_TIMEOUT_MS, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, output: `${stdout}\n${stderr}` });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') return reject(new ChartError(`cannot start helm at ${binary}`, { cause: error }));
      if (error.killed) return resolve({ ok: false, message: `did not finish within ${HELM_PULL_TIMEOUT_MS / 1000} s` });
      resolve({ ok: false, message: stderr.trim().replace(/^Error: /, '') || error.message });
    });
  });
}

function classify(source: PullSource, message: string): Error {
  const what = describe(source);
  if (/\b(401|403)\b|unauthorized|denied|basic credential not found|authentication required/i.test(message)) {
    return new ChartAuthError(source.repoKey, `helm pull of ${what} was refused: ${message}`);
  }
  if (source.kind === 'oci' && /: not found\b|\bnot found$|name unknown|manifest unknown/i.test(message)) {
    return new ChartNotFoundError(source.repoKey, source.chart, ` (helm pull ${what}: ${message})`);
  }
  if (/connection refused|no such host|timeout|timed out|did not finish|TLS handshake|connection reset|\bEOF\b|\b5\d\d\b/i.test(message)) {
    return new ChartRepositoryUnreachableError(source.repoKey, `helm pull of ${what}: ${message}`);
  }
  return new ChartError(`helm pull of ${what} failed: ${message}`);
}

function describe(source: PullSource): string {
  return `${source.chart} ${source.version} from ${source.repoKey}`;
}

/** Helm repeats URLs and registry answers, never our files; still, no credential may pass. */
function redact(message: string, credentials: ChartCredentials | undefined): string {
  if (!credentials) return message;
  const secrets = [
    credentials.password,
    Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'),
    encodeURIComponent(credentials.password),
  ];
  return secrets.filter((value) => value.length >= 3).reduce((text, value) => text.replaceAll(value, '***'), message);
}
