// Contract between the sandbox server and its pure patch/apply algorithms.
// The server (local/sandbox/*.ts) only calls what is exported here; the algorithms live
// in the sibling files and know nothing about HTTP or storage.
//
// Every function is pure: it never mutates its arguments and returns a new object.
// Errors thrown are the classes in ./errors.ts, which the server turns into Status objects.

export type { KubeObject, ManagedFieldsEntry } from '../../../shared/kube/object.ts';
export { mergePatch } from './merge-patch.ts';
export { jsonPatch } from './json-patch.ts';
export { strategicMergePatch } from './strategic-merge-patch.ts';
export { serverSideApply, recordUpdate } from './server-side-apply.ts';
export { applyDefaults } from './defaults.ts';
export { PatchError, ApplyConflictError } from './errors.ts';
