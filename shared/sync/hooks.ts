// Whether an object is a hook, in which phases it runs and when it is deleted. The first
// family that marks an object as a hook decides (driftless.io, then argocd.argoproj.io,
// then helm.sh), as Argo CD ignores Helm's hook annotations once its own are present.
//
// Helm's hooks map as Argo CD maps them (gitops-engine pkg/sync/hook/helm, Argo CD's
// docs/user-guide/helm.md): pre-install/pre-upgrade run in PreSync, post-install/
// post-upgrade in PostSync. `crd-install` alone is not a hook but a normal resource. Any
// other value (pre/post-delete, pre/post-rollback, test, test-success, test-failure) still
// makes the object a hook, one with no phase we run, so it is never applied: Argo CD
// "skips manifests that include hooks not supported", which is what keeps chart tests out.
import { describeObject, type KubeObject } from '../kube/object.ts';
import { ANNOTATIONS, annotationOf, splitList } from './annotations.ts';
import { InvalidAnnotationError } from './errors.ts';

export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export const DELETE_POLICIES = ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

export type HookFamily = 'driftless' | 'argocd' | 'helm';

export type HookRole =
  | { role: 'resource' }
  | { role: 'hook'; family: HookFamily; phases: SyncPhase[]; deletePolicies: DeletePolicy[] }
  /** Not applied in this sync at all: `Skip`, or a hook for an event we do not have. */
  | { role: 'skip'; reason: string };

const HELM_PHASES: Readonly<Record<string, SyncPhase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const HELM_DELETE_POLICIES: Readonly<Record<string, DeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

// Argo CD hook types that belong to app deletion, which a sync never performs.
const ARGO_DELETE_HOOKS = new Set(['PreDelete', 'PostDelete']);

export function hookRole(object: KubeObject): HookRole {
  const ours = annotationOf(object, ANNOTATIONS.hook);
  if (ours !== undefined) return ourHook(object, ours);
  const argo = annotationOf(object, ANNOTATIONS.argoHook);
  if (argo !== undefined) return argoHook(object, argo);
  const helm = annotationOf(object, ANNOTATIONS.helmHook);
  if (helm !== undefined) return helmHook(object, helm);
  return { role: 'resource' };
}

function ourHook(object: KubeObject, value: string): HookRole {
  const key = ANNOTATIONS.hook;
  const types = splitList(value);
  if (types.length === 0) throw new InvalidAnnotationError(describeObject(object), key, value, 'names no hook phase');
  for (const type of types) {
    if (type !== 'Skip' && !isPhase(type)) {
      throw new InvalidAnnotationError(describeObject(object), key, value, `has "${type}", not one of ${[...SYNC_PHASES, 'Skip'].join(', ')}`);
    }
  }
  if (types.includes('Skip')) {
    if (types.length > 1) throw new InvalidAnnotationError(describeObject(object), key, value, 'combines Skip with a phase');
    return { role: 'skip', reason: `${key}: Skip` };
  }
  return hook(object, 'driftless', types.filter(isPhase));
}

function argoHook(object: KubeObject, value: string): HookRole {
  const key = ANNOTATIONS.argoHook;
  const types = splitList(value);
  for (const type of types) {
    // Argo CD drops unknown types without a word, which for a typo means the object is
    // never applied; we would rather stop the sync and say so.
    if (type !== 'Skip' && !isPhase(type) && !ARGO_DELETE_HOOKS.has(type)) {
      throw new InvalidAnnotationError(describeObject(object), key, value, `has "${type}", not an Argo CD hook type`);
    }
  }
  // Argo CD skips only when Skip is the one type given; beside a phase it means nothing.
  if (types.length === 1 && types[0] === 'Skip') return { role: 'skip', reason: `${key}: Skip` };
  const phases = types.filter(isPhase);
  if (phases.length === 0) return { role: 'skip', reason: `${key}: ${value} runs only when an app is deleted` };
  return hook(object, 'argocd', phases);
}

function helmHook(object: KubeObject, value: string): HookRole {
  const events = splitList(value);
  if (events.length === 1 && events[0] === 'crd-install') return { role: 'resource' };
  const phases = events.flatMap((event) => (Object.hasOwn(HELM_PHASES, event) ? [HELM_PHASES[event]] : []));
  if (phases.length === 0) return { role: 'skip', reason: `${ANNOTATIONS.helmHook}: ${value} is not run by a sync` };
  return hook(object, 'helm', phases);
}

function hook(object: KubeObject, family: HookFamily, phases: SyncPhase[]): HookRole {
  return { role: 'hook', family, phases: unique(phases), deletePolicies: deletePolicies(object) };
}

/**
 * When a hook's object is deleted. The first family with a delete-policy annotation
 * decides; without one, BeforeHookCreation, Argo CD's default, so a named hook is
 * recreated (and so rerun) on every sync.
 */
export function deletePolicies(object: KubeObject): DeletePolicy[] {
  const ours = annotationOf(object, ANNOTATIONS.hookDeletePolicy);
  if (ours !== undefined) return strictPolicies(object, ANNOTATIONS.hookDeletePolicy, ours);
  const argo = annotationOf(object, ANNOTATIONS.argoHookDeletePolicy);
  if (argo !== undefined) return strictPolicies(object, ANNOTATIONS.argoHookDeletePolicy, argo);
  const helm = annotationOf(object, ANNOTATIONS.helmHookDeletePolicy);
  if (helm !== undefined) {
    // Helm does not check the values either; an unknown one is dropped, as Argo CD does.
    const policies = splitList(helm).flatMap((item) => (Object.hasOwn(HELM_DELETE_POLICIES, item) ? [HELM_DELETE_POLICIES[item]] : []));
    if (policies.length > 0) return unique(policies);
  }
  return ['BeforeHookCreation'];
}

function strictPolicies(object: KubeObject, key: string, value: string): DeletePolicy[] {
  const items = splitList(value);
  if (items.length === 0) throw new InvalidAnnotationError(describeObject(object), key, value, 'names no delete policy');
  for (const item of items) {
    if (!(DELETE_POLICIES as readonly string[]).includes(item)) {
      throw new InvalidAnnotationError(describeObject(object), key, value, `has "${item}", not one of ${DELETE_POLICIES.join(', ')}`);
    }
  }
  return unique(items as DeletePolicy[]);
}

function isPhase(value: string): value is SyncPhase {
  return (SYNC_PHASES as readonly string[]).includes(value);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
