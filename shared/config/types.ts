// The normalised registry: what every later step (webhook matching, sync, drift) reads. Our
// kinds and Argo CD's both land here, defaults applied and cluster references resolved, so no
// consumer needs to know which spelling a user wrote.
import type { IgnoreDifference } from '../kube/ignore-differences.ts';
import type { DirectoryOptions, HelmOptions, KustomizeOptions } from '../render/types.ts';

export interface DefinedIn {
  /** Repository-relative path, forward slashes. */
  file: string;
  line?: number;
}

export interface AppSource {
  repoURL: string;
  /** Branch, `refs/heads/<branch>`, tag or sha; `HEAD` (the default) is the default branch. */
  targetRevision: string;
  /** Repository-relative folder, no leading `./` or trailing `/`; `.` is the whole repository. */
  path: string;
  helm?: HelmOptions;
  kustomize?: KustomizeOptions;
  directory?: DirectoryOptions;
  /**
   * Our extension: other repository paths (relative to the root) whose change syncs this app,
   * e.g. a shared base outside `path`. From `spec.source.extraPaths` on our kind, from the
   * `driftless.io/watch-paths` (comma-separated, root-relative) and
   * `argocd.argoproj.io/manifest-generate-paths` (semicolon-separated, path-relative)
   * annotations on Argo CD's.
   */
  extraPaths?: string[];
}

export interface AppDestination {
  /** A registered cluster's name, whichever way the document referred to it. */
  cluster: string;
  /** `''` when the document gave none: only objects naming their own namespace can go there. */
  namespace: string;
}

export interface RetryPolicy {
  /** Retries after the first failed attempt; 0 means none and -1 means no limit (Argo CD: any negative). */
  limit: number;
  backoff: { durationMs: number; factor: number; maxDurationMs: number };
}

export interface SyncPolicy {
  automated?: { prune: boolean; selfHeal: boolean; allowEmpty: boolean };
  /** As written, e.g. `PruneLast=true`. */
  syncOptions: string[];
  /** `CreateNamespace=true` among the sync options. */
  createNamespace: boolean;
  retry?: RetryPolicy;
}

/** An entry of `spec.ignoreDifferences`, as the comparison in shared/kube applies it. */
export type { IgnoreDifference };

export interface AppSpec {
  /** metadata.name: lower-case letters, digits, `-` and `.`, so it fits in `app@cluster` and tracking ids. */
  name: string;
  project: string;
  source: AppSource;
  destinations: AppDestination[];
  syncPolicy: SyncPolicy;
  ignoreDifferences: IgnoreDifference[];
  definedIn: DefinedIn;
}

export type AccessScope = { type: 'cluster' } | { type: 'namespace'; namespaces: string[] };

export interface ClusterSpec {
  name: string;
  /** API server URL; lets Argo CD destinations that name a server find this cluster. */
  server?: string;
  eks?: { clusterName: string; region: string; roleArn?: string; accountId?: string };
  kubeconfig?: { context?: string; path?: string };
  /** metadata.labels, for generators. */
  labels: Record<string, string>;
  /** Absent means the whole cluster. */
  accessScope?: AccessScope;
  definedIn: DefinedIn;
}

export interface ProjectDestination {
  /** Glob on the registered cluster name. */
  cluster?: string;
  /** Glob on the cluster's server URL. */
  server?: string;
  /** Glob on the namespace. */
  namespace: string;
}

/**
 * An entry of a project's resource allow or deny list: Go `filepath.Match` globs on the API
 * group (`''` is the core group) and the kind, as Argo CD matches them.
 */
export interface ResourceKindEntry {
  group: string;
  kind: string;
  /** Cluster lists only (Argo CD): a glob on the object's name; absent or `''` is any name. */
  name?: string;
}

/**
 * What a project lets its apps deploy, with Argo CD's AppProject meaning (shared/project/
 * kinds.ts has the rules). Absent lists are Argo CD's defaults: no cluster-scoped kind, every
 * namespaced kind, nothing denied.
 */
export interface ProjectSpec {
  name: string;
  /** Globs on repository URLs; a leading `!` denies (Argo CD). */
  sourceRepos: string[];
  /**
   * A destination is allowed when one entry matches it and no entry's negated (`!`) field
   * refuses it (shared/project/destinations.ts).
   */
  destinations: ProjectDestination[];
  /** The cluster-scoped kinds the project may deploy; absent or empty: none. */
  clusterResourceWhitelist?: ResourceKindEntry[];
  /** Cluster-scoped kinds refused even when the whitelist allows them. */
  clusterResourceBlacklist?: ResourceKindEntry[];
  /** Absent: every namespaced kind. Present, even empty: only those listed. */
  namespaceResourceWhitelist?: ResourceKindEntry[];
  /** Namespaced kinds refused even when the whitelist allows them. */
  namespaceResourceBlacklist?: ResourceKindEntry[];
  definedIn: DefinedIn;
}

export interface Registry {
  apps: AppSpec[];
  clusters: ClusterSpec[];
  projects: ProjectSpec[];
}
