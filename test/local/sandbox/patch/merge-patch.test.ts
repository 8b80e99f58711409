import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../../../local/sandbox/patch/merge-patch.ts';
import { PatchError } from '../../../../local/sandbox/patch/errors.ts';
import type { KubeObject } from '../../../../shared/kube/object.ts';

const configMap = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', labels: { app: 'web', tier: 'front' } },
  data: { a: '1', b: '2' },
});

describe('mergePatch', () => {
  it('deletes a field the patch sets to null and merges the rest', () => {
    const result = mergePatch(configMap(), { metadata: { labels: { tier: null, team: 'x' } }, data: { a: null } });
    expect(result.metadata.labels).toEqual({ app: 'web', team: 'x' });
    expect(result.data).toEqual({ b: '2' });
  });

  it('replaces lists whole', () => {
    const target = { ...configMap(), metadata: { name: 'settings', finalizers: ['a', 'b'] } };
    expect(mergePatch(target, { metadata: { finalizers: ['c'] } }).metadata.finalizers).toEqual(['c']);
  });

  it('leaves its input untouched', () => {
    const target = configMap();
    mergePatch(target, { data: { a: 'changed' } });
    expect(target).toEqual(configMap());
  });

  it('rejects a body that is not an object', () => {
    expect(() => mergePatch(configMap(), ['x'])).toThrow(PatchError);
  });
});
