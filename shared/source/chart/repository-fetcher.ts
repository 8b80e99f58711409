// The ChartFetcher for charts in Helm repositories and OCI registries: one request becomes
// validate → (cache) → resolve the version → (cache) → pull with helm → verify → unpack.
//
// - Helm repository: index.yaml (kept 60 s, shared by every request for the repository) names
//   the versions; the one the targetRevision resolves to is pulled by helm from the URL its entry
//   lists, and the archive's sha256 must be the entry's digest.
// - OCI registry: a pinned version is pulled as that tag; a constraint is resolved against the
//   registry's tags list first. Helm checks the registry's content digests itself; the manifest
//   digest is recorded.
// - Cache: per repository, chart and version, unpacked on this machine's disk and, where a store
//   is given (S3 in AWS), as the verified archive for every other worker. A pinned version is
//   looked up there before the repository is asked anything; a constraint needs the index (or
//   the tags) first, which the index cache keeps cheap. A plain OCI tag that is not a version
//   (`latest`) may move, so it is pulled each time and never cached.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { extractTar } from '../extract.ts';
import { SourceTooLargeError } from '../errors.ts';
import { checkHost, resolveHost, type AddressPolicy, type HostResolver } from './address-guard.ts';
import { archiveKey, type ChartArchiveStore, type StoredArchive } from './archive-store.ts';
import { ChartDiskCache, type CachedChart } from './chart-cache.ts';
import type { ChartFetcher, ChartRequest, FetchedChart } from './chart-fetcher.ts';
import type { ChartCredentials, ChartCredentialsSource } from './credentials.ts';
import { ChartDigestMismatchError, ChartNotFoundError, ChartRepositoryContentError, ChartVersionNotFoundError } from './errors.ts';
import { DEFAULT_MAX_INDEX_BYTES, fetchHelmIndex, HelmIndexCache } from './helm-index.ts';
import { helmPull, type PullSource } from './helm-pull.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './http.ts';
import { listOciTags } from './oci-tags.ts';
import { chartArchiveURL, parseChartRepoURL, type ChartRepoLocation, type HelmRepoLocation, type OciRepoLocation } from './repo-url.ts';
import { validChartName, validTargetRevision } from './request.ts';
import { isCanonicalVersion, nearestVersions, resolveRevision, revisionKind, type RevisionKind } from './versions.ts';

/** 50 MiB, archive and unpacked content alike: charts are kilobytes to a few megabytes. */
export const DEFAULT_MAX_CHART_BYTES = 50 * 1024 * 1024;
/** Files, folders and links in one chart. */
export const DEFAULT_MAX_CHART_ENTRIES = 10_000;

export interface RepositoryChartFetcherOptions {
  /** Where unpacked charts are kept: the worker's /tmp, local mode's state folder. */
  cacheDir: string;
  /** Local mode and tests: repositories on loopback, over http there. Never in AWS. */
  allowLoopback?: boolean;
  credentials?: ChartCredentialsSource;
  /** Verified archives shared by every worker (S3 in AWS). */
  archives?: ChartArchiveStore;
  indexTtlMs?: number;
  retry?: RetryPolicy;
  timeoutMs?: number;
  maxChartBytes?: number;
  maxIndexBytes?: number;
  maxCachedCharts?: number;
  resolveHost?: HostResolver;
  now?: () => number;
}

interface Resolved {
  version: string;
  /** Helm repository: the archive's URL and the index's digest. */
  archiveURL?: string;
  digest?: string;
}

export class RepositoryChartFetcher implements ChartFetcher {
  readonly #policy: AddressPolicy;
  readonly #credentials: ChartCredentialsSource | undefined;
  readonly #archives: ChartArchiveStore | undefined;
  readonly #indexes: HelmIndexCache;
  readonly #disk: ChartDiskCache;
  readonly #cacheDir: string;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #maxChartBytes: number;
  readonly #maxIndexBytes: number;
  readonly #resolve: HostResolver;

  constructor(options: RepositoryChartFetcherOptions) {
    this.#policy = { allowLoopback: options.allowLoopback ?? false };
    this.#credentials = options.credentials;
    this.#archives = options.archives;
    this.#indexes = new HelmIndexCache({ ttlMs: options.indexTtlMs, now: options.now });
    this.#cacheDir = options.cacheDir;
    this.#disk = new ChartDiskCache({ root: options.cacheDir, maxEntries: options.maxCachedCharts });
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxChartBytes = options.maxChartBytes ?? DEFAULT_MAX_CHART_BYTES;
    this.#maxIndexBytes = options.maxIndexBytes ?? DEFAULT_MAX_INDEX_BYTES;
    this.#resolve = options.resolveHost ?? resolveHost;
  }

  async fetch(request: ChartRequest): Promise<FetchedChart> {
    const chart = validChartName(request.chart);
    const revision = validTargetRevision(request.targetRevision, chart);
    const repo = parseChartRepoURL(request.repoURL, this.#policy);
    await checkHost(
      repo.kind === 'helm' ? repo.base.hostname : new URL(`https://${repo.registry}`).hostname,
      `chart repoURL "${request.repoURL}"`,
      this.#policy,
      this.#resolve,
    );
    const kind = revisionKind(revision);
    // A pin names its cache entry without asking the repository (index entries and tags are
    // written in canonical form; OCI pins are pulled as written).
    const pinned = kind === 'version' && (repo.kind === 'oci' || isCanonicalVersion(revision));
    if (pinned) {
      const cached = await this.#cached(repo, chart, revision);
      if (cached) return cached;
    }
    const credentials = await this.#credentials?.lookup(repo.key);
    if (repo.kind === 'oci' && kind === 'name') return this.#pullUncached(repo, chart, revision, credentials);
    const resolved =
      repo.kind === 'helm'
        ? await this.#resolveHelm(repo, chart, revision, kind, credentials)
        : await this.#resolveOci(repo, chart, revision, kind, credentials);
    const held = await this.#disk.fill(ChartDiskCache.key(repo.key, chart, resolved.version), async (chartDir) => {
      // A pin's store entry was just looked up by #cached: a miss there is not asked again.
      const archive = await this.#obtain(repo, chart, resolved, credentials, { storeChecked: pinned && resolved.version === revision });
      await this.#unpack(archive.bytes, chartDir, `${chart} ${resolved.version} from ${repo.key}`);
      return { repoKey: repo.key, chart, version: archive.version, digest: archive.digest };
    });
    return this.#fetched(held);
  }

  /** The chart from this machine's disk, or from the shared store (unpacked to disk), or undefined. */
  async #cached(repo: ChartRepoLocation, chart: string, version: string): Promise<FetchedChart | undefined> {
    const key = ChartDiskCache.key(repo.key, chart, version);
    const onDisk = await this.#disk.lookup(key);
    if (onDisk) return this.#fetched(onDisk);
    const stored = await this.#storedArchive(archiveKey(repo.key, chart, version));
    if (!stored) return undefined;
    const held = await this.#disk.fill(key, async (chartDir) => {
      await this.#unpack(stored.bytes, chartDir, `${chart} ${version} from ${repo.key}`);
      return { repoKey: repo.key, chart, version: stored.version, digest: stored.digest };
    });
    return this.#fetched(held);
  }

  async #resolveHelm(
    repo: HelmRepoLocation,
    chart: string,
    revision: string,
    kind: RevisionKind,
    credentials: ChartCredentials | undefined,
  ): Promise<Resolved> {
    const index = await this.#indexes.get(repo.key, () =>
      fetchHelmIndex(repo, credentials, {
        policy: this.#policy,
        retry: this.#retry,
        maxBytes: this.#maxIndexBytes,
        timeoutMs: this.#timeoutMs,
        resolve: this.#resolve,
      }),
    );
    const entries = index.charts.get(chart);
    if (!entries)
      throw new ChartNotFoundError(
        repo.key,
        chart,
        ` (its index.yaml lists ${index.charts.size} chart${index.charts.size === 1 ? '' : 's'}${similarNames(chart, [...index.charts.keys()])})`,
      );
    const versions = entries.map((entry) => entry.version);
    const version = resolveRevision(revision, versions);
    if (version === undefined)
      throw new ChartVersionNotFoundError(repo.key, chart, revision, nearestVersions(revision, versions), { constraint: kind === 'constraint' });
    const entry = entries.find((candidate) => candidate.version === version);
    if (!entry || entry.urls.length === 0) throw new ChartRepositoryContentError(`${repo.key}/index.yaml lists ${chart} ${version} without a download URL`);
    const archiveURL = chartArchiveURL(repo, entry.urls[0], this.#policy);
    await checkHost(archiveURL.hostname, `chart archive URL of ${chart} ${version} in ${repo.key}/index.yaml`, this.#policy, this.#resolve);
    return { version, archiveURL: archiveURL.href, digest: entry.digest };
  }

  async #resolveOci(repo: OciRepoLocation, chart: string, revision: string, kind: RevisionKind, credentials: ChartCredentials | undefined): Promise<Resolved> {
    if (kind === 'version') return { version: revision };
    const tags = await this.#tags(repo, chart, credentials);
    const version = resolveRevision(revision, tags);
    if (version === undefined) throw new ChartVersionNotFoundError(repo.key, chart, revision, nearestVersions(revision, tags), { constraint: true });
    return { version };
  }

  #tags(repo: OciRepoLocation, chart: string, credentials: ChartCredentials | undefined): Promise<string[]> {
    return listOciTags(repo, chart, credentials, { policy: this.#policy, retry: this.#retry, timeoutMs: this.#timeoutMs, resolve: this.#resolve });
  }

  /** The verified archive: from the shared store, or pulled with helm (and then stored). */
  async #obtain(
    repo: ChartRepoLocation,
    chart: string,
    resolved: Resolved,
    credentials: ChartCredentials | undefined,
    options: { storeChecked: boolean },
  ): Promise<StoredArchive> {
    const key = archiveKey(repo.key, chart, resolved.version);
    const stored = options.storeChecked ? undefined : await this.#storedArchive(key);
    if (stored) return stored;
    const archive = await this.#pull(repo, chart, resolved, credentials);
    // The store is a cache: a worker that cannot write it (a read-only role, S3 throttling)
    // still has the chart it pulled.
    await this.#archives?.put(key, archive).catch(() => undefined);
    return archive;
  }

  /** The shared store's archive; a store that cannot be read counts as a miss (the repository still can). */
  async #storedArchive(key: string): Promise<StoredArchive | undefined> {
    return this.#archives?.get(key).catch(() => undefined);
  }

  async #pull(repo: ChartRepoLocation, chart: string, resolved: Resolved, credentials: ChartCredentials | undefined): Promise<StoredArchive> {
    const what = `${chart} ${resolved.version} from ${repo.key}`;
    const source: PullSource =
      repo.kind === 'helm'
        ? {
            kind: 'helm',
            repoKey: repo.key,
            base: repo.base.href,
            chart,
            version: resolved.version,
            archiveURL: resolved.archiveURL as string,
            digest: resolved.digest,
          }
        : { kind: 'oci', repoKey: repo.key, registry: repo.registry, path: repo.path, chart, version: resolved.version, plainHttp: repo.plainHttp };
    const scratch = await mkdtemp(join(tmpdir(), 'driftless-chart-'));
    try {
      let pulled;
      try {
        pulled = await helmPull(source, credentials, { destination: join(scratch, 'out'), scratch });
      } catch (error) {
        throw repo.kind === 'oci' && error instanceof ChartNotFoundError ? await this.#whyMissing(repo, chart, resolved.version, credentials, error) : error;
      }
      const { size } = await stat(pulled.file);
      if (size > this.#maxChartBytes) throw new SourceTooLargeError(`chart archive of ${what}`, this.#maxChartBytes);
      const bytes = await readFile(pulled.file);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (resolved.digest && resolved.digest !== sha256) throw new ChartDigestMismatchError(what, resolved.digest, sha256);
      return { bytes, version: resolved.version, sha256, digest: repo.kind === 'helm' ? (resolved.digest ?? sha256) : pulled.manifestDigest };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** An OCI pin helm did not find: a missing version of an existing chart says which versions exist. */
  async #whyMissing(repo: OciRepoLocation, chart: string, version: string, credentials: ChartCredentials | undefined, original: Error): Promise<Error> {
    try {
      const tags = await this.#tags(repo, chart, credentials);
      if (tags.length > 0) return new ChartVersionNotFoundError(repo.key, chart, version, nearestVersions(version, tags), { cause: original });
    } catch (error) {
      if (!(error instanceof ChartNotFoundError)) return original;
    }
    return new ChartNotFoundError(repo.key, chart, ' (the registry has no such chart)', { cause: original });
  }

  /** A moving OCI tag: pulled into a folder of its own, deleted when released. */
  async #pullUncached(repo: OciRepoLocation, chart: string, tag: string, credentials: ChartCredentials | undefined): Promise<FetchedChart> {
    await mkdir(this.#cacheDir, { recursive: true });
    const folder = join(this.#cacheDir, `.tmp-tag-${randomUUID()}`);
    try {
      const archive = await this.#pull(repo, chart, { version: tag }, credentials);
      await mkdir(folder, { recursive: true });
      await this.#unpack(archive.bytes, folder, `${chart} ${tag} from ${repo.key}`);
      let released = false;
      return {
        dir: folder,
        chart,
        version: tag,
        digest: archive.digest,
        dispose: async () => {
          if (released) return;
          released = true;
          await rm(folder, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  async #unpack(bytes: Buffer, chartDir: string, what: string): Promise<void> {
    // helm packages a chart as `<name>/...`: its folder's content becomes chartDir's.
    await extractTar(Readable.from(bytes), chartDir, { strip: 1, maxBytes: this.#maxChartBytes, maxEntries: DEFAULT_MAX_CHART_ENTRIES, what: `chart ${what}` });
    const chartFile = await stat(join(chartDir, 'Chart.yaml')).catch(() => undefined);
    if (!chartFile?.isFile()) throw new ChartRepositoryContentError(`chart archive of ${what} holds no Chart.yaml in its top folder: not a Helm chart`);
  }

  #fetched(held: CachedChart): FetchedChart {
    return {
      dir: held.dir,
      chart: held.meta.chart,
      version: held.meta.version,
      digest: held.meta.digest,
      dispose: () => {
        held.release();
        return Promise.resolve();
      },
    };
  }
}

/** `; did you mean …?` for up to three names that share a prefix or contain each other. */
function similarNames(chart: string, names: string[]): string {
  const lower = chart.toLowerCase();
  const similar = names.filter((name) => {
    const other = name.toLowerCase();
    return other.includes(lower) || lower.includes(other) || other.slice(0, 3) === lower.slice(0, 3);
  });
  return similar.length > 0 ? `; did you mean ${similar.slice(0, 3).join(', ')}?` : '';
}
