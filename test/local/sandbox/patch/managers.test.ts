import { describe, expect, it } from 'vitest';
import { describeManager, encodeManagers, sameManager } from '../../../../local/sandbox/patch/managers.ts';
import { fromFieldsV1, emptySet } from '../../../../local/sandbox/patch/managed-fields.ts';
import type { ManagedFieldsEntry } from '../../../../shared/kube/object.ts';

const entry = (manager: string, operation: 'Apply' | 'Update', time: string, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1: {},
  ...extra,
});

describe('managers', () => {
  it('are the same only with the same name, operation, subresource and, for updates, apiVersion', () => {
    expect(sameManager(entry('k', 'Apply', 't'), entry('k', 'Apply', 'u', { apiVersion: 'apps/v2' }))).toBe(true);
    expect(sameManager(entry('k', 'Update', 't'), entry('k', 'Update', 't', { apiVersion: 'apps/v2' }))).toBe(false);
    expect(sameManager(entry('k', 'Apply', 't'), entry('k', 'Update', 't'))).toBe(false);
    expect(sameManager(entry('k', 'Update', 't'), entry('k', 'Update', 't', { subresource: 'status' }))).toBe(false);
  });

  it('are named in conflicts as the API server names them', () => {
    expect(describeManager(entry('kubectl', 'Update', 't'))).toBe('"kubectl" using apps/v1');
    expect(describeManager(entry('helm', 'Apply', 't'))).toBe('"helm"');
    expect(describeManager(entry('hpa', 'Update', 't', { subresource: 'scale' }))).toBe('"hpa" with subresource "scale" using apps/v1');
  });

  it('are encoded appliers first, then oldest first, without the ones that own nothing', () => {
    const owns = fromFieldsV1({ 'f:spec': { 'f:replicas': {} } });
    const encoded = encodeManagers([
      { entry: entry('late', 'Update', '2025-01-02T00:00:00Z'), set: owns },
      { entry: entry('early', 'Update', '2025-01-01T00:00:00Z'), set: owns },
      { entry: entry('gone', 'Update', '2025-01-01T00:00:00Z'), set: emptySet() },
      { entry: entry('applier', 'Apply', '2025-01-03T00:00:00Z'), set: owns },
    ]);
    expect(encoded.map((e) => e.manager)).toEqual(['applier', 'early', 'late']);
  });
});
