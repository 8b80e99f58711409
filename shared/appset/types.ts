// An ApplicationSet as the registry keeps it: Argo CD's `argoproj.io/v1alpha1` ApplicationSet
// or our `driftless.io/v1alpha1` one (same spec, plus rollout gates on RollingSync steps),
// validated and defaulted. Generators and the template stay as written (they are evaluated on
// every config push and cluster change, shared/appset/generate.ts); what the rest of the
// engine reads (sync policy, strategy) is normalised here.
import type { DefinedIn } from '../config/types.ts';

/** One set of generator parameters: nested for goTemplate, flat (`path.basename`) for fasttemplate. */
export type Params = Record<string, unknown>;

/** Argo CD's `syncPolicy.applicationsSync`: what the set may do to the Applications it generated. */
export const APPLICATIONS_SYNC = ['create-only', 'create-update', 'create-delete', 'sync'] as const;
export type ApplicationsSync = (typeof APPLICATIONS_SYNC)[number];

/** A RollingSync step's selector entry: on the generated Application's labels (Argo CD allows In and NotIn). */
export interface StepExpression {
  key: string;
  operator: 'In' | 'NotIn';
  values: string[];
}

export interface RollingSyncStep {
  matchExpressions: StepExpression[];
  /** Argo CD's maxUpdate as written: a count or a percentage (`"25%"`); absent is every app of the step. */
  maxUpdate?: number | string;
  /** Gate after the step: every app of the step Healthy for this long before the next step starts. */
  soakMs?: number;
  /** Gate after the step: these CloudWatch alarms must be OK before the next step starts (ALARM halts). */
  alarms?: string[];
}

export interface RollingSyncStrategy {
  type: 'RollingSync';
  steps: RollingSyncStep[];
}

/** A repository and revision a set's git generators read, and the folders ('' the whole repository) whose change can change what they find. */
export interface SetWatch {
  repoURL: string;
  /** As the generator wrote it (a branch, `HEAD`, …): the pushes that can change it are the branch's. */
  revision: string;
  paths: string[];
}

export interface ApplicationSetSpec {
  /** metadata.name */
  name: string;
  /** Which kind the document was: Argo CD's or ours. */
  source: 'argo' | 'ours';
  /** `spec.goTemplate`: Go text/template + Sprig instead of fasttemplate. */
  goTemplate: boolean;
  /** `spec.goTemplateOptions`, e.g. `missingkey=error`. */
  goTemplateOptions: string[];
  /** `spec.generators` as written (validated by shared/appset/schema.ts). */
  generators: unknown[];
  /** `spec.template` as written: an Application's metadata and spec, with template expressions in its strings. */
  template: Record<string, unknown>;
  /** `spec.templatePatch`: a Go template (goTemplate only) rendering YAML merged into each generated Application. */
  templatePatch?: string;
  /** `spec.syncPolicy.applicationsSync`; `sync` (create, update and delete) when absent, as Argo CD. */
  applicationsSync: ApplicationsSync;
  /** `spec.syncPolicy.preserveResourcesOnDeletion`: a generated app that leaves keeps its resources in the cluster. */
  preserveResourcesOnDeletion: boolean;
  /** `spec.strategy` when it is RollingSync; absent: every generated app syncs at once (Argo CD's AllAtOnce). */
  strategy?: RollingSyncStrategy;
  definedIn: DefinedIn;
  /**
   * What its git generators read at the last generation (shared/appset/watch.ts): a push there
   * re-evaluates the set. Absent: they read nothing (no git generator).
   */
  watches?: SetWatch[];
  /** The app whose render declared the set (app of apps); absent for a set under driftless/. */
  parent?: string;
}
