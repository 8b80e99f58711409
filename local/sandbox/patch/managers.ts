// metadata.managedFields entries as the field managers they stand for. A manager is
// identified as the API server identifies it: by name, operation, subresource and — for
// updates only — apiVersion, so `kubectl` applying and `kubectl` updating are two managers.

import type { ManagedFieldsEntry } from '../../../shared/kube/object.ts';
import { fromFieldsV1, hasAnyMember, toFieldsV1, type FieldSet } from './managed-fields.ts';

export interface Manager {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

export function decodeManagers(entries: ManagedFieldsEntry[] | undefined): Manager[] {
  return (entries ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

export function sameManager(a: ManagedFieldsEntry, b: ManagedFieldsEntry): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** How conflict messages name a manager: `"kubectl" using apps/v1`, `"helm"`. */
export function describeManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${text} using ${entry.apiVersion}` : text;
}

/**
 * Entries for the managers that still own something, ordered as the API server orders
 * them: appliers first, then by time, manager, apiVersion and subresource.
 */
export function encodeManagers(managers: Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => hasAnyMember(m.set))
    .map((m) => ({ ...m.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(m.set) }))
    .sort(compareEntries);
}

function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  if (p.operation !== q.operation) return p.operation === 'Apply' ? -1 : 1;
  const seconds = (time?: string) => (time ? Math.floor(Date.parse(time) / 1000) || 0 : 0);
  return (
    seconds(p.time) - seconds(q.time) ||
    byString(p.manager, q.manager) ||
    byString(p.apiVersion, q.apiVersion) ||
    byString(p.subresource ?? '', q.subresource ?? '')
  );
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
