import { describe, expect, it } from 'vitest';
import { recordUpdate, serverSideApply } from '../../../../local/sandbox/patch/server-side-apply.ts';
import { ApplyConflictError } from '../../../../local/sandbox/patch/errors.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../../../shared/kube/object.ts';

const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-01-02T00:00:00Z';
const T3 = '2025-01-03T00:00:00Z';

interface Options {
  replicas?: number;
  labels?: Record<string, string>;
  image?: string;
}

function deployment({ replicas, labels, image = 'web:1' }: Options = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', ...(labels ? { labels } : {}) },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      template: { spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

const apply = (live: KubeObject | undefined, applied: KubeObject, manager = 'driftless', force = false, now = T1) =>
  serverSideApply({ live, applied, manager, force, now });

const entry = (object: KubeObject, manager: string): ManagedFieldsEntry | undefined => object.metadata.managedFields?.find((e) => e.manager === manager);

const spec = (object: KubeObject) => object.spec as { replicas?: number; template: { spec: { containers: Array<Record<string, unknown>> } } };

function conflictOf(run: () => unknown): ApplyConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApplyConflictError) return error;
    throw error;
  }
  throw new Error('expected an apply conflict');
}

describe('serverSideApply', () => {
  it('creates the applied object owned by the applier, containers keyed by name', () => {
    const created = apply(undefined, deployment({ replicas: 2, labels: { app: 'web' } }));

    expect(created.spec).toEqual(deployment({ replicas: 2 }).spec);
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'driftless',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
          },
        },
      },
    ]);
  });

  it('never takes server-maintained metadata from the applied body', () => {
    const live = { ...apply(undefined, deployment()), metadata: { ...apply(undefined, deployment()).metadata, uid: 'u-1', resourceVersion: '7' } };
    const body = deployment({ replicas: 3 });
    body.metadata = { ...body.metadata, uid: 'forged', resourceVersion: '1', managedFields: [] };

    const result = apply(live, body);
    expect(result.metadata.uid).toBe('u-1');
    expect(result.metadata.resourceVersion).toBe('7');
    expect(entry(result, 'driftless')?.fieldsV1).not.toHaveProperty(['f:metadata', 'f:uid']);
  });

  it('removes a field the same manager stops applying', () => {
    const first = apply(undefined, deployment({ replicas: 2, labels: { app: 'web', tier: 'front' } }));
    const second = apply(first, deployment({ labels: { app: 'web' } }), 'driftless', false, T2);

    expect(second.metadata.labels).toEqual({ app: 'web' });
    expect(spec(second).replicas).toBeUndefined();
    expect(entry(second, 'driftless')?.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
  });

  it('keeps a field it stops applying while another manager still owns it', () => {
    const byDriftless = apply(undefined, deployment({ labels: { app: 'web', tier: 'front' } }));
    const shared = apply(byDriftless, deployment({ labels: { tier: 'front' } }), 'helm');
    const dropped = apply(shared, deployment({ labels: { app: 'web' } }), 'driftless', false, T2);

    expect(dropped.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(entry(dropped, 'driftless')?.fieldsV1).toHaveProperty(['f:metadata', 'f:labels', 'f:app']);
    expect(entry(dropped, 'driftless')?.fieldsV1).not.toHaveProperty(['f:metadata', 'f:labels', 'f:tier']);
    expect(entry(dropped, 'helm')?.fieldsV1).toHaveProperty(['f:metadata', 'f:labels', 'f:tier']);
  });

  it('keeps a field an update took over, after the applier stops applying it', () => {
    const applied = apply(undefined, deployment({ replicas: 2 }));
    const scaled = recordUpdate({ before: applied, after: { ...applied, spec: { ...spec(applied), replicas: 5 } }, manager: 'kubectl', now: T2 });
    const reapplied = apply(scaled, deployment(), 'driftless', false, T3);

    expect(spec(reapplied).replicas).toBe(5);
  });

  it('refuses to change a field another manager updated, with the API server message', () => {
    const applied = apply(undefined, deployment({ replicas: 2 }));
    const scaled = recordUpdate({ before: applied, after: { ...applied, spec: { ...spec(applied), replicas: 5 } }, manager: 'kubectl', now: T2 });

    const error = conflictOf(() => apply(scaled, deployment({ replicas: 3 }), 'driftless', false, T3));
    expect(error.message).toBe('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
    expect(error.conflicts).toEqual([{ manager: 'kubectl', field: '.spec.replicas', message: 'conflict with "kubectl" using apps/v1' }]);
  });

  it('lists several conflicts under their manager, and names list elements by key', () => {
    const applied = apply(undefined, deployment({ replicas: 2 }));
    const edited = recordUpdate({ before: applied, after: deployment({ replicas: 5, image: 'web:debug' }), manager: 'kubectl', now: T2 });

    const error = conflictOf(() => apply(edited, deployment({ replicas: 3, image: 'web:2' }), 'driftless', false, T3));
    expect(error.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl" using apps/v1:\n' + '- .spec.replicas\n' + '- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('conflicts with another applier too, naming it without an apiVersion', () => {
    const byHelm = apply(undefined, deployment({ replicas: 2 }), 'helm');
    const error = conflictOf(() => apply(byHelm, deployment({ replicas: 3 })));
    expect(error.message).toBe('Apply failed with 1 conflict: conflict with "helm": .spec.replicas');
  });

  it('with force, changes the field and moves its ownership to the applier', () => {
    const applied = apply(undefined, deployment({ replicas: 2 }));
    const scaled = recordUpdate({ before: applied, after: { ...applied, spec: { ...spec(applied), replicas: 5 } }, manager: 'kubectl', now: T2 });
    const forced = apply(scaled, deployment({ replicas: 3 }), 'driftless', true, T3);

    expect(spec(forced).replicas).toBe(3);
    expect(entry(forced, 'driftless')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
    // kubectl owned nothing else, so its entry goes away.
    expect(entry(forced, 'kubectl')).toBeUndefined();
  });

  it('lets two managers apply the same value to a field and share it', () => {
    const byHelm = apply(undefined, deployment({ replicas: 2 }), 'helm');
    const both = apply(byHelm, deployment({ replicas: 2 }), 'driftless', false, T2);

    expect(entry(both, 'helm')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
    expect(entry(both, 'driftless')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
  });

  it('merges containers by name, keeping a container another manager added', () => {
    const applied = apply(undefined, deployment());
    const withSidecar = recordUpdate({
      before: applied,
      after: {
        ...applied,
        spec: { template: { spec: { containers: [...spec(applied).template.spec.containers, { name: 'istio-proxy', image: 'proxy:1' }] } } },
      },
      manager: 'istio',
      now: T2,
    });
    const reapplied = apply(withSidecar, deployment({ image: 'web:2' }), 'driftless', false, T3);

    expect(spec(reapplied).template.spec.containers).toEqual([
      { name: 'web', image: 'web:2' },
      { name: 'istio-proxy', image: 'proxy:1' },
    ]);
  });

  it('changes nothing, not even the entry time, when the same configuration is applied again', () => {
    const first = apply(undefined, deployment({ replicas: 2 }));
    expect(apply(first, deployment({ replicas: 2 }), 'driftless', false, T2)).toEqual(first);
  });
});

describe('recordUpdate', () => {
  it('gives every field of a created object to its creator', () => {
    const created = recordUpdate({ after: deployment({ labels: { app: 'web' } }), manager: 'kubectl-create', now: T1 });
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
        },
      },
    ]);
  });

  it('moves a changed field to the updater and drops removed fields from every manager', () => {
    const applied = apply(undefined, deployment({ replicas: 2, labels: { app: 'web' } }));
    const after = { ...deployment({ replicas: 4 }) };
    const updated = recordUpdate({
      before: applied,
      after: { ...after, metadata: { ...after.metadata, managedFields: applied.metadata.managedFields } },
      manager: 'kubectl',
      now: T2,
    });

    expect(entry(updated, 'kubectl')).toMatchObject({ operation: 'Update', time: T2, fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(entry(updated, 'driftless')?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(entry(updated, 'driftless')?.fieldsV1).not.toHaveProperty(['f:metadata']);
  });

  it('records a status write as its own entry with the subresource', () => {
    const created = recordUpdate({ after: deployment(), manager: 'kubectl', now: T1 });
    const withStatus = recordUpdate({
      before: created,
      after: { ...created, status: { readyReplicas: 1 } },
      manager: 'kube-controller-manager',
      now: T2,
      subresource: 'status',
    });
    expect(entry(withStatus, 'kube-controller-manager')).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:readyReplicas': {} } },
    });
    expect(entry(withStatus, 'kubectl')?.time).toBe(T1);
  });

  it('leaves an update that changes nothing without a new entry', () => {
    const created = recordUpdate({ after: deployment(), manager: 'kubectl', now: T1 });
    const same = recordUpdate({ before: created, after: created, manager: 'other', now: T2 });
    expect(same.metadata.managedFields?.map((e) => e.manager)).toEqual(['kubectl']);
  });
});
