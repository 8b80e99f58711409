// The normalised registry: what every later step (webhook matching, sync, drift) reads. Our
// kinds and Argo CD's both land here, defaults applied and cluster references resolved, so no
// consumer needs to know which spelling a user wrote.
import type { IgnoreDifference } from '../kube/ignore-differences.ts';
import type { DirectoryOptions, HelmOptions, KustomizeOptions } from '../render/types.ts';
import type { PolicySet } from '../policy/types.ts';
import type { AppSubscription, NotificationsConfig } from '../notifications/types.ts';
import type { ApplicationSetSpec } from '../appset/types.ts';

export interface DefinedIn {
  /** Repository-relative path, forward slashes. */
  file: string;
  line?: number;
}

/**
 * One source of an app, as Argo CD's ApplicationSource: a folder of a Git repository, or a Helm
 * chart from a chart repository (`chart` set: an http(s) Helm repository or an OCI registry).
 */
export interface AppSource {
  /** A Git repository, or for a chart source the chart repository (`https://…`, `oci://host/path`, `host/path`). */
  repoURL: string;
  /**
   * Git: branch, `refs/heads/<branch>`, tag or sha; `HEAD` (the default) is the default branch.
   * Chart: an exact version or a semver constraint (`1.2.*`, `>=4.0.0 <5`), resolved when fetched.
   */
  targetRevision: string;
  /** Repository-relative folder, no leading `./` or trailing `/`; `.` is the whole repository (and a chart source's). */
  path: string;
  /** The chart's name in the chart repository; makes this a chart source. */
  chart?: string;
  /** Multi-source only: the name other sources' `$<ref>/…` value files use for this source's repository root. */
  ref?: string;
  /**
   * A ref source without a path: its files serve other sources' value files and it renders
   * nothing itself, as in Argo CD.
   */
  valuesOnly?: boolean;
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
  /** Argo CD's managedNamespaceMetadata: labels and annotations of the namespace CreateNamespace makes. */
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  retry?: RetryPolicy;
}

/** An entry of `spec.ignoreDifferences`, as the comparison in shared/kube applies it. */
export type { IgnoreDifference };

export interface AppSpec {
  /** metadata.name: lower-case letters, digits, `-` and `.`, so it fits in `app@cluster` and tracking ids. */
  name: string;
  project: string;
  /**
   * The primary source: the first Git source (the first source when every one is a chart). Its
   * repository is where the app's revision, commit statuses and config-triggered syncs point;
   * for a single-source app it is the source.
   */
  source: AppSource;
  /**
   * Set only for a multi-source app (`spec.sources`): every source in the order written, which
   * is the order their objects are rendered in; `source` is one of them. Read it through
   * `appSources()` (app-sources.ts), which also serves single-source apps.
   */
  sources?: AppSource[];
  destinations: AppDestination[];
  syncPolicy: SyncPolicy;
  ignoreDifferences: IgnoreDifference[];
  /** Its `notifications.argoproj.io/subscribe.*` annotations (shared/notifications/); absent when it has none. */
  subscriptions?: AppSubscription[];
  /** metadata.labels of the Application (a generated app's come from its set's template): RollingSync steps select on them. */
  labels?: Record<string, string>;
  /** The ApplicationSet that generated this app (shared/appset/); absent for an app written out. */
  applicationSet?: string;
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
  /** metadata.annotations, for the clusters generator's `metadata.annotations.<k>` parameters; absent when none. */
  annotations?: Record<string, string>;
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
 * A sync window of a project, as Argo CD's AppProject `syncWindows` entry: from each start of
 * `schedule` (five-field cron in `timeZone`) for `durationMs`, the apps it matches may sync
 * (`allow`) or may not (`deny`).
 */
export interface SyncWindowSpec {
  kind: 'allow' | 'deny';
  schedule: string;
  /** As written (`1h`, `30m`), for messages; `durationMs` is what counts. */
  duration: string;
  durationMs: number;
  /** IANA time zone the schedule is read in; `UTC` unless written. */
  timeZone: string;
  /** Globs on the app name, the destination namespace and the cluster (its name or server URL). */
  applications: string[];
  namespaces: string[];
  clusters: string[];
  /** Manual syncs may run when this window would hold them back. */
  manualSync: boolean;
  /** Argo CD's `andOperator`: every list written must match, not one of them. */
  andOperator: boolean;
  description?: string;
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
  /**
   * The IAM roles the project's apps reach clusters as, first matching entry wins
   * (shared/project/roles.ts). Absent, or no entry matching: the cluster's own connection.
   */
  roles?: ProjectRole[];
  /**
   * Argo CD's sync windows: when automated syncs may run, and manual ones with `manualSync`
   * (shared/worker/policy/sync-window.ts). Absent or empty: always.
   */
  syncWindows?: SyncWindowSpec[];
  /**
   * The SOPS master keys the project's apps may decrypt with (shared/secrets/): a document
   * with SOPS metadata opens only with a key listed here. Absent: no decryption.
   */
  decryption?: ProjectDecryption;
  /** A Secret with data or stringData in Git (not SOPS-encrypted): a warning (default) or refused. */
  plainSecrets?: 'warn' | 'deny';
  definedIn: DefinedIn;
}

/** Our Project's `spec.decryption`; an AppProject's `driftless.io/sops-*` annotations (shared/project/secrets-rules.ts). */
export interface ProjectDecryption {
  sops: {
    /** AWS KMS key ARNs, exactly as the files' `sops.kms[].arn` name them. */
    kmsKeys?: string[];
    /** age recipients (`age1…`). */
    ageRecipients?: string[];
    /** PGP fingerprints (40 hex digits). */
    pgpFingerprints?: string[];
  };
}

/**
 * One IAM role of a project: our Project's `spec.roles` entry, or an AppProject
 * destinationServiceAccounts entry with the role its `driftless.io/role-arn.<account>`
 * annotation names. Globs as in destinations; an absent field matches anything.
 */
export interface ProjectRole {
  /** Glob on the registered cluster name. */
  cluster?: string;
  /** Glob on the cluster's server URL (Argo CD's destinationServiceAccounts match on it). */
  server?: string;
  /** Glob on the app's destination namespace. */
  namespace?: string;
  /** Absent: a destination service account no annotation maps to a role, so the cluster's own connection. */
  roleArn?: string;
}

export interface Registry {
  apps: AppSpec[];
  clusters: ClusterSpec[];
  projects: ProjectSpec[];
  /**
   * Kubernetes ValidatingAdmissionPolicies, their bindings and the ConfigMaps they take
   * parameters from, evaluated against every rendered object before a sync writes
   * (shared/policy/). Absent in a registry written before policies existed: none.
   */
  policies?: PolicySet;
  /** The `argocd-notifications-cm` ConfigMap of the registry folder (shared/notifications/); absent: none. */
  notifications?: NotificationsConfig;
  /** ApplicationSets (shared/appset/): their generated apps are in `apps`, each naming its set. Absent: none. */
  applicationSets?: ApplicationSetSpec[];
}
