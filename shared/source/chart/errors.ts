// Errors of fetching a chart from a Helm repository or an OCI registry. Each names the
// repository, the chart and the version it concerns; credentials never appear (the repository
// URL may carry none, and tool output is stripped of them before it becomes a message).
//
// Whose fault: a request the repository cannot answer (no such chart, no such version, an
// archive that is not what the index says, refused credentials, a URL we may not read) is the
// user's and is recorded once; a repository that does not answer (network, 5xx, timeouts) is
// nobody's and is retried.
import type { BadInputMark } from '../../errors/bad-input.ts';
import { SourceError } from '../errors.ts';

export class ChartError extends SourceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChartError';
  }
}

/** The repoURL, chart name or targetRevision cannot be used as written. */
export class InvalidChartRequestError extends ChartError implements BadInputMark {
  readonly badInput = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidChartRequestError';
  }
}

/** The repository has no chart of that name. */
export class ChartNotFoundError extends ChartError implements BadInputMark {
  readonly badInput = true;
  readonly repoURL: string;
  readonly chart: string;
  constructor(repoURL: string, chart: string, hint = '', options?: ErrorOptions) {
    super(`chart "${chart}" not found in ${repoURL}${hint}`, options);
    this.name = 'ChartNotFoundError';
    this.repoURL = repoURL;
    this.chart = chart;
  }
}

/** No version of the chart is the one asked for, or matches the constraint. */
export class ChartVersionNotFoundError extends ChartError implements BadInputMark {
  readonly badInput = true;
  readonly repoURL: string;
  readonly chart: string;
  readonly targetRevision: string;
  /** The versions nearest to the request, highest first; the repository's whole list can be long. */
  readonly nearest: readonly string[];
  constructor(repoURL: string, chart: string, targetRevision: string, nearest: readonly string[], options?: ErrorOptions & { constraint?: boolean }) {
    const available = nearest.length > 0 ? `; nearest available: ${nearest.join(', ')}` : '; the repository lists no version of it';
    const wanted = options?.constraint ? `matching "${targetRevision}"` : `"${targetRevision}"`;
    super(`chart "${chart}" in ${repoURL} has no version ${wanted}${available}`, options);
    this.name = 'ChartVersionNotFoundError';
    this.repoURL = repoURL;
    this.chart = chart;
    this.targetRevision = targetRevision;
    this.nearest = nearest;
  }
}

/** The archive downloaded is not the one the repository's index names (sha256 differs). */
export class ChartDigestMismatchError extends ChartError implements BadInputMark {
  readonly badInput = true;
  constructor(what: string, expected: string, actual: string) {
    super(
      `${what}: the archive's sha256 is ${actual}, but the repository's index.yaml says ${expected}; the archive or the index was changed after publishing — republish the chart or pin another version`,
    );
    this.name = 'ChartDigestMismatchError';
  }
}

/** The repository refused the credentials, or asks for some and none are configured. */
export class ChartAuthError extends ChartError implements BadInputMark {
  readonly badInput = true;
  constructor(repoURL: string, detail: string, options?: ErrorOptions) {
    super(
      `${repoURL}: ${detail}; add or fix its credentials in the chart repository secret (url, username, password, as Argo CD's repository secrets)`,
      options,
    );
    this.name = 'ChartAuthError';
  }
}

/** What the repository serves is not a Helm repository index, a registry answer or a chart. */
export class ChartRepositoryContentError extends ChartError implements BadInputMark {
  readonly badInput = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChartRepositoryContentError';
  }
}

/** The repository did not answer, or answered with a server error: worth trying again. */
export class ChartRepositoryUnreachableError extends ChartError implements BadInputMark {
  readonly badInput = false;
  constructor(repoURL: string, detail: string, options?: ErrorOptions) {
    super(`chart repository ${repoURL} is unreachable: ${detail}`, options);
    this.name = 'ChartRepositoryUnreachableError';
  }
}
