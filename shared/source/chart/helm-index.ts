// A Helm repository's index.yaml: fetched, parsed, and kept for a short while (60 s by
// default), so the thousand apps of one push that use the same repository ask it once. Only
// what resolving needs is kept of each entry (version, urls, digest): a large public index
// (tens of MB) is parsed once per period, not held whole.
import { parse as parseYaml } from 'yaml';
import { basicAuthorization, type ChartCredentials } from './credentials.ts';
import { ChartAuthError, ChartRepositoryContentError, ChartRepositoryUnreachableError } from './errors.ts';
import { httpGet, type RetryPolicy } from './http.ts';
import type { AddressPolicy, HostResolver } from './address-guard.ts';
import type { HelmRepoLocation } from './repo-url.ts';

export interface IndexEntry {
  version: string;
  urls: string[];
  /** sha256 of the archive, hex, as `helm repo index` writes it; absent in hand-written indexes. */
  digest?: string;
}

export interface HelmIndex {
  /** Chart name → its entries, in the order the index lists them. */
  charts: Map<string, IndexEntry[]>;
}

export interface IndexFetchOptions {
  policy: AddressPolicy;
  retry: RetryPolicy;
  maxBytes: number;
  timeoutMs: number;
  resolve?: HostResolver;
}

/** 50 MiB: public indexes with thousands of charts stay far below; a runaway answer does not. */
export const DEFAULT_MAX_INDEX_BYTES = 50 * 1024 * 1024;

export async function fetchHelmIndex(repo: HelmRepoLocation, credentials: ChartCredentials | undefined, options: IndexFetchOptions): Promise<HelmIndex> {
  const url = new URL('index.yaml', repo.base);
  const what = `index.yaml of ${repo.key}`;
  const answer = await httpGet(url, {
    what,
    repoURL: repo.key,
    authorization: credentials ? basicAuthorization(credentials) : undefined,
    accept: 'application/x-yaml, text/yaml, */*',
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    policy: options.policy,
    retry: options.retry,
    resolve: options.resolve,
  });
  if (answer.status === 401 || answer.status === 403) {
    throw new ChartAuthError(
      repo.key,
      credentials
        ? `the repository refused the configured credentials (HTTP ${answer.status})`
        : `the repository asks for credentials (HTTP ${answer.status}) and none are configured for it`,
    );
  }
  if (answer.status === 404)
    throw new ChartRepositoryContentError(`${repo.key} has no index.yaml (HTTP 404): is repoURL the Helm repository's URL (the folder holding index.yaml)?`);
  if (answer.status < 200 || answer.status >= 300) throw new ChartRepositoryUnreachableError(repo.key, `${what} answered HTTP ${answer.status}`);
  return { charts: parseIndex(answer.body.toString('utf8'), what) };
}

function parseIndex(text: string, what: string): Map<string, IndexEntry[]> {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ChartRepositoryContentError(`${what} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(document) || !isRecord(document.entries)) throw new ChartRepositoryContentError(`${what} has no "entries" map: not a Helm repository index`);
  const charts = new Map<string, IndexEntry[]>();
  for (const [name, list] of Object.entries(document.entries)) {
    if (!Array.isArray(list)) continue;
    const entries: IndexEntry[] = [];
    for (const item of list) {
      if (!isRecord(item)) continue;
      // YAML reads `version: 1.10` as a number; helm reads it as the string it was written as.
      const version = typeof item.version === 'string' ? item.version : typeof item.version === 'number' ? String(item.version) : undefined;
      if (version === undefined) continue;
      const urls = Array.isArray(item.urls) ? item.urls.filter((url): url is string => typeof url === 'string') : [];
      const digest = typeof item.digest === 'string' && /^[0-9a-f]{64}$/i.test(item.digest) ? item.digest.toLowerCase() : undefined;
      entries.push({ version, urls, digest });
    }
    charts.set(name, entries);
  }
  return charts;
}

/** Indexes kept per repository for `ttlMs`; concurrent fetches of one repository share a request. */
export class HelmIndexCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; index: Promise<HelmIndex> }>();
  /** Repositories kept at most: an index can be large. */
  readonly #maxRepositories: number;

  constructor(options: { ttlMs?: number; now?: () => number; maxRepositories?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#maxRepositories = options.maxRepositories ?? 16;
  }

  get(key: string, load: () => Promise<HelmIndex>): Promise<HelmIndex> {
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached && now - cached.at <= this.#ttlMs) return cached.index;
    const index = load();
    this.#entries.delete(key);
    this.#entries.set(key, { at: now, index });
    // Failures are not kept: the next fetch asks again.
    index.catch(() => {
      if (this.#entries.get(key)?.index === index) this.#entries.delete(key);
    });
    while (this.#entries.size > this.#maxRepositories) this.#entries.delete(this.#entries.keys().next().value as string);
    return index;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
