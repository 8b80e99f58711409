// Our Application and Argo CD's → one AppSpec, defaults applied as Argo CD applies them.
// Destinations stay references (name or server) here; check.ts resolves them against the
// registered clusters once every file is read.
import type { DirectoryOptions, HelmOptions, KustomizeOptions } from '../render/types.ts';
import type { FieldPath, RegistryDocument } from './documents.ts';
import type { Report } from './problems.ts';
import { normaliseRepoPath } from './paths.ts';
import type { ArgoApplication, OurApplication } from './schemas.ts';
import type { AppSource, AppSpec, IgnoreDifference, RetryPolicy, SyncPolicy } from './types.ts';

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
  document: RegistryDocument;
}

type RawSpec = OurApplication['spec'] | ArgoApplication['spec'];
type RawSource = RawSpec['source'];

export function normaliseOurApplication(raw: OurApplication, document: RegistryDocument, report: Report): AppDraft {
  const spec = raw.spec;
  const destinations = spec.destinations
    ? spec.destinations.map((destination, index) => reference(destination, ['spec', 'destinations', index]))
    : [reference(spec.destination ?? {}, ['spec', 'destination'])];
  spec.syncPolicy?.syncOptions?.forEach((option, index) => {
    if (!/^[A-Za-z]+=\S+$/.test(option)) report(['spec', 'syncPolicy', 'syncOptions', index], `"${option}" is not Name=value (e.g. CreateNamespace=true)`);
  });
  const extraPaths = (spec.source.extraPaths ?? []).map((path, index) => ({ path, field: ['spec', 'source', 'extraPaths', index] as FieldPath }));
  return draft(raw.metadata.name, spec, extraPaths, destinations, document, report);
}

export function normaliseArgoApplication(raw: ArgoApplication, document: RegistryDocument, report: Report): AppDraft {
  const annotations = raw.metadata.annotations ?? {};
  const extraPaths: Array<{ path: string; field: FieldPath }> = [];
  const watchField = ['metadata', 'annotations', WATCH_PATHS_ANNOTATION];
  for (const path of splitList(annotations[WATCH_PATHS_ANNOTATION], ',')) extraPaths.push({ path, field: watchField });
  // Argo CD's own webhook filter: `;`-separated, relative to the app path unless absolute.
  const argoField = ['metadata', 'annotations', ARGO_MANIFEST_PATHS_ANNOTATION];
  const appPath = raw.spec.source.path ?? '.';
  for (const path of splitList(annotations[ARGO_MANIFEST_PATHS_ANNOTATION], ';')) {
    extraPaths.push({ path: path.startsWith('/') ? path : `${appPath}/${path}`, field: argoField });
  }
  const destinations = [reference(raw.spec.destination, ['spec', 'destination'])];
  return draft(raw.metadata.name, raw.spec, extraPaths, destinations, document, report);
}

function draft(
  name: string,
  spec: RawSpec,
  extraPaths: Array<{ path: string; field: FieldPath }>,
  destinations: DestinationRef[],
  document: RegistryDocument,
  report: Report,
): AppDraft {
  return {
    app: {
      name,
      project: spec.project ?? 'default',
      source: source(spec.source, extraPaths, report),
      syncPolicy: syncPolicy(spec.syncPolicy, report),
      ignoreDifferences: (spec.ignoreDifferences ?? []).map(ignoreDifference),
      definedIn: { file: document.file, line: document.line },
    },
    destinations,
    document,
  };
}

function reference(destination: { name?: string; server?: string; namespace?: string }, field: FieldPath): DestinationRef {
  const ref: DestinationRef = { namespace: destination.namespace ?? '', field };
  if (destination.name !== undefined) ref.name = destination.name;
  if (destination.server !== undefined) ref.server = destination.server;
  return ref;
}

function source(raw: RawSource, extraPaths: Array<{ path: string; field: FieldPath }>, report: Report): AppSource {
  const path = normaliseRepoPath(raw.path ?? '.');
  if (path === undefined) report(['spec', 'source', 'path'], `"${raw.path}" climbs out of the repository`);
  const result: AppSource = {
    repoURL: raw.repoURL.trim(),
    targetRevision: raw.targetRevision?.trim() || 'HEAD',
    path: path ?? '.',
  };
  const types = (['helm', 'kustomize', 'directory'] as const).filter((type) => raw[type] !== undefined);
  if (types.length > 1) report(['spec', 'source', types[1]], `set at most one of helm, kustomize and directory (found ${types.join(' and ')})`);
  if (raw.helm) result.helm = helm(raw.helm);
  if (raw.kustomize) result.kustomize = kustomize(raw.kustomize);
  if (raw.directory) result.directory = directory(raw.directory);

  const extras: string[] = [];
  for (const { path: extra, field } of extraPaths) {
    const normal = normaliseRepoPath(extra);
    if (normal === undefined) report(field, `watch path "${extra}" climbs out of the repository`);
    else if (!extras.includes(normal)) extras.push(normal);
  }
  if (extras.length > 0) result.extraPaths = extras;
  return result;
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
  return (text ?? '').split(separator).map((part) => part.trim()).filter((part) => part !== '');
}

/** Leaves out undefined fields, so two equal specs serialise the same. */
function pick<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
