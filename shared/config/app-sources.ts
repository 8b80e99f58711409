// The sources of an app, whichever way it was written: `spec.source` (one) or `spec.sources`
// (several, as Argo CD's multi-source applications), and the `$<ref>/path` value files by which
// one source reads files of another, as Argo CD spells them.
import type { AppSource, AppSpec } from './types.ts';

/** Every source in order; a single-source app's one source. */
export function appSources(app: Pick<AppSpec, 'source' | 'sources'>): AppSource[] {
  return app.sources ?? [app.source];
}

/** A chart from a Helm repository or an OCI registry, not a folder of a Git repository. */
export function isChartSource(source: AppSource): boolean {
  return source.chart !== undefined;
}

/**
 * The repository whose commits the app's revisions are: its primary Git source's, or, for an
 * app of charts alone, the config repository whose commit defines it (a new chart version is a
 * config push). Commit statuses and replay checks go there.
 */
export function revisionRepoURL(app: Pick<AppSpec, 'source'>, configRepoURL: string | undefined): string {
  return isChartSource(app.source) && configRepoURL !== undefined ? configRepoURL : app.source.repoURL;
}

/** Whether the source contributes objects (a ref source without a path only lends its files). */
export function rendersManifests(source: AppSource): boolean {
  return source.valuesOnly !== true;
}

export interface RefValueFile {
  /** The ref name, without `$`. */
  ref: string;
  /** Relative to the ref source's repository root, as written after `$<ref>/`. */
  path: string;
}

/**
 * `$values/charts/app/values.yaml` → `{ ref: 'values', path: 'charts/app/values.yaml' }`;
 * undefined for a value file that does not start with `$` (Argo CD reads `$` only there).
 */
export function refValueFile(valueFile: string): RefValueFile | undefined {
  if (!valueFile.startsWith('$')) return undefined;
  const slash = valueFile.indexOf('/');
  if (slash === -1) return { ref: valueFile.slice(1), path: '' };
  return { ref: valueFile.slice(1, slash), path: valueFile.slice(slash + 1) };
}
