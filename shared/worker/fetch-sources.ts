// Every source of an app fetched for one render: each Git source at a commit, each chart at
// an exact version. A job names one commit; which source it belongs to is found here:
//
//   - at the target's applied revision with the sources it recorded (a self-heal, a
//     redelivery, the drift scan rendering again), every source is fetched exactly as then;
//   - otherwise the job's commit belongs to the Git sources of the repository that has it,
//     among those tracking the job's ref (the pushed branch; all Git sources when none does),
//     tried in source order; the other Git sources are fetched at their own targetRevision,
//     resolved now, and each chart at the version its targetRevision resolves to now.
//
// A single-source Git app is fetched as it always was: its one source at the job's commit.
import { appSources, isChartSource } from '../config/app-sources.ts';
import { tracksBranch } from '../config/match.ts';
import { repoKey } from '../config/repo-url.ts';
import type { AppSource, AppSpec } from '../config/types.ts';
import { ToolUnavailableError } from '../render/errors.ts';
import type { ChartFetcher, FetchedChart } from '../source/chart/chart-fetcher.ts';
import { RevisionNotFoundError } from '../source/errors.ts';
import type { FetchedSource, SourceFetcher } from '../source/fetcher.ts';
import type { SourceRevision } from '../state/types.ts';

export type FetchedAppSource = { kind: 'git'; tree: FetchedSource } | { kind: 'chart'; chart: FetchedChart };

export interface FetchedApp {
  /** One per source of the app (appSources order). */
  sources: FetchedAppSource[];
  /** What each source was fetched at, as the sync records it. */
  revisions: SourceRevision[];
  /** The repository the job's commit was found in, when it was looked for (not with recorded sources). */
  revisionRepoURL?: string;
  dispose(): Promise<void>;
}

export interface SourceFetchers {
  sources: SourceFetcher;
  /** Absent where chart fetching is not configured: an app with a chart source then cannot render. */
  charts?: ChartFetcher;
}

export interface FetchPoint {
  /** The job's commit. */
  revision: string;
  /** The branch or tag it was resolved from, when the job says. */
  ref?: string;
  /** The sources recorded with `revision` by the sync that applied it, if any. */
  recorded?: SourceRevision[];
}

export async function fetchAppSources(app: AppSpec, at: FetchPoint, fetchers: SourceFetchers): Promise<FetchedApp> {
  const sources = appSources(app);
  const fetched: Array<FetchedAppSource | undefined> = sources.map(() => undefined);
  let revisionRepoURL: string | undefined;
  const release = () => Promise.all(fetched.map((entry) => (entry?.kind === 'git' ? entry.tree.dispose() : entry?.chart.dispose()))).then(() => undefined);
  try {
    const recorded = usableRecord(sources, at.recorded);
    const owned = recorded ? new Set<number>() : await claimRevision(sources, at, fetchers.sources, fetched);
    const first = [...owned][0];
    if (first !== undefined) revisionRepoURL = sources[first].repoURL;
    for (const [index, source] of sources.entries()) {
      if (fetched[index]) continue;
      if (isChartSource(source)) {
        fetched[index] = { kind: 'chart', chart: await fetchChart(app, source, recorded?.[index].version, fetchers.charts) };
      } else {
        const revision = recorded?.[index].sha ?? (owned.has(index) ? at.revision : source.targetRevision);
        fetched[index] = { kind: 'git', tree: await fetchers.sources.fetch({ repoURL: source.repoURL, revision }) };
      }
    }
  } catch (error) {
    await release();
    throw error;
  }
  const done = fetched as FetchedAppSource[];
  return { sources: done, revisions: done.map((entry, index) => revisionOf(sources[index], entry)), revisionRepoURL, dispose: release };
}

/** The recorded sources when they still describe the app's sources one for one; else undefined. */
function usableRecord(sources: readonly AppSource[], recorded: SourceRevision[] | undefined): SourceRevision[] | undefined {
  if (!recorded || recorded.length !== sources.length) return undefined;
  const matches = sources.every((source, index) => {
    const entry = recorded[index];
    if (repoKey(entry.repoURL) !== repoKey(source.repoURL)) return false;
    return isChartSource(source) ? entry.chart === source.chart && entry.version !== undefined : entry.sha !== undefined;
  });
  return matches ? recorded : undefined;
}

/**
 * Fetches the job's commit from the first repository (in source order) of the candidate Git
 * sources that has it, puts that tree in `fetched` for each of them, and returns their indexes.
 * Throws the first source's RevisionNotFoundError when no candidate repository has it.
 */
async function claimRevision(
  sources: readonly AppSource[],
  at: FetchPoint,
  git: SourceFetcher,
  fetched: Array<FetchedAppSource | undefined>,
): Promise<Set<number>> {
  const gitIndexes = sources.flatMap((source, index) => (isChartSource(source) ? [] : [index]));
  if (gitIndexes.length === 0) return new Set();
  const tracking = at.ref === undefined ? gitIndexes : gitIndexes.filter((index) => tracksRef(sources[index].targetRevision, at.ref as string));
  const candidates = tracking.length > 0 ? tracking : gitIndexes;
  const repos = [...new Set(candidates.map((index) => repoKey(sources[index].repoURL)))];
  let firstMiss: RevisionNotFoundError | undefined;
  for (const repo of repos) {
    const members = candidates.filter((index) => repoKey(sources[index].repoURL) === repo);
    try {
      for (const index of members) fetched[index] = { kind: 'git', tree: await git.fetch({ repoURL: sources[index].repoURL, revision: at.revision }) };
      return new Set(members);
    } catch (error) {
      // Not this repository's commit (a single Git source has no other to try).
      if (!(error instanceof RevisionNotFoundError) || repos.length === 1) throw error;
      firstMiss ??= error;
    }
  }
  throw firstMiss as RevisionNotFoundError;
}

function tracksRef(targetRevision: string, ref: string): boolean {
  return targetRevision.trim() === ref || tracksBranch(targetRevision, ref);
}

async function fetchChart(app: AppSpec, source: AppSource, version: string | undefined, charts: ChartFetcher | undefined): Promise<FetchedChart> {
  if (!charts) {
    throw new ToolUnavailableError(`chart fetching is not configured in this worker: ${app.name} has chart ${source.chart} from ${source.repoURL}`);
  }
  return charts.fetch({ repoURL: source.repoURL, chart: source.chart as string, targetRevision: version ?? source.targetRevision });
}

function revisionOf(source: AppSource, entry: FetchedAppSource): SourceRevision {
  if (entry.kind === 'git') return { repoURL: source.repoURL, sha: entry.tree.sha };
  const revision: SourceRevision = { repoURL: source.repoURL, chart: entry.chart.chart, version: entry.chart.version };
  if (entry.chart.digest !== undefined) revision.digest = entry.chart.digest;
  return revision;
}
