// How one object is written: the app's sync options and the object's own sync-options
// annotation combined as gitops-engine combines them (sync_context.go applyObject,
// processCreateTasks, filterOutOfSyncTasks):
//   Replace                   either one (Argo CD looks only for Replace=true, so an object's
//                             Replace=false does not undo the app's)
//   Validate                  off when either turns it off
//   RespectIgnoreDifferences  the object's true or false, else the app's (Argo CD's docs)
//   ApplyOutOfSyncOnly        the app's only; ignoreDifferences then count when deciding that
//                             an object is up to date, as Argo CD's diff does
// ServerSideApply is always on: Replace takes precedence over it, as in Argo CD.
import type { ApplyRequest } from '../kube/apply.ts';
import type { IgnoreDifference } from '../kube/ignore-differences.ts';
import type { KubeObject } from '../kube/object.ts';
import type { ObjectSyncOptions } from './annotations.ts';
import { withLiveIgnoredFields } from './respect-ignore-differences.ts';

/** The app-level settings the writes of a sync share. */
export interface WriteSettings {
  replace: boolean;
  validate: boolean;
  applyOutOfSyncOnly: boolean;
  respectIgnoreDifferences: boolean;
  ignoreDifferences: readonly IgnoreDifference[];
}

export interface ObjectToWrite {
  object: KubeObject;
  syncOptions: ObjectSyncOptions;
  live?: KubeObject;
  unchangedInGit: boolean;
}

export function writeRequest(target: ObjectToWrite, settings: WriteSettings): ApplyRequest {
  const { object, syncOptions, live } = target;
  const respect = syncOptions.respectIgnoreDifferences ?? settings.respectIgnoreDifferences;
  return {
    desired: respect ? withLiveIgnoredFields(object, live, settings.ignoreDifferences) : object,
    live,
    unchangedInGit: target.unchangedInGit,
    replace: settings.replace || syncOptions.replace === true,
    fieldValidation: fieldValidation(syncOptions, settings),
    ...(settings.applyOutOfSyncOnly ? { ignoreDifferences: settings.ignoreDifferences } : {}),
  };
}

/** Strict as kubectl (and so Argo CD) validates; Ignore for Validate=false on the app or the object. */
export function fieldValidation(syncOptions: ObjectSyncOptions, settings: Pick<WriteSettings, 'validate'>): 'Strict' | 'Ignore' {
  return settings.validate && syncOptions.validate !== false ? 'Strict' : 'Ignore';
}
