// The chart name and targetRevision of a ChartRequest, checked before either reaches a URL, a
// file name or helm's command line: both come from Git.
import { positionalFromGit } from '../../tools/argv.ts';
import { InvalidChartRequestError } from './errors.ts';

// Helm chart names: letters, digits, `-`, `_` and `.`; never a path, never an option.
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Versions, constraints (`>=1.2.0 <2`, `~1.2 || ^2`, `1.2 - 1.4`) and plain OCI tags.
const REVISION = /^[A-Za-z0-9.*+_\-~^<>=!|, ]+$/;
const MAX_REVISION_LENGTH = 128;

export function validChartName(chart: string): string {
  if (chart === '') throw new InvalidChartRequestError('spec.source.chart is empty; name the chart in the repository');
  positionalFromGit(chart, (value) => new InvalidChartRequestError(`chart name "${value}" starts with "-"; chart names start with a letter or digit`));
  if (chart.includes('/'))
    throw new InvalidChartRequestError(`chart name "${chart}" contains "/"; name the chart alone and put its folder in repoURL (oci://host/path)`);
  if (chart.includes('..') || !CHART_NAME.test(chart)) {
    throw new InvalidChartRequestError(`chart name "${chart}" may hold only letters, digits, "-", "_" and "." (no "..")`);
  }
  return chart;
}

export function validTargetRevision(targetRevision: string, chart: string): string {
  const revision = targetRevision.trim();
  if (revision === '') {
    throw new InvalidChartRequestError(
      `targetRevision of chart "${chart}" is empty; give a version (1.2.3) or a constraint (1.2.*, >=1.2.0 <2, * for the latest)`,
    );
  }
  if (revision.length > MAX_REVISION_LENGTH)
    throw new InvalidChartRequestError(`targetRevision of chart "${chart}" is longer than ${MAX_REVISION_LENGTH} characters`);
  positionalFromGit(revision, (value) => new InvalidChartRequestError(`targetRevision "${value}" of chart "${chart}" starts with "-"`));
  if (!REVISION.test(revision)) {
    throw new InvalidChartRequestError(`targetRevision "${revision}" of chart "${chart}" is not a version, a version constraint or a tag`);
  }
  return revision;
}
