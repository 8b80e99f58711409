// Our Application and Argo CD's → one AppSpec, defaults applied as Argo CD applies them.
// Destinations stay references (name or server) here; check.ts resolves them against the
// registered clusters once every file is read. `spec.sources` keeps every source in order, and
// the checks that need them all (unique refs, `$<ref>/…` value files naming one) are made here.
import type { DirectoryOptions, HelmOptions, KustomizeOptions } from '../render/types.ts';
import type { FieldPath, RegistryDocument } from './documents.ts';
import type { Report } from './problems.ts';
import { appSyncOptionProblem } from '../sync/app-sync-options.ts';
import { normaliseRepoPath } from './paths.ts';
import type { ArgoApplication, OurApplication } from './schemas.ts';
import type { AppSource, AppSpec, IgnoreDifference, RetryPolicy, SyncPolicy } from './types.ts';
import { refValueFile } from './app-sources.ts';
import { appSubscriptions } from '../notifications/subscriptions.ts';
import type { AppSubscription } from '../notifications/types.ts';
import { chartNameProblem, chartRepository, chartRevisionProblem } from './chart-repo-url.ts';

export const WATCH_PATHS_ANNOTATION = 'driftless.io/watch-paths';
export const ARGO_MANIFEST_PATHS_ANNOTATION = 'argocd.argoproj.io/manifest-generate-paths';

// Argo CD's defaults for a retry block that leaves them out.
const DEFAULT_BACKOFF_MS = 5_000;
const DEFAULT_BACKOFF_FACTOR = 2;
const DEFAULT_MAX_BACKOFF_MS = 180_000;

export interface DestinationRef {
  name?: string;
  server?: string;
  namespace: string;
  /** Where the reference is written, for problems found when resolving it. */
  field: FieldPath;
}

export interface AppDraft {
  app: Omit<AppSpec, 'destinations'>;
  destinations: DestinationRef[];
  /** Where each of `appSources(app)` is written, for problems found when checking it against the project. */
  sourceFields: FieldPath[];
  document: RegistryDocument;
}

type RawSpec = OurApplication['spec'] | ArgoApplication['spec'];
type RawSource = NonNullable<RawSpec['source']>;

interface WrittenSource {
  raw: RawSource;
  field: FieldPath;
  /** Our kind's `extraPaths` (Argo CD's kind has none: its watch paths are annotations). */
  extraPaths?: string[];
}

export function normaliseOurApplication(raw: OurApplication, document: RegistryDocument, report: Report): AppDraft {
  const spec = raw.spec;
  const destinations = spec.destinations
    ? spec.destinations.map((destination, index) => reference(destination, ['spec', 'destinations', index]))
    : [reference(spec.destination ?? {}, ['spec', 'destination'])];
  spec.syncPolicy?.syncOptions?.forEach((option, index) => {
    // Argo CD's spellings only (shared/sync/app-sync-options.ts); Argo CD's own kind gets a warning at sync instead.
    const problem = appSyncOptionProblem(option);
    if (problem) report(['spec', 'syncPolicy', 'syncOptions', index], `"${option}" ${problem}`);
  });
  const written: WrittenSource[] = spec.sources
    ? spec.sources.map((source, index) => ({ raw: source, field: ['spec', 'sources', index], extraPaths: source.extraPaths }))
    : [{ raw: spec.source ?? { repoURL: '' }, field: ['spec', 'source'], extraPaths: spec.source?.extraPaths }];
  const subscriptions = appSubscriptions(raw.metadata.annotations ?? {}, report);
  return withLabels(
    withSubscriptions(
      draft(raw.metadata.name, spec, written, spec.sources !== undefined, () => [], destinations, document, report),
      subscriptions,
    ),
    raw.metadata.labels,
  );
}

export function normaliseArgoApplication(raw: ArgoApplication, document: RegistryDocument, report: Report): AppDraft {
  const annotations = raw.metadata.annotations ?? {};
  // Argo CD reads spec.sources whenever it lists any, and then ignores spec.source.
  const multi = raw.spec.sources !== undefined && raw.spec.sources.length > 0;
  const written: WrittenSource[] = multi
    ? (raw.spec.sources ?? []).map((source, index) => ({ raw: source, field: ['spec', 'sources', index] }))
    : [{ raw: raw.spec.source ?? { repoURL: '' }, field: ['spec', 'source'] }];
  // The watch-path annotations belong to the primary source, whose folder the relative ones start from.
  const annotationPaths = (primaryPath: string) => {
    const extraPaths: Array<{ path: string; field: FieldPath }> = [];
    const watchField = ['metadata', 'annotations', WATCH_PATHS_ANNOTATION];
    for (const path of splitList(annotations[WATCH_PATHS_ANNOTATION], ',')) extraPaths.push({ path, field: watchField });
    // Argo CD's own webhook filter: `;`-separated, relative to the app path unless absolute.
    const argoField = ['metadata', 'annotations', ARGO_MANIFEST_PATHS_ANNOTATION];
    for (const path of splitList(annotations[ARGO_MANIFEST_PATHS_ANNOTATION], ';')) {
      extraPaths.push({ path: path.startsWith('/') ? path : `${primaryPath}/${path}`, field: argoField });
    }
    return extraPaths;
  };
  const destinations = [reference(raw.spec.destination, ['spec', 'destination'])];
  const subscriptions = appSubscriptions(annotations, report);
  return withLabels(
    withSubscriptions(draft(raw.metadata.name, raw.spec, written, multi, annotationPaths, destinations, document, report), subscriptions),
    raw.metadata.labels,
  );
}

/** metadata.labels (RollingSync steps select on them); only an app with labels carries the field, so one without reads as before. */
function withLabels(app: AppDraft, labels: Record<string, string> | undefined): AppDraft {
  if (labels && Object.keys(labels).length > 0) app.app.labels = { ...labels };
  return app;
}

/** Only an app with subscriptions carries the field, so one without reads (and compares) as before. */
function withSubscriptions(app: AppDraft, subscriptions: AppSubscription[]): AppDraft {
  if (subscriptions.length > 0) app.app.subscriptions = subscriptions;
  return app;
}

function draft(
  name: string,
  spec: RawSpec,
  written: WrittenSource[],
  multi: boolean,
  annotationPaths: (primaryPath: string) => Array<{ path: string; field: FieldPath }>,
  destinations: DestinationRef[],
  document: RegistryDocument,
  report: Report,
): AppDraft {
  const sources = written.map((entry) => source(entry, multi, report));
  const primary = Math.max(
    0,
    sources.findIndex((candidate) => candidate.chart === undefined),
  );
  const extras = annotationPaths(written[primary].raw.path ?? '.');
  if (extras.length > 0) sources[primary] = withExtraPaths(sources[primary], extras, report);
  if (multi) checkSources(sources, written, report);
  else checkRefValueFiles(sources, written, report);
  return {
    app: {
      name,
      project: spec.project ?? 'default',
      source: sources[primary],
      ...(multi ? { sources } : {}),
      syncPolicy: syncPolicy(spec.syncPolicy, report),
      ignoreDifferences: (spec.ignoreDifferences ?? []).map(ignoreDifference),
      definedIn: { file: document.file, line: document.line },
    },
    destinations,
    sourceFields: written.map(({ field }) => field),
    document,
  };
}

function reference(destination: { name?: string; server?: string; namespace?: string }, field: FieldPath): DestinationRef {
  const ref: DestinationRef = { namespace: destination.namespace ?? '', field };
  if (destination.name !== undefined) ref.name = destination.name;
  if (destination.server !== undefined) ref.server = destination.server;
  return ref;
}

// A ref becomes `$<ref>/` in a value file path: one path segment, nothing Helm or a shell reads specially.
const REF_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function source({ raw, field, extraPaths }: WrittenSource, multi: boolean, report: Report): AppSource {
  const at = (...rest: Array<string | number>): FieldPath => [...field, ...rest];
  const chart = raw.chart?.trim();
  const result: AppSource = {
    repoURL: raw.repoURL.trim(),
    targetRevision: raw.targetRevision?.trim() || (chart ? '' : 'HEAD'),
    path: '.',
  };
  if (chart !== undefined && chart !== '') {
    result.chart = chart;
    const nameProblem = chartNameProblem(chart);
    if (nameProblem) report(at('chart'), nameProblem);
    const repo = chartRepository(result.repoURL);
    if ('problem' in repo) report(at('repoURL'), repo.problem);
    const revisionProblem = chartRevisionProblem(result.targetRevision, chart);
    if (revisionProblem) report(at('targetRevision'), revisionProblem);
    if (raw.ref !== undefined && multi) report(at('ref'), 'a chart source cannot be a ref source (as in Argo CD): set ref on a Git source');
    for (const type of ['kustomize', 'directory'] as const) {
      if (raw[type] !== undefined) report(at(type), `a chart source is rendered with Helm; ${type} options do not apply`);
    }
  } else {
    const path = normaliseRepoPath(raw.path ?? '.');
    if (path === undefined) report(at('path'), `"${raw.path}" climbs out of the repository`);
    result.path = path ?? '.';
    if (/^oci:\/\//i.test(result.repoURL)) report(at('chart'), 'is required for an oci:// repoURL: only Helm charts are read from OCI registries');
    const types = (['helm', 'kustomize', 'directory'] as const).filter((type) => raw[type] !== undefined);
    if (types.length > 1) report(at(types[1]), `set at most one of helm, kustomize and directory (found ${types.join(' and ')})`);
    // Argo CD ignores ref outside spec.sources; so does Driftless.
    if (multi && raw.ref !== undefined) {
      if (!REF_NAME.test(raw.ref)) report(at('ref'), `"${raw.ref}" is not a ref name: letters, digits, "-" and "_", starting with a letter or digit`);
      result.ref = raw.ref;
      // Argo CD: a ref source without a path only lends its files to other sources' value files.
      if (raw.path === undefined || raw.path.trim() === '') result.valuesOnly = true;
    }
  }
  if (raw.helm) result.helm = helm(raw.helm);
  if (raw.kustomize && !result.chart) result.kustomize = kustomize(raw.kustomize);
  if (raw.directory && !result.chart) result.directory = directory(raw.directory);
  const own = (extraPaths ?? []).map((path, index) => ({ path, field: at('extraPaths', index) }));
  return own.length > 0 ? withExtraPaths(result, own, report) : result;
}

function withExtraPaths(source: AppSource, extraPaths: Array<{ path: string; field: FieldPath }>, report: Report): AppSource {
  const extras = [...(source.extraPaths ?? [])];
  for (const { path: extra, field } of extraPaths) {
    const normal = normaliseRepoPath(extra);
    if (normal === undefined) report(field, `watch path "${extra}" climbs out of the repository`);
    else if (!extras.includes(normal)) extras.push(normal);
  }
  return extras.length > 0 ? { ...source, extraPaths: extras } : source;
}

/** Refs unique, `$<ref>/…` value files naming one of them, and something left to deploy. */
function checkSources(sources: AppSource[], written: WrittenSource[], report: Report): void {
  const refs = new Map<string, number>();
  sources.forEach((candidate, index) => {
    if (candidate.ref === undefined) return;
    const earlier = refs.get(candidate.ref);
    if (earlier !== undefined)
      report([...written[index].field, 'ref'], `ref "${candidate.ref}" is also the ref of spec.sources[${earlier}]; give each ref source its own name`);
    else refs.set(candidate.ref, index);
  });
  checkRefValueFiles(sources, written, report, refs);
  if (sources.every((candidate) => candidate.valuesOnly)) {
    report(
      ['spec', 'sources'],
      'every source is a ref source without a path: nothing would be deployed (set path on the source to render, or add a chart or Git source)',
    );
  }
}

function checkRefValueFiles(sources: AppSource[], written: WrittenSource[], report: Report, refs = new Map<string, number>()): void {
  sources.forEach((candidate, index) => {
    candidate.helm?.valueFiles?.forEach((valueFile, position) => {
      const parsed = refValueFile(valueFile);
      if (!parsed) return;
      const field = [...written[index].field, 'helm', 'valueFiles', position];
      if (refs.size === 0) {
        report(
          field,
          `"${valueFile}" names a ref source, and this app has none: only spec.sources can hold ref sources (a Git source with ref: ${parsed.ref || 'NAME'})`,
        );
      } else if (!refs.has(parsed.ref)) {
        report(field, `"${valueFile}" names no ref source: "$${parsed.ref}" is not among ${[...refs.keys()].map((ref) => `$${ref}`).join(', ')}`);
      } else if (parsed.path === '' || normaliseRepoPath(parsed.path) === undefined || normaliseRepoPath(parsed.path) === '.') {
        report(field, `"${valueFile}" must name a file inside the ref source's repository, as $${parsed.ref}/path/values.yaml`);
      }
    });
  });
}

function helm(raw: NonNullable<RawSource['helm']>): HelmOptions {
  const values = 'valuesObject' in raw && raw.valuesObject !== undefined ? raw.valuesObject : raw.values;
  return pick({
    releaseName: raw.releaseName,
    namespace: raw.namespace,
    valueFiles: raw.valueFiles,
    ignoreMissingValueFiles: raw.ignoreMissingValueFiles,
    values,
    parameters: raw.parameters?.map((parameter) => pick({ name: parameter.name, value: parameter.value, forceString: parameter.forceString })),
    skipCrds: raw.skipCrds,
    skipTests: raw.skipTests,
    kubeVersion: raw.kubeVersion,
    apiVersions: raw.apiVersions,
  });
}

function kustomize(raw: NonNullable<RawSource['kustomize']>): KustomizeOptions {
  return pick({
    namePrefix: raw.namePrefix,
    nameSuffix: raw.nameSuffix,
    images: raw.images,
    commonLabels: raw.commonLabels,
    forceCommonLabels: raw.forceCommonLabels,
  });
}

function directory(raw: NonNullable<RawSource['directory']>): DirectoryOptions {
  return pick({ recurse: raw.recurse, include: raw.include, exclude: raw.exclude });
}

function syncPolicy(raw: RawSpec['syncPolicy'], report: Report): SyncPolicy {
  const syncOptions = raw?.syncOptions ?? [];
  const policy: SyncPolicy = { syncOptions, createNamespace: syncOptions.includes('CreateNamespace=true') };
  const automated = raw?.automated;
  if (automated && automated.enabled !== false) {
    policy.automated = { prune: automated.prune ?? false, selfHeal: automated.selfHeal ?? false, allowEmpty: automated.allowEmpty ?? false };
  }
  if (raw?.retry) policy.retry = retry(raw.retry, report);
  const metadata = raw?.managedNamespaceMetadata;
  if (metadata && (metadata.labels || metadata.annotations))
    policy.managedNamespaceMetadata = pick({ labels: metadata.labels, annotations: metadata.annotations });
  return policy;
}

function retry(raw: NonNullable<NonNullable<RawSpec['syncPolicy']>['retry']>, report: Report): RetryPolicy {
  const field = ['spec', 'syncPolicy', 'retry', 'backoff'];
  const durationMs = raw.backoff?.duration ?? DEFAULT_BACKOFF_MS;
  const maxDurationMs = raw.backoff?.maxDuration ?? DEFAULT_MAX_BACKOFF_MS;
  if (durationMs <= 0) report([...field, 'duration'], 'must be longer than 0');
  if (maxDurationMs < durationMs) report([...field, 'maxDuration'], `${maxDurationMs} ms is shorter than duration (${durationMs} ms)`);
  return {
    // Argo CD: no limit given is 0 (no retries), any negative limit retries forever.
    limit: raw.limit === undefined ? 0 : Math.max(raw.limit, -1),
    backoff: { durationMs, factor: raw.backoff?.factor ?? DEFAULT_BACKOFF_FACTOR, maxDurationMs },
  };
}

function ignoreDifference(raw: NonNullable<RawSpec['ignoreDifferences']>[number]): IgnoreDifference {
  return pick({
    group: raw.group,
    kind: raw.kind,
    name: raw.name,
    namespace: raw.namespace,
    jsonPointers: raw.jsonPointers,
    jqPathExpressions: raw.jqPathExpressions,
    managedFieldsManagers: raw.managedFieldsManagers,
  });
}

function splitList(text: string | undefined, separator: string): string[] {
  return (text ?? '')
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Leaves out undefined fields, so two equal specs serialise the same. */
function pick<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
