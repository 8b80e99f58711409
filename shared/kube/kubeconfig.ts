// A kubeconfig read the way kubectl (client-go's clientcmd) reads one, without
// @kubernetes/client-node: that package takes a large share of a CLI run to import, and a
// token or client-certificate kubeconfig needs nothing of it. Only exec and auth-provider
// plugins do; for those, `plugin` is set and connect.ts hands the file to client-node.
//
// Loading order (kubectl config --help): --kubeconfig alone, no merging; else the files of
// $KUBECONFIG merged, the first file to set a name (cluster, user, context) or
// current-context winning and missing files skipped; else ~/.kube/config. Relative file
// paths in a file are relative to that file's folder. Data fields override their file
// fields ("client-cert-data will override"), insecure-skip-tls-verify with a CA is refused as
// kubectl refuses it, a context without a namespace means "default".
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { KubeConfigError } from './errors.ts';

export interface KubeconfigSource {
  /** Path of a kubeconfig file; absent means $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Inline kubeconfig YAML, used instead of a file when given (relative paths: the working directory). */
  kubeconfigYaml?: string;
  context?: string;
}

export interface KubeconfigCluster {
  name: string;
  server: string;
  /** PEM bytes of the CA, from certificate-authority-data or certificate-authority. */
  ca?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeconfigUser {
  name: string;
  token?: string;
  /** Re-read as client-go re-reads it (at most once a minute); wins over `token` when readable. */
  tokenFile?: string;
  username?: string;
  password?: string;
  cert?: Buffer;
  key?: Buffer;
  /** Impersonate-User, as client-node sends it. */
  as?: string;
  /** Set when the user needs client-node: an exec or auth-provider plugin. */
  plugin?: 'exec' | 'auth-provider';
}

export interface ResolvedKubeconfig {
  /** Where it came from, for messages: a path, several, or "(inline)". */
  origin: string;
  context: string;
  /** The context's namespace, or "default" as kubectl defaults it. */
  namespace: string;
  cluster: KubeconfigCluster;
  user: KubeconfigUser;
}

type Named = { name?: unknown } & Record<string, unknown>;
interface RawFile {
  dir: string;
  file: string;
  current?: string;
  clusters: Named[];
  users: Named[];
  contexts: Named[];
}

/**
 * The kubeconfig `source` names, resolved to one cluster and user. Undefined when there is no
 * kubeconfig at all (no flag, no $KUBECONFIG file, no ~/.kube/config): client-node's
 * fallbacks (in-cluster service account) then apply, as before.
 */
export async function loadKubeconfig(source: KubeconfigSource, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedKubeconfig | undefined> {
  const files = await readSources(source, env);
  if (files.length === 0) return undefined;
  const origin = files.map((file) => file.file).join(delimiter);
  const pick = (list: 'clusters' | 'users' | 'contexts', name: string) => {
    for (const file of files) {
      const found = file[list].find((entry) => entry.name === name);
      if (found) return { entry: found, dir: file.dir };
    }
    return undefined;
  };
  const contextName = source.context ?? files.find((file) => file.current)?.current;
  if (!contextName) throw new KubeConfigError(`${origin}: no current-context, and no --context given`);
  const context = record(pick('contexts', contextName)?.entry.context);
  if (!context) throw new KubeConfigError(`${origin}: context "${contextName}" does not exist`);
  const clusterName = text(context.cluster);
  const cluster = clusterName ? pick('clusters', clusterName) : undefined;
  if (!cluster || !record(cluster.entry.cluster)) throw new KubeConfigError(`${origin}: context "${contextName}" names no cluster`);
  const userName = text(context.user);
  const user = userName ? pick('users', userName) : undefined;
  // A context may name no user (anonymous), but a user it names must exist, as kubectl checks.
  if (userName && !user) throw new KubeConfigError(`${origin}: user "${userName}" of context "${contextName}" does not exist`);
  return {
    origin,
    context: contextName,
    namespace: text(context.namespace) || 'default',
    cluster: await readCluster(clusterName as string, record(cluster.entry.cluster) ?? {}, cluster.dir, origin),
    user: await readUser(userName ?? '', record(user?.entry.user) ?? {}, user?.dir ?? process.cwd(), origin),
  };
}

async function readSources(source: KubeconfigSource, env: NodeJS.ProcessEnv): Promise<RawFile[]> {
  if (source.kubeconfigYaml) return [toRaw(source.kubeconfigYaml, '(inline kubeconfig)', process.cwd())];
  if (source.kubeconfig) return [await readOne(source.kubeconfig)];
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((path) => path !== '');
  if (listed.length > 0) {
    // kubectl skips the files of $KUBECONFIG that do not exist.
    const present = [...new Set(listed.map((path) => resolve(path)))].filter((path) => existsSync(path));
    return Promise.all(present.map((path) => readOne(path)));
  }
  const home = join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? [await readOne(home)] : [];
}

async function readOne(path: string): Promise<RawFile> {
  const absolute = resolve(path);
  const content = await readFile(absolute, 'utf8').catch((error: unknown) => {
    throw new KubeConfigError(`cannot read kubeconfig ${path}: ${(error as Error).message}`, { cause: error });
  });
  return toRaw(content, path, dirname(absolute));
}

function toRaw(content: string, file: string, dir: string): RawFile {
  let value: unknown;
  try {
    value = parse(content);
  } catch (error) {
    throw new KubeConfigError(`cannot load kubeconfig ${file}: ${(error as Error).message}`, { cause: error });
  }
  const top = value === null || value === undefined ? {} : record(value);
  if (!top) throw new KubeConfigError(`cannot load kubeconfig ${file}: not a mapping`);
  const list = (key: string): Named[] =>
    Array.isArray(top[key]) ? (top[key] as unknown[]).map((item) => record(item)).filter((item) => item !== undefined) : [];
  return { dir, file, current: text(top['current-context']) || undefined, clusters: list('clusters'), users: list('users'), contexts: list('contexts') };
}

async function readCluster(name: string, raw: Record<string, unknown>, dir: string, origin: string): Promise<KubeconfigCluster> {
  const server = text(raw.server);
  if (!server) throw new KubeConfigError(`${origin}: cluster "${name}" has no server`);
  const insecure = raw['insecure-skip-tls-verify'] === true;
  const ca = await dataOrFile(raw['certificate-authority-data'], raw['certificate-authority'], dir, `cluster "${name}" certificate-authority`);
  if (insecure && ca) {
    // client-go: "specifying a root certificates file with the insecure flag is not allowed".
    throw new KubeConfigError(
      `${origin}: cluster "${name}" sets both insecure-skip-tls-verify and a certificate authority; kubectl refuses that too: keep one`,
    );
  }
  return {
    name,
    server: server.replace(/\/+$/, ''),
    ca,
    insecureSkipTlsVerify: insecure,
    tlsServerName: text(raw['tls-server-name']) || undefined,
    proxyUrl: text(raw['proxy-url']) || undefined,
  };
}

async function readUser(name: string, raw: Record<string, unknown>, dir: string, origin: string): Promise<KubeconfigUser> {
  const plugin = raw.exec ? 'exec' : raw['auth-provider'] ? 'auth-provider' : undefined;
  const cert = await dataOrFile(raw['client-certificate-data'], raw['client-certificate'], dir, `user "${name}" client-certificate`);
  const key = await dataOrFile(raw['client-key-data'], raw['client-key'], dir, `user "${name}" client-key`);
  if (Boolean(cert) !== Boolean(key))
    throw new KubeConfigError(`${origin}: user "${name}" has a client ${cert ? 'certificate without a key' : 'key without a certificate'}`);
  const tokenFile = text(raw.tokenFile);
  return {
    name,
    token: text(raw.token) || undefined,
    tokenFile: tokenFile ? absolute(dir, tokenFile) : undefined,
    username: text(raw.username) || undefined,
    password: text(raw.password) || undefined,
    cert,
    key,
    as: text(raw.as) || undefined,
    plugin,
  };
}

/** The base64 `data` field when given (it overrides the file, as client-go says), else the file's bytes. */
async function dataOrFile(data: unknown, file: unknown, dir: string, what: string): Promise<Buffer | undefined> {
  const encoded = text(data);
  if (encoded) return Buffer.from(encoded, 'base64');
  const path = text(file);
  if (!path) return undefined;
  return readFile(absolute(dir, path)).catch((error: unknown) => {
    throw new KubeConfigError(`${what}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  });
}

function absolute(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
