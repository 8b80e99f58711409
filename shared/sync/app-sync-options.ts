// An app's own sync options (`spec.syncPolicy.syncOptions`), read as Argo CD reads them: each
// entry is compared whole and case-sensitively with the spellings it acts on
// (`SyncOptions.HasOption("PruneLast=true")`), so `PruneLast=True` or `pruneLast=true` do
// nothing in Argo CD, and an entry it does not know is dropped without a word. We act on the
// same spellings. What Argo CD would drop comes back as ignored, with why: the caller warns
// about it for an Argo CD Application (which must keep working as it does there) and refuses
// it in our own kind, which is strict (see appSyncOptionProblem).
//
// The per-object annotation (annotations.ts) and these combine as Argo CD combines them; see
// object-write.ts and prune-step.ts.
import type { AppSpec } from '../config/types.ts';
import type { PropagationPolicy } from '../kube/prune.ts';
import type { SyncRunOptions } from './sync.ts';

export interface AppSyncOptions {
  /** CreateNamespace=true (the worker passes the namespace to create as SyncRunOptions.createNamespace). */
  createNamespace: boolean;
  /** Replace=true: objects are replaced (PUT, or created when absent) instead of applied. */
  replace: boolean;
  /** PruneLast=true: pruning is the final wave of the Sync phase. */
  pruneLast: boolean;
  /** ApplyOutOfSyncOnly=true: only objects out of sync (ignoreDifferences honoured) are written. */
  applyOutOfSyncOnly: boolean;
  /** RespectIgnoreDifferences=true: fields ignoreDifferences covers keep their live value. */
  respectIgnoreDifferences: boolean;
  /** Prune=false: nothing is pruned; 'confirm': nothing is pruned without a confirmation. */
  prune: boolean | 'confirm';
  /** FailOnSharedResource=true: an object another app tracks fails the sync before any write. */
  failOnSharedResource: boolean;
  /** PrunePropagationPolicy=...: the propagationPolicy of prune's deletes. */
  prunePropagationPolicy?: PropagationPolicy;
  /** Validate=false: the API server ignores unknown fields instead of refusing them. */
  validate: boolean;
  /** SkipDryRunOnMissingResource=true: a kind not served yet is not refused before the sync. */
  skipDryRunOnMissingResource: boolean;
}

export interface IgnoredSyncOption {
  option: string;
  reason: string;
  /** True for an option Argo CD knows and acts on that Driftless leaves alone on purpose. */
  known: boolean;
}

export interface ParsedSyncOptions {
  options: AppSyncOptions;
  ignored: IgnoredSyncOption[];
}

export const DEFAULT_APP_SYNC_OPTIONS: Readonly<AppSyncOptions> = {
  createNamespace: false,
  replace: false,
  pruneLast: false,
  applyOutOfSyncOnly: false,
  respectIgnoreDifferences: false,
  prune: true,
  failOnSharedResource: false,
  validate: true,
  skipDryRunOnMissingResource: false,
};

type Effect = Partial<AppSyncOptions>;

// The spellings Argo CD acts on (argo-cd controller/sync.go, gitops-engine sync/common/types.go).
const ACTS = new Map<string, Effect>([
  ['CreateNamespace=true', { createNamespace: true }],
  ['Replace=true', { replace: true }],
  ['PruneLast=true', { pruneLast: true }],
  ['ApplyOutOfSyncOnly=true', { applyOutOfSyncOnly: true }],
  ['RespectIgnoreDifferences=true', { respectIgnoreDifferences: true }],
  ['FailOnSharedResource=true', { failOnSharedResource: true }],
  ['SkipDryRunOnMissingResource=true', { skipDryRunOnMissingResource: true }],
  ['Prune=false', { prune: false }],
  ['Prune=confirm', { prune: 'confirm' }],
  ['Validate=false', { validate: false }],
  ['PrunePropagationPolicy=foreground', { prunePropagationPolicy: 'Foreground' }],
  ['PrunePropagationPolicy=background', { prunePropagationPolicy: 'Background' }],
  ['PrunePropagationPolicy=orphan', { prunePropagationPolicy: 'Orphan' }],
]);

// Spelled as Argo CD spells them and changing nothing here: the defaults written out, what
// Driftless does anyway (server-side apply), and what only an app's removal reads (Delete).
const INERT = new Set([
  'CreateNamespace=false',
  'Replace=false',
  'PruneLast=false',
  'ApplyOutOfSyncOnly=false',
  'RespectIgnoreDifferences=false',
  'FailOnSharedResource=false',
  'SkipDryRunOnMissingResource=false',
  'Prune=true',
  'Validate=true',
  'ServerSideApply=true',
  'ClientSideApplyMigration=true',
  'ClientSideApplyMigration=false',
  'Delete=true',
  'Delete=false',
  'Delete=confirm',
]);

// Argo CD acts on these; we do not, on purpose.
const LEFT_ALONE = new Map<string, string>([
  ['ServerSideApply=false', 'Driftless always applies server-side (field manager driftless), so ServerSideApply=false changes nothing'],
]);

const NAMES = [...new Set([...ACTS.keys(), ...INERT, ...LEFT_ALONE.keys()].map((option) => option.slice(0, option.indexOf('='))))];

export function parseAppSyncOptions(list: readonly string[]): ParsedSyncOptions {
  const options: AppSyncOptions = { ...DEFAULT_APP_SYNC_OPTIONS };
  const ignored: IgnoredSyncOption[] = [];
  for (const option of list) {
    const effect = ACTS.get(option);
    if (effect) Object.assign(options, effect);
    else if (INERT.has(option)) continue;
    else if (LEFT_ALONE.has(option)) ignored.push({ option, reason: LEFT_ALONE.get(option) as string, known: true });
    else ignored.push({ option, reason: unknownReason(option), known: false });
  }
  return { options, ignored };
}

/**
 * Why our own kind refuses this entry, or undefined when it is one we act on or accept.
 * Argo CD's spellings only: an entry Argo CD would ignore is most likely a typo.
 */
export function appSyncOptionProblem(option: string): string | undefined {
  if (ACTS.has(option) || INERT.has(option) || LEFT_ALONE.has(option)) return undefined;
  return unknownReason(option);
}

function unknownReason(option: string): string {
  const equals = option.indexOf('=');
  if (equals <= 0) return 'is not Name=value (e.g. CreateNamespace=true)';
  const name = option.slice(0, equals);
  if (NAMES.includes(name)) return `is not one Argo CD acts on: write ${spellings(name)}`;
  const named = NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
  if (named) return `is not a sync option: names are case-sensitive (${named})`;
  if (name === 'Force') return "is not an app sync option: Force is read from an object's argocd.argoproj.io/sync-options annotation";
  return `is not a sync option Argo CD knows (${NAMES.join(', ')})`;
}

function spellings(name: string): string {
  const all = [...ACTS.keys(), ...INERT, ...LEFT_ALONE.keys()].filter((option) => option.startsWith(`${name}=`));
  return all.join(' or ');
}

/** The warning for an ignored entry, as the change set carries it. */
export function ignoredOptionWarning(ignored: IgnoredSyncOption): string {
  return ignored.known
    ? `syncOptions "${ignored.option}" is ignored: ${ignored.reason}`
    : `syncOptions "${ignored.option}" is ignored, as Argo CD ignores it: it ${ignored.reason}`;
}

/** What a sync of `app` into `namespace` runs with, from the app's sync policy; the caller adds time limits. */
export function appRunOptions(app: Pick<AppSpec, 'syncPolicy' | 'ignoreDifferences'>, namespace: string): SyncRunOptions {
  const { options, ignored } = parseAppSyncOptions(app.syncPolicy.syncOptions);
  return {
    prune: app.syncPolicy.automated?.prune ?? false,
    allowEmpty: app.syncPolicy.automated?.allowEmpty ?? false,
    createNamespace: app.syncPolicy.createNamespace && namespace ? namespace : undefined,
    // Argo CD: "CreateNamespace=true needs to be set as a sync option, otherwise nothing will happen".
    ...(app.syncPolicy.createNamespace && app.syncPolicy.managedNamespaceMetadata ? { namespaceMetadata: app.syncPolicy.managedNamespaceMetadata } : {}),
    syncOptions: options,
    ignoreDifferences: app.ignoreDifferences,
    warnings: ignored.map(ignoredOptionWarning),
  };
}
