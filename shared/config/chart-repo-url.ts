// Chart repository URLs, as a chart source's repoURL names them: an http(s) Helm repository
// (serving index.yaml), or an OCI registry as `oci://host/path` or a bare `host/path` (Argo CD
// reads a repoURL without a scheme as OCI). As for Git URLs (github/repo-url.ts), only canonical
// spellings are read: a project's sourceRepos glob must say something about the repository a
// fetch would read, so dot segments, escapes, credentials, query and fragment are refused.

export type ChartRepoKind = 'helm' | 'oci';

export interface ChartRepo {
  kind: ChartRepoKind;
  /** `https://charts.example.com/stable` (no trailing `/`), or `host/path` for OCI (no scheme). */
  canonical: string;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\s\u0000-\u001f\u007f\\?#%@]/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why `url` is not a chart repository URL we read, or the repository it names. */
export function parseChartRepoURL(url: string): ChartRepo | { problem: string } {
  const text = url.trim();
  if (text === '') return { problem: 'is empty' };
  if (UNSAFE.test(text)) {
    return { problem: 'contains whitespace, a backslash, "%", "?", "#" or "@" (credentials go in the repository secret, never in a repoURL)' };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text);
  if (!scheme) return oci(text);
  const name = scheme[1].toLowerCase();
  if (name === 'oci') return oci(scheme[2]);
  if (name !== 'https' && name !== 'http') return { problem: `has scheme ${name}: a chart repository is https:// (or http://), or an OCI registry (oci://host/path)` };
  const [host, ...segments] = scheme[2].replace(/\/+$/, '').split('/');
  const bad = checkHostAndPath(host, segments, true);
  if (bad) return { problem: bad };
  return { kind: 'helm', canonical: [`${name}://${host.toLowerCase()}`, ...segments].join('/') };
}

function oci(rest: string): ChartRepo | { problem: string } {
  const [host, ...segments] = rest.replace(/\/+$/, '').split('/');
  const bad = checkHostAndPath(host, segments, false);
  if (bad) return { problem: bad };
  return { kind: 'oci', canonical: [host.toLowerCase(), ...segments].join('/') };
}

function checkHostAndPath(host: string, segments: string[], allowEmptyPath: boolean): string | undefined {
  if (!HOST.test(host)) return `has "${host}" where a host name is expected`;
  if (!allowEmptyPath && segments.length === 0) return 'names no repository path after the registry host (write oci://host/path)';
  if (segments.some((segment) => !SEGMENT.test(segment))) return 'has an empty, "." or ".." path segment, or characters other than letters, digits, ".", "_" and "-"';
  return undefined;
}

/**
 * The forms a project's sourceRepos glob may have been written against: the canonical URL, with
 * a trailing `/` for a Helm repository, and for OCI both `oci://host/path` and `host/path`.
 */
export function chartRepoForms(repo: ChartRepo): string[] {
  return repo.kind === 'helm' ? [repo.canonical, `${repo.canonical}/`] : [`oci://${repo.canonical}`, repo.canonical];
}

// Chart names as Helm repositories and OCI registries list them, with `/` between the parts of
// an OCI repository nested under the repoURL (`charts/app`); every part starts with a letter or
// digit, so none is a dot segment or reads as a flag.
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Why `chart` is not a chart name we fetch, or undefined. */
export function chartNameProblem(chart: string): string | undefined {
  if (CHART_NAME.test(chart)) return undefined;
  return `"${chart}" is not a chart name: letters, digits, ".", "_" and "-", starting with a letter or digit (OCI: "/" between parts)`;
}
