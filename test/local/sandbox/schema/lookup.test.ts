// Expected values are the Go tags of the Kubernetes API types (k8s.io/api/*/types.go).
import { describe, expect, it } from 'vitest';
import { isAtomicMap, listRuleFor, listsOf, patchReplacesMap } from '../../../../local/sandbox/schema/lookup.ts';

describe('sandbox schema: lists', () => {
  it('keys container ports by containerPort and protocol, protocol defaulting to TCP', () => {
    expect(listRuleFor('Deployment', 'spec.template.spec.containers[].ports')).toEqual({
      type: 'map',
      keys: ['containerPort', 'protocol'],
      keyDefaults: { protocol: 'TCP' },
      mergeKey: 'containerPort',
    });
  });

  it("keys a pod spec's imagePullSecrets by name but keeps a ServiceAccount's atomic", () => {
    expect(listRuleFor('Pod', 'spec.imagePullSecrets')).toEqual({ type: 'map', keys: ['name'], mergeKey: 'name' });
    expect(listRuleFor('ServiceAccount', 'imagePullSecrets')).toBeUndefined();
    expect(listRuleFor('ServiceAccount', 'secrets')).toEqual({ type: 'map', keys: ['name'], mergeKey: 'name' });
  });

  it('tells server-side apply and strategic merge patch apart where Kubernetes does', () => {
    // batch/v1 JobStatus.Conditions: patchMergeKey=type, patchStrategy=merge, listType=atomic.
    expect(listRuleFor('Job', 'status.conditions')).toEqual({ type: 'atomic', keys: [], mergeKey: 'type' });
    // core/v1 PodStatus.HostIPs: patchMergeKey=ip, patchStrategy=merge, listType=atomic.
    expect(listRuleFor('Pod', 'status.hostIPs')).toEqual({ type: 'atomic', keys: [], mergeKey: 'ip' });
    // apiextensions/v1 CustomResourceDefinitionStatus.Conditions: listType=map, no patch tags.
    expect(listRuleFor('CustomResourceDefinition', 'status.conditions')).toEqual({ type: 'map', keys: ['type'] });
  });

  it('treats merge-strategy lists of scalars as sets', () => {
    expect(listRuleFor('ConfigMap', 'metadata.finalizers')).toEqual({ type: 'set', keys: [], mergePrimitives: true });
    expect(listRuleFor('Node', 'spec.podCIDRs')).toEqual({ type: 'set', keys: [], mergePrimitives: true });
    expect(listRuleFor('Job', 'status.uncountedTerminatedPods.succeeded')).toEqual({ type: 'set', keys: [] });
  });

  it('leaves atomic and untagged lists to be replaced whole', () => {
    expect(listRuleFor('Pod', 'spec.containers[].resizePolicy')).toBeUndefined();
    expect(listRuleFor('StatefulSet', 'spec.volumeClaimTemplates')).toBeUndefined();
    expect(listRuleFor('ClusterRole', 'rules')).toBeUndefined();
    expect(listRuleFor('Ingress', 'spec.rules')).toBeUndefined();
  });

  it('knows only the metadata of custom resources', () => {
    expect(listRuleFor('Widget', 'metadata.ownerReferences')).toEqual({ type: 'map', keys: ['uid'], mergeKey: 'uid' });
    expect(listRuleFor('Widget', 'spec.containers')).toBeUndefined();
  });

  it('finds the lists of nested templates', () => {
    const paths = [...listsOf('CronJob')].map(({ path }) => path);
    expect(paths).toContain('spec.jobTemplate.spec.template.spec.containers[].env');
    expect(paths).toContain('spec.jobTemplate.spec.template.spec.volumes[].ephemeral.volumeClaimTemplate.spec.accessModes');
  });
});

describe('sandbox schema: atomic maps', () => {
  it('marks selectors, references and node selectors atomic', () => {
    expect(isAtomicMap('Deployment', 'spec.selector')).toBe(true);
    expect(isAtomicMap('Service', 'spec.selector')).toBe(true);
    expect(isAtomicMap('Pod', 'spec.nodeSelector')).toBe(true);
    expect(isAtomicMap('Pod', 'spec.imagePullSecrets[]')).toBe(true);
    expect(isAtomicMap('Pod', 'metadata.ownerReferences[]')).toBe(true);
    expect(isAtomicMap('RoleBinding', 'roleRef')).toBe(true);
    expect(isAtomicMap('Deployment', 'spec.template.spec.containers[].env[].valueFrom.secretKeyRef')).toBe(true);
  });

  it('keeps labels, templates and a granular override separable', () => {
    expect(isAtomicMap('Deployment', 'spec.template.metadata.labels')).toBe(false);
    expect(isAtomicMap('Deployment', 'spec.template')).toBe(false);
    expect(isAtomicMap('Event', 'involvedObject')).toBe(true);
    expect(isAtomicMap('PersistentVolume', 'spec.claimRef')).toBe(false);
  });

  it("replaces a PodDisruptionBudget's selector in a strategic merge patch", () => {
    expect(patchReplacesMap('PodDisruptionBudget', 'spec.selector')).toBe(true);
    expect(patchReplacesMap('Deployment', 'spec.selector')).toBe(false);
  });
});
