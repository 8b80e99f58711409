// The config area's public API: load the registry, match pushes, compare registries.
export type {
  AccessScope,
  AppDestination,
  AppSource,
  AppSpec,
  ClusterSpec,
  DefinedIn,
  IgnoreDifference,
  ProjectDestination,
  ProjectSpec,
  Registry,
  RetryPolicy,
  SyncPolicy,
} from './types.ts';
export { ConfigError, InvalidDurationError, RegistryError, RegistryReadError, formatProblem } from './errors.ts';
export type { RegistryProblem } from './errors.ts';
export { loadRegistry, parseRegistryFiles, readRegistryFiles, REGISTRY_DIR } from './load.ts';
export type { RegistryFile } from './load.ts';
export { changedFilesOf, configChanged, matchPush, tracksBranch, watchedPaths } from './match.ts';
export type { PushChange, PushPayloadFiles, Target } from './match.ts';
export { diffRegistries } from './diff.ts';
export type { RegistryDiff } from './diff.ts';
export { repoKey, sameRepo } from './repo-url.ts';
export { parseDuration } from './duration.ts';
export { ARGO_MANIFEST_PATHS_ANNOTATION, WATCH_PATHS_ANNOTATION } from './normalise-app.ts';
