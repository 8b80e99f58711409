// Credentials for private chart repositories and registries, in the shape of Argo CD's
// repository secrets, so an existing Argo CD setup moves over unchanged. The secret (Secrets
// Manager in AWS, CHART_CREDENTIALS in local mode) holds a JSON list; each item is either the
// `stringData` of an Argo CD Secret (`url`, `username`, `password`, `type: helm`, `enableOCI`)
// or the whole Secret (its `stringData`, or its base64 `data`). Secrets labelled
// `argocd.argoproj.io/secret-type: repository` and `repo-creds` are read alike: the entry whose
// `url` is the longest prefix of the chart's repository wins, as Argo CD's credential templates
// match (an exact URL is the longest prefix of itself), cut at a `/` only. `oci://` and bare registry URLs match
// each other. Git-only entries (type git, ssh keys, GitHub Apps) are ignored.
//
// Values never appear in errors: a malformed secret is described by position and field only.
import { ChartError } from './errors.ts';

export interface ChartCredentials {
  username: string;
  password: string;
}

export interface ChartCredentialsSource {
  /** The credentials for the repository with this key (ChartRepoLocation.key), if any. */
  lookup(repoKey: string): Promise<ChartCredentials | undefined>;
}

interface Entry extends ChartCredentials {
  /** Normalised as repository keys are: `https://host/path`, `oci://host/path`, no trailing slash. */
  prefix: string;
}

/** The chart credentials secret is not what it should be (our configuration, not the user's Git). */
export class ChartCredentialsError extends ChartError {
  constructor(message: string) {
    super(`chart repository credentials: ${message}`);
    this.name = 'ChartCredentialsError';
  }
}

export class StaticChartCredentials implements ChartCredentialsSource {
  readonly #entries: Entry[];

  constructor(entries: Entry[]) {
    this.#entries = [...entries].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** From the secret's JSON text. */
  static parse(json: string): StaticChartCredentials {
    return new StaticChartCredentials(parseEntries(json));
  }

  lookup(repoKey: string): Promise<ChartCredentials | undefined> {
    const key = normalise(repoKey);
    // At a path boundary only (stricter than Argo CD's plain string prefix): the credentials of
    // https://charts.example.com must never go to https://charts.example.com.evil.test.
    const entry = this.#entries.find((candidate) => key === candidate.prefix || key.startsWith(`${candidate.prefix}/`));
    return Promise.resolve(entry ? { username: entry.username, password: entry.password } : undefined);
  }
}

/**
 * Reads the secret through `read` (Secrets Manager's GetSecretValue) when first needed, and again
 * once `ttlMs` has passed, so a rotated password is picked up without a redeploy.
 */
export class CachedChartCredentials implements ChartCredentialsSource {
  readonly #read: () => Promise<string>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #loaded: { at: number; source: Promise<StaticChartCredentials> } | undefined;

  constructor(read: () => Promise<string>, options: { ttlMs?: number; now?: () => number } = {}) {
    this.#read = read;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  async lookup(repoKey: string): Promise<ChartCredentials | undefined> {
    const now = this.#now();
    if (!this.#loaded || now - this.#loaded.at > this.#ttlMs) {
      const source = this.#read().then((json) => StaticChartCredentials.parse(json));
      this.#loaded = { at: now, source };
      // A failed read is not kept: the next fetch tries again.
      source.catch(() => {
        if (this.#loaded?.source === source) this.#loaded = undefined;
      });
    }
    return (await this.#loaded.source).lookup(repoKey);
  }
}

/** `Basic base64(user:password)`. */
export function basicAuthorization(credentials: ChartCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function parseEntries(json: string): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ChartCredentialsError('the secret is not valid JSON (expected a list of Argo CD repository secrets or their stringData)');
  }
  const items = Array.isArray(parsed) ? parsed : isRecord(parsed) && Array.isArray(parsed.repositories) ? parsed.repositories : undefined;
  if (!items) throw new ChartCredentialsError('the secret must hold a JSON list (or {"repositories": [...]}) of Argo CD repository secrets');
  const entries: Entry[] = [];
  items.forEach((item: unknown, index) => {
    const fields = fieldsOf(item, index);
    const type = fields.type?.toLowerCase();
    if (type !== undefined && type !== 'helm' && type !== 'oci') return;
    if (fields.url === undefined || fields.url === '') throw new ChartCredentialsError(`item ${index} has no url`);
    if (fields.username === undefined && fields.password === undefined) return;
    if (!fields.username || !fields.password) throw new ChartCredentialsError(`item ${index} (${safeURL(fields.url)}) needs both username and password`);
    const oci = type === 'oci' || fields.enableOCI === 'true';
    entries.push({ prefix: normalise(fields.url, oci), username: fields.username, password: fields.password });
  });
  return entries;
}

interface Fields {
  url?: string;
  type?: string;
  username?: string;
  password?: string;
  enableOCI?: string;
}

function fieldsOf(item: unknown, index: number): Fields {
  if (!isRecord(item)) throw new ChartCredentialsError(`item ${index} is not an object`);
  let source: Record<string, unknown> = item;
  let base64 = false;
  if (item.kind === 'Secret' || isRecord(item.stringData) || isRecord(item.data)) {
    if (isRecord(item.stringData)) source = item.stringData;
    else if (isRecord(item.data)) {
      source = item.data;
      base64 = true;
    } else throw new ChartCredentialsError(`item ${index} is a Secret without stringData or data`);
  }
  const read = (field: keyof Fields): string | undefined => {
    const value = source[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') throw new ChartCredentialsError(`item ${index}: field ${field} is not a string`);
    return base64 ? Buffer.from(value, 'base64').toString('utf8') : value;
  };
  return { url: read('url'), type: read('type'), username: read('username'), password: read('password'), enableOCI: read('enableOCI')?.toLowerCase() };
}

/** The url's form as a repository key: scheme, lower-case host, path without trailing slash. */
function normalise(url: string, oci = false): string {
  let text = url.trim().replace(/\/+$/, '');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `oci://${text}`;
  else if (oci) text = text.replace(/^https?:\/\//i, 'oci://');
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(text);
  if (!match) return text;
  return `${match[1].toLowerCase()}${match[2].toLowerCase()}${match[3]}`;
}

/** A url for a message: without anything that looks like userinfo. */
function safeURL(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
