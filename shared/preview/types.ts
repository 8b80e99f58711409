// The contract of a preview: what to compare (a repository and two commits), what it needs
// from the outside world (the worker's own dependencies), and what comes back per app ×
// cluster. The PR check run and `driftless preview` both print a PreviewReport.
import type { Registry } from '../config/types.ts';
import type { ObjectRef } from '../kube/live.ts';
import type { StateStore } from '../state/store.ts';
import type { WorkerDependencies } from '../worker/dependencies.ts';

export type { ObjectRef } from '../kube/live.ts';

export interface PreviewRequest {
  /** The repository the PR (or checkout) is in, and the two commits. */
  repoURL: string;
  base: string;
  head: string;
  /** Paths the change touches (from the PR's files); absent: compare the two trees to find them. */
  changedFiles?: string[];
  /** Only this app. */
  app?: string;
  /**
   * The branch the change is to be merged into (a PR's base ref): only apps tracking it are
   * previewed, as a push to it would sync them. Absent: every app of the repository whose
   * paths the change touches, whatever revision it tracks.
   */
  baseBranch?: string;
  /** The repository's default branch, which apps on `HEAD` follow; unknown: `main` or `master`, as for a push. */
  defaultBranch?: string;
}

export interface Verdict {
  /** `Deployment/shop/web`. */
  object: string;
  /** `project team-a`, or the ValidatingAdmissionPolicy's name. */
  policy: string;
  /** False when a sync of the head would be refused for it (project bounds, a Deny binding). */
  allowed: boolean;
  /** The rule or the validation's message: names, never values. */
  message: string;
}

export interface TargetPreview {
  app: string;
  cluster: string;
  /** Unified diff live → head render (Secret data masked as the CLI diff masks it); '' when none. */
  diff: string;
  create: ObjectRef[];
  change: ObjectRef[];
  prune: ObjectRef[];
  /** Project bounds and admission-policy verdicts for the head render (names, never values). */
  verdicts: Verdict[];
  /** A render/fetch/dry-run error with the file and line when known: nothing else was computed. */
  error?: { message: string; file?: string; line?: number };
}

export interface PreviewReport {
  repoURL: string;
  base: string;
  head: string;
  targets: TargetPreview[];
  /** What the preview could not cover, said once (e.g. registry changes it does not follow). */
  notes?: string[];
}

/**
 * The worker's sources, charts, render cache and cluster connections, the registry the
 * targets are read from, and optionally the state store (for the inventories prune is computed
 * from) and the config repository (so a change to the registry files previews the apps it changes).
 */
export type PreviewDependencies = Pick<WorkerDependencies, 'sources' | 'renders' | 'connect'> &
  Partial<Pick<WorkerDependencies, 'charts' | 'sopsKeys' | 'configRepo'>> & {
    registry: Registry;
    store?: Pick<StateStore, 'getTarget'>;
    /** App × cluster previews run at once; default 8. */
    concurrency?: number;
  };
