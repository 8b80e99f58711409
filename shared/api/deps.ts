// The API core's request, answer and dependencies: plain data in and out, so the Lambda
// handler (functions/api) and local mode's server (local/dashboard-server.ts) are adapters.
import type { AppSource, ClusterSpec, Registry } from '../config/types.ts';
import type { KubeClient } from '../kube/client.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { Identity } from '../rbac/identity.ts';
import type { RbacEnforcer } from '../rbac/enforcer.ts';
import type { StateStore } from '../state/store.ts';
import type { RenderCache } from '../storage/render-cache.ts';

export interface ApiRequest {
  method: string;
  /** Without the query string, e.g. `/api/fleet`. */
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-case names; only `if-none-match` is read. */
  headers?: Record<string, string | undefined>;
  /** The parsed JSON body, when there is one. */
  body?: unknown;
  /** Absent: 401. */
  identity?: Identity;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable; absent for 304. */
  body?: unknown;
}

export interface RevisionResolving {
  /** The commit the app's targetRevision names now. */
  head(source: AppSource): Promise<string>;
  /** The commit `revision` (branch, tag, short sha) names in `repoURL`. */
  resolve(repoURL: string, revision: string): Promise<string>;
}

export interface ApiLogger {
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

export interface ApiDeps {
  store: StateStore;
  queue: JobQueue;
  /** A client for a registered cluster (cached by the caller; the API never closes it). */
  connect(cluster: ClusterSpec): Promise<KubeClient>;
  /** The last applied renders, for the diff. */
  renders?: RenderCache;
  revisions: RevisionResolving;
  /** The registry's policy by default (shared/rbac/from-registry.ts). */
  rbac?: (registry: Registry) => Promise<RbacEnforcer>;
  /** The claims holding the user's groups when the policy sets no `scopes` (the stack's DASHBOARD_GROUPS_CLAIM). */
  groupClaims?: string[];
  /** Host of the GitHub the repositories live on, for commit links; github.com by default. */
  gitHubHost?: string;
  logger?: ApiLogger;
}
