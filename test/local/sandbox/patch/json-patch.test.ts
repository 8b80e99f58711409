import { describe, expect, it } from 'vitest';
import { jsonPatch } from '../../../../local/sandbox/patch/json-patch.ts';
import { PatchError } from '../../../../local/sandbox/patch/errors.ts';
import type { KubeObject } from '../../../../shared/kube/object.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2 },
});

describe('jsonPatch', () => {
  it('applies operations in order when every test passes', () => {
    const result = jsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels', value: { app: 'web' } },
    ]);
    expect(result.spec).toEqual({ replicas: 5 });
    expect(result.metadata.labels).toEqual({ app: 'web' });
  });

  it('fails a failed test with the operation index and path, leaving the target alone', () => {
    const target = deployment();
    const attempt = () =>
      jsonPatch(target, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/spec/replicas', value: 3 },
      ]);
    expect(attempt).toThrow(PatchError);
    expect(attempt).toThrow(/operation 1 \(test \/spec\/replicas\)/);
    expect(target).toEqual(deployment());
  });

  it('fails an operation on a path that does not exist', () => {
    expect(() => jsonPatch(deployment(), [{ op: 'remove', path: '/spec/paused' }])).toThrow(/operation 0 \(remove \/spec\/paused\)/);
  });

  it('rejects a body that is not a list of operations', () => {
    expect(() => jsonPatch(deployment(), { op: 'add' })).toThrow(PatchError);
    expect(() => jsonPatch(deployment(), [{ op: 'frobnicate', path: '/spec' }])).toThrow(PatchError);
  });
});
