import { describe, expect, it } from 'vitest';
import { isAtomicMap, listRuleFor } from '../../../../local/sandbox/patch/list-keys.ts';

describe('listRuleFor', () => {
  it('finds container lists in every pod spec, at any depth', () => {
    for (const [kind, path] of [
      ['Pod', 'spec.containers'],
      ['Deployment', 'spec.template.spec.containers'],
      ['CronJob', 'spec.jobTemplate.spec.template.spec.initContainers'],
    ]) {
      expect(listRuleFor(kind, path)).toMatchObject({ keys: ['name'], mergeKey: 'name' });
    }
    expect(listRuleFor('Deployment', 'spec.template.spec.containers[].ports')).toMatchObject({
      keys: ['containerPort', 'protocol'],
      mergeKey: 'containerPort',
    });
    expect(listRuleFor('Deployment', 'spec.template.spec.containers[].volumeMounts')).toMatchObject({ keys: ['mountPath'] });
  });

  it('keys Service ports by port and protocol only in Services', () => {
    expect(listRuleFor('Service', 'spec.ports')).toMatchObject({ keys: ['port', 'protocol'], mergeKey: 'port' });
    expect(listRuleFor('Ingress', 'spec.ports')).toBeUndefined();
  });

  it('treats finalizers as a set and unlisted lists as atomic', () => {
    expect(listRuleFor('ConfigMap', 'metadata.finalizers')).toMatchObject({ type: 'set' });
    expect(listRuleFor('Deployment', 'spec.template.spec.tolerations')).toBeUndefined();
    expect(listRuleFor('Deployment', 'spec.template.spec.containers[].envFrom')).toBeUndefined();
  });

  it('marks label selectors atomic', () => {
    expect(isAtomicMap('Deployment', 'spec.selector')).toBe(true);
    expect(isAtomicMap('Deployment', 'spec.template.metadata.labels')).toBe(false);
  });
});
