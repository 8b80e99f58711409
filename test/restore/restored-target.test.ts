// What restore makes of one target from its live objects and its render: Synced at the commit
// only when the cluster holds exactly what the commit renders (on the fields Git sets), and
// otherwise OutOfSync with no revision, so that the next sync applies the commit. The
// inventory is what is live and ours; only objects equal to the render keep a fingerprint,
// as a sync leaves it for objects it did not apply (README: "How a sync works").
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../shared/kube/fingerprint.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import { restoredTarget, type RestoreInput } from '../../shared/restore/restored-target.ts';
import { stateUnchanged } from '../../shared/restore/unchanged.ts';

const COMMIT = 'c0ffee0000000000000000000000000000000001';
const AT = '2025-01-02T03:04:05.000Z';

function configMap(name: string, data: Record<string, string>, app = 'web'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', annotations: { 'driftless.io/tracking-id': `${app}:/ConfigMap:shop/${name}` } },
    data,
  };
}

/** As the API server returns it: its own metadata added. */
function live(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, uid: `uid-${object.metadata.name}`, resourceVersion: '7', creationTimestamp: AT } };
}

function input(overrides: Partial<RestoreInput>): RestoreInput {
  const desired = [configMap('a', { color: 'blue' }), configMap('b', { size: 'L' })];
  return {
    app: 'web',
    cluster: 'prod',
    namespace: 'shop',
    commit: COMMIT,
    desired: { objects: desired, renderKey: `renders/${COMMIT}/key.json.gz` },
    owned: desired.map(live),
    at: AT,
    ...overrides,
  };
}

describe('a restored target', () => {
  it('is Synced at the commit when every rendered object is live as rendered, and the next sync skips them', () => {
    const restored = restoredTarget(input({}));
    expect(restored.atCommit).toBe(true);
    expect(restored.state).toEqual({
      app: 'web',
      cluster: 'prod',
      namespace: 'shop',
      syncStatus: 'Synced',
      health: 'Healthy',
      message: expect.stringMatching(/^restored from the cluster/),
      revision: COMMIT,
      requestedRevision: COMMIT,
      renderKey: `renders/${COMMIT}/key.json.gz`,
      restoredAt: AT,
      inventory: {
        app: 'web',
        revision: COMMIT,
        entries: [
          { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a', fingerprint: fingerprint(configMap('a', { color: 'blue' })) },
          { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'b', fingerprint: fingerprint(configMap('b', { size: 'L' })) },
        ],
      },
    });
    expect(restored.history).toMatchObject({
      app: 'web',
      cluster: 'prod',
      revision: COMMIT,
      status: 'Synced',
      health: 'Healthy',
      reason: 'restored',
      startedAt: AT,
      finishedAt: AT,
    });
  });

  it('is OutOfSync with no revision when a rendered object is missing, and Missing', () => {
    const restored = restoredTarget(input({ owned: [live(configMap('a', { color: 'blue' }))] }));
    expect(restored.atCommit).toBe(false);
    expect(restored.state).toMatchObject({ syncStatus: 'OutOfSync', health: 'Missing' });
    expect(restored.state.revision).toBeUndefined();
    expect(restored.state.requestedRevision).toBeUndefined();
    expect(restored.state.renderKey).toBeUndefined();
    expect(restored.state.message).toMatch(/1 missing/);
    // Only what is on the cluster is in the inventory.
    expect(restored.state.inventory?.entries.map((entry) => entry.name)).toEqual(['a']);
    expect(restored.history).toMatchObject({ revision: COMMIT, status: 'OutOfSync', reason: 'restored' });
  });

  it('keeps no fingerprint for an object that differs from the render, so the next sync applies it', () => {
    const restored = restoredTarget(input({ owned: [live(configMap('a', { color: 'red' })), live(configMap('b', { size: 'L' }))] }));
    expect(restored.state.syncStatus).toBe('OutOfSync');
    expect(restored.state.message).toMatch(/1 differ/);
    expect(restored.state.inventory?.entries).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a', fingerprint: '' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'b', fingerprint: fingerprint(configMap('b', { size: 'L' })) },
    ]);
  });

  it('counts an object of the app that Git no longer has: in the inventory (the next sync prunes it), and OutOfSync as Argo CD says of what needs pruning', () => {
    const restored = restoredTarget(input({ owned: [...input({}).owned, live(configMap('old', { gone: 'yes' }))] }));
    expect(restored.state.syncStatus).toBe('OutOfSync');
    expect(restored.counts).toEqual({ live: 3, missing: 0, differing: 0, extra: 1 });
    expect(restored.state.inventory?.entries.find((entry) => entry.name === 'old')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'old',
      fingerprint: '',
    });
  });

  it('is the same state whatever order the lists came back in', () => {
    const forward = restoredTarget(input({}));
    const backward = restoredTarget(input({ owned: [...input({}).owned].reverse() }));
    expect(backward.state).toEqual(forward.state);
  });
});

describe('what restore writes again', () => {
  it('nothing when the table holds every field as found, whenever the last restore ran', () => {
    const first = restoredTarget(input({})).state;
    const later = restoredTarget(input({ at: '2025-02-01T00:00:00.000Z' })).state;
    expect(stateUnchanged({ ...first, updatedAt: AT, requestSeq: 3 }, later)).toBe(true);
  });

  it('the target when a field differs, or when the table has none', () => {
    const state = restoredTarget(input({})).state;
    expect(stateUnchanged({ ...state, health: 'Progressing' }, state)).toBe(false);
    expect(stateUnchanged({ ...state, inventory: { app: 'web', entries: [] } }, state)).toBe(false);
    expect(stateUnchanged(undefined, state)).toBe(false);
  });
});
