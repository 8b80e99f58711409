import { describe, expect, it } from 'vitest';
import { strategicMergePatch } from '../../../../local/sandbox/patch/strategic-merge-patch.ts';
import { PatchError } from '../../../../local/sandbox/patch/errors.ts';
import type { KubeObject } from '../../../../shared/kube/object.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
});

const podSpec = (object: KubeObject) => (object.spec as { template: { spec: Record<string, unknown> } }).template.spec;
const containers = (object: KubeObject) => podSpec(object).containers as Array<Record<string, unknown>>;

describe('strategicMergePatch', () => {
  it('merges containers by name, keeping the ones the patch does not mention', () => {
    const result = strategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', image: 'web:2', env: [{ name: 'B', value: '2' }] },
              { name: 'new', image: 'n:1' },
            ],
          },
        },
      },
    });
    expect(containers(result).map((c) => c.name)).toEqual(['web', 'sidecar', 'new']);
    expect(containers(result)[0]).toEqual({
      name: 'web',
      image: 'web:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ports: [{ containerPort: 80 }],
    });
  });

  it('deletes a list element marked $patch: delete', () => {
    const result = strategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    expect(containers(result).map((c) => c.name)).toEqual(['web']);
  });

  it('replaces lists that have no merge key', () => {
    const result = strategicMergePatch(deployment(), {
      spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } },
    });
    expect(podSpec(result).tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('replaces a keyed list whole when it carries $patch: replace', () => {
    const result = strategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } } },
    });
    expect(containers(result)).toEqual([{ name: 'only', image: 'o:1' }]);
  });

  it('merges finalizers as a set and removes values named in $deleteFromPrimitiveList', () => {
    const result = strategicMergePatch(deployment(), {
      metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] },
    });
    expect(result.metadata.finalizers).toEqual(['b']);
    const merged = strategicMergePatch(deployment(), { metadata: { finalizers: ['b', 'a'] } });
    expect(merged.metadata.finalizers).toEqual(['a', 'b']);
  });

  it('keeps only $retainKeys and ignores $setElementOrder', () => {
    const target = { ...deployment(), spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const result = strategicMergePatch(target, {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        '$setElementOrder/containers': [{ name: 'web' }],
      },
    });
    expect(result.spec).toEqual({ strategy: { type: 'Recreate' } });
  });

  it('deletes fields set to null and leaves its input untouched', () => {
    const target = deployment();
    const result = strategicMergePatch(target, { metadata: { finalizers: null } });
    expect(result.metadata.finalizers).toBeUndefined();
    expect(target).toEqual(deployment());
  });

  it("replaces a PodDisruptionBudget's selector, whose patch strategy is replace", () => {
    const pdb: KubeObject = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web', tier: 'front' } } },
    };
    const result = strategicMergePatch(pdb, { spec: { selector: { matchLabels: { app: 'api' } } } });
    expect(result.spec).toEqual({ selector: { matchLabels: { app: 'api' } } });
  });

  it("merges a Job's conditions by type, though server-side apply holds them atomic", () => {
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once' },
      status: { conditions: [{ type: 'Complete', status: 'False' }] },
    };
    const result = strategicMergePatch(job, { status: { conditions: [{ type: 'Failed', status: 'True' }] } });
    expect(result.status).toEqual({
      conditions: [
        { type: 'Complete', status: 'False' },
        { type: 'Failed', status: 'True' },
      ],
    });
  });

  it('rejects a keyed-list element without its merge key', () => {
    expect(() => strategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toThrow(PatchError);
  });
});
