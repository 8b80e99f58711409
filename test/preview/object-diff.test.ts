// The per-object diff of a preview: live against the server's dry-run result. What the server
// adds on both sides (uid, resourceVersion, managedFields, status, defaults) is no change; a
// field the head stops setting is; Secret values are masked on both sides; client-side apply's
// last-applied copy (which holds a Secret's values in clear) is never shown.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import { previewDiff } from '../../shared/preview/object-diff.ts';

const live: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: '6f1c',
    resourceVersion: '41',
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'driftless', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }],
    labels: { app: 'web' },
  },
  data: { color: 'blue', size: 'large' },
};

describe('previewDiff', () => {
  it('finds no change when only server bookkeeping and key order differ', () => {
    const after: KubeObject = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      data: { size: 'large', color: 'blue' },
      metadata: { ...live.metadata, resourceVersion: '41', managedFields: [] },
    };
    expect(previewDiff('ConfigMap/shop/web', live, after)).toEqual({ patch: '', changed: false });
  });

  it('shows a field the head no longer sets as removed', () => {
    const after: KubeObject = { ...live, data: { color: 'blue' } };
    const { patch, changed } = previewDiff('ConfigMap/shop/web', live, after);
    expect(changed).toBe(true);
    expect(patch).toContain('--- live/ConfigMap/shop/web');
    expect(patch).toContain('+++ head/ConfigMap/shop/web');
    expect(patch).toMatch(/^-\s+size: large$/m);
    expect(patch).not.toMatch(/^\+\s+size/m);
    expect(patch).not.toContain('resourceVersion');
  });

  it('shows the whole object for a create and for a prune', () => {
    expect(previewDiff('ConfigMap/shop/web', undefined, live).patch).toMatch(/^\+\s+color: blue$/m);
    expect(previewDiff('ConfigMap/shop/web', live, undefined).patch).toMatch(/^-\s+color: blue$/m);
  });

  it('masks Secret values on both sides and drops the last-applied copy', () => {
    const secret = (password: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password } }) },
      },
      data: { password: Buffer.from(password).toString('base64') },
    });
    const { patch, changed } = previewDiff('Secret/shop/db', secret('old-s3cret'), secret('new-s3cret'));
    expect(changed).toBe(true);
    for (const value of ['old-s3cret', 'new-s3cret']) {
      expect(patch).not.toContain(value);
      expect(patch).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(patch).not.toContain('last-applied-configuration');
    expect(patch).toMatch(/^-\s+password: \+{8} \([0-9a-f]{8}\)$/m);
    expect(patch).toMatch(/^\+\s+password: \+{8} \([0-9a-f]{8}\)$/m);
  });
});
