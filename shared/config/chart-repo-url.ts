// A chart source's repoURL, chart name and targetRevision, checked when the registry is read
// by the same rules the chart fetcher applies when it fetches (shared/source/chart/), so a
// config push is refused at once, with file and line, for what no sync could ever fetch. Only
// whether loopback may be read is left to the fetch: that is where the worker runs, not what
// the registry says. The forms a project's sourceRepos glob may be written against come from
// the same canonical URL.
import { InvalidChartRequestError } from '../source/chart/errors.ts';
import { parseChartRepoURL, type ChartRepoLocation } from '../source/chart/repo-url.ts';
import { validChartName, validTargetRevision } from '../source/chart/request.ts';

// Loopback is a property of where the worker runs (local mode allows it); the fetch decides.
const SHAPE_ONLY = { allowLoopback: true };

/** The repository the URL names, or why it names none. */
export function chartRepository(repoURL: string): ChartRepoLocation | { problem: string } {
  return checked(() => parseChartRepoURL(repoURL, SHAPE_ONLY));
}

/** Why `chart` is not a chart name the fetcher takes, or undefined. */
export function chartNameProblem(chart: string): string | undefined {
  const result = checked(() => validChartName(chart));
  return typeof result === 'object' ? result.problem : undefined;
}

/** Why `targetRevision` is not a version, constraint or tag the fetcher takes, or undefined. */
export function chartRevisionProblem(targetRevision: string, chart: string): string | undefined {
  const result = checked(() => validTargetRevision(targetRevision, chart));
  return typeof result === 'object' ? result.problem : undefined;
}

/**
 * The forms a sourceRepos glob may have been written against: a Helm repository's URL with
 * and without a trailing `/`, an OCI repository as `oci://host/path` and as `host/path`.
 */
export function chartRepoForms(repo: ChartRepoLocation): string[] {
  return repo.kind === 'helm' ? [repo.key, `${repo.key}/`] : [repo.key, repo.key.slice('oci://'.length)];
}

function checked<T>(check: () => T): T | { problem: string } {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidChartRequestError) return { problem: error.message };
    throw error;
  }
}
