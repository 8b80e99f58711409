// The per-object annotations that steer a sync, read from three families: our own
// (driftless.io), Argo CD's (argocd.argoproj.io) and Helm's (helm.sh), so charts and repos
// written for either keep working. When more than one family sets the same thing, the
// most specific wins: driftless.io over argocd.argoproj.io over helm.sh. (Argo CD merges
// hook delete policies of its own and Helm's annotations; we take one family whole, so an
// object never carries a mix nobody wrote on purpose.)
//
// Our own annotations are checked strictly. Argo CD's are accepted as Argo CD accepts them
// where it can act on them; a wave that is not an integer is an error from every family
// (Argo CD and Helm silently read it as 0, which reorders the sync without a word).
import { describeObject, type KubeObject } from '../kube/object.ts';
import { InvalidAnnotationError } from './errors.ts';

export const ANNOTATIONS = {
  hook: 'driftless.io/hook',
  hookDeletePolicy: 'driftless.io/hook-delete-policy',
  syncWave: 'driftless.io/sync-wave',
  syncOptions: 'driftless.io/sync-options',
  argoHook: 'argocd.argoproj.io/hook',
  argoHookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  argoSyncWave: 'argocd.argoproj.io/sync-wave',
  argoSyncOptions: 'argocd.argoproj.io/sync-options',
  helmHook: 'helm.sh/hook',
  helmHookWeight: 'helm.sh/hook-weight',
  helmHookDeletePolicy: 'helm.sh/hook-delete-policy',
  helmResourcePolicy: 'helm.sh/resource-policy',
} as const;

export function annotationOf(object: KubeObject, key: string): string | undefined {
  return object.metadata.annotations?.[key];
}

/** Comma-separated annotation values, as Argo CD and Helm both write lists. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The sync wave: driftless.io, then Argo CD's, then Helm's hook weight; 0 when none. */
export function syncWave(object: KubeObject): number {
  for (const key of [ANNOTATIONS.syncWave, ANNOTATIONS.argoSyncWave, ANNOTATIONS.helmHookWeight]) {
    const value = annotationOf(object, key);
    if (value !== undefined) return parseWave(object, key, value);
  }
  return 0;
}

function parseWave(object: KubeObject, key: string, value: string): number {
  const text = value.trim();
  const wave = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(wave)) {
    throw new InvalidAnnotationError(describeObject(object), key, value, 'is not an integer');
  }
  return wave;
}

/** One object's sync-options annotations, parsed (the options of a whole run are SyncRunOptions). */
export interface ObjectSyncOptions {
  /** false: never prune; 'confirm': prune only when a person confirms. */
  prune?: boolean | 'confirm';
  /** false: keep the object when the app itself is deleted. */
  delete?: boolean | 'confirm';
  /** Plan even when the kind is not served yet (its CRD comes in the same sync). */
  skipDryRunOnMissingResource?: boolean;
  replace?: boolean;
  serverSideApply?: boolean;
  force?: boolean;
  validate?: boolean;
  pruneLast?: boolean;
  prunePropagationPolicy?: 'foreground' | 'background' | 'orphan';
  /** true or false overrides the app's RespectIgnoreDifferences for this object (Argo CD). */
  respectIgnoreDifferences?: boolean;
}

type OptionKey = keyof ObjectSyncOptions;

interface OptionSpec {
  field: OptionKey;
  values: ReadonlyMap<string, ObjectSyncOptions[OptionKey]>;
}

const BOOLEAN = new Map<string, boolean>([
  ['true', true],
  ['false', false],
]);
const OR_CONFIRM = new Map<string, boolean | 'confirm'>([...BOOLEAN, ['confirm', 'confirm']]);

// Keys as Argo CD spells them (case-sensitive, as Argo CD compares them).
const OPTIONS = new Map<string, OptionSpec>([
  ['Prune', { field: 'prune', values: OR_CONFIRM }],
  ['Delete', { field: 'delete', values: OR_CONFIRM }],
  ['SkipDryRunOnMissingResource', { field: 'skipDryRunOnMissingResource', values: BOOLEAN }],
  ['Replace', { field: 'replace', values: BOOLEAN }],
  ['ServerSideApply', { field: 'serverSideApply', values: BOOLEAN }],
  ['Force', { field: 'force', values: BOOLEAN }],
  ['Validate', { field: 'validate', values: BOOLEAN }],
  ['PruneLast', { field: 'pruneLast', values: BOOLEAN }],
  ['RespectIgnoreDifferences', { field: 'respectIgnoreDifferences', values: BOOLEAN }],
  [
    'PrunePropagationPolicy',
    {
      field: 'prunePropagationPolicy',
      values: new Map([
        ['foreground', 'foreground'],
        ['background', 'background'],
        ['orphan', 'orphan'],
      ] as const),
    },
  ],
]);

/**
 * Per-object sync options, merged key by key: Helm's `resource-policy: keep` (which Argo CD
 * reads as Delete=false), then Argo CD's sync-options, then ours. Options Argo CD reads only
 * at the app level (CreateNamespace, ApplyOutOfSyncOnly, ...) are ignored when written as
 * Argo CD's, as Argo CD ignores them; in our own annotation an unknown option is an error.
 * How each combines with the app's own options: object-write.ts (writes) and prune-step.ts.
 * PrunePropagationPolicy is read but, as in Argo CD, only the app's option sets a delete's policy.
 */
export function syncOptions(object: KubeObject): ObjectSyncOptions {
  const options: ObjectSyncOptions = {};
  if (annotationOf(object, ANNOTATIONS.helmResourcePolicy)?.trim() === 'keep') options.delete = false;
  readOptions(object, ANNOTATIONS.argoSyncOptions, false, options);
  readOptions(object, ANNOTATIONS.syncOptions, true, options);
  return options;
}

function readOptions(object: KubeObject, key: string, strict: boolean, into: ObjectSyncOptions): void {
  const value = annotationOf(object, key);
  if (value === undefined) return;
  for (const item of splitList(value)) {
    const equals = item.indexOf('=');
    const name = equals === -1 ? item : item.slice(0, equals).trim();
    const spec = OPTIONS.get(name);
    if (!spec) {
      if (strict) throw new InvalidAnnotationError(describeObject(object), key, value, `has an unknown option "${name}"`);
      continue;
    }
    const setting =
      equals === -1
        ? undefined
        : item
            .slice(equals + 1)
            .trim()
            .toLowerCase();
    if (setting === undefined || !spec.values.has(setting)) {
      const allowed = [...spec.values.keys()].join(', ');
      throw new InvalidAnnotationError(describeObject(object), key, value, `sets ${name} to something other than ${allowed}`);
    }
    (into as Record<OptionKey, unknown>)[spec.field] = spec.values.get(setting);
  }
}
